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


def frame_key(frame: pd.DataFrame, columns: list[str], *extra: str) -> str:
    """Key of a table's ``columns`` (values and row order) plus ``extra`` options."""
    digest = hashlib.sha256()
    for column in columns:
        if column in frame.columns:
            digest.update(column.encode())
            digest.update("\x1f".join(map(str, frame[column].tolist())).encode())
    return make_key(digest.hexdigest(), *extra)


def memoized(name: str, key: str, build, *, use_cache: bool = True) -> pd.DataFrame:
    """Return the cached table ``name``/``key``, or build, store and return it."""
    stored = read(name, key) if use_cache else None
    if stored is not None and name in stored:
        return stored[name]
    table = build()
    if use_cache:
        write(name, key, {name: table})
    return table


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
            table = table.copy(deep=False)
            table.attrs = {}
            table.to_parquet(staging / f"{table_name}.parquet", index=False)
        os.replace(staging, target)
    except Exception as exc:  # the cache only saves time: a table pyarrow cannot store is recomputed next time
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not target.is_dir():
            warnings.warn(f"cache: could not store {name} in {target} ({type(exc).__name__}: {exc}); it will be recomputed")
