"""Phrase discovery: :func:`suggest_phrases` ranks candidate multiword expressions of a corpus for a researcher
to review and add to the phrase list (``toolkit/data/phrases.csv`` or their own).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from .._checks import require_choice, require_columns
from ._stats import association
from .lexicons import stop_words_by_lang
from .tokens import TermAnalyzer

SUGGESTION_COLUMNS = ["phrase", "n_words", "n", "n_docs", "llr", "pmi"]
_LETTER = re.compile(r"[^\W\d_]")


def suggest_phrases(frame: pd.DataFrame, *, lang: Literal["auto", "en", "zh"] = "auto", phrases="default",
                    stop_words="default", min_count: int = 5, max_words: Literal[2, 3] = 3, n: int = 100
                    ) -> pd.DataFrame:
    """Candidate multiword expressions from the corpus, ranked by log-likelihood, for a researcher to review.

    Bigrams of two non-stop words, and (``max_words=3``) trigrams whose first and last words are not stop
    words ("freedom of navigation"). Listed phrases are already single tokens, so they never come back.
    Association: Dunning's log-likelihood ratio (G2) on the 2x2 table of the first word(s) vs the last
    word; a trigram scores the smaller G2 of its two splits ((w1, w2 w3) and (w1 w2, w3)), so both halves
    must attract each other. n-grams never cross a row (turn, sentence) boundary nor punctuation.

    Parameters
    ----------
    frame : DataFrame
        Briefings, turns or sentences (``doc_id``, ``text``).
    lang, phrases
        As in :func:`tokenize`.
    stop_words : "default", None, path, DataFrame or list
        Words that may not start or end a candidate.
    min_count : int
        Keep candidates seen at least this many times.
    max_words : {2, 3}
        Longest candidate.
    n : int
        Number of candidates returned.

    Returns
    -------
    DataFrame
        ``phrase, n_words, n, n_docs, llr, pmi`` sorted by ``llr`` (top ``n``), ``pmi`` in bits.

    See Also
    --------
    phrase_audit : the evidence to read before listing a candidate (its collocates, nearby targets, lines).

    Examples
    --------
    >>> suggest_phrases(turns, min_count=10).head(20)                        # doctest: +SKIP

    Audit the top candidates in one call (one row of ``variants`` each, ``listed`` False):

    >>> phrase_audit(turns, suggest_phrases(turns, min_count=10)["phrase"].head(5), random_state=0)  # doctest: +SKIP
    """
    func = "suggest_phrases"
    require_columns(frame, ["doc_id", "text"], func=func)
    require_choice(max_words, (2, 3), func=func, arg="max_words")
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=None, lowercase=True, func=func)
    grams = _NgramCounts(analyzer, stop_words_by_lang(stop_words, func=func), trigrams=max_words == 3)
    for doc_id, text in zip(frame["doc_id"].to_numpy(), frame["text"].to_numpy()):
        grams.add(doc_id, text)
    total = sum(grams.unigrams.values())
    records = [grams.score(gram, total) for gram in grams.docs if grams.count(gram) >= min_count]
    if not records:
        return pd.DataFrame(columns=SUGGESTION_COLUMNS)
    table = pd.DataFrame(records, columns=SUGGESTION_COLUMNS)
    return table.sort_values(["llr", "phrase"], ascending=[False, True]).head(n).reset_index(drop=True)


@dataclass
class _NgramCounts:
    """Unigram, bigram and trigram counts of a corpus, and the documents and language of each candidate."""

    analyzer: TermAnalyzer
    stop: dict
    trigrams: bool
    unigrams: Counter = field(default_factory=Counter)
    bigrams: Counter = field(default_factory=Counter)
    triples: Counter = field(default_factory=Counter)
    docs: dict = field(default_factory=dict)          # candidate -> documents it occurs in
    langs: dict = field(default_factory=dict)         # candidate -> language (joins its words)

    def add(self, doc_id, text) -> None:
        """Count the n-grams of one text (``''`` at punctuation: n-grams stop there)."""
        tokens, lang = self.analyzer.analyze(text, breaks=True)
        canonicals, stop = self.analyzer.canonicals, self.stop[lang]
        content = [bool(t) and t not in canonicals and t not in stop and _LETTER.search(t) is not None
                   for t in tokens]
        self.unigrams.update(filter(None, tokens))
        for i in range(len(tokens) - 1):
            pair = (tokens[i], tokens[i + 1])
            if not (pair[0] and pair[1]):
                continue
            self.bigrams[pair] += 1
            if content[i] and content[i + 1]:
                self._candidate(pair, doc_id, lang)
            if self.trigrams and i + 2 < len(tokens) and content[i] and content[i + 2] \
                    and tokens[i + 1] not in canonicals:
                triple = pair + (tokens[i + 2],)
                self.triples[triple] += 1
                self._candidate(triple, doc_id, lang)

    def _candidate(self, gram: tuple, doc_id, lang: str) -> None:
        self.docs.setdefault(gram, set()).add(doc_id)
        self.langs[gram] = lang

    def count(self, gram: tuple) -> int:
        return self.bigrams[gram] if len(gram) == 2 else self.triples[gram]

    def score(self, gram: tuple, total: int) -> tuple:
        """``(phrase, n_words, n, n_docs, llr, pmi)`` among ``total`` tokens; a trigram scores the weaker of
        its two splits."""
        unigrams, bigrams = self.unigrams, self.bigrams
        if len(gram) == 2:
            splits = [(unigrams[gram[0]], unigrams[gram[1]])]
        else:
            splits = [(unigrams[gram[0]], bigrams[gram[1:]]), (bigrams[gram[:2]], unigrams[gram[2]])]
        n_ii = self.count(gram)
        scores = [association(n_ii, a, b, total) for a, b in splits]
        joiner = "" if self.langs[gram] == "zh" else " "
        return (joiner.join(gram), len(gram), n_ii, len(self.docs[gram]), min(float(s["llr"]) for s in scores),
                min(float(s["pmi"]) for s in scores))
