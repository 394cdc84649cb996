"""A small, polite HTTP client for the fetcher: robots.txt, pacing, retries, redirect and size limits, decoding.

Only the standard library (``urllib``) is used, so that fetching needs no extra dependency.
"""
from __future__ import annotations

import gzip
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..readers.decode import DecodeError, decode_bytes

ROBOTS_AGENT = "mnd-discourse-toolkit"
USER_AGENT = f"{ROBOTS_AGENT} (research corpus builder; honours robots.txt)"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PAGE_STATUS = 200  # the one answer taken as a page: saved, counted, skipped by the next run (Manifest.good)
_CHUNK = 64 * 1024


class FetchError(Exception):
    """A page that could not be fetched; ``reason`` says why (HTTP status, timeout, robots.txt, ...)."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


class _Transient(Exception):
    """A failure worth retrying (5xx, 429, timeout, dropped or truncated connection)."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason, self.status = reason, status


@dataclass(frozen=True)
class Response:
    """One fetched page: the address finally answered, the HTTP status, the headers and the raw bytes."""

    url: str
    status: int
    headers: dict[str, str]
    content: bytes

    @property
    def text(self) -> str:
        """The body decoded with :func:`decode_html` (HTTP header, then ``<meta charset>``, then fallbacks)."""
        return decode_html(self.content, content_type=self.headers.get("content-type"))


def decode_html(content: bytes, *, content_type: str | None = None) -> str:
    """Decode an HTML page: byte-order mark, HTTP ``charset``, ``<meta charset>``, UTF-8, then GB18030.

    The candidates are those of :func:`toolkit.readers.decode.charset_candidates` (a declared charset
    that fails on the bytes is not trusted); GB18030 with replacement is the last resort, so that a
    listing page with a few broken bytes still yields its links.

    Parameters
    ----------
    content : bytes
        The raw body.
    content_type : str, optional
        The HTTP ``Content-Type`` header, e.g. ``"text/html; charset=GBK"``.

    Returns
    -------
    str
        The page text.

    Examples
    --------
    >>> decode_html("例行记者会".encode("gb18030"))
    '例行记者会'
    """
    try:
        return decode_bytes(content, where="page", content_type=content_type)[0]
    except DecodeError:
        return content.decode("gb18030", errors="replace")


def _cannot_connect(url: str, reason) -> str:
    """Why no connection to the host of ``url`` was made: ``cannot connect to HOST:PORT: connection refused``."""
    why = "connection refused" if isinstance(reason, ConnectionRefusedError) else getattr(reason, "strerror", None)
    return f"cannot connect to {urlsplit(url).netloc}: {why or reason}"


def _same_site(host: str | None, allowed: set[str]) -> bool:
    """True for an allowed host or a sibling of one (``www.mod.gov.cn`` for ``eng.mod.gov.cn``: hosts of four
    labels or more, so that ``gov.cn`` itself never counts as the site); IP addresses match exactly."""
    if host in allowed:
        return True
    parents = {h.split(".", 1)[1] for h in allowed if h and h.count(".") >= 3 and not h.replace(".", "").isdigit()}
    return bool(host) and any(host == parent or host.endswith("." + parent) for parent in parents)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let 3xx answers surface as HTTPError so the client follows them itself (loop and host checks)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib hook
        return None


class _Pacer:
    """At least ``delay`` seconds between the starts of two requests, across all threads."""

    def __init__(self, delay: float):
        self.delay = delay
        self._lock = threading.Lock()
        self._next_at = 0.0

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_at)
            self._next_at = start + self.delay
        if start > now:
            time.sleep(start - now)


@dataclass
class HttpClient:
    """Fetch pages politely and defensively.

    Parameters
    ----------
    delay : float
        Minimum seconds between two requests (raised to the site's ``Crawl-delay`` when robots.txt asks more).
    timeout : float
        Seconds to wait for the connection and for each read.
    retries : int
        Extra attempts after a 5xx/429 answer, a timeout or a truncated body, with exponential backoff
        ``backoff * 2**k`` seconds. 4xx answers are final and never retried.
    max_bytes : int
        Pages larger than this are refused (declared or actual size).
    max_redirects : int
        Redirect hops followed before giving up; a hop back to an address already visited is a loop.
    allowed_hosts : set of str, optional
        Hosts a redirect may lead to, with their sibling subdomains (the host of the request is always allowed).
    """

    delay: float = 1.0
    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allowed_hosts: set[str] = field(default_factory=set)
    _robots: dict = field(default_factory=dict, init=False, repr=False)  # origin: rules, or why unreachable
    _robots_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self):
        self._pacer = _Pacer(self.delay)
        self._opener = urllib.request.build_opener(_NoRedirect())
        self._direct = urllib.request.build_opener(_NoRedirect(), urllib.request.ProxyHandler({}))

    @property
    def current_delay(self) -> float:
        """Seconds between requests now: ``delay``, or a longer Crawl-delay asked by a robots.txt read so far."""
        return self._pacer.delay

    def get(self, url: str) -> Response:
        """Fetch ``url`` following redirects; raise :class:`FetchError` with the reason when it fails.

        Only a final ``200 OK`` is a page: another 2xx answer (``204``, ``206``, ``299`` ...) is a failure too.
        """
        try:
            answer = self._retrying(lambda: self._follow(url, check_robots=True))
        except _Transient as exc:
            raise FetchError(url, exc.reason, exc.status) from None
        if answer.status != PAGE_STATUS:
            raise FetchError(url, f"HTTP {answer.status} instead of {PAGE_STATUS} OK: not saved as a page "
                                  "(tried again by the next run)", answer.status)
        return answer

    def _retrying(self, attempt):
        """``attempt()``, again after each :class:`_Transient` failure with exponential backoff, at most
        ``retries`` times; then the last failure, saying so."""
        for n in range(self.retries + 1):
            if n:
                time.sleep(self.backoff * 2 ** (n - 1))
            try:
                return attempt()
            except _Transient as exc:
                last = exc
        raise _Transient(f"{last.reason} (gave up after {self.retries + 1} attempts)", last.status)

    def _follow(self, url: str, *, check_robots: bool) -> Response:
        visited = [url]
        for _ in range(self.max_redirects + 1):
            refusal = self._robots_refusal(url) if check_robots else None
            if refusal:
                raise FetchError(url, refusal)
            answer = self._once(url)
            if isinstance(answer, Response):
                return answer
            target = urljoin(url, answer)
            if target in visited:
                raise FetchError(visited[0], "redirect loop: " + " -> ".join([*visited, target]))
            if not _same_site(urlsplit(target).hostname, {urlsplit(url).hostname, *self.allowed_hosts}):
                raise FetchError(visited[0], f"redirect leaves the site: {url} -> {target}")
            visited.append(target)
            url = target
        raise FetchError(visited[0], f"more than {self.max_redirects} redirects: " + " -> ".join(visited))

    def _once(self, url: str) -> Response | str:
        """One request: a Response, or the Location of a redirect."""
        self._pacer.wait()
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, identity"})
        opener = self._direct if urlsplit(url).hostname in _LOOPBACK else self._opener
        try:
            with opener.open(request, timeout=self.timeout) as answer:
                headers = {k.lower(): v for k, v in answer.headers.items()}
                content = self._read(answer, headers)
                return Response(answer.geturl(), answer.status, headers, content)
        except urllib.error.HTTPError as err:
            err.close()
            if 300 <= err.code < 400:
                location = err.headers.get("Location")
                if not location:
                    raise FetchError(url, f"HTTP {err.code} redirect without a Location header", err.code) from None
                return location
            if err.code >= 500 or err.code == 429:
                raise _Transient(f"HTTP {err.code} {err.reason}", err.code) from None
            raise FetchError(url, f"HTTP {err.code} {err.reason}", err.code) from None
        except (TimeoutError, socket.timeout):
            raise _Transient(f"timeout after {self.timeout:g} s") from None
        except http.client.IncompleteRead as err:
            raise _Transient(f"truncated body: got {len(err.partial)} bytes, {err.expected} missing") from None
        except urllib.error.URLError as err:  # raised before any answer: the connection itself failed
            if isinstance(err.reason, (TimeoutError, socket.timeout)):
                raise _Transient(f"timeout after {self.timeout:g} s") from None
            raise _Transient(_cannot_connect(url, err.reason)) from None
        except (ConnectionError, http.client.HTTPException) as err:
            raise _Transient(f"connection failed: {err}") from None

    def _read(self, answer, headers: dict[str, str]) -> bytes:
        declared = headers.get("content-length")
        declared = int(declared) if declared and declared.isdigit() else None
        if declared is not None and declared > self.max_bytes:
            raise FetchError(answer.geturl(), f"page too large: {declared} bytes declared, limit {self.max_bytes}")
        parts, size = [], 0
        while chunk := answer.read(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(answer.geturl(), f"page too large: more than {self.max_bytes} bytes")
            parts.append(chunk)
        content = b"".join(parts)
        if declared is not None and size != declared:
            raise _Transient(f"truncated body: got {size} of {declared} bytes (Content-Length)")
        if headers.get("content-encoding", "").lower() == "gzip":
            try:
                content = gzip.decompress(content)
            except (OSError, EOFError, zlib.error):
                raise _Transient("corrupt gzip body") from None
            if len(content) > self.max_bytes:
                raise FetchError(answer.geturl(), f"page too large: more than {self.max_bytes} bytes unpacked")
        return content

    def allowed_by_robots(self, url: str) -> bool:
        """True when the site's robots.txt lets :data:`ROBOTS_AGENT` fetch ``url`` (fetched once per site).

        As in RFC 9309: an unavailable robots.txt (4xx, redirects leading nowhere) allows everything, an
        unreachable one (5xx, network failure after retries) allows nothing. A ``Crawl-delay`` longer than
        ``delay`` slows the client down.
        """
        return self._robots_refusal(url) is None

    def _robots_refusal(self, url: str) -> str | None:
        """Why robots.txt keeps ``url`` from being fetched (None: it does not)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if origin not in self._robots:
                self._robots[origin] = self._load_robots(origin)
            rules = self._robots[origin]
        if isinstance(rules, str):
            return f"robots.txt unreachable: {rules}; nothing is fetched from a site whose robots.txt cannot be " \
                   "read (RFC 9309)"
        return None if rules.can_fetch(ROBOTS_AGENT, url) else "disallowed by robots.txt"

    def _load_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | str:
        """The rules of ``origin``, or why its robots.txt is unreachable (5xx, no connection, after retries)."""
        rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            answer = self._retrying(lambda: self._follow(rules.url, check_robots=False))
        except FetchError:  # 4xx, or redirects that lead nowhere: "unavailable", everything allowed
            rules.allow_all = True
            return rules
        except _Transient as exc:  # 5xx, timeouts, no connection: "unreachable", nothing allowed
            return exc.reason
        rules.parse(decode_html(answer.content).splitlines())
        crawl_delay = rules.crawl_delay(ROBOTS_AGENT)
        if crawl_delay and float(crawl_delay) > self._pacer.delay:
            self._pacer.delay = float(crawl_delay)
        return rules
