"""Bytes to text, for files and fetched pages alike.

Candidates in order: a byte-order mark, the HTTP ``charset`` (fetched pages), a ``<meta charset>``,
UTF-8, then GB18030 (``gb2312``/``gbk`` are read as GB18030, their superset). A declared charset that
fails on the bytes is not trusted: Chinese sites often declare ``gb2312`` for UTF-8 pages and the reverse.
"""
from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class DecodeError(ValueError):
    """The bytes are in none of the encodings the toolkit tries."""


def _normal_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().lower()
    if name in {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"}:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_candidates(raw: bytes, *, content_type: str | None = None) -> list[str]:
    """Encodings to try on ``raw``, most trusted first, without repeats."""
    bom = next((name for mark, name in _BOMS if raw.startswith(mark)), None)
    header = _HEADER_CHARSET.search(content_type or "")
    meta = _META_CHARSET.search(raw[:4096])
    candidates = [
        bom,
        _normal_charset(header.group(1) if header else None),
        _normal_charset(meta.group(1).decode("ascii") if meta else None),
        "utf-8-sig",
        "gb18030",
    ]
    return list(dict.fromkeys(c for c in candidates if c))


def decode_bytes(raw: bytes, *, where: str, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``raw`` with the first of :func:`charset_candidates` that fits.

    Returns
    -------
    (str, str)
        The text and the encoding that worked.

    Raises
    ------
    DecodeError
        Naming ``where`` and the fix when no encoding decodes the bytes.
    """
    for encoding in charset_candidates(raw, content_type=content_type):
        try:
            return raw.decode(encoding).lstrip("\ufeff"), encoding
        except UnicodeDecodeError:
            continue
    raise DecodeError(
        f"{where}: bytes are neither UTF-8 nor GB18030; re-save the file as UTF-8 "
        "(e.g. `iconv -f <its encoding> -t utf-8`)."
    )
