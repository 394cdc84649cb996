"""Cold start: each shortcut of the load path gives exactly what the slower rule it replaced gives."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit import corpus, kinds, metadata, sentences, turns
from toolkit.text import EN_WORD, count_words, valid_unicode


@pytest.fixture(scope="module")
def texts(mfa_en_path, mfa_zh_path):
    read = lambda path: [json.loads(line)["text"] or "" for line in open(path, encoding="utf-8")]  # noqa: E731
    return read(mfa_en_path), read(mfa_zh_path)


def test_punkt_with_plain_re_learns_what_the_stock_trainer_learns(texts):
    from nltk.tokenize.punkt import PunktTrainer

    english, _ = texts
    samples = [sentences._training_sample(english[start:]) for start in (0, 150, 400)]
    samples.append("Pay 3. Then 4.5 percent. The U.S. and Gen. Li met at 9 a.m. on Jan. 3. Mr. Wu said so. " * 20)
    for sample in samples:
        trainer = PunktTrainer()
        trainer.train(sample, finalize=True)
        stock, ours = trainer.get_params(), sentences._trained(sample)
        assert ours.abbrev_types == stock.abbrev_types | sentences.packaged_abbreviations()
        assert ours.collocations == stock.collocations and ours.sent_starters == stock.sent_starters
        assert dict(ours.ortho_context) == dict(stock.ortho_context)
        assert sentences._abbreviations(sample).abbrev_types == ours.abbrev_types       # what split_sentences uses
    assert {"u.s", "gen", "jan", "mr"} <= sentences._trained(samples[-1]).abbrev_types


_PUNKT_WORDS = ["Gen.", "gen.", "gen", "Li", "li", "met", "Met", "x.", "X.", "U.S.", "u.s", "3.", "4.5", "Jan.", "jan",
                "Mr.", "said", "Said", ",", ";", ":", "...", ". . .", "?", "!", "(", ")", '"', "e.g.", "etc.", "a.m.", "-",
                "\n", "\n\n", "\n  \n", "co.", "Co.", "ltd.", "vs.", "No.", "no."]


# rare words (a few occurrences each), capitalised or not, with or without a period: Punkt's rare-abbreviation rule
_RARE_WORDS = st.builds(lambda stem, upper, end: (stem.title() if upper else stem) + end,
                        st.sampled_from(["bo", "ka", "mi", "ru", "te", "zu", "xo"]), st.booleans(),
                        st.sampled_from(["", "", ".", ","]))


@given(st.lists(st.one_of(st.sampled_from(_PUNKT_WORDS), _RARE_WORDS), max_size=150))
def test_abbreviations_learned_per_distinct_token_equal_the_stock_trainer(words):
    from nltk.tokenize.punkt import PunktTrainer

    text = " ".join(words)
    trainer = PunktTrainer()
    trainer.train(text, finalize=False)
    assert sentences._learned_abbreviations(text) == trainer.get_params().abbrev_types


@pytest.mark.parametrize("text, rare", [
    ("The ka. bo went home. Bo is here.", True),         # "Bo" only after a sentence break: "ka." before "bo"
    ("The ka. bo went home. Then Bo is here.", False),   # "Bo" inside a sentence too
    ("The ka. bo went\n\nBo is here", True),             # a paragraph start is a sentence start
    ("The ka. bo went\nBo is here", False),               # a line start is unknown
    ("The ka. bo went 3. Bo is here", False),            # after a number with a period: unknown
    ("The ka. bo went ... Bo is here", False),           # after an ellipsis: unknown
    ("The ka. bo went J. Bo is here" + " J is J" * 5, False),    # after an initial (here no abbreviation): unknown
    ("The ka. bo went home. Bo is here. Then Bo left.", False),  # capitalised inside a sentence too
    ("The ka. bo went home. Bo is here\nBo left", True),         # at a line start: unknown, not inside a sentence
    ("The ka. bo went home. Bo is here ... Bo left", True),      # after an ellipsis: unknown
    ("The ka., bo went", True),                          # before internal punctuation
])
def test_rare_abbreviations_by_hand(text, rare):
    """Punkt's rare-abbreviation rule (a rare word with a period before a lower-case word seen capitalised only at
    sentence starts), in each orthographic context, by hand and as the stock trainer finds it."""
    from nltk.tokenize.punkt import PunktTrainer

    text += " We met him. They left. She came. It ended." * 10     # periods enough that "ka." scores low alone
    trainer = PunktTrainer()
    trainer.train(text, finalize=False)
    assert ("ka" in sentences._learned_abbreviations(text)) is rare
    assert sentences._learned_abbreviations(text) == trainer.get_params().abbrev_types


def test_word_counts_equal_the_regular_expression(texts):
    english, chinese = texts
    for values in (english, [line for text in english[:100] for line in text.split("\n")], chinese[:200]):
        series = pd.Series(values, dtype="string")
        assert (count_words(values, "en") == series.str.count(EN_WORD).to_numpy()).all()
        assert (count_words(series, "en") == series.str.count(EN_WORD).to_numpy()).all()
    mixed = pd.Series(["don’t stop", "naïve café", "a\x00b", "", "x-y z'w --"], dtype="string")
    assert count_words(mixed, "en").tolist() == [2, 2, 2, 0, 3]
    # an object Series with missing values and a number (its array is read-only under copy-on-write): the
    # missing count 0, the number as its text "12" (one word); the Series itself is left as it was
    loose = pd.Series(["a b c", None, float("nan"), 12, "d e"], dtype=object)
    assert count_words(loose, "en").tolist() == [3, 0, 0, 1, 2]
    assert loose.iloc[1] is None and loose.iloc[3] == 12


@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), max_size=8))
def test_word_counts_equal_the_regular_expression_on_any_text(values):
    series = pd.Series(values, dtype="string")
    assert count_words(values, "en").tolist() == series.str.count(EN_WORD).fillna(0).astype(int).tolist()


def test_valid_unicode_skips_only_clean_ascii():
    assert valid_unicode("plain text") == ("plain text", 0)
    assert valid_unicode("a\x00b") == ("a\ufffdb", 1)
    assert valid_unicode("é\ud800") == ("é\ufffd", 1)
    assert valid_unicode("é\x00😀") == ("é\ufffd😀", 1)
    assert valid_unicode("国防部 😀 é") == ("国防部 😀 é", 0)


@given(st.lists(st.sampled_from(["a", "é", "国", "😀", "\x00", "\ud800", "\udc00", "\udfff", " "]), max_size=12))
def test_valid_unicode_replaces_what_the_pattern_finds(chars):
    text = "".join(chars)
    assert valid_unicode(text) == re.subn("[\ud800-\udfff\x00]", "\ufffd", text)


_SPACES = [chr(c) for c in range(0x3001) if chr(c).isspace()]


@given(st.lists(st.sampled_from(["a", "bc", "é", "国", *_SPACES, "  ", "\n\n", " \n", "\x00"]), max_size=20))
def test_one_spaced_equals_split_and_join(pieces):
    text = "".join(pieces)
    assert corpus._one_spaced_utf8(text) == " ".join(text.split()).encode("utf-8")


def test_one_spaced_equals_split_and_join_on_the_corpora(texts):
    english, chinese = texts
    for text in [*english, *chinese]:
        clean = metadata.strip_boilerplate(text).text
        assert corpus._one_spaced_utf8(clean) == " ".join(clean.split()).encode("utf-8")
        assert corpus._one_spaced_utf8(text) == " ".join(text.split()).encode("utf-8")


def _old_is_boilerplate_line(line, lines, i):
    """The rule before its shortcuts: every pattern searched on every line."""
    if len(line) < 200 and metadata._FURNITURE_ANY.match(line):
        return True
    if metadata._CAPTION_END.search(line[-160:]) and not metadata._ends_like_speech(line):
        return True
    if len(line) < 300 and metadata._CAPTION_CN.search(line):
        return True
    if metadata._BYLINE_HEAD.match(line):
        return any(metadata._FURNITURE[6].match(ln) for ln in [ln for ln in lines[i + 1:i + 4] if ln])
    return bool(i > 0 and metadata._BYLINE_HEAD.match(lines[i - 1] or "") and len(line) < 40
                and not re.search(r"[.!?。:]$", line))


# inline labels as found before: a look-behind tried at every position of the line
_OLD_INLINE = re.compile(
    r"(?<=[.?!。？！\"”])\s*(?=(?:Q|A|Question|Answer|Journalist|Reporter|Follow-up)\s*\d*\s*[:：]|(?:问|答|追问)[:：])"
)


@given(st.lists(st.sampled_from(["Q", "A", ":", "：", ".", "?", '"', "”", "。", " ", "  ", "\t", "1", "Question",
                                 "Follow-up", "问", "答", "追问", "x", "Answer 2"]), max_size=30))
def test_inline_labels_as_before_on_any_line(pieces):
    line = "".join(pieces)
    assert turns._inline_split(line) == _OLD_INLINE.split(line)


def test_line_rules_give_the_same_answers(texts, mfa_en_path):
    english, chinese = texts
    captions = ["Wu Qian (Photo: mod.gov.cn)", "（新华社记者 李刚 摄）", "He said (source: Xinhua", "吴谦 摄"]
    for text in [*english, *chinese, "\n".join(captions)]:
        lines = [line.strip() for line in text.splitlines()]
        for i, line in enumerate(lines):
            if line:
                assert metadata._is_boilerplate_line(line, lines, i) == _old_is_boilerplate_line(line, lines, i)
            assert turns._inline_split(line) == _OLD_INLINE.split(line)
        assert kinds.has_turn_labels(text) == (len(kinds.HAS_TURN_LABELS.findall(text)) >= 2)


def _old_sentences_en(text, params):
    """The splitter before its shortcuts (every candidate a match, the word before it sliced and stripped)."""
    candidate = re.compile(r"(?<=[.?!])([\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")
    out = []
    for paragraph in text.split("\n"):
        start = after_candidate = 0
        for m in candidate.finditer(paragraph):
            end = m.start() + len(m.group(1))
            piece, after_candidate = paragraph[after_candidate:end], m.end()
            last = piece.rstrip("\"”’')]")
            if last.endswith("."):
                token = last.rsplit(None, 1)[-1][:-1].lstrip("\"“‘'([").lower()
                if token in params.abbrev_types or (len(token) == 1 and token.isalpha()):
                    continue
            out.append(paragraph[start:end].strip())
            start = m.end()
        if paragraph[start:].strip():
            out.append(paragraph[start:].strip())
    return [s for s in out if s]


def test_english_sentences_as_before(texts):
    english, _ = texts
    params = sentences._abbreviations(sentences._training_sample(english))
    tricky = ['He said "Go." Then (J. Smith) left. The U.S. Navy? Yes! "No." [Sr. Col. Wu.] End.',
              "Go. \nNext one.\n\n\nMr.\nSmith came. Gen.\n(Li) left.\n \n.\nEnd.\t\nYes!\n", "\n", "", "A.\n"]
    for text in [*english, *tricky]:
        assert sentences.sentences_en(text, params) == _old_sentences_en(text, params)


@given(st.lists(st.sampled_from(["Go", "mr", "Mr", "U.S", "J", "x", ".", "?", "!", '"', "”", ")", "(", " ", "  ",
                                 "\n", "\t", "\n\n", " \n", "5", "A", "é"]), max_size=40))
def test_english_sentences_as_before_on_any_text(pieces):
    params = sentences._abbreviations("Mr. Li and Mr. Wu met at the U.S. embassy.")
    text = "".join(pieces)
    assert sentences.sentences_en(text, params) == _old_sentences_en(text, params)


def test_disclaimer_and_labels_as_before(texts):
    english, _ = texts
    disclaimer = ("(The following English text of the press conference is for reference. In case of any divergence "
                  "of interpretation, the Chinese text shall prevail.)\nQ: Hello?\nA: Hi.")
    assert metadata.strip_boilerplate(disclaimer).text == "Q: Hello?\nA: Hi."
    names, variants = metadata.name_pattern(metadata.spokespersons_table())
    for text in [*english[:150], disclaimer]:
        for i, paragraph in enumerate(p.strip() for p in text.splitlines() if p.strip()):
            found = turns._parse_label(paragraph, i, names, variants, None)
            if ":" not in paragraph and "：" not in paragraph:
                assert not turns._ZH_LABEL.match(paragraph) and not turns._EN_LABEL.match(paragraph)
                assert found == ("", None, None, paragraph)


def test_word_counts_of_odd_characters_equal_python_re():
    values = ["don’t", "naïve café’s", "a\ud800 b", "中文 ab", "ɏ ɐ", "\U0001F600x y", "", "x\ny", "—a—"]
    assert count_words(values, "en").tolist() == [len(re.findall(EN_WORD, value)) for value in values]
    assert count_words(["中文 ab"], "zh").tolist() == [3]                   # two CJK characters and one Latin word


def test_word_counts_of_every_code_point_equal_python_re():
    chars = [chr(c) for c in range(0x10000)] + [chr(c) for c in range(0x10000, 0x110000, 97)]
    values = [text for c in chars for text in (c, f"a{c}b", f"{c}{c} x")]
    for ascii_too in (True, False):          # the ASCII and UTF-8 paths: ASCII texts alone, then mixed in
        chosen = [v for v in values if v.isascii()] if ascii_too else values
        assert count_words(chosen, "en").tolist() == [len(re.findall(EN_WORD, value)) for value in chosen]


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"), max_size=8)), max_size=8))
def test_str_series_equals_pandas_construction(values):
    from toolkit._frames import str_series

    pd.testing.assert_series_equal(str_series(values), pd.Series(values, dtype="str"), check_exact=True)


@given(st.lists(st.sampled_from(["follow", "FOLLOWİNG", "ıng", "Diverg", "dıvergence", "DIVERGENCE", "ence", "İ", "K",
                                 "ſ", "x", " ", "following", "Divergence"]), max_size=12))
def test_case_insensitive_words_found_as_by_the_regular_expression(pieces):
    text = "".join(pieces)
    for pattern, lower in ((metadata._FOLLOWING, "ollow"), (metadata._DIVERGENCE, "vergence")):
        assert metadata._holds(pattern, lower, text) == (pattern.search(text) is not None)


@given(st.lists(st.sampled_from(["Senior Colonel", "Sr. Col.", "Sr Col.", "Senior Col.", "Colonel", "Major General",
                                 "Lieutenant General", "Rear Admiral", "Lieutenant", "General", "Col", " ", "  ",
                                 "Wu Qian", "Tan Kefei", "Ren", "Guoqiang", "x", ".", "\n", "Secretary-General"]),
                max_size=16))
def test_rank_and_name_found_as_by_searching_everything(pieces):
    source = "".join(pieces)
    found, expected = metadata._rank_name(source), metadata._RANK_NAME.search(source)
    assert (found and (found.span(), found.group("rank", "name"))) == (expected and (expected.span(), expected.group("rank", "name")))


def test_no_rank_starts_before_its_lead():
    ranks = re.search(r"\(\?P<rank>([^)]*)\)", metadata._RANK_NAME.pattern).group(1).split("|")
    for rank in ranks:
        example = re.sub(r"\\(.)", r"\1", rank.replace("\\.?", "."))        # "Sr\.? Col\." -> "Sr. Col."
        assert metadata._RANK_NAME.match(example + " Wu Qian")
        assert metadata._HAS_RANK_WORD.search(example).start() <= metadata._RANK_LEAD


def test_load_and_splits_pause_the_garbage_collector_and_restore_it(tmp_path):
    """The cyclic collector is off while a corpus is loaded and split, and back in its former state afterwards,
    also after an error."""
    import gc

    import toolkit
    from toolkit import ToolkitError

    (tmp_path / "a.txt").write_text("Regular Press Conference on 3 May 2019\nQ: Any comment?\nA: We see. We oppose it.\n")
    seen = []

    def spy(module, name):
        original = getattr(module, name)

        def wrapped(*args, **kwargs):
            seen.append((name, gc.isenabled()))
            return original(*args, **kwargs)
        return wrapped

    with pytest.MonkeyPatch.context() as patch:
        for module, name in ((corpus, "_assemble"), (turns, "_turn_rows"), (sentences, "_split_texts")):
            patch.setattr(module, name, spy(module, name))
        briefings = toolkit.load_briefings(tmp_path, use_cache=False)
        split = toolkit.split_sentences(toolkit.split_turns(briefings, use_cache=False), use_cache=False)
    assert seen == [("_assemble", False), ("_turn_rows", False), ("_split_texts", False)] and gc.isenabled()
    assert split["text"].tolist() == ["Any comment?", "We see.", "We oppose it."]
    for call in (lambda: toolkit.load_briefings(tmp_path / "missing"), lambda: toolkit.split_turns(split.drop(columns="text")),
                 lambda: toolkit.split_sentences(split)):
        with pytest.raises(ToolkitError):
            call()
        assert gc.isenabled()
    gc.disable()
    try:
        toolkit.split_turns(briefings, use_cache=False)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("block", [1, 7, 64, 1 << 17])
def test_word_counts_in_blocks_equal_the_regular_expression(block, monkeypatch):
    from toolkit import text

    monkeypatch.setattr(text, "_BLOCK", block)
    values = ["a b", "", "don’t stop", "x" * 300, "naïve café", "one two three " * 50, "\n", "é", "-", "a-b'c d"] * 3
    assert count_words(values, "en").tolist() == [len(re.findall(EN_WORD, value)) for value in values]
    assert count_words(["word " * 100_000, "b c"], "en").tolist() == [100_000, 2]
