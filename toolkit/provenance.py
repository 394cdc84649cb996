"""Provenance: a content hash of a corpus and the versions that produced a result."""
from __future__ import annotations

import hashlib
import platform
from importlib import metadata

import pandas as pd

_PACKAGES = ("mnd-discourse-toolkit", "pandas", "numpy", "scikit-learn", "nltk", "jieba", "seaborn")


def corpus_hash(frame: pd.DataFrame) -> str:
    """Return a 16-hex-digit SHA-256 of the ``doc_id`` and ``text`` columns, independent of row order.

    Two tables holding the same documents hash the same, whatever their order or extra columns.
    """
    digest = hashlib.sha256()
    keys = sorted(zip(frame["doc_id"].astype(str), frame["text"].astype(str)))
    for doc_id, text in keys:
        digest.update(doc_id.encode())
        digest.update(b"\0")
        digest.update(text.encode())
        digest.update(b"\1")
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
    """Return the record attached to results: corpus hash, number of documents, versions and parameters."""
    return {
        "corpus_hash": corpus_hash(frame),
        "n_docs": int(frame["doc_id"].nunique()),
        "versions": versions(),
        "parameters": parameters,
    }
