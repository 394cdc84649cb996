"""Article pages of www.mod.gov.cn read by their markup: title, publish date and body paragraphs.

The site's article body is ``div#article-content`` (also bracketed by ``<!--HTMLBOX-->`` comments), its title
``div.article-header h1`` and its date ``<meta name="publishdate">``; reading these directly keeps the site's
navigation, share bar and related links out of the text.
"""
from __future__ import annotations


_BOX = "<!--HTMLBOX-->"
_TITLES = ("//div[contains(@class, 'article-header')]//h1", "//h1", "//title")


def read_mnd_page(html: str) -> dict | None:
    """Title, publish date and body paragraphs of an MND article page, or ``None`` when the page has no
    ``div#article-content`` and no ``<!--HTMLBOX-->`` block.

    Returns
    -------
    dict or None
        ``title`` (str), ``date`` (the ``publishdate`` meta, str, possibly empty) and ``paragraphs``
        (list of str, the text of each ``<p>`` of the body, empty ones left out).

    Examples
    --------
    >>> read_mnd_page('<div id="article-content"><p>记者：问题</p><p>吴谦：回答</p></div>')["paragraphs"]
    ['记者：问题', '吴谦：回答']
    """
    from .html import html_root          # here: html.py reads MND pages through this module

    if "article-content" not in html and html.count(_BOX) < 2:
        return None
    root = html_root(_boxed(html))
    body = root.xpath("//div[@id='article-content']") if root is not None else []
    if not body:
        return None
    paragraphs = [_text(p) for p in body[0].xpath(".//p")] or [_text(body[0])]
    return {"title": _first_text(root), "date": next(iter(root.xpath("//meta[@name='publishdate']/@content")), ""),
            "paragraphs": [p for p in paragraphs if p]}


def _boxed(html: str) -> str:
    """The page, its ``<!--HTMLBOX-->`` block made a ``div#article-content`` when it has no such ``div``."""
    parts = html.split(_BOX)
    if 'id="article-content"' in html or "id='article-content'" in html or len(parts) < 3:
        return html
    return f'{parts[0]}<div id="article-content">{parts[1]}</div>{_BOX.join(parts[2:])}'


def _first_text(root) -> str:
    for xpath in _TITLES:
        found = [t for t in (_text(e) for e in root.xpath(xpath)) if t]
        if found:
            return found[0]
    return ""


def _text(element) -> str:
    return " ".join(element.text_content().split())
