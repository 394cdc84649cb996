"""The document-term matrix: :class:`TermMatrix`, :func:`count_terms`, and the helpers every term statistic
uses to read one (a table or a prepared matrix in, period codes per row, documents per term, the
provenance record of a result).

A matrix keeps, per row, every token (stop words included) in ``token_text``, joined by ``SEP`` and with
``ROW_BREAK`` between the finer rows summed into one: word sequences are counted there
(:meth:`TermMatrix.count_sequence`) and windows read there (:meth:`TermMatrix.segments`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._checks import ToolkitError, require_choice, require_columns
from ..periods import add_period, period_range
from ..provenance import jsonable, provenance
from ._units import UNIT_KEYS, UNITS, frame_unit, require_unit
from .tokens import SEP, TermAnalyzer

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import CountVectorizer

ROW_BREAK = "\x1e"    # between merged rows, so an n-gram never spans two turns


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

    def count_sequence(self, tokens: list[str]) -> np.ndarray:
        """Occurrences of the token sequence ``tokens`` in every row (stop words count; rows never joined)."""
        needle = re.compile(re.escape(SEP + SEP.join(tokens)) + f"(?={SEP})")
        return np.fromiter((len(needle.findall(text)) for text in self.token_text), np.int64, len(self.token_text))

    def segments(self) -> list[list[str]]:
        """Token lists (stop words kept) of every input row, the finer rows of a merged row apart."""
        segments = [part.strip(SEP).split(SEP) for text in self.token_text for part in text.split(ROW_BREAK)]
        return [s for s in segments if s != [""]]


def count_terms(frame: pd.DataFrame, *, unit: Literal["doc", "turn", "sentence"] = "doc",
                lang: Literal["auto", "en", "zh"] = "auto", phrases="default", stop_words="default",
                lowercase: bool = True, stem: Literal["porter", "snowball"] | Callable | None = None,
                min_df: float = 1, max_df: float = 1.0) -> TermMatrix:
    """Count terms (words and phrases) per document, turn or sentence into a sparse matrix.

    Parameters
    ----------
    frame : DataFrame
        Briefings, turns or sentences (``doc_id``, ``text``; ``turn_id``/``sent_id`` if finer). A table
        finer than ``unit`` is summed up; a coarser one is an error (call ``toolkit.split_turns`` /
        ``toolkit.split_sentences`` first).
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
    >>> tm = count_terms(toolkit.split_turns(briefings), unit="turn")     # doctest: +SKIP
    >>> tm.matrix[:, tm.vocabulary["mil-to-mil relations"]].sum()        # doctest: +SKIP
    """
    func = "count_terms"
    require_choice(unit, UNITS, func=func, arg="unit")
    require_columns(frame, ["doc_id", "text"], func=func)
    require_unit(frame, unit, func=func)
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=stop_words, lowercase=lowercase, stem=stem,
                            func=func)
    matrix, terms, n_tokens, token_text = _count(analyzer, frame["text"].to_numpy())
    rows = frame.drop(columns=["text"]).reset_index(drop=True).assign(n_tokens=n_tokens)
    if frame_unit(frame) != unit:
        matrix, rows, token_text = _merge_rows(matrix, rows, token_text, UNIT_KEYS[unit])
    matrix, terms = _prune(matrix, terms, min_df=min_df, max_df=max_df, func=func)
    if not len(terms):
        raise ToolkitError(f"{func}(): no term left (empty texts, or all removed by stop_words/min_df/max_df); "
                           "check the 'text' column or relax min_df/max_df.")
    record = provenance(frame, unit=unit, lang=lang, lowercase=lowercase, stem=stem, min_df=min_df, max_df=max_df,
                        phrases=_content_hash(analyzer.phrases),
                        stop_words={lg: _content_hash(pd.Series(sorted(words))) for lg, words in analyzer.stop.items()})
    return TermMatrix(matrix, terms, rows, _vectorizer(analyzer, terms), unit, token_text, provenance=record)


def _vectorizer(analyzer: TermAnalyzer, terms: np.ndarray):
    """A scikit-learn ``CountVectorizer`` fixed to ``terms`` that counts new texts with ``analyzer``."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=analyzer, lowercase=False, vocabulary={t: i for i, t in enumerate(terms)})
    return vectorizer.fit([])


def _content_hash(table) -> str:
    """Short hash of a phrase or stop-word list's content (recorded in provenance)."""
    return format(int(pd.util.hash_pandas_object(table, index=False).sum()) & (2 ** 64 - 1), "016x")


def _count(analyzer: TermAnalyzer, texts) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
    """Matrix (columns in sorted term order), terms, tokens per text and the token text of every text."""
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
    grouped = rows.groupby(codes, sort=False)
    constant = [c for c in rows.columns if c not in keys and c != "n_tokens"
                and (grouped[c].nunique(dropna=False) <= 1).all()]
    merged = grouped[keys + constant].first().reset_index(drop=True)
    merged["n_tokens"] = grouped["n_tokens"].sum().to_numpy()
    texts = pd.Series(token_text).groupby(codes, sort=False).agg(ROW_BREAK.join).to_numpy()
    return group_sum(matrix, codes, len(uniques)), merged, texts


def _prune(matrix, terms, *, min_df, max_df, func):
    """The columns of terms in at least ``min_df`` and at most ``max_df`` rows (scikit-learn's rule)."""
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


# ----------------------------------------------------------------------------------------- reading a matrix
def as_matrix(frame, *, unit: str | None, func: str, lang="auto", phrases="default", stop_words=None) -> TermMatrix:
    """``frame`` itself when it is a :class:`TermMatrix`, else ``count_terms(frame, ...)`` at ``unit``
    (``None``: the table's own unit), counted once per table and options (:mod:`toolkit.terms.memo`).

    A table coarser than ``unit`` raises an error that names ``func`` (see :func:`require_unit`).
    """
    if isinstance(frame, TermMatrix):
        return frame
    from .memo import prepared

    require_columns(frame, ["doc_id", "text"], func=func)
    unit = unit or frame_unit(frame)
    require_unit(frame, unit, func=func)
    return prepared(frame, unit=unit, lang=lang, phrases=phrases, stop_words=stop_words)


def period_codes(tm: TermMatrix, by: str, *, func: str) -> tuple[pd.Index, np.ndarray]:
    """All periods (gaps included) and each row's period position (-1: no date). Cached on the matrix."""
    cache = tm.cache
    if ("period", by) not in cache:
        with_period = add_period(tm.rows, by=by, func=func)["period"]
        periods = period_range(with_period, by=by)
        codes = periods.get_indexer(with_period) if len(periods) else np.full(len(with_period), -1)
        cache[("period", by)] = (periods, np.asarray(codes, dtype=np.int64))
    return cache[("period", by)]


def group_sum(matrix, codes: np.ndarray, n_groups: int) -> sp.csr_matrix:
    """Sum the rows of a sparse ``matrix`` that share a code (``codes[i]``: the group of row i)."""
    indicator = sp.csr_matrix((np.ones(len(codes), dtype=np.int64), (codes, np.arange(len(codes)))),
                              shape=(n_groups, len(codes)))
    return (indicator @ matrix).tocsr()


def docs_with(doc_ids, counts) -> np.ndarray:
    """For each column of ``counts`` (rows x terms), the number of documents with a non-zero count."""
    codes, uniques = pd.factorize(doc_ids)
    present = group_sum((counts > 0).astype(np.int64), codes, len(uniques)) > 0
    return np.asarray(present.sum(axis=0)).ravel()


def with_provenance(table: pd.DataFrame, tm: TermMatrix, func: str, **parameters) -> pd.DataFrame:
    """``table`` with ``attrs["provenance"]``: the matrix's record plus this call's function and options.

    The record is plain JSON data (:func:`toolkit.provenance.jsonable`), so the table survives
    ``json.dumps(table.attrs)`` and ``to_parquet``.
    """
    table.attrs["provenance"] = jsonable({**tm.provenance, "function": func, "options": parameters})
    return table
