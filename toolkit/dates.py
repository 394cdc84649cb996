"""The one date grammar: how briefing dates are written, read by metadata inference and the fetcher alike.

Every pattern names its parts ``year``, ``month`` (a number or an English month name) and ``day``:

- written dates: ``Jan. 28, 2021`` / ``January 28th 2021`` (:data:`FULL_DATE`), ``28 January 2021``
  (:data:`DAY_MONTH_YEAR`), ``2021年1月28日`` (:data:`ZH_DATE`);
- numeric dates: ``2021-01-28``, ``2021/1/28``, ``2021.01.28`` (:data:`ISO_DATE`), ``2015-July-30``
  (:data:`NAMED_ISO_DATE`);
- a month and day only: ``Dec. 26`` (:data:`MONTH_DAY`), ``12月26日`` (:data:`ZH_MONTH_DAY`), a news
  dateline ``BEIJING, Jan. 28 --`` (:data:`DATELINE`);
- dates in an address: ``/2015-01/29/``, ``/201501/29/``, ``/202007/t20200703_1234.shtml`` (:func:`date_from_url`).

Values outside pandas' datetime range (years before 1677 or after 2262) are no dates here.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

MONTH_NUMBERS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
                 "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"\b(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

FULL_DATE = re.compile(_MONTH + r"\s*" + _DAY + r",?\s+" + _YEAR + r"\b", re.I)
DAY_MONTH_YEAR = re.compile(r"(?<!\d)" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I)
ZH_DATE = re.compile(_YEAR + r"\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
ISO_DATE = re.compile(r"(?<!\d)" + _YEAR + r"[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
NAMED_ISO_DATE = re.compile(r"(?<!\d)" + _YEAR + r"-" + _MONTH + r"-(?P<day>\d{1,2})(?!\d)", re.I)
MONTH_DAY = re.compile(_MONTH + r"\s*" + _DAY + r"\b", re.I)
ZH_MONTH_DAY = re.compile(r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
DATELINE = re.compile(r"^\s*[A-Z][A-Za-z]+,\s+" + _MONTH + r"\s+(?P<day>\d{1,2})(?:,\s*" + _YEAR + r")?\s*"
                      r"(?:\([^)]*\))?\s*(?:--|–|—)", re.M)
URL_DATES = (
    re.compile(r"/" + _YEAR + r"-?(?P<month>\d\d)/(?P<day>\d\d)/"),                 # /Press/2015-01/29/content_4567609.htm
    re.compile(r"/\d{6}/t" + _YEAR + r"(?P<month>\d\d)(?P<day>\d\d)_\d+"),          # /202007/t20200703_1234.shtml
)
URL_YEAR_MONTH = re.compile(r"/" + _YEAR + r"-(?P<month>\d\d)/")
BYLINE_YEAR = re.compile(r"\b" + _YEAR + r"-(?:\d\d|[A-Z][a-z]+)-\d\d\b")
ANY_YEAR = re.compile(r"\b" + _YEAR + r"\b")

WRITTEN = (FULL_DATE, ZH_DATE)
ANY_FULL = (ISO_DATE, ZH_DATE, FULL_DATE, DAY_MONTH_YEAR, NAMED_ISO_DATE)


def month_number(month: str | int) -> int:
    """``"Sept."`` → 9, ``"12"`` → 12."""
    text = str(month)
    return int(text) if text.isdigit() else MONTH_NUMBERS[text[:3].lower()]


def make_date(year, month, day) -> dt.date | None:
    """The calendar date, or ``None`` when it does not exist (``2021-02-30``)."""
    try:
        return dt.date(int(year), month_number(month), int(day))
    except (ValueError, KeyError):
        return None


def first_date(text: str | None, patterns=ANY_FULL) -> dt.date | None:
    """The first existing date that ``patterns`` (tried in order) find in ``text``, or ``None``.

    Examples
    --------
    >>> first_date("Regular Press Conference on Sept. 24, 2020")
    datetime.date(2020, 9, 24)
    >>> first_date("2019年12月26日国防部例行记者会")
    datetime.date(2019, 12, 26)
    """
    for pattern in patterns:
        for match in pattern.finditer(text or ""):
            found = make_date(match["year"], match["month"], match["day"])
            if found is not None:
                return found
    return None


def written_date(text: str | None) -> dt.date | None:
    """A date spelled out with a month name (``Jan. 28, 2021``) or in Chinese (``2021年1月28日``)."""
    return first_date(text, WRITTEN)


def month_day(text: str | None, patterns=(MONTH_DAY, ZH_MONTH_DAY)) -> re.Match | None:
    """The first month-and-day (no year) match in ``text``: groups ``month``, ``day`` (and ``year`` if any)."""
    for pattern in patterns:
        match = pattern.search(text or "")
        if match:
            return match
    return None


def date_from_url(url: str | None) -> dt.date | None:
    """The posting date written in an article path (``/2015-01/29/`` or ``/202007/t20200703_``), or None."""
    return first_date(url, URL_DATES)


def year_hint(*texts: str | None) -> int | None:
    """The first year found in ``texts``: a ``/YYYY-MM/`` path, a byline date, then any 19xx/20xx."""
    for text in texts:
        for pattern in (URL_YEAR_MONTH, BYLINE_YEAR, ANY_YEAR):
            match = pattern.search(text or "")
            if match:
                return int(match["year"])
    return None


def to_timestamp(value) -> pd.Timestamp:
    """A date column's value as a day-precision ``Timestamp`` (time zone dropped), or ``NaT``.

    ISO dates take a fast path, Chinese ones (``2024年01月25日``) the date grammar; anything else goes
    through pandas. Unparseable values and dates outside pandas' range give ``NaT``.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return pd.NaT
    if isinstance(value, (dt.date, pd.Timestamp)):
        return _in_range(pd.Timestamp(value) if not isinstance(value, dt.datetime) else value)
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return _in_range(dt.date.fromisoformat(text))
        except ValueError:
            return pd.NaT
    if ZH_DATE.search(text):
        return _in_range(first_date(text, (ZH_DATE,)))
    try:
        return _in_range(pd.to_datetime(text, errors="coerce"))
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return pd.NaT


def _in_range(value) -> pd.Timestamp:
    if value is None or pd.isna(value):
        return pd.NaT
    try:
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize(None) if stamp.tzinfo else stamp
        return stamp.as_unit("ns") if pd.Timestamp.min <= stamp <= pd.Timestamp.max else pd.NaT
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        return pd.NaT
