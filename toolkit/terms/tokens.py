"""Text to tokens: the English and Chinese phrase matchers, :class:`TermAnalyzer` and :func:`tokenize`.

One analyzer turns a text into terms:

1. English: :data:`toolkit.text.TOKEN_PATTERN` finds words (hyphenated words stay whole: ``"china-dprk"``;
   possessive ``'s`` dropped) and punctuation; a multiword-expression matcher (like NLTK's
   ``MWETokenizer``, but case- and hyphen-tolerant, longest variant first, never across punctuation)
   turns every listed phrase variant into its canonical term (``"Mil-to-mil relationship"`` ->
   ``"mil-to-mil relations"``). Chinese: jieba (:func:`toolkit.text.jieba_tokenizer`, a private
   tokenizer with every phrase variant added to its dictionary), then variants -> canonical.
   A variant with a sense rule (columns ``context``, ``not_context``, ``window`` of the phrase table)
   becomes the canonical term of its first row whose rule holds in the words (English) or characters
   (Chinese) around the hit, or stays plain words: "military ties with Taiwan" is
   ``"US-Taiwan military ties"``, "China-US military ties" is ``"mil-to-mil relations"`` (:func:`pick_sense`).
2. Words are lowercased (``lowercase=True``); canonical phrase terms keep the spelling of the phrase
   list, so ``"US"`` (the country) never merges with the pronoun ``"us"``.
3. Stop words are dropped (phrases never are); an optional stemmer applies to words only.

``lang="auto"`` decides per text with :func:`toolkit.text.detect_lang`.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import accumulate, compress, filterfalse
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from .._checks import require_choice, require_columns
from ..text import TOKEN_PATTERN, detect_lang, english_tokens, fold, is_word, jieba_tokenizer
from ._units import UNIT_KEYS, frame_unit
from .lexicons import LEXICON_LANGS, load_phrases, stop_words_by_lang

LANGS = ("auto", *LEXICON_LANGS)
STEMMERS = ("porter", "snowball")
SEP = "\x1f"          # never inside a token: joins tokens into one string


# ----------------------------------------------------------------------------------------- senses
class Sense(NamedTuple):
    """One phrase-table row of a variant: its canonical term and the rule its context must meet (``window`` 0:
    no rule)."""
    canonical: str
    context: re.Pattern | None
    not_context: re.Pattern | None
    window: int


def _senses(phrases: pd.DataFrame) -> Iterator[tuple[str, str, Sense]]:
    """``(variant, case, sense)`` of every row of a table made by :func:`load_phrases`, in table order."""
    columns = ["variant", "case", "canonical", "context", "not_context", "window"]
    for variant, case, canonical, context, not_context, window in phrases[columns].itertuples(index=False):
        yield variant, case, Sense(canonical, re.compile(context) if context else None,
                                   re.compile(not_context) if not_context else None, int(window))


def pick_sense(senses, around: Callable[[int], str]) -> str | None:
    """The canonical term of the first sense whose rule holds, or None when none does.

    ``around(window)`` gives the text within ``window`` words (English) or characters (Chinese) on each side
    of the hit, the hit included; ``context`` must match in it and ``not_context`` must not.
    """
    for sense in senses:
        if not sense.window:
            return sense.canonical
        text = around(sense.window)
        if (sense.context is None or sense.context.search(text)) and not (
                sense.not_context is not None and sense.not_context.search(text)):
            return sense.canonical
    return None


# ----------------------------------------------------------------------------------------- English
class _Around:
    """The context of English hits: the text from ``window`` words before pieces ``[i, after)`` to ``window``
    words after them (punctuation between them kept, not counted). Token offsets are found on first use."""

    def __init__(self, folded: str, found: list[re.Match] | None = None):
        self.folded, self.found, self.words = folded, found, None

    def __call__(self, i: int, after: int, window: int) -> str:
        if self.words is None:
            self.found = self.found if self.found is not None else list(TOKEN_PATTERN.finditer(self.folded))
            self.words = [k for k, m in enumerate(self.found) if m.group(1)]
        before, later = bisect_left(self.words, i), bisect_left(self.words, after)
        first = self.words[max(0, before - window)] if before else i
        last = self.words[min(len(self.words), later + window) - 1] if later < len(self.words) else after - 1
        return self.folded[self.found[first].start():self.found[last].end()]


def _lower_all(pieces: list[str]) -> list[str]:
    return SEP.join(pieces).lower().split(SEP) if pieces else []


class _Lowercase(dict):
    """Each word's lowercase form, computed once per distinct word (``list(map(memo.__getitem__, words))`` looks
    them up in C): the same as :func:`_lower_all`, since a separator between words is neither cased nor
    case-ignorable, so ``str.lower`` (final sigma included) treats each word alone. Emptied at ``LIMIT`` words."""

    LIMIT = 1 << 18                # about 40 MB of short words at most

    def __missing__(self, word: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        self[word] = low = word.lower()
        return low


def _parts(pieces: list[str]) -> tuple[str, ...]:
    """Hyphen-split parts: ``["mil-to-mil", "ties"]`` -> ``("mil", "to", "mil", "ties")``."""
    return tuple(part for piece in pieces for part in piece.split("-"))


class EnglishMatcher:
    """Words and listed phrases of English text (an MWE matcher over hyphen-split, case-folded parts).

    A variant matches when its words follow each other separated only by spaces or hyphens
    ("Mil-to-mil relationship", "mil to mil relations"); punctuation breaks a phrase unless the variant
    has it ("U.S."). Variants with ``case == "exact"`` ("US", "WHO") match only as written. The longest
    variant starting at a word whose sense rule holds (:func:`pick_sense`) wins. Phrases start and end at
    word boundaries ("Taiwan Straits-related" is no "Taiwan Strait").
    """

    def __init__(self, phrases: pd.DataFrame):
        exact: dict[tuple, list[Sense]] = {}
        loose: dict[tuple, list[Sense]] = {}
        self.variant_of: dict[tuple, str] = {}      # match key -> variant as listed (for KWIC)
        for variant, case, sense in _senses(phrases):
            pieces = english_tokens(variant)
            key = _parts(pieces) if case == "exact" else _parts(_lower_all(pieces))
            if not key or not key[0]:
                continue
            (exact if case == "exact" else loose).setdefault(key, []).append(sense)
            self.variant_of[key] = variant
        self.exact = {key: tuple(senses) for key, senses in exact.items()}
        self.loose = {key: tuple(senses) for key, senses in loose.items()}
        keys = [tuple(part.lower() for part in key) for key in list(self.exact) + list(self.loose)]
        self.prefixes = {key[:j] for key in keys for j in range(1, len(key) + 1)}
        self.starts = {"-".join(key[:j]) for key in keys for j in range(1, len(key) + 1)}
        self.singles = {key for key in keys if len(key) == 1}
        self.longest = max(map(len, keys), default=0)        # parts, so at least as many as pieces
        self.canonicals = frozenset(sense.canonical for table in (self.exact, self.loose)
                                    for senses in table.values() for sense in senses)
        self.lower_of = _Lowercase()          # a memo: not pickled

    def match_at(self, pieces: list[str], lowered: list[str], i: int, around) -> tuple[str, int] | None:
        """Longest variant starting at piece ``i`` whose sense holds: ``(canonical, index after)`` or None.
        ``around(i, after, window)`` gives the context of pieces ``[i, after)`` (:class:`_Around`)."""
        parts, low_parts, found = [], [], []
        for j in range(i, len(pieces)):
            low = lowered[j]
            if "-" in low:
                parts += pieces[j].split("-")
                low_parts += low.split("-")
            else:
                parts.append(pieces[j])
                low_parts.append(low)
            key = tuple(low_parts)
            if key not in self.prefixes:
                break
            senses = self.exact.get(tuple(parts), ()) + self.loose.get(key, ())
            if senses:
                found.append((senses, j + 1))
        for senses, after in reversed(found):
            canonical = pick_sense(senses, lambda window: around(i, after, window))
            if canonical is not None:
                return canonical, after
        return None

    def senses(self, pieces: list[str], lowered: list[str]) -> tuple[Sense, ...]:
        """The senses of the variant that is exactly ``pieces`` (``lowered``: the same lowercased), exact-case
        rows first, as :meth:`match_at` looks them up."""
        return self.exact.get(_parts(pieces), ()) + self.loose.get(_parts(lowered), ())

    def tries(self, lowered: list[str]) -> Iterator[int]:
        """The pieces where a phrase may start: a word that starts phrases and is hyphenated, or is a phrase of
        its own, or is followed by a word that may come next in one (the others need not be tried).
        :func:`toolkit.terms.ascii_tokens.phrase_tries` applies the same rule with numpy."""
        starts, singles, prefixes, last = self.starts, self.singles, self.prefixes, len(lowered) - 1
        for i in compress(range(len(lowered)), map(starts.__contains__, lowered)):
            low = lowered[i]
            if "-" in low or (low,) in singles or (i < last and (low, lowered[i + 1].partition("-")[0]) in prefixes):
                yield i

    def matches(self, pieces: list[str], lowered: list[str], around: _Around) -> list[tuple[int, int, str]]:
        """Non-overlapping phrase matches ``(first piece, piece after, canonical)``, left to right; ``around``
        gives the context for sense rules."""
        found, after = [], 0
        for i in self.tries(lowered):
            if i < after:
                continue
            match = self.match_at(pieces, lowered, i, around)
            if match is not None:
                found.append((i, match[1], match[0]))
                after = match[1]
        return found

    def token_spans(self, text: str) -> list[tuple[str, int, int, str | None]]:
        """``(token, start, end, listed variant or None)`` for every token (lowercased words) of ``text``."""
        folded = fold(text)
        found = list(TOKEN_PATTERN.finditer(folded))
        pieces = [m.group(1) or "" for m in found]
        lowered = _lower_all(pieces)
        spans = [(low, m.start(), m.end(1) if low else m.end(), None) for low, m in zip(lowered, found)]
        out, previous = [], 0
        for start, after, canonical in self.matches(pieces, lowered, _Around(folded, found)):
            out += spans[previous:start]
            key = _parts(pieces[start:after])
            variant = self.variant_of.get(key) or self.variant_of.get(tuple(p.lower() for p in key))
            out.append((canonical, spans[start][1], spans[after - 1][2], variant))
            previous = after
        out += spans[previous:]
        return [span for span in out if span[0]]

    def tokens(self, text: str, *, lowercase: bool, breaks: bool = False) -> list[str]:
        """Tokens of ``text``: words (lowercased if asked) and canonical phrase terms.

        Punctuation is dropped, or kept as ``''`` (a boundary marker) with ``breaks=True``.
        """
        keep = (lambda items: items) if breaks else (lambda items: list(filter(None, items)))
        folded = fold(text)
        pieces = TOKEN_PATTERN.findall(folded)
        lowered = list(map(self.lower_of.__getitem__, pieces))
        words = lowered if lowercase else pieces
        found = self.matches(pieces, lowered, _Around(folded))
        if not found:
            return keep(words)
        out, previous = [], 0
        for start, after, canonical in found:
            out += words[previous:start]
            out.append(canonical)
            previous = after
        out += words[previous:]
        return keep(out)

    def __getstate__(self):
        return {**self.__dict__, "lower_of": _Lowercase()}


# ----------------------------------------------------------------------------------------- Chinese
class ChineseMatcher:
    """jieba segmentation with every phrase variant in the dictionary, then variants -> canonical.

    The tokenizer is :func:`toolkit.text.jieba_tokenizer` with the variants as ``words`` (a private
    ``jieba.Tokenizer``; the global jieba dictionary is never changed), built on first use. A variant with
    a sense rule becomes the canonical term of its first row whose rule holds in the characters around it
    (:func:`pick_sense`), or stays a plain word.
    """

    def __init__(self, phrases: pd.DataFrame):
        senses: dict[str, list[Sense]] = {}
        for variant, _, sense in _senses(phrases):
            senses.setdefault(variant, []).append(sense)
        self.senses = {variant: tuple(rows) for variant, rows in senses.items()}
        self.canonicals = frozenset(sense.canonical for rows in senses.values() for sense in rows)
        self._tokenizer = None

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            self._tokenizer = jieba_tokenizer(tuple(self.senses))
        return self._tokenizer

    def canonical(self, word: str, folded: str, start: int) -> str | None:
        """The canonical term of the jieba word at ``folded[start:]`` (its sense rule checked), or None."""
        senses = self.senses.get(word)
        if senses is None:
            return None
        return pick_sense(senses, lambda window: folded[max(0, start - window):start + len(word) + window])

    def tokens(self, text: str, *, lowercase: bool, breaks: bool = False) -> list[str]:
        """jieba tokens with phrase variants made canonical; punctuation dropped (``''`` with ``breaks=True``)."""
        folded = fold(text)
        pieces = self.tokenizer.lcut(folded)
        starts = accumulate(map(len, pieces), initial=0)
        out = [(self.canonical(p, folded, start) or p) if is_word(p) else ""
               for p, start in zip(map(str.strip, pieces), starts) if p or breaks]
        out = [t if t in self.canonicals or not lowercase else t.lower() for t in out]
        return out if breaks else list(filter(None, out))

    def token_spans(self, text: str) -> list[tuple[str, int, int, str | None]]:
        """``(token, start, end, listed variant or None)`` for every jieba token of ``text``."""
        folded = fold(text)
        out = []
        for word, start, end in self.tokenizer.tokenize(folded):
            if word.strip() and is_word(word):
                canonical = self.canonical(word, folded, start)
                out.append((canonical or word.lower(), start, end, None if canonical is None else word))
        return out

    def __getstate__(self):
        return {**self.__dict__, "_tokenizer": None}


# ----------------------------------------------------------------------------------------- analyzer
class TermAnalyzer:
    """Callable text -> terms, usable as ``CountVectorizer(analyzer=...)``.

    ``analyzer.tokens(text)`` gives every token (stop words kept), ``analyzer(text)`` the terms counted
    in the document-term matrix (stop words dropped). Phrase terms are never stemmed, and are stop words
    only if a user's stop list names their canonical form. The options are those of :func:`tokenize`;
    ``func`` names the calling public function in error messages.
    """

    def __init__(self, *, lang="auto", phrases="default", stop_words="default", lowercase=True, stem=None,
                 func="count_terms"):
        require_choice(lang, LANGS, func=func, arg="lang")
        if stem is not None and not callable(stem):
            require_choice(stem, STEMMERS, func=func, arg="stem")
        self.lang, self.lowercase, self.stem = lang, lowercase, stem
        self.phrases = load_phrases(phrases, func=func)
        self.stop = stop_words_by_lang(stop_words, func=func)
        self.matchers = {"en": EnglishMatcher(self.phrases[self.phrases["lang"] != "zh"]),
                         "zh": ChineseMatcher(self.phrases[self.phrases["lang"] == "zh"])}
        self.canonicals = self.matchers["en"].canonicals | self.matchers["zh"].canonicals
        self._stemmer = _make_stemmer(stem)
        self._stem_cache: dict[str, str] = {}

    def language(self, text: str) -> str:
        """``"en"`` or ``"zh"``: the analyzer's ``lang``, or the text's own with ``lang="auto"``."""
        return detect_lang(text) if self.lang == "auto" else self.lang

    def ascii_english(self, texts: list) -> np.ndarray:
        """Per text, whether it is ASCII and read as English (such texts are tokenized a block at a time:
        :mod:`toolkit.terms.ascii_tokens`); :func:`~toolkit.text.detect_lang` reads every ASCII text as English."""
        if self.lang == "zh":
            return np.zeros(len(texts), dtype=bool)
        return np.fromiter((isinstance(text, str) and text.isascii() for text in texts), bool, len(texts))

    def analyze(self, text, *, breaks: bool = False) -> tuple[list[str], str]:
        """``(tokens, lang)``: every token of ``text`` before stop words and stemming, and its language.

        ``breaks=True`` keeps ``''`` where punctuation was (boundaries for n-grams).
        """
        text = text if isinstance(text, str) else ""
        lang = self.language(text)
        return self.matchers[lang].tokens(text, lowercase=self.lowercase, breaks=breaks), lang

    def terms_and_tokens(self, text) -> tuple[list[str], list[str]]:
        """``(terms, tokens)``: terms for the matrix (no stop words), every token (for n-grams, word counts)."""
        tokens, lang = self.analyze(text)
        terms = self._without_stop_words(tokens, lang)
        return self.stemmed(terms), self.stemmed(tokens)

    def kept(self, tokens: list[str], lang: str) -> list[bool]:
        """Per token, whether it is no stop word (case-insensitive for words when ``lowercase=False``)."""
        stop = self.stop[lang]
        if self.lowercase:
            return [t not in stop for t in tokens]
        return [t in self.canonicals or t.lower() not in stop for t in tokens]

    def _without_stop_words(self, tokens: list[str], lang: str) -> list[str]:
        stop = self.stop[lang]
        if not stop:
            return tokens
        if self.lowercase:
            return list(filterfalse(stop.__contains__, tokens))
        return list(compress(tokens, self.kept(tokens, lang)))

    def tokens(self, text) -> list[str]:
        """Every token of ``text`` (stop words kept, stemmed if asked)."""
        return self.terms_and_tokens(text)[1]

    def __call__(self, text) -> list[str]:
        return self.terms_and_tokens(text)[0]

    def stemmed(self, tokens: list[str]) -> list[str]:
        """``tokens`` through the stemmer (phrases untouched); unchanged without one."""
        if self._stemmer is None:
            return tokens
        cache, keep = self._stem_cache, self.canonicals
        for token in set(tokens).difference(cache):
            cache[token] = token if token in keep else self._stemmer(token)
        return [cache[t] for t in tokens]


def _make_stemmer(stem) -> Callable[[str], str] | None:
    if stem is None:
        return None
    if callable(stem):
        return stem
    from nltk.stem import PorterStemmer, SnowballStemmer

    return PorterStemmer().stem if stem == "porter" else SnowballStemmer("english").stem


# ----------------------------------------------------------------------------------------- tokenize
def tokenize(frame: pd.DataFrame, *, lang: Literal["auto", "en", "zh"] = "auto", phrases="default",
             lowercase: bool = True, stop_words=None, stem: Literal["porter", "snowball"] | Callable | None = None
             ) -> pd.DataFrame:
    """One row per token of every text in ``frame`` (briefings, turns or sentences).

    Parameters
    ----------
    frame : DataFrame
        Needs ``doc_id`` and ``text``; ``turn_id`` / ``sent_id`` are carried along when present.
    lang : {"auto", "en", "zh"}
        ``"auto"`` decides per text (:func:`toolkit.text.detect_lang`: CJK ideographs are at least 20 %
        of the letters -> Chinese/jieba).
    phrases : "default", path, DataFrame, list, dict or None
        Multiword expressions turned into single canonical tokens (see :func:`load_phrases`).
    lowercase : bool
        Lowercase words (phrase terms keep the spelling of their canonical form).
    stop_words : None, "default", path, DataFrame or list
        Default ``None`` keeps every token; ``"default"`` drops the packaged stop words. Positions are
        counted before stop words are dropped, so the gaps stay visible.
    stem : {"porter", "snowball"}, callable or None
        NLTK stemmer applied to words (not to phrases).

    Returns
    -------
    DataFrame
        ``doc_id, [turn_id, sent_id], position, token, is_phrase`` - position is 0-based within the row.

    Examples
    --------
    >>> tokenize(turns).query("is_phrase")["token"].value_counts()     # doctest: +SKIP
    """
    func = "tokenize"
    require_columns(frame, ["doc_id", "text"], func=func)
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=stop_words, lowercase=lowercase, stem=stem,
                            func=func)
    out_tokens, out_pos, out_row = [], [], []
    for i, text in enumerate(frame["text"].to_numpy()):
        tokens, lang = analyzer.analyze(text)
        positions = [j for j, keep in enumerate(analyzer.kept(tokens, lang)) if keep]
        out_tokens += analyzer.stemmed([tokens[j] for j in positions])
        out_pos += positions
        out_row += [i] * len(positions)
    table = frame[UNIT_KEYS[frame_unit(frame)]].iloc[np.asarray(out_row, dtype=np.int64)].reset_index(drop=True)
    return table.assign(position=np.asarray(out_pos, dtype=np.int64), token=out_tokens,
                        is_phrase=np.fromiter((t in analyzer.canonicals for t in out_tokens), bool,
                                              len(out_tokens)))
