"""Bytes to text, for files and fetched pages alike.

Candidates in order: a byte-order mark, the HTTP ``charset`` (fetched pages), a ``<meta charset>``,
UTF-16 without a byte-order mark when NUL bytes fill every other position (Windows "Unicode" text),
UTF-8, then GB18030 (``gb2312``/``gbk`` are read as GB18030, their superset). A declared charset that
fails on the bytes is not trusted: Chinese sites often declare ``gb2312`` for UTF-8 pages and the reverse.
A decoding that yields NUL characters is taken only when no candidate avoids them, and then the NULs
are removed and the encoding's name says so (``"utf-8 (NUL bytes removed)"``): text is never silently
full of NULs.
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
        _utf16_guess(raw),
        "utf-8-sig",
        "gb18030",
    ]
    return list(dict.fromkeys(c for c in candidates if c))


def _utf16_guess(raw: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes fill most odd/even positions of the first 4 KB, else None."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


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
    with_nuls = None
    for encoding in charset_candidates(raw, content_type=content_type):
        try:
            text = raw.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text, encoding
        with_nuls = with_nuls or (text.replace("\x00", ""), f"{encoding} (NUL bytes removed)")
    if with_nuls:
        return with_nuls
    raise DecodeError(
        f"{where}: bytes are neither UTF-8 nor GB18030; re-save the file as UTF-8 "
        "(e.g. `iconv -f <its encoding> -t utf-8`)."
    )
