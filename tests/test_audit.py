"""Phrase audit: hand-computed variant counts, collocates and near-target shares on four tiny turns; a seeded
line sample; the MFA English corpus checked against toolkit.kwic and toolkit.collocations."""
from __future__ import annotations

import json

import pandas as pd
import pytest

import toolkit
from toolkit import ToolkitError
from toolkit.terms import (
    PhraseAudit,
    collocations,
    count_terms,
    kwic,
    load_phrases,
    phrase_audit,
    suggest_phrases,
)

# four turns of three briefings; tokens (phrases merged, punctuation dropped) written next to each
TURNS = pd.DataFrame({
    "doc_id": ["d1", "d1", "d2", "d3"],
    "turn_id": [0, 1, 0, 0],
    "text": [
        "The US side must stop military ties with Taiwan.",      # the us side must stop [military ties] with taiwan: 8
        "China and the US value mil-to-mil relations.",          # china and the us value [mil-to-mil relations]: 6
        "Military ties with Taiwan hurt mil-to-mil relations.",  # [military ties] with taiwan hurt [m-t-m r]: 5
        "Japan and the US announced military ties.",             # japan and the us announced [military ties]: 6
    ],
})
N_TOKENS = 25
PHRASES = pd.DataFrame({"canonical": "mil-to-mil relations",
                        "variant": ["mil-to-mil relations", "military ties", "military relations"]})
TARGETS = pd.DataFrame({"target": ["United States", "Taiwan", "Japan"], "alias": ["US", "Taiwan", "Japan"],
                        "language": "en"})


def _audit(phrase="mil-to-mil relations", **options) -> PhraseAudit:
    options = {"window": 2, "min_count": 1, "stop_words": None, "targets": TARGETS, "phrases": PHRASES,
               "random_state": 0, **options}
    return phrase_audit(TURNS, phrase, **options)


@pytest.fixture(scope="module")
def audit() -> PhraseAudit:
    return _audit()


# ----------------------------------------------------------------------------------------- variants
def test_variant_counts_and_documents_by_hand(audit):
    table = audit.variants
    assert list(table.columns) == ["term", "variant", "listed", "n", "n_docs", "share"]
    assert audit.terms == ["mil-to-mil relations"] and set(table["term"]) == {"mil-to-mil relations"}
    assert table["variant"].tolist() == ["mil-to-mil relations", "military ties", "military relations"]
    assert table["n"].tolist() == [2, 3, 0]              # turns 2 and 3 / turns 1, 3 and 4 / none
    assert table["n_docs"].tolist() == [2, 3, 0]         # d1, d2 / d1, d2, d3
    assert table["share"].tolist() == pytest.approx([2 / 5, 3 / 5, 0])
    assert table["listed"].all()


def test_a_variant_names_its_whole_phrase(audit):
    by_variant = _audit("military ties")
    pd.testing.assert_frame_equal(by_variant.variants, audit.variants)


def test_an_unlisted_word_sequence_is_its_own_variant():
    table = _audit("the US").variants
    assert table[["term", "variant", "listed", "n", "n_docs"]].values.tolist() == [["the us", "the us", False, 3, 2]]
    assert table["share"].tolist() == [1.0]


def test_counts_equal_kwic_lines(audit):
    lines = kwic(TURNS, "mil-to-mil relations", phrases=PHRASES)
    assert audit.variants.set_index("variant")["n"].drop("military relations").to_dict() == \
        lines["variant"].value_counts().to_dict()


# ----------------------------------------------------------------------------------------- collocates
def test_collocate_log_likelihood_by_hand_and_nltk(audit):
    from nltk.collocations import BigramAssocMeasures

    table = audit.collocates
    assert list(table.columns) == ["term", "variant", "collocate", "n", "n_left", "n_right", "n_node", "n_collocate",
                                   "expected", "llr", "pmi", "t", "dice"]
    row = table.set_index(["variant", "collocate"]).loc[("military ties", "taiwan")]
    # windows of 2: "must stop | with taiwan", "| with taiwan", "us announced |": taiwan twice, on the right
    assert row[["n", "n_left", "n_right", "n_node", "n_collocate"]].tolist() == [2, 0, 2, 3 * 2 * 2, 2]
    assert row["llr"] == pytest.approx(BigramAssocMeasures.likelihood_ratio(2, (12, 2), N_TOKENS), rel=1e-9)
    # the same numbers as toolkit.collocations with "military ties" listed as a term of its own
    apart = {"mil-to-mil relations": "mil-to-mil relations", "military ties": "military ties"}
    alone = collocations(TURNS, "military ties", window=2, min_count=1, stop_words=None, phrases=apart)
    pd.testing.assert_frame_equal(
        table[table["variant"] == "military ties"].drop(columns=["term", "variant"]).reset_index(drop=True),
        alone.drop(columns="node"), check_dtype=False)


def test_collocates_are_the_top_n_per_variant_by_llr():
    table = _audit(n_collocates=2).collocates
    assert table.groupby("variant").size().to_dict() == {"mil-to-mil relations": 2, "military ties": 2}
    assert (table.groupby("variant")["llr"].diff().dropna() <= 0).all()


# ----------------------------------------------------------------------------------------- near targets
def test_near_target_shares_by_hand(audit):
    table = audit.targets
    assert list(table.columns) == ["term", "variant", "target", "n_hits", "n_near", "share"]
    assert len(table) == 3 * 3                                     # every variant x every target
    shares = table.set_index(["variant", "target"])
    # military ties, 2 tokens each side: "must stop | with Taiwan", "| with Taiwan", "US announced |"
    assert shares.loc["military ties", "n_near"].to_dict() == {"United States": 1, "Taiwan": 2, "Japan": 0}
    assert shares.loc["military ties", "share"].to_dict() == pytest.approx(
        {"United States": 1 / 3, "Taiwan": 2 / 3, "Japan": 0})
    # mil-to-mil relations: "US value |", "Taiwan hurt |"
    assert shares.loc["mil-to-mil relations", "share"].to_dict() == pytest.approx(
        {"United States": 0.5, "Taiwan": 0.5, "Japan": 0})
    assert shares.loc["military relations", "n_hits"].eq(0).all() and shares.loc["military relations", "share"].isna().all()


def test_near_means_within_the_window():
    wide = _audit(window=5).targets.set_index(["variant", "target"])
    assert wide.loc[("military ties", "Japan"), "n_near"] == 1        # "Japan and the US announced |"


def test_the_packaged_gazetteer_by_default():
    table = _audit(targets=None).targets
    assert set(table["target"]) == set(toolkit.load_targets()["target"]) - {""}
    near_us = table.set_index(["variant", "target"]).loc[("military ties", "United States"), "n_near"]
    assert near_us == 1


# ----------------------------------------------------------------------------------------- lines
def test_line_sample_columns_and_all_lines_when_few(audit):
    lines = audit.lines
    assert list(lines.columns) == ["doc_id", "turn_id", "left", "match", "right", "term", "variant", "start",
                                   "near_targets"]
    assert lines["match"].tolist() == ["mil-to-mil relations", "mil-to-mil relations", "military ties",
                                       "Military ties", "military ties"]
    assert lines["near_targets"].tolist() == ["United States", "Taiwan", "Taiwan", "Taiwan", "United States"]
    assert (lines["left"].tolist(), lines["right"].tolist()) == (
        ["US value", "Taiwan hurt", "must stop", "", "US announced"],
        ["", "", "with Taiwan", "with Taiwan", ""])


def test_line_sample_is_seeded():
    def starts(seed):
        lines = _audit(n_lines=1, random_state=seed).lines
        return tuple(zip(lines["doc_id"], lines["start"]))

    assert starts(7) == starts(7)
    assert len(_audit(n_lines=1, random_state=7).lines) == 2        # one line per variant with hits
    assert len({starts(seed) for seed in range(12)}) > 1


# ----------------------------------------------------------------------------------------- tables and errors
def test_tables_are_plain(audit, tmp_path):
    for name in ("variants", "collocates", "targets", "lines"):
        table = getattr(audit, name)
        record = json.loads(json.dumps(table.attrs))["provenance"]
        assert record["function"] == "phrase_audit" and record["corpus_hash"] == toolkit.corpus_hash(TURNS)
        assert record["parameters"]["random_state"] == 0
        table.to_parquet(tmp_path / f"{name}.parquet")


def test_no_hits_gives_zero_rows_and_empty_tables():
    result = _audit("Cold War mentality")
    assert result.variants[["n", "n_docs"]].values.tolist() == [[0, 0]]
    assert result.collocates.empty and result.lines.empty and result.targets["n_near"].eq(0).all()


def test_several_phrases_and_suggestions_in_one_audit():
    candidates = suggest_phrases(TURNS, min_count=2, stop_words=[], phrases=PHRASES)["phrase"]
    assert "the us" in set(candidates)
    result = phrase_audit(TURNS, candidates, stop_words=None, phrases=PHRASES, random_state=0)
    assert result.terms == list(candidates)
    assert set(result.variants["variant"]) == set(candidates) and not result.variants["listed"].any()


def test_briefings_need_turns_unless_unit_doc():
    briefings = TURNS.drop(columns="turn_id")
    with pytest.raises(ToolkitError, match=r"phrase_audit\(\).*split_turns"):
        phrase_audit(briefings, "military ties", phrases=PHRASES)
    assert phrase_audit(briefings, "military ties", phrases=PHRASES, unit="doc").variants["n"].sum() == 5


@pytest.mark.parametrize("bad, match", [
    ({"phrase": "re:hegemon.*"}, "regular expressions"),
    ({"phrase": []}, "non-empty"),
    ({"window": 0}, "window"),
    ({"n_lines": -1}, "n_lines"),
    ({"unit": "paragraph"}, "unit"),
])
def test_bad_arguments_name_the_fix(bad, match):
    options = {"phrase": "military ties", **bad}
    with pytest.raises(ToolkitError, match=match):
        phrase_audit(TURNS, options.pop("phrase"), phrases=PHRASES, **options)


def test_a_term_matrix_is_refused_with_the_table_to_pass():
    with pytest.raises(ToolkitError, match="keeps no running text"):
        phrase_audit(count_terms(TURNS, unit="turn", phrases=PHRASES), "military ties")


# ----------------------------------------------------------------------------------------- MFA English
@pytest.fixture(scope="module")
def mfa_turns(mfa_en_path):
    return toolkit.split_turns(toolkit.load_briefings(mfa_en_path))


def test_mfa_audit_agrees_with_kwic_and_collocations(mfa_turns):
    phrases = ["South China Sea", "mil-to-mil relations"]
    result = phrase_audit(mfa_turns, phrases, n_lines=3, random_state=0)
    listed = load_phrases()
    for phrase in phrases:
        variants = result.variants[result.variants["term"] == phrase].set_index("variant")
        assert variants.index.tolist() == listed.loc[listed["canonical"] == phrase, "variant"].drop_duplicates().tolist()
        lines = kwic(mfa_turns, phrase)
        assert variants["n"].sum() == len(lines) > 0
        assert variants["n"][variants["n"] > 0].to_dict() == lines["variant"].value_counts().to_dict()
        assert variants["n_docs"][variants["n"] > 0].to_dict() == lines.groupby("variant")["doc_id"].nunique().to_dict()
    found = result.variants[result.variants["n"] > 0].set_index("variant")["n"]
    nodes = result.collocates.groupby("variant")["n_node"].first()
    assert (nodes == found[nodes.index] * 2 * 5).all()                     # each variant is its own node
    sample = result.lines.groupby("variant").size()
    assert (sample == found.clip(upper=3)[sample.index]).all() and set(sample.index) == set(found.index)
    shares = result.targets["share"].dropna()
    assert shares.between(0, 1).all() and (result.targets["n_hits"] == result.targets["variant"].map(
        result.variants.set_index("variant")["n"])).all()
