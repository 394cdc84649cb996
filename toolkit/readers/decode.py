"""Bytes to text: UTF-8 (with or without BOM), then GB18030, with a message that names the file."""
from __future__ import annotations

import re

ENCODINGS = ("utf-8-sig", "gb18030")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)


class DecodeError(ValueError):
    """The bytes are in none of the encodings the toolkit tries."""


def declared_charset(raw: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag, if any (``gb2312``/``gbk`` read as GB18030)."""
    m = _META_CHARSET.search(raw[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    return "gb18030" if name in {"gb2312", "gbk", "gb18030", "x-gbk"} else name


def decode_bytes(raw: bytes, *, where: str, declared: str | None = None) -> tuple[str, str]:
    """Decode ``raw``: the declared charset first, then UTF-8 (BOM tolerated), then GB18030.

    Returns
    -------
    (str, str)
        The text and the encoding that worked.

    Raises
    ------
    DecodeError
        Naming ``where`` and the fix when no encoding decodes the bytes.
    """
    for encoding in ([declared] if declared else []) + list(ENCODINGS):
        try:
            return raw.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    raise DecodeError(
        f"{where}: bytes are neither UTF-8 nor GB18030; re-save the file as UTF-8 "
        "(e.g. `iconv -f <its encoding> -t utf-8`)."
    )
