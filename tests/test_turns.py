"""split_turns, pair_dyads, split_sentences: every label style, the real corpora, properties."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nltk.tokenize.punkt import PunktSentenceTokenizer

import toolkit
from toolkit import load_briefings, pair_dyads, split_sentences, split_turns


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))


def turns_of(text: str, **columns) -> pd.DataFrame:
    frame = pd.DataFrame({"text": [text], "date": ["2024-01-25"], **{k: [v] for k, v in columns.items()}})
    return split_turns(load_briefings(frame))


def roles(turns: pd.DataFrame) -> list[tuple]:
    return list(zip(turns["role"], turns["speaker"].fillna(""), turns["text"]))


# --- MND label styles (fixtures in our own words, reproducing the format facts) ------------------

def test_question_answer_labels_2015():
    t = turns_of("Good afternoon. I have one announcement.\nQuestion: Will the drills continue?\nAnswer:They will go on as planned.\n"
                 "Question 1: Another one?\nAnswer: Yes.", spokesperson="Yang Yujun")
    assert roles(t) == [
        ("statement", "Yang Yujun", "Good afternoon. I have one announcement."),
        ("question", "", "Will the drills continue?"),
        ("answer", "Yang Yujun", "They will go on as planned."),
        ("question", "", "Another one?"),
        ("answer", "Yang Yujun", "Yes."),
    ]


def test_rank_name_labels_2018_and_unknown_spokesperson():
    t = turns_of("Question: Any comment on the report?\nSenior Colonel Wu Qian: It is groundless.\n"
                 "Question: And the exercise?\nColonel Li Ming: It targets no third party.")
    assert [(r, s) for r, s, _ in roles(t)] == [("question", ""), ("answer", "Wu Qian"), ("question", ""), ("answer", "Li Ming")]


def test_journalist_and_bare_name_2025():
    t = turns_of("Journalist: What about the joint patrol?\nZhang Xiaogang: The patrol is routine.\n"
                 "Reporter: Follow-up on that?\nJiang Bin: No more to add.")
    assert [(r, s) for r, s, _ in roles(t)] == [("question", ""), ("answer", "Zhang Xiaogang"), ("question", ""), ("answer", "Jiang Bin")]


def test_label_alone_on_its_line_and_empty_turn():
    t = turns_of("Question:\n    What is the purpose of the visit?\nAnswer:\nAnswer:\n    To deepen mutual trust.")
    assert roles(t) == [("question", "", "What is the purpose of the visit?"), ("answer", "", ""), ("answer", "", "To deepen mutual trust.")]
    dyads = pair_dyads(t)
    assert dyads[["question", "answer"]].values.tolist() == [["What is the purpose of the visit?", "To deepen mutual trust."]]


def test_same_speaker_twice_and_announcements():
    t = turns_of("Announcement 1: The navy will hold an open day.\nAnnouncement 2: A forum opens next week.\n"
                 "Q: Is the forum open to the press?\nTan Kefei: Yes.\nTan Kefei: Registration starts Monday.")
    assert [r for r, _, _ in roles(t)] == ["statement", "statement", "question", "answer", "answer"]
    assert pair_dyads(t)["answer"].tolist() == ["Yes.\nRegistration starts Monday."]


def test_headline_and_caption_are_not_turns():
    frame = pd.DataFrame({"text": [
        "Tan Kefei: Chinese Defense Ministry urges US to stop provocations\n"
        "Wu Qian: the spokesperson at a press conference (source: video synthesis)\n"
        "Question: Your comment?\nTan Kefei: We urge the US side to stop."], "date": ["2021-03-01"]})
    t = split_turns(load_briefings(frame))
    assert [r for r, _, _ in roles(t)] == ["statement", "question", "answer"]
    assert t["text"].iloc[0].startswith("Tan Kefei: Chinese Defense Ministry urges")


def test_inline_labels_and_colon_in_text():
    t = turns_of("Q: What time is the launch? A: It is at 10:30 local time. Q: Who decided: the navy or the army? "
                 "A: The navy.\nBetween 00:00 and 24:00, traffic will be closed.")
    assert [r for r, _, _ in roles(t)] == ["question", "answer", "question", "answer"]
    assert t["text"].iloc[1] == "It is at 10:30 local time."
    assert t["text"].iloc[3].endswith("traffic will be closed.")


# --- MFA and Chinese labels ---------------------------------------------------------------------

def test_mfa_outlets_follow_up_and_spokesperson():
    t = turns_of("Reuters: Can you confirm the visit?\nZhao Lijian: I have no information.\n"
                 "Follow-up: Will you check?\nZhao Lijian: We will release information in due course.\n"
                 "The Globe and Mail: A question on Canada.\nZhao Lijian: China's position is clear.")
    assert [(r, s) for r, s, _ in roles(t)] == [
        ("question", "Reuters"), ("answer", "Zhao Lijian"), ("question", "Reuters"),
        ("answer", "Zhao Lijian"), ("question", "The Globe and Mail"), ("answer", "Zhao Lijian")]
    assert pair_dyads(t)["is_follow_up"].tolist() == [False, True, False]


def test_sentences_with_colons_are_not_labels():
    t = turns_of("A: I want to stress three points: first, peace. What I want to say is: China stays calm.\n"
                 "But one thing is certain: we oppose it.\nSecond: we urge restraint.")
    assert [r for r, _, _ in roles(t)] == ["answer"]


def test_chinese_labels():
    t = turns_of("问：美方称将部署导弹，中方有何评论？\n答：我们坚决反对。\n路透社记者：追问一下？\n追问：还有吗？\n赵立坚：没有了。\n外交部发言人赵立坚宣布：应邀将访华。")
    assert [(r, s) for r, s, _ in roles(t)] == [
        ("question", ""), ("answer", "Zhao Lijian"), ("question", "路透社"), ("question", "路透社"),
        ("answer", "Zhao Lijian"), ("statement", "Zhao Lijian")]


def test_chinese_asker_labels_ending_in_tiwen():
    # the 2020-06-15 MFA page labels its questions 总台央视记者提问： (issue 15 found the whole page unsplit)
    t = turns_of("总台央视记者提问：中方对此有何评论？\n汪文斌：中方坚决反对。\n记者问：还有问题吗？\n汪文斌：没有了。")
    assert [(r, s) for r, s, _ in roles(t)] == [
        ("question", "总台央视"), ("answer", "Wang Wenbin"), ("question", ""), ("answer", "Wang Wenbin")]


# --- news reports (the seed) --------------------------------------------------------------------

def test_seed_report_turns(seed_path):
    t = split_turns(load_briefings(seed_path))
    assert t["role"].tolist() == ["report", "context", "question", "report", "report", "report", "report", "report"]
    assert set(t.loc[t["role"] == "report", "speaker"]) == {"Wu Qian"}
    assert t["text"].str.count(r"(?i)mil-to-mil").sum() == 3
    assert t["text"].iloc[2].startswith("Senior Colonel Wu was asked")


# --- the real corpora ----------------------------------------------------------------------------

def test_mfa_english_dyads(mfa_en_path):
    turns = split_turns(load_briefings(mfa_en_path))
    dyads = pair_dyads(turns)
    answered = dyads[dyads["answer"] != ""]
    assert len(answered) >= 4000 and len(answered) / len(dyads) > 0.99
    assert set(answered["answerer"].dropna()) == {"Geng Shuang", "Hua Chunying", "Lu Kang", "Zhao Lijian"}
    assert dyads["question"].str.len().gt(0).all()
    # a spokesperson's name never labels a question, an outlet never labels an answer
    assert not turns.loc[turns["role"] == "question", "speaker"].isin(["Geng Shuang", "Hua Chunying", "Lu Kang", "Zhao Lijian"]).any()
    assert turns.loc[turns["role"] == "answer", "speaker"].isin(["Geng Shuang", "Hua Chunying", "Lu Kang", "Zhao Lijian"]).all()


def test_mfa_chinese_question_answer(mfa_zh_path):
    turns = split_turns(load_briefings(mfa_zh_path))
    counts = turns["role"].value_counts()
    raw = pd.read_json(mfa_zh_path, lines=True, dtype=False)["text"]
    n_wen = raw.str.count(r"(?m)^问：").sum()
    n_da = raw.str.count(r"(?m)^答：").sum()
    assert counts["question"] >= n_wen and counts["answer"] >= n_da
    assert len(pair_dyads(turns)) >= 0.95 * n_wen


# --- sentences -----------------------------------------------------------------------------------

def test_sentences_abbreviations():
    t = turns_of("A: On Jan. 28 the U.S. side sent Sr. Col. Smith to Beijing. He met Gen. Li! Did they agree? "
                 "Yes. The talks ended at 5 p.m. on Friday.")
    s = split_sentences(t)
    assert s["text"].tolist() == [
        "On Jan. 28 the U.S. side sent Sr. Col. Smith to Beijing.", "He met Gen. Li!", "Did they agree?", "Yes.",
        "The talks ended at 5 p.m. on Friday."]
    assert s["sent_id"].tolist() == [0, 1, 2, 3, 4] and (s["turn_id"] == 0).all()


def test_sentences_chinese():
    t = turns_of("答：中方坚决反对。我们敦促美方停止挑衅！“这是原则问题。”你还有问题吗？")
    assert split_sentences(t)["text"].tolist() == ["中方坚决反对。", "我们敦促美方停止挑衅！", "“这是原则问题。”", "你还有问题吗？"]


def test_sentences_agree_with_nltk_punkt(mfa_en_path):
    """Same trained parameters: our splitter and NLTK's PunktSentenceTokenizer agree on almost every paragraph."""
    briefings = load_briefings(mfa_en_path)
    params = toolkit.train_punkt(briefings["text"])
    punkt = PunktSentenceTokenizer(params)
    paragraphs = [p for text in briefings["text"].iloc[::10] for p in text.split("\n")]
    ours = split_sentences(pd.DataFrame({"doc_id": range(len(paragraphs)), "text": paragraphs}), params=params)
    agree = sum(ours.loc[ours["doc_id"] == i, "text"].tolist() == punkt.tokenize(p) for i, p in enumerate(paragraphs))
    assert agree / len(paragraphs) > 0.98


# --- properties ----------------------------------------------------------------------------------

LABELS = ["Q: ", "A: ", "Question: ", "Answer:", "Reuters: ", "Senior Colonel Wu Qian: ", "Journalist: ", "问：", "答：",
          "Zhao Lijian: ", "Follow-up: ", "Wu said that ", "He mentioned that ", ""]
PIECES = st.lists(
    st.tuples(st.sampled_from(LABELS), st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=80)),
    max_size=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pieces=PIECES, kind=st.sampled_from(["regular_press_conference", "news_report", None]))
def test_no_text_lost_or_invented(pieces, kind):
    text = "\n".join(label + body for label, body in pieces)
    frame = pd.DataFrame({"doc_id": ["d"], "text": [text], "kind": [kind], "spokesperson": ["Wu Qian"], "lang": ["en"]})
    turns = split_turns(frame, use_cache=False)
    squash = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    assert squash("".join(turns["label"] + turns["text"])) == squash(text)
    assert turns["turn_id"].tolist() == list(range(len(turns)))
    dyads = pair_dyads(turns)
    assert len(dyads) <= (turns["role"] == "question").sum()
