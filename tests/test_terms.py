"""Term statistics: hand-computed numbers on tiny turns, outside references (NLTK, scikit-learn, scipy), MFA checks."""
from __future__ import annotations

import inspect
import json
import math
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import toolkit
from toolkit import (
    ToolkitError,
    collocations,
    count_terms,
    dispersion,
    keyness,
    kwic,
    plot_collocations,
    plot_dispersion,
    plot_keyness,
    plot_term_trend,
    term_frequency,
    trending_terms,
)
from toolkit.terms import TermAnalyzer, adjust_p, dispersion_scores, keyness_scores, poisson_interval

# three briefings, five turns; token counts (stop words included, a phrase = 1 token) written next to each
TURNS = pd.DataFrame({
    "doc_id": ["b1", "b1", "b2", "b2", "b3"],
    "turn_id": [0, 1, 0, 1, 0],
    "date": pd.to_datetime(["2020-01-15", "2020-01-15", "2020-03-10", "2020-03-10", "2020-03-20"]),
    "spokesperson": ["Wu Qian", "Wu Qian", "Ren Guoqiang", "Ren Guoqiang", "Wu Qian"],
    "role": ["question", "answer", "question", "answer", "statement"],
    "speaker": ["Reuters", "Wu Qian", "AFP", "Ren Guoqiang", "Wu Qian"],
    "text": [
        "Mil-to-mil ties with the US?",                                            # 4 tokens
        "Mil-to-mil relations are stable and hegemony is wrong.",                 # 7
        "What about hegemonism?",                                                  # 3
        "Military-to-military relations and the mil-to-mil relationship grow.",  # 5
        "The South China Sea is calm.",                                            # 4
    ],
})


@pytest.fixture(scope="module")
def tm():
    return count_terms(TURNS, unit="turn", stop_words=None)


# ----------------------------------------------------------------------------------------- frequency
def test_term_frequency_hand_counts_zero_rows_and_rates(tm):
    table = term_frequency(tm, "mil-to-mil relations", by="month", per=1000)
    assert list(table.columns) == ["term", "period", "n", "n_docs", "n_words", "rate", "ci_low", "ci_high",
                                   "period_start", "period_end", "days_covered", "partial", "low_count"]
    assert [str(p) for p in table["period"]] == ["2020-01", "2020-02", "2020-03"]       # February: explicit row
    assert table["n"].tolist() == [2, 0, 2]
    assert table["n_docs"].tolist() == [1, 0, 1]
    assert table["n_words"].tolist() == [11, 0, 12]
    assert table["rate"].iloc[0] == pytest.approx(2 / 11 * 1000)
    assert np.isnan(table["rate"].iloc[1])                                                 # no text at all
    assert table["rate"].iloc[2] == pytest.approx(2 / 12 * 1000)


def test_garwood_interval_matches_tabulated_values():
    # exact Poisson 95% limits (Garwood 1936), as tabulated e.g. in Ulm (1990) / Sahai & Khurshid (1993)
    low, high = poisson_interval([0, 1, 2, 10])
    assert low == pytest.approx([0.0, 0.0253, 0.2422, 4.7954], abs=1e-4)
    assert high == pytest.approx([3.6889, 5.5716, 7.2247, 18.3904], abs=1e-4)


def test_interval_scaled_like_the_rate(tm):
    row = term_frequency(tm, "mil-to-mil relations", by="month", per=1000).iloc[0]
    assert row["ci_low"] == pytest.approx(0.2422 / 11 * 1000, abs=0.01)
    assert row["ci_high"] == pytest.approx(7.2247 / 11 * 1000, abs=0.01)


def test_spokesperson_words_only_with_one_keyword(tm):
    table = term_frequency(tm, "mil-to-mil relations", by="month", speaker="spokesperson")
    assert table["n"].tolist() == [1, 0, 2]
    assert table["n_words"].tolist() == [7, 0, 5 + 4]
    journalists = term_frequency(tm, "mil-to-mil relations", by="month", speaker="journalists")
    assert journalists["n"].tolist() == [1, 0, 0]
    docs = count_terms(TURNS.drop(columns=["turn_id", "role"]).drop_duplicates("doc_id"), unit="doc")
    with pytest.raises(ToolkitError, match=r"term_frequency\(\).*role"):
        term_frequency(docs, "hegemony", speaker="spokesperson")


def test_terms_as_variants_words_sequences_and_regexes(tm):
    table = term_frequency(tm, ["military-to-military ties", "hegemony", "re:hegemon.*", re.compile(r"hegemon\w*"),
                                "is wrong", "the"], by="year")
    counts = table.set_index("term")["n"]
    assert counts["military-to-military ties"] == 4            # a variant finds its canonical term
    assert counts["hegemony"] == 1
    assert counts["re:hegemon.*"] == counts[r"re:hegemon\w*"] == 2
    assert counts["is wrong"] == 1                              # a word sequence, counted in the token stream
    assert counts["the"] == 3
    # a matrix without stop words still answers a stop-word query (from the kept token text)
    without = count_terms(TURNS, unit="turn")
    assert "the" not in without.vocabulary
    assert term_frequency(without, "the", by="year")["n"].tolist() == [3]


def test_by_any_column_and_frame_input():
    table = term_frequency(TURNS, "mil-to-mil relations", by="spokesperson")
    assert table.set_index("period")["n"].to_dict() == {"Ren Guoqiang": 2, "Wu Qian": 2}
    by_role = term_frequency(TURNS, "hegemony", by="role")
    assert by_role.set_index("period")["n"].to_dict() == {"answer": 1, "question": 0, "statement": 0}


def test_term_frequency_errors(tm):
    with pytest.raises(ToolkitError, match=r"term_frequency\(\).*by='fortnight'"):
        term_frequency(tm, "hegemony", by="fortnight")
    with pytest.raises(ToolkitError, match=r"term_frequency\(\).*speaker"):
        term_frequency(tm, "hegemony", speaker="everyone")
    with pytest.raises(ToolkitError, match=r"term_frequency\(\).*no word"):
        term_frequency(tm, "?!")


def test_plot_term_trend_draws_the_rates_including_zeros(tm):
    table = term_frequency(tm, ["mil-to-mil relations", "hegemonism"], by="month", per=1000)
    ax = plot_term_trend(table.drop(columns="partial"))                  # every period drawn as a full one
    drawn = {line.get_label(): line.get_ydata() for line in ax.get_lines()}
    # February has no text at all (rate NaN: a break in the line); a period with text but no hit is drawn at 0
    for term, group in table.groupby("term"):
        np.testing.assert_allclose(drawn[term], group["rate"])
    assert any(0.0 in values for values in drawn.values())           # the zero period is drawn, not skipped


# a quarter with three days of text: the corpus runs from 2020-04-01 to 2020-07-03
EDGES = pd.DataFrame({
    "doc_id": ["q2a", "q2b", "q3"],
    "date": pd.to_datetime(["2020-04-01", "2020-05-20", "2020-07-03"]),
    "text": ["hegemony hegemony is wrong", "hegemony again", "hegemony hegemony hegemony hegemony hegemony hegemony"],
})


def test_period_columns_by_hand(tm):
    table = term_frequency(EDGES, "hegemony", by="quarter", per=1)
    assert table["n"].tolist() == [3, 6] and table["n_words"].tolist() == [6, 6]
    assert table["period_start"].tolist() == [pd.Timestamp("2020-04-01"), pd.Timestamp("2020-07-01")]
    assert table["period_end"].tolist() == [pd.Timestamp("2020-06-30"), pd.Timestamp("2020-09-30")]
    assert table["days_covered"].tolist() == [91, 3]                  # 1 April .. 30 June; 1 .. 3 July
    assert table["partial"].tolist() == [False, True]
    assert table["low_count"].tolist() == [True, False]                # n < 5 occurrences
    # the five-turn table runs from 15 January to 20 March 2020 (a leap year)
    months = term_frequency(tm, "mil-to-mil relations", by="month")
    assert months["days_covered"].tolist() == [17, 29, 20] and months["partial"].tolist() == [True, False, True]
    two = term_frequency(tm, ["mil-to-mil relations", "hegemony"], by="month")    # the matrix's kept coverage
    assert two["days_covered"].tolist() == [17, 29, 20] * 2 and two["partial"].tolist() == [True, False, True] * 2
    quarter = term_frequency(tm, "mil-to-mil relations", by="quarter").iloc[0]
    assert quarter["days_covered"] == 17 + 29 + 20 and quarter["partial"]
    groups = term_frequency(tm, "mil-to-mil relations", by="spokesperson")
    assert "partial" not in groups and "period_start" not in groups   # a column grouping: no coverage columns
    assert groups["low_count"].tolist() == [True, True]


def test_plot_term_trend_partial_periods_hollow_and_outside_the_limits():
    table = term_frequency(EDGES, "hegemony", by="quarter", per=1)
    ax = plot_term_trend(table)
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_allclose(lines["hegemony"].get_ydata(), [0.5, np.nan])      # the full quarter only
    partial = lines["_partial"]
    assert partial.get_linestyle() == "--" and partial.get_markerfacecolor() == "none"
    assert partial.get_markevery() == [1]
    full = table.loc[~table["partial"], ["rate", "ci_low", "ci_high"]].to_numpy()
    low, high = full.min(), full.max()
    assert ax.get_ylim() == pytest.approx((low - 0.05 * (high - low), high + 0.05 * (high - low)))
    assert ax.get_ylim()[1] < table.loc[table["partial"], "ci_high"].iloc[0]     # the partial interval is cut


# ----------------------------------------------------------------------------------------- keyness
def test_keyness_formulas_by_hand():
    # a=10 in c=1000 target tokens, b=5 in d=2000 reference tokens: E1 = 5, E2 = 10
    row = keyness_scores([10], [5], 1000, 2000, measure="g2").iloc[0]
    assert row["keyness"] == pytest.approx(2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10)))   # Rayson
    assert row["effect"] == pytest.approx(2.0)                                                  # log2(0.01/0.0025)
    assert row["p_value"] == pytest.approx(math.erfc(math.sqrt(row["keyness"] / 2)))          # chi2(1) upper tail
    assert keyness_scores([10], [5], 1000, 2000, measure="chi2")["keyness"][0] == pytest.approx(
        3000 * (10 * 1995 - 5 * 990) ** 2 / (15 * 2985 * 1000 * 2000))
    assert keyness_scores([10], [5], 1000, 2000, measure="pmi")["keyness"][0] == pytest.approx(1.0)
    assert keyness_scores([10], [5], 1000, 2000, measure="simple_maths")["keyness"][0] == pytest.approx(10001 / 2501)
    assert keyness_scores([10], [5], 1000, 2000, measure="simple_maths", smoothing=100)["keyness"][0] == \
        pytest.approx(10100 / 2600)
    # Hardie: a zero frequency counts as 0.5; G2 of an under-used term is negative
    under = keyness_scores([0], [8], 1000, 1000, measure="g2").iloc[0]
    assert under["effect"] == pytest.approx(math.log2(0.5 / 8))
    assert under["keyness"] == pytest.approx(-2 * 8 * math.log(8 / 4))


def test_keyness_on_periods_masks_and_columns(tm):
    table = keyness(tm, target="2020-03", reference="2020-01", measure="log_ratio", min_count=1)
    assert list(table.columns) == ["term", "n_target", "n_reference", "rate_target", "rate_reference", "keyness",
                                   "effect", "p_value", "p_adjusted"]
    row = table.set_index("term").loc["mil-to-mil relations"]
    assert (row["n_target"], row["n_reference"]) == (2, 2)
    assert row["keyness"] == pytest.approx(math.log2((2 / 12) / (2 / 11)))
    assert table["keyness"].is_monotonic_decreasing
    by_mask = keyness(tm, target=(tm.rows["role"] == "question").to_numpy(), min_count=1)
    assert by_mask.set_index("term").loc["hegemonism", ["n_target", "n_reference"]].tolist() == [1, 0]
    by_column = keyness(tm, target={"spokesperson": "Ren Guoqiang"}, reference={"spokesperson": ["Wu Qian"]},
                        min_count=1)
    assert by_column.set_index("term").loc["mil-to-mil relations", ["n_target", "n_reference"]].tolist() == [2, 2]
    with pytest.raises(ToolkitError, match=r"keyness\(\).*share"):
        keyness(tm, target="2020", reference="2020-03")
    with pytest.raises(ToolkitError, match=r"keyness\(\).*period"):
        keyness(tm, target="spring 2020")


def test_keyness_document_frequency_variant(tm):
    table = keyness(tm, target="2020-03", reference="2020-01", count="docs", measure="log_ratio", min_count=1)
    row = table.set_index("term").loc["mil-to-mil relations"]
    assert (row["n_target"], row["n_reference"]) == (1, 1)                 # briefings, not tokens
    assert row["keyness"] == pytest.approx(math.log2((1 / 2) / (1 / 1)))   # 2 briefings in March, 1 in January


def test_benjamini_hochberg_and_bonferroni():
    p = [0.01, 0.04, 0.03, 0.2]
    assert adjust_p(p) == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2])
    from scipy.stats import false_discovery_control
    assert adjust_p(p) == pytest.approx(false_discovery_control(p, method="bh"))
    assert adjust_p(p, method="bonferroni") == pytest.approx([0.04, 0.16, 0.12, 0.8])


def test_plot_keyness_bars_are_the_keyness_values():
    table = pd.DataFrame({"term": list("abcde"), "keyness": [9.0, 4.0, 1.0, -2.0, -7.0]})
    ax = plot_keyness(table, n=2)
    widths = sorted(round(p.get_width(), 6) for p in ax.patches if p.get_width() != 0)
    assert widths == [-7.0, -2.0, 4.0, 9.0]


# ----------------------------------------------------------------------------------------- collocations
TEXT = ("China and the US discussed the South China Sea . The South China Sea issue is complex and "
        "China stressed that the South China Sea is stable . The US and China agreed that peace matters and the "
        "issue is complex .")


def test_collocations_window_one_equals_nltk_bigram_measures():
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    frame = pd.DataFrame({"doc_id": ["d"], "text": [TEXT]})
    tokens = TermAnalyzer(stop_words=None).tokens(TEXT)
    finder = BigramCollocationFinder.from_words(tokens)
    measures = {"llr": BigramAssocMeasures.likelihood_ratio, "pmi": BigramAssocMeasures.pmi,
                "t": BigramAssocMeasures.student_t, "dice": BigramAssocMeasures.dice}
    right = collocations(frame, "South China Sea", window=1, side="right", min_count=1, stop_words=None)
    assert set(right["collocate"]) == {"issue", "is", "the"}        # punctuation is no token: ". The" follows
    left = collocations(frame, "South China Sea", window=1, side="left", min_count=1, stop_words=None)
    for table, pair in ((right, lambda c: ("South China Sea", c)), (left, lambda c: (c, "South China Sea"))):
        for _, row in table.iterrows():
            for name, fn in measures.items():
                assert row[name] == pytest.approx(finder.score_ngram(fn, *pair(row["collocate"])), rel=1e-9), name


def test_collocation_window_counts_by_hand():
    frame = pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["a b X c d", "X a e"]})
    table = collocations(frame, "x", window=2, min_count=1, stop_words=None, phrases=None).set_index("collocate")
    assert table.loc["a", ["n", "n_left", "n_right"]].tolist() == [2, 1, 1]
    assert table.loc["b", ["n", "n_left", "n_right"]].tolist() == [1, 1, 0]
    assert table.loc["e", ["n", "n_left", "n_right"]].tolist() == [1, 0, 1]
    assert "d1" not in table.index and table["n_node"].iloc[0] == 2 * 2 * 2          # 2 nodes x 4 slots
    row = table.loc["a"]                                                              # N = 8 tokens, f(a) = 2
    assert row["pmi"] == pytest.approx(math.log2(2 * 8 / (8 * 2)))
    assert row["dice"] == pytest.approx(2 * 2 / (8 + 2))
    # windows do not cross rows: "d" (end of d1) is not a left neighbour of the X in d2
    assert table.loc["d", "n_left"] == 0


def test_collocations_drop_stop_words_and_plot():
    frame = pd.DataFrame({"doc_id": ["d"], "text": [TEXT]})
    table = collocations(frame, "South China Sea", window=3, min_count=1)
    assert "the" not in set(table["collocate"]) and "issue" in set(table["collocate"])
    ax = plot_collocations(table, measure="llr", n=3)
    assert sorted(round(p.get_width(), 9) for p in ax.patches) == sorted(round(v, 9) for v in table["llr"].nlargest(3))


# ----------------------------------------------------------------------------------------- kwic
def test_kwic_finds_every_variant_with_context():
    table = kwic(TURNS, "mil-to-mil relations", window=2)
    assert table["match"].tolist() == ["Mil-to-mil ties", "Mil-to-mil relations", "Military-to-military relations",
                                       "mil-to-mil relationship"]
    assert table["variant"].tolist() == ["mil-to-mil ties", "mil-to-mil relations", "military-to-military relations",
                                         "mil-to-mil relationship"]
    assert set(table["term"]) == {"mil-to-mil relations"}
    first = table.iloc[0]
    assert (first["left"], first["right"]) == ("", "with the")
    assert table.iloc[3]["left"] == "and the" and table.iloc[3]["right"] == "grow"
    assert {"doc_id", "turn_id", "date", "speaker", "role", "spokesperson"} <= set(table.columns)
    assert "text" not in table.columns
    for _, row in table.iterrows():
        text = TURNS.set_index(["doc_id", "turn_id"]).loc[(row["doc_id"], row["turn_id"]), "text"]
        assert text[row["start"]:row["start"] + len(row["match"])] == row["match"]


def test_kwic_regex_and_sorting():
    table = kwic(TURNS, "re:hegemon\\w*", window=1)
    assert table["match"].tolist() == ["hegemony", "hegemonism"]
    assert table["left"].tolist() == ["and", "about"] and table["right"].tolist() == ["is", ""]
    by_left = kwic(TURNS, "re:hegemon\\w*", window=1, sort="left")
    assert by_left["left"].tolist() == ["about", "and"]


# ----------------------------------------------------------------------------------------- dispersion
def test_dispersion_by_hand():
    # part sizes 10, 10, 20 tokens; the term occurs 2, 0, 2 times
    docs = pd.DataFrame({"doc_id": ["p1", "p2", "p3"],
                         "text": ["x " * 2 + "w " * 8, "w " * 10, "x " * 2 + "w " * 18]})
    row = dispersion(docs, "x").iloc[0]
    assert (row["n"], row["n_parts"], row["n_parts_with"]) == (4, 3, 2)
    # DP = 0.5 * (|.5-.25| + |0-.25| + |.5-.5|) = 0.25; DP_norm = 0.25 / (1 - 0.25)
    assert row["dp"] == pytest.approx(0.25)
    assert row["dp_norm"] == pytest.approx(1 / 3)
    # relative frequencies .2, 0, .1: mean .1, population SD sqrt(.02/3); D = 1 - V/sqrt(2)
    assert row["juilland_d"] == pytest.approx(1 - (math.sqrt(0.02 / 3) / 0.1) / math.sqrt(2))


def test_dispersion_on_gries_2008_example_corpus():
    # Gries (2008, Int. J. Corpus Linguistics 13(4)) five-part toy corpus: DP(a) = 0.18 as published
    parts = ["b a m n i b e u p", "b a s a t b e w q n", "b c a g a b e s t a", "b a g h a b e a a t",
             "b a h a a b e a x a t"]
    frame = pd.DataFrame({"doc_id": [f"part{i}" for i in range(5)], "text": parts})
    table = dispersion(frame, ["a", "b"], phrases=None).set_index("term")
    assert table.loc["a", "n"] == 15 and table.loc["b", "n"] == 10
    assert table.loc["a", "dp"] == pytest.approx(0.18)
    # b: twice in every part, parts of 9..11 words: DP = 0.5 * (|.2-.18| + |.2-.22|) = 0.02
    assert table.loc["b", "dp"] == pytest.approx(0.02)
    assert table.loc["a", "dp_norm"] == pytest.approx(0.18 / (1 - 0.18))


def test_dispersion_extremes_and_plot():
    assert dispersion_scores([5, 5, 5], [100, 100, 100])[:2] == pytest.approx((1.0, 0.0))
    d, dp, dp_norm = dispersion_scores([9, 0, 0], [100, 100, 100])
    assert d == pytest.approx(0.0) and dp == pytest.approx(2 / 3) and dp_norm == pytest.approx(1.0)
    table = pd.DataFrame({"term": ["a", "b"], "n": [10, 100], "dp": [0.2, 0.7]})
    ax = plot_dispersion(table)
    assert ax.collections[0].get_offsets().tolist() == [[10, 0.2], [100, 0.7]]


# ----------------------------------------------------------------------------------------- trends
def _trend_corpus():
    rng = np.random.default_rng(7)
    rows = []
    for i in range(60):
        year = 2016 + i % 5
        size = int(rng.integers(80, 160))
        rising = rng.poisson(size * 0.002 * 1.8 ** (year - 2016))
        flat = rng.poisson(size * 0.02)
        words = ["rising"] * rising + ["flat"] * flat
        words += ["filler"] * (size - len(words))
        rows.append((f"d{i}", pd.Timestamp(f"{year}-06-01"), " ".join(rng.permutation(words))))
    return pd.DataFrame(rows, columns=["doc_id", "date", "text"])


def test_trending_terms_slope_equals_poisson_regression_with_offset():
    from sklearn.linear_model import PoissonRegressor

    corpus = _trend_corpus()
    table = trending_terms(corpus, by="year", min_count=5, stop_words=None).set_index("term")
    tm = count_terms(corpus, stop_words=None)
    years = (tm.rows["date"].dt.year - 2016).to_numpy().reshape(-1, 1).astype(float)
    sizes = tm.rows["n_tokens"].to_numpy().astype(float)
    for term in ["rising", "flat"]:
        counts = tm.matrix[:, tm.vocabulary[term]].toarray().ravel()
        reference = PoissonRegressor(alpha=0, tol=1e-10, max_iter=1000).fit(years, counts / sizes,
                                                                          sample_weight=sizes)
        assert table.loc[term, "slope"] == pytest.approx(reference.coef_[0], abs=1e-5)
    assert table.loc["rising", "p_value"] < 1e-6 and table.loc["rising", "direction"] == "rising"
    assert table.loc["flat", "p_value"] > 0.01
    assert table.index[0] == "rising"


def test_trending_terms_needs_two_periods():
    corpus = _trend_corpus().assign(date=pd.Timestamp("2020-01-01"))
    with pytest.raises(ToolkitError, match=r"trending_terms\(\).*two year"):
        trending_terms(corpus, by="year", min_count=1)


# ----------------------------------------------------------------------------------------- MFA corpus
@pytest.fixture(scope="module")
def mfa(mfa_en_path):
    briefings = toolkit.load_briefings(mfa_en_path)
    turns = toolkit.split_turns(briefings)
    return briefings, count_terms(turns, unit="turn", stop_words=None)


def test_mfa_periods_have_no_off_by_one_and_no_lost_zero_row(mfa):
    _, tm = mfa
    dated = tm.rows["date"].notna().to_numpy()
    for term in ["COVID-19", "mil-to-mil relations", "zzzunseenword"]:
        monthly = term_frequency(tm, term, by="month")
        assert len(monthly) == 27                                              # 2018-05 .. 2020-07
        assert str(monthly["period"].iloc[0]) == "2018-05" and str(monthly["period"].iloc[-1]) == "2020-07"
        assert monthly["period"].is_unique
        counts = toolkit.terms.term_counts(tm, term)
        assert monthly["n"].sum() == counts[dated].sum()
        assert monthly["n_words"].sum() == tm.rows["n_tokens"][dated].sum()
        assert len(term_frequency(tm, term, by="quarter")) == 10                # 2018Q2 .. 2020Q3
        assert len(term_frequency(tm, term, by="year")) == 3
    covid = term_frequency(tm, "COVID-19", by="month").set_index(term_frequency(tm, "COVID-19", by="month")["period"]
                                                                   .astype(str))
    assert covid.loc[:"2019-12", "n"].sum() == 0 and covid.loc["2020-02", "n"] > 0     # the name is from Feb 2020
    # the spokesperson-only words are a strict subset of all words in every period
    spokes = term_frequency(tm, "US", by="month", speaker="spokesperson")
    every = term_frequency(tm, "US", by="month")
    assert (spokes["n_words"] < every["n_words"]).all() and (spokes["n"] <= every["n"]).all()


def test_mfa_keyness_2020_against_2018_2019(mfa):
    briefings, _ = mfa
    table = keyness(briefings, target="2020", reference="2018-2019")
    top = set(table["term"].head(20))
    assert {"COVID-19", "epidemic", "pandemic"} <= top
    assert (table["p_adjusted"] >= table["p_value"]).all()


# ----------------------------------------------------------------------------------------- more checks
def test_plot_trending_terms_bars_are_the_slopes():
    table = trending_terms(_trend_corpus(), by="year", min_count=5, stop_words=None)
    ax = toolkit.plot_trending_terms(table, n=1)
    widths = sorted(round(p.get_width(), 9) for p in ax.patches if p.get_width() != 0)
    assert widths == sorted(round(v, 9) for v in [table["slope"].max(), table["slope"].min()])


def test_results_carry_provenance(tm):
    table = term_frequency(tm, "hegemony", by="month")
    record = table.attrs["provenance"]
    assert record["corpus_hash"] == toolkit.corpus_hash(TURNS)
    assert record["function"] == "term_frequency" and record["options"]["by"] == "month"
    other = count_terms(TURNS, unit="turn", phrases=["stable and"])
    assert other.provenance["parameters"]["phrases"] != tm.provenance["parameters"]["phrases"]


def test_chinese_variant_queries_and_kwic():
    frame = pd.DataFrame({"doc_id": ["z1", "z2"], "date": pd.to_datetime(["2020-01-01", "2020-02-01"]),
                          "text": ["台海局势稳定，两岸关系发展。", "台湾海峡和平。台海不是内海。"]})
    table = term_frequency(frame, "台海", by="month", unit="doc")
    assert set(table["term"]) == {"台海"} and table["n"].tolist() == [1, 2]        # 台海 = 台湾海峡
    found = kwic(frame, "台湾海峡", window=2)
    assert found["match"].tolist() == ["台海", "台湾海峡", "台海"]
    assert found["variant"].tolist() == ["台海", "台湾海峡", "台海"]
    assert set(found["term"]) == {"台湾海峡"}


def test_empty_inputs_fail_clearly(tm):
    with pytest.raises(ToolkitError, match=r"term_frequency\(\).*non-empty"):
        term_frequency(tm, [])
    with pytest.raises(ToolkitError, match=r"count_terms\(\).*no term left"):
        count_terms(pd.DataFrame({"doc_id": ["a"], "text": ["the and of"]}))


def test_bootstrap_interval_resamples_briefings(tm):
    table = term_frequency(tm, "mil-to-mil relations", by="month", ci="bootstrap", n_boot=400, random_state=3)
    again = term_frequency(tm, "mil-to-mil relations", by="month", ci="bootstrap", n_boot=400, random_state=3)
    pd.testing.assert_frame_equal(table, again)                        # same seed, same interval
    # one briefing per month here: resampling one cluster cannot move the rate, the interval collapses
    assert table["ci_low"].iloc[0] == pytest.approx(table["rate"].iloc[0])
    assert table["ci_high"].iloc[0] == pytest.approx(table["rate"].iloc[0])
    # March has two briefings: b2 (2 hits in 8 tokens) and b3 (0 in 4); the replicates range from 0 to 2/8
    march = table.iloc[2]
    assert march["ci_low"] == pytest.approx(0.0) and march["ci_high"] == pytest.approx(2 / 8 * 10_000)
    assert np.isnan(table["ci_low"].iloc[1])


def test_results_attrs_are_plain_json_and_survive_parquet(tm, tmp_path):
    frequency = term_frequency(tm, ["hegemony", re.compile(r"hegemon\w*")], by="month")
    key = keyness(tm, target=(tm.rows["role"] == "question").to_numpy(), reference={"role": ["answer", "statement"]},
                  min_count=1)
    for name, table in (("term_frequency", frequency), ("keyness", key)):
        record = json.loads(json.dumps(table.attrs))["provenance"]
        assert record["function"] == name and record["corpus_hash"] == toolkit.corpus_hash(TURNS)
        table.to_parquet(tmp_path / f"{name}.parquet")
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        assert len(back) == len(table) and back.attrs["provenance"]["function"] == name
    assert key.attrs["provenance"]["options"]["target"] == "mask of 2 rows"


def test_seeds_are_never_hidden():
    for name in toolkit.terms.__all__:
        function = getattr(toolkit.terms, name)
        if callable(function) and "random_state" in inspect.signature(function).parameters:
            assert inspect.signature(function).parameters["random_state"].default is None, name
