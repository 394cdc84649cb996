"""Retired article pages through the Wayback Machine: CDX listing of captures, then their original bytes.

The pre-2023 MND addresses (``www.mod.gov.cn/jzhzt/2016-01/28/content_4637000.htm`` and the copies on
``www.81.cn``) now answer 404; the Internet Archive keeps captures of them. :class:`WaybackArchive` asks the
CDX API for the captures under each address prefix of a source (``ARCHIVE_PREFIXES`` of its adapter module),
keeps one capture per original address (the earliest), groups the continuation pages ``content_N_2.htm``,
``content_N_3.htm`` ... with their first page, and fetches every page as ``/web/<timestamp>id_/<original>``
(the bytes as first served). Pages of one article are joined into one document. All requests go through the
crawl's :class:`~toolkit.fetch.http.HttpClient` (robots.txt, delay, retries, size limit).
"""
from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit, urlunsplit

from .._checks import ToolkitError
from . import ARCHIVE_NAMES
from ..dates import date_from_url
from .http import FetchError, HttpClient
from .sites import ListingEntry, SiteAdapter

WAYBACK = "http://web.archive.org"
_PAGE = re.compile(r"^(?P<stem>.*/content_\d+)(?:_(?P<page>\d+))?(?P<ext>\.html?)$")


@dataclass(frozen=True)
class Capture:
    """One capture: its 14-digit ``timestamp`` and the ``original`` address as the CDX API spells it."""

    timestamp: str
    original: str


@dataclass
class WaybackArchive:
    """The captures of one source's retired addresses, listed once and fetched page by page.

    Parameters
    ----------
    adapter : SiteAdapter
        The source; its ``article_path`` decides which captured addresses are articles.
    prefixes : tuple of str
        Address prefixes listed with the CDX API (``www.mod.gov.cn/jzhzt/``).
    client : HttpClient
        The crawl's client.
    server : str
        The Wayback Machine (``http://web.archive.org``) or a replica with the same paths.
    """

    adapter: SiteAdapter
    prefixes: tuple[str, ...]
    client: HttpClient
    server: str = WAYBACK
    failures: list[dict] = field(default_factory=list)
    _pages: dict[str, dict[int, Capture]] = field(default_factory=dict)

    def entries(self, since: dt.date | None) -> tuple[list[ListingEntry], int]:
        """One entry per archived article (first page's original address, date from the path), and the number
        of CDX listings read. Captures before ``since`` are not asked for: a page is captured after it is posted.
        """
        read = 0
        for prefix in self.prefixes:
            try:
                rows = _cdx_rows(self.client.get(self.cdx_url(prefix, since)).content)
            except (FetchError, ValueError) as err:
                self.failures.append({"url": self.cdx_url(prefix, since), "stage": "listing",
                                      "status": getattr(err, "status", None), "error": _reason(err)})
                continue
            read += 1
            for capture in rows:
                self._add(capture)
        return [ListingEntry(url, "", date_from_url(url), "", "wayback") for url in self._pages], read

    def cdx_url(self, prefix: str, since: dt.date | None) -> str:
        """The CDX query for every 200 capture under ``prefix`` (from ``since`` on)."""
        query = {"url": prefix + "*", "output": "json", "filter": "statuscode:200", "fl": "timestamp,original"}
        if since:
            query["from"] = since.strftime("%Y%m%d")
        return f"{self.server.rstrip('/')}/cdx/search/cdx?{urlencode(query, safe='*:/,')}"

    def _add(self, capture: Capture) -> None:
        """Keep ``capture`` if it is a page of an article and the earliest one of its address."""
        canonical = _canonical(capture.original)
        page = _PAGE.match(canonical)
        if not page:
            return
        first = page["stem"] + page["ext"]
        if not self.adapter.article_path.search(urlsplit(first).path):
            return
        pages = self._pages.setdefault(first, {})
        number = int(page["page"] or 1)
        if number not in pages or capture.timestamp < pages[number].timestamp:
            pages[number] = capture

    def fetch(self, entry: ListingEntry) -> tuple[bytes, dict]:
        """The article ``entry`` with all its pages joined, and the manifest fields it adds (``capture``: the
        timestamps of its pages, in page order). A page listed but not captured, or linked from the first page
        but not listed, is asked for at the article's earliest timestamp (the Wayback Machine answers with the
        nearest capture).

        Raises
        ------
        FetchError
            When any page of the article cannot be fetched (nothing is saved then).
        """
        pages = dict(self._pages[entry.url])
        when = min(c.timestamp for c in pages.values())
        first = pages.get(1) or Capture(when, entry.url)
        contents = [self._get(first)]
        pages[1] = first
        for number in _linked_pages(contents[0], entry.url) - set(pages):
            pages[number] = Capture(when, _page_url(entry.url, number))
        contents += [self._get(pages[n]) for n in sorted(pages) if n > 1]
        joined = contents[0] if len(contents) == 1 else join_pages(contents)
        return joined, {"capture": " ".join(pages[n].timestamp for n in sorted(pages))}

    def _get(self, capture: Capture) -> bytes:
        address = f"{self.server.rstrip('/')}/web/{capture.timestamp}id_/{capture.original}"
        try:
            return self.client.get(address).content
        except FetchError as err:
            raise FetchError(capture.original, f"capture {address}: {err.reason}", err.status) from None


def open_archive(archive: str, adapter: SiteAdapter, client: HttpClient, server: str | None) -> WaybackArchive:
    """The archive ``archive`` of ``adapter``'s source, or :class:`ToolkitError` when it has none."""
    if archive not in ARCHIVE_NAMES:
        raise ToolkitError(f"fetch_briefings(): unknown archive={archive!r}; choose one of {list(ARCHIVE_NAMES)}.")
    prefixes = getattr(importlib.import_module(f"{__package__}.{adapter.name}"), "ARCHIVE_PREFIXES", ())
    if not prefixes:
        raise ToolkitError(f"fetch_briefings(): {adapter.name} has no retired addresses to look up in the "
                           f"{archive} archive; drop archive= for the live site.")
    return WaybackArchive(adapter, tuple(prefixes), client, server or WAYBACK)


def join_pages(contents: list[bytes]) -> bytes:
    """The first page with the paragraphs of the following pages appended to its text, as UTF-8 HTML.

    The text of a page is the element holding the most ``<p>`` children (its ``<body>`` when none has any);
    the charset declarations of the first page give way to ``<meta charset="utf-8">``.
    """
    import lxml.html

    from ..readers.decode import decode_bytes

    roots = [lxml.html.document_fromstring(decode_bytes(c, where="archived page")[0]) for c in contents]
    target = _text_holder(roots[0])
    for root in roots[1:]:
        holder = _text_holder(root)
        target.extend(holder.findall("p") if holder.find("p") is not None else list(holder))
    for meta in roots[0].xpath("//meta[@charset or translate(@http-equiv, 'CONTENYP', 'contenyp')='content-type']"):
        meta.drop_tree()
    roots[0].find("head").insert(0, lxml.html.Element("meta", charset="utf-8"))
    return lxml.html.tostring(roots[0], encoding="unicode", doctype="<!DOCTYPE html>").encode("utf-8")


def _text_holder(root):
    holders = [e for e in root.iter() if isinstance(e.tag, str) and e.find("p") is not None]
    return max(holders, key=lambda e: len(e.findall("p")), default=root.find("body"))


def _linked_pages(content: bytes, url: str) -> set[int]:
    """Numbers of the continuation pages of ``url`` that its first page links to (``content_N_2.htm`` ...)."""
    page = _PAGE.match(url)
    name = re.escape(page["stem"].rsplit("/", 1)[1])
    return {int(n) for n in re.findall(rf"{name}_(\d+){re.escape(page['ext'])}".encode(), content)}


def _page_url(url: str, number: int) -> str:
    page = _PAGE.match(url)
    return f"{page['stem']}_{number}{page['ext']}"


def _canonical(original: str) -> str:
    """``http://host/path`` of a captured address (scheme, ``:80``, case of the host and query dropped)."""
    parts = urlsplit(original if "://" in original else "http://" + original)
    return urlunsplit(("http", (parts.hostname or "").lower(), parts.path, "", ""))


def _cdx_rows(content: bytes) -> list[Capture]:
    """Captures of a CDX JSON answer (a header row, then one row per capture); ValueError when it is not one."""
    rows = json.loads(content.decode("utf-8") or "[]")
    if not rows:
        return []
    header = rows[0]
    if not isinstance(header, list) or not {"timestamp", "original"} <= set(header):
        raise ValueError("CDX answer without timestamp/original columns")
    at, original = header.index("timestamp"), header.index("original")
    return [Capture(r[at], r[original]) for r in rows[1:]]


def _reason(err: Exception) -> str:
    return err.reason if isinstance(err, FetchError) else f"not a CDX JSON answer: {err}"
