"""On-disk cache of parsed tables as Parquet, keyed by the inputs and by the code that parses them.

- **Keys** (:func:`make_key`, :func:`frame_digest`) hash the package version, a fingerprint of the
  toolkit's own code and data files (:func:`code_fingerprint`: a changed rule is a new key) and the
  inputs as typed values (Arrow buffers: ``None`` and ``"None"``, ``1`` and ``"1"``, texts holding any
  separator all hash apart).
- **Entries** are folders of Parquet files plus ``manifest.json`` (the SHA-256 of every file), written
  in a staging folder and renamed into place, so an entry is complete or absent. Reading checks the
  manifest: a missing, truncated, altered or foreign file is reported with a warning, the entry is
  dropped and the table rebuilt. When two processes write the same key, the first rename wins and
  the other's staging copy is discarded.
- Files are created readable by group and others as the umask allows, so a shared cache folder works.

Location: ``$TOOLKIT_CACHE_DIR`` or ``~/.cache/mnd-discourse-toolkit``; ``TOOLKIT_CACHE_DIR=off``
turns caching off.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

import pandas as pd

PACKAGE = Path(__file__).resolve().parent
MANIFEST = "manifest.json"


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when ``TOOLKIT_CACHE_DIR=off``."""
    value = os.environ.get("TOOLKIT_CACHE_DIR", "")
    if value.lower() == "off":
        return None
    return Path(value) if value else Path.home() / ".cache" / "mnd-discourse-toolkit"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the package version and of every ``.py`` and data file of the installed toolkit."""
    from . import __version__

    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in {".py", ".csv", ".md"} and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def make_key(*parts: bytes | str) -> str:
    """SHA-256 over the code fingerprint and length-prefixed ``parts``."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()[:32]


def frame_digest(frame: pd.DataFrame, columns: list[str]) -> str:
    """SHA-256 of a table's ``columns`` as typed values in row order (absent columns hash as absent)."""
    digest = hashlib.sha256(len(frame).to_bytes(8, "little"))
    for column in columns:
        digest.update(column.encode() + b"\0")
        if column in frame.columns:
            _hash_column(digest, frame[column])
        else:
            digest.update(b"\x00absent")
    return digest.hexdigest()


def _hash_column(digest, series: pd.Series) -> None:
    import pyarrow as pa

    try:
        array = pa.array(series, from_pandas=True)
    except (pa.ArrowException, UnicodeEncodeError, OverflowError):  # mixed types, huge ints, lone surrogates
        for value in series:
            text = repr(value).encode("utf-8", "surrogatepass")
            digest.update(type(value).__name__.encode() + len(text).to_bytes(8, "little") + text)
        return
    digest.update(str(array.type).encode())
    for buffer in array.buffers():
        digest.update(b"\x00none" if buffer is None else len(buffer).to_bytes(8, "little") + memoryview(buffer))


def frame_key(frame: pd.DataFrame, columns: list[str], *extra: str) -> str:
    """Key of a table's ``columns`` (typed values and row order) plus ``extra`` options."""
    return make_key(frame_digest(frame, columns), *extra)


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
    """The tables stored under ``name``/``key``, or ``None`` when absent or damaged (then removed, with a warning)."""
    root = cache_dir()
    folder = root / name / key if root else None
    if folder is None or not folder.is_dir():
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        tables = {}
        for table_name, checksum in manifest["files"].items():
            data = (folder / f"{table_name}.parquet").read_bytes()
            if hashlib.sha256(data).hexdigest() != checksum:
                raise ValueError(f"{table_name}.parquet does not match its checksum")
            tables[table_name] = pd.read_parquet(folder / f"{table_name}.parquet")
        return tables
    except Exception as exc:  # noqa: BLE001 - a damaged entry is rebuilt, never trusted
        warnings.warn(f"cache: entry {folder} is damaged ({type(exc).__name__}: {exc}); rebuilding it", stacklevel=2)
        shutil.rmtree(folder, ignore_errors=True)
        return None


def write(name: str, key: str, tables: dict[str, pd.DataFrame]) -> None:
    """Store ``tables`` atomically under ``name``/``key`` (a warning when the folder is not writable)."""
    root = cache_dir()
    if root is None:
        return
    target = root / name / key
    staging = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".tmp-"))
        checksums = {table_name: _write_table(table, staging / f"{table_name}.parquet")
                     for table_name, table in tables.items()}
        (staging / MANIFEST).write_text(json.dumps({"files": checksums}))
        _share(staging)
        os.replace(staging, target)
    except Exception as exc:  # noqa: BLE001 - the cache only saves time: the table is recomputed next time
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if not target.is_dir():
            warnings.warn(f"cache: could not store {name} in {target} ({type(exc).__name__}: {exc}); "
                          "it will be recomputed", stacklevel=2)


def _write_table(table: pd.DataFrame, path: Path) -> str:
    table = table.copy(deep=False)
    table.attrs = {}
    table.to_parquet(path, index=False)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _share(folder: Path) -> None:
    """Give the staging folder and its files the modes a normal ``mkdir``/``open`` would (umask applied)."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    for file in folder.iterdir():
        file.chmod(0o666 & ~umask)
