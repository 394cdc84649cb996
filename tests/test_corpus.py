"""load_briefings: formats, schemas, metadata from text, boilerplate, load report, cache."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import toolkit
from toolkit import ToolkitError, load_briefings


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))


# --- the seed briefing (hand-checked facts) ------------------------------------------------------

def test_seed_metadata(seed_path):
    b = load_briefings(seed_path)
    assert len(b) == 1
    row = b.iloc[0]
    assert row["date"] == pd.Timestamp("2021-01-28")
    assert (row["spokesperson"], row["rank"], row["kind"], row["source"], row["lang"]) == (
        "Wu Qian", "Senior Colonel", "news_report", "mnd", "en")
    assert "(Photo: mod.gov.cn)" not in row["text"] and "(Photo: mod.gov.cn)" in row["boilerplate"]
    assert row["text"].startswith("BEIJING, Jan. 28 --")
    assert len(re.findall(r"mil-to-mil", row["text"], re.I)) == 3
    assert str(b["date"].dtype) == "datetime64[ns]"


def test_doc_id_is_stable_and_content_derived(seed_path, tmp_path):
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(seed_path.read_bytes())
    assert load_briefings(seed_path)["doc_id"].iloc[0] == load_briefings(copy)["doc_id"].iloc[0]


def test_folder_skips_readme_with_reason(seed_path, tmp_path):
    (tmp_path / "a.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "README.md").write_text("# notes")
    b = load_briefings(tmp_path)
    report = toolkit.load_report(b)
    assert len(b) == 1
    assert report.set_index("action").loc["skipped", "reason"].startswith("not a briefing format (.md)")


# --- MND formats written from the format facts ---------------------------------------------------

MND_TRANSCRIPT = """Regular Press Conference of the Ministry of National Defense on Dec. 26
Ministry of National Defense
Huang Panyue
2019-12-27 14:39:32
(The following English text of the press conference is for reference.  In case of any divergence of interpretation, the Chinese textshall prevail.)
Senior Colonel Wu Qian, spokesperson for the Ministry of National Defense, answers questions at the press conference. (Photo: mod.gov.cn)
Good afternoon, friends from the media. I have two announcements to make.
Question: What is your comment on the new defense bill of the US side?
Senior Colonel Wu Qian: We firmly oppose it. The US side should stop its wrong actions.
(Photo:
Question: Please brief us on the joint exercise.
Senior Colonel Wu Qian: The exercise is not targeted at any third party.
"""


def test_mnd_transcript_boilerplate_and_date(tmp_path):
    path = tmp_path / "mnd.txt"
    path.write_text(MND_TRANSCRIPT)
    row = load_briefings(path).iloc[0]
    assert row["title"] == "Regular Press Conference of the Ministry of National Defense on Dec. 26"
    assert row["date"] == pd.Timestamp("2019-12-26")  # month-day from the title, year from the byline
    assert row["kind"] == "regular_press_conference"
    assert (row["spokesperson"], row["rank"], row["source"]) == ("Wu Qian", "Senior Colonel", "mnd")
    for junk in ("Chinese textshall prevail", "Huang Panyue", "2019-12-27 14:39:32", "(Photo:", "Ministry of National Defense\n"):
        assert junk not in row["text"]
    assert "Chinese textshall prevail" in row["boilerplate"]
    assert row["text"].startswith("Good afternoon")


def test_year_before_posting_date_from_url():
    frame = pd.DataFrame({
        "title": ["Defense Ministry's Regular Press Conference on Dec. 28"],
        "url": ["http://eng.mod.gov.cn/news/2018-01/02/content_4801234.htm"],
        "text": ["Question: Any comment?\nRen Guoqiang: No comment."],
    })
    row = load_briefings(frame).iloc[0]
    assert row["date"] == pd.Timestamp("2017-12-28")  # posted in January, briefing in the previous December
    assert row["source"] == "mnd" and row["date_origin"] == "title+year"


def test_dateline_with_year_from_path():
    frame = pd.DataFrame({
        "url": ["http://eng.chinamil.com.cn/view/2018-06/29/content_8075007.htm"],
        "text": ["BEIJING, June 28 (Xinhua) -- China firmly opposes the move, said Ren Guoqiang, spokesperson for the "
                 "Ministry of National Defense, on Thursday.\nRen said that the PLA will safeguard sovereignty."],
    })
    row = load_briefings(frame).iloc[0]
    assert row["date"] == pd.Timestamp("2018-06-28") and row["kind"] == "news_report"
    assert row["spokesperson"] == "Ren Guoqiang"


def test_chinese_caption_removed_and_lang():
    frame = pd.DataFrame({"text": ["国防部新闻发言人吴谦答记者问。 李爱明 摄\n问：请介绍有关情况。\n答：中方坚决反对。"], "date": ["2020-03-01"]})
    row = load_briefings(frame).iloc[0]
    assert row["lang"] == "zh" and "摄" not in row["text"] and row["spokesperson"] == "Wu Qian"
    assert row["n_words"] == len(re.findall(r"[\u3400-\u9fff]", row["text"]))


# --- tables in the three schemas -----------------------------------------------------------------

def test_usc_schema_csv(tmp_path):
    path = tmp_path / "mnd.csv"
    pd.DataFrame({
        "publish_time": ["2024-05-30 10:00:00", "2024-06-27"],
        "type": ["例行记者会", "答记者问"],
        "title": ["国防部例行记者会", "国防部新闻发言人答记者问"],
        "content": ["问：有何评论？\n张晓刚：我们坚决反对。", "问：请证实。\n答：情况属实。"],
        "source_url": ["http://www.mod.gov.cn/gfbw/xwfyr/1.html", "http://www.mod.gov.cn/gfbw/xwfyr/2.html"],
    }).to_csv(path, index=False)
    b = load_briefings(path)
    assert list(b["kind"]) == ["regular_press_conference", "answers_to_media"]
    assert list(b["date"]) == [pd.Timestamp("2024-05-30 10:00"), pd.Timestamp("2024-06-27")]
    assert set(b["source"]) == {"mnd"} and set(b["lang"]) == {"zh"}
    assert "publish_time" not in b.columns or b["publish_time"].notna().all()


def test_usc_transcript_dyads_grouped(tmp_path):
    path = tmp_path / "transcripts.jsonl"
    rows = [
        {"title": "Regular press conference on May 30, 2024", "question": "Comment on the drills?", "answer": "They are legitimate.", "source_url": "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/1.html"},
        {"title": "Regular press conference on May 30, 2024", "question": "And the vessel?", "answer": "We urge restraint.", "source_url": "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/1.html"},
        {"title": "Regular press conference on June 27, 2024", "question": "A question?", "answer": "An answer.", "source_url": "http://eng.mod.gov.cn/xb/News_213114/NewsRelease/2.html"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    b = load_briefings(path)
    assert len(b) == 2 and list(b["date"]) == [pd.Timestamp("2024-05-30"), pd.Timestamp("2024-06-27")]
    dyads = toolkit.pair_dyads(toolkit.split_turns(b))
    assert list(dyads["question"]) == ["Comment on the drills?", "And the vessel?", "A question?"]
    assert list(dyads["answer"]) == ["They are legitimate.", "We urge restraint.", "An answer."]


def test_dataframe_input_keeps_extra_columns():
    frame = pd.DataFrame({"text": ["Q: A question?\nA: An answer."], "date": ["2020-01-02"], "my_code": [7]})
    b = load_briefings(frame)
    assert b["my_code"].tolist() == [7]
    assert list(b.columns[:13]) == toolkit.corpus.BRIEFING_COLUMNS


# --- bad input: clear error, nothing lost --------------------------------------------------------

def test_bad_inputs_reported_not_lost(tmp_path, seed_path):
    (tmp_path / "good.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "dup.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 \xff\xfe\xfd".encode("latin-1") + b"\x80\x81\xff")
    (tmp_path / "gbk.txt").write_bytes("问：有何评论？\n答：中方坚决反对。".encode("gb18030"))
    (tmp_path / "bad.jsonl").write_text('{"text": "Q: ok?\\nA: yes.", "date": "2020-13-45"}\n{broken\n')
    (tmp_path / "odd.csv").write_text("foo,bar\n1,2\n")
    b, report, _ = load_briefings(tmp_path, with_report=True)
    by_file = {}
    for r in report.itertuples():
        key = (r.source.rsplit("/", 1)[-1], r.action)
        by_file[key] = f"{by_file[key]} | {r.reason}" if key in by_file else r.reason
    assert ("dup.txt", "merged") in by_file or ("good.txt", "merged") in by_file
    assert by_file[("empty.txt", "skipped")].startswith("empty document")
    assert "neither UTF-8 nor GB18030" in by_file[("latin1.txt", "skipped")]
    assert ("gbk.txt", "warning") in by_file  # loaded; the warning says it has no date
    assert "invalid JSON" in by_file[("bad.jsonl", "skipped")]
    assert "date '2020-13-45' is unparseable" in by_file[("bad.jsonl", "warning")]
    assert "match no known schema" in by_file[("odd.csv", "skipped")]
    assert len(b) == 3  # seed, gbk, the valid JSON line
    with pytest.raises(ToolkitError, match="strict=True"):
        load_briefings(tmp_path, strict=True)


def test_errors_name_function_and_fix(tmp_path):
    with pytest.raises(ToolkitError, match=r"load_briefings\(\): argument 'source'.*does not exist"):
        load_briefings(tmp_path / "nope")
    with pytest.raises(ToolkitError, match=r"unknown schema='xml'"):
        load_briefings(tmp_path, schema="xml")
    with pytest.raises(ToolkitError, match="no known schema"):
        load_briefings(pd.DataFrame({"foo": [1]}))


def test_cache_is_used_and_atomic(tmp_path, seed_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "c"))
    first = load_briefings(seed_path)
    entries = list((tmp_path / "c" / "briefings").iterdir())
    assert len(entries) == 1 and not entries[0].name.startswith(".tmp")
    (entries[0] / "briefings.arrow").write_bytes(b"half-written")  # a damaged entry is rebuilt, not read
    with pytest.warns(UserWarning, match="damaged"):
        again = load_briefings(seed_path)
    pd.testing.assert_frame_equal(first, again)
    third = load_briefings(seed_path)
    pd.testing.assert_frame_equal(first, third)


# --- the real corpora ----------------------------------------------------------------------------

def test_mfa_english_corpus(mfa_en_path):
    b, report, dyads = load_briefings(mfa_en_path, with_report=True)
    assert len(b) == 500
    undated = b[b["date"].isna()]
    assert len(undated) == 2 and undated["title"].str.contains("Remarks").all()
    assert b["date"].min() == pd.Timestamp("2018-05-11") and b["date"].max() == pd.Timestamp("2020-07-03")
    assert b["spokesperson"].value_counts().to_dict() == {"Geng Shuang": 238, "Hua Chunying": 123, "Lu Kang": 89, "Zhao Lijian": 50}
    assert set(b["source"]) == {"mfa"} and set(b["lang"]) == {"en"}
    assert b["kind"].value_counts().to_dict() == {"regular_press_conference": 472, "remarks": 28}
    assert 850_000 < b["n_words"].sum() < 1_000_000  # "about 912k words"
    assert report["action"].value_counts().to_dict() == {"loaded": 498, "warning": 2} and dyads.empty
    assert report.loc[report["action"] == "warning", "reason"].str.startswith("no date found").all()
    assert b.attrs["load"]["actions"] == {"loaded": 498, "warning": 2}


def test_mfa_chinese_corpus(mfa_zh_path):
    b = load_briefings(mfa_zh_path)
    assert len(b) == 1000 and set(b["lang"]) == {"zh"} and b["date"].notna().all()
    assert b["kind"].value_counts().to_dict() == {"regular_press_conference": 827, "answers_to_media": 140, "remarks": 33}


def test_cmfa_sample_round_trip(corpora):
    path = corpora / "cmfa_presscon_sample" / "ukraine_dataset_combined.jsonl"
    original = pd.read_json(path, lines=True, dtype=False)
    for source in (path, path.with_suffix(".xlsx")):
        dyads = toolkit.pair_dyads(toolkit.split_turns(load_briefings(source)))
        assert len(dyads) == 661
        norm = lambda s: " ".join(str(s).split()) if str(s).strip() not in {"", "-", "nan", "None"} else ""  # noqa: E731
        got = sorted(zip(dyads["id"].astype(str), dyads["question"].map(norm), dyads["answer"].map(norm)))
        want = sorted(zip(original["id"].astype(str), original["question"].map(norm), original["answer"].map(norm)))
        assert got == want
        assert dyads["who_asked"].notna().all()
        merged = load_briefings(source).merge(pd.DataFrame({"extra": [1]}), how="cross")   # attrs dropped by merge
        assert toolkit.pair_dyads(toolkit.split_turns(merged))["who_asked"].notna().all()


def test_real_html_matches_jsonl(corpora, tmp_path):
    import tarfile

    folder = corpora / "mfa_fmprc_2016_2020"
    jsonl = pd.read_json(folder / "mfa_en_regular_press_conferences_2018-2020.jsonl", lines=True, dtype=False)
    sample = jsonl.iloc[::25]
    with tarfile.open(folder / "raw_html_httpcache.tar.gz") as tar:
        for row in sample.itertuples():
            (tmp_path / row.raw_file.split("/")[-1]).write_bytes(tar.extractfile(row.raw_file).read())
    pd.DataFrame({"url": sample["source_url"], "path": [f.split("/")[-1] for f in sample["raw_file"]]}).to_csv(tmp_path / "manifest.csv", index=False)
    b = load_briefings(tmp_path).set_index("url")
    assert len(b) == len(sample)
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    for row in sample.itertuples():
        assert squash(b.loc[row.source_url, "text"]) == squash(row.text)
        assert b.loc[row.source_url, "title"] == row.title
        if row.date:
            assert b.loc[row.source_url, "date"] == pd.Timestamp(row.date)
