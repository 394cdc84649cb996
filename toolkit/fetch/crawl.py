"""fetch_briefings(): walk a site's listings, save the new article pages and record them in the manifest."""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import math
import numbers
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd
from tqdm.auto import tqdm

from .._checks import ToolkitError, require_choice
from .._outputs import prepare_output_folder
from . import SOURCE_NAMES
from .http import PAGE_STATUS, FetchError, HttpClient
from .sites import ListingEntry, Section, SiteAdapter, followed_link
from .store import Manifest, raw_name, write_atomic
from .wayback import WaybackArchive, open_archive

SOURCES: dict[str, SiteAdapter] = {name: importlib.import_module(f".{name}", __package__).ADAPTER for name in SOURCE_NAMES}
FAILURE_COLUMNS = ["url", "stage", "status", "error"]
NO_LINKS = "no article links found on the listing page; check --start-url / the site layout"


@dataclass
class FetchSummary:
    """What a fetch run did.

    Attributes
    ----------
    source, out : the SOURCE and the corpus folder.
    listing_pages : int
        Listing pages read.
    seen : int
        Distinct article links found on the listings.
    new : int
        Article pages fetched and saved by this run.
    skipped : int
        Articles already saved by an earlier run (resumed).
    out_of_range : int
        Articles whose listing date falls outside ``since``/``until``.
    failed : int
        Article pages that could not be fetched (reasons in ``failures``).
    failures : pandas.DataFrame
        One row per failed page, listing pages included: ``url, stage ('listing'|'article'), status, error``.
    n_saved : int
        Article pages in the corpus folder after the run (this run's and earlier runs').
    seconds : float
        Wall time of the run.
    """

    source: str
    out: Path
    listing_pages: int = 0
    seen: int = 0
    new: int = 0
    skipped: int = 0
    out_of_range: int = 0
    failed: int = 0
    failures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FAILURE_COLUMNS))
    n_saved: int = 0
    seconds: float = 0.0

    def to_frame(self) -> pd.DataFrame:
        """The counts as a two-column table ``measure, value``."""
        names = ["listing_pages", "seen", "new", "skipped", "out_of_range", "failed", "n_saved", "seconds"]
        return pd.DataFrame({"measure": names, "value": [getattr(self, n) for n in names]})

    def __str__(self) -> str:
        lines = [
            f"fetch {self.source} -> {self.out}",
            f"  listing pages read : {self.listing_pages}",
            f"  articles seen      : {self.seen}",
            f"  new                : {self.new}",
            f"  skipped (had them) : {self.skipped}",
            f"  outside date range : {self.out_of_range}",
            f"  failed             : {self.failed}",
            f"  pages in corpus    : {self.n_saved} (load with toolkit.load_briefings({str(self.out)!r}))",
            f"  time               : {self.seconds:.1f} s",
        ]
        if len(self.failures):
            lines.append("  failures:")
            lines += [f"    [{r.stage}] {r.url}: {r.error}" for r in self.failures.itertuples()]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Mirror:
    """Maps canonical addresses to the server actually asked (``base_url``) and back."""

    base: str | None

    def to_fetch(self, url: str) -> str:
        if not self.base:
            return url
        base, parts = urlsplit(self.base), urlsplit(url)
        return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, ""))

    def to_canonical(self, fetched: str, asked: str) -> str:
        if not self.base:
            return fetched
        base, parts, canon = urlsplit(self.base), urlsplit(fetched), urlsplit(asked)
        path = parts.path[len(base.path.rstrip("/")):] if parts.netloc == base.netloc else parts.path
        return urlunsplit((canon.scheme, canon.netloc, path, parts.query, ""))


def fetch_briefings(
    source: str,
    out: str | Path,
    *,
    since: str | dt.date | None = None,
    until: str | dt.date | None = None,
    base_url: str | None = None,
    start_urls: list[str] | None = None,
    sections: list[str] | None = None,
    delay: float = 1.0,
    concurrency: int = 2,
    max_pages: int | None = None,
    timeout: float = 20.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = 5_000_000,
    progress: bool = True,
    archive: str | None = None,
) -> FetchSummary:
    """Fetch the briefings of an official archive into a local corpus folder (network use happens only here).

    Walks the listing pages of ``source`` (following their pagination), keeps the article links dated inside
    ``since``..``until``, fetches the ones not saved yet and writes ``out/raw/<sha1 of url>.html`` (bytes as
    served; for ``mnd_zh`` one UTF-8 page per article joining its continuation pages ``<id>_2.html`` ...) and
    ``out/manifest.csv`` (``url, path, fetched_at, status, sha256, bytes, error`` and the
    listing's ``source, kind, lang, section, title, listing_date``; ``kind`` is empty when neither the section
    nor the listing title names one, and the loader infers it from the text). ``toolkit.load_briefings(out)`` parses
    the folder into briefings (the manifest gives each page its URL). Run it again to resume or update:
    saved pages are skipped, failed ones retried. robots.txt is obeyed; requests are paced by ``delay``.

    Parameters
    ----------
    source : {'mnd_en', 'mnd_zh', 'mfa_en', 'mfa_zh'}
        The archive (see ``toolkit.fetch.SOURCES``).
    out : str or Path
        Corpus folder (created if needed; checked before any request).
    since, until : str or date, optional
        Inclusive date range (``"2020-01-31"``), judged on the date the listing gives; links whose listing
        shows no full date are kept.
    base_url : str, optional
        Ask this server instead of the official host(s), same paths (a mirror, a test server). Manifest and
        corpus keep the official addresses.
    sections : list of str, optional
        Walk only these sections of the source (names as in ``SOURCES[source].sections``, e.g. ``lxjzhzt``,
        ``fyrthhdjzw`` for ``mnd_zh``); default all.
    start_urls : list of str, optional
        Listing pages (http(s) addresses) to walk instead of the source's own sections: every link on them to
        an article of the source's URL shape on the same host(s) is kept.
    delay : float
        Seconds between requests (>= 0; default 1). Raised to robots.txt's Crawl-delay when that is larger.
    concurrency : int
        Article pages fetched in parallel (default 2).
    max_pages : int, optional
        Listing pages read per section at most.
    timeout, retries, backoff, max_bytes :
        Per-request timeout (s, > 0); retries (>= 0) after 5xx/timeout/truncation with ``backoff * 2**k`` s
        waits; largest page accepted (bytes).
    progress : bool
        Show a tqdm progress bar.
    archive : {'wayback'}, optional
        Fetch the source's retired pre-2023 addresses from the Wayback Machine instead of the live listings
        (see :mod:`toolkit.fetch.wayback`): captures listed with its CDX API, one per article, continuation
        pages joined. ``base_url`` then replaces ``http://web.archive.org``; ``max_pages`` does not apply.
        The manifest keeps the original address in ``url`` and the capture timestamps in ``capture``.

    Returns
    -------
    FetchSummary
        Counts (listing_pages, seen, new, skipped, out_of_range, failed, n_saved, seconds) and a
        ``failures`` table (url, stage, status, error). ``to_frame()`` gives the counts as a table.
        Only a page answered 200 OK is saved; any other answer is a failure (retried by the next run),
        and a listing that yields no article link is a ``listing`` failure.

    Raises
    ------
    ToolkitError
        Before any request: an unknown source, a bad option or date range, an ``out`` that cannot be written.

    Examples
    --------
    >>> summary = fetch_briefings("mnd_en", "corpus/mnd_en", since="2024-01-01")  # doctest: +SKIP
    >>> briefings = toolkit.load_briefings("corpus/mnd_en")  # doctest: +SKIP
    """
    require_choice(source, SOURCES, func="fetch_briefings", arg="source")
    since, until = _as_dates(since, until)
    _check_options(base_url, start_urls, delay=delay, concurrency=concurrency, max_pages=max_pages, timeout=timeout,
                   retries=retries, backoff=backoff, max_bytes=max_bytes)
    out = prepare_output_folder(out, func="fetch_briefings", arg="out", folders=("raw",))
    adapter = _chosen_sections(SOURCES[source], sections)
    if start_urls:
        adapter = replace(adapter, sections=(Section("start_urls", tuple(start_urls)),))
    started = time.monotonic()
    client = HttpClient(delay=delay, timeout=timeout, retries=retries, backoff=backoff, max_bytes=max_bytes,
                        allowed_hosts={urlsplit(base_url).hostname} if base_url else adapter.hosts)
    wayback = open_archive(archive, adapter, client, base_url) if archive else None
    crawl = _Crawl(adapter, client, _Mirror(None if archive else base_url), FetchSummary(source, out), archive=wayback)
    summary = crawl.summary

    entries = crawl.archive_entries(since) if archive else crawl.listing_entries(max_pages=max_pages, since=since)
    in_range = [e for e in entries if _in_range(e.date, since, until)]
    manifest = Manifest(out / "manifest.csv")
    have = set(manifest.good()["url"])
    todo = [e for e in in_range if e.url not in have]
    summary.seen, summary.out_of_range = len(entries), len(entries) - len(in_range)
    summary.skipped = len(in_range) - len(todo)

    crawl.fetch_articles(todo, manifest, concurrency=concurrency, progress=progress)
    summary.failures = pd.DataFrame(crawl.failures, columns=FAILURE_COLUMNS)
    summary.n_saved = len(manifest.good())
    summary.seconds = time.monotonic() - started
    return summary


@dataclass
class _Crawl:
    """One run: the site, the HTTP client, the address mapping, and the running counts and failures."""

    adapter: SiteAdapter
    client: HttpClient
    mirror: _Mirror
    summary: FetchSummary
    failures: list[dict] = field(default_factory=list)
    archive: WaybackArchive | None = None

    def archive_entries(self, since: dt.date | None) -> list[ListingEntry]:
        """The articles listed by the archive, counting its listings read and keeping its failures."""
        entries, self.summary.listing_pages = self.archive.entries(since)
        self.failures += self.archive.failures
        return entries

    def listing_entries(self, *, max_pages: int | None, since: dt.date | None) -> list[ListingEntry]:
        """Article links of every section, each address once (first section wins)."""
        entries: dict[str, ListingEntry] = {}
        for section in self.adapter.sections:
            for entry in self._walk_section(section, max_pages=max_pages, since=since):
                entries.setdefault(entry.url, entry)
        return list(entries.values())

    def _walk_section(self, section: Section, **limits) -> list[ListingEntry]:
        """Entries of the first start URL of ``section`` that yields any; its failures are reported, and
        those of the layouts tried before it only when no start URL yields anything."""
        tried = []
        for start in section.start_urls:
            entries, problems = self._walk_listing(section, start, **limits)
            tried += problems
            if entries:
                self.failures += problems
                return entries
        self.failures += tried
        return []

    def _walk_listing(self, section: Section, start: str, *, max_pages, since) -> tuple[list, list]:
        queue, seen, entries, problems = [start], set(), [], []
        while queue and (max_pages is None or len(seen) - len(problems) < max_pages):
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            try:
                page = self.client.get(self.mirror.to_fetch(url))
            except FetchError as err:
                problems.append({"url": url, "stage": "listing", "status": err.status, "error": err.reason})
                continue
            self.summary.listing_pages += 1
            canonical, html = self.mirror.to_canonical(page.url, url), page.text
            found = self.adapter.entries(html, canonical, section)
            entries += self._followed(found, section.follow, problems) if section.follow else found
            if since and found and all(e.date is not None and e.date < since for e in found):
                break  # listings run newest first: every later page is older still
            queue += [p for p in self.adapter.next_pages(html, canonical) if p not in seen]
        if not entries and len(seen) > len(problems):  # pages were read, none held a link
            problems.append({"url": start, "stage": "listing", "status": None, "error": NO_LINKS})
        return entries, problems

    def _followed(self, found: list[ListingEntry], xpath: str, problems: list) -> list[ListingEntry]:
        """The articles that the listed (topic) pages link to with ``xpath``, each keeping its listing entry."""
        articles = []
        for entry in found:
            try:
                page = self.client.get(self.mirror.to_fetch(entry.url))
            except FetchError as err:
                problems.append({"url": entry.url, "stage": "listing", "status": err.status, "error": err.reason})
                continue
            self.summary.listing_pages += 1
            link = followed_link(page.text, self.mirror.to_canonical(page.url, entry.url), xpath)
            if link:
                articles.append(replace(entry, url=link))
        return articles

    def fetch_articles(self, todo: list[ListingEntry], manifest: Manifest, *, concurrency: int, progress: bool):
        """Fetch ``todo`` with ``concurrency`` threads, counting new pages and failures as they finish."""
        with tqdm(total=len(todo), desc=f"fetch {self.adapter.name}", unit="page", disable=not progress) as bar:
            pool = ThreadPoolExecutor(max_workers=concurrency)
            try:
                for future in as_completed([pool.submit(self._fetch_one, e, manifest) for e in todo]):
                    row = future.result()
                    if row["error"]:
                        self.summary.failed += 1
                        self.failures.append({"url": row["url"], "stage": "article", "status": row["status"],
                                              "error": row["error"]})
                    else:
                        self.summary.new += 1
                    bar.update()
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

    def _fetch_one(self, entry: ListingEntry, manifest: Manifest) -> dict:
        """Fetch one article, save it atomically, then append its manifest row (also for a failure)."""
        row = {"url": entry.url, "source": self.adapter.source, "kind": entry.kind, "lang": self.adapter.lang,
               "section": entry.section, "title": entry.title,
               "listing_date": entry.date.isoformat() if entry.date else "",
               "fetched_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
        try:
            content, extra = self.archive.fetch(entry) if self.archive else (self._live_article(entry), {})
        except FetchError as err:
            row.update(status=err.status, error=err.reason)
        else:
            path = Path("raw") / raw_name(entry.url)
            write_atomic(manifest.path.parent / path, content)
            row.update(path=path.as_posix(), status=PAGE_STATUS, sha256=hashlib.sha256(content).hexdigest(),
                       bytes=len(content), error="", **extra)
        manifest.append(row)
        return row

    def _live_article(self, entry: ListingEntry) -> bytes:
        """The bytes saved for an article of the live site: the page as served, or the adapter's one page (UTF-8)
        made of the article's first page and its continuation pages (fetched here, in order; a failed one fails
        the article)."""
        url = entry.url
        page = self.client.get(self.mirror.to_fetch(url))
        if self.adapter.assemble is None:
            return page.content
        more = self.adapter.more_pages(page.text, url) if self.adapter.more_pages else []
        texts = [page.text] + [self.client.get(self.mirror.to_fetch(u)).text for u in more]
        whole = self.adapter.assemble(texts, url)
        return page.content if whole is None else whole.encode("utf-8")


def _chosen_sections(adapter: SiteAdapter, names: list[str] | None) -> SiteAdapter:
    """``adapter`` walking only the sections ``names`` (all when ``None``); an unknown name is an error."""
    if not names:
        return adapter
    known = [s.name for s in adapter.sections]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ToolkitError(f"fetch_briefings(): unknown section(s) {unknown} for {adapter.name!r}; choose from {known}.")
    return replace(adapter, sections=tuple(s for s in adapter.sections if s.name in names))


def _as_dates(since, until) -> tuple[dt.date | None, dt.date | None]:
    """``since`` and ``until`` as dates, in order."""
    since, until = _as_date(since, "since"), _as_date(until, "until")
    if since and until and since > until:
        raise ToolkitError(f"fetch_briefings(): since={since} is after until={until}; swap them, or drop one.")
    return since, until


def _as_date(value, arg: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        raise ToolkitError(
            f"fetch_briefings(): argument '{arg}'={value!r} is not a date; write it as YYYY-MM-DD, e.g. '2020-01-31'."
        ) from None


def _finite(value) -> bool:
    """A real number, neither infinite nor NaN."""
    return isinstance(value, numbers.Real) and math.isfinite(value)


_LIMITS = {  # option: (is the value allowed, what the message asks for)
    "delay": (lambda v: _finite(v) and v >= 0, ">= 0 seconds"),
    "concurrency": (lambda v: _finite(v) and v >= 1, ">= 1"),
    "max_pages": (lambda v: v is None or _finite(v) and v >= 1, ">= 1 (or None for all pages)"),
    "timeout": (lambda v: _finite(v) and v > 0, "> 0 seconds"),
    "retries": (lambda v: _finite(v) and v >= 0, ">= 0"),
    "backoff": (lambda v: _finite(v) and v >= 0, ">= 0 seconds"),
    "max_bytes": (lambda v: _finite(v) and v >= 1, ">= 1 byte"),
}


def _check_options(base_url: str | None, start_urls: list[str] | None, **limited) -> None:
    """One error listing every bad option: numbers out of their range, addresses that are not http(s)."""
    problems = [f"{name}={value!r} must be {_LIMITS[name][1]}" for name, value in limited.items()
                if not _LIMITS[name][0](value)]
    if base_url is not None and not _is_web_address(base_url):
        problems.append(f"base_url={base_url!r} must start with http:// or https://")
    problems += [f"start_urls: {url!r} is not an http(s) address (write it whole: http://host/path)"
                 for url in start_urls or () if not _is_web_address(url)]
    if problems:
        raise ToolkitError("fetch_briefings(): " + "; ".join(problems) + ".")


def _is_web_address(url) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def _in_range(date: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if date is None:
        return True
    return (since is None or date >= since) and (until is None or date <= until)
