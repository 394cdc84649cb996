"""On-disk cache of parsed tables as Parquet, keyed by a hash of the inputs and the parser version.

A cache entry is a folder of Parquet files written into a temporary folder first and renamed into
place, so a killed process never leaves a half-written entry that a later run would read.
Location: ``$TOOLKIT_CACHE_DIR`` or ``~/.cache/mnd-discourse-toolkit``; ``TOOLKIT_CACHE_DIR=off``
turns caching off.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pandas as pd

PARSER_VERSION = "1"


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``TOOLKIT_CACHE_DIR=off``."""
    value = os.environ.get("TOOLKIT_CACHE_DIR", "")
    if value.lower() == "off":
        return None
    return Path(value) if value else Path.home() / ".cache" / "mnd-discourse-toolkit"


def make_key(*parts: bytes | str) -> str:
    """SHA-256 over the parser version and ``parts``."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def frame_key(frame: pd.DataFrame, *extra: str) -> str:
    """Key of a table's content (all columns, row order included) plus ``extra`` options."""
    hashed = pd.util.hash_pandas_object(frame.astype(str), index=False).to_numpy().tobytes()
    return make_key(hashed, ",".join(map(str, frame.columns)), *extra)


def read(name: str, key: str) -> dict[str, pd.DataFrame] | None:
    """The tables stored under ``name``/``key``, or ``None`` when absent or unreadable."""
    root = cache_dir()
    folder = root / name / key if root else None
    if folder is None or not folder.is_dir():
        return None
    try:
        return {p.stem: pd.read_parquet(p) for p in folder.glob("*.parquet")}
    except Exception:  # a damaged entry is rebuilt, never trusted
        shutil.rmtree(folder, ignore_errors=True)
        return None


def write(name: str, key: str, tables: dict[str, pd.DataFrame]) -> None:
    """Store ``tables`` atomically under ``name``/``key`` (silently skipped when the folder is not writable)."""
    root = cache_dir()
    if root is None:
        return
    target = root / name / key
    staging = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
        for table_name, table in tables.items():
            table.to_parquet(staging / f"{table_name}.parquet", index=False)
        os.replace(staging, target)
    except Exception as exc:  # the cache only saves time: a table pyarrow cannot store is recomputed next time
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not target.is_dir():
            warnings.warn(f"cache: could not store {name} in {target} ({type(exc).__name__}: {exc}); it will be recomputed")
