"""Phrase senses: context rules of phrases.csv (hand-written sentences, errors, the MFA corpora) and the Chinese
defence vocabulary of zh_dictionary.csv.

The corpus expectations are the doc_ids of the KWIC lines read one by one (each line: the briefing, and how many
hits it holds); a line that changes sense changes these lists, not a bare total.
"""
from __future__ import annotations

import re
from collections import Counter

import pandas as pd
import pytest

import toolkit
from toolkit import ToolkitError, count_terms, kwic
from toolkit.datafiles import DATA
from toolkit.terms import TermAnalyzer, load_phrases
from toolkit.text import jieba_tokenizer

# China's mil-to-mil relations with another country (China-US): 11 lines
MIL_TO_MIL_EN = {"61339184a5d5c7d4": 1,   # exchange views on China-US relations, military ties and ...
                 "9ea4fdd58b9b11a8": 1,   # bilateral relations including mil-to-mil ties
                 "0a7264e886c9a101": 3,   # the US side values mil-to-mil relations with China ...
                 "03d0b8711df30935": 2,   # military ties between the two sides; China-US ... mil-to-mil relations
                 "347b2ff59d4c6521": 1,   # the bilateral and mil-to-mil ties between the two sides
                 "a3086c406fa9063a": 3}   # Mil-to-mil relations are ...; China-US military relations / ties
# "stop ... military ties/contact/links with Taiwan", "military ties between the US and Taiwan": 25 lines
US_TAIWAN_EN = {"727f0f5fd200099c": 1, "16b5d69cce6b1320": 1, "504ca83b7224b5e7": 1, "ec7538020cb45088": 2,
                "fb9a1ff82737fcf8": 2, "86d6698a1e9234d8": 1, "3e2c8d5a7e0ad35b": 2, "958c4bf7bb39f241": 1,
                "6fc453424163e993": 1, "9b95e457c4f5d0f7": 1, "39f712197473203b": 1, "d061a879d1e07143": 1,
                "2c3e9e313c1375ed": 2, "a3086c406fa9063a": 2, "52812ee774c72c9c": 1, "1fc9bee078dbb418": 1,
                "9d5e564c60ad5b2b": 1, "ec39eba607cd45b9": 1, "ddc38dc2ae2fc7b1": 1, "9d9cf83f96955e11": 1}
# 中美 / 中印两军关系: 25 lines (the Singapore-Taiwan 军事关系 of 716640f231191d46 no longer counts)
MIL_TO_MIL_ZH = {"6d593e88ab896dff": 1, "8b34f653ba287f7e": 1, "308d61d652687328": 1, "7dff5f405dfe7d2f": 1,
                 "8d8d3ba86b2a97c5": 1, "897806c9811a2693": 6, "586a3f2499b3a881": 1, "a7adcb21e9de0321": 1,
                 "903fc10e8c4dead1": 1, "59354294f31f2322": 1, "6d87cee02149040f": 1, "adc5c70b0af2ef5b": 3,
                 "11cddf49093728ab": 1, "8ab6a8316041a0b5": 1, "94acdf68120396f0": 3, "c8d1c3098dcf3b07": 1}
# 停止美台军事联系, 反对美台进行任何形式的官方往来和军事联系, 不与台湾 ... 军事往来: 42 lines
US_TAIWAN_ZH = {"977cfa377cc4c316": 1, "9d938f93bea33e0c": 1, "c9a11962371187e5": 1, "a68d29ca133ad8ad": 1,
                "d55b1a9466a772b3": 1, "11f7f3aa2992332b": 1, "308d61d652687328": 1, "1878a7934e316d3d": 1,
                "a8949897f11de6c3": 1, "223b1030c066cb64": 1, "fd1a3938b7da9da2": 1, "3ec916f9544fa1bd": 2,
                "619bdf82e56de8eb": 1, "b2f313854607e276": 1, "c62fb346e42e7e09": 1, "7e22aa027a9dc978": 1,
                "4f8f77164db8cd2c": 1, "8913cb0040ace595": 1, "2d54c57550da495f": 1, "ba976b09c4a564e2": 2,
                "bc02a17ac80d83d4": 2, "e29e00db39ed710a": 1, "e30b980cc537ea6c": 2, "bab168c5161349fe": 1,
                "44e38e4d5f35f7ee": 1, "5d8f4cf40358a229": 1, "7553a75ccb2329c9": 1, "117c2737803a7a24": 1,
                "1728c0f8516e3e4e": 2, "94acdf68120396f0": 2, "2e207378244c9b7b": 1, "329c02f0d3841249": 1,
                "7731a7bd400db9a2": 1, "61379b7661711c22": 1, "63dd468ee2c6eff0": 1, "cc4d9989ae4d7ba9": 1}


def phrases_of(text, **options):
    return [t for t in TermAnalyzer(stop_words=None, **options).tokens(text) if " " in t or not t.isascii()]


# ----------------------------------------------------------------------------------------- hand-written
@pytest.mark.parametrize("text, expected", [
    ("China firmly opposes military ties between the US and Taiwan.", ["US-Taiwan military ties"]),
    ("The US should stop arms sales to and military contact with Taiwan.", ["US-Taiwan military ties"]),
    ("China-US military ties are a stabilizer.", ["mil-to-mil relations"]),
    ("The two sides discussed military relations between the two countries.", ["mil-to-mil relations"]),
    ("Military-to-military ties matter.", ["mil-to-mil relations"]),
    ("Japan-Australia military ties deepen.", []),            # no China, no Taiwan: plain words
    ("Military contacts resumed last year.", []),
])
def test_english_ambiguous_variants_follow_their_context(text, expected):
    tokens = TermAnalyzer(stop_words=None).tokens(text)
    assert [t for t in tokens if t in {"US-Taiwan military ties", "mil-to-mil relations"}] == expected
    if not expected:
        assert "military" in tokens


@pytest.mark.parametrize("text, expected", [
    ("中方坚决反对美台进行任何形式的官方往来和军事联系。", "美台军事联系"),
    ("我们敦促美方停止美台军事联系。", "美台军事联系"),
    ("中美军事关系保持稳定发展。", "两军关系"),
    ("新加坡和台湾长期保持军事关系。", None),                 # 台 nearby: not China's 两军关系
    ("据报道，美国海军军舰进入西沙群岛领海。", None),          # not the PLA Navy
    ("中国海军护航编队完成任务。", "解放军海军"),
    ("新加坡国防部今天表示。", None),                          # not China's MND
    ("具体情况建议你向国防部了解。", "中国国防部"),
])
def test_chinese_ambiguous_variants_follow_their_context(text, expected):
    canonicals = {"美台军事联系", "两军关系", "解放军海军", "中国国防部"}
    found = [t for t in TermAnalyzer(stop_words=None).tokens(text) if t in canonicals]
    assert found == ([expected] if expected else [])


def test_rows_of_one_variant_are_tried_in_order_with_a_window():
    table = pd.DataFrame({"canonical": ["alpha ties", "beta ties", "beta ties"],
                          "variant": ["joint ties", "joint ties", "beta ties"],
                          "context": ["alpha", "", ""], "not_context": ["", "gamma", ""],
                          "window": ["2", "3", ""]})
    tokens = lambda text: TermAnalyzer(stop_words=None, phrases=table).tokens(text)   # noqa: E731
    assert "alpha ties" in tokens("alpha and joint ties")                 # alpha within 2 words
    assert "beta ties" in tokens("alpha one two joint ties")              # alpha 3 words away: next row
    assert tokens("joint ties with gamma") == ["joint", "ties", "with", "gamma"]     # no row holds
    assert "beta ties" in tokens("Alpha and joint ties")                  # patterns are case-sensitive
    frame = pd.DataFrame({"doc_id": ["a"], "text": ["alpha and joint ties; joint ties here."]})
    lines = kwic(frame, "beta ties", phrases=table)
    assert lines[["match", "variant", "start"]].values.tolist() == [["joint ties", "joint ties", 22]]
    tm = count_terms(frame, phrases=table, stop_words=None)
    assert [tm.matrix[:, tm.vocabulary[term]].sum() for term in ("alpha ties", "beta ties")] == [1, 1]


@pytest.mark.parametrize("change, message", [
    ({"context": ["(Taiwan", "", ""]}, r"row 0 \(canonical 'x', variant 'v'\): context '\(Taiwan' is not a regular"),
    ({"window": ["8", "", "5"]}, r"row 2 .*window '5' without 'context'"),
    ({"window": ["eight", "", ""]}, r"row 0 .*window 'eight' must be a positive whole number"),
    ({"context": ["", "a", ""], "window": ["", "3", ""]}, r"row 0 .*no context rule, so the later rows of variant 'v'"),
])
def test_sense_column_errors_name_the_row_and_the_fix(change, message):
    table = pd.DataFrame({"canonical": ["x", "y", "z"], "variant": ["v", "v", "w"],
                          "context": ["T", "", ""], "not_context": ["", "", ""], "window": ["8", "", ""]})
    with pytest.raises(ToolkitError, match=r"count_terms\(\): phrases " + message):
        count_terms(pd.DataFrame({"doc_id": ["a"], "text": ["v"]}), phrases=table.assign(**change))


def test_packaged_senses_have_one_note_per_canonical_and_documented_columns():
    raw = pd.read_csv(DATA / "phrases.csv", keep_default_na=False, dtype=str)
    first = raw.groupby("canonical", sort=False).head(1)
    assert (first["note"] != "").all(), first.loc[first["note"] == "", "canonical"].tolist()
    assert (raw.drop(first.index)["note"] == "").all()
    ruled = load_phrases().query("window > 0")
    assert {"military ties", "军事联系", "军事关系", "宣言", "海军", "国防部"} <= set(ruled["variant"])
    readme = (DATA / "README.md").read_text()
    for word in ("`context`", "`not_context`", "`window`", "zh_dictionary.csv"):
        assert word in readme


# ----------------------------------------------------------------------------------------- MFA corpora
@pytest.fixture(scope="module")
def mfa_en(mfa_en_path):
    return toolkit.load_briefings(mfa_en_path)


@pytest.fixture(scope="module")
def mfa_zh(mfa_zh_path):
    return toolkit.load_briefings(mfa_zh_path)


def test_english_mil_to_mil_and_us_taiwan_ties_are_apart(mfa_en):
    mil, taiwan = kwic(mfa_en, "mil-to-mil relations"), kwic(mfa_en, "US-Taiwan military ties")
    assert Counter(mil["doc_id"]) == MIL_TO_MIL_EN and Counter(taiwan["doc_id"]) == US_TAIWAN_EN
    # the done-when of the issue: at most 1 US-Taiwan tie under mil-to-mil, at least 8 China-X hits
    assert sum(bool(re.match(r"\W*(?:with|between)\b.{0,40}Taiwan", right)) for right in mil["right"]) <= 1
    assert len(mil) >= 8
    assert taiwan["right"].str.contains("Taiwan").all()
    # the 15 'military ties' that the old table counted as mil-to-mil are the US-Taiwan term's
    assert (taiwan["variant"] == "military ties").sum() == 15


def test_chinese_mil_to_mil_and_us_taiwan_ties_are_apart(mfa_zh):
    mil, taiwan = kwic(mfa_zh, "两军关系"), kwic(mfa_zh, "美台军事联系")
    assert Counter(mil["doc_id"]) == MIL_TO_MIL_ZH and Counter(taiwan["doc_id"]) == US_TAIWAN_ZH
    near = (mil["left"].str[-6:] + mil["right"].str[:6]).str.contains("台")
    assert near.sum() <= 1 and len(mil) >= 8
    assert (taiwan["left"].str[-20:] + taiwan["match"]).str.contains("台").all()


def test_other_revised_senses_on_the_english_corpus(mfa_en):
    conduct = kwic(mfa_en, "code of conduct")
    # 1ea114e76b860500: the International Code of Conduct for Information Security, not the South China Sea COC
    assert "1ea114e76b860500" not in set(conduct["doc_id"])
    assert len(conduct) >= 40
    council = kwic(mfa_en, "National Security Council")
    assert len(council) >= 15 and "national security" not in set(council["term"])
    assert not kwic(mfa_en, "national security")["right"].str.match(r"Council").any()


def test_other_revised_senses_on_the_chinese_corpus(mfa_zh):
    doc = kwic(mfa_zh, "南海各方行为宣言")
    short = doc[doc["variant"] == "宣言"]
    assert len(short) >= 15 and not short["left"].str.contains("平壤|板门店|利马").any()
    navy = kwic(mfa_zh, "解放军海军")
    assert not navy["left"].str[-2:].isin(["美国", "日本", "印度"]).any()
    mnd = kwic(mfa_zh, "中国国防部")
    assert not mnd["left"].str.contains(r"(?:新加坡|土耳其|澳大利亚|美国)\s*$").any()


# ----------------------------------------------------------------------------------------- zh dictionary
def test_zh_dictionary_is_documented_and_in_the_project_dictionary():
    table = pd.read_csv(DATA / "zh_dictionary.csv", keep_default_na=False, dtype=str)
    assert list(table.columns) == ["word", "category", "note"]
    assert not table["word"].duplicated().any() and (table["note"] != "").all()
    assert set(table["category"]) <= {"equipment", "unit", "rank", "place", "person", "activity"}
    assert set(table["word"]) <= set(jieba_tokenizer().FREQ)


def test_real_sentences_keep_dictionary_words_whole(mfa_zh):
    table = pd.read_csv(DATA / "zh_dictionary.csv", keep_default_na=False, dtype=str)
    names = pd.read_csv(DATA / "spokespersons.csv", keep_default_na=False, dtype=str)["name_zh"]
    sentences = [s for text in mfa_zh["text"] for s in re.split(r"(?<=[。？！\n])", text)]
    tokenizer = jieba_tokenizer()
    whole = {}
    for word in [*table["word"], *names]:
        # one token holds it (itself, or a longer word such as 美国第七舰队); 关岛 also occurs in 有关岛屿
        found = (s for s in sentences if word in s and any(word in t for t in tokenizer.lcut(s)))
        whole[word] = next(found, None)
    present = {word for word in whole if any(word in s for s in sentences)}
    assert {word for word, sentence in whole.items() if sentence} == present
    assert len(present) >= 50
    # the splits the notes name are real: jieba's own dictionary cuts the word in a sentence that we keep it in
    import jieba
    plain = jieba.Tokenizer()
    repaired = table.loc[table["note"].str.contains("jieba split"), "word"]
    assert {"无人潜航器", "锡金段", "蒂勒森", "国务委员兼外长", "蔡英文"} <= set(repaired)
    for word in repaired:
        cut = [s for s in sentences if word in s and word in tokenizer.lcut(s) and word not in plain.lcut(s)]
        assert cut, word


def test_keyness_top_terms_have_no_split_fragments(mfa_zh):
    tm = count_terms(mfa_zh, lang="zh")
    fragments = {"器", "森", "段", "兼", "蔡", "潜航", "蒂勒", "尔特"}
    for year in ("2016", "2017", "2018"):
        top = toolkit.keyness(tm, target=year).query("keyness > 0").head(25)["term"]
        assert not fragments & set(top), (year, sorted(fragments & set(top)))
