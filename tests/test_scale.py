"""Scale: the int32 token store, the process pool of count_terms, lean tables, the streaming corpus hash."""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit import count_terms

# two turns of one briefing, one of another; tokens (stop words kept) written next to each
TURNS = pd.DataFrame({
    "doc_id": ["b1", "b1", "b2"],
    "turn_id": [0, 1, 0],
    "text": [
        "Peace and peace and peace.",      # peace and peace and peace
        "And peace.",                      # and peace
        "We want peace and peace.",        # we want peace and peace
    ],
})


def test_token_store_sequences_by_hand():
    tm = count_terms(TURNS, unit="doc", stop_words=None)
    store = tm.tokens
    assert store.ids.dtype == np.int32 and store.segments.tolist() == [0, 5, 7, 12]
    assert store.rows.tolist() == [0, 2, 3]                       # b1 holds two turns, b2 one
    assert tm.rows["n_tokens"].tolist() == [7, 5]
    # "peace and peace": b1 turn 0 holds it at 0 and (overlapping) 2: a left-to-right scan counts 1; b2: 1
    assert tm.count_sequence(["peace", "and", "peace"]).tolist() == [1, 1]
    # "peace and" + "peace" across the turn break of b1 ("... peace" | "and peace") is never counted
    assert tm.count_sequence(["peace", "and"]).tolist() == [2, 1]
    assert tm.count_sequence(["and", "peace"]).tolist() == [3, 1]
    assert tm.count_sequence(["no", "such"]).tolist() == [0, 0]
    assert tm.segments() == [["peace", "and", "peace", "and", "peace"], ["and", "peace"],
                             ["we", "want", "peace", "and", "peace"]]
    assert tm.token_text[0] == "\x1fpeace\x1fand\x1fpeace\x1fand\x1fpeace\x1f\x1e\x1fand\x1fpeace\x1f"
    picked = tm.select([False, True])
    assert picked.segments() == [["we", "want", "peace", "and", "peace"]]
    assert picked.count_sequence(["peace", "and", "peace"]).tolist() == [1]


def test_sequence_counts_equal_a_regex_over_the_token_text(mfa_turns):
    tm = count_terms(mfa_turns.head(3000), unit="doc")
    for words in (["the", "united", "states"], ["we", "hope"], ["one", "china"], ["very", "very"]):
        needle = "\x1f" + "\x1f".join(words) + "(?=\x1f)"
        expected = [len(__import__("re").findall(needle, text)) for text in tm.token_text]
        assert tm.count_sequence(words).tolist() == expected


@pytest.fixture(scope="module")
def mfa_turns(mfa_en_path):
    return toolkit.split_turns(toolkit.load_briefings(mfa_en_path))


@pytest.fixture(scope="module")
def mfa_zh_turns(mfa_zh_path):
    return toolkit.split_turns(toolkit.load_briefings(mfa_zh_path).head(60))


def _same_matrix(a, b) -> None:
    assert list(a.terms) == list(b.terms)
    assert (a.matrix != b.matrix).nnz == 0 and a.matrix.shape == b.matrix.shape
    pd.testing.assert_frame_equal(a.rows, b.rows)
    assert np.array_equal(a.tokens.ids, b.tokens.ids) and list(a.tokens.vocab) == list(b.tokens.vocab)
    assert np.array_equal(a.tokens.segments, b.tokens.segments)


def test_process_pool_gives_the_serial_matrix(mfa_turns, mfa_zh_turns, monkeypatch):
    from toolkit.terms import matrix

    monkeypatch.setattr(matrix, "BLOCK_ROWS", 700)      # several blocks on a small table
    for frame in (mfa_turns.head(4000), mfa_zh_turns):
        serial = count_terms(frame, unit="turn")
        pooled = count_terms(frame, unit="turn", n_jobs=2)
        _same_matrix(serial, pooled)
    stemmed = count_terms(mfa_turns.head(2000), unit="doc", stem="porter", n_jobs=2)
    _same_matrix(count_terms(mfa_turns.head(2000), unit="doc", stem="porter"), stemmed)


def test_tokenize_block_by_hand():
    from toolkit.terms.matrix import tokenize_block
    from toolkit.terms.tokens import TermAnalyzer

    vocab, ids, lengths, is_zh = tokenize_block(TermAnalyzer(), ["Peace, and PEACE!", "", "和平", None])
    assert vocab == ["peace", "and", "和平"]                   # in order of first sight, lowercased, no punctuation
    assert ids.dtype == np.int32 and ids.tolist() == [0, 1, 0, 2]
    assert lengths.dtype == np.int64 and lengths.tolist() == [3, 0, 1, 0]
    assert is_zh.tolist() == [False, False, True, False]
    empty = tokenize_block(TermAnalyzer(), [])
    assert empty[0] == [] and [len(a) for a in empty[1:]] == [0, 0, 0] and empty[2].dtype == np.int64


def test_sentence_pool_gives_the_serial_sentences_on_a_small_table(monkeypatch):
    from toolkit import sentences

    table = pd.DataFrame({
        "doc_id": ["a", "a", "b", "c", "d"], "turn_id": [0, 1, 0, 0, 0], "lang": ["en", "en", "zh", "en", "en"],
        "text": ["Mr. Wang left. He came back! Did he?", "", "我们反对。你们呢？好", None, "One.\nTwo words"]})
    serial = toolkit.split_sentences(table, use_cache=False)
    monkeypatch.setattr(sentences, "TASK_ROWS", (2, 2))           # blocks of two rows: three tasks on two processes
    pooled = toolkit.split_sentences(table, use_cache=False, n_jobs=2)
    pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
    assert serial.attrs == pooled.attrs
    # by hand: "Mr." is a packaged abbreviation; the empty and the missing text have no sentence
    assert serial["text"].tolist() == ["Mr. Wang left.", "He came back!", "Did he?", "我们反对。", "你们呢？", "好",
                                       "One.", "Two words"]
    assert serial[["doc_id", "sent_id"]].values.tolist() == [["a", 0], ["a", 1], ["a", 2], ["b", 0], ["b", 1],
                                                             ["b", 2], ["d", 0], ["d", 1]]
    assert serial["sent_id"].dtype == np.int64


def test_sentence_pool_gives_the_serial_sentences_on_the_mfa_corpora(mfa_turns, mfa_zh_turns, monkeypatch):
    from toolkit import sentences

    monkeypatch.setattr(sentences, "TASK_ROWS", (500, 3000))
    for frame in (mfa_turns, mfa_zh_turns):
        serial = toolkit.split_sentences(frame, use_cache=False)
        pooled = toolkit.split_sentences(frame, use_cache=False, n_jobs=2)
        pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
        assert serial.attrs == pooled.attrs and len(serial) > len(frame)
    with pytest.raises(toolkit.ToolkitError, match=r"split_sentences\(\): n_jobs=0"):
        toolkit.split_sentences(mfa_zh_turns, use_cache=False, n_jobs=0)


def test_counts_equal_an_independent_count_of_the_analyzer_terms(mfa_turns):
    frame = mfa_turns.head(500)
    tm = count_terms(frame, unit="turn")
    analyzer = tm.analyzer
    for i in (0, 7, 123, 499):
        terms = pd.Series(analyzer(frame["text"].iloc[i])).value_counts()
        row = tm.matrix[i]
        assert dict(zip(tm.terms[row.indices], row.data.tolist())) == terms.to_dict()
        assert tm.rows["n_tokens"].iloc[i] == len(analyzer.tokens(frame["text"].iloc[i]))


def test_bad_n_jobs_names_the_fix():
    with pytest.raises(toolkit.ToolkitError, match=r"count_terms\(\): n_jobs=0"):
        count_terms(TURNS, n_jobs=0)


def test_corpus_hash_streams_and_keeps_its_values():
    frame = pd.DataFrame({"doc_id": ["b", "a", "a", 3], "text": ["x\u00e9", "z", "y", None]})
    digest = hashlib.sha256()
    for doc_id, text in sorted(zip(["b", "a", "a", "3"], ["x\u00e9", "z", "y", ""])):   # a missing text: empty
        digest.update(doc_id.encode() + b"\0" + text.encode() + b"\1")
    assert toolkit.corpus_hash(frame) == digest.hexdigest()[:16]
    assert toolkit.corpus_hash(frame.iloc[::-1]) == toolkit.corpus_hash(frame)
    assert toolkit.corpus_hash(frame.head(0)) == hashlib.sha256().hexdigest()[:16]


def test_corpus_hash_of_a_known_table_is_computed_once_and_follows_changes(seed_path, monkeypatch):
    import sys

    provenance = sys.modules["toolkit.provenance"]
    sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(seed_path.parent)))
    computed = []
    monkeypatch.setattr(provenance, "_rows_hash", lambda frame: computed.append(1) or _by_hand(frame))
    first = toolkit.corpus_hash(sentences)
    assert toolkit.corpus_hash(sentences) == first == _by_hand(sentences) and len(computed) == 1
    sentences.loc[0, "text"] = "changed in place"        # no longer the table split_sentences made: hashed anew
    assert toolkit.corpus_hash(sentences) == _by_hand(sentences) != first and len(computed) == 2


def _by_hand(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for doc_id, text in sorted(zip(frame["doc_id"].astype(str), frame["text"].fillna("").astype(str))):
        digest.update(doc_id.encode() + b"\0" + text.encode() + b"\1")
    return digest.hexdigest()[:16]


# ----------------------------------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def small_corpus(mfa_en_path, mfa_zh_path, tmp_path_factory):
    """Three JSONL files: 12 + 12 English briefings, 6 Chinese ones."""
    folder = tmp_path_factory.mktemp("dask-corpus")
    english = mfa_en_path.read_text(encoding="utf-8").splitlines()
    chinese = mfa_zh_path.read_text(encoding="utf-8").splitlines()
    for name, lines in (("a_en.jsonl", english[:12]), ("b_en.jsonl", english[12:24]), ("c_zh.jsonl", chinese[:6])):
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True)


def test_dask_on_a_two_worker_local_cluster_equals_the_serial_path(small_corpus):
    distributed = pytest.importorskip("distributed")
    import toolkit.dask as tkd

    briefings = toolkit.load_briefings(small_corpus)
    turns = toolkit.split_turns(briefings)
    sentences = toolkit.split_sentences(turns)
    stance = toolkit.score_stance(sentences)
    tm = count_terms(sentences, unit="turn")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                                  processes=True) as cluster, distributed.Client(cluster):
        lazy_briefings = tkd.read_briefings(sorted(small_corpus.glob("*.jsonl")))
        lazy_sentences = tkd.split_sentences(tkd.split_turns(lazy_briefings))
        assert lazy_briefings.npartitions == 3
        pd.testing.assert_frame_equal(_plain(lazy_briefings.compute()), _plain(briefings))
        pd.testing.assert_frame_equal(_plain(lazy_sentences.compute()), _plain(sentences))
        pd.testing.assert_frame_equal(_plain(tkd.score_stance(lazy_sentences).compute()), _plain(stance))
        remote = tkd.count_terms(lazy_sentences, unit="turn")
    _same_matrix(remote, tm)
    assert remote.provenance["corpus_hash"] == tm.provenance["corpus_hash"]
    for term in ("cooperation", "the united states", "中美关系"):
        pd.testing.assert_frame_equal(toolkit.term_frequency(remote, term, by="month"),
                                      toolkit.term_frequency(tm, term, by="month"))


def test_out_of_core_partitions_write_parquet_equal_to_the_serial_tables(small_corpus, tmp_path):
    dask = pytest.importorskip("dask")
    import toolkit.dask as tkd

    serial = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(small_corpus)))
    with dask.config.set(scheduler="synchronous"):          # one partition at a time, in this process
        lazy = tkd.split_sentences(tkd.split_turns(tkd.read_briefings(sorted(small_corpus.glob("*.jsonl")))))
        lazy.to_parquet(tmp_path / "sentences", write_index=False, schema=None)
        tkd.score_stance(lazy).to_parquet(tmp_path / "stance", write_index=False, schema=None)
    assert len(list((tmp_path / "sentences").glob("*.parquet"))) == 3
    written = pd.read_parquet(tmp_path / "sentences")
    pd.testing.assert_frame_equal(written, serial.reset_index(drop=True), check_dtype=False)
    stance = pd.read_parquet(tmp_path / "stance")
    pd.testing.assert_frame_equal(stance, toolkit.score_stance(serial).reset_index(drop=True), check_dtype=False)


def test_turns_and_sentences_share_their_briefing_strings(mfa_turns):
    sentences = toolkit.split_sentences(mfa_turns.head(200))
    first = sentences[sentences["doc_id"] == sentences["doc_id"].iloc[0]]
    assert len(first) > 2 and first["title"].nunique() == 1
    titles = first["title"].array
    assert titles[0] is titles[len(first) - 1]                       # one object, not a copy per sentence
    assert sentences["title"].dtype == "str" and sentences["spokesperson"].dtype == "str"
    assert mfa_turns["url"].array[0] is mfa_turns["url"].array[1]
    briefing = mfa_turns.iloc[0]
    assert sentences.iloc[0][["title", "url", "date", "spokesperson"]].tolist() == \
        briefing[["title", "url", "date", "spokesperson"]].tolist()


# ----------------------------------------------------------------------------------------- score_stance pool
def _stance_table() -> pd.DataFrame:
    """Sentences of two briefings: targets in English and Chinese, a question, rows without a target."""
    texts = ["China firmly opposes the so-called act of the US.", "We hope Japan and the DPRK will talk.",
             "Is the US right?", "The weather is fine.", "中方坚决反对美方的错误做法。", "我们赞赏日本的积极态度。",
             "We welcome the visit of the Russian president and support cooperation with Russia.",
             "The US should not interfere in Taiwan affairs, and we urge the US to stop.", "Thank you."]
    return pd.DataFrame({
        "doc_id": ["b1"] * 5 + ["b2"] * 4, "date": pd.to_datetime(["2020-01-15"] * 5 + ["2020-02-03"] * 4),
        "turn_id": [0, 0, 1, 2, 3, 0, 0, 1, 1], "sent_id": [0, 1, 0, 0, 0, 0, 1, 0, 1],
        "role": ["answer", "answer", "question", "answer", "answer", "answer", "answer", "answer", "answer"],
        "text": texts})


@pytest.mark.parametrize("options", [{}, {"method": "lexicon"}, {"untargeted": "keep", "unit": "turn"},
                                     {"attach": "nearest", "include_questions": True, "unit": "doc"}])
def test_stance_pool_gives_the_serial_scores_on_a_small_table(options, monkeypatch):
    from toolkit.stance import scoring

    table = _stance_table()
    serial = toolkit.score_stance(table, **options)
    monkeypatch.setattr(scoring, "TASK_ROWS", (2, 2))          # blocks of two rows: five tasks on two processes
    pooled = toolkit.score_stance(table, n_jobs=2, **options)
    pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
    assert serial.attrs == pooled.attrs
    assert {"United States", "Japan", "DPRK"} <= set(serial["target"].dropna())   # the table does mention targets


def test_stance_pool_gives_the_serial_scores_on_the_mfa_corpora(mfa_en_path, mfa_zh_turns, monkeypatch):
    from toolkit.stance import scoring

    english = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(mfa_en_path).head(40)))
    frame = pd.concat([english, mfa_zh_turns.head(300)], ignore_index=True)
    monkeypatch.setattr(scoring, "TASK_ROWS", (700, 700))      # several blocks, English and Chinese ones
    for options in ({}, {"unit": "turn", "untargeted": "keep"}):
        serial = toolkit.score_stance(frame, **options)
        pooled = toolkit.score_stance(frame, n_jobs=2, **options)
        pd.testing.assert_frame_equal(serial, pooled, check_exact=True)
        assert serial.attrs == pooled.attrs and serial["model_score"].notna().any()
    serial = toolkit.score_stance(frame)
    assert len(frame) < scoring.SERIAL_BLOCK_ROWS                 # one block in one process by default
    monkeypatch.setattr(scoring, "SERIAL_BLOCK_ROWS", 333)       # several blocks in one process: the same scores
    in_blocks = toolkit.score_stance(frame)
    pd.testing.assert_frame_equal(serial, in_blocks, check_exact=True)
    assert serial.attrs == in_blocks.attrs


def test_stance_bad_n_jobs_names_the_fix():
    with pytest.raises(toolkit.ToolkitError, match=r"score_stance\(\): n_jobs=0"):
        toolkit.score_stance(_stance_table(), n_jobs=0)


def test_alias_prefilter_finds_what_a_plain_alternation_finds(mfa_en_path):
    import re

    from toolkit.stance.lexicon import load_stance_lexicon, load_targets, matchers
    from toolkit.text import literal_trie

    words = ["Japan", "Japanese", "Jap", "US", "USA", "U.S.", "日本", "日方"]
    trie = re.compile(literal_trie(words, longest=False))
    assert trie.pattern == "(?:Jap|U(?:\\.S\\.|S)|日(?:方|本))"     # "Jap" ends its branch: "Japan" holds it
    plain = re.compile("|".join(map(re.escape, words)))
    texts = [*toolkit.load_briefings(mfa_en_path)["text"].head(50).str.split("\n").explode(), "the U.S.", "日本",
             "Ja pan", "u.s.", ""]
    assert [bool(trie.search(t)) for t in texts] == [bool(plain.search(t)) for t in texts]
    assert re.compile(literal_trie([], longest=False)).search("anything") is None
    targets = load_targets()          # the packaged gazetteer's aliases, as score_stance's prefilter holds them
    aliases = targets.loc[(targets["language"] == "en") & (targets["target"] != ""), "alias"]
    plain = re.compile("|".join(map(re.escape, {v for a in aliases for v in (a, a[0].upper() + a[1:])})))
    matcher = matchers(targets, load_stance_lexicon())["en"]
    found = [matcher.may_mention(t) for t in texts]
    assert found == [bool(plain.search(t)) for t in texts] and 0 < sum(found) < len(found)


def test_phrase_matcher_skips_only_starts_that_cannot_match(mfa_turns):
    """The English phrase matcher skips a word that starts phrases when the next word continues none of them;
    at every word it skipped, the full matcher finds nothing either."""
    from toolkit.terms.tokens import EnglishMatcher, _Around, _lower_all
    from toolkit.text import TOKEN_PATTERN, fold

    matcher = toolkit.count_terms(TURNS).analyzer.matchers["en"]
    assert isinstance(matcher, EnglishMatcher)
    tried = failed = 0
    for text in mfa_turns["text"].head(1500):
        folded = fold(text)
        pieces = TOKEN_PATTERN.findall(folded)
        lowered = _lower_all(pieces)
        expected, after = [], 0
        for i, low in enumerate(lowered):         # the reference: try every word that starts a phrase
            if i < after or low not in matcher.starts:
                continue
            tried += 1
            match = matcher.match_at(pieces, lowered, i, _Around(folded))
            if match is None:
                failed += 1
            else:
                expected.append((i, match[1], match[0]))
                after = match[1]
        assert matcher.matches(pieces, lowered, _Around(folded)) == expected
    assert tried > failed > 1000                 # the corpus exercises both kinds of start words


def test_block_prefilter_equals_the_row_prefilter_by_hand(monkeypatch):
    """``Matcher.may_mention_each`` searches a block's texts joined: the same flags as one search a text, no
    match across two texts, empty texts, texts of two languages, and the joined copies cut every few texts."""
    from toolkit.stance import lexicon
    from toolkit.stance.lexicon import load_stance_lexicon, load_targets, matchers
    from toolkit.stance.scoring import _may_mention

    compiled = matchers(load_targets(), load_stance_lexicon())
    english = ["Japan said", "", "Ja", "pan", "nothing here", "and Japan", "jap an", "Japan"]
    expected = [True, False, False, False, False, True, False, True]   # "Ja" + "pan" is no mention
    for size in (2048, 3, 1):
        monkeypatch.setattr(lexicon, "JOINED_TEXTS", size)
        assert compiled["en"].may_mention_each(english) == expected
        assert compiled["en"].may_mention_each(english) == [compiled["en"].may_mention(t) for t in english]
    chinese = ["日本方面", "日", "本", "", "中方"]
    assert compiled["zh"].may_mention_each(chinese) == [True, False, False, False, False]
    assert compiled["en"].may_mention_each([]) == [] and _may_mention([], [], compiled) == []
    mixed = _may_mention(["日", "本", "Japan", "日本", "Ja", "pan"], ["zh", "zh", "en", "zh", "en", "en"], compiled)
    assert mixed == [False, False, True, True, False, False]


def test_block_prefilter_searches_each_text_alone_when_an_alias_holds_the_separator():
    from toolkit.stance.lexicon import load_stance_lexicon, matchers

    targets = pd.DataFrame({"target": ["X"], "alias": ["a\x00b"], "language": ["en"]})
    matcher = matchers(toolkit.load_targets(targets), load_stance_lexicon())["en"]
    assert matcher.may_mention_each(["xa", "b", "ya\x00b"]) == [False, False, True]   # joined: "xa\0b\0..."


def test_block_prefilter_equals_the_row_prefilter_on_the_corpus(mfa_turns, mfa_zh_turns, monkeypatch):
    from toolkit.stance import lexicon
    from toolkit.stance.lexicon import load_stance_lexicon, load_targets, matchers

    compiled = matchers(load_targets(), load_stance_lexicon())
    monkeypatch.setattr(lexicon, "JOINED_TEXTS", 97)
    for lang, turns in (("en", mfa_turns), ("zh", mfa_zh_turns)):
        texts = turns["text"].head(3000).str.split("\n").explode().astype(str).tolist()
        found = compiled[lang].may_mention_each(texts)
        assert found == [compiled[lang].may_mention(t) for t in texts] and 0 < sum(found) < len(found)


def test_phrase_index_by_hand():
    """Leftmost-longest matches: a one-unit phrase or a stem is taken at once, a longer phrase sharing its first
    unit is tried first, a phrase running past the end is no match."""
    from toolkit.stance.lexicon import _PhraseIndex

    index = _PhraseIndex([(("oppose",), "A"), (("firmly", "oppose"), "B"), (("firm*",), "C"), (("us",), "D")])
    assert index.scan(("we", "firmly", "oppose", "firmness", "us")) == [(1, 3, "B"), (3, 4, "C"), (4, 5, "D")]
    assert index.scan(("firmly", "us", "oppose")) == [(0, 1, "C"), (1, 2, "D"), (2, 3, "A")]
    assert index.scan(("firmly",)) == [(0, 1, "C")] and index.scan(()) == []
    chinese = _PhraseIndex([("反对", "X"), ("坚决反对", "Y"), ("美", "Z")])
    assert chinese.scan("我们坚决反对美方") == [(2, 6, "Y"), (6, 7, "Z")]
    assert chinese.scan("反对反") == [(0, 2, "X")] and chinese.scan("美美") == [(0, 1, "Z"), (1, 2, "Z")]


def test_phrase_index_equals_the_longest_match_tried_at_every_unit(mfa_turns, mfa_zh_turns):
    """The scan (units that start nothing skipped in C, one-unit matches taken without comparing phrases) finds
    what trying :meth:`_PhraseIndex._longest` at every unit finds, for the packaged gazetteer and lexicon."""
    from toolkit.stance.lexicon import (
        load_stance_lexicon,
        load_targets,
        match_units,
        matchers,
    )

    def reference(index, units):
        found, free = [], 0
        for i, unit in enumerate(units):
            stem = next((index.by_stem[unit[:n]] for n in index.stem_lengths
                         if n <= len(unit) and unit[:n] in index.by_stem), None)
            hit = index._longest(units, i, stem) if i >= free else None
            if hit:
                found.append((i, *hit))
                free = hit[0]
        return found

    compiled = matchers(load_targets(), load_stance_lexicon())
    for lang, turns in (("en", mfa_turns), ("zh", mfa_zh_turns)):
        matched = 0
        for text in turns["text"].head(300):
            units = match_units(text, lang)
            lowered = tuple(u.lower() for u in units) if lang == "en" else units
            for index, seq in ((compiled[lang].targets, units), (compiled[lang].cues, lowered)):
                found = index.scan(seq)
                assert found == reference(index, seq)
                matched += len(found)
        assert matched > 1000


def test_clause_numbers_by_hand():
    from toolkit.stance.scoring import _clause_of

    clause_of = _clause_of(("a", ",", "b", ";", "c", "d"))
    assert [clause_of(i) for i in range(6)] == [0, 1, 1, 2, 2, 2]      # a break opens the clause after it
    chinese = _clause_of("甲，乙：丙")
    assert [chinese(i) for i in range(5)] == [0, 1, 1, 2, 2] and _clause_of(())(0) == 0
