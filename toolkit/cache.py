"""On-disk cache of parsed tables (Arrow IPC files), keyed by the inputs and by the code that parses them.

- **Keys** (:func:`make_key`, :func:`frame_digest`) hash the package version, a fingerprint of the
  toolkit's own code and data files (:func:`code_fingerprint`: a changed rule is a new key) and the
  inputs as typed values (Arrow buffers: ``None`` and ``"None"``, ``1`` and ``"1"``, texts holding any
  separator all hash apart).
- **Entries** are folders of Arrow IPC files (``<table>.arrow``, LZ4-compressed: read in a few milliseconds,
  several times faster than Parquet; uncompressed files would save a cold start ~5 % but are twice the size and
  make a warm start ~25 % slower to read and check) plus ``manifest.json`` (the SHA-1 of every file), written
  in a staging folder and renamed into place, so an entry is complete or absent. Reading checks the
  manifest: a missing, truncated, altered or foreign file is reported with a warning, the entry is
  dropped and the table rebuilt. When two processes write the same key, the first rename wins and
  the other's staging copy is discarded.
- Files are created readable by group and others as the umask allows, so a shared cache folder works.
- **Known tables** (:func:`remember`, :func:`fingerprint`): a table this session made (loaded briefings, turns,
  sentences) is named by the key of the cache entry it came from, so the next step finds its own entry without
  hashing the texts again. The key is trusted only while the table is unchanged, checked cheaply: the same
  number of rows, the same column names and dtypes in the same order, the very same (immutable) Arrow arrays
  behind every Arrow-backed column, the very same (immutable) string objects in every string column held as
  Python objects (the briefing's strings that turns and sentences repeat; the remembered key keeps those objects
  alive, so no other object can take one's address), and the same bytes in every other column (numbers, dates,
  objects; small).
  Any edit (``df.loc[i, "text"] = ...`` gives the column a new Arrow array), filter, added or renamed
  column falls back to a digest of the values (:func:`frame_digest`).
- **Files read before** (:func:`file_digests`): the SHA-256 of a file's bytes, streamed once, is kept in the
  cache folder with the file's size, mtime, ctime and inode; a file whose four values are unchanged is not read
  again. As in git's index, a digest taken less than two seconds after the file's last change is not trusted
  (a second write within the clock's tick could leave the same mtime), so that file is hashed again next time.

Location: ``$TOOLKIT_CACHE_DIR`` or ``~/.cache/mnd-discourse-toolkit``; ``TOOLKIT_CACHE_DIR=off``
turns caching off.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import threading
import time
import warnings
import weakref
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

PACKAGE = Path(__file__).resolve().parent
MANIFEST = "manifest.json"
SUFFIX = ".arrow"
_KNOWN: OrderedDict[int, tuple[str, tuple]] = OrderedDict()   # id of a table's first Arrow array -> key, signature
_KNOWN_LIMIT = 64
_KNOWN_LOCK = threading.Lock()
_RACY_NS = 2_000_000_000        # a digest taken this soon after the file changed is not trusted later


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
        digest.update(repr(column).encode("utf-8", "surrogatepass") + b"\0")
        if column not in frame.columns:
            digest.update(b"\x00absent")
            continue
        selected = frame[column]
        for position in range(selected.shape[1] if isinstance(selected, pd.DataFrame) else 1):  # repeated names
            _hash_column(digest, selected.iloc[:, position] if isinstance(selected, pd.DataFrame) else selected)
    return digest.hexdigest()


def _hash_column(digest, values) -> None:
    """Add a column's typed values (a Series or its array) to ``digest``."""
    import pyarrow as pa

    chunked = _arrow_of(values)
    if chunked is not None:          # Arrow-backed: its buffers as they are (offset and length say which part)
        digest.update(str(chunked.type).encode())
        for chunk in chunked.chunks:
            digest.update(chunk.offset.to_bytes(8, "little") + len(chunk).to_bytes(8, "little"))
            _hash_buffers(digest, chunk.buffers())
        return
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowException, UnicodeEncodeError, OverflowError):  # mixed types, huge ints, lone surrogates
        for value in values:
            text = repr(value).encode("utf-8", "surrogatepass")
            digest.update(type(value).__name__.encode() + len(text).to_bytes(8, "little") + text)
        return
    digest.update(str(array.type).encode())
    _hash_buffers(digest, array.buffers())


def _hash_buffers(digest, buffers) -> None:
    for buffer in buffers:
        digest.update(b"\x00none" if buffer is None else len(buffer).to_bytes(8, "little") + memoryview(buffer))


def _arrow_of(values):
    """The immutable ``pyarrow.ChunkedArray`` behind an Arrow-backed column (Series or array), else ``None``."""
    array = values.array if isinstance(values, pd.Series) else values
    return array.__arrow_array__() if isinstance(array, pd.arrays.ArrowExtensionArray) else None


def _column_arrays(frame: pd.DataFrame) -> list:
    """The arrays of ``frame``'s columns, in order, without building a Series (and copying attrs) for each."""
    getter = getattr(frame, "_get_column_array", None)
    if getter is None:
        return [frame.iloc[:, i].array for i in range(frame.shape[1])]
    return [getter(i) for i in range(frame.shape[1])]


def remember(frame: pd.DataFrame, key: str) -> None:
    """Name ``frame`` (a table this session made from a cache entry) by ``key`` while it stays unchanged."""
    anchor, signature = _signature(frame)
    if anchor is None:
        return
    with _KNOWN_LOCK:
        _KNOWN[anchor] = (key, signature)
        _KNOWN.move_to_end(anchor)
        while len(_KNOWN) > _KNOWN_LIMIT:
            _KNOWN.popitem(last=False)


def fingerprint(frame: pd.DataFrame, columns: list[str] | None = None) -> str:
    """Content key of ``frame``'s ``columns`` (all by default; absent columns count as absent).

    The remembered key of an unchanged known table (see the module notes: rows, columns, dtypes, Arrow arrays
    and the bytes of the other columns are checked), else a digest of the values, after which the same
    unchanged table is known too. Two tables with the same content may get different keys (one known, one
    digested): a key never names two different contents.
    """
    every = list(frame.columns)
    wanted = every if columns is None else list(columns)
    known = _known_key(frame)
    if known is None:
        known = make_key("content", frame_digest(frame, every))
        remember(frame, known)
    return known if wanted == every else make_key("columns", known, *wanted)


def known_key(frame: pd.DataFrame) -> str | None:
    """The remembered key of a table this session made and did not change since, else None (no digest of the
    values is computed: cheap either way)."""
    return _known_key(frame)


def _known_key(frame: pd.DataFrame) -> str | None:
    anchor, signature = _signature(frame, lookup=True)
    with _KNOWN_LOCK:
        found = _KNOWN.get(anchor) if anchor is not None else None
    if found is None or not _same(found[1], signature):
        return None
    return found[0]


def _signature(frame: pd.DataFrame, *, lookup: bool = False) -> tuple[int | None, tuple]:
    """``(anchor, signature)``: the id of the first Arrow array, and per column its name, dtype and a token: a
    weak reference to its Arrow array (with ``lookup``: the array itself), the identities of the string objects
    of a Python-held string column (:func:`_objects_token`), or a digest of its values."""
    anchor, parts = None, [len(frame)]
    for name, dtype, column in zip(frame.columns, frame.dtypes, _column_arrays(frame)):
        chunked = _arrow_of(column)
        if chunked is not None:
            anchor = id(chunked) if anchor is None else anchor
            token = chunked if lookup else weakref.ref(chunked)
        else:
            token = _objects_token(column, lookup=lookup)
            if token is None:
                digest = hashlib.sha1(usedforsecurity=False)
                _hash_column(digest, column)
                token = digest.hexdigest()
        parts.append((repr(name), str(dtype), token))
    return anchor, tuple(parts)


def _objects_token(column, *, lookup: bool) -> tuple | None:
    """A string column held as Python objects (turns and sentences repeat one string object per briefing): a
    digest of its objects' addresses, and (unless ``lookup``) the distinct objects themselves, kept alive so that
    no other object can take their addresses while the key is remembered; ``None`` for other columns, and when
    most values are distinct objects (keeping them would hold as many strings as the column)."""
    if not (isinstance(column, pd.arrays.StringArray) and column.dtype.storage == "python"):
        return None
    values = np.asarray(column)                                  # the column's own object array, not a copy
    addresses = np.frombuffer(values.tobytes(), dtype=np.uintp)   # str objects are immutable: same object, same text
    firsts = np.flatnonzero(np.r_[True, addresses[1:] != addresses[:-1]])
    if 2 * len(firsts) > len(values):
        return None
    digest = hashlib.sha1(addresses, usedforsecurity=False).hexdigest()
    return ("objects", digest) if lookup else ("objects", digest, values[firsts])


def _same(stored: tuple, current: tuple) -> bool:
    """Whether ``current`` (a lookup signature) is the table ``stored`` describes."""
    if len(stored) != len(current) or stored[0] != current[0]:
        return False
    for (name, dtype, token), (name_now, dtype_now, token_now) in zip(stored[1:], current[1:]):
        if name != name_now or dtype != dtype_now or not _same_token(token, token_now):
            return False
    return True


def _same_token(stored, current) -> bool:
    if isinstance(stored, weakref.ref):          # the very same Arrow array
        return stored() is current
    if isinstance(stored, tuple):                # the same string objects (kept alive by ``stored``)
        return isinstance(current, tuple) and stored[:2] == current
    return isinstance(current, str) and stored == current


def memoized(name: str, key: str, build, *, use_cache: bool = True) -> pd.DataFrame:
    """Return the cached table ``name``/``key``, or build, store and return it."""
    stored = read(name, key) if use_cache else None
    if stored is not None and name in stored:
        return stored[name]
    table = build()
    if use_cache:
        write(name, key, {name: table})
    return table


def file_digests(root: Path, files: list[Path]) -> dict[Path, str | OSError]:
    """SHA-256 of each file's bytes (streamed), reusing the digests of unchanged files read before from ``root``;
    the ``OSError`` of a file that cannot be read (the caller reports it)."""
    index_path = _index_path(root)
    known = _read_index(index_path)
    found, fresh = {}, {}
    for file in files:
        name = str(file)
        try:
            stat = file.stat()
            status = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
            stored = known.get(name)
            if stored and stored[:4] == status and stored[5] - stat.st_mtime_ns > _RACY_NS:
                found[file] = stored[4]
                continue
            with open(file, "rb") as handle:
                found[file] = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError as exc:
            found[file] = exc
            continue
        fresh[name] = [*status, found[file], time.time_ns()]
    if fresh and index_path is not None:
        _write_index(index_path, {**{k: v for k, v in known.items() if isinstance(found.get(Path(k)), str)}, **fresh})
    return found


def _index_path(root: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    name = hashlib.sha256(str(Path(root).resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return folder / "files" / f"{name}.json"


def _read_index(path: Path | None) -> dict:
    try:
        return json.loads(path.read_text()) if path is not None and path.is_file() else {}
    except (OSError, ValueError):
        return {}


def _write_index(path: Path, index: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        staging.write_text(json.dumps(index))
        os.replace(staging, path)
    except OSError:
        pass                                     # only saves time: the files are hashed again next time


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
            data = (folder / f"{table_name}{SUFFIX}").read_bytes()
            if hashlib.sha1(data, usedforsecurity=False).hexdigest() != checksum:
                raise ValueError(f"{table_name}{SUFFIX} does not match its checksum")
            tables[table_name] = pd.read_feather(io.BytesIO(data))          # the bytes checked, not read again
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
        checksums = {table_name: _write_table(table, staging / f"{table_name}{SUFFIX}")
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
    import pyarrow as pa
    from pyarrow import feather

    table = table.copy(deep=False)
    table.attrs = {}
    sink = pa.BufferOutputStream()                 # the bytes written and checksummed from memory, not read back
    feather.write_feather(pa.Table.from_pandas(table, preserve_index=False), sink, compression="lz4")
    data = sink.getvalue()
    path.write_bytes(data)
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _share(folder: Path) -> None:
    """Give the staging folder and its files the modes a normal ``mkdir``/``open`` would (umask applied)."""
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    for file in folder.iterdir():
        file.chmod(0o666 & ~umask)
