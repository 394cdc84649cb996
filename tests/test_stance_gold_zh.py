"""The Chinese stance gold set (tests/data/stance_gold_zh.csv, issue 10) is well-formed against the real corpus.

Each row references a spokesperson sentence of the Chinese MFA corpus by character offset; the checks below
re-derive everything they compare with from the corpus and the documented rules (bench/stance_codebook.md,
bench/sample_stance_gold_zh.py), not from stored results.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from bench_modules import bench_module

import toolkit
from toolkit.stance import load_targets, read_referenced_annotations

DATA = Path(__file__).resolve().parent / "data"
GOLD = DATA / "stance_gold_zh.csv"
VALIDATION = DATA / "stance_validation.csv"
COLUMNS = ["source_url", "offset", "length", "lang", "target", "label", "split", "note"]
SHORT_FORMS = {"Pakistan": ["巴方"]}  # the one short form the sample adds to the gazetteer (see the sampler)
FIRST_DRAW = 679  # rows of the first draw; the seeded test supplement is appended after them (see the sampler)
TEST_SUPPLEMENT_END = 834  # first draw + test supplement; the seeded train supplement (600 rows) follows
TRAIN_SUPPLEMENT = 600
TRAIN_SUPPLEMENT_END = TEST_SUPPLEMENT_END + TRAIN_SUPPLEMENT  # the seeded second hold-out "test2" follows
TEST2 = 400
TEST2_END = TRAIN_SUPPLEMENT_END + TEST2  # the seeded third hold-out "test3" follows
TEST3 = 400
TEST3_END = TEST2_END + TEST3  # the seeded second train supplement follows (sampler --train-supplement-2)
TRAIN_SUPPLEMENT_2 = 1000
TRAIN_SUPPLEMENT_2_END = TEST3_END + TRAIN_SUPPLEMENT_2  # the seeded third train supplement follows
TRAIN_SUPPLEMENT_3 = 1000
TRAIN_SUPPLEMENT_3_END = TRAIN_SUPPLEMENT_2_END + TRAIN_SUPPLEMENT_3  # the seeded fourth hold-out "test4" follows
TEST4 = 400
TEST4_END = TRAIN_SUPPLEMENT_3_END + TEST4  # the seeded fourth train supplement follows
TRAIN_SUPPLEMENT_4 = 1500
TRAIN_SUPPLEMENT_4_END = TEST4_END + TRAIN_SUPPLEMENT_4  # the seeded fifth hold-out "test5" follows
TEST5 = 400
# per-target caps of the test supplement (sampler SUPPLEMENT_QUOTAS; Pakistan = its own 6 + 巴方's 5)
SUPPLEMENT_CAPS = {"United States": 18, "Korean Peninsula": 7, "Pakistan": 6 + 5}
SUPPLEMENT_OTHER_CAP = 6


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return pd.read_csv(GOLD, dtype={"label": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def records(gold, mfa_zh_path) -> dict:
    wanted = set(gold["source_url"])
    with open(mfa_zh_path, encoding="utf-8") as handle:
        return {r["source_url"]: r for r in map(json.loads, handle) if r["source_url"] in wanted}


def expected_split(url: str, forced: set[str]) -> str:
    if url in forced:
        return "train"
    h = int(hashlib.sha256(url.encode()).hexdigest(), 16) % 10
    return "train" if h <= 5 else "dev" if h <= 7 else "test"


def row_keys(rows: pd.DataFrame) -> set:
    return set(zip(rows["source_url"], rows["offset"], rows["target"]))


def test_columns_labels_and_notes(gold):
    assert list(gold.columns) == COLUMNS
    assert set(gold["lang"]) == {"zh"}
    usable = gold["label"] != ""
    assert gold.loc[usable, "label"].astype(int).between(-2, 2).all()
    assert gold.loc[~usable, "note"].str.startswith("unusable:").all()
    # every row up to the second train supplement carries a reason; later labellers noted the hard cases only
    assert (gold["note"].iloc[:TRAIN_SUPPLEMENT_2_END].str.strip() != "").all(), "every row carries a reason"
    assert usable.sum() >= 800 and len(gold) >= 830
    assert not gold.duplicated(["source_url", "offset", "target"]).any()
    assert gold.loc[usable, "label"].astype(int).nunique() == 5, "all five labels occur"


def test_test_split_is_large_enough_for_a_spearman_target(gold):
    test = gold[(gold["split"] == "test") & (gold["label"] != "")]
    assert len(test) >= 250
    assert test["label"].astype(int).nunique() == 5, "all five labels occur in the test split"


def test_test_supplement_is_a_separate_test_only_draw_after_the_first(gold):
    first, extra = gold.iloc[:FIRST_DRAW], gold.iloc[FIRST_DRAW:TEST_SUPPLEMENT_END]
    assert 140 <= len(extra) <= 160, "about 150 supplement rows"
    assert set(extra["split"]) == {"test"}, "the supplement holds test-split briefings only"
    assert not row_keys(first) & row_keys(extra), "no row of the first draw is drawn again"
    order = {"train": 0, "dev": 1, "test": 2}
    for part in (first, extra):  # each draw is written in (split, briefing, offset, target) order
        ordered = part.sort_values(["split", "source_url", "offset", "target"],
                                   key=lambda c: c.map(order) if c.name == "split" else c)
        assert ordered.index.tolist() == part.index.tolist()
    assert first["split"].iloc[-1] == "test", "the first draw ends with its own test rows"
    counts = extra["target"].value_counts()
    caps = counts.index.map(lambda t: SUPPLEMENT_CAPS.get(t, SUPPLEMENT_OTHER_CAP))
    assert (counts.to_numpy() <= caps.to_numpy()).all(), "per-target quotas of the supplement"
    assert counts["United States"] == SUPPLEMENT_CAPS["United States"], "the US cap is reached (1,000+ test rows)"
    assert (extra["label"] != "").sum() >= 0.95 * len(extra), "supplement rows labelled"


def test_train_supplement_is_a_train_dev_draw_after_the_earlier_rows(gold):
    earlier, extra = gold.iloc[:TEST_SUPPLEMENT_END], gold.iloc[TEST_SUPPLEMENT_END:TRAIN_SUPPLEMENT_END]
    assert len(extra) == TRAIN_SUPPLEMENT
    assert set(extra["split"]) == {"train", "dev"}, "never a test-split briefing"
    spans = {}
    for url, start, length, target in zip(earlier["source_url"], earlier["offset"], earlier["length"],
                                          earlier["target"]):
        spans.setdefault((url, target), []).append((start, start + length))
    for url, start, length, target in zip(extra["source_url"], extra["offset"], extra["length"], extra["target"]):
        assert not any(a < start + length and start < b for a, b in spans.get((url, target), [])), \
            f"{url} {start} {target} repeats an earlier row"
    order = {"train": 0, "dev": 1, "test": 2}
    ordered = extra.sort_values(["split", "source_url", "offset", "target"],
                                key=lambda c: c.map(order) if c.name == "split" else c)
    assert ordered.index.tolist() == extra.index.tolist(), "written in (split, briefing, offset, target) order"
    counts = extra["target"].value_counts()
    # quotas (sampler train_quotas): US weight 3, others 1. By hand for N = 600: q = 22 would take 601 rows
    # (66 + 22 x 23 + Israel 3 + Ukraine 9 + Mongolia 17), q = 21 takes 575; the 25 missing rows go one per
    # stratum with rows left (24 of them), then one more: at most two top-up rows per target
    assert counts["United States"] <= 3 * 21 + 2 and counts.drop("United States").max() <= 21 + 2
    assert counts["United States"] > counts.drop("United States").max(), "the US has the larger quota"
    assert (extra["label"] != "").sum() >= 0.95 * len(extra), "supplement rows labelled"


def _spans(rows: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for url, start, length in zip(rows["source_url"], rows["offset"], rows["length"]):
        spans.setdefault(url, []).append((start, start + length))
    return spans


def _reused(rows: pd.DataFrame, spans: dict[str, list[tuple[int, int]]]) -> list[tuple[str, int]]:
    return [(url, start) for url, start, length in zip(rows["source_url"], rows["offset"], rows["length"])
            if any(a < start + length and start < b for a, b in spans.get(url, []))]


def test_test2_is_a_fresh_test_briefing_draw_after_every_earlier_row(gold):
    earlier, extra = gold.iloc[:TRAIN_SUPPLEMENT_END], gold.iloc[TRAIN_SUPPLEMENT_END:TEST2_END]
    assert len(extra) == TEST2 and set(extra["split"]) == {"test2"}
    assert set(gold.iloc[:TRAIN_SUPPLEMENT_END]["split"]) == {"train", "dev", "test"}, "test2 rows come last"
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    assert (extra["source_url"].map(lambda u: expected_split(u, forced)) == "test").all(), \
        "test2 holds test-split briefings only"
    reused = _reused(extra, _spans(earlier))
    assert not reused, f"{reused[:5]} repeat a sentence of an earlier row (any target, any split)"
    ordered = extra.sort_values(["source_url", "offset", "target"])
    assert ordered.index.tolist() == extra.index.tolist(), "written in (briefing, offset, target) order"
    counts = extra["target"].value_counts()
    # quotas (sampler test2_quotas), by hand for N = 400: the US round(400 * 90 / 679) = 53; the other 347 rows:
    # 8 targets have few test rows left and give all of them (51 rows), 296 rows remain for the 17 others,
    # q = 17 (17 x 17 = 289), and the 7 missing rows go one each to the first 7 of them in alphabetical order
    assert counts["United States"] == 53 and counts.sum() == TEST2
    others = counts.drop("United States")
    full = others[others >= 17].sort_index()
    assert len(full) == 17 and full.max() == 18
    assert full.tolist() == [18] * 7 + [17] * 10, "top-up rows go to the alphabetically first strata"
    assert (extra["label"] != "").sum() >= 0.95 * len(extra), "test2 rows labelled"


def test_test3_is_a_fresh_test_briefing_draw_after_every_earlier_row_including_test2(gold):
    earlier, extra = gold.iloc[:TEST2_END], gold.iloc[TEST2_END:TEST3_END]
    assert len(extra) == TEST3 and set(extra["split"]) == {"test3"}
    assert "test3" not in set(earlier["split"]), "test3 rows come last"
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    assert (extra["source_url"].map(lambda u: expected_split(u, forced)) == "test").all(), \
        "test3 holds test-split briefings only"
    reused = _reused(extra, _spans(earlier))
    assert not reused, f"{reused[:5]} repeat a sentence of an earlier row (any target, any split, test2 included)"
    ordered = extra.sort_values(["source_url", "offset", "target"])
    assert ordered.index.tolist() == extra.index.tolist(), "written in (briefing, offset, target) order"
    counts = extra["target"].value_counts()
    # quotas (sampler test2_quotas, same rule), by hand for N = 400: the US round(400 * 90 / 679) = 53; the other
    # 347 rows: Germany and Singapore have only 20 fresh test rows left and give all of them, 327 rows remain for
    # the 15 others, q = 21 (315), and the 12 missing rows go one each to the first 12 of them in alphabetical order
    assert counts["United States"] == 53 and counts.sum() == TEST3
    others = counts.drop("United States")
    full = others[others >= 21].sort_index()
    assert len(full) == 15 and others[others < 21].sum() == 20
    assert full.tolist() == [22] * 12 + [21] * 3, "top-up rows go to the alphabetically first strata"
    assert (extra["label"] != "").sum() >= 0.95 * len(extra), "test3 rows labelled"
    assert extra.loc[extra["label"] != "", "label"].astype(int).nunique() == 5, "all five labels occur in test3"


def test_second_train_supplement_is_a_fresh_train_dev_draw_after_every_earlier_row(gold):
    earlier, extra = gold.iloc[:TEST3_END], gold.iloc[TEST3_END:TRAIN_SUPPLEMENT_2_END]
    assert len(extra) == TRAIN_SUPPLEMENT_2 and set(extra["split"]) == {"train", "dev"}, "never a test briefing"
    assert gold.iloc[TEST2_END:TEST3_END]["split"].eq("test3").all(), "test2 and test3 stay where they were"
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    assert (extra["split"] == extra["source_url"].map(lambda u: expected_split(u, forced))).all()
    reused = _reused(extra, _spans(earlier))
    assert not reused, f"{reused[:5]} repeat a sentence of an earlier row (any target, any split, test2/test3 included)"
    order = {"train": 0, "dev": 1}
    ordered = extra.sort_values(["split", "source_url", "offset", "target"],
                                key=lambda c: c.map(order) if c.name == "split" else c)
    assert ordered.index.tolist() == extra.index.tolist(), "written in (split, briefing, offset, target) order"
    counts = extra["target"].value_counts()
    # quotas (sampler train_quotas, US weight 3, others 1), by hand for N = 1,000: Indonesia, Singapore and New
    # Zealand have fewer fresh train/dev rows than q and give all of them (79 rows); q = 40 takes 3 x 40 + 20 x 40
    # + 79 = 999 rows (q = 41 would take 1,022), and the one missing row goes to the alphabetically first
    # stratum with rows left, ASEAN
    assert counts["United States"] == 3 * 40 and counts["ASEAN"] == 41 and counts.sum() == TRAIN_SUPPLEMENT_2
    others = counts.drop(["United States", "ASEAN"])
    assert (others[others >= 40] == 40).sum() == 19 and others[others < 40].sum() == 79
    assert (extra["label"] != "").sum() >= 0.95 * len(extra), "second train supplement labelled"
    assert extra.loc[extra["label"] != "", "label"].astype(int).nunique() == 5


# the later train supplement + hold-out pairs: (rows before, end of the supplement, end of the hold-out, its split,
# the supplement's per-target quota q, its least usable share)
LATER_PAIRS = {"third supplement, test4": (TRAIN_SUPPLEMENT_2_END, TRAIN_SUPPLEMENT_3_END, TEST4_END, "test4", 46, 0.99),
               "fourth supplement, test5": (TEST4_END, TRAIN_SUPPLEMENT_4_END, TRAIN_SUPPLEMENT_4_END + TEST5, "test5",
                                            81, 0.98)}


@pytest.mark.parametrize("pair", list(LATER_PAIRS))
def test_later_train_supplements_and_hold_outs_are_fresh_draws_after_every_earlier_row(gold, pair):
    start, train_end, test_end, split, q, usable_share = LATER_PAIRS[pair]
    train, test = gold.iloc[start:train_end], gold.iloc[train_end:test_end]
    assert len(train) == train_end - start and set(train["split"]) == {"train", "dev"}, "never a test briefing"
    assert len(test) == test_end - train_end == 400 and set(test["split"]) == {split}
    assert not _reused(train, _spans(gold.iloc[:start])), "the supplement reuses no sentence of an earlier row"
    assert not _reused(test, _spans(gold.iloc[:train_end])), f"{split} reuses no sentence"
    counts = train["target"].value_counts()
    # the train-supplement quota rule (US weight 3, every other target 1): the US 3 x q, the top-up at most one more
    assert counts["United States"] == 3 * q and counts.drop("United States").max() == q + 1
    # a hold-out as test2/test3 (no cue tilt): the US keeps its first-draw share round(400 * 90 / 679) = 53
    assert (test["target"] == "United States").sum() == round(400 * 90 / 679) == 53
    for draw in (train, test):
        usable = draw[draw["label"] != ""]
        assert len(usable) >= usable_share * len(draw) and usable["label"].astype(int).nunique() == 5
        assert draw.loc[draw["label"] == "", "note"].str.startswith("unusable").all()


def test_the_file_ends_with_test5_and_each_later_draw_excludes_the_rows_before_it():
    assert len(pd.read_csv(GOLD)) == TRAIN_SUPPLEMENT_4_END + TEST5
    sampler = bench_module("sample_stance_gold_zh")
    # a re-run of a draw excludes exactly the rows before it, so it draws the same rows and refuses to append them
    assert {split: rows for split, (_, rows) in sampler.LATER_HOLDOUTS.items()} == {
        "test3": TEST2_END, "test4": TRAIN_SUPPLEMENT_3_END, "test5": TRAIN_SUPPLEMENT_4_END}
    assert {option: rows for option, (_, rows) in sampler.LATER_TRAIN_SUPPLEMENTS.items()} == {
        "train-supplement-2": TEST3_END, "train-supplement-3": TRAIN_SUPPLEMENT_2_END,
        "train-supplement-4": TEST4_END}


def test_split_follows_the_hash_rule(gold):
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    expected = gold["source_url"].map(lambda u: expected_split(u, forced))
    later = ["test2", "test3", "test4", "test5"]
    held_out = gold["split"].isin(later)
    assert (gold.loc[~held_out, "split"] == expected[~held_out]).all()
    assert (expected[held_out] == "test").all(), "the later hold-outs are drawn from test-split briefings"
    assert set(gold["split"]) == {"train", "dev", "test", *later}
    by_rule = gold["split"].replace({split: "test" for split in later})  # test briefings
    assert by_rule.groupby(gold["source_url"]).nunique().max() == 1, "a briefing never straddles splits"


def test_no_overlap_with_the_old_validation_set(gold):
    old = pd.read_csv(VALIDATION)
    old = old[old["lang"] == "zh"]
    merged = gold.merge(old, on="source_url", suffixes=("", "_old"))
    overlap = (merged["offset"] < merged["offset_old"] + merged["length_old"]) & \
              (merged["offset_old"] < merged["offset"] + merged["length"])
    assert not overlap.any()


def test_every_row_is_a_spokesperson_sentence_mentioning_its_target(gold, records):
    assert set(gold["source_url"]) <= set(records), "every briefing is in the Chinese MFA corpus"
    briefings = toolkit.load_briefings(pd.DataFrame(list(records.values())))
    sentences = toolkit.split_sentences(toolkit.split_turns(briefings))
    spoken = sentences[sentences["role"] != "question"]
    by_url = spoken.groupby("url")["text"].apply(set).to_dict()
    aliases = load_targets().query("language == 'zh' and target != ''").groupby("target")["alias"].apply(list)
    for i, row in gold.iterrows():
        body = records[row["source_url"]]["text"]
        start, length = int(row["offset"]), int(row["length"])
        assert 0 <= start and start + length <= len(body), f"CSV line {i + 2} is out of range"
        sentence = body[start:start + length]
        assert sentence in by_url[row["source_url"]], f"CSV line {i + 2} is not a spokesperson sentence"
        names = aliases[row["target"]] + SHORT_FORMS.get(row["target"], [])
        assert any(name in sentence for name in names), f"CSV line {i + 2} does not mention {row['target']}"


def test_usable_rows_round_trip_through_the_toolkit_reader(gold, records, mfa_zh_path, tmp_path):
    usable = gold[gold["label"] != ""]
    path = tmp_path / "usable.csv"
    usable.to_csv(path, index=False)
    read = read_referenced_annotations(path, sources=[mfa_zh_path])
    expected = [records[u]["text"][o:o + n] for u, o, n in zip(usable["source_url"], usable["offset"], usable["length"])]
    assert read["text"].tolist() == expected
    assert read["label"].between(-2, 2).all() and len(read) == len(usable)
