"""MND Chinese (www.mod.gov.cn, the authoritative originals): 例行记者会 and 发言人谈话和答记者问.

Listings are ``/gfbw/xwfyr/lxjzh_246940/index.html`` and ``/gfbw/xwfyr/fyrthhdjzw/index.html`` with the TRS
pager (``createPageHTML(count, current, 'index', 'html')`` -> ``index_1.html`` ...); articles are
``/gfbw/xwfyr/<section>/16479365.html`` (older: ``/jzhzt/2021-01/28/content_4878000.htm``). Pages may be
served as GB2312/GB18030. Side links to other news are dropped by a title filter.
"""
import re

from .sites import Section, SiteAdapter

BRIEFING_TITLE = re.compile(r"记者会|答记者问|答问|发言人|谈话|表态|新闻发布")

ADAPTER = SiteAdapter(
    name="mnd_zh",
    source="mnd",
    lang="zh",
    sections=(
        Section("lxjzh", ("http://www.mod.gov.cn/gfbw/xwfyr/lxjzh_246940/index.html",), BRIEFING_TITLE),
        Section("fyrthhdjzw", ("http://www.mod.gov.cn/gfbw/xwfyr/fyrthhdjzw/index.html",), BRIEFING_TITLE),
    ),
    article_path=re.compile(r"/(?:content_\d+\.htm|\d{5,9}\.html)$"),
)

# Retired pre-2023 addresses, listed through the Wayback Machine (``fetch_briefings(..., archive="wayback")``).
ARCHIVE_PREFIXES = ("www.mod.gov.cn/jzhzt/", "www.mod.gov.cn/xwfyr/", "www.81.cn/xwfyr/")
