"""Saved web pages: main text and metadata extracted with trafilatura; when it finds none (a page nested
deeper than lxml parses, an unusual layout), every visible line through the standard library's parser."""
from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

from .decode import decode_bytes
from .mnd import read_mnd_page


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def html_root(html: str):
    """The lxml element tree of a page's text, or ``None`` when it holds no element.

    An XML declaration is dropped first: lxml refuses ``str`` input that declares an encoding.
    """
    import lxml.etree
    import lxml.html

    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None


def extract_html(content: bytes | str, *, url: str | None = None) -> dict:
    """Extract a briefing from an HTML page as saved from the ministries' sites.

    A www.mod.gov.cn article (``div#article-content`` or an ``<!--HTMLBOX-->`` block) is read by its markup
    (:func:`toolkit.readers.mnd.read_mnd_page`); any other page by trafilatura.

    Parameters
    ----------
    content : bytes or str
        The page; bytes are decoded with its byte-order mark or declared charset, then UTF-8, then GB18030.
    url : str, optional
        The page's address (used for metadata: source, date in the path).

    Returns
    -------
    dict
        ``title``, ``text`` (main text, one paragraph a line; empty string when the page has none),
        ``url``, ``page_date`` (the date trafilatura finds in the page's metadata, ISO string or None) and
        ``whole_page`` (True when trafilatura found no main text, e.g. in a page nested deeper than lxml
        parses, and ``text`` is every visible line of the page instead).
    """
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)   # what it cannot parse is in the load report
    if isinstance(content, bytes):
        content, _ = decode_bytes(content, where=url or "HTML page")
    page = read_mnd_page(content)
    if page and page["paragraphs"]:
        return {"title": page["title"] or None, "text": "\n".join(page["paragraphs"]), "url": url,
                "page_date": page["date"] or None, "whole_page": False}
    document = trafilatura.bare_extraction(
        content, url=url, include_comments=False, include_tables=True, with_metadata=True, as_dict=False
    )
    found = {"title": None, "text": "", "url": url, "page_date": None}
    if document is not None:
        found = {"title": document.title, "text": document.text or "", "url": url or document.url,
                 "page_date": document.date}
    if found["text"].strip():
        return {**found, "whole_page": False}
    return {**found, "text": visible_text(content), "whole_page": True}


class _Lines(HTMLParser):
    """Visible text of a page, a line per block element (no depth limit: the standard library's parser)."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td"}
    HIDDEN = {"script", "style", "head", "title", "noscript", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.current, self.hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN
        if tag in self.BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0
        if tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)

    def flush(self):
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def visible_text(html: str) -> str:
    """Every visible line of ``html``, one block element a line (scripts, styles and the head left out)."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    parser.flush()
    return "\n".join(parser.lines)
