"""The public MND datasets as they are (US-China corpus files, early 国防部_*.xlsx backups) and the
Chinese transcripts ("YYYY年M月国防部例行记者会文字实录") split into turns."""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit import load_briefings, pair_dyads, split_turns

MOD = "http://www.mod.gov.cn/gfbw/xwfyr/lxjzhhl/"
FIELDS = ["publish_time", "type", "title", "content", "source_url"]
ZH_FIELDS = {"publish_time": "发布时间", "type": "类型", "title": "标题", "content": "内容", "source_url": "链接",
             "question": "问题", "answer": "回答"}


def _write(frame: pd.DataFrame, path):
    """Write ``frame`` as the file's suffix says (CSV, JSONL or XLSX)."""
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_excel(path, index=False)
    return path


def _briefings_table() -> pd.DataFrame:
    return pd.DataFrame([
        ["2024-01-25 16:30:00", "例行记者会", "2024年1月国防部例行记者会", "张晓刚：今天发布一条消息。\n记者：请问有何评论？\n张晓刚：我们坚决反对。", MOD + "16284683.html"],
        ["2024年02月29日", "", "国防部例行记者会", "记者：请介绍演习情况。\n吴谦：演习按计划进行。", MOD + "16290001.html"],
    ], columns=FIELDS)


def _qna_table() -> pd.DataFrame:
    rows = [
        ["2024-03-05", "发言人谈话和答记者问", "国防部新闻发言人就美舰过航台湾海峡答记者问", "问一？", "答一。", MOD + "1.html"],
        ["2024-03-05", "发言人谈话和答记者问", "国防部新闻发言人就美舰过航台湾海峡答记者问", "问二？", "答二。", MOD + "1.html"],
        ["2024-03-07", "发言人谈话和答记者问", "国防部新闻发言人发表谈话", "有记者问及此事。", "我们坚决反对。", MOD + "2.html"],
        ["2024-03-05", "发言人谈话和答记者问", "国防部新闻发言人就美舰过航台湾海峡答记者问", "问三？", "答三。", MOD + "1.html"],
    ]
    return pd.DataFrame(rows, columns=["publish_time", "type", "title", "question", "answer", "source_url"])


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".xlsx"])
def test_briefing_file_fields(tmp_path, suffix):
    path = _write(_briefings_table(), tmp_path / f"mod_regular_press_conferences{suffix}")
    result = load_briefings(path, use_cache=False, with_report=True)
    b = result.briefings
    assert list(b["kind"]) == ["regular_press_conference"] * 2  # the second row's empty type: the file name
    assert list(b["date"]) == [pd.Timestamp("2024-01-25 16:30"), pd.Timestamp("2024-02-29")]
    assert list(b["date_origin"]) == ["column", "column"]
    assert set(b["source"]) == {"mnd"} and set(b["lang"]) == {"zh"}
    assert list(b["title"]) == list(_briefings_table()["title"])
    assert list(b["url"]) == list(_briefings_table()["source_url"])
    assert list(b["text"]) == list(_briefings_table()["content"])
    assert list(result.load_report["action"]) == ["loaded", "loaded"]


@pytest.mark.parametrize(("stem", "kind"), [
    ("mod_special_press_conferences", "press_conference"),
    ("mod_regular_news_briefings", "news_release"),
    ("mod_regular_press_transcripts", "regular_press_conference"),
    ("国防部_专题记者会", "press_conference"),
    ("国防部_例行新闻发布会", "news_release"),
    ("国防部_例行记者会实录", "regular_press_conference"),
])
def test_file_name_gives_the_kind_when_type_is_missing(tmp_path, stem, kind):
    frame = _briefings_table().drop(columns="type").assign(title="国防部发布")
    b = load_briefings(_write(frame, tmp_path / f"{stem}.csv"), use_cache=False)
    assert list(b["kind"]) == [kind, kind]


@pytest.mark.parametrize(("label", "kind"), [
    ("例行新闻发布会", "news_release"), ("专题记者会", "press_conference"),
    ("例行记者会实录", "regular_press_conference"), ("mod_special_press_conferences", "press_conference"),
])
def test_type_labels(tmp_path, label, kind):
    frame = _briefings_table().assign(type=label, title="国防部发布")
    b = load_briefings(_write(frame, tmp_path / "mnd.csv"), use_cache=False)
    assert list(b["kind"]) == [kind, kind]


def test_chinese_columns_xlsx(tmp_path):
    frame = _briefings_table().assign(type="专题记者会").rename(columns=ZH_FIELDS)
    b = load_briefings(_write(frame, tmp_path / "国防部_专题记者会.xlsx"), use_cache=False)
    assert list(b["kind"]) == ["press_conference"] * 2
    assert list(b["date"]) == [pd.Timestamp("2024-01-25 16:30"), pd.Timestamp("2024-02-29")]
    assert list(b["url"]) == list(_briefings_table()["source_url"])
    assert list(b["title"]) == list(_briefings_table()["title"])
    assert list(b["text"]) == list(_briefings_table()["content"]) and set(b["source"]) == {"mnd"}


@pytest.mark.parametrize("name", ["mod_spokesperson_remarks_qna.jsonl", "mod_spokesperson_remarks_qna.csv",
                                  "国防部_发言人谈话和答记者问.xlsx"])
def test_qna_file_dyads(tmp_path, name):
    frame = _qna_table()
    if name.startswith("国防部"):
        frame = frame.rename(columns=ZH_FIELDS)
    result = load_briefings(_write(frame, tmp_path / name), use_cache=False, with_report=True)
    b = result.briefings
    assert list(b["url"]) == [MOD + "1.html", MOD + "2.html"]
    assert list(b["kind"]) == ["answers_to_media", "remarks"]  # a type of two kinds: the title decides
    assert list(b["date"]) == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-07")]
    assert set(b["source"]) == {"mnd"}
    assert b["text"].iloc[0] == "Q: 问一？\nA: 答一。\nQ: 问二？\nA: 答二。\nQ: 问三？\nA: 答三。"
    assert list(result.dyads.groupby("doc_id", sort=False).size()) == [3, 1]
    assert len(result.load_report) == 2 and set(result.load_report["action"]) == {"loaded"}
    dyads = pair_dyads(split_turns(b, use_cache=False))
    first = dyads[dyads["doc_id"] == b["doc_id"].iloc[0]]
    assert list(first["question"]) == ["问一？", "问二？", "问三？"]
    assert list(first["answer"]) == ["答一。", "答二。", "答三。"]


TRANSCRIPT = """2024年1月国防部例行记者会文字实录
时间：2024年1月25日下午
地点：国防部新闻发布厅
发布人：国防部新闻局副局长、国防部新闻发言人张晓刚大校，国防部新闻发言人吴谦大校
国防部新闻发言人张晓刚大校、吴谦大校主持例行记者会。 李晓伟 摄
张晓刚：各位记者朋友，下午好！今天的记者会我先发布两条消息。
第一条消息。中国人民解放军将派员出席有关会议。
记者：据报道，美国国会通过了对台军售案。请问中方对此有何评论？
吴谦：我们坚决反对美国向中国台湾地区出售武器。
这一立场是一贯的、明确的。
记者：近期有关方面举行了联合演习，请介绍有关情况。
张晓刚：这次演习是年度计划内的安排，不针对任何第三方。
"""


def test_chinese_transcript_turns(tmp_path):
    (tmp_path / "2024-01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    b = load_briefings(tmp_path, use_cache=False)
    row = b.iloc[0]
    assert row["date"] == pd.Timestamp("2024-01-25") and row["kind"] == "regular_press_conference"
    assert row["source"] == "mnd" and row["title"] == "2024年1月国防部例行记者会文字实录"
    assert "时间：" not in row["text"] and "摄" not in row["text"]
    assert {"时间：2024年1月25日下午", "地点：国防部新闻发布厅"} <= set(row["boilerplate"].splitlines())
    turns = split_turns(b, use_cache=False)
    assert list(turns["role"]) == ["statement", "question", "answer", "question", "answer"]
    assert list(turns["speaker"].fillna("")) == ["Zhang Xiaogang", "", "Wu Qian", "", "Zhang Xiaogang"]
    assert list(turns["label"]) == ["张晓刚：", "记者：", "吴谦：", "记者：", "张晓刚："]
    assert "\n".join(turns["label"] + turns["text"]) == row["text"]
    dyads = pair_dyads(turns)
    assert list(dyads["answerer"]) == ["Wu Qian", "Zhang Xiaogang"]
