"""Tokens, multiword phrases, stop words and the document-term matrix (English and Chinese).

One analyzer turns a text into terms:

1. English: one regular expression finds words (hyphenated words stay whole: ``"china-dprk"``; possessive
   ``'s`` dropped) and punctuation; a multiword-expression matcher (like NLTK's ``MWETokenizer``, but
   case- and hyphen-tolerant, longest variant first, never across punctuation) turns every listed
   phrase variant into its canonical term (``"Mil-to-mil relationship"`` -> ``"mil-to-mil relations"``).
   Chinese: jieba (a private ``jieba.Tokenizer``) with every phrase variant added to its dictionary,
   then variants -> canonical.
2. Words are lowercased (``lowercase=True``); canonical phrase terms keep the spelling of the phrase
   list, so ``"US"`` (the country) never merges with the pronoun ``"us"``.
3. Stop words are dropped (phrases never are); an optional stemmer applies to words only.

``lang="auto"`` decides per text from the share of CJK characters among its letters.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, count, filterfalse
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from ._checks import ToolkitError, require_choice, require_columns
from .datafiles import read_data_table
from .text import detect_lang
from .provenance import provenance

LANGS = ("auto", "en", "zh")
UNITS = ("doc", "turn", "sentence")
UNIT_KEYS = {"doc": ["doc_id"], "turn": ["doc_id", "turn_id"], "sentence": ["doc_id", "turn_id", "sent_id"]}
SEP = "\x1f"          # joins tokens in the stored token text (never inside a token)
ROW_BREAK = "\x1e"    # between merged rows, so an n-gram never spans two turns

_CHAR_FOLD = {"\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2019": "'", "\u2018": "'", "\u00a0": " ",
              "\u3000": " "}


def _fold(text: str) -> str:
    """Unicode hyphens and apostrophes to ASCII, no-break spaces to spaces (same length)."""
    for char, ascii_char in _CHAR_FOLD.items():
        if char in text:
            text = text.replace(char, ascii_char)
    return text


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LETTER = re.compile(r"[^\W\d_]")
_HAS_WORD_CHAR = re.compile(r"\w")


# ----------------------------------------------------------------------------------------- lexicons
def load_phrases(phrases="default", *, func: str = "load_phrases") -> pd.DataFrame:
    """Read a phrase list: the packaged ``toolkit/data/phrases.csv``, a CSV path, a DataFrame or strings.

    Parameters
    ----------
    phrases : "default", str/Path, DataFrame, iterable of str, dict or None
        ``"default"``: the packaged list. A path or DataFrame with columns ``canonical, variant``
        (optional ``lang`` "en"/"zh", ``case`` "any"/"exact", ``note``). An iterable of strings: each
        string is its own canonical form. A dict: ``{variant: canonical}``. ``None``: no phrases.

    Returns
    -------
    DataFrame
        ``canonical, variant, lang, case, note``; each canonical form is also one of its variants.
    """
    if phrases is None:
        return pd.DataFrame(columns=["canonical", "variant", "lang", "case", "note"])
    if isinstance(phrases, (str, Path, pd.DataFrame)):
        table = read_data_table(phrases, default="phrases.csv", columns=["canonical", "variant"], func=func,
                                arg="phrases")
    elif isinstance(phrases, dict):
        table = pd.DataFrame({"variant": list(phrases), "canonical": list(phrases.values())})
    elif isinstance(phrases, Iterable):
        items = [str(p) for p in phrases]
        table = pd.DataFrame({"variant": items, "canonical": items})
    else:
        raise ToolkitError(f"{func}(): phrases must be 'default', a CSV path, a DataFrame, a list of strings, "
                           f"a dict or None; got {type(phrases).__name__}.")
    require_columns(table, ["canonical", "variant"], func=func, arg="phrases")
    table = table.assign(
        canonical=table["canonical"].astype(str).str.strip(),
        variant=table["variant"].astype(str).str.strip(),
        lang=table["lang"] if "lang" in table else [detect_lang(v) for v in table["variant"].astype(str)],
        case=table.get("case", "any"),
        note=table.get("note", ""),
    )
    bad = table.loc[~table["case"].isin(["any", "exact"]), "case"]
    if len(bad):
        raise ToolkitError(f"{func}(): phrases column 'case' must be 'any' or 'exact', found {bad.iloc[0]!r}.")
    own = table[["canonical", "lang"]].drop_duplicates().assign(variant=lambda t: t["canonical"], case="any",
                                                                note="")
    table = pd.concat([table, own[~own.set_index(["canonical", "variant"]).index.isin(
        table.set_index(["canonical", "variant"]).index)]], ignore_index=True)
    table = table[table["variant"] != ""]
    return table[["canonical", "variant", "lang", "case", "note"]].reset_index(drop=True)


def load_stop_words(stop_words="default", *, lang: str = "en", func: str = "load_stop_words") -> frozenset:
    """Stop words for ``lang``: the packaged ``toolkit/data/stopwords.csv``, a CSV path, a DataFrame or a list.

    A CSV/DataFrame needs a ``word`` column (and optionally ``lang``, filtered to ``lang``); a list of
    strings is used as given for every language; ``None`` means no stop words.
    """
    if stop_words is None:
        return frozenset()
    if isinstance(stop_words, str) and stop_words == "default":
        table = _packaged_stop_words()
    elif isinstance(stop_words, (str, Path, pd.DataFrame)):
        table = read_data_table(stop_words, default="stopwords.csv", columns=["word"], func=func, arg="stop_words")
    elif isinstance(stop_words, Iterable):
        return frozenset(str(w) for w in stop_words)
    else:
        raise ToolkitError(f"{func}(): stop_words must be 'default', a CSV path, a DataFrame, a list or None.")
    require_columns(table, ["word"], func=func, arg="stop_words")
    if "lang" in table:
        table = table[table["lang"] == lang]
    return frozenset(table["word"].astype(str))


@lru_cache(maxsize=1)
def _packaged_stop_words() -> pd.DataFrame:
    return read_data_table("default", default="stopwords.csv", columns=["word"], func="load_stop_words",
                           arg="stop_words")


# ----------------------------------------------------------------------------------------- English
# a word (possessive 's dropped, hyphenated words whole), or '' for a punctuation mark (a phrase breaker)
TOKEN_PATTERN = re.compile(r"(\w+(?:-\w+)*(?:'(?!s\b)\w+)?)(?:'s\b)?|[^\w\s]")


def _english_pieces(text: str) -> list[str]:
    """Words of ``text`` in their original case and ``''`` for each punctuation mark (after :func:`_fold`)."""
    return TOKEN_PATTERN.findall(_fold(text))


def _lower_all(pieces: list[str]) -> list[str]:
    return SEP.join(pieces).lower().split(SEP) if pieces else []


def _parts(pieces: list[str]) -> tuple[str, ...]:
    """Hyphen-split parts: ``["mil-to-mil", "ties"]`` -> ``("mil", "to", "mil", "ties")``."""
    return tuple(part for piece in pieces for part in piece.split("-"))


class EnglishMatcher:
    """Words and listed phrases of English text (an MWE matcher over hyphen-split, case-folded parts).

    A variant matches when its words follow each other separated only by spaces or hyphens
    ("Mil-to-mil relationship", "mil to mil relations"); punctuation breaks a phrase unless the variant
    has it ("U.S."). Variants with ``case == "exact"`` ("US", "WHO") match only as written. The longest
    variant starting at a word wins. Phrases start and end at word boundaries ("Taiwan Straits-related"
    is no "Taiwan Strait").
    """

    def __init__(self, phrases: pd.DataFrame):
        self.exact: dict[tuple, str] = {}
        self.loose: dict[tuple, str] = {}
        self.variant_of: dict[tuple, str] = {}      # match key -> variant as listed (for KWIC)
        for variant, canonical, case in zip(phrases["variant"], phrases["canonical"], phrases["case"]):
            pieces = _english_pieces(variant)
            key = _parts(pieces) if case == "exact" else _parts(_lower_all(pieces))
            if not key or not key[0]:
                continue
            (self.exact if case == "exact" else self.loose)[key] = canonical
            self.variant_of[key] = variant
        keys = [tuple(part.lower() for part in key) for key in list(self.exact) + list(self.loose)]
        self.prefixes = {key[:j] for key in keys for j in range(1, len(key) + 1)}
        self.starts = {"-".join(key[:j]) for key in keys for j in range(1, len(key) + 1)}
        self.canonicals = frozenset(self.exact.values()) | frozenset(self.loose.values())

    def _match(self, pieces: list[str], lowered: list[str], i: int) -> tuple[str, int] | None:
        """Longest variant starting at piece ``i``: ``(canonical, index after the match)`` or None."""
        parts, low_parts, best = [], [], None
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
            canonical = self.exact.get(tuple(parts)) or self.loose.get(key)
            if canonical is not None:
                best = (canonical, j + 1)
        return best

    def matches(self, pieces: list[str], lowered: list[str]) -> list[tuple[int, int, str]]:
        """Non-overlapping phrase matches ``(first piece, piece after, canonical)``, left to right."""
        found, after = [], 0
        starts = self.starts
        for i in compress(range(len(lowered)), map(starts.__contains__, lowered)):
            if i < after:
                continue
            match = self._match(pieces, lowered, i)
            if match is not None:
                found.append((i, match[1], match[0]))
                after = match[1]
        return found

    def token_spans(self, text: str) -> list[tuple[str, int, int, str | None]]:
        """``(token, start, end, listed variant or None)`` for every token (lowercased words) of ``text``."""
        found = list(TOKEN_PATTERN.finditer(_fold(text)))
        pieces = [m.group(1) or "" for m in found]
        lowered = _lower_all(pieces)
        spans = [(low, m.start(), m.end(1) if low else m.end(), None) for low, m in zip(lowered, found)]
        out, previous = [], 0
        for start, after, canonical in self.matches(pieces, lowered):
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
        pieces = _english_pieces(text)
        lowered = _lower_all(pieces)
        words = lowered if lowercase else pieces
        found = self.matches(pieces, lowered)
        if not found:
            return keep(words)
        out, previous = [], 0
        for start, after, canonical in found:
            out += words[previous:start]
            out.append(canonical)
            previous = after
        out += words[previous:]
        return keep(out)


# ----------------------------------------------------------------------------------------- Chinese
class ChineseMatcher:
    """jieba segmentation (private tokenizer) with the phrase variants added to its dictionary."""

    def __init__(self, phrases: pd.DataFrame):
        self.map = dict(zip(phrases["variant"], phrases["canonical"]))
        self.canonicals = frozenset(self.map.values())
        self._tokenizer = None

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            for variant in sorted(self.map, key=len):
                if _CJK.search(variant):
                    tokenizer.add_word(variant, freq=max(tokenizer.suggest_freq(variant), 1000))
            self._tokenizer = tokenizer
        return self._tokenizer

    def tokens(self, text: str, *, lowercase: bool, breaks: bool = False) -> list[str]:
        """jieba tokens with phrase variants made canonical; punctuation dropped (``''`` with ``breaks=True``)."""
        pieces = [p.strip() for p in self.tokenizer.lcut(_fold(text))]
        out = [self.map.get(p, p) if _HAS_WORD_CHAR.search(p) else "" for p in pieces if p or breaks]
        out = [t if t in self.canonicals or not lowercase else t.lower() for t in out]
        return out if breaks else list(filter(None, out))

    def token_spans(self, text: str) -> list[tuple[str, int, int, str | None]]:
        """``(token, start, end, listed variant or None)`` for every jieba token of ``text``."""
        spans = self.tokenizer.tokenize(_fold(text))
        return [(self.map.get(w, w.lower()), start, end, w if w in self.map else None)
                for w, start, end in spans if w.strip() and _HAS_WORD_CHAR.search(w)]

    def __getstate__(self):
        return {**self.__dict__, "_tokenizer": None}


# ----------------------------------------------------------------------------------------- analyzer
_STEMMERS = ("porter", "snowball")


class TermAnalyzer:
    """Callable text -> terms, usable as ``CountVectorizer(analyzer=...)``.

    ``analyzer.tokens(text)`` gives every token (stop words kept), ``analyzer(text)`` the terms counted
    in the document-term matrix (stop words dropped). Phrase terms are never stemmed, and are stop words
    only if a user's stop list names their canonical form.
    """

    def __init__(self, *, lang="auto", phrases="default", stop_words="default", lowercase=True, stem=None,
                 func="count_terms"):
        require_choice(lang, LANGS, func=func, arg="lang")
        if stem is not None and not callable(stem):
            require_choice(stem, _STEMMERS, func=func, arg="stem")
        self.lang, self.lowercase, self.stem = lang, lowercase, stem
        self.phrases = load_phrases(phrases, func=func)
        self.stop = {lg: load_stop_words(stop_words, lang=lg, func=func) for lg in ("en", "zh")}
        self.matchers = {"en": EnglishMatcher(self.phrases[self.phrases["lang"] != "zh"]),
                         "zh": ChineseMatcher(self.phrases[self.phrases["lang"] == "zh"])}
        self.canonicals = self.matchers["en"].canonicals | self.matchers["zh"].canonicals
        self._stemmer = _make_stemmer(stem)
        self._stem_cache: dict[str, str] = {}

    def language(self, text: str) -> str:
        return detect_lang(text) if self.lang == "auto" else self.lang

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


# ----------------------------------------------------------------------------------------- units
def _frame_unit(frame: pd.DataFrame) -> str:
    if "sent_id" in frame.columns:
        return "sentence"
    return "turn" if "turn_id" in frame.columns else "doc"


def _at_unit(frame: pd.DataFrame, unit: str, *, func: str) -> pd.DataFrame:
    """``frame`` split down to ``unit`` if it is coarser (via toolkit.split_turns / split_sentences)."""
    import toolkit

    have = _frame_unit(frame)
    if UNITS.index(have) >= UNITS.index(unit):
        return frame
    if have == "doc":
        if not hasattr(toolkit, "split_turns"):
            raise ToolkitError(f"{func}(): unit={unit!r} needs turns but toolkit.split_turns is not available; "
                               "pass a turns table or use unit='doc'.")
        frame = toolkit.split_turns(frame)
    if unit == "sentence" and "sent_id" not in frame.columns:
        if not hasattr(toolkit, "split_sentences"):
            raise ToolkitError(f"{func}(): unit='sentence' needs toolkit.split_sentences, which is not available; "
                               "pass a sentences table or use unit='turn'.")
        frame = toolkit.split_sentences(frame)
    return frame


def _check_frame(frame, func: str) -> None:
    require_columns(frame, ["doc_id", "text"], func=func)


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
        ``"auto"`` decides per text (share of CJK characters among letters > 0.3 -> Chinese/jieba).
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
    _check_frame(frame, func)
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=stop_words, lowercase=lowercase, stem=stem,
                            func=func)
    keys = [c for c in UNIT_KEYS[_frame_unit(frame)]]
    out_tokens, out_pos, out_row = [], [], []
    for i, text in enumerate(frame["text"].to_numpy()):
        tokens, lang = analyzer.analyze(text)
        positions = [j for j, keep in enumerate(analyzer.kept(tokens, lang)) if keep]
        out_tokens += analyzer.stemmed([tokens[j] for j in positions])
        out_pos += positions
        out_row += [i] * len(positions)
    table = frame[keys].iloc[np.asarray(out_row, dtype=np.int64)].reset_index(drop=True)
    return table.assign(position=np.asarray(out_pos, dtype=np.int64), token=out_tokens,
                        is_phrase=np.fromiter((t in analyzer.canonicals for t in out_tokens), bool,
                                              len(out_tokens)))


# ----------------------------------------------------------------------------------------- matrix
@dataclass
class TermMatrix:
    """Document-term counts with their vocabulary and row metadata kept together.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        Rows x terms, integer counts.
    terms : numpy.ndarray
        Term strings (sorted); a phrase is one term (``"mil-to-mil relations"``).
    rows : DataFrame
        Row metadata aligned with ``matrix`` rows: every input column except ``text``, plus ``n_tokens``
        (tokens of the row, stop words included, a phrase counting once: the base of every rate). When
        finer rows are summed into a coarser ``unit``, columns that vary inside a unit (``role``) are left out.
    vectorizer : CountVectorizer
        Fitted with this vocabulary and a :class:`TermAnalyzer`: ``vectorizer.transform(texts)`` counts new
        texts the same way.
    unit : {"doc", "turn", "sentence"}
    token_text : numpy.ndarray
        Per row, every token (stop words kept) joined by ``\\x1f``: word-sequence queries count here.
    provenance : dict
        Corpus hash, versions and the options used (phrase and stop lists as content hashes).
    """

    matrix: sp.csr_matrix
    terms: np.ndarray
    rows: pd.DataFrame
    vectorizer: CountVectorizer
    unit: str = "doc"
    token_text: np.ndarray = field(default=None, repr=False)
    _index: dict = field(default=None, repr=False)
    _csc: sp.csc_matrix = field(default=None, repr=False)
    provenance: dict = field(default_factory=dict, repr=False)
    cache: dict = field(default_factory=dict, repr=False)      # per-query helpers (period codes), private

    @property
    def analyzer(self) -> TermAnalyzer:
        return self.vectorizer.analyzer

    @property
    def vocabulary(self) -> dict:
        if self._index is None:
            self._index = {t: i for i, t in enumerate(self.terms)}
        return self._index

    @property
    def csc(self) -> sp.csc_matrix:
        if self._csc is None:
            self._csc = self.matrix.tocsc()
        return self._csc

    def to_frame(self) -> pd.DataFrame:
        """Long table of the non-zero counts: ``doc_id, [turn_id, sent_id], term, n``."""
        coo = self.matrix.tocoo()
        keys = [c for c in UNIT_KEYS[self.unit] if c in self.rows.columns]
        table = self.rows[keys].iloc[coo.row].reset_index(drop=True)
        return table.assign(term=self.terms[coo.col], n=coo.data.astype(np.int64))

    def select(self, mask) -> TermMatrix:
        """The rows where ``mask`` (boolean array aligned with ``rows``) is true, same vocabulary."""
        mask = np.asarray(mask, dtype=bool)
        tokens = None if self.token_text is None else self.token_text[mask]
        return TermMatrix(self.matrix[mask], self.terms, self.rows[mask].reset_index(drop=True), self.vectorizer,
                          self.unit, tokens, provenance={**self.provenance, "selected_rows": int(mask.sum())})


def count_terms(frame: pd.DataFrame, *, unit: Literal["doc", "turn", "sentence"] = "doc",
                lang: Literal["auto", "en", "zh"] = "auto", phrases="default", stop_words="default",
                lowercase: bool = True, stem: Literal["porter", "snowball"] | Callable | None = None,
                min_df: float = 1, max_df: float = 1.0) -> TermMatrix:
    """Count terms (words and phrases) per document, turn or sentence into a sparse matrix.

    Parameters
    ----------
    frame : DataFrame
        Briefings, turns or sentences (``doc_id``, ``text``; ``turn_id``/``sent_id`` if finer). A table
        coarser than ``unit`` is split with toolkit.split_turns/split_sentences; a finer one is summed up.
    unit : {"doc", "turn", "sentence"}
        One matrix row per unit.
    lang, phrases, lowercase, stem
        As in :func:`tokenize`.
    stop_words : "default", None, path, DataFrame or list
        Terms left out of the matrix (the packaged lists by default). They still count in ``n_tokens``.
    min_df, max_df : int or float
        Keep terms in at least ``min_df`` / at most ``max_df`` rows (a float is a share of rows), as in
        scikit-learn.

    Returns
    -------
    TermMatrix
        ``matrix``, ``terms``, ``rows`` (metadata + ``n_tokens``), ``vectorizer``; ``to_frame()`` gives
        ``doc_id, [turn_id, sent_id], term, n``.

    Examples
    --------
    >>> tm = count_terms(briefings)                                      # doctest: +SKIP
    >>> tm.matrix[:, tm.vocabulary["mil-to-mil relations"]].sum()        # doctest: +SKIP
    """
    func = "count_terms"
    require_choice(unit, UNITS, func=func, arg="unit")
    _check_frame(frame, func)
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=stop_words, lowercase=lowercase, stem=stem,
                            func=func)
    source = _at_unit(frame, unit, func=func)
    matrix, terms, n_tokens, token_text = _count(analyzer, source["text"].to_numpy())
    rows = source.drop(columns=["text"]).reset_index(drop=True).assign(n_tokens=n_tokens)
    if _frame_unit(source) != unit:
        matrix, rows, token_text = _merge_rows(matrix, rows, token_text, UNIT_KEYS[unit])
    matrix, terms = _prune(matrix, terms, min_df=min_df, max_df=max_df, func=func)
    if not len(terms):
        raise ToolkitError(f"{func}(): no term left (empty texts, or all removed by stop_words/min_df/max_df); "
                           "check the 'text' column or relax min_df/max_df.")
    vectorizer = CountVectorizer(analyzer=analyzer, lowercase=False, vocabulary={t: i for i, t in enumerate(terms)})
    vectorizer.fit([])
    record = provenance(frame, unit=unit, lang=lang, lowercase=lowercase, stem=stem if not callable(stem) else
                        getattr(stem, "__name__", "callable"), min_df=min_df, max_df=max_df,
                        phrases=_content_hash(analyzer.phrases),
                        stop_words={lg: _content_hash(pd.Series(sorted(words))) for lg, words in analyzer.stop.items()})
    return TermMatrix(matrix, terms, rows, vectorizer, unit, token_text, provenance=record)


def _content_hash(table) -> str:
    """Short hash of a phrase or stop-word list's content (recorded in provenance)."""
    return format(int(pd.util.hash_pandas_object(table, index=False).sum()) & (2 ** 64 - 1), "016x")


def _count(analyzer: TermAnalyzer, texts) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    vocab: defaultdict[str, int] = defaultdict(count().__next__)      # term -> column, numbered on first sight
    indices: list[int] = []
    indptr = [0]
    n_tokens = np.zeros(len(texts), dtype=np.int64)
    token_text = np.empty(len(texts), dtype=object)
    for i, text in enumerate(texts):
        terms, tokens = analyzer.terms_and_tokens(text)
        indices += map(vocab.__getitem__, terms)
        indptr.append(len(indices))
        n_tokens[i] = len(tokens)
        token_text[i] = SEP + SEP.join(tokens) + SEP
    names = np.array(list(vocab), dtype=object)
    order = np.argsort(names, kind="stable")
    remap = np.empty(len(order), dtype=np.int64)
    remap[order] = np.arange(len(order))
    data = np.ones(len(indices), dtype=np.int64)
    matrix = sp.csr_matrix((data, remap[np.asarray(indices, dtype=np.int64)] if indices else np.array([], int),
                            np.asarray(indptr)), shape=(len(texts), len(vocab)))
    matrix.sum_duplicates()
    return matrix, names[order], n_tokens, token_text


def _merge_rows(matrix, rows: pd.DataFrame, token_text, keys: list[str]):
    """Sum matrix rows (and join token texts) that share ``keys``; keep columns constant within a group."""
    codes, uniques = pd.MultiIndex.from_frame(rows[keys]).factorize()
    indicator = sp.csr_matrix((np.ones(len(codes), dtype=np.int64), (codes, np.arange(len(codes)))),
                              shape=(len(uniques), len(codes)))
    grouped = rows.groupby(codes, sort=False)
    constant = [c for c in rows.columns if c not in keys and c != "n_tokens"
                and (grouped[c].nunique(dropna=False) <= 1).all()]
    merged = grouped[keys + constant].first().reset_index(drop=True)
    merged["n_tokens"] = grouped["n_tokens"].sum().to_numpy()
    texts = pd.Series(token_text).groupby(codes, sort=False).agg(ROW_BREAK.join).to_numpy()
    return (indicator @ matrix).tocsr(), merged, texts


def _prune(matrix, terms, *, min_df, max_df, func):
    n_rows = matrix.shape[0]
    low = min_df if isinstance(min_df, (int, np.integer)) else np.ceil(min_df * n_rows)
    high = max_df if isinstance(max_df, (int, np.integer)) else np.floor(max_df * n_rows)
    if low > max(high, 0) and n_rows:
        raise ToolkitError(f"{func}(): min_df={min_df} keeps fewer rows than max_df={max_df}; lower min_df or "
                           "raise max_df.")
    df = np.bincount(matrix.indices, minlength=matrix.shape[1])
    keep = (df >= low) & (df <= high)
    if keep.all():
        return matrix, terms
    return matrix[:, np.flatnonzero(keep)].tocsr(), terms[keep]


# ----------------------------------------------------------------------------------------- suggestions
def suggest_phrases(frame: pd.DataFrame, *, lang: Literal["auto", "en", "zh"] = "auto", phrases="default",
                    stop_words="default", min_count: int = 5, max_words: Literal[2, 3] = 3, n: int = 100
                    ) -> pd.DataFrame:
    """Candidate multiword expressions from the corpus, ranked by log-likelihood, for a researcher to review.

    Bigrams of two non-stop words, and (``max_words=3``) trigrams whose first and last words are not stop
    words ("freedom of navigation"). Listed phrases are already single tokens, so they never come back.
    Association: Dunning's log-likelihood ratio (G2) on the 2x2 table of the first word(s) vs the last
    word; a trigram scores the smaller G2 of its two splits ((w1, w2 w3) and (w1 w2, w3)), so both halves
    must attract each other. n-grams never cross a row (turn, sentence) boundary.

    Returns
    -------
    DataFrame
        ``phrase, n_words, n, n_docs, llr, pmi`` sorted by ``llr`` (top ``n``), ``pmi`` in bits.
    """
    func = "suggest_phrases"
    _check_frame(frame, func)
    require_choice(max_words, (2, 3), func=func, arg="max_words")
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=None, lowercase=True, func=func)
    stop = {lg: load_stop_words(stop_words, lang=lg, func=func) for lg in ("en", "zh")}
    unigrams, bigrams, trigrams = Counter(), Counter(), Counter()
    docs: dict[tuple, set] = {}
    joiners = {}
    for doc_id, text in zip(frame["doc_id"].to_numpy(), frame["text"].to_numpy()):
        tokens, lg = analyzer.analyze(text, breaks=True)        # '' at punctuation: n-grams stop there
        content = [bool(t) and t not in analyzer.canonicals and t not in stop[lg] and _LETTER.search(t) is not None
                   for t in tokens]
        unigrams.update(filter(None, tokens))
        for i in range(len(tokens) - 1):
            pair = (tokens[i], tokens[i + 1])
            if not (pair[0] and pair[1]):
                continue
            bigrams[pair] += 1
            if content[i] and content[i + 1]:
                docs.setdefault(pair, set()).add(doc_id)
                joiners[pair] = lg
            if max_words == 3 and i + 2 < len(tokens) and content[i] and content[i + 2] \
                    and tokens[i + 1] not in analyzer.canonicals:
                triple = pair + (tokens[i + 2],)
                trigrams[triple] += 1
                docs.setdefault(triple, set()).add(doc_id)
                joiners[triple] = lg
    total = sum(unigrams.values())
    candidates = [g for g in docs if (bigrams[g] if len(g) == 2 else trigrams[g]) >= min_count]
    if not candidates:
        return pd.DataFrame(columns=["phrase", "n_words", "n", "n_docs", "llr", "pmi"])
    records = []
    for gram in candidates:
        if len(gram) == 2:
            n_ii, splits = bigrams[gram], [(unigrams[gram[0]], unigrams[gram[1]])]
        else:
            n_ii = trigrams[gram]
            splits = [(unigrams[gram[0]], bigrams[gram[1:]]), (bigrams[gram[:2]], unigrams[gram[2]])]
        llr = min(float(association(n_ii, a, b, total)["llr"]) for a, b in splits)
        pmi = min(float(association(n_ii, a, b, total)["pmi"]) for a, b in splits)
        joiner = "" if joiners[gram] == "zh" else " "
        records.append((joiner.join(gram), len(gram), n_ii, len(docs[gram]), llr, pmi))
    table = pd.DataFrame(records, columns=["phrase", "n_words", "n", "n_docs", "llr", "pmi"])
    return table.sort_values(["llr", "phrase"], ascending=[False, True]).head(n).reset_index(drop=True)


_SMALL = 1e-20


def association(n_ii, n_ix, n_xi, n_xx) -> dict:
    """Association measures of a pair from its 2x2 contingency counts (NLTK's formulas, vectorised).

    ``n_ii`` joint count, ``n_ix`` count of the first item, ``n_xi`` of the second, ``n_xx`` total.
    Returns a dict of arrays: ``llr`` (Dunning's G2, natural log), ``pmi`` (log2), ``t`` (Church et al.
    t-score), ``dice``, ``expected``.
    """
    n_ii, n_ix, n_xi, n_xx = (np.asarray(x, dtype=float) for x in (n_ii, n_ix, n_xi, n_xx))
    n_oi, n_io = n_xi - n_ii, n_ix - n_ii
    n_oo = n_xx - n_ii - n_oi - n_io
    observed = (n_ii, n_oi, n_io, n_oo)
    row = (n_ii + n_io, n_oi + n_oo)          # first item present / absent
    col = (n_ii + n_oi, n_io + n_oo)          # second item present / absent
    expected = (row[0] * col[0] / n_xx, row[1] * col[0] / n_xx, row[0] * col[1] / n_xx, row[1] * col[1] / n_xx)
    with np.errstate(divide="ignore", invalid="ignore"):
        llr = 2 * sum(o * np.log(o / (e + _SMALL) + _SMALL) for o, e in zip(observed, expected))
        pmi = np.log2(n_ii * n_xx) - np.log2(n_ix * n_xi)
        t = (n_ii - expected[0]) / np.sqrt(n_ii + _SMALL)
        dice = 2 * n_ii / (n_ix + n_xi)
    return {"llr": llr, "pmi": pmi, "t": t, "dice": dice, "expected": expected[0]}
