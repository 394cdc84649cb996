"""Saved web pages: main text and metadata extracted with trafilatura (no hand-written HTML parsing)."""
from __future__ import annotations

from .decode import decode_bytes


def extract_html(content: bytes | str, *, url: str | None = None) -> dict:
    """Extract a briefing from an HTML page as saved from the ministries' sites.

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
        ``url``, ``page_date`` (the date trafilatura finds in the page's metadata, ISO string or None).
    """
    import trafilatura

    if isinstance(content, bytes):
        content, _ = decode_bytes(content, where=url or "HTML page")
    document = trafilatura.bare_extraction(
        content, url=url, include_comments=False, include_tables=True, with_metadata=True, as_dict=False
    )
    if document is None:
        return {"title": None, "text": "", "url": url, "page_date": None}
    return {
        "title": document.title,
        "text": document.text or "",
        "url": url or document.url,
        "page_date": document.date,
    }
