"""Tokens, phrases, stop words and the document-term matrix: hand-counted tiny texts, the seed, the MFA corpus."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit
from toolkit import ToolkitError, count_terms, suggest_phrases, tokenize
from toolkit.terms import TermAnalyzer, load_phrases

DOCS = pd.DataFrame({
    "doc_id": ["d1", "d2", "d3"],
    "date": pd.to_datetime(["2020-01-15", "2020-03-10", "2020-03-20"]),
    "spokesperson": ["Wu Qian", "Ren Guoqiang", "Wu Qian"],
    "text": [
        "Mil-to-mil relations are stable. The US and China discussed the South China Sea.",
        "Military-to-military ties matter. The South-China-Sea issue, and mil to mil relationship.",
        "Let us talk about peace. The US side said that the PLA Navy and the PLA train.",
    ],
})


def terms_of(text, **options):
    return TermAnalyzer(stop_words=None, **options).tokens(text)


# ----------------------------------------------------------------------------------------- phrases
def test_phrase_variants_are_case_and_hyphen_tolerant():
    text = "Mil-to-mil relations; mil to mil relationship; MILITARY-TO-MILITARY TIES; military-to-military relations"
    assert terms_of(text) == ["mil-to-mil relations"] * 4


def test_punctuation_breaks_a_phrase_and_partial_words_do_not_match():
    assert terms_of("Taiwan. Question") == ["taiwan", "question"]
    assert terms_of("the Taiwan Straits-related issue") == ["the", "taiwan", "straits-related", "issue"]
    assert terms_of("the mil-to-mil exchange") == ["the", "mil-to-mil", "exchange"]


def test_longest_variant_wins_and_exact_case_acronyms():
    assert terms_of("the PLA Navy and the PLA") == ["the", "PLA Navy", "and", "the", "PLA"]
    # "US" the country (capitals only) never merges with the pronoun "us"
    assert terms_of("Let us ask the US and the U.S. and Us") == ["let", "us", "ask", "the", "US", "and", "the", "US",
                                                                 "and", "us"]
    assert terms_of("WHO said who") == ["WHO", "said", "who"]


def test_possessive_and_typographic_apostrophes():
    assert terms_of("China\u2019s People\u2019s Liberation Army and the people's liberation army") == [
        "china", "PLA", "and", "the", "PLA"]
    assert terms_of("don't") == ["don't"]


def test_phrase_with_punctuation_inside():
    assert terms_of("one country, two systems") == ["one country, two systems"]
    assert terms_of("One Country Two Systems") == ["one country, two systems"]


def test_user_phrases_as_list_dict_frame_or_none():
    text = "The joint patrol and the Joint-Patrol; mil-to-mil relations"
    assert terms_of(text, phrases=["joint patrol"]) == ["the", "joint patrol", "and", "the", "joint patrol", "mil-to-mil",
                                                        "relations"]
    assert terms_of("JP and joint patrol", phrases={"JP": "joint patrol"})[0] == "joint patrol"
    frame = pd.DataFrame({"canonical": ["joint patrol"], "variant": ["joint patrols"], "lang": ["en"]})
    assert terms_of("joint patrols, joint patrol", phrases=frame) == ["joint patrol", "joint patrol"]
    assert terms_of(text, phrases=None)[-2:] == ["mil-to-mil", "relations"]


def test_packaged_phrase_list_is_documented_and_consistent():
    table = load_phrases()
    assert set(table.columns) == {"canonical", "variant", "lang", "case", "note", "context", "not_context",
                                  "window"}
    assert set(table["lang"]) == {"en", "zh"} and set(table["case"]) <= {"any", "exact"}
    assert not table.duplicated(["canonical", "variant"]).any()
    # a variant listed under two canonicals has a sense rule on every row but its last (tests/test_senses.py)
    assert table[table["window"] == 0].groupby(["variant", "lang"])["canonical"].nunique().max() == 1
    for canonical in ["mil-to-mil relations", "Taiwan question", "One-China principle", "Cold War mentality",
                      "close-in reconnaissance", "community with a shared future", "dual-track approach",
                      "Indo-Pacific strategy", "Eastern Theater Command", "两军关系", "台湾问题", "冷战思维"]:
        assert canonical in set(table["canonical"]), canonical
    readme = (toolkit.datafiles.DATA / "README.md").read_text()
    assert "phrases.csv" in readme and "stopwords.csv" in readme


def test_bad_phrase_and_option_errors_name_the_function():
    with pytest.raises(ToolkitError, match=r"count_terms\(\).*phrases file"):
        count_terms(DOCS, phrases="/no/such/file.csv")
    with pytest.raises(ToolkitError, match=r"count_terms\(\).*lang"):
        count_terms(DOCS, lang="fr")
    with pytest.raises(ToolkitError, match=r"tokenize\(\).*stem"):
        tokenize(DOCS, stem="lancaster")
    with pytest.raises(ToolkitError, match=r"count_terms\(\).*text"):
        count_terms(DOCS.drop(columns="text"))


# ----------------------------------------------------------------------------------------- Chinese
def test_chinese_uses_jieba_with_phrases_and_auto_language():
    frame = pd.DataFrame({"doc_id": ["zh", "en"],
                          "text": ["中美两军关系保持稳定，台海局势和南海问题。冷战思维要不得。", "Cold War mentality is outdated."]})
    tokens = tokenize(frame)
    zh = tokens[tokens["doc_id"] == "zh"]["token"].tolist()
    assert {"两军关系", "台湾海峡", "南海", "冷战思维"} <= set(zh)          # 台海 -> canonical 台湾海峡
    assert tokens[tokens["doc_id"] == "en"]["token"].tolist() == ["Cold War mentality", "is", "outdated"]
    # the global jieba dictionary stays untouched (a private tokenizer holds the phrases)
    import jieba
    assert "冷战思维要不得" not in jieba.dt.FREQ


def test_chinese_stop_words():
    frame = pd.DataFrame({"doc_id": ["zh"], "text": ["我们的两军关系和台湾问题"]})
    tm = count_terms(frame)
    assert "的" not in tm.terms and "我们" not in tm.terms and "两军关系" in tm.terms


# ----------------------------------------------------------------------------------------- tokenize
def test_tokenize_rows_positions_and_stop_word_gaps():
    tokens = tokenize(DOCS.iloc[[0]])
    assert list(tokens.columns) == ["doc_id", "position", "token", "is_phrase"]
    assert tokens["token"].tolist() == ["mil-to-mil relations", "are", "stable", "the", "US", "and", "china",
                                        "discussed", "the", "South China Sea"]
    assert tokens["position"].tolist() == list(range(10))
    assert tokens["is_phrase"].tolist() == [True, False, False, False, True, False, False, False, False, True]
    kept = tokenize(DOCS.iloc[[0]], stop_words="default")
    assert kept["token"].tolist() == ["mil-to-mil relations", "stable", "US", "china", "discussed", "South China Sea"]
    assert kept["position"].tolist() == [0, 2, 4, 6, 7, 9]


def test_tokenize_keeps_turn_and_sentence_keys_and_stems_words_only():
    turns = pd.DataFrame({"doc_id": ["a", "a"], "turn_id": [0, 1], "sent_id": [0, 0],
                          "text": ["Relations are developing", "military-to-military ties developed"]})
    tokens = tokenize(turns, stem="porter")
    assert list(tokens.columns[:4]) == ["doc_id", "turn_id", "sent_id", "position"]
    assert tokens["token"].tolist() == ["relat", "are", "develop", "mil-to-mil relations", "develop"]


# ----------------------------------------------------------------------------------------- matrix
def test_count_terms_hand_counts_on_three_documents():
    tm = count_terms(DOCS)
    assert sp.isspmatrix_csr(tm.matrix) and tm.matrix.dtype.kind == "i"
    assert list(tm.rows.columns) == ["doc_id", "date", "spokesperson", "n_tokens"]
    assert tm.rows["n_tokens"].tolist() == [10, 7, 15]
    col = tm.vocabulary
    dense = tm.matrix.toarray()
    assert dense[:, col["mil-to-mil relations"]].tolist() == [1, 2, 0]
    assert dense[:, col["South China Sea"]].tolist() == [1, 1, 0]
    assert dense[:, col["US"]].tolist() == [1, 0, 0]
    assert dense[:, col["US side"]].tolist() == [0, 0, 1]
    assert dense[:, col["PLA"]].tolist() == [0, 0, 1]
    assert "the" not in col and "us" not in col            # stop words (the pronoun "us" too) left out
    assert list(tm.terms) == sorted(tm.terms)


def test_to_frame_and_vectorizer_reproduce_the_matrix():
    tm = count_terms(DOCS)
    long = tm.to_frame()
    assert list(long.columns) == ["doc_id", "term", "n"]
    assert long["n"].sum() == tm.matrix.sum()
    assert long.set_index(["doc_id", "term"]).loc[("d2", "mil-to-mil relations"), "n"] == 2
    again = tm.vectorizer.transform(DOCS["text"])
    assert (again != tm.matrix).nnz == 0
    assert list(tm.vectorizer.get_feature_names_out()) == list(tm.terms)


def test_min_df_and_max_df():
    tm = count_terms(DOCS, min_df=2)
    assert set(tm.terms) == {"mil-to-mil relations", "South China Sea"}
    tm = count_terms(DOCS, max_df=1)
    assert "mil-to-mil relations" not in tm.terms and "US" in tm.terms


def test_finer_rows_sum_to_coarser_units():
    sentences = pd.DataFrame({
        "doc_id": ["d1", "d1", "d1", "d2"], "turn_id": [0, 0, 1, 0], "sent_id": [0, 1, 0, 0],
        "role": ["statement", "statement", "answer", "answer"], "spokesperson": ["Wu", "Wu", "Wu", "Ren"],
        "text": ["Mil-to-mil relations matter.", "The South China Sea.", "Mil-to-mil ties grow.", "US side"]})
    by_turn = count_terms(sentences, unit="turn")
    assert list(by_turn.rows[["doc_id", "turn_id"]].itertuples(index=False, name=None)) == [("d1", 0), ("d1", 1),
                                                                                               ("d2", 0)]
    assert by_turn.matrix[:, by_turn.vocabulary["mil-to-mil relations"]].toarray().ravel().tolist() == [1, 1, 0]
    by_doc = count_terms(sentences, unit="doc")
    assert by_doc.matrix[:, by_doc.vocabulary["mil-to-mil relations"]].toarray().ravel().tolist() == [2, 0]
    assert by_doc.rows["n_tokens"].tolist() == [2 + 2 + 2, 1]
    assert "role" not in by_doc.rows                        # differs within d1: not a document attribute
    assert by_doc.rows["spokesperson"].tolist() == ["Wu", "Ren"]


def test_input_frame_is_not_changed():
    before = DOCS.copy()
    count_terms(DOCS)
    tokenize(DOCS)
    pd.testing.assert_frame_equal(DOCS, before)


# ----------------------------------------------------------------------------------------- suggestions
def test_suggest_phrases_ranks_repeated_pairs_and_skips_listed_phrases():
    texts = ["The joint patrol began. Freedom of speech matters.", "A joint patrol and the joint patrol again.",
             "Freedom of speech and joint patrol. Mil-to-mil relations, mil-to-mil relations."] * 3
    frame = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
    found = suggest_phrases(frame, min_count=3)
    assert found["phrase"].iloc[0] == "joint patrol"
    assert found.set_index("phrase").loc["joint patrol", "n"] == 12
    assert found.set_index("phrase").loc["joint patrol", "n_docs"] == 9
    assert "freedom of speech" in set(found["phrase"])
    assert not found["phrase"].str.contains("mil-to-mil").any()
    assert list(found.columns) == ["phrase", "n_words", "n", "n_docs", "llr", "pmi"]


# ----------------------------------------------------------------------------------------- real texts
def test_seed_counts_mil_to_mil_relations_three_times(seed_path):
    briefings = toolkit.load_briefings(seed_path)
    tm = count_terms(briefings)
    assert tm.matrix[:, tm.vocabulary["mil-to-mil relations"]].sum() == 3
    text = briefings["text"].iloc[0]
    assert len(re.findall(r"mil-to-mil relations?\b", text, flags=re.IGNORECASE)) == 2
    assert len(re.findall(r"mil-to-mil relationship", text, flags=re.IGNORECASE)) == 1
    assert {"Korean Peninsula", "dual-track approach", "DPRK", "Xi Jinping"} <= set(tm.terms)


@pytest.fixture(scope="module")
def mfa(mfa_en_path):
    briefings = toolkit.load_briefings(mfa_en_path)
    return briefings, count_terms(briefings, stop_words=None)


def test_mfa_phrase_counts_match_an_independent_regex(mfa):
    briefings, tm = mfa
    text = "\n".join(briefings["text"])
    cold_war = len(re.findall(r"\bcold[\s-]+war[\s-]+(?:mentality|mindset|thinking)\b", text, flags=re.IGNORECASE))
    assert cold_war > 10
    assert tm.matrix[:, tm.vocabulary["Cold War mentality"]].sum() == cold_war
    # hyphenated compounds stay whole ("WHO-China" is one token), so the regex asks for no hyphen either side
    who = len(re.findall(r"(?<![\w-])WHO(?![\w-])", text)) + len(re.findall(r"\bworld health organization\b", text,
                                                                          flags=re.IGNORECASE))
    assert who > 100
    assert tm.matrix[:, tm.vocabulary["WHO"]].sum() == who
    pronoun = len(re.findall(r"(?<![\w-])who(?![\w-]|'(?!s\b))", text, flags=re.IGNORECASE)) - \
        len(re.findall(r"(?<![\w-])WHO(?![\w-])", text))
    assert tm.matrix[:, tm.vocabulary["who"]].sum() == pronoun


def test_mfa_matrix_shape_and_sizes(mfa):
    briefings, tm = mfa
    assert tm.matrix.shape[0] == len(briefings) == 500
    assert tm.rows["doc_id"].tolist() == briefings["doc_id"].tolist()
    # tokens exclude punctuation and merge phrases: close to the corpus' ~912k words, never above a split()
    n_split = briefings["text"].str.split().str.len().sum()
    assert 0.9 * n_split < tm.rows["n_tokens"].sum() <= n_split * 1.05
    assert np.array_equal(np.asarray(tm.matrix.sum(axis=1)).ravel(), tm.rows["n_tokens"].to_numpy())


def test_case_kept_when_asked_and_stop_words_still_apply():
    tokens = tokenize(DOCS.iloc[[0]], lowercase=False, stop_words="default")["token"].tolist()
    assert tokens == ["mil-to-mil relations", "stable", "US", "China", "discussed", "South China Sea"]


def test_select_rows_keeps_vocabulary_and_metadata():
    tm = count_terms(DOCS)
    part = tm.select(tm.rows["spokesperson"] == "Wu Qian")
    assert part.rows["doc_id"].tolist() == ["d1", "d3"] and list(part.terms) == list(tm.terms)
    assert part.matrix.shape == (2, len(tm.terms))
    assert part.matrix[:, part.vocabulary["mil-to-mil relations"]].toarray().ravel().tolist() == [1, 0]


# ----------------------------------------------------------------------------------------- units, imports, caches
def test_a_unit_finer_than_the_table_names_the_split_to_call_first():
    with pytest.raises(ToolkitError, match=r"count_terms\(\): unit='turn' needs turns, but argument 'frame' holds "
                                           r"briefings.*call toolkit\.split_turns\(briefings\) first and pass the turns"):
        count_terms(DOCS, unit="turn")
    with pytest.raises(ToolkitError, match=r"term_frequency\(\): unit='turn'.*toolkit\.split_turns\(briefings\)"):
        toolkit.term_frequency(DOCS, "US", unit="turn")
    by_doc = toolkit.term_frequency(DOCS, "US", by="year")       # by default the table's own unit: briefings
    assert by_doc["n"].sum() == count_terms(DOCS).to_frame().query("term == 'US'")["n"].sum()
    with pytest.raises(ToolkitError, match=r"count_terms\(\): unit='sentence'.*call toolkit\.split_sentences\(turns\) "
                                           r"first and pass the sentences"):
        count_terms(DOCS.assign(turn_id=0), unit="sentence")
    with pytest.raises(ToolkitError, match=r"keyness\(\): unit='sentence'.*split_sentences\(toolkit\.split_turns"):
        toolkit.keyness(DOCS, target="2020-01", unit="sentence")


def test_split_tables_passed_explicitly_count_the_same_phrases(seed_path):
    briefings = toolkit.load_briefings(seed_path)
    turns = toolkit.split_turns(briefings)
    sentences = toolkit.split_sentences(turns)
    by_turn = count_terms(turns, unit="turn")
    by_sentence = count_terms(sentences, unit="sentence")
    assert len(by_turn.rows) == len(turns) > 1 and len(by_sentence.rows) == len(sentences) > len(turns)
    for tm in (count_terms(briefings), by_turn, by_sentence, count_terms(sentences, unit="doc")):
        assert tm.matrix[:, tm.vocabulary["mil-to-mil relations"]].sum() == 3


def test_importing_terms_loads_no_heavy_library():
    repo = Path(__file__).resolve().parents[1]
    heavy = ["sklearn", "matplotlib", "seaborn", "nltk", "jieba", "numba", "scipy.stats"]
    code = f"import toolkit.terms, sys; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=repo, env=env, check=True)
    assert done.stdout.strip() == "[]"


def test_changing_a_returned_table_does_not_change_the_next_call():
    table = load_phrases()
    table.loc[0, "canonical"] = "changed"
    table["variant"] = "changed"
    again = load_phrases()
    assert "changed" not in set(again["canonical"]) | set(again["variant"])
    words = toolkit.load_stop_words()
    assert isinstance(words, frozenset) and "the" in words              # immutable: the cached list stays whole
    assert toolkit.load_stop_words(lang="zh") is toolkit.load_stop_words(lang="zh")


@settings(derandomize=True, max_examples=300)
@given(st.lists(st.text(alphabet=st.sampled_from(list("aZΣσςΟİiIßǅ'-9_é")), max_size=6), max_size=8))
def test_lowercase_memo_equals_lowercasing_the_joined_words(words):
    """The matcher's per-word lowercase memo gives what lowercasing the words joined by SEP gives (final sigma,
    dotted capital I and title-case letters included)."""
    from toolkit.terms.tokens import _lower_all, _Lowercase

    memo = _Lowercase()
    assert list(map(memo.__getitem__, words)) == _lower_all(words)
    assert list(map(memo.__getitem__, words)) == _lower_all(words)       # the second time from the memo


def test_lowercase_memo_by_hand_and_its_limit(monkeypatch):
    from toolkit.terms.tokens import _Lowercase

    monkeypatch.setattr(_Lowercase, "LIMIT", 2)
    memo = _Lowercase()
    final_sigma = "\u03bf\u03b4\u03bf\u03c2"            # οδος: the last letter of a word alone is final
    assert [memo[w] for w in ["ΟΔΟΣ", "China", "US"]] == [final_sigma, "china", "us"]
    assert len(memo) == 1                                 # emptied when full: "US" alone is left
    assert TermAnalyzer().tokens("ΟΔΟΣ China") == [final_sigma, "china"]
