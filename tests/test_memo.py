"""The memo of prepared term matrices: same results with and without it, never stale, bounded in memory."""
from __future__ import annotations

import gc
import re
import tracemalloc

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import toolkit
from toolkit import cache
from toolkit.terms import memo

DOCS = pd.DataFrame({
    "doc_id": ["a", "b", "c"],
    "date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-03"]),
    "text": ["Hegemony is wrong. The South China Sea is calm.",
             "No hegemony, no hegemonism.",
             "We oppose hegemony in the South China Sea and the South-China-Sea islands."],
})


@pytest.fixture(autouse=True)
def fresh_memo():
    memo.set_memo_limit(None)
    memo.clear_memo()
    yield
    memo.set_memo_limit(None)
    memo.clear_memo()


def _counts(frame, term, by="doc_id"):
    return toolkit.term_frequency(frame, term, by=by).set_index("period")["n"].to_dict()


def test_repeated_query_reuses_one_matrix_and_counts_by_hand():
    first = _counts(DOCS, "hegemony")
    assert first == {"a": 1, "b": 1, "c": 1}
    assert toolkit.memo_usage()["entries"] == 1
    assert _counts(DOCS, "hegemony") == first and toolkit.memo_usage()["entries"] == 1
    assert _counts(DOCS, "South China Sea") == {"a": 1, "b": 0, "c": 2}     # a listed variant counts too
    assert toolkit.memo_usage()["entries"] == 1                              # same table, same options: one matrix
    toolkit.keyness(DOCS, target={"doc_id": "c"}, min_count=1)               # stop words dropped: another matrix
    assert toolkit.memo_usage()["entries"] == 2


def test_a_mutated_text_is_counted_anew():
    frame = DOCS.copy()
    assert _counts(frame, "hegemony") == {"a": 1, "b": 1, "c": 1}
    frame.loc[1, "text"] = "Hegemony, hegemony and hegemony again."                 # in place
    assert _counts(frame, "hegemony") == {"a": 1, "b": 3, "c": 1}
    frame["text"] = frame["text"].str.replace("Hegemony is wrong.", "Peace.")         # a new column
    assert _counts(frame, "hegemony") == {"a": 0, "b": 3, "c": 1}
    frame.loc[0, "date"] = pd.Timestamp("2020-02-10")                                  # a number column, in place
    monthly = toolkit.term_frequency(frame, "South China Sea", by="month").set_index("period")["n"]
    assert monthly.tolist() == [0, 3]
    assert _counts(frame[frame["doc_id"] != "c"], "hegemony") == {"a": 0, "b": 3}      # a filter


def test_a_loaded_table_is_known_until_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    DOCS.assign(date=DOCS["date"].dt.strftime("%Y-%m-%d")).to_json(tmp_path / "b.jsonl", orient="records",
                                                                   lines=True)
    briefings = toolkit.load_briefings(tmp_path / "b.jsonl")
    key = cache.fingerprint(briefings)
    assert key == cache.fingerprint(briefings.copy())                        # a copy holds the same Arrow arrays
    assert key != cache.fingerprint(briefings.assign(extra=1))
    assert _counts(briefings, "hegemony") == {"a": 1, "b": 1, "c": 1}
    briefings.loc[2, "text"] = "Nothing here."
    assert cache.fingerprint(briefings) != key
    assert _counts(briefings, "hegemony") == {"a": 1, "b": 1, "c": 0}


def test_options_name_their_content(tmp_path):
    phrases = tmp_path / "phrases.csv"
    phrases.write_text("canonical,variant\nwrong hegemony,hegemony is wrong\n")
    assert _counts_with(DOCS, "wrong hegemony", phrases=str(phrases)) == {"a": 1, "b": 0, "c": 0}
    phrases.write_text("canonical,variant\nwrong hegemony,no hegemony\n")              # same path, new bytes
    assert _counts_with(DOCS, "wrong hegemony", phrases=str(phrases)) == {"a": 0, "b": 1, "c": 0}
    assert _counts_with(DOCS, "wrong hegemony", phrases=["no hegemony"]) == {"a": 0, "b": 0, "c": 0}
    assert _counts_with(DOCS, "no hegemony", phrases=["no hegemony"]) == {"a": 0, "b": 1, "c": 0}


def _counts_with(frame, term, *, phrases):
    return toolkit.term_frequency(frame, term, by="doc_id", phrases=phrases).set_index("period")["n"].to_dict()


def _every_function(briefings, turns, lang):
    """Each term function given a table, as a researcher calls them one after another."""
    term, regex = ("南海", "re:霸权.*") if lang == "zh" else ("South China Sea", r"re:hegemon\w*")
    out = {
        "term_frequency": toolkit.term_frequency(briefings, [term, regex, "the"], by="month"),
        "term_frequency_turns": toolkit.term_frequency(turns, term, by="quarter", speaker="spokesperson"),
        "kwic": toolkit.kwic(briefings, term, window=6),
        "kwic_regex": toolkit.kwic(turns, regex, sort="left"),
        "keyness": toolkit.keyness(briefings, target={"spokesperson": briefings["spokesperson"].iloc[0]}),
        "collocations": toolkit.collocations(turns, term, min_count=2),
        "dispersion": toolkit.dispersion(turns, [term, regex], parts="month"),
        "trending_terms": toolkit.trending_terms(briefings, by="quarter", min_count=40),
    }
    audit = toolkit.phrase_audit(turns, term, random_state=0)
    out.update({f"audit_{name}": getattr(audit, name) for name in ("variants", "collocates", "lines")})
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_results_identical_with_and_without_the_memo(lang, mfa_en_path, mfa_zh_path):
    path = mfa_zh_path if lang == "zh" else mfa_en_path
    briefings = toolkit.load_briefings(path).iloc[:: 33 if lang == "zh" else 4].reset_index(drop=True)
    turns = toolkit.split_turns(briefings)
    toolkit.set_memo_limit(0)
    plain = _every_function(briefings, turns, lang)
    assert toolkit.memo_usage()["entries"] == 0
    toolkit.set_memo_limit(None)
    filled = _every_function(briefings, turns, lang)
    assert toolkit.memo_usage()["entries"] >= 3
    reused = _every_function(briefings, turns, lang)
    assert len(plain["kwic"]) > 5 and len(plain["kwic_regex"]) > 0
    for name, table in plain.items():
        pd.testing.assert_frame_equal(filled[name], table, obj=name)
        pd.testing.assert_frame_equal(reused[name], table, obj=name)
        if "provenance" in table.attrs:
            assert reused[name].attrs == table.attrs


def _held_bytes() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0] + pa.total_allocated_bytes()


def test_memo_memory_is_bounded(mfa_en_path):
    briefings = toolkit.load_briefings(mfa_en_path)
    frames = [briefings.iloc[i * 40:(i + 1) * 40].reset_index(drop=True) for i in range(8)]
    one = memo.matrix_bytes(toolkit.count_terms(frames[0], stop_words=None))
    toolkit.set_memo_limit(2.5 * one / 2**20)                # room for two such matrices
    tracemalloc.start()
    try:
        held = []
        for frame in frames:
            toolkit.term_frequency(frame, "South China Sea", by="month")
            usage = toolkit.memo_usage()
            assert usage["mb"] <= usage["limit_mb"] and usage["entries"] <= 2
            held.append(_held_bytes())
        # once the memo is full, asking about new tables holds no more memory: old entries make room
        assert max(held[3:]) - held[2] < 0.5 * one
        toolkit.clear_memo()
        freed = held[-1] - _held_bytes()
        # what the memo held is what it counted (its estimate is not too low)
        assert freed <= 1.3 * toolkit.memo_usage()["limit_mb"] * 2**20
    finally:
        tracemalloc.stop()
    assert toolkit.memo_usage()["entries"] == 0
    toolkit.set_memo_limit(0.9 * one / 2**20)                # a matrix larger than the limit is used, not kept
    assert _counts(frames[0], "hegemony") == _counts(frames[0].copy(deep=True), "hegemony")
    assert toolkit.memo_usage()["entries"] == 0


def test_limit_is_checked_and_shrinks_at_once():
    _counts(DOCS, "hegemony")
    assert toolkit.memo_usage()["entries"] == 1
    toolkit.set_memo_limit(0)
    assert toolkit.memo_usage()["entries"] == 0
    with pytest.raises(toolkit.ToolkitError, match=re.escape("set_memo_limit(): argument 'mb'")):
        toolkit.set_memo_limit(-1)
    assert np.isclose(toolkit.memo_usage()["limit_mb"], 0)
