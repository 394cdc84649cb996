"""The outside English stance check sets and the CMFA train draw (issue 10): CMFA PressCon rows resolve, lie
outside the MFA English briefings, the train draw shares no briefing date with a check row, and every row
carries a valid label; the resolver reads dyad-keyed offsets."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from bench_modules import bench_module

from toolkit._checks import ToolkitError
from toolkit.stance import read_referenced_annotations

DATA = Path(__file__).parent / "data"
OUTSIDE = DATA / "stance_outside_en.csv"
CMFA_TRAIN = DATA / "stance_train_cmfa_en.csv"
COLUMNS = ["dyad_id", "offset", "length", "lang", "target", "label", "split", "note"]


@pytest.fixture(scope="module")
def outside() -> pd.DataFrame:
    return pd.read_csv(OUTSIDE, dtype={"label": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def cmfa(corpora) -> dict[int, dict]:
    with open(corpora / "cmfa_presscon_sample" / "ukraine_dataset_combined.jsonl", encoding="utf-8") as handle:
        return {r["id"]: r for r in map(json.loads, handle)}


def test_resolver_reads_dyad_keyed_offsets(tmp_path):
    corpus = tmp_path / "dyads.jsonl"
    answer = "We have noted the reports. China and Japan are neighbours."
    records = [{"id": 7, "date": "2015-03-02", "question": "Q?", "answer": answer},
               {"id": 8, "date": "2015-03-03", "question": "Q?", "answer": "No comment."}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    refs = tmp_path / "refs.csv"
    # "China and Japan are neighbours." starts after "We have noted the reports. " (27 characters), 31 long
    refs.write_text("dyad_id,offset,length,target,label,split\n7,27,31,Japan,0,outside\n8,0,11,Japan,,outside\n")
    out = read_referenced_annotations(refs, sources=[corpus], splits=("outside",), key="dyad_id",
                                      record_key="id", field="answer")
    assert out["text"].tolist() == ["China and Japan are neighbours."]
    assert out["doc_id"].tolist() == ["7"] and out["date"].tolist() == [pd.Timestamp("2015-03-02")]
    assert out["label"].tolist() == [0]
    refs.write_text("dyad_id,offset,length,target,label\n7,27,31,Japan,0\n9,0,5,Japan,1\n")
    with pytest.raises(ToolkitError, match=r"refs.csv, CSV line 3 references dyad_id '9' at 0\+5: no record"):
        read_referenced_annotations(refs, sources=[corpus], key="dyad_id", record_key="id", field="answer")
    refs.write_text("dyad_id,offset,length,target,label\n7,40,31,Japan,0\n")
    with pytest.raises(ToolkitError, match=r"CSV line 2 .* outside its 'answer' \(58 characters\)"):
        read_referenced_annotations(refs, sources=[corpus], key="dyad_id", record_key="id", field="answer")
    with pytest.raises(ToolkitError, match="no text field 'text'"):
        read_referenced_annotations(refs, sources=[corpus], key="dyad_id", record_key="id")


def test_columns_and_labels(outside):
    assert list(outside.columns) == COLUMNS and len(outside) == 1128
    assert set(outside["lang"]) == {"en"}
    assert outside["split"].tolist() == (["outside"] * 300 + ["outside2"] * 300 + ["outside3"] * 300
                                         + ["outside4"] * 228), "each set follows the one before"
    assert not outside.duplicated(["dyad_id", "offset", "target"]).any()
    for split, part in outside.groupby("split"):
        usable = part[part["label"] != ""]
        assert set(usable["label"].astype(int)) >= {-2, -1, 0, 1} and len(usable) >= 0.9 * len(part), split
        assert not usable["note"].str.startswith("unusable").any()
        assert part.loc[part["label"] == "", "note"].str.startswith("unusable: ").all()
        assert (part["target"].value_counts() <= 300 // 4).all(), f"{split}: no target above 25 % of the rows"
    first = outside[outside["split"] == "outside"]
    assert (first.loc[first["label"] != "", "note"] != "").all(), "the first set's labeller noted every row"


def overlapping(rows: pd.DataFrame, earlier: pd.DataFrame) -> list[tuple[int, int]]:
    """(dyad, offset) of the ``rows`` whose sentence overlaps a sentence of ``earlier``."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for dyad, start, length in zip(earlier["dyad_id"], earlier["offset"], earlier["length"]):
        spans.setdefault(dyad, []).append((start, start + length))
    return [(dyad, start) for dyad, start, length in zip(rows["dyad_id"], rows["offset"], rows["length"])
            if any(a < start + length and start < b for a, b in spans.get(dyad, []))]


@pytest.mark.parametrize("split", ["outside2", "outside3", "outside4"])
def test_later_sets_share_no_sentence_with_the_earlier_ones(outside, split):
    later = outside[outside["split"] == split]
    earlier = outside.loc[:later.index[0] - 1]
    clash = overlapping(later, earlier)
    assert not clash, f"{split} rows {clash[:5]} overlap a sentence of an earlier set"
    ordered = later.sort_values(["dyad_id", "offset", "target"])
    assert ordered.index.tolist() == later.index.tolist(), "written in (dyad, offset, target) order"


def test_retired_dates_by_hand():
    module = bench_module("sample_stance_outside")
    for day in ("2022-03-01", "2022-03-02", "2014-05-07"):
        assert module.retired(day) == (int(hashlib.sha256(day.encode()).hexdigest(), 16) % 2 == 0)
    assert {module.retired(f"2022-03-{d:02d}") for d in range(1, 11)} == {True, False}


def test_outside3_and_the_cmfa_train_draws_are_split_by_briefing_date(outside, cmfa):
    module = bench_module("sample_stance_outside")
    first_two = outside[outside["split"].isin(["outside", "outside2"])]
    held_out_dates = {cmfa[i]["date"] for i in first_two["dyad_id"]}
    third = outside[outside["split"] == "outside3"]
    assert {cmfa[i]["date"] for i in third["dyad_id"]} <= held_out_dates, "outside3: only the held-out dates"
    outside_dates = held_out_dates | {cmfa[i]["date"] for i in third["dyad_id"]}
    fourth = outside[outside["split"] == "outside4"]
    assert all(day in outside_dates and not module.retired(day) for day in (cmfa[i]["date"] for i in fourth["dyad_id"]))
    train = pd.read_csv(CMFA_TRAIN, dtype={"label": str}, keep_default_na=False)
    first, second = train.iloc[:234], train.iloc[234:]
    assert list(train.columns) == COLUMNS and set(train["split"]) == {"train"} and len(second) == 290
    assert not {cmfa[i]["date"] for i in first["dyad_id"]} & outside_dates, "draw 1: no dyad on an outside date"
    assert all(day in outside_dates and module.retired(day) for day in (cmfa[i]["date"] for i in second["dyad_id"])), \
        "draw 2: only retired outside dates"
    assert not overlapping(train, outside), "no train sentence is an outside sentence"
    assert not overlapping(second, first) and not overlapping(fourth, train)
    usable = train[train["label"] != ""]
    assert len(usable) >= 0.95 * len(train) and set(usable["label"].astype(int)) == {-2, -1, 0, 1, 2}
    assert train.loc[train["label"] == "", "note"].str.startswith("unusable: ").all()
    for draw in (first, second):
        assert (draw["target"].value_counts() <= 400 // 4).all(), "no target above 25 % of the 400 asked for"
    for row in train.itertuples():
        sentence = cmfa[row.dyad_id]["answer"][row.offset:row.offset + row.length]
        assert sentence and sentence == sentence.strip()


def test_rows_resolve_to_answer_sentences_outside_the_mfa_dates(outside, cmfa, corpora, mfa_en_path):
    with open(mfa_en_path, encoding="utf-8") as handle:
        mfa_dates = {json.loads(line)["date"] for line in handle}
    assert set(outside["dyad_id"]) <= set(cmfa)
    assert not {cmfa[i]["date"] for i in outside["dyad_id"]} & mfa_dates, "no briefing of the MFA English corpus"
    for row in outside.itertuples():
        answer = cmfa[row.dyad_id]["answer"]
        sentence = answer[row.offset:row.offset + row.length]
        assert row.offset + row.length <= len(answer) and sentence == sentence.strip() and sentence
    module = bench_module("sample_stance_outside")
    read = module.read_outside(corpora)       # the rows still held out: on dates not retired into training
    usable = outside[(outside["label"] != "") & ~outside["dyad_id"].map(lambda i: module.retired(cmfa[i]["date"]))]
    assert len(read) == len(usable) and read["label"].tolist() == usable["label"].astype(int).tolist()
    assert read["text"].tolist() == [cmfa[i]["answer"][o:o + n]
                                     for i, o, n in zip(usable["dyad_id"], usable["offset"], usable["length"])]


def test_draw_rule_by_hand():
    module = bench_module("sample_stance_outside")
    # target A: 3 rows in 2014, 1 in 2022; target B: 1 row; cap 25 % of 4 = 1 row per target
    pool = pd.DataFrame({"dyad_id": [1, 2, 3, 4, 5], "offset": 0, "length": 1,
                         "target": ["A", "A", "A", "A", "B"], "year": [2014, 2014, 2014, 2022, 2014]})
    drawn = module.draw(pool, 4, seed=0)
    assert sorted(drawn["target"]) == ["A", "B"]
    # cap 50 %: 2 rows of A, one per year (round-robin over years), and the one row of B
    drawn = module.draw(pool, 4, seed=0, cap_share=0.5)
    assert sorted(drawn["target"]) == ["A", "A", "B"]
    assert sorted(drawn.loc[drawn["target"] == "A", "year"]) == [2014, 2022]


def test_rewriting_a_draw_keeps_the_rows_before_and_after_it(tmp_path):
    module = bench_module("sample_stance_outside")
    head = ",".join(COLUMNS) + "\n"
    rows = ["1,0,5,en,NATO,-2,outside,a\n", "2,0,5,en,NATO,-1,outside2,b\n", "3,0,5,en,NATO,0,outside4,c\n"]
    out = tmp_path / "outside.csv"
    out.write_text(head + "".join(rows))
    redrawn = pd.DataFrame({"dyad_id": [4, 5], "offset": 0, "length": 5, "lang": "en", "target": "Russia",
                            "label": ["1", ""], "split": "outside2", "note": ["", "unusable: x"]})
    # re-writing the one outside2 row as two rows keeps the outside row before and the outside4 row after, as they were
    module._rewrite(out, 1, redrawn, later_from=2)
    assert out.read_text() == head + rows[0] + "4,0,5,en,Russia,1,outside2,\n5,0,5,en,Russia,,outside2,unusable: x\n" \
        + rows[2]
    module._rewrite(out, 1, redrawn.iloc[:1])        # without later_from the rows after the draw are not kept
    assert out.read_text() == head + rows[0] + "4,0,5,en,Russia,1,outside2,\n"
