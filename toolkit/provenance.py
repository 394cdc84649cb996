"""Provenance: a content hash of a corpus and the versions that produced a result."""
from __future__ import annotations

import hashlib
import platform
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


_HASH_BLOCK = 10_000
_PACKAGES = ("mnd-discourse-toolkit", "pandas", "numpy", "scikit-learn", "nltk", "jieba", "seaborn")


def corpus_hash(frame: pd.DataFrame) -> str:
    """Return a 16-hex-digit SHA-256 of the ``doc_id`` and ``text`` columns, independent of row order.

    Two tables holding the same documents hash the same, whatever their order or extra columns. The rows
    are fed to the hash one block at a time in (``doc_id``, ``text``) order (Arrow sorts them, by code
    point), so no copy of the whole corpus is made (a missing text hashes as an empty one). A table this
    session made and did not change since (:func:`toolkit.cache.known_key`: the sentences that
    ``count_terms`` and ``score_stance`` both record, say) is hashed once.
    """
    from . import cache

    key = cache.known_key(frame)
    if key is not None and key in _HASHES:
        return _HASHES[key]
    value = _rows_hash(frame)
    if key is not None:
        if len(_HASHES) >= _HASHES_LIMIT:
            _HASHES.clear()
        _HASHES[key] = value
    return value


_HASHES: dict[str, str] = {}   # known table key -> corpus_hash
_HASHES_LIMIT = 64


def _rows_hash(frame: pd.DataFrame) -> str:
    """:func:`corpus_hash` computed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.table({"doc_id": pa.array(frame["doc_id"].astype(str).fillna(""), type=pa.large_string()),
                      "text": pa.array(frame["text"].astype(str).fillna(""), type=pa.large_string())})
    order = pc.sort_indices(table, sort_keys=[("doc_id", "ascending"), ("text", "ascending")])
    import numpy as np

    digest = hashlib.sha256()
    zero, one, none = (pa.scalar(s, pa.large_string()) for s in ("\0", "\1", ""))
    for start in range(0, len(order), _HASH_BLOCK):
        block = table.take(order[start:start + _HASH_BLOCK])
        # doc_id + "\0" + text + "\1" per row, fed as the UTF-8 bytes of the joined strings
        for rows in pc.binary_join_element_wise(block["doc_id"], zero, block["text"], one, none).chunks:
            offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset:rows.offset + len(rows) + 1]
            if len(rows):
                digest.update(memoryview(rows.buffers()[2])[offsets[0]:offsets[-1]])
    return digest.hexdigest()[:16]


def versions() -> dict[str, str]:
    """Return the versions of Python and of the packages a result depends on."""
    found = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def provenance(frame: pd.DataFrame, **parameters) -> dict:
    """Return the record attached to results: corpus hash, number of documents, versions and parameters.

    The record is plain JSON (strings, numbers, lists, dicts): a DataFrame passed as a parameter (a
    user's lexicon, say) is described by its shape and content hash, so the record can sit in
    ``DataFrame.attrs``, survive ``pd.concat`` and be written with ``to_parquet`` or ``json.dumps``.
    """
    return {
        "corpus_hash": corpus_hash(frame),
        "n_docs": int(frame["doc_id"].nunique()),
        "versions": versions(),
        "parameters": jsonable(parameters),
    }


def jsonable(value):
    """``value`` as plain JSON data: DataFrames and Series become a description with a content hash,
    paths and other objects their ``str``, sets sorted lists, numpy scalars Python numbers."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    import pandas as pd

    if isinstance(value, (pd.DataFrame, pd.Series)):
        digest = hashlib.sha256(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes()).hexdigest()[:16]
        return f"{type(value).__name__}[{len(value)} rows, sha256 {digest}]"
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item") and callable(value.item):      # numpy scalars
        return value.item()
    return getattr(value, "__name__", None) or str(value)
