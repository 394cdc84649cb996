"""What every site adapter shares: sections, listing entries, link recognition, pagination, dates and kinds.

An adapter (one module per site: ``mnd_en``, ``mnd_zh``, ``mfa_en``, ``mfa_zh``) is a :class:`SiteAdapter`
value: the listing pages to start from, the URL shape of an article and, where a listing mixes briefings with
other news, a title pattern that keeps the briefings. Article text is not parsed here: the saved pages go
through the same HTML extraction as :func:`toolkit.load_briefings`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

from ..dates import date_from_url, first_date, month_day, month_number
from ..kinds import kind_from_title
from ..readers.html import html_root

_NEXT_TEXTS = {"next", "next page", "next>", "next >", "next>>", "next »", ">", ">>", "›", "»",
               "下一页", "下页", "后页", "下一頁"}
_TRS_PAGER = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"](\w+)['\"]\s*,\s*['\"](\w+)['\"]")
_JS_CURRENT = re.compile(r"var\s+currentPage\s*=\s*(\d+)")
_JS_COUNT = re.compile(r"var\s+countPage\s*=\s*(\d+)")
_PAGE_FILE = re.compile(r"^(?P<stem>[A-Za-z]+)(?:_\d+)?\.(?P<ext>s?html?)$")

@dataclass(frozen=True)
class Section:
    """One listing of a site: candidate first pages (the first that answers is walked) and an optional title filter.

    ``start_urls`` holds the same listing under successive site layouts, newest first; ``title_filter``
    keeps only the entries whose listing title matches (``None`` keeps every article link). ``items`` is an
    XPath selecting the listing's article links (``None``: every link of the article shape on the page);
    ``follow`` an XPath of the link that a listed page (a topic page) gives to the article itself; ``kind``
    the kind of every item of the section (``None``: the kind the title names, else empty and the loader
    infers it from the text).
    """

    name: str
    start_urls: tuple[str, ...]
    title_filter: re.Pattern | None = None
    items: str | None = None
    follow: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class ListingEntry:
    """An article link found on a listing page, with what the listing tells about it."""

    url: str
    title: str
    date: dt.date | None
    kind: str
    section: str


@dataclass(frozen=True)
class SiteAdapter:
    """How to walk one site: its sections and the URL shape of its articles.

    Attributes
    ----------
    name : str
        The SOURCE name on the command line (``mnd_en`` ...).
    source, lang : str
        Values of the ``source`` and ``lang`` columns of the briefings.
    sections : tuple of Section
        Listings walked, in order.
    article_path : re.Pattern
        Matched (``search``) against the path of a link: a match is an article.
    more_pages : callable, optional
        ``more_pages(html, url)``: addresses of the continuation pages of an article page, in order.
    assemble : callable, optional
        ``assemble(htmls, url)``: the one page saved for an article from its decoded pages (first page first),
        or ``None``; without it, or when it gives ``None``, the first page is saved as served.
    """

    name: str
    source: str
    lang: str
    sections: tuple[Section, ...]
    article_path: re.Pattern
    more_pages: Callable[[str, str], list[str]] | None = None
    assemble: Callable[[list[str], str], str | None] | None = None

    @property
    def hosts(self) -> set[str]:
        """Host names of the canonical addresses of this site."""
        return {urlsplit(u).hostname for s in self.sections for u in s.start_urls}

    def entries(self, html: str, page_url: str, section: Section) -> list[ListingEntry]:
        """The article links of one listing page, in page order, without duplicates."""
        found: dict[str, ListingEntry] = {}
        for anchor in _anchors(html, section.items):
            url = _canonical_link(page_url, anchor.get("href", ""))
            parts = urlsplit(url)
            if parts.hostname not in self.hosts or not (section.follow or self.article_path.search(parts.path)):
                continue
            title = _anchor_title(anchor)
            if section.title_filter is not None and not section.title_filter.search(title):
                continue
            if url in found and len(found[url].title) >= len(title):
                continue
            context = _row_text(anchor)
            date = first_date(title) or first_date(context) or date_from_url(url)
            found[url] = ListingEntry(url, title, date, section.kind or kind_from_title(title) or "", section.name)
        return _complete_years(list(found.values()))

    def next_pages(self, html: str, page_url: str) -> list[str]:
        """Addresses of the following listing pages (same folder only), from the page's pager or a 'next' link."""
        folder = page_url.rsplit("/", 1)[0] + "/"
        pages = _pager_pages(html, page_url)
        for anchor in _anchors(html):
            text = " ".join(anchor.text_content().split()).lower()
            if text in _NEXT_TEXTS or "next" in (anchor.get("rel") or "").lower():
                pages.append(_canonical_link(page_url, anchor.get("href", "")))
        return [p for p in dict.fromkeys(pages) if p.startswith(folder) and p != page_url]


def _anchors(html: str, xpath: str | None = None):
    """The links of a page: every ``a``, or the elements ``xpath`` selects."""
    root = html_root(html)
    if root is None:
        return []
    return root.xpath(xpath) if xpath else root.iter("a")


def followed_link(html: str, page_url: str, xpath: str) -> str | None:
    """The address of the first link ``xpath`` selects on a page (``None`` when there is none)."""
    hrefs = [a.get("href", "").strip() for a in _anchors(html, xpath)]
    return next((_canonical_link(page_url, h) for h in hrefs if h), None)


def _canonical_link(page_url: str, href: str) -> str:
    """Resolve ``href`` against the page and drop the fragment; a link to the page's own host takes the
    page's scheme (sites mix ``http://`` and ``https://`` links to the same pages)."""
    link = urlsplit(urljoin(page_url, href.strip()))
    page = urlsplit(page_url)
    scheme = page.scheme if link.netloc == page.netloc else link.scheme
    return urlunsplit((scheme, link.netloc, link.path, link.query, ""))


def _row_text(anchor) -> str:
    """Text of the list item or table row holding a link (where listings print the date)."""
    holder = anchor.getparent()
    if holder is not None and holder.tag in ("td", "h2", "h3") and holder.getparent() is not None:
        holder = holder.getparent()   # the row, or the item of a ``li > h2 > a`` listing
    return " ".join(holder.itertext()) if holder is not None else ""


def _anchor_title(anchor) -> str:
    text = " ".join(anchor.text_content().split())
    attr = " ".join((anchor.get("title") or "").split())
    return attr if len(attr) > len(text) or text.endswith(("...", "…")) and attr else text


def _pager_pages(html: str, page_url: str) -> list[str]:
    """All later pages announced by the TRS/WCM pager script of fmprc.gov.cn and mod.gov.cn
    (``var countPage``/``currentPage`` or ``createPageHTML(count, current, stem, ext)``)."""
    trs = _TRS_PAGER.search(html)
    if trs:
        count, current, stem, ext = int(trs.group(1)), int(trs.group(2)), trs.group(3), trs.group(4)
    else:
        current_m, count_m = _JS_CURRENT.search(html), _JS_COUNT.search(html)
        name = _PAGE_FILE.match(page_url.rsplit("/", 1)[1] or "index.html")
        if not (current_m and count_m and name):
            return []
        count, current, stem, ext = int(count_m.group(1)), int(current_m.group(1)), name["stem"], name["ext"]
    return [urljoin(page_url, f"{stem}_{i}.{ext}") for i in range(current + 1, count)]


def _complete_years(entries: list[ListingEntry]) -> list[ListingEntry]:
    """Give a title with month and day but no year ("... on September 10") the year of its dated neighbours.

    Listings run newest first: the year is taken only when the nearest dated entries before and after
    share it and the completed date falls between them.
    """
    dates = [e.date for e in entries]
    done = []
    for i, entry in enumerate(entries):
        parts = None if entry.date else _month_day(entry.title)
        newer = next((d for d in reversed(dates[:i]) if d), None)
        older = next((d for d in dates[i + 1:] if d), None)
        if parts and newer and older and newer.year == older.year:
            try:
                guess = dt.date(newer.year, *parts)
            except ValueError:
                guess = None
            if guess and older <= guess <= newer:
                entry = ListingEntry(entry.url, entry.title, guess, entry.kind, entry.section)
        done.append(entry)
    return done


def _month_day(text: str) -> tuple[int, int] | None:
    match = month_day(text)
    return (month_number(match["month"]), int(match["day"])) if match else None
