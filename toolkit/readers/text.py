"""Plain-text briefings: a headline line (optional), then one paragraph a line (or blank-line separated)."""
from __future__ import annotations

import re

_LABEL_START = re.compile(r"^[^:：]{1,40}[:：]")


def read_text_record(text: str) -> dict:
    """Split a plain-text briefing into ``title`` and ``text``.

    The first line is taken as a headline when it is short (under 200 characters), has no
    sentence-final punctuation and the file has more lines; otherwise there is no title.

    Returns
    -------
    dict
        ``title`` (str or None) and ``text``.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    first, _, rest = text.partition("\n")
    if rest.strip() and _is_headline(first.strip()):
        return {"title": first.strip(), "text": rest.strip()}
    return {"title": None, "text": text}


def _is_headline(line: str) -> bool:
    return 0 < len(line) < 200 and not re.search(r"[.!?。！？\"”)）]$", line) and not line.startswith("(")
