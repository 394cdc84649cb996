"""The memo of prepared term matrices: a term function given a table counts it once per session.

``term_frequency(briefings, ...)``, ``kwic``, ``keyness``, ``collocations``, ``dispersion``, ``trending_terms``
and ``phrase_audit`` need a document-term matrix (:func:`toolkit.count_terms`); given a table rather than a
prepared :class:`~toolkit.TermMatrix`, they take it from here, so the second question asked of the same table
costs milliseconds instead of a recount.

- **Key**: the table's content (:func:`toolkit.cache.fingerprint`: every column's values, names, dtypes and row
  order; the index is ignored; a table made by ``load_briefings``/``split_turns``/``split_sentences`` and not
  changed since is named by its cache key, checked without hashing its texts) plus the counting options (unit,
  language, phrase list, stop words; a list given as a file by the file's bytes, as a DataFrame or list by its
  content). A changed text, an added column or another phrase list is another key: a stale matrix is never used.
- **Bound**: entries are kept in least-recently-used order within a size limit (default 256 MB, environment
  variable ``TOOLKIT_MEMO_MB`` or :func:`set_memo_limit`; ``0`` turns the memo off). The size of an entry is
  estimated from its arrays (CSR and CSC matrices, token text, row table, vocabulary); a matrix larger than the
  limit is used once and not kept.
- :func:`clear_memo` empties it; :func:`memo_usage` tells what it holds.

The matrices handed out are shared: term functions read them and never change them.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pandas as pd

from .. import cache
from .._checks import ToolkitError
from ..provenance import jsonable
from .matrix import TermMatrix, count_terms

_ENTRIES: OrderedDict[str, tuple[TermMatrix, int]] = OrderedDict()
_LOCK = threading.Lock()
_STATE = {"limit": None}
DEFAULT_LIMIT_MB = 256.0


def prepared(frame: pd.DataFrame, *, unit: str, lang="auto", phrases="default", stop_words=None) -> TermMatrix:
    """``count_terms(frame, unit=unit, lang=lang, phrases=phrases, stop_words=stop_words)``, counted once.

    Parameters
    ----------
    frame : DataFrame
        Briefings, turns or sentences (checked by the caller).
    unit, lang, phrases, stop_words
        As in :func:`toolkit.count_terms` (the other options keep their defaults).

    Returns
    -------
    TermMatrix
        The memo's copy when the same table was counted with the same options before, else a new one (kept
        when it fits in the limit).
    """
    limit = _limit_bytes()
    options = _options_key(phrases), _options_key(stop_words)
    if limit <= 0 or None in options:
        return count_terms(frame, unit=unit, lang=lang, phrases=phrases, stop_words=stop_words)
    key = cache.make_key("terms-memo", cache.fingerprint(frame), unit, str(lang), *options)
    with _LOCK:
        found = _ENTRIES.get(key)
        if found is not None:
            _ENTRIES.move_to_end(key)
            return found[0]
    tm = count_terms(frame, unit=unit, lang=lang, phrases=phrases, stop_words=stop_words)
    _store(key, tm, limit)
    return tm


def clear_memo() -> None:
    """Forget every prepared term matrix kept by term functions given a table (frees their memory)."""
    with _LOCK:
        _ENTRIES.clear()


def set_memo_limit(mb: float | None) -> None:
    """Set the memo's size limit in MB (``0`` turns the memo off; ``None``: back to ``TOOLKIT_MEMO_MB`` or 256).

    Entries beyond the new limit are dropped at once, least recently used first.
    """
    if mb is not None and (isinstance(mb, bool) or not isinstance(mb, (int, float)) or not mb >= 0):
        raise ToolkitError(f"set_memo_limit(): argument 'mb' must be a number >= 0 (0 turns the memo off) or None, "
                           f"got {mb!r}.")
    _STATE["limit"] = None if mb is None else float(mb)
    with _LOCK:
        _shrink(_limit_bytes())


def memo_usage() -> dict:
    """What the memo holds: ``{"entries": n, "mb": estimated size, "limit_mb": the limit}``."""
    with _LOCK:
        used = sum(size for _, size in _ENTRIES.values())
        entries = len(_ENTRIES)
    return {"entries": entries, "mb": used / 2**20, "limit_mb": _limit_bytes() / 2**20}


def matrix_bytes(tm: TermMatrix) -> int:
    """Estimated memory of a prepared matrix once queried: CSR and its CSC copy, terms and their index, the
    token store (ids, offsets, vocabulary), and the row table (deep)."""
    csr = tm.matrix.data.nbytes + tm.matrix.indices.nbytes + tm.matrix.indptr.nbytes
    csc = tm.matrix.data.nbytes + tm.matrix.indices.nbytes + 8 * (tm.matrix.shape[1] + 1)
    terms = sum(map(sys.getsizeof, tm.terms)) + 8 * len(tm.terms)
    index = 2 * 120 * len(tm.terms)          # the vocabulary dicts of the matrix and its vectorizer
    store = tm.tokens
    tokens = 0 if store is None else (store.ids.nbytes + store.segments.nbytes + store.rows.nbytes
                                      + sum(map(sys.getsizeof, store.vocab)) + 8 * len(store.vocab))
    rows = int(tm.rows.memory_usage(deep=True, index=True).sum())
    return csr + csc + terms + index + tokens + rows + 16 * len(tm.rows)   # + period codes of a few groupings


def _store(key: str, tm: TermMatrix, limit: int) -> None:
    size = matrix_bytes(tm)
    if size > limit:
        return
    with _LOCK:
        _ENTRIES[key] = (tm, size)
        _ENTRIES.move_to_end(key)
        _shrink(limit)


def _shrink(limit: int) -> None:
    """Drop least recently used entries until the memo fits in ``limit`` bytes (the lock is held)."""
    used = sum(size for _, size in _ENTRIES.values())
    while _ENTRIES and used > limit:
        _, (_, size) = _ENTRIES.popitem(last=False)
        used -= size


def _limit_bytes() -> int:
    mb = _STATE["limit"]
    if mb is None:
        try:
            mb = float(os.environ.get("TOOLKIT_MEMO_MB", DEFAULT_LIMIT_MB))
        except ValueError:
            mb = DEFAULT_LIMIT_MB
    return int(max(mb, 0) * 2**20)


def _options_key(value) -> str | None:
    """A phrase or stop-word list as part of a key: by content (a file by its bytes), ``None`` when it cannot be
    named (then the matrix is counted without the memo)."""
    if value is None or isinstance(value, str) and value == "default":
        return repr(value)
    if isinstance(value, (str, Path)):
        path = Path(value)
        if not path.is_file():
            return None
        with open(path, "rb") as handle:
            return "file:" + hashlib.file_digest(handle, "sha256").hexdigest()
    if isinstance(value, pd.Series):
        value = value.to_frame(name="value")
    if isinstance(value, pd.DataFrame):
        table = value.rename(columns=str)
        return "table:" + cache.frame_digest(table, list(table.columns))
    if isinstance(value, (list, tuple, set, frozenset, dict, np.ndarray)):
        try:
            return "value:" + json.dumps(jsonable(list(value) if isinstance(value, np.ndarray) else value),
                                         sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError):
            return None
    return None

