"""The document-term matrix: :class:`TermMatrix`, :func:`count_terms`, and the helpers every term statistic
uses to read one (a table or a prepared matrix in, period codes per row, documents per term, the
provenance record of a result).

Each text is tokenized once (in a process pool with ``n_jobs``); its tokens become ``int32`` ids, from which
the sparse counts are built block by block and the :class:`TokenStore` keeps every token (stop words
included) of every row: word sequences are counted there (:meth:`TermMatrix.count_sequence`) and windows
read there (:meth:`TermMatrix.segments`). A coarser unit sums the finer rows and keeps their tokens apart, so
an n-gram never spans two turns.
"""
from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import count, pairwise
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._checks import ToolkitError, require_choice, require_columns
from .._pool import n_workers, ordered_map, task_rows
from ..periods import add_period, period_range
from ..provenance import jsonable, provenance
from ._units import UNIT_KEYS, UNITS, frame_unit, require_unit
from .ascii_tokens import block_tokens
from .tokens import SEP, TermAnalyzer

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import CountVectorizer

ROW_BREAK = "\x1e"    # between merged rows in :attr:`TermMatrix.token_text`
BLOCK_ROWS = 20_000   # rows per block of the sparse matrix and per task of the process pool


def _gather(offsets: np.ndarray, picks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the items of ranges ``picks`` (``offsets[i]:offsets[i + 1]``) one after the other, and the
    offsets of the picked ranges in that new order."""
    starts = offsets[picks]
    lengths = offsets[picks + 1] - starts
    new = np.zeros(len(picks) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new[1:])
    return np.repeat(starts - new[:-1], lengths) + np.arange(new[-1], dtype=np.int64), new


@dataclass
class TokenStore:
    """Every token of every row, stop words kept, as ``int32`` ids into a sorted vocabulary.

    Attributes
    ----------
    ids : numpy.ndarray
        ``int32`` token ids, all segments one after the other.
    vocab : numpy.ndarray
        Token strings (sorted); ``vocab[ids]`` gives the tokens back.
    segments : numpy.ndarray
        ``int64`` offsets into ``ids``: segment ``s`` (one input row) is ``ids[segments[s]:segments[s + 1]]``.
    rows : numpy.ndarray
        ``int64`` offsets into ``segments``: matrix row ``r`` holds segments ``rows[r]`` to ``rows[r + 1]``.
    """

    ids: np.ndarray
    vocab: np.ndarray
    segments: np.ndarray
    rows: np.ndarray
    _index: dict = field(default=None, repr=False)

    @property
    def index(self) -> dict:
        if self._index is None:
            self._index = {t: i for i, t in enumerate(self.vocab)}
        return self._index

    def take(self, picks: np.ndarray) -> TokenStore:
        """The store of matrix rows ``picks`` (in that order)."""
        segments, rows = _gather(self.rows, np.asarray(picks, dtype=np.int64))
        offsets = np.zeros(len(segments) + 1, dtype=np.int64)
        np.cumsum(self.segments[segments + 1] - self.segments[segments], out=offsets[1:])
        ids = np.empty(offsets[-1], dtype=self.ids.dtype)
        for start in range(0, len(segments), BLOCK_ROWS):      # positions of one block at a time: no int64 copy
            block = segments[start:start + BLOCK_ROWS]          # of the whole token array
            positions, _ = _gather(self.segments, block)
            ids[offsets[start]:offsets[start + len(block)]] = self.ids[positions]
        return TokenStore(ids, self.vocab, offsets, rows)

    def grouped(self, codes: np.ndarray, n_groups: int) -> TokenStore:
        """The store with one row per group of rows (``codes[r]``: the group of row r), the rows' segments kept."""
        order = np.argsort(codes, kind="stable")
        store = self.take(order)
        rows = np.zeros(n_groups + 1, dtype=np.int64)
        np.cumsum(np.bincount(codes, minlength=n_groups), out=rows[1:])
        return TokenStore(store.ids, self.vocab, store.segments, rows)

    def count_sequence(self, tokens: list[str]) -> np.ndarray:
        """Non-overlapping occurrences of the token sequence ``tokens`` per row, never across segments."""
        n_rows = len(self.rows) - 1
        wanted = [self.index.get(t) for t in tokens]
        length, flat = len(wanted), self.ids
        if None in wanted or len(flat) < length:
            return np.zeros(n_rows, dtype=np.int64)
        hit = flat[: len(flat) - length + 1] == wanted[0]
        for k in range(1, length):
            hit &= flat[k: len(flat) - length + 1 + k] == wanted[k]
        starts = np.flatnonzero(hit)
        segment = np.searchsorted(self.segments, starts, side="right") - 1
        inside = starts + length <= self.segments[segment + 1]
        starts, segment = starts[inside], segment[inside]
        if length > 1 and any(wanted[:k] == wanted[-k:] for k in range(1, length)):   # may overlap itself
            starts, segment = _non_overlapping(starts, segment, length)
        row = np.searchsorted(self.rows, segment, side="right") - 1
        return np.bincount(row, minlength=n_rows).astype(np.int64)

    def segment_tokens(self) -> list[list[str]]:
        """Token lists of every non-empty segment, in row order."""
        bounds = self.segments
        return [self.vocab[self.ids[a:b]].tolist() for a, b in pairwise(bounds) if b > a]

    def texts(self) -> np.ndarray:
        """Per row, its tokens joined by ``SEP`` (each segment framed by ``SEP``, segments joined by ``ROW_BREAK``)."""
        out = np.empty(len(self.rows) - 1, dtype=object)
        bounds = self.segments
        for r, (first, last) in enumerate(zip(self.rows[:-1], self.rows[1:])):
            out[r] = ROW_BREAK.join(SEP + SEP.join(self.vocab[self.ids[bounds[s]:bounds[s + 1]]]) + SEP
                                    for s in range(first, last))
        return out


def _non_overlapping(starts: np.ndarray, segment: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """The matches a left-to-right scan keeps: none starting inside the previous kept match of its segment."""
    keep, last_end, last_segment = [], -1, -1
    for i, (start, seg) in enumerate(zip(starts.tolist(), segment.tolist())):
        if seg != last_segment or start >= last_end:
            keep.append(i)
            last_end, last_segment = start + length, seg
    return starts[keep], segment[keep]


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
    tokens : TokenStore
        Every token of every row (stop words kept) as ``int32`` ids: word-sequence queries count here.
        ``token_text`` gives them as one string per row (built on demand).
    provenance : dict
        Corpus hash, versions and the options used (phrase and stop lists as content hashes).
    """

    matrix: sp.csr_matrix
    terms: np.ndarray
    rows: pd.DataFrame
    vectorizer: CountVectorizer
    unit: str = "doc"
    tokens: TokenStore = field(default=None, repr=False)
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

    @property
    def token_text(self) -> np.ndarray | None:
        """Per row, every token (stop words kept) joined by ``\\x1f``, finer rows apart (``\\x1e``); built on demand."""
        return None if self.tokens is None else self.tokens.texts()

    def to_frame(self) -> pd.DataFrame:
        """Long table of the non-zero counts: ``doc_id, [turn_id, sent_id], term, n``."""
        coo = self.matrix.tocoo()
        keys = [c for c in UNIT_KEYS[self.unit] if c in self.rows.columns]
        table = self.rows[keys].iloc[coo.row].reset_index(drop=True)
        return table.assign(term=self.terms[coo.col], n=coo.data.astype(np.int64))

    def select(self, mask) -> TermMatrix:
        """The rows where ``mask`` (boolean array aligned with ``rows``) is true, same vocabulary."""
        mask = np.asarray(mask, dtype=bool)
        tokens = None if self.tokens is None else self.tokens.take(np.flatnonzero(mask))
        return TermMatrix(self.matrix[mask], self.terms, self.rows[mask].reset_index(drop=True), self.vectorizer,
                          self.unit, tokens, provenance={**self.provenance, "selected_rows": int(mask.sum())})

    def count_sequence(self, tokens: list[str]) -> np.ndarray:
        """Occurrences of the token sequence ``tokens`` in every row (stop words count; rows never joined)."""
        return self.tokens.count_sequence(tokens)

    def segments(self) -> list[list[str]]:
        """Token lists (stop words kept) of every input row, the finer rows of a merged row apart."""
        return self.tokens.segment_tokens()


def count_terms(frame: pd.DataFrame, *, unit: Literal["doc", "turn", "sentence"] = "doc",
                lang: Literal["auto", "en", "zh"] = "auto", phrases="default", stop_words="default",
                lowercase: bool = True, stem: Literal["porter", "snowball"] | Callable | None = None,
                min_df: float = 1, max_df: float = 1.0, n_jobs: int = 1) -> TermMatrix:
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
    n_jobs : int
        Processes that tokenize (about four tasks a process, 500 to 20,000 rows each); ``-1``: one per CPU.
        The result is identical to ``n_jobs=1``; a pool pays off on large tables and on Chinese (jieba) when a
        core is free (the MFA Chinese turns, 15,848 rows: 11.4 s serial, 7.5 s with two processes, on a
        machine with another job running).

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
    texts, workers = frame["text"], n_workers(n_jobs, func=func)
    size = BLOCK_ROWS if workers == 1 else task_rows(len(texts), workers, smallest=500, largest=BLOCK_ROWS)
    blocks = (texts.iloc[i:i + size].tolist() for i in range(0, len(texts), size))
    tokenized = ordered_map(partial(tokenize_block, analyzer), blocks, workers)
    return matrix_from_tokens(tokenized, frame.drop(columns=["text"]), analyzer,
                              corpus=frame, unit=unit, lang=lang, lowercase=lowercase, stem=stem, min_df=min_df,
                              max_df=max_df)


def matrix_from_tokens(tokenized, rows: pd.DataFrame, analyzer: TermAnalyzer, *, corpus: pd.DataFrame, unit: str,
                       lang, lowercase, stem, min_df, max_df, func: str = "count_terms") -> TermMatrix:
    """The :class:`TermMatrix` of texts tokenized block by block (:func:`tokenize_block`, in row order).

    ``rows`` are the texts' rows without ``text``; ``corpus`` holds ``doc_id`` and ``text`` for the provenance
    record. :func:`count_terms` and :func:`toolkit.dask.count_terms` (blocks tokenized on a cluster) share it.
    """
    matrix, terms, tokens = _count(tokenized, analyzer, n_texts=len(rows))
    rows = rows.reset_index(drop=True).assign(n_tokens=np.diff(tokens.segments))
    if frame_unit(rows) != unit:
        codes, n_groups = _unit_codes(rows, UNIT_KEYS[unit])
        matrix, rows, tokens = group_sum(matrix, codes, n_groups), _merged_rows(rows, codes, UNIT_KEYS[unit]), \
            tokens.grouped(codes, n_groups)
    matrix, terms = _prune(matrix, terms, min_df=min_df, max_df=max_df, func=func)
    if not len(terms):
        raise ToolkitError(f"{func}(): no term left (empty texts, or all removed by stop_words/min_df/max_df); "
                           "check the 'text' column or relax min_df/max_df.")
    record = provenance(corpus, unit=unit, lang=lang, lowercase=lowercase, stem=stem, min_df=min_df, max_df=max_df,
                        phrases=_content_hash(analyzer.phrases),
                        stop_words={lg: _content_hash(pd.Series(sorted(words))) for lg, words in analyzer.stop.items()})
    return TermMatrix(matrix, terms, rows, _vectorizer(analyzer, terms), unit, tokens, provenance=record)


def _vectorizer(analyzer: TermAnalyzer, terms: np.ndarray):
    """A scikit-learn ``CountVectorizer`` fixed to ``terms`` that counts new texts with ``analyzer``."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(analyzer=analyzer, lowercase=False, vocabulary={t: i for i, t in enumerate(terms)})
    return vectorizer.fit([])


def _content_hash(table) -> str:
    """Short hash of a phrase or stop-word list's content (recorded in provenance)."""
    return format(int(pd.util.hash_pandas_object(table, index=False).sum()) & (2 ** 64 - 1), "016x")


def _count(tokenized, analyzer: TermAnalyzer, *, n_texts: int) -> tuple[sp.csr_matrix, np.ndarray, TokenStore]:
    """Matrix (columns in sorted term order), terms and the token store (one segment per text) of the tokenized
    blocks.

    Each text was tokenized once; the tokens' ids decide both the matrix (stop words dropped, per the text's
    language) and the store (every token), so nothing is tokenized twice.
    """
    vocab: defaultdict[str, int] = defaultdict(count().__next__)     # raw token -> id, numbered on first sight
    ids, lengths, is_zh = [], [], []
    for block_vocab, block_ids, block_lengths, block_zh in tokenized:
        remap = np.fromiter(map(vocab.__getitem__, block_vocab), np.int32, len(block_vocab))
        ids.append(remap[block_ids])
        lengths.append(block_lengths)
        is_zh.append(block_zh)
    raw = list(vocab)
    del vocab
    stemmed = np.array(analyzer.stemmed(raw), dtype=object)
    names, token_of_raw = np.unique(stemmed, return_inverse=True) if raw else (np.array([], dtype=object), [])
    kept = {lang: np.asarray(analyzer.kept(raw, lang), dtype=bool) for lang in ("en", "zh")}
    term_of_raw = {lang: np.where(kept[lang], token_of_raw, -1).astype(np.int32) for lang in kept}
    matrix = sp.vstack([_block_counts(block, size, zh, term_of_raw, len(names))
                        for block, size, zh in zip(ids, lengths, is_zh)] or [sp.csr_matrix((0, len(names)))],
                       format="csr")
    matrix.sum_duplicates()
    used = np.flatnonzero(np.bincount(matrix.indices, minlength=len(names)))
    if len(used) < len(names):
        matrix = matrix[:, used].tocsr()
    token_ids = np.asarray(token_of_raw, dtype=np.int32)
    flat = np.empty(sum(len(block) for block in ids), dtype=np.int32)
    at = 0
    while ids:                                   # each block's raw ids freed as soon as they are copied
        block = ids.pop(0)
        flat[at:at + len(block)] = token_ids[block]
        at += len(block)
    segments = np.zeros(n_texts + 1, dtype=np.int64)
    if lengths:
        np.cumsum(np.concatenate(lengths), out=segments[1:])
    store = TokenStore(flat, names, segments, np.arange(n_texts + 1, dtype=np.int64))
    return matrix, names[used], store


def _block_counts(ids: np.ndarray, lengths: np.ndarray, is_zh: np.ndarray, term_of_raw: dict, n_terms: int):
    """The sparse counts of one block of texts (raw token ids ``ids``, ``lengths`` tokens per text)."""
    row = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
    term = np.where(np.repeat(is_zh, lengths), term_of_raw["zh"][ids], term_of_raw["en"][ids])
    keep = term >= 0
    counts = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int64), (row[keep], term[keep])),
                           shape=(len(lengths), n_terms))
    counts.sum_duplicates()
    return counts


def tokenize_block(analyzer: TermAnalyzer, texts: list) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Raw tokens (before stop words and stemming) of ``texts``: the block's vocabulary, the ``int32`` ids of
    all tokens, tokens per text, and whether each text is Chinese.

    The ASCII English texts are tokenized together (:func:`~toolkit.terms.ascii_tokens.block_tokens`), the
    others one by one (:meth:`TermAnalyzer.analyze`): the same tokens. The vocabulary is numbered in order of
    first sight, the ASCII English texts first.
    """
    vocab: defaultdict[str, int] = defaultdict(count().__next__)
    lengths, is_zh = np.zeros(len(texts), dtype=np.int64), np.zeros(len(texts), dtype=bool)
    together = analyzer.ascii_english(texts)
    found = block_tokens(analyzer.matchers["en"], [texts[i] for i in np.flatnonzero(together).tolist()], vocab,
                         lowercase=analyzer.lowercase) if together.any() else None
    if found is None:
        together[:] = False
    alone, alone_ids = np.flatnonzero(~together), array("i")
    for i in alone.tolist():
        tokens, lang = analyzer.analyze(texts[i])
        alone_ids.extend(map(vocab.__getitem__, tokens))
        lengths[i], is_zh[i] = len(tokens), lang == "zh"
    if found is not None:
        lengths[together] = found[1]
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    ids = np.empty(offsets[-1], dtype=np.int32)
    ids[_gather(offsets, alone)[0]] = np.frombuffer(alone_ids, dtype=np.int32)
    if found is not None:
        ids[_gather(offsets, np.flatnonzero(together))[0]] = found[0]
    return list(vocab), ids, lengths, is_zh


def _unit_codes(rows: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, int]:
    """The unit of every row (rows sharing ``keys``), numbered in order of first appearance."""
    codes = rows.groupby(keys, sort=False, dropna=False).ngroup().to_numpy(dtype=np.int64)
    return codes, int(codes.max()) + 1 if len(codes) else 0


def _merged_rows(rows: pd.DataFrame, codes: np.ndarray, keys: list[str]) -> pd.DataFrame:
    """One row per unit: the keys, the columns constant within every unit (first value) and ``n_tokens`` summed."""
    first = np.unique(codes, return_index=True)[1]
    at_first = first[codes]
    constant = [c for c in rows.columns if c not in keys and c != "n_tokens"
                and _constant_within(rows[c], at_first)]
    merged = rows[keys + constant].iloc[first].reset_index(drop=True)
    merged["n_tokens"] = np.bincount(codes, weights=rows["n_tokens"].to_numpy(), minlength=len(first)).astype(np.int64)
    return merged


def _constant_within(column: pd.Series, at_first: np.ndarray) -> bool:
    """Whether every row's value equals that of its unit's first row (missing values equal each other)."""
    values = column.to_numpy()
    same = values == values[at_first]
    if not isinstance(same, np.ndarray):       # values that numpy cannot compare one by one
        codes = pd.factorize(column, use_na_sentinel=True)[0]
        return bool((codes == codes[at_first]).all())
    if same.all():
        return True
    missing = pd.isna(column).to_numpy()
    return bool((same | (missing & missing[at_first])).all())


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
