"""toolkit.fetch on loopback servers only: real fmprc.gov.cn pages, hand-written MND-style pages, and faults.

Expectations come from outside the fetcher: the shared MFA JSONL files (built from the same cache by another
tool), the bytes of the cached/fixture pages, and URL lists written by hand from the fixture pages.
"""
from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import os
import re
import socket
import stat
import tarfile
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

import toolkit
from toolkit import ToolkitError
from toolkit.fetch import SOURCES, decode_html, fetch_briefings
from toolkit.fetch.cli import main as fetch_main
from toolkit.fetch.http import HttpClient
from toolkit.dates import first_date as parse_date
from toolkit.kinds import kind_from_title

from fetch_server import LoopbackServer, fail_first, page, redirect, send, slow_first, truncated

MND_SITE = Path(__file__).parent / "fixtures" / "mnd_site"
MFA_EN_LIST = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
FAST = {"delay": 0, "backoff": 0, "timeout": 2.0, "progress": False}


def _squash(text: str) -> str:
    return "".join(str(text).split())


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False)


# ---------------------------------------------------------------- (a) the real fmprc.gov.cn pages


@pytest.fixture(scope="session")
def mfa_site(corpora):
    """Every cached fmprc.gov.cn response under its original path (read from the tarball, not unpacked)."""
    folder = corpora / "mfa_fmprc_2016_2020"
    with open(folder / "raw_html_index.csv", newline="", encoding="utf-8") as stream:
        index = {row["file"]: row for row in csv.DictReader(stream)}
    routes = {}
    with tarfile.open(folder / "raw_html_httpcache.tar.gz") as tar:
        for member in tar:
            row = index.get(member.name)
            if not member.isfile() or row is None:
                continue
            body = tar.extractfile(member).read()
            path = urlsplit(row["url"]).path
            if row["status"] == "200":
                routes[path] = body
            else:  # robots.txt answered 302 to the site's error page; the cached body names the target
                routes[path] = redirect(re.search(rb'href="([^"]+)"', body).group(1).decode())
    return routes


@pytest.fixture(scope="session")
def mfa_en_reference(mfa_en_path) -> pd.DataFrame:
    return pd.read_json(mfa_en_path, lines=True, dtype=False)


def test_mfa_en_recovers_the_shared_briefings(mfa_site, mfa_en_reference, tmp_path):
    with LoopbackServer(mfa_site) as server:
        summary = fetch_briefings("mfa_en", tmp_path, base_url=server.url, concurrency=4, **FAST)
    assert (summary.listing_pages, summary.seen, summary.new, summary.failed) == (13, 500, 500, 0)
    assert len(summary.failures) == 0

    got = _manifest(tmp_path).set_index("url")
    ref = mfa_en_reference.set_index("source_url")
    assert set(got.index) == set(ref.index)
    ref = ref.loc[got.index]
    assert [" ".join(t.split()) for t in got["title"]] == [" ".join(t.split()) for t in ref["title"]]
    ref_dates = ref["date"].fillna("")  # 14 yearless September 2018 titles: the year comes from the neighbours
    assert (got["listing_date"] == ref_dates).all()
    assert (got["kind"] == ref["doc_type"].map({"regular_press_conference": "regular_press_conference",
                                                "spokesperson_remarks": "remarks"})).all()
    # raw pages are saved byte for byte as served, and the manifest's hash and size describe them
    served = {f"https://www.fmprc.gov.cn{p}": b for p, b in mfa_site.items() if isinstance(b, bytes)}
    for url, row in got.iterrows():
        saved = (tmp_path / row["path"]).read_bytes()
        assert saved == served[url] and row["sha256"] == _sha(saved) and int(row["bytes"]) == len(saved)
    # the loaded corpus has the JSONL's dates, yearless and run-together titles ("June11, 2018") included
    briefings = toolkit.load_briefings(tmp_path, use_cache=False).set_index("url")
    dated = ref["date"].notna() & (ref["date"] != "")
    assert (briefings.loc[ref.index[dated], "date"] == pd.to_datetime(ref.loc[dated, "date"])).all()


def test_mfa_en_date_window_resume_and_parsed_texts(mfa_site, mfa_en_reference, tmp_path):
    ref = mfa_en_reference.dropna(subset=["date"])
    june = set(ref.loc[ref["date"].between("2020-06-01", "2020-06-30"), "source_url"])
    may_june = set(ref.loc[ref["date"].between("2020-05-01", "2020-06-30"), "source_url"])
    with LoopbackServer(mfa_site) as server:
        first = fetch_briefings("mfa_en", tmp_path, base_url=server.url, since="2020-06-01", until="2020-06-30", **FAST)
        listing_hits = {p: n for p, n in server.hits.items() if "default" in p}
        second = fetch_briefings("mfa_en", tmp_path, base_url=server.url, since="2020-05-01", until="2020-06-30",
                                 **FAST)
        article_hits = {p: n for p, n in server.hits.items() if "/t" in p}
    assert set(_manifest(tmp_path)["url"]) == may_june
    assert first.new == len(june) and first.failed == 0
    assert first.listing_pages < 13 and len(listing_hits) == first.listing_pages  # stopped once past 'since'
    assert (second.new, second.skipped) == (len(may_june - june), len(june))
    assert set(article_hits.values()) == {1}  # resumed: no page fetched twice

    briefings = toolkit.load_briefings(tmp_path, use_cache=False)
    assert set(briefings["url"]) == may_june
    expected = mfa_en_reference.set_index("source_url")["text"]
    same = [_squash(row.text) == _squash(expected[row.url]) for row in briefings.itertuples()]
    assert sum(same) >= 0.95 * len(same), f"{len(same) - sum(same)} of {len(same)} texts differ from the JSONL"


def test_mfa_zh_finds_every_cached_chinese_page(mfa_site, mfa_zh_path, tmp_path):
    ref = pd.read_json(mfa_zh_path, lines=True, dtype=False).set_index("source_url")
    with LoopbackServer(mfa_site) as server:
        summary = fetch_briefings("mfa_zh", tmp_path, base_url=server.url, concurrency=4, **FAST)
    got = _manifest(tmp_path).set_index("url")
    assert (summary.listing_pages, summary.new, summary.failed) == (67, 1000, 0)
    assert set(got.index) == set(ref.index)
    ref = ref.loc[got.index]
    assert (got["listing_date"] == ref["date"].fillna("")).all()
    # the listing itself cuts one long title (t1498702: "...援助物资" for "...援助物资运抵孟加拉国答记者问")
    titles = pd.DataFrame({"got": got["title"], "ref": ref["title"].str.strip()})
    assert all(r.startswith(g) for g, r in zip(titles["got"], titles["ref"]))
    assert (titles["got"] != titles["ref"]).sum() == 1
    assert (got.loc[ref["doc_type"] == "regular_press_conference", "kind"] == "regular_press_conference").all()
    assert (ref.loc[got["kind"] == "answers_to_media", "doc_type"] == "answers_to_reporters").all()


# ---------------------------------------------------------------- (b) MND-style pages written for these tests


@pytest.fixture(scope="module")
def mnd_site() -> dict[str, bytes]:
    """The fixture pages under their paths (the first folder is the host; one server plays every host)."""
    return {"/" + p.relative_to(MND_SITE).as_posix().split("/", 1)[1]: p.read_bytes()
            for p in MND_SITE.rglob("*") if p.is_file() and p.name != "README.md"}


MND_EN_EXPECTED = {  # url: (kind, listing date), read off the fixture listings by hand ("": the title names none)
    "http://eng.mod.gov.cn/2025xb/P/16420001.html": ("regular_press_conference", "2025-12-25"),
    "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/16338616.html": ("regular_press_conference", "2019-12-27"),
    "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/16338700.html": ("answers_to_media", "2019-12-20"),
    "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/16200001.html": ("regular_press_conference", "2019-11-29"),
    "http://eng.mod.gov.cn/Press/2015-01/29/content_4567609.htm": ("regular_press_conference", "2015-01-29"),
    "http://eng.chinamil.com.cn/VOICES/MinistryofNationalDefense_209794/16284683.html": ("", "2024-02-29"),
    "http://eng.chinamil.com.cn/VOICES/MinistryofNationalDefense_209794/16284601.html":
        ("regular_press_conference", "2024-02-29"),
    "http://eng.chinamil.com.cn/VOICES/9605914.html": ("remarks", "2019-07-26"),
    "http://eng.chinamil.com.cn/view/2018-06/29/content_8075007.htm": ("regular_press_conference", "2018-06-29"),
}


def test_mnd_en_walks_both_sites_and_keeps_only_briefings(mnd_site, tmp_path):
    with LoopbackServer(mnd_site) as server:
        summary = fetch_briefings("mnd_en", tmp_path, base_url=server.url, **FAST)
        hits = dict(server.hits)
    got = _manifest(tmp_path).set_index("url")
    assert summary.listing_pages == 6 and summary.new == 9 and summary.failed == 0
    assert {u: (r.kind, r.listing_date) for u, r in got.iterrows()} == MND_EN_EXPECTED
    # pager script (index_1.html) and a "Next Page" link (index_2.html) were both followed, each once
    assert hits["/xb/News_213114/NewsRelease/index_1.html"] == 1 and hits["/VOICES/index_2.html"] == 1
    # a truncated link text gives way to the link's title attribute; image and text links count once
    assert got.loc["http://eng.chinamil.com.cn/VOICES/MinistryofNationalDefense_209794/16284601.html", "title"] == \
        "Regular Press Conference of the Ministry of National Defense on February 29"
    assert "/xb/News_213114/NewsRelease/16338555.html" not in hits and "/VOICES/16284700.html" not in hits
    for url, row in got.iterrows():
        host, path = urlsplit(url).hostname, urlsplit(url).path
        assert (tmp_path / row["path"]).read_bytes() == (MND_SITE / host / path.lstrip("/")).read_bytes()


MND_EN_BRIEFINGS = {  # url: (briefing date, spokesperson), read off the fixture pages by hand
    "http://eng.mod.gov.cn/2025xb/P/16420001.html": ("2025-12-25", "Jiang Bin"),
    "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/16338616.html": ("2019-12-26", "Wu Qian"),  # "on Dec. 26", byline 2019-12-27
    "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/16338700.html": ("2019-12-20", None),  # no date on the page: the listing's
    "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/16200001.html": ("2019-11-28", "Ren Guoqiang"),
    "http://eng.mod.gov.cn/Press/2015-01/29/content_4567609.htm": ("2015-01-29", "Yang Yujun"),
    "http://eng.chinamil.com.cn/VOICES/MinistryofNationalDefense_209794/16284683.html": ("2024-02-29", "Tan Kefei"),
    "http://eng.chinamil.com.cn/VOICES/MinistryofNationalDefense_209794/16284601.html": ("2024-02-29", "Wu Qian"),
    "http://eng.chinamil.com.cn/VOICES/9605914.html": ("2019-07-26", "Wu Qian"),
    "http://eng.chinamil.com.cn/view/2018-06/29/content_8075007.htm": ("2018-06-28", "Ren Guoqiang"),  # posted the 29th
}


def test_mnd_en_pages_load_as_clean_briefings(mnd_site, tmp_path):
    with LoopbackServer(mnd_site) as server:
        fetch_briefings("mnd_en", tmp_path, base_url=server.url, **FAST)
    briefings = toolkit.load_briefings(tmp_path, use_cache=False).set_index("url")
    assert {u: (f"{r.date:%Y-%m-%d}", r.spokesperson if isinstance(r.spokesperson, str) else None)
            for u, r in briefings.iterrows()} == MND_EN_BRIEFINGS
    for junk in ("shall prevail", "(Photo", "摄", "Editor:", "by Xuan Qi"):
        assert not briefings["text"].str.contains(junk, regex=False).any(), junk
    turns = toolkit.split_turns(briefings.reset_index())
    report = turns[turns["url"].str.endswith("16284683.html")]
    assert set(report["role"]) == {"report"} and set(report["speaker"]) == {"Tan Kefei"}
    assert set(report["kind"]) == {"news_report"}  # the listing title names no kind: the loader's inference decides
    transcripts = turns[turns["kind"] == "regular_press_conference"]
    assert not transcripts.loc[transcripts["role"] == "question", "text"].str.contains("Wu Qian|Ren Guoqiang").any()


def test_max_pages_limits_each_section(mnd_site, tmp_path):
    with LoopbackServer(mnd_site) as server:
        summary = fetch_briefings("mnd_en", tmp_path, base_url=server.url, max_pages=1, **FAST)
        assert server.hits["/VOICES/index_2.html"] == 0
    assert summary.listing_pages == 4 and summary.new == 5  # page one of each listing: 1 + 2 + 1 + 1 new briefings


def test_layout_fallback_walks_the_first_listing_that_answers(tmp_path):
    listing = b'<html><body><a href="./202007/t20200703_11000001.html">Regular Press Conference on July 3, 2020</a>'
    routes = {"/eng/xw/fyrbt/lxjzh/index.html": listing,
              "/eng/xw/fyrbt/lxjzh/202007/t20200703_11000001.html": _article()}
    with LoopbackServer(routes) as server:  # the 2020 listing path answers 404 here
        summary = fetch_briefings("mfa_en", tmp_path, base_url=server.url, **FAST)
        assert server.hits[MFA_EN_LIST + "default.shtml"] == 1
    assert summary.new == 1 and len(summary.failures) == 0
    assert _manifest(tmp_path)["url"].tolist() == [
        "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/202007/t20200703_11000001.html"]


def test_cli_fetch_prints_the_summary(mnd_site, tmp_path, capsys):
    with LoopbackServer(mnd_site) as server:
        status = fetch_main(["fetch", "mnd_zh", "--out", str(tmp_path), "--base-url", server.url,
                             "--delay", "0", "--no-progress"])
    printed = capsys.readouterr().out
    assert status == 0
    assert re.search(r"new\s+: 7", printed) and re.search(r"failed\s+: 0", printed)  # see test_fetch_mnd_zh.py


# ---------------------------------------------------------------- (c) faults

LISTING = "/VOICES/index.html"
CANON = "http://eng.chinamil.com.cn"


def _site(articles: dict, extra: dict | None = None) -> dict:
    """A listing at /VOICES/index.html linking to each article path, plus the article routes."""
    items = "".join(f'<li><a href="{p}">Defense Ministry spokesperson remarks {i}</a></li>'
                    for i, p in enumerate(articles))
    return {LISTING: f"<html><body><ul>{items}</ul></body></html>".encode(), **articles, **(extra or {})}


def _article(n: int = 1) -> bytes:
    return f"<html><body><h1>Remarks {n}</h1><p>{'Spokesperson text. ' * 40}</p></body></html>".encode()


def _fetch(server, out, **options):
    settings = {**FAST, "retries": 3, **options}
    return fetch_briefings("mnd_en", out, base_url=server.url, start_urls=[CANON + LISTING], **settings)


def _failure(summary, path: str) -> dict:
    rows = summary.failures[summary.failures["url"] == CANON + path]
    assert len(rows) == 1, summary.failures
    return rows.iloc[0].to_dict()


def test_5xx_answers_are_retried_until_success(tmp_path):
    with LoopbackServer(_site({"/VOICES/100001.html": fail_first(2, _article())})) as server:
        summary = _fetch(server, tmp_path)
        assert server.hits["/VOICES/100001.html"] == 3
    assert (summary.new, summary.failed) == (1, 0)
    assert (tmp_path / _manifest(tmp_path).loc[0, "path"]).read_bytes() == _article()


def test_persistent_5xx_gives_up_and_reports(tmp_path):
    with LoopbackServer(_site({"/VOICES/100001.html": fail_first(99, _article(), status=503)})) as server:
        summary = _fetch(server, tmp_path, retries=2)
        assert server.hits["/VOICES/100001.html"] == 3
    failure = _failure(summary, "/VOICES/100001.html")
    assert summary.failed == 1 and failure["status"] == 503
    assert "HTTP 503" in failure["error"] and "gave up after 3 attempts" in failure["error"]
    assert _manifest(tmp_path).loc[0, "path"] == ""  # recorded, nothing saved; a later run retries it


def test_slow_answer_times_out_then_retry_succeeds(tmp_path):
    with LoopbackServer(_site({"/VOICES/100001.html": slow_first(1, _article(), seconds=1.5)})) as server:
        summary = _fetch(server, tmp_path, timeout=0.3)
        assert server.hits["/VOICES/100001.html"] == 2
    assert (summary.new, summary.failed) == (1, 0)


def test_truncated_body_is_retried_or_reported(tmp_path):
    articles = {"/VOICES/100001.html": truncated(_article(1), times=1), "/VOICES/100002.html": truncated(_article(2))}
    with LoopbackServer(_site(articles)) as server:
        summary = _fetch(server, tmp_path, retries=1)
    assert (summary.new, summary.failed) == (1, 1)
    assert "truncated body" in _failure(summary, "/VOICES/100002.html")["error"]
    good = _manifest(tmp_path).query("error == ''").iloc[0]
    assert (tmp_path / good["path"]).read_bytes() == _article(1)  # the complete body, not the half


def test_redirect_loop_is_detected_not_followed_forever(tmp_path):
    routes = _site({"/VOICES/100001.html": redirect("/VOICES/100002.html")},
                   {"/VOICES/100002.html": redirect("100001.html")})  # relative Location, same folder
    with LoopbackServer(routes) as server:
        summary = _fetch(server, tmp_path)
        assert server.hits["/VOICES/100001.html"] == 1 and server.hits["/VOICES/100002.html"] == 1
    assert "redirect loop" in _failure(summary, "/VOICES/100001.html")["error"]


def test_redirect_off_the_site_is_refused(tmp_path):
    routes = _site({"/VOICES/100001.html": redirect("http://example.invalid/VOICES/100001.html")})
    with LoopbackServer(routes) as server:
        summary = _fetch(server, tmp_path)
    assert "redirect leaves the site" in _failure(summary, "/VOICES/100001.html")["error"]


def test_404_is_a_clear_stop_reported_and_not_retried(tmp_path, capsys):
    articles = {"/VOICES/100001.html": _article(), "/VOICES/100404.html": fail_first(99, b"", status=404)}
    with LoopbackServer(_site(articles)) as server:
        status = fetch_main(["fetch", "mnd_en", "--out", str(tmp_path), "--base-url", server.url, "--start-url",
                             CANON + LISTING, "--delay", "0", "--no-progress"])
        assert server.hits["/VOICES/100404.html"] == 1
    printed = capsys.readouterr().out
    assert status == 1
    assert re.search(r"new\s+: 1", printed) and f"{CANON}/VOICES/100404.html: HTTP 404" in printed


def test_robots_txt_disallow_is_obeyed(tmp_path):
    robots = b"User-agent: *\nDisallow: /VOICES/private/\n"
    articles = {"/VOICES/100001.html": _article(), "/VOICES/private/100002.html": _article(2)}
    with LoopbackServer(_site(articles, {"/robots.txt": robots})) as server:
        summary = _fetch(server, tmp_path)
        assert server.hits["/VOICES/private/100002.html"] == 0
    assert summary.new == 1
    assert _failure(summary, "/VOICES/private/100002.html")["error"] == "disallowed by robots.txt"


def test_robots_crawl_delay_slows_the_client_down():
    robots = b"User-agent: mnd-discourse-toolkit\nCrawl-delay: 1\nDisallow: /private/\n"
    with LoopbackServer({"/robots.txt": robots}) as server:
        client = HttpClient(delay=0.5, retries=0)
        assert client.allowed_by_robots(server.url + "/VOICES/1.html")
        assert not client.allowed_by_robots(server.url + "/private/1.html")
    assert client.current_delay == 1  # whole seconds: what urllib.robotparser reads


def test_unreachable_robots_txt_means_nothing_is_fetched(tmp_path):
    with LoopbackServer(_site({"/VOICES/100001.html": _article()}, {"/robots.txt": fail_first(99, b"")})) as server:
        summary = _fetch(server, tmp_path, retries=1)
        assert server.hits[LISTING] == 0
    assert summary.new == 0 and summary.failures["stage"].tolist() == ["listing"]


def test_unreachable_robots_txt_says_why(tmp_path):
    with LoopbackServer(_site({"/VOICES/100001.html": _article()}, {"/robots.txt": fail_first(99, b"")})) as server:
        summary = _fetch(server, tmp_path, retries=1)
    error = _failure(summary, LISTING)["error"]
    assert "robots.txt unreachable: HTTP 500" in error and "RFC 9309" in error
    assert "disallowed" not in error


def test_connection_refused_is_reported_as_such_not_as_robots_txt(tmp_path, capsys):
    with socket.socket() as probe:  # a port nobody listens on: bound, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    status = fetch_main(["fetch", "mnd_en", "--out", str(tmp_path), "--base-url", f"http://127.0.0.1:{port}",
                         "--start-url", CANON + LISTING, "--delay", "0", "--retries", "0", "--no-progress"])
    printed = capsys.readouterr().out
    assert status == 1
    assert f"[listing] {CANON}{LISTING}: robots.txt unreachable: cannot connect to 127.0.0.1:{port}: " \
           "connection refused" in printed
    assert "disallowed by robots.txt" not in printed


@pytest.mark.parametrize("body, content_type", [(b'{"items": [{"id": 1, "title": "remarks"}]}', "application/json"),
                                                (bytes(range(256)) * 8, "application/octet-stream")])
def test_listing_without_article_links_is_a_listing_failure(tmp_path, capsys, body, content_type):
    with LoopbackServer({LISTING: page(body, content_type=content_type)}) as server:
        status = fetch_main(["fetch", "mnd_en", "--out", str(tmp_path), "--base-url", server.url, "--start-url",
                             CANON + LISTING, "--delay", "0", "--no-progress"])
    printed = capsys.readouterr().out
    assert status == 1
    assert f"[listing] {CANON}{LISTING}: no article links found on the listing page; check --start-url / the " \
           "site layout" in printed


def test_only_200_is_a_saved_page_other_2xx_are_failures(tmp_path):
    def odd_success(handler, hit):
        send(handler, _article(2), status=299)

    with LoopbackServer(_site({"/VOICES/100001.html": _article(1), "/VOICES/100002.html": odd_success})) as server:
        first = _fetch(server, tmp_path)
        second = _fetch(server, tmp_path)
        assert server.hits["/VOICES/100001.html"] == 1 and server.hits["/VOICES/100002.html"] == 2
    for summary in (first, second):
        failure = _failure(summary, "/VOICES/100002.html")
        assert summary.failed == 1 and failure["status"] == 299 and "HTTP 299" in failure["error"]
    assert (first.new, first.n_saved) == (1, 1) and (second.new, second.skipped, second.n_saved) == (0, 1, 1)
    rows = _manifest(tmp_path)
    assert rows.loc[rows["url"] == CANON + "/VOICES/100002.html", "path"].tolist() == ["", ""]
    assert len(list((tmp_path / "raw").iterdir())) == 1
    assert toolkit.load_briefings(tmp_path, use_cache=False)["url"].tolist() == [CANON + "/VOICES/100001.html"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_saved_pages_get_the_mode_of_an_ordinary_file(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with LoopbackServer(_site({"/VOICES/100001.html": _article()})) as server:
            _fetch(server, tmp_path)
    finally:
        os.umask(previous)
    ordinary = 0o666 & ~umask
    for path in [tmp_path / "manifest.csv", *(tmp_path / "raw").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == ordinary, path


def test_page_size_limit(tmp_path):
    with LoopbackServer(_site({"/VOICES/100001.html": b"x" * 5000})) as server:
        summary = _fetch(server, tmp_path, max_bytes=2000)
    assert "page too large" in _failure(summary, "/VOICES/100001.html")["error"]


def test_gzip_bodies_are_saved_unpacked_and_corrupt_ones_reported(tmp_path):
    def gzipped(handler, hit):
        send(handler, gzip.compress(_article(1)), headers={"Content-Encoding": "gzip"})

    def corrupt(handler, hit):
        send(handler, b"not gzip at all", headers={"Content-Encoding": "gzip"})

    with LoopbackServer(_site({"/VOICES/100001.html": gzipped, "/VOICES/100002.html": corrupt})) as server:
        summary = _fetch(server, tmp_path, retries=0)
    good = _manifest(tmp_path).query("error == ''").iloc[0]
    assert (tmp_path / good["path"]).read_bytes() == _article(1)
    assert "corrupt gzip body" in _failure(summary, "/VOICES/100002.html")["error"]


def test_gb18030_page_declared_only_in_the_http_header(tmp_path):
    listing = '<html><body><a href="/VOICES/100001.html">国防部新闻发言人谈话</a></body></html>'.encode("gb18030")
    with LoopbackServer({LISTING: page(listing, content_type="text/html; charset=GBK"),
                         "/VOICES/100001.html": _article()}) as server:
        _fetch(server, tmp_path)
    assert _manifest(tmp_path)["title"].tolist() == ["国防部新闻发言人谈话"]


def test_interrupted_run_leaves_only_whole_files_and_resumes(tmp_path, monkeypatch):
    import toolkit.fetch.store as store

    articles = {f"/VOICES/10000{i}.html": _article(i) for i in range(5)}
    real_replace, calls = store.os.replace, []

    def interrupt_third(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(src, dst)

    with LoopbackServer(_site(articles)) as server:
        monkeypatch.setattr(store.os, "replace", interrupt_third)
        with pytest.raises(KeyboardInterrupt):
            _fetch(server, tmp_path, concurrency=1)
        monkeypatch.setattr(store.os, "replace", real_replace)
        rows = _manifest(tmp_path)  # the worker may finish one more page before the pool stops
        assert 2 <= len(rows) <= 3 and CANON + "/VOICES/100002.html" not in set(rows["url"])
        assert not list((tmp_path / "raw").glob("*.part")) and len(list((tmp_path / "raw").iterdir())) == len(rows)
        assert all(_sha((tmp_path / r.path).read_bytes()) == r.sha256 for r in rows.itertuples())
        (tmp_path / rows.loc[0, "path"]).write_bytes(b"damaged")  # a page cut short outside the fetcher
        summary = _fetch(server, tmp_path)
    assert (summary.skipped, summary.new) == (len(rows) - 1, 5 - len(rows) + 1)


# ---------------------------------------------------------------- small parts


def test_decode_html_header_meta_and_fallback():
    text = "国防部例行记者会"
    assert decode_html(text.encode("gb18030")) == text  # no declaration: not UTF-8, so GB18030
    assert decode_html(text.encode("gbk"), content_type="text/html; charset=GBK") == text
    assert decode_html(f'<meta charset="gb2312"><p>{text}</p>'.encode("gb18030")).endswith(f"{text}</p>")
    assert decode_html(text.encode("utf-8"), content_type="text/html; charset=utf-8") == text
    assert decode_html(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


@pytest.mark.parametrize("text, expected", [
    ("Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on June11, 2018", dt.date(2018, 6, 11)),
    ("Regular Press Conference on Sept. 24, 2020", dt.date(2020, 9, 24)),
    ("2019年12月26日国防部例行记者会", dt.date(2019, 12, 26)),
    ("( Source: MOD ) 2015-July-30 23:25", dt.date(2015, 7, 30)),
    ("Huang Panyue 2019-12-27 14:39:32", dt.date(2019, 12, 27)),
    ("Regular Press Conference on Dec. 26", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_listing_in_xhtml_with_an_xml_declaration():
    html = ('<?xml version="1.0" encoding="utf-8"?>\n<html><body><ul><li><a href="16400001.html">'
            "Defense Ministry spokesperson remarks</a> 2024-03-01</li></ul></body></html>")
    adapter = SOURCES["mnd_en"]
    entries = adapter.entries(html, "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/index.html", adapter.sections[0])
    assert [(e.url, e.date) for e in entries] == [
        ("http://eng.mod.gov.cn/xb/News_213114/NewsRelease/16400001.html", dt.date(2024, 3, 1))]


def test_classify_kind_from_titles():
    assert kind_from_title("Defense Ministry's Regular Press Conference on Nov. 28") == "regular_press_conference"
    assert kind_from_title("Defense Ministry spokesperson answers media queries on drills") == "answers_to_media"
    assert kind_from_title("Spokesperson Wu Qian's remarks on the white paper") == "remarks"
    assert kind_from_title("国防部新闻发言人就有关问题答记者问") == "answers_to_media"
    assert kind_from_title("中外联合演习开幕") is None


def test_bad_options_raise_clear_errors(tmp_path):
    with pytest.raises(ToolkitError, match=r"fetch_briefings\(\): unknown source='mnd'"):
        fetch_briefings("mnd", tmp_path)
    with pytest.raises(ToolkitError, match="'since'.*YYYY-MM-DD"):
        fetch_briefings("mnd_en", tmp_path, since="last spring")
    with pytest.raises(ToolkitError, match="delay=-1 must be >= 0"):
        fetch_briefings("mnd_en", tmp_path, delay=-1)
    with pytest.raises(ToolkitError, match=r"timeout=0 must be > 0.*retries=-1 must be >= 0"):
        fetch_briefings("mnd_en", tmp_path, timeout=0, retries=-1)
    with pytest.raises(ToolkitError, match="since=2024-05-01 is after until=2024-01-31"):
        fetch_briefings("mnd_en", tmp_path, since="2024-05-01", until="2024-01-31")
    assert not (tmp_path / "manifest.csv").exists()
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(ToolkitError, match=r"fetch_briefings\(\): argument 'out': .*a_file is a file, not a folder"):
        fetch_briefings("mnd_en", tmp_path / "a_file")


def test_cli_bad_option_exits_2_with_the_reason(tmp_path, capsys):
    assert fetch_main(["fetch", "mnd_en", "--out", str(tmp_path), "--since", "2024-13-45"]) == 2
    assert "'since'='2024-13-45' is not a date" in capsys.readouterr().err


def test_every_source_has_a_listing_and_recognises_its_own_article_shapes():
    shapes = {
        "mnd_en": ["/Press/2015-01/29/content_4567609.htm", "/CHINA_209163/TopStories_209189/9300000.html",
                   "/VOICES/MinistryofNationalDefense_209794/16284683.html", "/2025xb/V_251452/16400000.html"],
        "mnd_zh": ["/gfbw/xwfyr/yzxwfb/16479365.html", "/jzhzt/2021-01/28/content_4878000.htm"],
        "mfa_en": [MFA_EN_LIST + "t1617471.shtml"],
        "mfa_zh": ["/web/wjdt_674879/fyrbt_674889/t1680056.shtml"],
    }
    for name, paths in shapes.items():
        adapter = SOURCES[name]
        assert adapter.sections and all(adapter.article_path.search(p) for p in paths)
        assert not adapter.article_path.search("/index.html")
