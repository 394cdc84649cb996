"""Retired MND pages through a loopback replica of the Wayback Machine (CDX API and ``id_`` captures).

The replica answers the CDX query of each address prefix with hand-written rows (two captures of one article,
a continuation page, a listing page, captures outside the date range) and serves old-style MND pages in
GB18030 under ``/web/<timestamp>id_/<original>``; the expectations are written by hand from those rows.
"""
from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

import toolkit
from toolkit import ToolkitError
from toolkit.fetch import fetch_briefings
from toolkit.fetch.cli import main as fetch_main

from fetch_server import LoopbackServer, fail_first, send

FAST = {"delay": 0, "backoff": 0, "timeout": 2.0, "progress": False, "archive": "wayback"}
JAN = "http://www.mod.gov.cn/jzhzt/2016-01/28/content_4637000.htm"
MAR = "http://www.81.cn/xwfyr/2016-03/31/content_7000001.htm"
MAY = "http://www.mod.gov.cn/xwfyr/2016-05/26/content_4655555.htm"
OLD = "http://www.mod.gov.cn/xwfyr/2014-12/25/content_4500000.htm"   # posted before --since, captured after

CDX = {  # prefix: rows (timestamp, original) as the CDX API lists them
    "www.mod.gov.cn/jzhzt/": [
        ("20140701000000", "http://www.mod.gov.cn/jzhzt/2014-06/26/content_4400000.htm"),  # before 'from'
        ("20160215080000", "http://www.mod.gov.cn:80/jzhzt/2016-01/28/content_4637000.htm"),  # later duplicate
        ("20160129101010", JAN),
        ("20160129101500", JAN.replace(".htm", "_2.htm")),
        ("20160130000000", "http://www.mod.gov.cn/jzhzt/node_47321.htm"),  # the listing, not an article
    ],
    "www.mod.gov.cn/xwfyr/": [("20150105000000", OLD), ("20160527000000", MAY)],
    "www.81.cn/xwfyr/": [("20160401120000", "https://www.81.cn/xwfyr/2016-03/31/content_7000001.htm")],
}


def _page(title: str, dateline: str, paragraphs: list[str], pager: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
            f"<title>{title}</title></head><body>"
            f'<div class="nav"><a href="/">首页</a> <a href="/jzhzt/node_47321.htm">记者会专题</a></div>'
            f'<div class="title">{title}</div><div class="info">来源：国防部网 {dateline}</div>'
            f'<div id="article">{body}</div><div id="displaypagenum">{pager}</div></body></html>')
    return html.encode("gb18030")


PAGER = '<a href="content_4637000_2.htm">2</a> <a href="content_4637000_3.htm">3</a>'
JAN_TURNS = [
    ["时间：2016年1月28日15:00", "地点：国防部新闻发布厅", "发布人：国防部新闻发言人杨宇军",
     "杨宇军：各位记者朋友，下午好！今天先通报两条消息。", "记者：请问第一批新型装备何时列装？",
     "杨宇军：有关装备正按计划进行试验，具体情况以后发布。"],
    ["记者：有报道称外方舰机近期频繁抵近侦察，请问中方如何回应？",
     "杨宇军：我们密切关注有关动向，将采取必要措施维护国家主权和安全。"],
    ["记者：请介绍一下本年度联合演训的安排。", "杨宇军：今年的联合演训将按年度计划有序展开。谢谢大家！"],
]
TITLES = {JAN: "2016年1月国防部例行记者会文字实录", MAR: "国防部新闻发言人就有关问题答记者问",
          MAY: "2016年5月国防部例行记者会文字实录", OLD: "2014年12月国防部例行记者会文字实录"}


def _pages() -> dict[str, bytes]:
    """Capture bytes by original address (each served at every timestamp of the replica)."""
    pages = {JAN: _page(TITLES[JAN], "2016-01-28 18:20", JAN_TURNS[0], PAGER)}
    for n in (2, 3):
        pages[JAN.replace(".htm", f"_{n}.htm")] = _page(TITLES[JAN], "2016-01-28 18:20", JAN_TURNS[n - 1], PAGER)
    for url in (MAR, MAY, OLD):
        pages[url] = _page(TITLES[url], url.split("/")[-3] + "-" + url.split("/")[-2],
                           ["记者：请问国防部对此有何评论？", "答：我们的立场是一贯的、明确的。"])
    return pages


def _cdx(handler, hit):
    query = parse_qs(urlsplit(handler.path).query)
    prefix, since = query["url"][0].rstrip("*"), query.get("from", ["0"])[0]
    assert query["output"] == ["json"] and query["filter"] == ["statuscode:200"]
    rows = [["timestamp", "original"]] + [list(r) for r in CDX.get(prefix, []) if r[0] >= since]
    send(handler, json.dumps(rows).encode(), content_type="application/json")


def _replica(overrides: dict | None = None) -> dict:
    """Routes of the replica: the CDX API, every capture listed, and page 3 of January at page 1's time."""
    pages, routes = _pages(), {"/cdx/search/cdx": _cdx}
    captures = [r for rows in CDX.values() for r in rows] + [("20160129101010", JAN.replace(".htm", "_3.htm"))]
    for timestamp, original in captures:
        canonical = original.replace("https://", "http://").replace(":80/", "/")
        if canonical in pages:
            routes[f"/web/{timestamp}id_/{original}"] = pages[canonical]
    routes.update(overrides or {})
    return routes


def _manifest(out) -> pd.DataFrame:
    return pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False)


def test_wayback_fetches_each_article_once_with_its_pages_joined(tmp_path):
    with LoopbackServer(_replica()) as server:
        summary = fetch_briefings("mnd_zh", tmp_path, base_url=server.url, since="2015-01-01", **FAST)
        hits = dict(server.hits)
    assert (summary.listing_pages, summary.seen, summary.new, summary.out_of_range, summary.failed) == (3, 4, 3, 1, 0)
    got = _manifest(tmp_path).set_index("url")
    assert set(got.index) == {JAN, MAR, MAY}  # original addresses, https and :80 spellings folded
    assert got.loc[JAN, "capture"] == "20160129101010 20160129101500 20160129101010"  # pages 1, 2, 3
    assert got.loc[MAR, "capture"] == "20160401120000" and got.loc[MAY, "listing_date"] == "2016-05-26"
    captures = {p: n for p, n in hits.items() if p.startswith("/web/")}
    assert set(captures.values()) == {1} and len(captures) == 5  # earliest capture of each page, once
    assert not any("20160215080000" in p or "node_47321" in p or "4500000" in p for p in hits)
    assert hits["/cdx/search/cdx"] == 3

    briefings = toolkit.load_briefings(tmp_path, use_cache=False).set_index("url")
    jan = briefings.loc[JAN]
    assert jan["title"] == TITLES[JAN] and f"{jan['date']:%Y-%m-%d}" == "2016-01-28" and jan["lang"] == "zh"
    lines = [line for page in JAN_TURNS for line in page if line.startswith(("记者", "杨宇军"))]
    positions = [jan["text"].find(line) for line in lines]
    assert -1 not in positions and positions == sorted(positions)  # every turn of the three pages, in order
    turns = toolkit.split_turns(briefings.reset_index())
    assert (turns.loc[turns["url"] == JAN, "role"] == "question").sum() == 3
    assert f"{briefings.loc[MAR, 'date']:%Y-%m-%d}" == "2016-03-31"


def test_a_second_run_fetches_nothing_new(tmp_path):
    with LoopbackServer(_replica()) as server:
        fetch_briefings("mnd_zh", tmp_path, base_url=server.url, since="2015-01-01", **FAST)
        again = fetch_briefings("mnd_zh", tmp_path, base_url=server.url, since="2015-01-01", **FAST)
        captures = {p: n for p, n in server.hits.items() if p.startswith("/web/")}
    assert (again.new, again.skipped, again.failed, again.n_saved) == (0, 3, 0, 3)
    assert set(captures.values()) == {1}


def test_5xx_on_a_capture_is_retried_then_reported(tmp_path):
    may = f"/web/20160527000000id_/{MAY}"
    with LoopbackServer(_replica({may: fail_first(1, _pages()[MAY], status=503)})) as server:
        summary = fetch_briefings("mnd_zh", tmp_path / "a", base_url=server.url, retries=1, since="2015-01-01",
                                  **FAST)
        assert server.hits[may] == 2
    assert summary.new == 3 and summary.failed == 0

    page2 = f"/web/20160129101500id_/{JAN.replace('.htm', '_2.htm')}"
    with LoopbackServer(_replica({page2: fail_first(99, b"", status=503)})) as server:
        summary = fetch_briefings("mnd_zh", tmp_path / "b", base_url=server.url, retries=1, since="2015-01-01",
                                  **FAST)
    assert summary.failed == 1 and JAN not in set(_manifest(tmp_path / "b").query("error == ''")["url"])
    failure = summary.failures.set_index("url").loc[JAN]
    assert failure["stage"] == "article" and failure["status"] == 503
    assert "_2.htm" in failure["error"] and "HTTP 503" in failure["error"] and "gave up after 2" in failure["error"]


def test_cdx_failure_is_a_listing_failure(tmp_path):
    with LoopbackServer(_replica({"/cdx/search/cdx": fail_first(99, b"", status=502)})) as server:
        summary = fetch_briefings("mnd_zh", tmp_path, base_url=server.url, retries=0, **FAST)
    assert summary.new == 0 and len(summary.failures) == 3 and set(summary.failures["stage"]) == {"listing"}


def test_cli_archive_option_and_sources_without_archive(tmp_path, capsys):
    with LoopbackServer(_replica()) as server:
        status = fetch_main(["mnd_zh", "--out", str(tmp_path / "c"), "--archive", "wayback", "--since", "2016-02-01",
                             "--base-url", server.url, "--delay", "0", "--no-progress"])
    assert status == 0 and "new                : 2" in capsys.readouterr().out
    with pytest.raises(ToolkitError, match="no retired addresses"):
        fetch_briefings("mfa_en", tmp_path / "d", **FAST)


def test_a_manifest_of_the_older_layout_gains_the_capture_column(tmp_path):
    old = "url,path,fetched_at,status,sha256,bytes,error,source,kind,lang,section,title,listing_date\n" \
          "http://www.mod.gov.cn/x/1.html,,2024-01-01T00:00:00+00:00,404,,,HTTP 404 Not Found,mnd,,zh,s,,\n"
    (tmp_path / "manifest.csv").write_text(old, encoding="utf-8")
    with LoopbackServer(_replica()) as server:
        fetch_briefings("mnd_zh", tmp_path, base_url=server.url, since="2015-01-01", **FAST)
    got = _manifest(tmp_path)
    assert list(got.columns)[-1] == "capture" and len(got) == 4
    assert got.loc[0, "error"] == "HTTP 404 Not Found" and got.loc[0, "capture"] == ""
