"""The English stance gold set (issue 10): offsets, targets, labels and the split rule hold on the real corpus."""
from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

import pandas as pd
import pytest
from bench_modules import bench_module

import toolkit
from toolkit.stance import read_referenced_annotations
from toolkit.stance.lexicon import target_mentions

DATA = Path(__file__).parent / "data"
GOLD = DATA / "stance_gold_en.csv"
VALIDATION = DATA / "stance_validation.csv"
COLUMNS = ["source_url", "offset", "length", "lang", "target", "label", "split", "note"]
TEST2_EARLIER_ROWS = 2010  # main draw + test supplement + train supplement, the rows before the test2 draw
TEST3_EARLIER_ROWS = 2460  # + test2 (450), the rows before the test3 draw
TEST3US_EARLIER_ROWS = 2528  # + test3 (68), the rows before the test3 US extension
TRAIN2_EARLIER_ROWS = 2860  # + test3us (332), the rows before the second train supplement
TRAIN2_ROWS = 1000  # --train-supplement-2 1000
TRAIN3_EARLIER_ROWS = 3860  # + the second train supplement (1,000), the rows before the third
TRAIN3_ROWS = 1000  # --train-supplement-3 1000
TRAIN4_EARLIER_ROWS = 4860  # + the third train supplement (1,000), the rows before the fourth
TRAIN4_ROWS = 1500  # --train-supplement-4 1500
HELD_OUT = {"test2", "test3", "test3us"}  # the fresh hold-outs drawn from test-split briefings after the test split


@pytest.fixture(scope="module")
def gold() -> pd.DataFrame:
    return pd.read_csv(GOLD, dtype={"label": str}, keep_default_na=False)


@pytest.fixture(scope="module")
def resolved(gold, mfa_en_path) -> pd.DataFrame:
    """The gold rows with ``text`` sliced from the JSONL record their ``source_url`` names."""
    wanted = set(gold["source_url"])
    with open(mfa_en_path, encoding="utf-8") as handle:
        raw = {r["source_url"]: r["text"] for r in map(json.loads, handle) if r["source_url"] in wanted}
    assert wanted <= set(raw), "every source_url is a briefing of the English MFA corpus"
    texts = [raw[u][o:o + n] for u, o, n in zip(gold["source_url"], gold["offset"], gold["length"])]
    return gold.assign(text=texts)


def expected_split(url: str, forced: set[str]) -> str:
    if url in forced:
        return "train"
    h = int(hashlib.sha256(url.encode()).hexdigest(), 16) % 10
    return {0: "train", 1: "train", 2: "train", 3: "train", 4: "train", 5: "train",
            6: "dev", 7: "dev", 8: "test", 9: "test"}[h]


def test_columns_labels_and_notes(gold):
    assert list(gold.columns) == COLUMNS and set(gold["lang"]) == {"en"}
    usable = gold[gold["label"] != ""]
    assert set(usable["label"].astype(int)) == {-2, -1, 0, 1, 2}
    assert len(usable) >= 1000 and usable["target"].nunique() >= 20
    unusable = gold[gold["label"] == ""]
    assert unusable["note"].str.startswith("unusable: ").all()
    assert not usable["note"].str.startswith("unusable").any()
    # a note on every usable row up to the third train supplement, whose labellers noted the hard cases only
    assert (usable.loc[:TRAIN3_EARLIER_ROWS - 1, "note"] != "").all()
    assert not gold.duplicated(["source_url", "offset", "target"]).any()


def test_split_follows_the_hash_rule(gold):
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    earlier = gold.iloc[:TEST2_EARLIER_ROWS]
    assert earlier["split"].tolist() == [expected_split(u, forced) for u in earlier["source_url"]]
    # the fresh hold-outs are drawn from briefings the rule puts in test, each labelled with its own split value
    later = gold.iloc[TEST2_EARLIER_ROWS:TRAIN2_EARLIER_ROWS]
    assert later["split"].tolist() == (["test2"] * (TEST3_EARLIER_ROWS - TEST2_EARLIER_ROWS)
                                       + ["test3"] * (TEST3US_EARLIER_ROWS - TEST3_EARLIER_ROWS)
                                       + ["test3us"] * (TRAIN2_EARLIER_ROWS - TEST3US_EARLIER_ROWS))
    assert {expected_split(u, forced) for u in later["source_url"]} == {"test"}
    # the second train supplement, appended after the hold-outs, follows the rule again (train or dev only)
    train2 = gold.iloc[TRAIN2_EARLIER_ROWS:]
    assert train2["split"].tolist() == [expected_split(u, forced) for u in train2["source_url"]]
    # a briefing never straddles train/dev/test, and each split has labelled rows
    as_test = gold["split"].replace({name: "test" for name in HELD_OUT})
    assert (gold.assign(split=as_test).groupby("source_url")["split"].nunique() == 1).all()
    assert set(gold["split"]) == {"train", "dev", "test"} | HELD_OUT


def test_hash_rule_by_hand():
    url = "https://example.org/briefing"
    h = int(hashlib.sha256(url.encode()).hexdigest(), 16) % 10
    assert h == int.from_bytes(hashlib.sha256(url.encode()).digest(), "big") % 10
    assert expected_split(url, set()) == ("train" if h <= 5 else "dev" if h <= 7 else "test")
    assert expected_split(url, {url}) == "train"


def test_every_row_resolves_to_a_spokesperson_sentence(resolved, mfa_en_path):
    sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(mfa_en_path)))
    spoken = sentences[sentences["role"] != "question"]
    known = set(zip(spoken["url"], spoken["text"].str.split().str.join(" ")))
    pairs = zip(resolved["source_url"], resolved["text"].str.split().str.join(" "))
    missing = [i for i, pair in enumerate(pairs) if pair not in known]
    assert not missing, f"CSV lines {[i + 2 for i in missing[:10]]} do not slice out a spokesperson sentence"
    assert (resolved["text"] == resolved["text"].str.strip()).all()


def test_usable_rows_mention_their_target(resolved):
    usable = resolved[resolved["label"] != ""]
    found = target_mentions(usable["text"], ["en"] * len(usable), None)
    names = [{name for _, targets in mentions for name in targets} for mentions in found]
    missing = [i for i, (target, got) in enumerate(zip(usable["target"], names)) if target not in got]
    assert not missing, f"rows {missing[:10]} do not mention their target"


def test_read_back_with_the_toolkit(gold, mfa_en_path, tmp_path):
    usable = tmp_path / "usable.csv"
    gold[gold["label"] != ""].to_csv(usable, index=False)
    labelled = read_referenced_annotations(usable, sources=[mfa_en_path])
    assert len(labelled) == (gold["label"] != "").sum() and labelled["date"].notna().all()


def test_no_overlap_with_the_old_validation_set(gold):
    old = pd.read_csv(VALIDATION)
    old = old[old["lang"] == "en"]
    spans = {}
    for url, start, n in zip(old["source_url"], old["offset"], old["length"]):
        spans.setdefault(url, []).append((start, start + n))
    overlapping = [i for i, (url, start, n) in enumerate(zip(gold["source_url"], gold["offset"], gold["length"]))
                   if any(a < start + n and start < b for a, b in spans.get(url, []))]
    assert not overlapping, f"CSV lines {[i + 2 for i in overlapping[:10]]} overlap the old validation set"


def draws(gold: pd.DataFrame) -> list[pd.DataFrame]:
    """The file's draws: runs of rows sorted by ``source_url, offset, target`` (each draw is written sorted)."""
    keys = list(zip(gold["source_url"], gold["offset"], gold["target"]))
    starts = [0] + [i for i in range(1, len(keys)) if keys[i] < keys[i - 1]] + [len(keys)]
    return [gold.iloc[a:b] for a, b in itertools.pairwise(starts)]


def spans_of(*parts: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for part in parts:
        for url, start, n in zip(part["source_url"], part["offset"], part["length"]):
            spans.setdefault(url, []).append((start, start + n))
    return spans


def overlapping(part: pd.DataFrame, spans: dict[str, list[tuple[int, int]]]) -> list[int]:
    return [i for i, (url, start, n) in enumerate(zip(part["source_url"], part["offset"], part["length"]))
            if any(a < start + n and start < b for a, b in spans.get(url, []))]


def test_draws_by_hand():
    table = pd.DataFrame({"source_url": ["a", "b", "b", "a", "c"], "offset": [5, 1, 9, 7, 0],
                          "target": ["X", "X", "Y", "X", "X"]})
    assert [len(part) for part in draws(table)] == [3, 2]


def test_test_supplement_is_a_second_draw_of_test_briefings(gold):
    main, supplement, *_ = draws(gold)
    assert set(supplement["split"]) == {"test"} and len(supplement) >= 200
    keys = ["source_url", "offset", "target"]
    assert not supplement.merge(main, on=keys).shape[0], "the supplement excludes every row of the main draw"
    assert set(main["split"]) == {"train", "dev", "test"}
    usable_test = gold[(gold["split"] == "test") & (gold["label"] != "")]
    assert len(usable_test) >= 300
    assert (usable_test["label"].astype(int).value_counts() >= 10).all()
    assert set(usable_test["label"].astype(int)) == {-2, -1, 0, 1, 2}


def test_train_supplement_is_a_third_draw_of_train_and_dev_briefings(gold):
    main, test_supplement, train_supplement, *_ = draws(gold)
    assert len(main) + len(test_supplement) == 1310 and len(train_supplement) >= 600
    assert set(train_supplement["split"]) == {"train", "dev"}, "the train supplement never touches test briefings"
    spans = {}
    for url, start, n in zip(main["source_url"], main["offset"], main["length"]):
        spans.setdefault(url, []).append((start, start + n))
    for url, start, n in zip(test_supplement["source_url"], test_supplement["offset"], test_supplement["length"]):
        spans.setdefault(url, []).append((start, start + n))
    overlapping = [i for i, (url, start, n) in enumerate(zip(train_supplement["source_url"],
                                                              train_supplement["offset"], train_supplement["length"]))
                   if any(a < start + n and start < b for a, b in spans.get(url, []))]
    assert not overlapping, f"train-supplement rows {overlapping[:10]} reuse a sentence of the earlier draws"
    usable = train_supplement[train_supplement["label"] != ""]
    assert set(usable["label"].astype(int)) == {-2, -1, 0, 1, 2}


def test_test2_is_a_fourth_draw_of_fresh_test_briefing_sentences(gold):
    *earlier, test2 = draws(gold)[:4]
    assert sum(map(len, earlier)) == TEST2_EARLIER_ROWS and len(test2) == 450
    assert set(test2["split"]) == {"test2"} and test2.index[0] == TEST2_EARLIER_ROWS
    clash = overlapping(test2, spans_of(*earlier))
    assert not clash, f"test2 rows {clash[:10]} reuse a sentence of the earlier draws"
    usable = test2[test2["label"] != ""]
    assert len(usable) >= 400 and set(usable["label"].astype(int)) == {-2, -1, 0, 1, 2}
    assert (usable["target"] == "United States").sum() <= round(450 / 9), "the United States capped at its 1/9 share"


def test_test3_is_a_fifth_draw_of_fresh_test_briefing_sentences(gold):
    *earlier, test3 = draws(gold)[:5]
    assert sum(map(len, earlier)) == TEST3_EARLIER_ROWS and test3.index[0] == TEST3_EARLIER_ROWS
    assert set(test3["split"]) == {"test3"} and len(test3) == TEST3US_EARLIER_ROWS - TEST3_EARLIER_ROWS
    clash = overlapping(test3, spans_of(*earlier))
    assert not clash, f"test3 rows {clash[:10]} reuse a sentence of the earlier draws (test2 included)"
    # asked for 400 rows: the United States capped at round(400 / 9) = 44, every other target taken whole
    assert (test3["target"] == "United States").sum() == round(400 / 9)
    usable = test3[test3["label"] != ""]
    assert len(usable) >= 0.95 * len(test3) and usable["label"].astype(int).between(-2, 2).all()


def test_test3us_extends_test3_with_fresh_united_states_rows_only(gold):
    *earlier, test3us = draws(gold)[:6]
    assert sum(map(len, earlier)) == TEST3US_EARLIER_ROWS and len(test3us) == 400 - len(earlier[-1])
    assert set(test3us["split"]) == {"test3us"} and set(test3us["target"]) == {"United States"}
    *before, test3 = earlier
    clash = overlapping(test3us, spans_of(*before))
    assert not clash, f"test3us rows {clash[:10]} reuse a sentence of the draws before test3"
    # it continues test3's own draw: a sentence may give a test3 row for one target and a test3us row for the US
    # (as within any draw), never the same (sentence, target) row twice
    shared = test3us.iloc[overlapping(test3us, spans_of(test3))]
    assert not shared.merge(test3, on=["source_url", "offset", "target"]).shape[0]
    assert set(test3.merge(shared, on=["source_url", "offset"])["target_x"]) <= set(test3["target"]) - {"United States"}
    usable = test3us[test3us["label"] != ""]
    assert len(usable) >= 0.95 * len(test3us) and set(usable["label"].astype(int)) <= {-2, -1, 0, 1, 2}


def test_second_train_supplement_is_a_seventh_draw_of_train_and_dev_briefings(gold):
    *earlier, train2 = draws(gold)[:7]
    assert len(earlier) == 6 and sum(map(len, earlier)) == TRAIN2_EARLIER_ROWS
    assert train2.index[0] == TRAIN2_EARLIER_ROWS and len(train2) == TRAIN2_ROWS
    assert set(train2["split"]) == {"train", "dev"}, "the second train supplement never touches test briefings"
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    assert "test" not in {expected_split(u, forced) for u in train2["source_url"]}
    clash = overlapping(train2, spans_of(*earlier))
    assert not clash, f"second-train-supplement rows {clash[:10]} reuse a sentence of an earlier row (any split)"
    # the first train supplement's strata: the United States capped at round(N / 9), rare targets taken whole
    assert (train2["target"] == "United States").sum() == round(TRAIN2_ROWS / 9)
    usable = train2[train2["label"] != ""]
    assert len(usable) >= 0.99 * len(train2) and set(usable["label"].astype(int)) == {-2, -1, 0, 1, 2}
    assert usable["target"].nunique() >= 20


def test_third_train_supplement_is_an_eighth_draw_of_train_and_dev_briefings(gold):
    *earlier, train3 = draws(gold)[:8]
    assert len(earlier) == 7 and sum(map(len, earlier)) == TRAIN3_EARLIER_ROWS == TRAIN4_EARLIER_ROWS - TRAIN3_ROWS
    assert len(train3) == TRAIN3_ROWS and set(train3["split"]) == {"train", "dev"}
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    assert (train3["split"] == [expected_split(u, forced) for u in train3["source_url"]]).all()
    clash = overlapping(train3, spans_of(*earlier))
    assert not clash, f"third-train-supplement rows {clash[:10]} reuse a sentence of an earlier row (any split)"
    assert (train3["target"] == "United States").sum() == round(TRAIN3_ROWS / 9)
    usable = train3[train3["label"] != ""]
    assert len(usable) >= 0.99 * len(train3) and set(usable["label"].astype(int)) == {-2, -1, 0, 1, 2}
    assert train3.loc[train3["label"] == "", "note"].str.startswith("unusable").all()


def test_fourth_train_supplement_is_a_ninth_draw_with_a_third_of_it_us(gold):
    *earlier, train4 = draws(gold)  # nine draws: the fourth train supplement is the last
    assert len(earlier) == 8 and sum(map(len, earlier)) == TRAIN4_EARLIER_ROWS == len(gold) - TRAIN4_ROWS
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    assert (train4["split"] == [expected_split(u, forced) for u in train4["source_url"]]).all()
    assert set(train4["split"]) == {"train", "dev"}, "never a test briefing"
    clash = overlapping(train4, spans_of(*earlier))
    assert not clash, f"fourth-train-supplement rows {clash[:10]} reuse a sentence of an earlier row (any split)"
    assert (train4["target"] == "United States").sum() == round(TRAIN4_ROWS / 3) == 500
    usable = train4[train4["label"] != ""]
    assert len(usable) >= 0.98 * len(train4) and set(usable["label"].astype(int)) == {-2, -1, 0, 1, 2}
    assert train4.loc[train4["label"] == "", "note"].str.startswith("unusable").all()


def test_sampler_constants_match_the_file():
    sampler = bench_module("sample_stance_gold")
    assert (sampler.TEST2_EARLIER_ROWS, sampler.TEST3_EARLIER_ROWS, sampler.TEST3US_EARLIER_ROWS,
            sampler.TRAIN_SUPPLEMENT_2_EARLIER_ROWS, sampler.TRAIN_SUPPLEMENT_3_EARLIER_ROWS,
            sampler.TRAIN_SUPPLEMENT_4_EARLIER_ROWS) == (
        TEST2_EARLIER_ROWS, TEST3_EARLIER_ROWS, TEST3US_EARLIER_ROWS, TRAIN2_EARLIER_ROWS, TRAIN3_EARLIER_ROWS,
        TRAIN4_EARLIER_ROWS)
    seeds = [sampler.SEED, sampler.SUPPLEMENT_SEED, sampler.TRAIN_SUPPLEMENT_SEED, sampler.TEST2_SEED,
             sampler.TEST3_SEED, sampler.TRAIN_SUPPLEMENT_2_SEED, sampler.TRAIN_SUPPLEMENT_3_SEED,
             sampler.TRAIN_SUPPLEMENT_4_SEED]
    assert len(set(seeds)) == len(seeds), "every draw has its own seed"


def test_redrawing_never_drops_later_rows(tmp_path):
    sampler = bench_module("sample_stance_gold")
    head = "source_url,offset,length,lang,target,label,split,note\n"
    rows = ["u1,0,5,en,Japan,1,train,a\n", "u2,0,5,en,Japan,0,dev,b\n", "u3,0,5,en,Japan,-1,test2,c\n"]
    out = tmp_path / "gold.csv"
    out.write_text(head + "".join(rows))

    def redraw(keys):
        def draw(corpora, earlier, total):
            assert len(earlier) == 1  # only the rows before the draw are passed on
            return pd.DataFrame({"source_url": keys, "offset": 0, "length": 5, "lang": "en", "target": "Japan",
                                 "label": "", "split": "dev", "note": ""})
        return draw

    # a re-draw that reproduces only row u2 would drop the later test2 row u3: refused, file untouched
    with pytest.raises(SystemExit, match="would drop 1 rows"):
        sampler.append_draw(redraw(["u2"]), tmp_path, out, 1, None, earlier_rows=1)
    assert out.read_text() == head + "".join(rows)
    # too few rows before the draw: refused
    with pytest.raises(SystemExit, match="fewer than"):
        sampler.append_draw(redraw(["u2"]), tmp_path, out, 1, None, earlier_rows=5)
    # a re-draw reproducing every later row keeps the earlier row byte for byte and the labels already written
    sampler.append_draw(redraw(["u2", "u3"]), tmp_path, out, 2, None, earlier_rows=1)
    assert out.read_text() == head + rows[0] + "u2,0,5,en,Japan,0,dev,b\n" + "u3,0,5,en,Japan,-1,dev,c\n"


def test_overlap_helpers_by_hand():
    earlier = pd.DataFrame({"source_url": ["a", "a"], "offset": [0, 20], "length": [10, 5]})
    later = pd.DataFrame({"source_url": ["a", "a", "b"], "offset": [10, 24, 0], "length": [10, 3, 4]})
    # [10, 20) touches neither [0, 10) nor [20, 25); [24, 27) overlaps [20, 25); briefing b is new
    assert overlapping(later, spans_of(earlier)) == [1]


def test_trainer_and_cv_never_read_the_held_out_splits(gold, corpora):
    trainer = bench_module("train_stance_model")
    assert trainer.FIT_SPLITS == ("train", "dev")
    rows = trainer.read_training(corpora=corpora, folder=GOLD.parent)
    assert set(rows["split"]) == {"train", "dev", "project", "cmfa"}, "no held-out row reaches the fit or the CV"
    fitted = gold[gold["split"].isin(["train", "dev"]) & (gold["label"] != "")]
    assert len(rows[(rows["lang"] == "en") & rows["split"].isin(["train", "dev"])]) == len(fitted)
    # the CMFA train rows: briefings (dates) on which no held-out outside row falls, grouped by date for the CV
    cmfa = rows[rows["split"] == "cmfa"]
    outside = bench_module("sample_stance_outside")
    held_out = {day for day in outside.outside_dates(corpora, pd.read_csv(outside.OUTSIDE)) if not outside.retired(day)}
    assert len(cmfa) >= 800 and not set(cmfa["date"].dt.strftime("%Y-%m-%d")) & held_out
    assert set(cmfa["date"].dt.strftime("%Y-%m-%d")) & {day for day in outside.outside_dates(
        corpora, pd.read_csv(outside.OUTSIDE)) if outside.retired(day)}, "the retired outside rows train"
    assert (cmfa["source_url"] == "cmfa:" + cmfa["date"].dt.strftime("%Y-%m-%d")).all()


def test_trainer_fingerprint_covers_only_the_train_and_dev_rows(tmp_path):
    trainer = bench_module("train_stance_model")
    head = "source_url,offset,length,lang,target,label,split,note\n"
    rows = ['u1,0,5,en,Japan,1,train,"a, b"\n', "u2,0,5,en,Japan,0,dev,c\n"]
    base, extended, changed = tmp_path / "base.csv", tmp_path / "extended.csv", tmp_path / "changed.csv"
    base.write_text(head + "".join(rows))
    extended.write_text(head + rows[0] + "u3,0,5,en,Japan,-1,test,d\n" + rows[1] + "u4,0,5,en,Japan,2,test2,e\n")
    changed.write_text(head + rows[0] + rows[1].replace(",0,dev", ",1,dev"))
    assert trainer.sha256(base) == trainer.sha256(extended) == hashlib.sha256((head + "".join(rows)).encode()).hexdigest()
    assert trainer.sha256(changed) != trainer.sha256(base)
    plain = tmp_path / "plain.csv"  # no split column: every byte counts
    plain.write_text("key,value\na,1\n")
    assert trainer.sha256(plain) == hashlib.sha256(b"key,value\na,1\n").hexdigest()


def test_validation_reports_held_out_splits_only_with_final(tmp_path):
    validate = bench_module("validate_stance")
    head = "source_url,offset,length,lang,target,label,split,note\n"
    for lang, splits in (("en", ["train", "test2", "dev"]), ("zh", ["test", "train"])):
        (tmp_path / f"stance_gold_{lang}.csv").write_text(
            head + "".join(f"u{i},0,5,{lang},Japan,0,{s},n\n" for i, s in enumerate(splits)))
    assert validate.splits_read(tmp_path, final=False) == ["train", "dev"]
    assert validate.splits_read(tmp_path, final=True) == ["train", "dev", "test", "test2"]
    # the packaged files: English test, test2, test3 and test3us; Chinese test and test2 to test5
    assert validate.splits_read(GOLD.parent, final=True) == ["train", "dev", "test", "test2", "test3", "test3us",
                                                             "test4", "test5"]


def test_agreement_figures_by_hand():
    first, second = pd.Series([-2, -1, 0, 1, 2]), pd.Series([-2, -1, 0, 1, 1])
    result = bench_module("stance_gold_agreement").agreement(first, second)
    # p_o = 0.8; p_e = 0.2 * (0.2 + 0.2 + 0.2 + 0.4 + 0) = 0.2; kappa = (0.8 - 0.2) / (1 - 0.2)
    assert result["n"] == 5 and result["exact"] == pytest.approx(0.8)
    assert result["kappa"] == pytest.approx(0.75)
    assert result["kappa_3class"] == pytest.approx(1.0)  # the signs agree everywhere
    # ranks 1..5 against 1, 2, 3, 4.5, 4.5: covariance 9.5, variances 10 and 9.5
    assert result["spearman"] == pytest.approx(9.5 / (10 * 9.5) ** 0.5)


def test_outside_relabel_is_the_seeded_sample_of_usable_outside_rows():
    script = bench_module("stance_gold_agreement")
    outside = script.read_gold(DATA / "stance_outside_en.csv")
    second = script.read_gold(DATA / "stance_outside_en_relabel.csv")
    keys = script.OUTSIDE_KEYS
    assert list(second.columns) == keys + ["label"] and not second.duplicated(keys).any()
    assert second["label"].isin(["-2", "-1", "0", "1", "2", ""]).all()
    drawn = script.outside_draw(outside)
    assert len(drawn) == script.OUTSIDE_SAMPLE == len(second)
    assert drawn[keys].reset_index(drop=True).equals(second[keys]), "the re-label rows are the seeded draw, in order"
    both = script.paired(outside, second, keys)
    assert len(both) >= 0.9 * len(second), "nearly every sampled row was usable to the second annotator too"
    assert set(both["label_first"]) <= {-2, -1, 0, 1, 2}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_relabel_sample_is_a_blind_subset_of_the_main_draw(lang):
    gold_path = DATA / f"stance_gold_{lang}.csv"
    second = pd.read_csv(DATA / f"stance_gold_{lang}_relabel.csv", dtype={"label": str}, keep_default_na=False)
    keys = ["source_url", "offset", "length", "target"]
    assert list(second.columns) == keys + ["label"] and not second.duplicated(keys).any()
    assert set(second["label"].astype(int)) == {-2, -1, 0, 1, 2}
    if not gold_path.exists():
        pytest.skip(f"{gold_path.name} is not on this branch yet (it comes from the {lang} gold set's branch)")
    script = bench_module("stance_gold_agreement")
    gold = script.read_gold(gold_path)
    drawn = script.draw(gold, lang)
    assert drawn[keys].reset_index(drop=True).equals(second[keys]), "the re-label rows are the seeded draw, in order"
    main = gold.iloc[:script.MAIN_DRAW[lang]]
    assert len(second) == round(0.15 * (main["label"] != "").sum())
    both = script.paired(gold, second)
    assert len(both) == len(second), "every re-labelled row is a usable row of the main draw"
