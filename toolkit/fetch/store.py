"""The fetched corpus on disk: raw pages written atomically and a manifest appended one whole row at a time.

Layout of ``out``::

    out/raw/<sha1 of the url>.html   every article page exactly as served
    out/manifest.csv                 one row per fetch attempt (the last row of a url wins)

A page file is complete before its manifest row is written, and each row is a single ``write`` on a file
opened in append mode, so an interrupted run leaves no half page and no half row behind. Both get the mode of
an ordinary new file (``0o666`` less the umask).
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import threading
import uuid
from pathlib import Path

import pandas as pd

from .http import PAGE_STATUS

MANIFEST_COLUMNS = ("url", "path", "fetched_at", "status", "sha256", "bytes", "error",
                    "source", "kind", "lang", "section", "title", "listing_date", "capture")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    The file gets the mode ``open(path, "wb")`` would give it (``0o666`` less the umask), not ``mkstemp``'s 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.parent / f".{path.name}.{uuid.uuid4().hex}.part"
    handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def raw_name(url: str) -> str:
    """File name of a saved page: the SHA-1 of its canonical address (stable across runs and mirrors)."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest() + ".html"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


class Manifest:
    """``manifest.csv`` of a corpus folder: read the rows so far, append new rows atomically (thread-safe)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def read(self) -> pd.DataFrame:
        """All complete rows (a torn last line from a crash is ignored), as strings."""
        if not self.path.exists():
            return pd.DataFrame(columns=list(MANIFEST_COLUMNS))
        with open(self.path, newline="", encoding="utf-8") as stream:
            rows = list(csv.reader(stream))
        header, body = rows[0] if rows else list(MANIFEST_COLUMNS), rows[1:]
        body = [r for r in body if len(r) == len(header)]
        return pd.DataFrame(body, columns=header)

    def good(self) -> pd.DataFrame:
        """The latest row of every url whose page was saved (status :data:`PAGE_STATUS`, no error, file present
        with the recorded size): the pages a new run skips and counts in the corpus."""
        rows = self.read().drop_duplicates("url", keep="last")
        rows = rows[(rows["status"] == str(PAGE_STATUS)) & (rows["error"] == "")]
        whole = [_size(self.path.parent / p) == int(n) for p, n in zip(rows["path"], rows["bytes"])]
        return rows.loc[pd.Series(whole, index=rows.index, dtype=bool)]

    def _header(self) -> list[str]:
        with open(self.path, newline="", encoding="utf-8") as stream:
            return next(csv.reader(stream), [])

    def _rewrite(self) -> None:
        """Rewrite a manifest of an older layout with the current columns (new ones empty)."""
        buffer = io.StringIO()
        self.read().reindex(columns=MANIFEST_COLUMNS, fill_value="").to_csv(buffer, index=False, lineterminator="\n")
        write_atomic(self.path, buffer.getvalue().encode("utf-8"))

    def append(self, row: dict) -> None:
        """Append one row with a single ``write`` (and the header first if the file is new)."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        with self._lock:
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            if fresh:
                writer.writerow(MANIFEST_COLUMNS)
            elif self._header() != list(MANIFEST_COLUMNS):
                self._rewrite()
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in MANIFEST_COLUMNS])
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
            try:
                os.write(handle, buffer.getvalue().encode("utf-8"))
                os.fsync(handle)
            finally:
                os.close(handle)
