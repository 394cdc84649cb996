"""Property tests (hypothesis) over loaders, splitters, the cache and stance: nothing crashes, nothing is lost.

Profiles (registered in ``conftest.py``): ``ci`` (the default: a fixed seed and a bounded number of
examples, about a minute in all) and ``thorough`` (``pytest tests/test_fuzz.py --hypothesis-profile=thorough``:
thousands of examples per property, for local runs).

Assertions: no exception other than :class:`toolkit.ToolkitError`; every file and every table row
has exactly one load-report row (or, for a table file, one row per line/row); labels and turn
texts rebuild each briefing; sentences keep every non-space character of their turn; cached
results equal uncached ones; stance scores stay in (-1, 1).
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import toolkit
from toolkit.text import valid_unicode

LABELS = ["Q:", "A:", "Question:", "Answer:", "Reuters:", "Wu Qian:", "Senior Colonel Wu Qian:", "问：", "答：",
          "记者：", "Follow-up:", "Journalist:", "Announcement 1:", "(Photo: mod.gov.cn)", "BEIJING, Jan. 28 --"]
WORDS = ["China", "firmly", "opposes", "the", "US", "Taiwan", "mil-to-mil", "relations", "Japan", "cooperation",
         "中方", "坚决反对", "美方", "台湾", "合作", "。", "?", ".", "!", ",", "Jan.", "U.S.", "Dr.", "\ud800", "\x00", "–"]
SUFFIXES = [".txt", ".html", ".csv", ".tsv", ".jsonl", ".json", ".md", ""]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "gb18030", "latin-1"]
SETTINGS = {"suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture], "deadline": None}

words = st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=12).map(" ".join)
lines = st.tuples(st.sampled_from(LABELS + [""] * 5), words).map(lambda p: f"{p[0]} {p[1]}".strip())
texts = st.lists(lines | st.sampled_from(["", " ", "\t", "Q:\nA:"]), max_size=8).map("\n".join) | st.text(max_size=200)


@pytest.fixture(autouse=True)
def private_cache(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", "off")


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace") if encoding != "utf-8" else text.encode("utf-8", "surrogatepass")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                         max_size=3), max_leaves=6)
records = st.fixed_dictionaries({"text": texts | json_values}, optional={"date": st.text(max_size=12) | st.integers(),
                                                                         "title": texts, "doc_id": st.text(max_size=3)})


@st.composite
def files(draw):
    """A file name and its bytes: free text, a JSON Lines or CSV table, or random bytes, in some encoding."""
    suffix = draw(st.sampled_from(SUFFIXES))
    if suffix == ".jsonl":
        rows = draw(st.lists(records | json_values, max_size=4))
        text = "\n".join(json.dumps(r) if draw(st.booleans()) else "{broken" for r in rows)
    elif suffix in {".csv", ".tsv"}:
        sep = "," if suffix == ".csv" else "\t"
        body = draw(st.lists(st.lists(texts, max_size=4).map(sep.join), max_size=4))
        text = "\n".join([f"text{sep}date", *body])
    elif suffix == ".json":
        text = json.dumps(draw(st.lists(records, max_size=3) | json_values))
    else:
        text = draw(texts)
    raw = draw(st.binary(max_size=64)) if draw(st.integers(0, 9)) == 0 else _encoded(text, draw(st.sampled_from(ENCODINGS)))
    return suffix, raw


@settings(**SETTINGS)
@given(st.lists(files(), min_size=1, max_size=5))
def test_every_file_of_a_folder_is_accounted_for(folder_files):
    folder = Path(tempfile.mkdtemp())
    try:
        names = []
        for i, (suffix, raw) in enumerate(folder_files):
            (folder / f"f{i}{suffix}").write_bytes(raw)
            names.append(f"f{i}{suffix}")
        briefings, report, _ = toolkit.load_briefings(folder, with_report=True)
    finally:
        shutil.rmtree(folder)
    assert set(report["source"].map(lambda s: Path(s).name)) == set(names)
    assert set(report["action"]) <= {"loaded", "warning", "merged", "skipped"}
    whole = report[report["record"] == "whole file"]
    loaded = report[report["action"].isin(["loaded", "warning"]) & report["doc_id"].notna()]
    assert len(briefings) == loaded["doc_id"].nunique() == len(loaded)
    for name in names:
        if Path(name).suffix in {".txt", ".html", ".md", ""}:
            assert (whole["source"].map(lambda s: Path(s).name) == name).sum() == 1, name
    for column in ("text", "title"):
        assert not briefings[column].dropna().str.contains("\x00").any()


@settings(**SETTINGS)
@given(st.lists(records, min_size=1, max_size=6))
def test_every_row_of_a_table_has_exactly_one_report_row(rows):
    frame = pd.DataFrame([{k: v for k, v in r.items()} for r in rows], dtype=object)
    try:
        briefings, report, _ = toolkit.load_briefings(frame, with_report=True)
    except toolkit.ToolkitError:
        return
    per_row = report[report["record"].str.startswith("row ")]
    assert sorted(per_row["record"]) == sorted(f"row {i}" for i in range(len(frame)))
    assert len(briefings) == per_row["action"].isin(["loaded", "warning"]).sum()


@settings(**SETTINGS)
@given(st.lists(texts, min_size=1, max_size=4))
def test_splitting_loses_nothing(docs):
    briefings = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "text": pd.Series(docs, dtype=object)})
    turns = toolkit.split_turns(briefings, use_cache=False)
    for doc_id, text in zip(briefings["doc_id"], docs):
        part = turns[turns["doc_id"] == doc_id]
        rebuilt = "".join((part["label"].fillna("") + part["text"]).tolist())
        assert "".join(rebuilt.split()) == "".join(valid_unicode(text)[0].split())
    sentences = toolkit.split_sentences(turns, use_cache=False)
    for (doc_id, turn_id), part in sentences.groupby(["doc_id", "turn_id"]):
        turn = turns[(turns["doc_id"] == doc_id) & (turns["turn_id"] == turn_id)]["text"].iloc[0]
        assert "".join("".join(part["text"]).split()) == "".join(turn.split())


@settings(**{**SETTINGS, "max_examples": 40})
@given(st.lists(texts, min_size=1, max_size=4))
def test_cached_results_equal_uncached(docs):
    frame = pd.DataFrame({"text": pd.Series(docs, dtype=object)})
    folder = tempfile.mkdtemp()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TOOLKIT_CACHE_DIR", folder)
            try:
                first = toolkit.load_briefings(frame)
            except toolkit.ToolkitError:
                return
            cached = [toolkit.split_turns(first), toolkit.split_sentences(toolkit.split_turns(first))]
            again = [toolkit.split_turns(first), toolkit.split_sentences(toolkit.split_turns(first))]
        plain = [toolkit.split_turns(first, use_cache=False),
                 toolkit.split_sentences(toolkit.split_turns(first, use_cache=False), use_cache=False)]
    finally:
        shutil.rmtree(folder)
    for one, two, three in zip(cached, again, plain):
        pd.testing.assert_frame_equal(one, three)
        pd.testing.assert_frame_equal(two, three)


@settings(**SETTINGS)
@given(st.lists(texts, min_size=1, max_size=5), st.sampled_from(["sentence", "turn", "doc"]))
def test_stance_scores_are_bounded(docs, unit):
    briefings = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(docs))], "text": pd.Series(docs, dtype=object)})
    turns = toolkit.split_turns(briefings, use_cache=False)
    table = toolkit.split_sentences(turns, use_cache=False) if unit == "sentence" else turns
    scores = toolkit.score_stance(table, unit=unit, include_questions=True)
    assert scores["score"].between(-1, 1, inclusive="neither").all()
