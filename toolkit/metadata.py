"""Metadata taken from a briefing's own text, title and address; boilerplate separated from the text.

Everything here follows the observed formats of the MND and MFA sites (see ``corpus/README.md``):
disclaimers, photo captions, bylines and page furniture are cut from the text and kept aside; the
date comes from the title, the caption, a dateline plus a year, a byline or the URL; the
spokesperson and rank from labels and captions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .datafiles import read_data_table
from .dates import (DATELINE, ISO_DATE, MONTH_DAY, NAMED_ISO_DATE, ZH_MONTH_DAY, date_from_url, first_date, make_date,
                    month_day, to_timestamp, written_date, year_hint)

_WORDS_LOOSE = lambda words: r"\s*".join(re.escape(w) for w in words.split())  # noqa: E731
DISCLAIMER = re.compile(
    r"[(（]?\s*" + _WORDS_LOOSE("The following English text of the press conference is for reference.")
    + r"\s*" + _WORDS_LOOSE("In case of any divergence of") + r"\s*interpretations?\s*,?\s*"
    + _WORDS_LOOSE("the Chinese text shall prevail") + r"\s*\.?\s*[)）]?",
    re.I,
)
_FOLLOWING = re.compile("following", re.IGNORECASE)
_DIVERGENCE = re.compile("divergence", re.I)
_CAPTION_END = re.compile(r"[(（]\s*(?:photo|photos|source|video|by)\b[^()（）]*[)）]?\s*$", re.I)
_CAPTION_CN = re.compile(r"\S{1,8}\s*摄\s*[)）]?\s*$")
_FURNITURE = [
    re.compile(p, re.I)
    for p in (
        r"^(?:source|editor|editors|author|time|responsible editor)\s*[:：].{0,80}$",
        r"^you'?re at\s*:.*$",
        r"^[(（]\s*source\s*:[^)）]*[)）].{0,40}$",
        r"^(?:large|medium|small)(?:\s+(?:large|medium|small))+$",
        r"^(?:\[?\d+\]?\s*){2,}(?:next|>>)?\s*$",
        r"^(?:previous|prev|next|first|last|home|top|print|close|share)(?:\s*(?:page)?\s*[|/>]*\s*(?:previous|prev|next|first|last|home|top|print|close|share)?)*\s*$",
        r"^(?:19|20)\d\d-\d\d-\d\d(?:\s+\d\d:\d\d(?::\d\d)?)?$",
        r"^【?(?:字号|打印|关闭|分享)[^。]{0,30}$",
        r"^(?:责任编辑|来源|作者)\s*[:：].{0,40}$",
        r"^(?:时间|地点|发布人)\s*[:：].{0,120}$",                 # a transcript's header (年月国防部例行记者会文字实录)
    )
]
_FURNITURE_ANY = re.compile("|".join(f"(?:{p.pattern})" for p in _FURNITURE), re.I)
_BYLINES = ("Ministry of National Defense", "China Military Online", "Xinhua", "PLA Daily", "MOD")
_BYLINE_HEAD = re.compile("^(?:" + "|".join(map(re.escape, _BYLINES)) + ")$", re.I)
_BYLINE_LONGEST = max(map(len, _BYLINES))          # a longer line is no byline (each character matches one)

RANKS = ("Senior Colonel", "Colonel", "Major General", "Lieutenant General", "Rear Admiral", "Senior Col.", "Sr. Col.")
_HAS_RANK_WORD = re.compile("Col|General|Admiral")                  # in every rank _RANK_NAME knows
_RANK_LEAD = len("Lieutenant ")                     # the most characters a rank of _RANK_NAME has before its rank word
_RANK_NAME = re.compile(
    r"\b(?P<rank>Senior Colonel|Sr\.? Col\.|Senior Col\.|Colonel|Major General|Lieutenant General|Rear Admiral)\s+"
    r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2})"
)


@lru_cache(maxsize=1)
def _packaged_spokespersons() -> pd.DataFrame:
    return read_data_table("default", default="spokespersons.csv", columns=["name"], func="load_briefings",
                           arg="spokespersons")


def spokespersons_table(spokespersons: pd.DataFrame | str | Path | None = None) -> pd.DataFrame:
    """Return the spokesperson table: the packaged ``spokespersons.csv`` or the user's file/DataFrame.

    Needs a ``name`` column; ``name_zh`` and ``ministry`` are used when present.
    """
    if spokespersons is None:
        return _packaged_spokespersons().copy()
    return read_data_table(spokespersons, default="spokespersons.csv", columns=["name"], func="load_briefings",
                           arg="spokespersons")


@dataclass(frozen=True)
class CleanText:
    """Text with its boilerplate cut out; ``removed`` keeps what was cut, one piece a line."""

    text: str
    removed: str


def strip_boilerplate(text: str) -> CleanText:
    """Remove the disclaimer, photo captions, bylines and page furniture from a briefing text.

    Parameters
    ----------
    text : str
        Briefing text, one paragraph a line.

    Returns
    -------
    CleanText
        ``text`` without boilerplate (paragraphs kept one a line) and ``removed`` (the cut pieces).
    """
    removed: list[str] = []

    def _cut(match: re.Match) -> str:
        removed.append(match.group(0).strip())
        return "\n"

    if _holds(_FOLLOWING, "ollow", text[:3000]) and _holds(_DIVERGENCE, "vergence", text):  # words the disclaimer holds
        text = DISCLAIMER.sub(_cut, text)
    lines = [ln.strip() for ln in text.splitlines()]
    kept: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            continue
        if _is_boilerplate_line(line, lines, i):
            removed.append(line)
        else:
            kept.append(line)
    return CleanText("\n".join(kept), "\n".join(removed))


def _holds(pattern: re.Pattern, lower: str, text: str) -> bool:
    """Whether the case-insensitive ``pattern`` occurs in ``text``, searched only when ``text.lower()`` holds
    ``lower``, a part of the pattern's word whose letters have ASCII case variants only (so any match holds it)."""
    return lower in text.lower() and pattern.search(text) is not None


def _is_boilerplate_line(line: str, lines: list[str], i: int) -> bool:
    if len(line) < 200 and _FURNITURE_ANY.match(line):
        return True
    # each search only where its pattern's fixed character occurs (most paragraphs have none): same answers
    if (line.find("(", -160) >= 0 or line.find("（", -160) >= 0) and _CAPTION_END.search(line[-160:]) \
            and not _ends_like_speech(line):
        return True
    if len(line) < 300 and "摄" in line and _CAPTION_CN.search(line):
        return True
    if len(line) <= _BYLINE_LONGEST and _BYLINE_HEAD.match(line):
        following = [ln for ln in lines[i + 1 : i + 4] if ln]
        return any(_FURNITURE[6].match(ln) for ln in following)
    before = (lines[i - 1] or "") if i > 0 else ""
    if (i > 0 and len(line) < 40 and len(before) <= _BYLINE_LONGEST and _BYLINE_HEAD.match(before)
            and not re.search(r"[.!?。:]$", line)):
        return True
    return False


def _ends_like_speech(line: str) -> bool:
    """A paragraph of speech that merely quotes '(source ...)' mid-sentence is not a caption."""
    body = _CAPTION_END.sub("", line).strip()
    return len(body) > 400


def _timestamp(found) -> pd.Timestamp | None:
    return pd.Timestamp(found) if found is not None else None


def _month_day(pattern: re.Pattern, text: str, year: int | None, posted: pd.Timestamp | None) -> pd.Timestamp | None:
    m = month_day(text, (pattern,))
    if not m:
        return None
    year = int(m["year"]) if "year" in m.groupdict() and m["year"] else year
    if year is None and posted is not None:
        year = posted.year
    if year is None:
        return None
    found = make_date(year, m["month"], m["day"])
    if found is not None and posted is not None and pd.Timestamp(found) > posted + pd.Timedelta(days=180):
        found = make_date(year - 1, m["month"], m["day"])
    return _timestamp(found)


def infer_date(
    *, title: str, text: str, url: str, removed: str = "", page_date: str | None = None
) -> tuple[pd.Timestamp | None, str]:
    """Find a briefing's date and say where it came from.

    Order: a full date in the title; a month and day in the title with the year of the posting
    date (URL path, byline, page metadata or fetch listing) or else the first year in the URL,
    byline or text (the previous year when the result would fall months after the posting date);
    a full date in the caption or byline; a dateline (``BEIJING, Jan. 28 --``) with that year; a
    full date in the first paragraph; the posting date itself.

    Returns
    -------
    (Timestamp or None, str)
        The date and its origin (``"title"``, ``"title+year"``, ``"caption"``, ``"dateline+year"``,
        ``"text"``, ``"url"``, ``"page"`` (page metadata or fetch listing) or ``"none"``).
    """
    head = text[:600]
    page = to_timestamp(page_date)
    page = None if pd.isna(page) else page
    posted = _timestamp(date_from_url(url) or first_date(removed, (ISO_DATE, NAMED_ISO_DATE))) or page
    year = posted.year if posted is not None else year_hint(url, removed, head, title)
    steps = (
        ("title", lambda: _timestamp(written_date(title))),
        ("title+year", lambda: _month_day(MONTH_DAY, title, year, posted) or _month_day(ZH_MONTH_DAY, title, year, posted)),
        ("caption", lambda: _timestamp(written_date(removed))),
        ("dateline+year", lambda: _month_day(DATELINE, head, year, posted)),
        ("text", lambda: _timestamp(written_date(head))),
    )
    for origin, step in steps:
        found = step()
        if found is not None:
            return found, origin
    if posted is not None:
        return posted, "page" if posted is page else "url"
    return None, "none"


def infer_spokesperson(*, title: str, text: str, removed: str = "", spokespersons: pd.DataFrame,
                       names: tuple[re.Pattern, dict[str, str]] | None = None) -> tuple[str | None, str | None]:
    """Return (spokesperson, rank) found in the title, caption or text.

    A rank before a name (``Senior Colonel Wu Qian``) gives both; otherwise the first known
    spokesperson (English or Chinese name) mentioned in the title, then the caption, then the text.
    ``names``: :func:`name_pattern` of ``spokespersons``, when the caller made it once for many briefings.
    """
    names = names or name_pattern(spokespersons)
    for source in (title, removed, text[:3000]):
        m = _rank_name(source)
        if m:
            return m.group("name"), _normalise_rank(m.group("rank"))
    for source in (title, removed, text[:3000]):
        name = _first_known_name(source or "", names)
        if name:
            return name, None
    return None, None


def _rank_name(source: str) -> re.Match | None:
    """The first rank and name in ``source``, searched from :data:`_RANK_LEAD` characters before the first rank word
    (no rank starts earlier: the same match as searching it all)."""
    word = _HAS_RANK_WORD.search(source) if source else None
    return _RANK_NAME.search(source, max(0, word.start() - _RANK_LEAD)) if word else None


def _normalise_rank(rank: str) -> str:
    return "Senior Colonel" if rank.startswith(("Sr", "Senior")) else rank


def name_pattern(spokespersons: pd.DataFrame) -> tuple[re.Pattern, dict[str, str]]:
    """A regex matching any spokesperson's English or Chinese name, and a map from variant to English name."""
    key = tuple(spokespersons["name"].tolist()) + tuple(spokespersons["name_zh"].tolist()
                                                        if "name_zh" in spokespersons.columns else ())
    if key not in _NAME_PATTERNS:
        variants = {}
        for column in ("name", "name_zh"):
            if column in spokespersons.columns:
                for english, variant in zip(spokespersons["name"], spokespersons[column]):
                    if isinstance(variant, str) and variant.strip():
                        variants[variant.strip()] = english
        ordered = sorted(variants, key=len, reverse=True)
        _NAME_PATTERNS[key] = (re.compile("|".join(map(re.escape, ordered)) or r"(?!)"), variants)
    return _NAME_PATTERNS[key]


_NAME_PATTERNS: dict = {}


def _first_known_name(text: str, names: tuple[re.Pattern, dict[str, str]]) -> str | None:
    pattern, variants = names
    m = pattern.search(text)
    return variants[m.group(0)] if m else None


_SOURCE_HOSTS = [
    ("mnd", re.compile(r"mod\.gov\.cn|chinamil\.com\.cn|pladaily\.com\.cn|81\.cn", re.I)),
    ("mfa", re.compile(r"fmprc\.gov\.cn|mfa\.gov\.cn", re.I)),
]
_SOURCE_WORDS = [
    ("mnd", re.compile(r"Ministry of National Defense|National Defense Ministry|Defense Ministry|\bMND\b|\bMOD\b|国防部", re.I)),
    ("mfa", re.compile(r"Foreign Ministry|Ministry of Foreign Affairs|\bMFA\b|外交部", re.I)),
]


def infer_source(*, url: str, title: str, text: str, spokesperson: str | None, spokespersons: pd.DataFrame) -> str | None:
    """``mnd`` or ``mfa`` from the host, then the spokesperson's ministry, then the wording."""
    for name, pattern in _SOURCE_HOSTS:
        if pattern.search(url or ""):
            return name
    if spokesperson and "ministry" in spokespersons.columns:
        match = spokespersons.loc[spokespersons["name"] == spokesperson, "ministry"]
        if len(match):
            return str(match.iloc[0])
    for name, pattern in _SOURCE_WORDS:
        if pattern.search(title or "") or pattern.search((text or "")[:1500]):
            return name
    return None
