"""MND Chinese (www.mod.gov.cn, http only, the authoritative originals): the five spokesperson sections.

Sections under ``/gfbw/xwfyr/``: ``lxjzhzt/`` (例行记者会专题: listing → monthly topic page → its
``a.button.chinese`` link → the "YYYY年M月国防部例行记者会文字实录" transcript), ``lxjzh_246940/`` (例行记者会
items), ``yzxwfb/`` (例行新闻发布), ``fyrthhdjzw/`` (发言人谈话和答记者问) and ``ztjzh/`` (专题记者会). Listings
are ``index.html``, ``index_1.html`` ... (count in ``createPageHTML('N', ...)``), items ``ul#main-news-list li``
with a ``small.time`` date. An article (``/gfbw/xwfyr/<section>/16479365.html``) continues on ``<id>_2.html``
... (count in ``createManuscriptPageHTML('N')``); it is saved as one UTF-8 page holding the title
(``div.article-header h1``), the ``publishdate`` and the ``div#article-content`` paragraphs of every page, in
order, so that :func:`toolkit.load_briefings` reads the text without the site's navigation.
"""
import html as html_escape
import re

from .sites import Section, SiteAdapter

BASE = "http://www.mod.gov.cn/gfbw/xwfyr/"
ITEMS = "//ul[@id='main-news-list']/li//a[@href]"
TRANSCRIPT_ITEMS = "//ul[@id='main-news-list']/li[contains(concat(' ', @class, ' '), ' article ')]//h2[contains(@class, 'title')]/a"
CHINESE_TEXT = "//a[contains(concat(' ', @class, ' '), ' button ') and contains(concat(' ', @class, ' '), ' chinese ')]"
_PAGE_COUNT = re.compile(r"createManuscriptPageHTML\(\s*['\"]?(\d+)")


def more_pages(html: str, url: str) -> list[str]:
    """The continuation pages ``<id>_2.html`` ... ``<id>_N.html`` announced by ``createManuscriptPageHTML('N')``.

    Examples
    --------
    >>> more_pages("<script>createManuscriptPageHTML('3');</script>", "http://h/a/16313001.html")
    ['http://h/a/16313001_2.html', 'http://h/a/16313001_3.html']
    """
    found = _PAGE_COUNT.search(html)
    stem, dot, ext = url.rpartition(".")
    return [f"{stem}_{n}{dot}{ext}" for n in range(2, int(found.group(1)) + 1)] if found and dot else []


def assemble(htmls: list[str], url: str) -> str | None:
    """One clean page for an article from its pages (first first): the first page's title and publish date,
    then the body paragraphs of every page (read by :func:`toolkit.readers.mnd.read_mnd_page`); ``None`` when
    the first page has no article body of the current layout (the page is then saved as served)."""
    from ..readers.mnd import read_mnd_page

    if read_mnd_page(htmls[0]) is None:
        return None
    pages = [read_mnd_page(h) or {"title": "", "date": "", "paragraphs": []} for h in htmls]
    esc = html_escape.escape
    title, date = esc(pages[0]["title"]), esc(pages[0]["date"])
    body = "\n".join(f"<p>{esc(p)}</p>" for page in pages for p in page["paragraphs"])
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>\n'
            f'<meta name="publishdate" content="{date}">\n<link rel="canonical" href="{esc(url)}">\n'
            f'</head><body><div class="article-header"><h1>{title}</h1></div>\n<div id="article-content">\n{body}\n'
            "</div></body></html>\n")


def _section(name: str, path: str, **options) -> Section:
    return Section(name, (BASE + path + "index.html",), items=options.pop("items", ITEMS), **options)


ADAPTER = SiteAdapter(
    name="mnd_zh",
    source="mnd",
    lang="zh",
    sections=(
        _section("lxjzhzt", "lxjzhzt/", items=TRANSCRIPT_ITEMS, follow=CHINESE_TEXT, kind="regular_press_conference"),
        _section("lxjzh", "lxjzh_246940/"),
        _section("yzxwfb", "yzxwfb/", kind="news_release"),
        _section("fyrthhdjzw", "fyrthhdjzw/"),
        _section("ztjzh", "ztjzh/", kind="press_conference"),
    ),
    article_path=re.compile(r"/(?:content_\d+\.htm|\d{5,9}\.html)$"),
    more_pages=more_pages,
    assemble=assemble,
)

# Retired pre-2023 addresses, listed through the Wayback Machine (``fetch_briefings(..., archive="wayback")``).
ARCHIVE_PREFIXES = ("www.mod.gov.cn/jzhzt/", "www.mod.gov.cn/xwfyr/", "www.81.cn/xwfyr/")
