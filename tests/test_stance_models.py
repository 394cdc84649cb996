"""Tests for toolkit.stance baselines, LSS, supervised classifier, annotation helpers and metrics."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import toolkit
from toolkit import ToolkitError
from toolkit.stance import (
    evaluate,
    fit_polarity,
    fit_stance_classifier,
    keyword_lexicon,
    read_annotations,
    read_referenced_annotations,
    sample_for_annotation,
    score_keywords,
    score_vader,
)


def sentences(*texts, roles=None):
    n = len(texts)
    return pd.DataFrame({"doc_id": [f"d{i // 2}" for i in range(n)], "turn_id": 0, "sent_id": range(n),
                         "role": roles or ["answer"] * n, "text": list(texts)})


def test_vader_equals_the_package_compound_and_is_target_shaped():
    texts = ["We strongly condemn the terrible attack by the US.", "Japan is a wonderful friend.",
             "美方的做法是错误的。"]
    out = score_vader(sentences(*texts))
    analyzer = SentimentIntensityAnalyzer()
    assert out["target"].tolist() == ["United States", "Japan", "United States"]
    assert out["score"].iloc[0] == analyzer.polarity_scores(texts[0])["compound"]
    assert out["score"].iloc[1] == analyzer.polarity_scores(texts[1])["compound"]
    assert out["score"].iloc[2] == 0.0  # VADER has no Chinese lexicon
    assert list(out.columns[:9]) == ["doc_id", "turn_id", "sent_id", "target", "score", "n_hostile",
                                     "n_critical", "n_cooperative", "cues"]


def test_keyword_baseline_counts_cues_without_weights_or_modifiers():
    table = keyword_lexicon()
    assert set(table["weight"]) <= {-1.0, 0.0, 1.0}
    assert not table["category"].isin(["intensifier", "negator"]).any()
    out = score_keywords(sentences("China firmly opposes the so-called act of the US."))
    assert out["score"].iloc[0] == pytest.approx(-2 / 4)  # two cues, unweighted; "firmly" ignored


def planted_corpus(n: int = 60) -> pd.DataFrame:
    """Words that co-occur with positive seeds (warm, handshake) and with negative seeds (icy, slap)."""
    rng = np.random.default_rng(0)
    positive = ["friendly cooperation warm handshake", "friendship trust warm handshake partnership"]
    negative = ["oppose protest icy slap", "smear provocation icy slap hegemonism"]
    filler = ["meeting", "today", "ministers", "press", "statement"]
    texts = []
    for i in range(n):
        base = positive[i % 2] if i % 4 < 2 else negative[i % 2]
        texts.append(base + " " + " ".join(rng.choice(filler, size=3)))
    return pd.DataFrame({"text": texts})


def test_fit_polarity_recovers_planted_polarity_and_is_reproducible():
    corpus = planted_corpus()
    model = fit_polarity(corpus, n_components=5, min_df=2, random_state=0)
    polarity = model.polarity_.set_index("term")["polarity"]
    assert polarity["warm"] > 0 > polarity["icy"]
    assert polarity["handshake"] > polarity["meeting"] > polarity["slap"]
    again = fit_polarity(corpus, n_components=5, min_df=2, random_state=0)
    pd.testing.assert_frame_equal(model.polarity_, again.polarity_)
    scored = model.score(sentences("A warm handshake with Japan.", "An icy slap from the US."))
    assert scored.set_index("target").loc["Japan", "score"] > 0 > scored.set_index("target").loc["United States",
                                                                                                  "score"]
    assert "warm" in scored["cues"].iloc[0]


def test_fit_polarity_errors_name_the_problem():
    with pytest.raises(ToolkitError, match="seeds"):
        fit_polarity(planted_corpus(), seeds={"warm": 1}, n_components=3, min_df=2)
    with pytest.raises(ToolkitError, match="min_df"):
        fit_polarity(pd.DataFrame({"text": ["a b", "c d"]}), min_df=5)


def labelled_set() -> pd.DataFrame:
    hostile = ["We firmly oppose the provocation by {t}.", "{t} must stop its smear campaign.",
               "The so-called report by {t} is groundless."]
    neutral = ["{t} held a meeting today.", "The delegation from {t} arrived.", "I refer you to {t} authorities."]
    warm = ["{t} is our friendly partner.", "We value mutual trust and cooperation with {t}.",
            "Our friendship with {t} is ironclad."]
    rows = []
    for t in ["Japan", "India", "the US", "Russia"]:
        rows += [(s.format(t=t), -2) for s in hostile] + [(s.format(t=t), 0) for s in neutral]
        rows += [(s.format(t=t), 2) for s in warm]
    return pd.DataFrame(rows, columns=["text", "label"])


def test_supervised_classifier_cross_validates_and_scores():
    model = fit_stance_classifier(labelled_set(), folds=4, random_state=0)
    assert model.metrics_["n"] == 36 and model.metrics_["folds"] == 4
    assert model.metrics_["spearman"] > 0.6 and model.metrics_["macro_f1"] > 0.6
    assert model.cv_predictions_["score"].between(-1, 1).all()
    out = model.score(sentences("We firmly oppose the smear by Canada.", "Canada is our friendly partner."))
    assert out["score"].iloc[0] < out["score"].iloc[1]
    with pytest.raises(ToolkitError, match="at least folds"):
        fit_stance_classifier(labelled_set().head(12), folds=5)


def test_annotation_round_trip_and_errors(tmp_path):
    scores = toolkit.score_stance(sentences("We oppose the US move.", "Japan is a friend.", "India met Russia."))
    path = tmp_path / "to_label.csv"
    sample = sample_for_annotation(scores, per_target=1, path=path, random_state=0)
    assert list(sample.columns[:7]) == ["doc_id", "turn_id", "sent_id", "target", "text", "label", "note"]
    assert sorted(sample["target"]) == ["India", "Japan", "Russia", "United States"]
    with pytest.raises(ToolkitError, match="line"):
        read_annotations(path)  # labels still empty
    filled = pd.read_csv(path).assign(label=[-1, 1, 0, 0])
    filled.to_csv(path, index=False)
    back = read_annotations(path)
    assert back["label"].tolist() == [-1, 1, 0, 0] and back["label"].dtype.kind == "i"
    filled.assign(label=[-1, 3, 0, 0]).to_csv(path, index=False)
    with pytest.raises(ToolkitError, match=r"\(3, '3'\)"):  # CSV line 3 holds the bad value
        read_annotations(path)
    with pytest.raises(ToolkitError, match="does not exist"):
        read_annotations(tmp_path / "nothing.csv")


def test_referenced_annotations_slice_the_corpus(tmp_path):
    corpus = tmp_path / "c.jsonl"
    text = "Opening.\nA: We firmly oppose the US move. Japan is a friend."
    corpus.write_text(json.dumps({"source_url": "u1", "date": "2020-01-02", "text": text}) + "\n", encoding="utf-8")
    start = text.index("Japan")
    refs = tmp_path / "refs.csv"
    pd.DataFrame({"source_url": ["u1"], "offset": [start], "length": [18], "target": ["Japan"],
                  "label": [1]}).to_csv(refs, index=False)
    out = read_referenced_annotations(refs, sources=[corpus])
    assert out["text"].iloc[0] == "Japan is a friend." and out["date"].iloc[0] == pd.Timestamp("2020-01-02")
    pd.DataFrame({"source_url": ["u1"], "offset": [len(text) - 3], "length": [18], "target": ["Japan"],
                  "label": [1]}).to_csv(refs, index=False)
    with pytest.raises(ToolkitError, match="CSV line 2"):
        read_referenced_annotations(refs, sources=[corpus])


def test_evaluate_hand_computed():
    scored = pd.DataFrame({"label": [-2, -1, 0, 1, 2], "score": [-0.9, -0.1, 0.0, 0.3, 0.8]})
    result = evaluate(scored, neutral_band=0.2)
    assert result["spearman"] == pytest.approx(1.0)
    # predicted classes -1, 0, 0, 1, 1 vs true -1, -1, 0, 1, 1: F1 = 2/3, 2/3, 1
    assert result["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert result["n"] == 5


def test_lss_on_real_corpus_gives_hostile_words_negative_polarity(mfa_en_path):
    sentences_en = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(mfa_en_path)))
    spoken = sentences_en[sentences_en["role"] != "question"].sample(8000, random_state=0)
    model = fit_polarity(spoken, n_components=100, random_state=0)
    polarity = model.polarity_.set_index("term")["polarity"]
    # not seeds: words of rebuttal vs. words of partnership in this genre
    rebuttal = polarity.reindex(["lies", "accusations", "bullying", "pretext", "slander"]).dropna()
    partnership = polarity.reindex(["mutually", "beneficial", "deepen", "exchanges", "friends"]).dropna()
    assert len(rebuttal) >= 3 and len(partnership) >= 3
    assert rebuttal.mean() < 0 < partnership.mean()


def test_fit_polarity_adds_chinese_seeds_even_after_many_english_rows():
    english = pd.concat([planted_corpus()] * 100, ignore_index=True)  # 6,000 English rows first
    chinese = pd.DataFrame({"text": ["双方友好合作，互信共赢。", "我们坚决反对挑衅和抹黑。"] * 10})
    model = fit_polarity(pd.concat([english, chinese], ignore_index=True), n_components=5, min_df=2,
                         random_state=0)
    assert {"互信", "共赢", "反对", "挑衅", "friendly", "oppose"} <= set(model.seeds_)  # jieba: 友好合作 is one word


def test_every_random_state_defaults_to_none_and_a_seed_repeats_results():
    import inspect

    for function in (toolkit.validate, toolkit.fit_polarity, toolkit.fit_stance_classifier,
                     toolkit.sample_for_annotation, toolkit.stance_over_time, toolkit.stance_by_spokesperson):
        assert inspect.signature(function).parameters["random_state"].default is None, function.__name__
    labelled = labelled_set().assign(target="Japan")
    first = toolkit.validate(labelled, methods=("supervised",), random_state=3)
    pd.testing.assert_frame_equal(first, toolkit.validate(labelled, methods=("supervised",), random_state=3))
    scores = toolkit.score_stance(sentences("We oppose the US move.", "Japan is a friend.", "India met Russia."))
    pd.testing.assert_frame_equal(sample_for_annotation(scores, n=2, random_state=5),
                                  sample_for_annotation(scores, n=2, random_state=5))


def test_baseline_and_model_outputs_carry_plain_provenance(tmp_path):
    targets = pd.DataFrame({"target": ["Japan"], "alias": ["Japan"], "language": ["en"]})
    lexicon = keyword_lexicon()
    table = sentences("Japan is a wonderful friend.", "We firmly oppose Japan.")
    model = fit_polarity(planted_corpus(), n_components=5, min_df=2, random_state=0)
    for out in (score_vader(table, targets=targets), score_keywords(table, lexicon=lexicon),
                model.score(table, targets=targets)):
        assert set(out.attrs) == {"provenance"}
        json.dumps(out.attrs)
        out.to_parquet(tmp_path / "x.parquet")
    parameters = score_vader(table, targets=targets).attrs["provenance"]["parameters"]
    assert parameters["targets"].startswith("DataFrame[1 rows") and parameters["method"] == "vader"


def test_chinese_lss_terms_come_from_the_project_tokenizer():
    from toolkit.stance.models import content_tokens
    from toolkit.text import jieba_tokenizer

    assert content_tokens("美方的挑衅行为") == [w for w in jieba_tokenizer().lcut("美方的挑衅行为") if len(w) > 1]
    assert content_tokens("China's win-win cooperation in 2020, COVID-19") == ["china", "win-win", "cooperation",
                                                                              "covid-19"]
