"""toolkit fetch mnd_zh on a loopback replica of www.mod.gov.cn (tests/fixtures/mnd_site/www.mod.gov.cn).

Expectations are read off the fixture pages by hand: five sections, listings paged by ``createPageHTML``, the
transcript route through monthly topic pages (``a.button.chinese``), a transcript continued on ``<id>_2.html``
(``createManuscriptPageHTML('2')``), GB18030 pages, a body only between ``<!--HTMLBOX-->`` markers.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit.fetch import fetch_briefings
from toolkit.fetch.mnd_zh import more_pages
from toolkit.readers.mnd import read_mnd_page

from fetch_server import LoopbackServer, fail_first, slow_first, truncated

SITE = Path(__file__).parent / "fixtures" / "mnd_site" / "www.mod.gov.cn"
FAST = {"delay": 0, "backoff": 0, "timeout": 1.0, "progress": False}
BASE = "http://www.mod.gov.cn/gfbw/xwfyr/"
MAY = BASE + "lxjzh_246940/16313001.html"
PAGE_TWO = "/gfbw/xwfyr/lxjzh_246940/16313001_2.html"
EXPECTED = {  # url: (section, manifest kind, loaded kind, date, title, spokesperson, questions, answers)
    MAY: ("lxjzhzt", "regular_press_conference", "regular_press_conference", "2024-05-30",
          "2024年5月国防部例行记者会文字实录", "Wu Qian", 3, 3),
    BASE + "lxjzh_246940/16313002.html": ("lxjzhzt", "regular_press_conference", "regular_press_conference",
                                          "2024-04-25", "2024年4月国防部例行记者会文字实录", "Zhang Xiaogang", 1, 1),
    BASE + "lxjzh_246940/16334621.html": ("lxjzh", "", "press_conference", "2024-06-27",
                                          "国防部：坚决反对外方舰机抵近侦察", "Zhang Xiaogang", 2, 2),
    BASE + "yzxwfb/16479365.html": ("yzxwfb", "news_release", "news_release", "2025-06-26",
                                    "国防部新闻发言人发布近期军事活动消息", "Jiang Bin", 0, 0),
    BASE + "fyrthhdjzw/16360001.html": ("fyrthhdjzw", "answers_to_media", "answers_to_media", "2025-01-10",
                                        "国防部新闻发言人张晓刚就外方对台军售答记者问", "Zhang Xiaogang", 1, 1),
    BASE + "fyrthhdjzw/16429836.html": ("fyrthhdjzw", "remarks", "remarks", "2025-12-25",
                                        "国防部新闻发言人蒋斌就外方涉华报告发表谈话", "Jiang Bin", 0, 0),
    BASE + "ztjzh/16401234.html": ("ztjzh", "press_conference", "press_conference", "2025-06-20",
                                   "国防部举行军队院校招生工作专题记者会", "Jiang Bin", 1, 1),
}
NAVIGATION = ("首页", "国防部发布", "分享到", "相关新闻", "中外联合演习开幕", "版权所有", "责任编辑", "当前位置")


@pytest.fixture(scope="module")
def site() -> dict[str, bytes]:
    """The replica pages under their paths."""
    return {"/" + p.relative_to(SITE).as_posix(): p.read_bytes() for p in SITE.rglob("*") if p.is_file()}


def _fetch(routes: dict, out: Path, **options):
    with LoopbackServer(routes) as server:
        summary = fetch_briefings("mnd_zh", out, base_url=server.url, **{**FAST, **options})
        return summary, dict(server.hits)


def _manifest(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "manifest.csv", dtype=str, keep_default_na=False).set_index("url")


def test_walks_every_section_pager_and_topic_pages_then_resumes(site, tmp_path):
    summary, hits = _fetch(site, tmp_path)
    # 6 listing pages (lxjzhzt has two, by createPageHTML) and 2 monthly topic pages
    assert (summary.listing_pages, summary.seen, summary.new, summary.failed) == (8, 7, 7, 0)
    assert hits["/gfbw/xwfyr/lxjzhzt/index_1.html"] == 1 and hits[PAGE_TWO] == 1
    assert "/gfbw/gc/16313010.html" not in hits and "/gfbw/xwfyr/lxjzh_246940/16313099.html" not in hits
    got = _manifest(tmp_path)
    assert {u: (r.section, r.kind) for u, r in got.iterrows()} == {u: e[:2] for u, e in EXPECTED.items()}
    again, hits = _fetch(site, tmp_path)
    assert (again.new, again.skipped, again.failed) == (0, 7, 0)
    assert PAGE_TWO not in hits and "/gfbw/xwfyr/lxjzh_246940/16313001.html" not in hits


def test_since_stops_at_older_listing_pages(site, tmp_path):
    summary, hits = _fetch(site, tmp_path, since="2024-05-01")
    assert "/gfbw/xwfyr/lxjzhzt/2024n04y/index.html" in hits  # the topic page is read to find the transcript
    assert summary.out_of_range == 1 and MAY in set(_manifest(tmp_path).index)


def test_loaded_briefings_field_by_field(site, tmp_path):
    _fetch(site, tmp_path)
    briefings = toolkit.load_briefings(tmp_path, use_cache=False).set_index("url")
    turns = toolkit.split_turns(briefings.reset_index())
    for url, (_, _, kind, date, title, spokesperson, questions, answers) in EXPECTED.items():
        row, own = briefings.loc[url], turns[turns["url"] == url]
        assert (row["kind"], f"{row['date']:%Y-%m-%d}", row["title"], row["spokesperson"], row["lang"]) == \
            (kind, date, title, spokesperson, "zh"), url
        assert ((own["role"] == "question").sum(), (own["role"] == "answer").sum()) == (questions, answers), url
        assert not any(word in row["text"] for word in NAVIGATION), url
        assert not row["text"].startswith(title), url


def test_two_page_transcript_is_one_briefing_in_order(site, tmp_path):
    _fetch(site, tmp_path)
    may = toolkit.load_briefings(tmp_path, use_cache=False).set_index("url").loc[MAY]
    text = may["text"]
    assert text.index("请介绍一下此次演习的主要科目") < text.index("有报道称外方近期") < text.index("谢谢大家！")
    assert "摄" not in text and "时间：" not in text                 # caption and header lines are boilerplate
    assert "时间：2024年5月30日" in may["boilerplate"]
    turns = toolkit.split_turns(may.to_frame().T.reset_index(names="url"))
    answers = turns[turns["role"] == "answer"]
    assert set(answers["speaker"]) == {"Wu Qian"} and answers["text"].iloc[-1].endswith("谢谢大家！")
    assert set(turns.loc[turns["role"] == "question", "speaker"].fillna("")) <= {"", "记者"}


def test_gb18030_pages_are_saved_as_one_utf8_page(site, tmp_path):
    _fetch(site, tmp_path)
    saved = (tmp_path / _manifest(tmp_path).loc[MAY, "path"]).read_bytes().decode("utf-8")
    page = read_mnd_page(saved)
    assert page["title"] == "2024年5月国防部例行记者会文字实录" and page["date"] == "2024-05-30"
    assert page["paragraphs"][-1] == "吴谦：今年军队院校计划招收普通高中毕业生，具体情况将另行发布。谢谢大家！"
    assert len(page["paragraphs"]) == 11  # 7 paragraphs on page 1, 4 on page 2


@pytest.mark.parametrize("fault", [
    lambda body: fail_first(1, body, status=503),
    lambda body: slow_first(1, body, seconds=1.5),
    lambda body: truncated(body, times=1),
])
def test_a_fault_on_page_two_is_retried(site, tmp_path, fault):
    routes = {**site, PAGE_TWO: fault(site[PAGE_TWO])}
    summary, hits = _fetch(routes, tmp_path, retries=2)
    assert summary.failed == 0 and hits[PAGE_TWO] == 2
    assert "谢谢大家！" in toolkit.load_briefings(tmp_path, use_cache=False).set_index("url").loc[MAY, "text"]


def test_a_lost_page_two_fails_the_whole_briefing_and_the_next_run_gets_it(site, tmp_path):
    summary, _ = _fetch({**site, PAGE_TWO: fail_first(99, site[PAGE_TWO], status=500)}, tmp_path, retries=1)
    assert summary.failed == 1 and summary.failures["url"].tolist() == [MAY]
    assert MAY not in set(toolkit.load_briefings(tmp_path, use_cache=False)["url"])
    again, _ = _fetch(site, tmp_path)
    assert (again.new, again.skipped) == (1, 6)


def test_more_pages_and_htmlbox_body():
    assert more_pages("<script>createManuscriptPageHTML('1');</script>", MAY) == []
    assert more_pages("", MAY) == []
    page = read_mnd_page('<h1>T</h1><!--HTMLBOX--><p>蒋斌：一</p><p> </p><p>二</p><!--HTMLBOX--><p>页脚</p>')
    assert page == {"title": "T", "date": "", "paragraphs": ["蒋斌：一", "二"]}
    assert read_mnd_page("<html><body><p>no article here</p></body></html>") is None


def test_section_option_chooses_sections(site, tmp_path, capsys):
    from toolkit.fetch.cli import main as fetch_main

    with LoopbackServer(site) as server:
        status = fetch_main(["fetch", "mnd_zh", "--out", str(tmp_path), "--base-url", server.url, "--delay", "0",
                             "--no-progress", "--section", "fyrthhdjzw", "--section", "ztjzh"])
        assert "/gfbw/xwfyr/lxjzhzt/index.html" not in server.hits
    assert status == 0
    assert set(_manifest(tmp_path)["section"]) == {"fyrthhdjzw", "ztjzh"}
    assert fetch_main(["fetch", "mnd_zh", "--out", str(tmp_path), "--section", "nope"]) == 2
    assert "unknown section(s) ['nope']" in capsys.readouterr().err
