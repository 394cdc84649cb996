"""Bilingual briefings: anchors, briefing pairing, the dyad DP on hand-made transcripts, translation shifts,
and the hand checks on the MFA corpora (tests/data/alignment_checks.csv)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit.bilingual.align import align_sequences
from toolkit.bilingual.evidence import anchors

CHECKS = Path(__file__).parent / "data" / "alignment_checks.csv"


def _dyads(doc_id, exchanges, lang):
    rows = [{"doc_id": doc_id, "dyad_id": i, "asker": asker, "question": q, "answer": a, "lang": lang}
            for i, (asker, q, a) in enumerate(exchanges)]
    return pd.DataFrame(rows)


EN = [("Reuters", "On June 4, the US imposed sanctions on 12 Huawei units. Your comment?",
       "China firmly opposes this."),
      ("AFP", "Will Wang Yi visit Japan?", "I have nothing to announce."),
      ("CCTV", "Hong Kong saw a rally of 1,200 people.", "Hong Kong affairs are China's internal affairs.")]
ZH = [("路透社", "6月4日，美国制裁华为12家单位。你有何评论？", "中方坚决反对。"),
      ("彭博社", "中方如何看待印度的新政策？", "我们注意到有关报道。"),  # asked in Chinese only
      ("法新社", "王毅外长会访问日本吗？", "我没有可以发布的消息。"),
      ("央视", "香港发生了1200人的游行。", "香港事务纯属中国内政。")]


def test_anchors_are_language_neutral():
    assert anchors(EN[0][1], "en") == anchors(ZH[0][1], "zh") == {
        "d:06-04": 1, "n:12": 1, "t:United States": 1, "g:sanction": 1, "g:Huawei": 1}
    assert set(anchors("Reuters: 1,200", "en")) == set(anchors("路透社：1200", "zh")) == {"g:Reuters", "n:1200"}
    assert "t:United States" not in anchors("Tell us more.", "en")        # the pronoun is not the US
    assert anchors("He said 5 things.", "en") == {}                        # one-digit numbers are spelt in English


def test_align_dyads_finds_the_exchange_missing_in_english():
    pairs = pd.DataFrame([{"en_doc_id": "e", "zh_doc_id": "z", "date": pd.Timestamp("2020-06-04"),
                           "status": "paired"}])
    out = toolkit.align_dyads(pairs, _dyads("e", EN, "en"), _dyads("z", ZH, "zh"))
    # by hand: en 0 ↔ zh 0, zh 1 alone (Bloomberg's question on India), en 1 ↔ zh 2, en 2 ↔ zh 3
    assert out[["status", "en_dyad_id", "zh_dyad_id"]].fillna(-1).astype(str).values.tolist() == [
        ["matched", "0", "0"], ["only_zh", "-1", "1"], ["matched", "1", "2"], ["matched", "2", "3"]]
    first = out.iloc[0]
    assert first["shared"] == "d:06-04; g:Huawei; g:Reuters; g:sanction; n:12; t:United States"
    assert 0.5 < first["confidence"] <= 1 and out.iloc[1]["confidence"] > 0.5


def test_dp_joins_two_exchanges_read_as_one():
    """A missed turn label on the Chinese side (two exchanges in one dyad): a 2-1 step, not a shift."""
    def dyad(i, keys, length):
        return {"id": i, "asker": "", "question": "", "answer": "", "anchors": set(keys), "length": length,
                "lengths": (length, 0)}
    left = [dyad(0, {"n:11"}, 10), dyad(1, {"t:Japan"}, 10), dyad(2, {"t:Iran"}, 10), dyad(3, {"n:99"}, 10)]
    right = [dyad(0, {"n:11"}, 15), dyad(1, {"t:Japan", "t:Iran"}, 30), dyad(2, {"n:99"}, 15)]
    steps = align_sequences(left, right)
    assert [(s[1], s[2], s[4]) for s in steps] == [("1-1", 0, 0), ("2-1", 1, 1), ("1-1", 3, 2)]


def test_dp_leaves_unrelated_dyads_apart():
    """No shared anchor: similarity 0.75 * 0 + 0.25 * 1 (a lone pair defines the length ratio) = 0.25, so the
    match pays 0.25 - threshold: with threshold 0.3 two free gaps win, with 0.2 the match does."""
    left = [{"id": 0, "asker": "", "question": "", "answer": "", "anchors": {"t:Japan"}, "length": 5}]
    right = [{"id": 0, "asker": "", "question": "", "answer": "", "anchors": {"t:Iran"}, "length": 500}]
    assert sorted(s[0] for s in align_sequences(left, right, threshold=0.3, gap_penalty=0.0)) == ["only_en", "only_zh"]
    assert [s[0] for s in align_sequences(left, right, threshold=0.2, gap_penalty=0.0)] == ["matched"]


def test_align_briefings_pairs_by_date_kind_and_content_and_lists_the_rest():
    en = pd.DataFrame({"doc_id": ["e1", "e2", "e3"], "date": pd.to_datetime(["2020-06-04", "2020-06-05", None]),
                       "kind": "regular_press_conference", "spokesperson": "Zhao Lijian",
                       "title": ["Regular Press Conference on June 4, 2020", "June 5", "Remarks"],
                       "text": [" ".join(q + " " + a for _, q, a in EN), "Reuters: nothing", "x"]})
    zh = pd.DataFrame({"doc_id": ["z1", "z2"], "date": pd.to_datetime(["2020-06-04", "2020-06-04"]),
                       "kind": ["regular_press_conference", "remarks"], "spokesperson": "Zhao Lijian",
                       "title": ["2020年6月4日外交部发言人赵立坚主持例行记者会", "外交部发言人就某事发表谈话"],
                       "text": ["".join(q + a for _, q, a in ZH), "中方欢迎。"]})
    out = toolkit.align_briefings(en, zh)
    got = {(r.en_doc_id if pd.notna(r.en_doc_id) else None, r.zh_doc_id if pd.notna(r.zh_doc_id) else None,
            r.status) for r in out.itertuples()}
    assert got == {("e1", "z1", "paired"), ("e2", None, "only_en"), ("e3", None, "only_en"),
                   (None, "z2", "only_zh")}
    best = out[out["status"] == "paired"].iloc[0]
    assert best["kind_score"] == 1 and best["title_score"] == 1
    assert out.set_index("en_doc_id").loc["e2", "reason"] == "no Chinese briefing dated 2020-06-05"
    assert out.set_index("en_doc_id").loc["e3", "reason"] == ("best Chinese candidate (undated: any date) scores "
                                                              "0.25 < min_score 0.3")


def test_translation_shifts_compare_the_two_answers():
    aligned = pd.DataFrame([{"en_doc_id": "e", "zh_doc_id": "z", "date": pd.Timestamp("2020-06-04"), "step": 0,
                             "status": "matched", "en_answer": "China opposes the US move.",
                             "zh_answer": "中方坚决反对美方的做法。日本也要注意。", "en_n_words": 5, "zh_n_chars": 14}])
    shifts = toolkit.translation_shifts(aligned).set_index("target")
    us = shifts.loc["United States"]
    # by hand with the packaged lexicon: "oppose*" -2 (score -2/4), 坚决+反对 = 1.5 x -2 = -3 (score -3/5)
    assert us["named_in"] == "both" and us["hostility_en"] == 2 and us["hostility_zh"] == 3
    assert us["n_intensified_en"] == 0 and us["n_intensified_zh"] == 1
    assert us["score_diff"] == pytest.approx(-2 / 4 - -3 / 5)
    assert shifts.loc["Japan", "named_in"] == "zh" and pd.isna(shifts.loc["Japan", "score_en"])
    assert us["length_ratio"] == pytest.approx(5 / 14)


def test_shifts_over_time_averages_the_differences():
    shifts = pd.DataFrame({"en_doc_id": ["a", "b", "c"], "date": pd.to_datetime(["2019-01-02", "2019-02-02",
                                                                                  "2019-03-02"]),
                           "target": "Japan", "named_in": ["both", "both", "zh"], "score_diff": [0.2, 0.4, None]})
    table = toolkit.shifts_over_time(shifts, by="year", n_boot=50, random_state=0)
    assert table["score_diff"].tolist() == pytest.approx([0.3]) and table["n"].tolist() == [2]
    ax = toolkit.plot_translation_shifts(table)
    assert ax.get_ylabel().startswith("English - Chinese")


def test_bad_options_name_the_fix():
    with pytest.raises(toolkit.ToolkitError, match="min_score"):
        toolkit.align_briefings(pd.DataFrame(columns=["doc_id", "date", "text"]),
                                pd.DataFrame(columns=["doc_id", "date", "text"]), min_score=2)
    with pytest.raises(toolkit.ToolkitError, match="gap_penalty"):
        toolkit.align_dyads(pd.DataFrame(columns=["en_doc_id", "zh_doc_id", "date", "status"]),
                            _dyads("e", EN, "en"), _dyads("z", ZH, "zh"), gap_penalty=-1)


def test_hand_checked_alignment_on_the_mfa_corpora(mfa_en_path, mfa_zh_path):
    """The 'done when' numbers: >= 95 % paired, >= 98 % briefing precision, dyad precision >= 90 %, recall >= 85 %."""
    spec = importlib.util.spec_from_file_location("validate_alignment",
                                                  Path(__file__).parents[1] / "bench" / "validate_alignment.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    en, zh = toolkit.load_briefings(mfa_en_path), toolkit.load_briefings(mfa_zh_path)
    pairs = toolkit.align_briefings(en, zh)
    aligned = toolkit.align_dyads(pairs, toolkit.pair_dyads(toolkit.split_turns(en)),
                                  toolkit.pair_dyads(toolkit.split_turns(zh[zh["doc_id"].isin(pairs["zh_doc_id"])])))
    checks = pd.read_csv(CHECKS, dtype=str, keep_default_na=False)
    metrics = bench.alignment_metrics(pairs, aligned, {"en": en, "zh": zh}, checks)
    # every checked pair and step is still produced (else its verdict would not apply)
    assert metrics["n_briefings_no_longer_paired"] == 0 and metrics["n_dyads_no_longer_aligned"] == 0
    assert metrics["paired_share"] >= 0.95 and metrics["n_regular_with_zh"] == 472
    assert metrics["briefing_precision"] >= 0.98 and metrics["dyad_precision"] >= 0.90
    assert metrics["dyad_recall"] >= 0.85


def test_report_has_a_translation_section_when_both_languages_are_loaded(tmp_path):
    """A corpus of one English briefing and its Chinese original: the report pairs them and shows the section."""
    from toolkit.report import make_report

    en_text = "\n".join(f"{asker}: {q}\nZhao Lijian: {a}" for asker, q, a in EN)
    zh_text = "\n".join(f"{asker}记者：{q}\n赵立坚：{a}" for asker, q, a in ZH)
    briefings = pd.DataFrame({"date": ["2020-06-04", "2020-06-04"], "spokesperson": "Zhao Lijian",
                              "title": [("Foreign Ministry Spokesperson Zhao Lijian's Regular Press Conference on "
                                         "June 4, 2020"), "2020年6月4日外交部发言人赵立坚主持例行记者会"],
                              "text": [en_text, zh_text]})
    report, page = make_report(briefings, out=tmp_path, random_state=0, n_boot=20, progress=False)
    pairs = report.translation["translation_pairs"].set_index("status")["n_briefings"]
    assert pairs.to_dict() == {"paired": 1}
    gaps = report.translation["translation_gaps"]
    assert gaps["status"].tolist() == ["only_zh"] and "印度" in gaps["zh_question"].iloc[0]
    html = page.read_text(encoding="utf-8")
    assert '<section id="translation">' in html and (tmp_path / "tables" / "translation_gaps.csv").is_file()


def test_report_leaves_the_section_out_for_one_language(tmp_path):
    from toolkit.report import build_report

    briefings = pd.DataFrame({"date": ["2020-06-04"], "title": ["Regular Press Conference on June 4, 2020"],
                              "text": ["\n".join(f"{asker}: {q}\nZhao Lijian: {a}" for asker, q, a in EN)]})
    assert build_report(briefings, random_state=0, n_boot=20, progress=False).translation == {}
