"""Tests for toolkit.stance: hand-computed scores on tiny tables, then the real MFA corpora."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import matplotlib
import matplotlib.dates
import numpy as np
import pandas as pd
import pytest
from bench_modules import bench_module

import toolkit
from toolkit import ToolkitError
from toolkit.stance import (
    load_stance_lexicon,
    load_targets,
    plot_stance_over_time,
    read_referenced_annotations,
    score_labelled,
    stance_over_time,
    validate,
)

# the hand-computed tests below are of the lexicon method; the ensemble (the default) has its own tests
score_stance = functools.partial(toolkit.score_stance, method="lexicon")

matplotlib.use("Agg")
VALIDATION = Path(__file__).parent / "data" / "stance_validation.csv"


def sentences(*texts, roles=None, doc="d1", turn_ids=None, dates=None):
    """A tiny split_sentences()-shaped table."""
    n = len(texts)
    return pd.DataFrame({
        "doc_id": [doc] * n if isinstance(doc, str) else doc,
        "date": pd.to_datetime(dates or ["2020-01-15"] * n),
        "spokesperson": ["Geng Shuang"] * n,
        "turn_id": turn_ids or [0] * n,
        "sent_id": list(range(n)),
        "role": roles or ["answer"] * n,
        "text": list(texts),
    })


def row(scores, target):
    found = scores[scores["target"] == target]
    assert len(found) == 1, scores
    return found.iloc[0]


# --- hand-computed scores: score = (P - N) / (P + N + 2) ------------------------------------------

def test_intensifier_and_so_called_hand_computed():
    out = score_stance(sentences("China firmly opposes the so-called act of the US."))
    us = row(out, "United States")
    # firmly (x1.5) * oppose* (-2) = -3 ; so-called -1.5 ; N = 4.5
    assert us["score"] == pytest.approx(-4.5 / (4.5 + 2))
    assert (us["n_hostile"], us["n_critical"], us["n_cooperative"]) == (2, 0, 0)
    assert us["cues"] == "firmly+opposes(-3); so-called(-1.5)"


def test_cues_attach_to_the_target_of_their_clause():
    text = "We value our friendship with Pakistan, and we firmly oppose the US move."
    out = score_stance(sentences(text))
    assert row(out, "Pakistan")["score"] == pytest.approx(1.5 / 3.5)
    assert row(out, "United States")["score"] == pytest.approx(-3 / 5)
    whole = score_stance(sentences(text), attach="sentence")
    for target in ("Pakistan", "United States"):
        assert row(whole, target)["score"] == pytest.approx((1.5 - 3) / (4.5 + 2))


def test_cue_in_clause_without_target_counts_for_all_targets():
    out = score_stance(sentences("Recently, in disregard of China's opposition, Japan and the UK acted."))
    assert row(out, "Japan")["score"] == pytest.approx(-2 / 4)
    assert row(out, "United Kingdom")["score"] == pytest.approx(-2 / 4)


def test_nearest_attaches_only_to_the_closest_mention():
    out = score_stance(sentences("Russia and the US smear each other"), attach="nearest")
    assert row(out, "United States")["score"] == pytest.approx(-2.5 / 4.5)
    assert row(out, "Russia")["score"] == 0


def test_negation_reverses_cooperative_and_hedges_hostile():
    out = score_stance(sentences("This is not friendly to Japan.", "There is no so-called threat from Viet Nam."))
    japan = row(out, "Japan")
    assert japan["score"] == pytest.approx(-1.125 / 3.125)  # 1.5 * -0.75
    assert (japan["n_critical"], japan["n_cooperative"]) == (1, 0)
    viet = row(out, "Viet Nam")
    # a negated hostile cue is neutral (x 0), and the negation carries over the adjacent cue
    assert viet["score"] == 0 and viet["cues"] == "no+so-called(+0); no+threat(+0)"
    assert viet[["n_hostile", "n_critical", "n_cooperative"]].sum() == 0


def test_modifiers_do_not_reach_across_a_clause_or_too_far():
    far = score_stance(sentences("We strongly believe, as always, that the US opposes it."))
    assert row(far, "United States")["cues"] == "opposes(-2)"
    gap = score_stance(sentences("China is never going to see any more reasons to welcome the US."))
    assert row(gap, "United States")["cues"] == "welcome(+1)"


def test_chinese_escalation_ladder_hand_computed():
    out = score_stance(sentences("中方对美方的挑衅行为表示强烈不满，坚决反对。"))
    us = row(out, "United States")
    # 挑衅 -2.5 ; 强烈 x 不满 -1.5 = -2.25 ; 坚决 x 反对 -2 = -3
    assert us["score"] == pytest.approx(-7.75 / 9.75)
    assert us["cues"] == "挑衅(-2.5); 强烈+不满(-2.25); 坚决+反对(-3)"
    warm = score_stance(sentences("中巴是铁杆朋友，两国友好合作不断深化。"))
    assert row(warm, "Pakistan")["score"] == pytest.approx(5.5 / 7.5)  # 铁杆 3 + 友好 1.5 + 合作 1; 不断 blocked


def test_ladder_is_ordered():
    steps = ["expressed concern over", "expressed regret over", "expressed dissatisfaction with",
             "opposed", "lodged a protest against"]
    out = score_stance(sentences(*[f"China {s} the move by Japan." for s in steps]))
    assert out["score"].is_monotonic_decreasing and out["score"].nunique() == 5


def test_gazetteer_aliases_and_blockers():
    out = score_stance(sentences(
        "China-US relations matter.", "Let us cooperate.", "Latin American countries welcome it.",
        "The Indian Ocean is vast.", "The American side and the DPP met."), untargeted="keep")
    by_sent = out.groupby("sent_id")["target"].apply(lambda s: sorted(s.dropna()))
    assert by_sent[0] == ["United States"]
    assert by_sent[1] == [] and by_sent[3] == []
    assert by_sent[2] == ["Latin America"]
    assert by_sent[4] == ["Taiwan", "United States"]


def test_bilateral_compounds_and_date_and_name_blockers():
    from toolkit.stance.lexicon import (
        load_stance_lexicon,
        load_targets,
        match_units,
        matchers,
    )

    compiled = matchers(load_targets(), load_stance_lexicon())

    def found(text, lang):
        units = match_units(text, lang)
        return [(units[s:e] if lang == "zh" else " ".join(units[s:e]), names)
                for s, e, names in compiled[lang].spans(units, text)]

    both = ("DPRK", "United States")
    assert found("朝美对话", "zh") == [("朝美", both)] and found("美朝关系", "zh") == [("美朝", both)]
    assert found("朝韩首脑", "zh") == [("朝韩", ("DPRK", "ROK"))] and found("韩朝会谈", "zh")[0][1] == ("DPRK", "ROK")
    assert found("日美同盟", "zh") == [("日美", ("Japan",))]
    assert found("2日美宣布", "zh") == [] and found("近日美台勾连", "zh") == [] and found("据《今日美国报》", "zh") == []
    assert found("今日美国宣布", "zh") == [("今日美国", ("United States",))]  # the day word, then the US
    assert found("拉美国家", "zh") == [("拉美国家", ("Latin America",))]
    assert found("拉美国为其背书", "zh") == [("拉美国", ("United States",))]
    assert found("中欧合作", "zh") == [("中欧", ("European Union",))]
    assert found("中印尼合作", "zh") == [("中印尼", ("Indonesia",))]  # not 中印 (India)
    assert found("白俄罗斯总统", "zh") == [] and found("巴拿马方面", "zh") == [] and found("治疗方法方面", "zh") == []
    assert found("the Paris Agreement and British Columbia", "en") == []
    assert found("published in French by the French side", "en") == [("French", ("France",))]


def test_questions_excluded_by_default_and_included_on_request():
    table = sentences("Will the US stop its provocation?", "We oppose the US move.", roles=["question", "answer"])
    assert score_stance(table)["sent_id"].tolist() == [1]
    assert score_stance(table, include_questions=True)["sent_id"].tolist() == [0, 1]
    with pytest.raises(ToolkitError, match="role"):
        score_stance(table.drop(columns="role"))
    assert len(score_stance(table.drop(columns="role"), include_questions=True)) == 2


def test_untargeted_rows_dropped_or_kept():
    table = sentences("We firmly oppose this.", "Japan is our friend.")
    assert score_stance(table)["target"].tolist() == ["Japan"]
    kept = score_stance(table, untargeted="keep")
    assert kept["target"].isna().sum() == 1
    assert kept.loc[kept["target"].isna(), "score"].iloc[0] == pytest.approx(-3 / 5)


def test_turn_and_doc_units_sum_weights_before_scoring():
    table = sentences("We firmly oppose the US move.", "The US should stop.", "Japan is a friend.",
                      turn_ids=[0, 0, 1])
    turns = score_stance(table, unit="turn")
    us = row(turns, "United States")
    # firmly+oppose -3 ; stop -1 ; "{X} should" (admonished) -1
    assert us["score"] == pytest.approx(-5 / 7) and us["n_hostile"] == 1 and us["n_critical"] == 2
    assert us["text"] == "We firmly oppose the US move. The US should stop."
    assert pd.isna(us["sent_id"]) and us["turn_id"] == 0
    docs = score_stance(table, unit="doc")
    assert sorted(docs["target"]) == ["Japan", "United States"] and docs["turn_id"].isna().all()
    with pytest.raises(ToolkitError, match="finer"):
        score_stance(table.drop(columns="sent_id"), unit="sentence")


def test_output_columns_and_input_untouched():
    table = sentences("We oppose the US move.")
    before = table.copy()
    out = score_stance(table)
    assert list(out.columns[:9]) == ["doc_id", "turn_id", "sent_id", "target", "score", "n_hostile",
                                     "n_critical", "n_cooperative", "cues"]
    assert {"date", "spokesperson", "role", "text"} <= set(out.columns)
    pd.testing.assert_frame_equal(table, before)


def test_user_lexicon_and_targets():
    lexicon = pd.DataFrame({"cue": ["splendid", "very"], "weight": [2, 1.5],
                            "category": ["cooperative", "intensifier"], "language": ["en", "en"]})
    targets = pd.DataFrame({"target": ["Atlantis"], "alias": ["Atlantis"], "language": ["en"]})
    out = score_stance(sentences("Atlantis is very splendid and friendly."), lexicon=lexicon, targets=targets)
    assert row(out, "Atlantis")["score"] == pytest.approx(3 / 5)


def test_bad_options_and_files_raise_clear_errors(tmp_path):
    table = sentences("We oppose the US.")
    with pytest.raises(ToolkitError, match="attach"):
        score_stance(table, attach="paragraph")
    with pytest.raises(ToolkitError, match="does not exist"):
        score_stance(table, lexicon=tmp_path / "missing.csv")
    bad = pd.DataFrame({"cue": ["x"], "weight": ["heavy"], "category": ["hostile"], "language": ["en"]})
    with pytest.raises(ToolkitError, match="rows \\[0\\]"):
        load_stance_lexicon(bad)
    with pytest.raises(ToolkitError, match="lacks column"):
        load_targets(pd.DataFrame({"name": ["x"]}))


def test_packaged_data_files_are_consistent():
    lexicon, targets = load_stance_lexicon(), load_targets()
    assert not lexicon.duplicated(["cue", "language"]).any()
    cues = lexicon[lexicon["category"].isin(["hostile", "critical"])]
    assert (cues["weight"] < 0).all()
    assert (lexicon.loc[lexicon["category"] == "cooperative", "weight"] > 0).all()
    for required in ["坚决反对", "强烈不满", "严正交涉", "干涉中国内政", "铁杆", "ironclad", "so-called"]:
        assert required in set(lexicon["cue"]) or _composes(required, lexicon), required
    expected = {"United States", "Taiwan", "Japan", "Philippines", "DPRK", "ROK", "Russia", "India", "Australia",
                "Viet Nam", "United Kingdom", "European Union", "NATO"}
    assert expected <= set(targets["target"])


def _composes(phrase: str, lexicon: pd.DataFrame) -> bool:
    """An intensifier followed by a cue (坚决 + 反对) covers a listed compound."""
    intens = lexicon.loc[lexicon["category"] == "intensifier", "cue"]
    cues = set(lexicon.loc[lexicon["category"].isin(["hostile", "critical"]), "cue"])
    return any(phrase.startswith(i) and phrase[len(i):] in cues for i in intens)


# --- over time, by spokesperson, plot -------------------------------------------------------------

def scored_table():
    return pd.DataFrame({
        "doc_id": ["a", "a", "b", "c", "c", "d"],
        "date": pd.to_datetime(["2020-01-10", "2020-01-10", "2020-02-01", "2020-04-03", "2020-04-03", "2020-05-01"]),
        "spokesperson": ["Geng Shuang", "Geng Shuang", "Hua Chunying", "Geng Shuang", "Geng Shuang", "Hua Chunying"],
        "target": ["Japan", "Japan", "Japan", "Japan", "United States", "United States"],
        "score": [0.2, 0.4, -0.3, 0.5, -0.6, -0.2],
    })


def test_stance_over_time_means_and_intervals():
    out = stance_over_time(scored_table(), by="quarter", random_state=1, n_boot=200)
    japan_q1 = out[(out["target"] == "Japan") & (out["period"] == pd.Period("2020Q1"))].iloc[0]
    assert japan_q1["score"] == pytest.approx((0.2 + 0.4 - 0.3) / 3)
    assert (japan_q1["n"], japan_q1["n_clusters"]) == (3, 2)
    assert japan_q1["ci_low"] <= japan_q1["score"] <= japan_q1["ci_high"]
    # two clusters: doc a (mean of 0.2, 0.4 weighted by rows) and doc b; resampled means lie between them
    assert japan_q1["ci_low"] >= -0.3 - 1e-9 and japan_q1["ci_high"] <= 0.3 + 1e-9
    again = stance_over_time(scored_table(), by="quarter", random_state=1, n_boot=200)
    pd.testing.assert_frame_equal(out, again)
    only_us = stance_over_time(scored_table(), target="United States", random_state=1)
    assert set(only_us["target"]) == {"United States"}
    with pytest.raises(ToolkitError, match="Mars"):
        stance_over_time(scored_table(), target="Mars")


def test_spokesperson_comparison():
    by_person = toolkit.stance_by_spokesperson(scored_table(), target="Japan", random_state=0, n_boot=100)
    geng = by_person[by_person["spokesperson"] == "Geng Shuang"].iloc[0]
    assert geng["score"] == pytest.approx((0.2 + 0.4 + 0.5) / 3)
    over_time = stance_over_time(scored_table(), by="year", group=["target", "spokesperson"], random_state=0)
    assert {"period", "target", "spokesperson", "score", "ci_low", "ci_high"} <= set(over_time.columns)


def test_plot_draws_one_line_and_band_per_target():
    data = stance_over_time(scored_table(), by="quarter", random_state=0, n_boot=100)
    assert data["partial"].all()                  # 10 January .. 1 May: both quarters only partly covered
    ax = plot_stance_over_time(data)
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert len(labelled) == 2 and len(ax.get_lines()) == 2 + 2 * 2 + 1   # + dashed partial line, dotted bars; 0
    japan = data[data["target"] == "Japan"].sort_values("period")
    line = next(line for line in ax.get_lines() if line.get_label() == "Japan")
    assert np.isnan(line.get_ydata()).all()                      # no full period: the solid line is empty
    partial = next(line for line in ax.get_lines() if line.get_label() == "_partial")
    np.testing.assert_allclose(partial.get_ydata(), japan["score"])
    assert partial.get_markerfacecolor() == "none"
    assert len(ax.collections) == 2


def test_period_columns_and_limits_from_the_full_quarter():
    # 31 March (one day of Q1), a fully covered Q2 (the corpus reaches 1 July), 1 July (one day of Q3)
    scores = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d", "e", "f", "g"],
        "date": pd.to_datetime(["2020-03-31", "2020-04-10", "2020-04-20", "2020-05-10", "2020-06-10", "2020-06-20",
                                "2020-07-01"]),
        "target": "Japan", "score": [-0.9, 0.1, 0.2, 0.3, 0.2, 0.1, 0.9]})
    table = stance_over_time(scores, by="quarter", random_state=0, n_boot=200)
    assert table["days_covered"].tolist() == [1, 91, 1] and table["partial"].tolist() == [True, False, True]
    assert table["period_start"].astype(str).tolist() == ["2020-01-01", "2020-04-01", "2020-07-01"]
    assert table["period_end"].astype(str).tolist() == ["2020-03-31", "2020-06-30", "2020-09-30"]
    assert table["low_count"].tolist() == [True, False, True]        # n < 5 scored units
    ax = plot_stance_over_time(table)
    full = table.loc[~table["partial"], ["score", "ci_low", "ci_high"]].to_numpy()
    low, high = full.min(), full.max()
    assert ax.get_ylim() == pytest.approx((low - 0.05 * (high - low), high + 0.05 * (high - low)))
    assert ax.get_ylim()[0] > -0.9 and ax.get_ylim()[1] < 0.9        # the partial quarters' means are outside
    by_person = toolkit.stance_by_spokesperson(scored_table(), random_state=0, n_boot=20)
    assert "partial" not in by_person and by_person["low_count"].all()


# --- real corpora ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def mfa_scores(mfa_en_path):
    sentences_en = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(mfa_en_path)))
    return sentences_en, score_stance(sentences_en)


def test_real_corpus_every_score_is_explained_by_its_cues(mfa_scores):
    _, scores = mfa_scores
    sample = scores.sample(2000, random_state=0)
    weights = sample["cues"].map(lambda c: [float(w) for w in re.findall(r"\(([-+][\d.e+-]+)\)", c)])
    positive = weights.map(lambda ws: sum(w for w in ws if w > 0))
    negative = weights.map(lambda ws: -sum(w for w in ws if w < 0))
    recomputed = (positive - negative) / (positive + negative + 2)
    np.testing.assert_allclose(sample["score"], recomputed, atol=2e-3)  # cues show 3 significant digits
    counts = sample[["n_hostile", "n_critical", "n_cooperative"]].sum(axis=1)
    assert (counts == weights.map(lambda ws: sum(w != 0 for w in ws))).all()   # negated hostile cues show (+0)
    assert scores["score"].between(-1, 1, inclusive="neither").all()


def test_real_corpus_excludes_questions_and_orders_well_known_relations(mfa_scores):
    sentences_en, scores = mfa_scores
    assert set(scores["role"]) <= {"statement", "answer", "report"}
    assert scores["doc_id"].nunique() > 400
    means = scores.groupby("target")["score"].mean()
    # China-Pakistan "ironclad" friendship vs. the Taiwan question and US rebuttals (2018-2020)
    assert means["Pakistan"] > 0.1
    assert means["Taiwan"] < 0
    assert means["Russia"] > means["United States"]
    with_q = score_stance(sentences_en[sentences_en["role"] == "question"], include_questions=True)
    assert len(with_q) > 1000


def test_real_chinese_corpus_scores(mfa_zh_path):
    turns = toolkit.split_turns(toolkit.load_briefings(mfa_zh_path))
    scores = score_stance(turns, unit="turn")
    means = scores.groupby("target")["score"].mean()
    assert means["Pakistan"] > 0 > means["United States"]
    assert scores["cues"].str.contains("坚决\\+反对").any()


def test_score_labelled_scores_each_row_for_its_own_target():
    labelled = pd.DataFrame({"text": ["The US blatantly shifts the blame.", "The US blatantly shifts the blame.",
                                      "Japan and China held talks."],
                             "target": ["United States", "Japan", "Japan"], "label": [-2, 0, 0]},
                            index=[7, 8, 9])
    out = score_labelled(labelled, method="lexicon")
    # blatantly (-2) and shifts the blame (-2.5) for the US: (0 - 4.5) / (0 + 4.5 + 2); Japan is not in row 1: 0;
    # row 2 names Japan without a cue: 0
    assert out["score"].tolist() == pytest.approx([-4.5 / 6.5, 0.0, 0.0])
    assert out.index.tolist() == [0, 1, 2] and out["label"].tolist() == [-2, 0, 0]
    assert validate(labelled, methods=("lexicon",))["n"].iloc[0] == 3
    with pytest.raises(ToolkitError, match="unknown method 'bert'"):
        score_labelled(labelled, method="bert")
    with pytest.raises(ToolkitError, match="method 'lss' needs lss="):
        score_labelled(labelled, method="lss")
    with pytest.raises(ToolkitError, match="target"):
        score_labelled(labelled.drop(columns="target"))
    assert score_labelled(labelled.iloc[:0], method="lexicon").empty


def test_paired_gains_by_hand():
    gains = bench_module("validate_stance").gains
    labels, briefing = np.array([1, 2, 3, 4]), np.array(["A", "A", "B", "B"])
    scores = {"ensemble": np.array([1.0, 2, 3, 4]), "model": np.array([1.0, 2, 4, 3])}
    table = gains(labels, briefing, scores, resamples=1000, seed=0).set_index("method")
    # Spearman of the model: 1 - 6 * (1 + 1) / (4 * 15) = 0.8, so the ensemble gains 0.2
    assert table.loc["model", "rho"] == pytest.approx(0.8) and table.loc["model", "gain"] == pytest.approx(0.2)
    assert table.loc["ensemble", ["rho", "gain", "share_positive"]].tolist() == pytest.approx([1, 0, 0])
    # resampling the two briefings: AA ties (gain 0), AB / BA keep the swap (0.2), BB reverses the model (gain 2);
    # the ensemble is ahead unless both draws are A: 3 / 4 of the resamples (binomial sd over 1,000: 0.014)
    assert table.loc["model", "gain_low"] == pytest.approx(0) and table.loc["model", "gain_high"] == pytest.approx(2)
    assert abs(table.loc["model", "share_positive"] - 0.75) < 4 * (0.75 * 0.25 / 1000) ** 0.5
    assert table["briefings"].tolist() == [2, 2]


def test_validation_set_lexicon_beats_vader(corpora):
    folder = corpora / "mfa_fmprc_2016_2020"
    labelled = read_referenced_annotations(VALIDATION, sources=sorted(folder.glob("*.jsonl")))
    assert len(labelled) >= 150 and set(labelled["lang"]) == {"en", "zh"}
    assert labelled["target"].nunique() >= 10 and set(labelled["label"]) == {-2, -1, 0, 1, 2}
    table = validate(labelled, methods=("lexicon", "vader")).set_index("method")
    assert table.loc["lexicon", "spearman"] >= 0.7
    assert table.loc["lexicon", "spearman"] > table.loc["vader", "spearman"] + 0.2
    assert table.loc["lexicon", "macro_f1"] > table.loc["vader", "macro_f1"]


def test_results_carry_provenance_naming_the_lexicon():
    table = sentences("We oppose the US move.")
    default = score_stance(table).attrs["provenance"]
    assert default["parameters"]["attach"] == "clause" and default["n_docs"] == 1
    custom = pd.DataFrame({"cue": ["oppose"], "weight": [-1], "category": ["hostile"], "language": ["en"]})
    other = score_stance(table, lexicon=custom).attrs["provenance"]
    assert other["parameters"]["lexicon_sha"] != default["parameters"]["lexicon_sha"]
    assert other["corpus_hash"] == default["corpus_hash"]


def test_reporter_context_is_not_the_spokesperson():
    table = sentences("Kim said the DPRK answers aggressiveness with aggressiveness.", "Wu said the DPRK is a friend.",
                      roles=["context", "report"])
    assert score_stance(table)["sent_id"].tolist() == [1]
    assert score_stance(table, include_questions=True)["sent_id"].tolist() == [0, 1]


def test_real_mnd_news_report_seed(seed_path):
    sentences_mnd = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(seed_path)))
    scores = score_stance(sentences_mnd)
    assert set(scores["role"]) <= {"statement", "answer", "report"}
    dprk = scores[scores["target"] == "DPRK"]
    # Wu Qian on China-DPRK military ties (2021-01-28): friendly exchanges, new chapter, positive contributions
    assert len(dprk) >= 5 and (dprk["score"] >= 0).all() and dprk["score"].mean() > 0.3
    turns = score_stance(toolkit.split_turns(toolkit.load_briefings(seed_path)), unit="doc")
    assert turns.set_index("target").loc["DPRK", "score"] > 0.5


# --- package hygiene: lazy imports, plain attrs, fresh tables ---------------------------------------

def test_importing_the_stance_package_loads_no_heavy_library():
    import os
    import subprocess
    import sys

    heavy = ["sklearn", "seaborn", "matplotlib", "jieba", "nltk", "scipy.stats", "vaderSentiment"]
    code = f"import sys, toolkit.stance; print([m for m in {heavy!r} if m in sys.modules])"
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(repo)})
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


@pytest.mark.parametrize("custom", [False, True])
def test_score_and_over_time_attrs_are_plain_json_and_parquet_safe(tmp_path, custom):
    import json

    lexicon = load_stance_lexicon() if custom else None
    targets = load_targets() if custom else None
    table = sentences("We firmly oppose the US move.", "Japan is a friend.", dates=["2020-01-15", "2020-05-02"])
    scores = score_stance(table, lexicon=lexicon, targets=targets)
    over_time = stance_over_time(scores, by="quarter", n_boot=50, random_state=0)
    for out in (scores, over_time):
        json.dumps(out.attrs)
        out.to_parquet(tmp_path / "x.parquet")
    assert set(scores.attrs) == {"provenance"}


def test_loaded_tables_are_fresh_copies():
    lexicon, targets = load_stance_lexicon(), load_targets()
    lexicon.loc[0, "weight"], targets.loc[0, "alias"] = 99.0, "Atlantis"
    assert load_stance_lexicon().loc[0, "weight"] != 99.0 and load_targets().loc[0, "alias"] != "Atlantis"
    user = pd.DataFrame({"cue": ["splendid"], "weight": [2], "category": ["cooperative"], "language": ["en"]})
    loaded = load_stance_lexicon(user)
    loaded.loc[0, "cue"] = "awful"
    assert user.loc[0, "cue"] == "splendid"


def test_english_units_split_compounds_but_follow_the_text_token_rule():
    from toolkit.stance.lexicon import match_units

    assert match_units("China-US ties, don’t they?", "en") == ("China", "-", "US", "ties", ",", "don", "'", "t",
                                                                "they", "?")
    assert match_units("中美关系", "zh") == "中美关系"


def test_period_with_one_briefing_has_no_interval_and_no_band():
    # Q1, Q2, Q4: two briefings each; Q3: one briefing (two sentences), whose resampling would give a zero width
    dates = ["2020-01-01", "2020-02-01", "2020-04-01", "2020-05-01", "2020-08-01", "2020-08-01", "2020-10-01",
             "2020-12-31"]
    scores = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "e", "e", "f", "g"], "date": pd.to_datetime(dates),
                           "target": "Japan", "score": [0.1, 0.3, -0.2, 0.2, 0.4, 0.6, 0.0, 0.2]})
    table = stance_over_time(scores, by="quarter", random_state=0, n_boot=200)
    assert table["n_clusters"].tolist() == [2, 2, 1, 2] and not table["partial"].any()
    q3 = table.iloc[2]
    assert q3["score"] == pytest.approx(0.5) and np.isnan(q3["ci_low"]) and np.isnan(q3["ci_high"])
    assert table.drop(index=2)[["ci_low", "ci_high"]].notna().all().all()
    ax = plot_stance_over_time(table)
    line = next(line for line in ax.get_lines() if line.get_label() == "Japan")
    np.testing.assert_allclose(line.get_ydata(), table["score"])           # the point is drawn ...
    x_q3 = matplotlib.dates.date2num(line.get_xdata()[2])
    band_x = np.concatenate([path.vertices[:, 0] for path in ax.collections[0].get_paths()])
    assert len(band_x) and not np.isclose(band_x, x_q3).any()              # ... without a band


# --- rules by class: roles, admonitions, negation scope, reported speech, questions, short forms ----------

def scores_of(*texts):
    return {(r.sent_id, r.target): (r.score, r.cues) for r in score_stance(sentences(*texts)).itertuples()}


def test_roles_keep_hostile_cues_off_coagents_victims_venues_and_authorities():
    out = scores_of("China and Russia both oppose unilateral sanctions by the US.", "中俄双方坚决反对单边制裁。",
                    "We condemn the terrorist attack in Pakistan and offer condolences to the victims.",
                    "The talks held in Singapore failed.", "As Russia rightly said, this is hegemony.")
    # co-agent: oppose/unilateral/sanctions go to the US only; Russia gets the role's +0.5: 0.5 / 2.5
    assert out[0, "Russia"] == (pytest.approx(0.2), "coagent:China and {X} both(+0.5)")
    assert out[0, "United States"][0] == pytest.approx(-5 / 7)
    assert out[1, "Russia"] == (pytest.approx(0.2), "coagent:{X}双方(+0.5)")
    # victim: condemn (-3) blocked; condolences 1.5 + victims 0.5 = 2 -> 2 / 4
    assert out[2, "Pakistan"] == (pytest.approx(0.5), "condolences(+1.5); victims(+0.5)")
    assert out[3, "Singapore"] == (0, "")                       # venue: success/failure words do not count
    # authority: the longest pattern only ("as {X} rightly" +1), the cue rightly +1, hegemony blocked
    assert out[4, "Russia"] == (pytest.approx(2 / 4), "rightly(+1); authority:as {X} rightly(+1)")


def test_admonition_turns_cooperative_words_critical_but_first_person_offers_stay():
    out = scores_of("We hope the US will create a fair environment for cooperation.",
                    "We stand ready to work with the US to deepen cooperation.",
                    "希望美方同中方相向而行，推动合作。", "日方应邀出席会议。")
    assert out[0, "United States"] == (pytest.approx(-1 / 3), "admonished:hope the {X}(-1)")
    assert out[1, "United States"][0] == pytest.approx(1.5 / 3.5)       # cooperation +1, co-agent +0.5
    assert out[2, "United States"] == (pytest.approx(-1 / 3), "admonished:希望{X}(-1)")
    assert out[3, "Japan"] == (0, "")                                    # 应邀: "at the invitation", no demand


def test_negation_scope_implicit_negators_and_contrast():
    out = scores_of("This is not conducive to mutual trust and cooperation with Japan.",
                    "We must prevent further provocation by the DPRK.",
                    "The US seeks confrontation rather than cooperation.", "这不利于中日互信和合作。")
    # every coordinated cue is negated: (0.5 + 1.5 + 1) * -0.75 = -2.25 -> -2.25 / 4.25
    assert out[0, "Japan"] == (pytest.approx(-2.25 / 4.25),
                               "not+conducive(-0.375); not+mutual trust(-1.12); not+cooperation(-0.75)")
    assert out[1, "DPRK"] == (0, "prevent+provocation(+0)")            # a prevented provocation is no stance
    assert out[2, "United States"][0] == pytest.approx(-2.25 / 4.25)   # confrontation -1.5, rather than+coop -0.75
    # 不利于 negates 互信 (1.5 * -0.75) and, across 和, 合作 (1 * -0.75): -1.875
    assert out[3, "Japan"] == (pytest.approx(-1.875 / 3.875), "不利于+互信(-1.12); 不利于+合作(-0.75)")


def test_reported_speech_and_rhetorical_questions():
    out = scores_of("Some media alleged that the Philippines smeared China.", "Can the US explain why it lied?",
                    "据报道，日本挑衅。")
    assert out[0, "Philippines"] == (0, "")                           # others' words after "alleged"
    assert out[1, "United States"] == (pytest.approx(-1 / 3), "?(-1)")
    assert out[2, "Japan"][0] == pytest.approx(-2.5 / 4.5)             # the comma ends the reported clause


def test_short_forms_and_the_pakistan_palestine_guard():
    texts = ("巴方坚决支持中方。", "在巴勒斯坦问题上，巴方坚决反对以色列的做法。", "马方表示欢迎。", "最新方法很好。")
    out = {(r.sent_id, r.target): (r.score, r.cues)       # four answers (a guard reads the whole turn)
           for r in score_stance(sentences(*texts, turn_ids=[1, 3, 5, 7])).itertuples()}
    assert out[0, "Pakistan"][0] == pytest.approx(0.75 / 2.75)          # 坚决+支持: 1.5 * 0.5
    assert (1, "Pakistan") not in out and (1, "Israel") in out           # 巴方 is Palestine here
    assert (2, "Malaysia") in out and not any(key[0] == 3 for key in out)  # 最新方法 is no Singapore
    targets = load_targets()
    short = targets[targets["alias"].str.fullmatch(r".+方") & (targets["language"] == "zh")]
    for name in ["United States", "Japan", "Russia", "Pakistan", "Iran", "Ukraine", "Malaysia", "Israel", "Singapore",
                 "Mongolia", "Indonesia", "ASEAN", "India", "Viet Nam", "ROK", "DPRK", "Philippines"]:
        assert name in set(short["target"]), name


def test_short_forms_inside_other_words_are_no_mention():
    """X方 inside a longer word (labellers' unusable rows, 2026-11-30): 执法方面 is no France, 马达加斯加方面 no
    Canada, 钓鱼台 no Taiwan; 中巴/巴方 are Brazil's or Panama's where those are named and Pakistan is not."""
    texts = ("我们在司法方面和执法方面开展合作。", "马达加斯加方面和牙买加方表示感谢。", "这更加方便了两国人民。",
             "会谈在钓鱼台国宾馆举行。", "精英方面的交流。", "加方应当立即释放有关人员。", "据说法方已经作出决定。",
             "他曾任昔日美国最大企业的顾问。")
    found = score_stance(sentences(*texts, turn_ids=list(range(0, 16, 2))), method="lexicon")
    assert found[["sent_id", "target"]].values.tolist() == [[5, "Canada"], [6, "France"], [7, "United States"]]
    turns = ["中方欢迎巴西总统访华。中巴关系发展良好，巴方愿深化合作。",      # Brazil named, Pakistan not: no hit
             "中方欢迎巴西和巴基斯坦的支持。中巴是全天候伙伴，巴方愿深化合作。",  # Pakistan named too: Pakistan
             "中巴经济走廊进展顺利。"]                                      # no Brazil: Pakistan
    table = toolkit.split_sentences(pd.DataFrame({"doc_id": ["d"] * 3, "turn_id": [1, 3, 5], "role": "answer",
                                                   "lang": "zh", "text": turns}))
    found = score_stance(table, method="lexicon")
    assert sorted(zip(found["turn_id"], found["sent_id"], found["target"])) == [   # 巴基斯坦 itself in (3, 0)
        (3, 0, "Pakistan"), (3, 1, "Pakistan"), (5, 0, "Pakistan")]
    english = ("The Inter-American Development Bank met.", "The Russians won the Battle of Moscow.")
    found = score_stance(sentences(*english), method="lexicon")
    assert found[["sent_id", "target"]].values.tolist() == [[1, "Russia"]]


def test_category_growth_reaches_warmth_and_criticism_idioms():
    out = scores_of("The US blatantly shifts the blame.", "中巴患难与共。", "中方对美方污名化、甩锅的做法强烈不满。",
                    "We will never forget the selfless help of Pakistan.")
    assert out[0, "United States"] == (pytest.approx(-4.5 / 6.5), "blatantly(-2); shifts the blame(-2.5)")
    assert out[1, "Pakistan"] == (pytest.approx(0.6), "患难与共(+3)")
    us = out[2, "United States"]
    assert "污名化(-2.5)" in us[1] and "甩锅(-2.5)" in us[1] and us[0] < -0.7
    assert out[3, "Pakistan"] == (pytest.approx(4.5 / 6.5), "never forget(+2); selfless(+2); help(+0.5)")


# --- the supervised model and the ensemble ----------------------------------------------------------

def tiny_model():
    """English weights by hand: "oppose" pushes toward -2, "spoke" toward +2 (logit 1 each), intercepts 0."""
    from toolkit.stance.linear import WEIGHTS
    rows = [("en", "word", "oppose", 1.0, [1, 0, 0, 0, 0]), ("en", "word", "spoke", 1.0, [0, 0, 0, 0, 1]),
            ("en", "intercept", "", np.nan, [0, 0, 0, 0, 0])]
    return pd.DataFrame([{"language": lang, "block": block, "feature": feature, "idf": idf, **dict(zip(WEIGHTS, w))}
                         for lang, block, feature, idf, w in rows])


def test_ensemble_is_the_default_method():
    import inspect
    assert inspect.signature(toolkit.score_stance).parameters["method"].default == "ensemble"
    table = sentences("We oppose the US move.", "The US spoke.")
    pd.testing.assert_frame_equal(toolkit.score_stance(table), score_stance(table, method="ensemble"))


def test_ensemble_blends_cued_rows_and_gives_uncued_rows_the_model_score():
    from toolkit.stance.linear import load_model_settings
    table = sentences("We oppose the US move.", "The US spoke.", "Japan is here.")
    e = np.e
    # one known n-gram with tf-idf 1 (l2-normed): P(-2) = e / (e + 4); expected label (2 - 2e) / (e + 4); / 2
    model_oppose, model_spoke = (1 - e) / (e + 4), (e - 1) / (e + 4)
    lexicon = score_stance(table)
    assert lexicon["source"].tolist() == ["lexicon", "none", "none"] and "model_score" not in lexicon
    ensemble = score_stance(table, method="ensemble", model=tiny_model())
    us = ensemble[ensemble["target"] == "United States"].set_index("sent_id")
    w = load_model_settings()["en"]["ensemble_weight"]
    assert us.loc[0, "score"] == pytest.approx(w * -0.5 + (1 - w) * model_oppose)     # oppose(-2): -2 / 4
    assert us.loc[0, "source"] == "lexicon" and us.loc[0, "cues"] == "oppose(-2)"
    assert us.loc[1, "score"] == pytest.approx(model_spoke) and us.loc[1, "source"] == "model"
    assert us["model_score"].tolist() == pytest.approx([model_oppose, model_spoke])
    japan = row(ensemble, "Japan")
    assert japan["score"] == 0 and japan["source"] == "model"                        # no known n-gram: E = 0
    model_only = score_stance(table, method="model", model=tiny_model())
    assert set(model_only["source"]) == {"model"}
    assert model_only["score"].tolist() == pytest.approx([model_oppose, model_spoke, 0])
    assert model_only.attrs["provenance"]["parameters"]["method"] == "model"
    with pytest.raises(ToolkitError, match="method"):
        score_stance(table, method="bert")


def test_target_marking_replaces_the_scored_target_and_other_targets():
    from toolkit.stance.lexicon import load_stance_lexicon, matchers
    from toolkit.stance.linear import marked_texts
    compiled = matchers(load_targets(), load_stance_lexicon())
    marked = marked_texts(["China and the US oppose Japan's move.", "中美反对日方做法。"], ["en", "zh"],
                          ["United States", "Japan"], compiled)
    assert marked == ["China and the xtargetx oppose xotherx ' s move . xtunitedstates", "Ｏ反对Ｘ做法。 xtjapan"]


def test_model_settings_are_data_and_drive_features_marking_and_fitting():
    from toolkit.stance.lexicon import load_stance_lexicon, matchers
    from toolkit.stance.linear import (
        SETTINGS_COLUMNS,
        features,
        fit_stance_model,
        load_model_settings,
        marked_texts,
    )
    table = pd.DataFrame([["en", "1-1", "char_wb", "", "3", "none", "0", "0.25", "0.1", "0.3"]],
                         columns=SETTINGS_COLUMNS)
    en = load_model_settings(table)["en"]
    assert en == {"word_ngrams": (1, 1), "char_analyzer": "char_wb", "char_ngrams": None, "C": 3.0,
                  "class_weight": None, "name_scale": 0.0, "ensemble_weight": 0.25, "band_model": 0.1,
                  "band_ensemble": 0.3}
    assert features(en) == {"word": {"analyzer": "word", "ngram_range": (1, 1), "token_pattern": r"(?u)\b\w+\b|\?"}}
    packaged = load_model_settings()
    assert set(packaged) == {"en", "zh"} and all(0 <= s["ensemble_weight"] <= 1 for s in packaged.values())
    for column, value in [("word_ngrams", "2-1"), ("class_weight", "auto"), ("C", "big"), ("char_ngrams", "x"),
                          ("name_scale", "-1")]:
        with pytest.raises(ToolkitError, match="row 2"):
            load_model_settings(table.assign(**{column: value}))
    with pytest.raises(ToolkitError, match="at least one"):
        load_model_settings(table.assign(word_ngrams=""))
    from toolkit.stance.validation import BANDS, _band
    assert _band("ensemble", pd.DataFrame({"lang": ["zh", "zh"]})) == packaged["zh"]["band_ensemble"]
    assert _band("model", pd.DataFrame({"lang": ["en"]})) == packaged["en"]["band_model"]
    assert _band("ensemble", pd.DataFrame({"lang": ["en", "zh"]})) == BANDS["ensemble"]       # mixed: the default
    assert _band("lexicon", pd.DataFrame({"lang": ["en"]})) == BANDS["lexicon"]
    compiled = matchers(load_targets(), load_stance_lexicon())
    plain = marked_texts(["We oppose the US move."], ["en"], ["United States"], compiled, name_token=False)
    assert plain == ["We oppose the xtargetx move ."]
    # word unigrams only (min_df 2): the five words of the three sentences, each seen twice; no char block
    labelled = pd.DataFrame({"marked": ["we oppose xtargetx", "we welcome xtargetx", "we met xtargetx"] * 2,
                             "lang": "en", "label": [-2, 2, 0] * 2})
    weights = fit_stance_model(labelled, settings={"en": en})
    assert set(weights["block"]) == {"word", "intercept"}
    assert sorted(weights.loc[weights["block"] == "word", "feature"]) == ["met", "oppose", "we", "welcome", "xtargetx"]
    oppose = weights.set_index("feature").loc["oppose"]
    assert oppose["w-2"] > max(oppose["w0"], oppose["w+2"]) and oppose["w-1"] == oppose["w+1"] == 0


def test_the_target_name_is_one_feature_of_its_own_valued_name_scale():
    from toolkit.stance.linear import WEIGHTS, NameBlock, fit_blocks, split_name
    assert split_name("we oppose xtargetx . xtunitedstates") == ("we oppose xtargetx .", "xtunitedstates")
    assert split_name("Ｘ反对。 xtjapan") == ("Ｘ反对。", "xtjapan")
    block = NameBlock(["xtjapan", "xtunitedstates", "xtjapan"], 0.3)
    assert block.vocabulary_ == {"xtjapan": 0, "xtunitedstates": 1}
    assert block.transform(["xtunitedstates", "xtnowhere"]).toarray().tolist() == [[0, 0.3], [0, 0]]
    settings = {"word_ngrams": (1, 1), "char_analyzer": "char_wb", "char_ngrams": None, "name_scale": 0.3}
    blocks, matrix = fit_blocks(["we oppose xtargetx xtjapan", "we oppose xtargetx xtchina"], settings)
    assert [b for b, _ in blocks] == ["word", "name"] and "xtjapan" not in blocks[0][1].vocabulary_
    assert matrix.shape == (2, 3 + 2) and matrix[:, 3:].toarray().tolist() == [[0, 0.3], [0.3, 0]]   # we oppose X
    # scoring: "spoke" (tf-idf 1) and the US name (0.5 x weight 2) each add a logit of 1 to label +2
    model = pd.concat([tiny_model(), pd.DataFrame([{"language": "en", "block": "name", "feature": "xtunitedstates",
                                                    "idf": 0.5, **dict(zip(WEIGHTS, [0, 0, 0, 0, 2]))}])])
    out = score_stance(sentences("The US spoke.", "Japan spoke."), method="model", model=model)
    e = np.e
    assert row(out, "United States")["score"] == pytest.approx((e ** 2 - 1) / (e ** 2 + 4))
    assert row(out, "Japan")["score"] == pytest.approx((e - 1) / (e + 4))


def test_cv_rule_picks_the_best_ensemble_and_breaks_ties_toward_the_simpler_model():
    cv = bench_module("cv_stance")
    grid = pd.DataFrame({"blocks": [0, 0, 1, 0], "name_scale": [1.0, 0.3, 0.3, 0.3], "C": [10.0, 3.0, 3.0, 30.0],
                         "class_weight": ["none", "balanced", "none", "none"], "ensemble_weight": [0.2, 0.1, 0.0, 0.3],
                         "rho_ensemble": [0.8004, 0.7996, 0.8001, 0.7949]})
    # 0.8004, 0.7996 and 0.8001 all round to 0.800: fewer blocks first, then the smaller name scale
    assert cv.choose(grid).name == 1
    assert cv.choose(grid.assign(rho_ensemble=[0.8004, 0.7996, 0.8001, 0.8006])).name == 3
    # band 0.1: classes -1, 1, 1, 1 (F1 of -1, 0, +1: 1, 0, 0.8 -> 0.6); 0.15: all right (1.0); 0.2: 0.667 + ...
    assert cv.best_band([-2, 0, 1, 2], np.array([-0.5, 0.12, 0.18, 0.6])) == (0.15, 1.0)
    assert cv.macro_f1([-2, 0, 1, 2], np.array([-0.5, 0.12, 0.18, 0.6]), 0.1) == pytest.approx(0.6)


def test_cv_candidates_nested_choice_stacker_and_lexicon_evidence():
    cv = bench_module("cv_stance")
    y, folds = np.array([0, 1] * 5), np.repeat(np.arange(5), 2)
    a, b = y.copy(), y.copy()
    a[[0, 1]], b[[2, 3]] = [1, 0], [1, 0]   # a is wrong on fold 0 only, b on fold 1 only
    # fold 0: a is wrong there, so on the other folds a is perfect and b is not -> a's (wrong) scores;
    # fold 1 -> b's; folds 2-4: both wrong once on the other folds (a tie) -> the earlier key, a
    scores, picked = cv.nested(y, folds, {"a": a, "b": b})
    assert picked == ["a", "b", "a", "a", "a"]
    assert scores.tolist() == [1, 0, 1, 0, 0, 1, 0, 1, 0, 1]
    # an intercept-only stacker predicts each fold by the mean label of the other folds
    labels = np.arange(10.0)
    out, beta = cv.stacked(labels, folds, np.ones((10, 1)))
    assert out.tolist() == pytest.approx([(45 - 2 * k - (2 * k + 1)) / 8 for k in range(5) for _ in range(2)])
    assert beta == pytest.approx([4.5])
    # resampled briefings: the first candidate's gain over itself is 0; a perfect ranking never loses
    labels, noisy = np.arange(12), np.array([1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10])
    gains = cv.bootstrap_gains(labels, np.repeat(list("abcdef"), 2), [noisy, labels, noisy], n=50)
    assert gains.shape == (50, 3) and (gains[:, 0] == 0).all() and (gains[:, 2] == 0).all()
    assert (gains[:, 1] > 0).all()
    evidence = pd.DataFrame({"score": [0.5], "cued": [1], "n_hostile": [0], "n_critical": [1], "n_cooperative": [3],
                             "pos": [np.e - 1], **{f"role_{r}": [int(r == "coagent")] for r in cv.ROLE_FLAGS}})
    assert cv.evidence_matrix(evidence)[0].tolist() == pytest.approx(
        [0.5, 1, 0, np.log(2), np.log(4), 1, 0, 1, 0, 0, 0, 0])
    sentences = pd.DataFrame({"text": ["China and Russia both firmly oppose unilateral sanctions by the US.",
                                       "We hope the US will work with China to promote cooperation.",
                                       "The weather is fine."],
                              "lang": "en", "target": ["Russia", "United States", "Japan"]})
    found = cv.lexicon_evidence(sentences)
    # Russia is China's co-agent: the clause's hostility is kept off it, the role adds +0.5: 0.5 / (0.5 + 2)
    assert found.loc[0, ["score", "cued", "n_cues", "pos", "role_coagent"]].tolist() == pytest.approx(
        [0.2, 1, 1, 0.5, 1])
    # the US is admonished: its cooperative words do not count, the role is one critical cue -1: -1 / (1 + 2)
    assert found.loc[1, ["score", "n_critical", "n_cooperative", "pos", "role_admonished"]].tolist() == pytest.approx(
        [-1 / 3, 1, 0, 0, 1])
    assert found.loc[2, ["score", "cued", "n_cues"]].tolist() == [0, 0, 0]
    assert found.filter(like="role_").sum().to_dict() == {
        "role_admonished": 1, "role_coagent": 1, "role_victim": 0, "role_object": 0, "role_venue": 0,
        "role_authority": 0}


def test_packaged_model_is_the_refit_on_the_gold_train_dev_and_project_rows(corpora):
    trainer = bench_module("train_stance_model")
    folder = trainer.gold_dir()
    if not all(trainer.gold_file(lang, folder).is_file() for lang in trainer.LANGS):
        pytest.skip(f"gold set not in {folder} (set STANCE_GOLD_DIR)")
    info = pd.read_csv(Path(toolkit.__file__).parent / "data" / "stance_model_info.csv").set_index("key")["value"]
    for lang in trainer.LANGS:
        assert info[f"gold_{lang}_sha256"] == trainer.sha256(trainer.gold_file(lang, folder)), \
            "the gold set changed since the model was fitted: re-run bench/train_stance_model.py"
    weights, _ = trainer.fit(corpora, folder)
    assert trainer.same_model(toolkit.stance.linear.load_stance_model(), weights)


def test_recorded_model_sha_is_the_csv_hash_of_the_packaged_model():
    import hashlib

    from toolkit.stance.linear import load_stance_model, model_sha
    from toolkit.stance.scoring import content_key

    info = pd.read_csv(Path(toolkit.__file__).parent / "data" / "stance_model_info.csv").set_index("key")["value"]
    model = load_stance_model()
    assert content_key(model) == info["model_content_key"], "refit: bench/train_stance_model.py records the key"
    assert hashlib.sha256(model.to_csv(index=False).encode()).hexdigest()[:16] == info["model_sha"] == model_sha(model)
    changed = model.copy()
    changed.loc[0, "w0"] += 1.0                     # another content: its own hash, computed, not the recorded one
    assert model_sha(changed) == hashlib.sha256(changed.to_csv(index=False).encode()).hexdigest()[:16]
    assert model_sha(changed) != info["model_sha"]


def test_face_validity_on_the_whole_mfa_corpora(mfa_scores, mfa_zh_path):
    sentences_en, _ = mfa_scores
    sentences_zh = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(mfa_zh_path)))
    for table in (sentences_en, sentences_zh):
        for method in ("lexicon", "ensemble"):
            scores = score_stance(table, method=method)
            means = scores.groupby("target")["score"].mean()
            us = scores[scores["target"] == "United States"]
            by_year = us.groupby(us["date"].dt.year)["score"].mean()
            assert by_year[2020] < by_year[2018], (method, by_year)
            assert means["Pakistan"] > means["United States"] and means["Russia"] > means["United States"]
            if method == "ensemble":
                assert (scores["source"] == "model").any() and set(scores["source"]) == {"lexicon", "model"}


def test_a_short_form_guard_reads_the_turn_and_the_question_it_answers():
    def turns(question, answer):
        return pd.DataFrame({"doc_id": ["d"] * 3, "turn_id": [0, 1, 1], "sent_id": [0, 0, 1],
                             "role": ["question", "answer", "answer"], "lang": ["zh"] * 3,
                             "text": [question, "谢谢你的提问。", answer]})

    answer = "中方愿同新方一道，推动两国关系发展。"
    named = toolkit.score_stance(turns("新西兰总理将访华，中方有何期待？", answer), method="lexicon")
    assert "Singapore" not in set(named["target"])                      # 新方 is New Zealand: named in the question
    plain = toolkit.score_stance(turns("你能介绍一下情况吗？", answer), method="lexicon")
    assert plain["target"].tolist() == ["Singapore"]
    later = toolkit.score_stance(pd.concat([turns("你能介绍一下情况吗？", answer),
                                            turns("新西兰总理将访华？", "我们欢迎。").assign(turn_id=[2, 3, 3])]),
                                 method="lexicon")
    assert later["target"].tolist() == ["Singapore"]                    # a later question does not reach back


def test_role_table_and_target_guards_are_checked():
    from toolkit.stance import load_stance_roles
    roles = load_stance_roles()
    assert set(roles["role"]) >= {"coagent", "victim", "venue", "authority", "admonished", "object", "none"}
    assert not roles.duplicated(["pattern", "language"]).any()
    bad = pd.DataFrame({"pattern": ["urge the US"], "role": ["admonished"], "weight": ["-1"], "blocks": ["positive"],
                        "language": ["en"]})
    with pytest.raises(ToolkitError, match="exactly one"):
        load_stance_roles(bad)
    guards = pd.DataFrame({"target": ["Pakistan"], "alias": ["巴方"], "language": ["zh"], "not_context": ["(巴勒"]})
    with pytest.raises(ToolkitError, match="regular expression"):
        load_targets(guards)


def test_word_char_tfidf_equals_scikit_learn_transform(mfa_scores):
    from toolkit.stance.linear import (
        _vectorizer,
        features,
        load_model_settings,
        word_char_tfidf,
        word_tfidf,
    )

    tiny = ["The US  side\tisn't right, Ünited?", "we oppose xtargetx . xtunitedstates", "a"]
    options = {"analyzer": "char_wb", "ngram_range": (2, 5)}
    vectorizer = _vectorizer(options, min_df=1).fit(tiny)
    probe = ["the us side isn't RIGHT", "", "ünited   xtargetx oppose oppose", "zzz"]
    assert np.allclose(word_char_tfidf(vectorizer, probe).toarray(), vectorizer.transform(probe).toarray())
    sentences_en, _ = mfa_scores
    texts = sentences_en["text"].head(2000).tolist()
    vectorizer = _vectorizer(options, min_df=2).fit(texts[:1000])
    fast, slow = word_char_tfidf(vectorizer, texts[1000:]), vectorizer.transform(texts[1000:])
    assert fast.shape == slow.shape and abs(fast - slow).max() < 1e-12
    # the word block: "a b a b a" has a x3, b x2, "a b" x2, "b a" x2 -> tf 1 + log(count)
    words = _vectorizer({"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b|\?"}, min_df=1)
    words.fit(tiny + ["a b a b a"])
    row = word_tfidf(words, ["A b a b a?"]).toarray()[0]
    vocabulary, idf = words.vocabulary_, words.idf_
    expected = np.zeros(len(vocabulary))
    for gram, count in {"a": 3, "b": 2, "a b": 2, "b a": 2, "?": 1}.items():
        expected[vocabulary[gram]] = (1 + np.log(count)) * idf[vocabulary[gram]]
    assert np.allclose(row, expected / np.linalg.norm(expected))
    words = _vectorizer(features(load_model_settings()["en"])["word"], min_df=2).fit(texts[:1000])
    fast, slow = word_tfidf(words, texts[1000:]), words.transform(texts[1000:])
    assert fast.shape == slow.shape and abs(fast - slow).max() < 1e-12


def test_model_features_of_a_block_stay_within_each_text():
    """The word n-grams of a block of texts never join the last word of one text to the first of the next, empty
    and unknown texts give empty rows, and the char_wb ids kept per word give the same rows when asked again."""
    from toolkit.stance.linear import _vectorizer, word_char_tfidf, word_tfidf

    words = _vectorizer({"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b|\?"}, min_df=1)
    words.fit(["b c", "a b", "c d"])
    block = ["a b", "", "c d", "zzz", "b"]   # "b c" is in the vocabulary: the block must not count it
    fast = word_tfidf(words, block)
    assert fast[:, words.vocabulary_["b c"]].nnz == 0
    assert abs(fast - words.transform(block)).max() == 0 and fast.shape == (5, len(words.vocabulary_))
    assert fast[1].nnz == 0 and fast[3].nnz == 0
    # a block is tokenized as one string, SEPARATOR between texts: a text holding it, or non-ASCII, is tokenized
    # alone, amid runs of ASCII texts; a text's own "b\x01c" is its bigram "b c", none spans two texts
    block = ["a b", "b\x01c", "\x01 ", "Ünited c", "d b", "b", "c Ü", "b", "\x01c"]
    fast = word_tfidf(words, block)
    assert fast[:, words.vocabulary_["b c"]].nonzero()[0].tolist() == [1]
    assert (fast != words.transform(block)).nnz == 0 and fast[2].nnz == 0
    chars = _vectorizer({"analyzer": "char_wb", "ngram_range": (2, 5)}, min_df=1).fit(["oppose the side", "xtargetx"])
    probe = ["Oppose oppose", "", "qqq", "the xtargetx side"]
    first, again = word_char_tfidf(chars, probe), word_char_tfidf(chars, probe[::-1])
    assert abs(first - chars.transform(probe)).max() == 0
    assert abs(again - chars.transform(probe[::-1])).max() == 0 and first[1].nnz == first[2].nnz == 0


def test_model_tfidf_counts_repeats_in_any_order_and_word_ids_survive_a_full_store(monkeypatch):
    """``_tfidf`` builds its count matrix through the transpose: rows and ids in any order, repeats summed, each
    row's ids sorted, the same arrays as scikit-learn's; the kept char_wb ids start afresh past WORD_CACHE words
    and still give the same rows."""
    from toolkit.stance import linear

    words = linear._vectorizer({"analyzer": "word", "ngram_range": (1, 1), "token_pattern": r"(?u)\b\w+\b"},
                               min_df=1).fit(["a b c d"])
    rows, ids = np.array([2, 0, 2, 0, 2, 1]), np.array([3, 1, 0, 1, 3, -1])   # row 2: d x2, a; row 0: b x2
    matrix = linear._tfidf(words, rows, ids, 4)
    assert matrix.indptr.tolist() == [0, 1, 1, 3, 3] and matrix.indices.tolist() == [1, 0, 3]
    d, a = (1 + np.log(2)) * words.idf_[3], words.idf_[0]
    assert np.allclose(matrix.data, [1.0, a / np.hypot(a, d), d / np.hypot(a, d)])
    chars = linear._vectorizer({"analyzer": "char_wb", "ngram_range": (2, 3)}, min_df=1).fit(["oppose the side"])
    monkeypatch.setattr(linear, "WORD_CACHE", 2)
    texts = ["oppose the side", "side oppose", "", "the the", "zz side"]
    for text in texts:   # one text at a time: the store fills past 2 words and starts afresh
        fast, slow = linear.word_char_tfidf(chars, [text]), chars.transform([text])
        assert (fast.indptr == slow.indptr).all() and (fast.indices == slow.indices).all()
        assert np.array_equal(fast.data, slow.data)
    assert len(chars._toolkit_word_ids.index) <= 3
    block = linear.word_char_tfidf(chars, texts)
    assert abs(block - chars.transform(texts)).max() < 1e-15


def test_model_tfidf_by_columns_equals_scikit_learn_rows_bit_for_bit(mfa_scores):
    """The model scores a block from its TF-IDF built column by column (CSC, never turned into rows): the same
    matrix as scikit-learn's ``transform`` (CSR) to the last bit, and its product with the packaged weights too
    (each row's l2 norm and logits summed in the same order), on real sentences with marked targets."""
    from toolkit.stance import linear

    sentences_en, _ = mfa_scores
    texts = [linear.split_name(text)[0] + " xtargetx" for text in sentences_en["text"].head(3000)]
    counts = {"char_wb": linear._word_char_counts, "word": linear._word_counts}
    for vectorizer, weights in linear._Scorer(linear.load_stance_model(), "en").blocks:
        fast, slow = linear._tfidf_columns(vectorizer, counts[vectorizer.analyzer](vectorizer, texts)), \
            vectorizer.transform(texts)
        assert fast.format == "csc" and fast.shape == slow.shape
        rows = fast.tocsr()
        assert np.array_equal(rows.indptr, slow.indptr) and np.array_equal(rows.indices, slow.indices)
        assert np.array_equal(rows.data, slow.data)
        assert np.array_equal(fast @ weights, slow @ weights)
    # a row whose n-grams all have idf 0 (possible in a user's model table) stays zeros, as scikit-learn leaves it
    vectorizer = linear._vectorizer({"analyzer": "char_wb", "ngram_range": (2, 3)}, min_df=1).fit(["ab cd", "ef"])
    names = vectorizer.get_feature_names_out()
    vectorizer.idf_ = np.where([("e" in gram or "f" in gram) for gram in names], 0.0, vectorizer.idf_)   # "ef": 0
    probe = ["ab", "cd ab", "ef", ""]
    fast = linear._tfidf_columns(vectorizer, linear._word_char_counts(vectorizer, probe)).tocsr()
    assert np.isfinite(fast.data).all() and np.array_equal(fast.toarray(), vectorizer.transform(probe).toarray())
    assert not fast[2].toarray().any() and fast[2].nnz > 0


def test_model_scores_english_marked_words_as_the_marked_texts(mfa_scores):
    """``score_stance`` hands the model an English row's lowercased units with the targets marked
    (``marked_words``), not the text of ``mark_targets``: the same words and name token as the lowercased text
    split at spaces, and the same scores to the last bit, on real sentences and on non-ASCII ones."""
    from toolkit.stance import linear
    from toolkit.stance.lexicon import load_stance_lexicon, match_units, matchers

    sentences_en, _ = mfa_scores
    compiled = matchers(load_targets(), load_stance_lexicon())["en"]
    model = linear.load_stance_model()
    assert linear.reads_words(model)
    odd = ["The ΟΔΟΣ of Japan and the US\u2019s “sanctions”?", "ÉTATS-UNIS: Japan, the US! Σ Japan",
           "İstanbul and the US"]   # "i̇stanbul": lowercased, a word of two tokens (the block is scored as texts)
    for rows in (sentences_en["text"].head(3000).tolist(), odd):
        texts, words = [], []
        for text in rows:
            units = match_units(text, "en")
            spans = compiled.spans(units, text)
            for target in dict.fromkeys(t for *_, names in spans for t in names):
                texts.append(linear.mark_targets(units, "en", spans, target))
                words.append(linear.marked_words(tuple(map(str.lower, units)), spans, target))
        assert sum(not text.isascii() for text in texts) >= 3
        assert [text.lower().split() for text in texts] == [[*part, name] for part, name in words]
        langs = ["en"] * len(texts)
        assert np.array_equal(linear.model_scores(words, langs, model), linear.model_scores(texts, langs, model))
    grams = linear._gram_ids(next(v for v, _ in linear._built(model)[1]["en"].blocks if v.analyzer == "word"))
    assert grams.word_codes(["i̇stanbul", ",", "?", "xtargetx", "zzqq"]).tolist() == [
        grams.SEVERAL, grams.NONE, grams.token_ids["?"], grams.token_ids["xtargetx"], -1]


def test_lowered_units_are_str_lower_of_each_unit_and_the_memo_starts_afresh(monkeypatch):
    """English units are lowercased through a bounded memo (one string per distinct unit): the same tuple as
    ``str.lower`` of each unit, also past the bound; Chinese text is matched as it is."""
    from toolkit.stance import lexicon

    monkeypatch.setattr(lexicon, "LOWER_CACHE", 3)
    units = lexicon.match_units("The US and ΟΔΟΣ İstanbul: THE us, the U.S.!", "en")
    for _ in range(2):
        lowered = lexicon.lowered_units(units, "en")
        assert lowered == tuple(unit.lower() for unit in units) and len(lexicon._LOWERCASE) <= 3
    assert lexicon.lowered_units("中方坚决反对", "zh") == "中方坚决反对"


def test_score_stance_pauses_the_garbage_collector_and_restores_it():
    """The cyclic collector is off while rows are matched (a full collection walks every object alive) and back
    in its former state afterwards, also after an error."""
    import gc

    from toolkit.stance import scoring

    seen = []
    original = scoring._cue_sums

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    table = sentences("China firmly opposes the so-called US sanctions.")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scoring, "_cue_sums", spy)
        assert len(score_stance(table)) == 1
    assert seen == [False] and gc.isenabled()
    with pytest.raises(ToolkitError):
        toolkit.score_stance(table.drop(columns="text"))
    assert gc.isenabled()
    gc.disable()
    try:
        score_stance(table)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_role_lookups_only_at_possible_shapes_find_what_every_shape_finds(mfa_scores):
    """``Matcher.roles_of`` tries only the role shapes whose edge units stand around a mention: the same roles, in
    the same order, as trying every shape (hand-made mentions with roles, and every mention of 3,000 MFA
    sentences)."""
    from toolkit.stance.lexicon import load_stance_lexicon, match_units, matchers

    compiled = matchers(load_targets(), load_stance_lexicon())

    def every_shape(matcher, lowered, spans):
        found = {}
        for start, end, names in spans:
            here = [role for before, after in matcher.role_shapes if start >= before and end + after <= len(lowered)
                    for role in matcher.roles.get((lowered[start - before:start], lowered[end:end + after]), ())]
            if here and (longest := max(here, key=lambda role: len(role[0])))[1] != "none":
                for name in names:
                    found.setdefault(name, []).append(longest)
        return found

    texts = [("en", "China and the US should work together, as Japan rightly said."),
             ("en", "We urge the US to stop."), ("en", "The meeting held in Japan ended."),
             ("zh", "中美双方应该合作，希望美方停止。"), ("zh", "日方应邀出席。")]
    sentences_en, _ = mfa_scores
    texts += [("en", text) for text in sentences_en["text"].head(3000)]
    with_roles = 0
    for lang, text in texts:
        matcher, units = compiled[lang], match_units(text, lang)
        spans = matcher.spans(units, text)
        lowered = tuple(u.lower() for u in units) if lang == "en" else units
        roles = matcher.roles_of(lowered, spans)
        assert roles == every_shape(matcher, lowered, spans), text
        with_roles += bool(roles)
    assert with_roles >= 5 + 20


def test_word_ngrams_found_as_integer_runs_equal_scikit_learn():
    """``word_tfidf`` finds n-grams as runs of token ids: trigrams whose first two tokens are no feature, unknown
    tokens breaking a run, a run not crossing into the next text, empty texts; the same arrays as scikit-learn."""
    from toolkit.stance import linear
    from toolkit.stance.linear import (
        SEPARATOR,
        WORD_TOKENS,
        _GramIds,
        _vectorizer,
        word_tfidf,
    )

    options = {"analyzer": "word", "ngram_range": (1, 3), "token_pattern": WORD_TOKENS}
    vectorizer = _vectorizer(options, vocabulary={"a": 0, "b c d": 1, "c": 2, "?": 3, "c d": 4, "d a": 5})
    vectorizer.fit(["a b c d a ?"])
    block = ["B c d a?", "", "b c zz d", "a b", "c d", "b c d b c d"]
    fast, slow = word_tfidf(vectorizer, block), vectorizer.transform(block)
    assert (fast.indptr == slow.indptr).all() and (fast.indices == slow.indices).all()
    assert np.array_equal(fast.data, slow.data)
    assert fast[0].indices.tolist() == [0, 1, 2, 3, 4, 5] and fast[2].nnz == 1 and fast[3].indices.tolist() == [0]
    grams = _GramIds(vectorizer.vocabulary_)   # tokens ?, a, b, c, d; "b c" is a run (of "b c d"), not a feature
    assert list(grams.token_ids) == ["?", "a", "b", "c", "d"]
    flat = grams.tokens(["b", "c", "d", "x"])
    assert flat.tolist() == [2, 3, 4, -1]
    assert [(n, ids.tolist()) for n, ids in grams.ngrams(flat, 1, 3)] == [(1, [-1, 2, -1, -1]), (2, [-1, 4, -1]),
                                                                         (3, [1, -1])]
    # between texts, SEPARATOR: an id of its own that ends every run, like an unknown token
    separated = grams.tokens(["b", "c", SEPARATOR, "d", "a"])
    assert separated.tolist() == [2, 3, grams.SEPARATOR, 4, 1]
    assert [ids.tolist() for _, ids in grams.ngrams(separated, 2, 3)] == [[-1, -1, -1, 5], [-1, -1, -1]]
    # texts given as words (units, punctuation marks included): the same counts, word by word
    words = [["b", "c", "d", "a", "?"], [], ["b", "c", "zz", "d"], ["a", ",", "b"], ["c", ".", "d"], ["d", "-", "a"]]
    by_words = linear._tfidf_columns(vectorizer, linear._word_counts_of_words(vectorizer, words))
    assert (by_words != vectorizer.transform([" ".join(part) for part in words])).nnz == 0
    assert by_words.tocsr()[5].indices.tolist() == [0, 5]   # "d - a": the mark is no token, "d a" a bigram


def test_ascii_word_tokens_equal_the_word_pattern():
    """The byte-table tokenizer of ASCII texts gives the tokens of WORD_TOKENS on the lowercased text: runs of
    letters, digits and "_", each "?" alone, everything else a separator (hand-made cases and 5,000 random
    strings of printable ASCII)."""
    import random
    import string

    from toolkit.stance.linear import WORD_TOKENS, ascii_word_tokens

    assert ascii_word_tokens("Why?? The US-led x_y, (2020)\tisn't\nOK?") == [
        "why", "?", "?", "the", "us", "led", "x_y", "2020", "isn", "t", "ok", "?"]
    assert ascii_word_tokens("") == [] and ascii_word_tokens(" ... ") == []
    pattern = re.compile(WORD_TOKENS)
    draw = random.Random(0)
    for _ in range(5000):
        text = "".join(draw.choice(string.printable + "??__") for _ in range(draw.randint(0, 40)))
        assert ascii_word_tokens(text) == pattern.findall(text.lower()), text


def test_cv_learning_curve_at_full_share_is_the_out_of_fold_figure_and_reproducible():
    from scipy.stats import spearmanr

    from toolkit.stance.linear import load_model_settings

    cv = bench_module("cv_stance")
    wordings = {-2: "we firmly oppose and condemn the actions of", 0: "a meeting was held today with",
                1: "we welcome friendly cooperation with"}
    labels = [-2, 0, 1] * 14
    rows = pd.DataFrame({"marked": [f"{wordings[y]} the other side number {i % 5}" for i, y in enumerate(labels)],
                         "label": labels, "source_url": [f"u{i // 2}" for i in range(len(labels))]})
    settings = {**load_model_settings()["en"], "name_scale": 0.0}   # no target-name block in these texts
    lexicon, cued = np.linspace(-1, 1, len(rows)), np.arange(len(rows)) % 2 == 0
    curve = cv.learning_curve(rows, lexicon, cued, settings, random_state=0)
    assert list(curve["fraction"]) == list(cv.CURVE_FRACTIONS)
    # with every training briefing kept, the curve is the plain out-of-fold figure of the same folds
    model = cv.oof_chosen(rows, settings)
    w = settings["ensemble_weight"]
    full = curve.set_index("fraction").loc[1.0]
    assert full["rho_model"] == pytest.approx(spearmanr(rows["label"], model).statistic)
    blended = np.where(cued, w * lexicon + (1 - w) * model, model)
    assert full["rho_ensemble"] == pytest.approx(spearmanr(rows["label"], blended).statistic)
    pd.testing.assert_frame_equal(curve, cv.learning_curve(rows, lexicon, cued, settings, random_state=0))
