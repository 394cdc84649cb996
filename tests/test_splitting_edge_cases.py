"""split_turns, split_sentences and score_stance on odd but legal input (issue 17): nothing crashes, nothing is lost,
no row copies text wider than its own unit, and long turns score in linear time."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from toolkit import ToolkitError, split_sentences, split_turns
from toolkit.stance import score_stance

SENTENCE_COLUMNS = {"doc_id": "str", "turn_id": "int64", "sent_id": "int64", "text": "str"}
TURN_DTYPES = {"turn_id": "int64", "role": "str", "speaker": "str", "label": "str", "text": "str", "n_words": "int64"}


def texts(*values) -> pd.DataFrame:
    """A briefings-like table, the texts kept as given (object dtype, so None, numbers and surrogates survive)."""
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(values))], "text": pd.Series(values, dtype=object)})


def dtypes(frame: pd.DataFrame) -> dict:
    return {column: str(dtype) for column, dtype in frame.dtypes.items()}


# --- #2: no sentence, no turn: an empty table with the usual columns and dtypes ----------------------------------

@pytest.mark.parametrize("frame", [
    texts(""), texts(None), texts(np.nan), texts("   \n\t\n "), texts(),
    pd.DataFrame({"doc_id": [], "text": []}),
], ids=["empty text", "None", "NaN", "whitespace", "no rows", "untyped empty frame"])
def test_no_sentence_gives_an_empty_table_with_the_usual_columns(frame):
    out = split_sentences(frame, use_cache=False)
    assert out.empty
    assert list(out.columns) == list(SENTENCE_COLUMNS)
    assert {c: t for c, t in dtypes(out).items() if c != "doc_id"} == {c: t for c, t in SENTENCE_COLUMNS.items()
                                                                       if c != "doc_id"}
    full = split_sentences(texts("One. Two."), use_cache=False)
    assert list(full.columns) == list(out.columns) and dtypes(full) == SENTENCE_COLUMNS


@pytest.mark.parametrize("frame", [texts(), texts(""), texts(None), pd.DataFrame({"doc_id": [], "text": []})],
                         ids=["no rows", "empty text", "None", "untyped empty frame"])
def test_empty_corpus_gives_empty_turns_and_sentences(frame):
    turns = split_turns(frame, use_cache=False)
    assert turns.empty and list(turns.columns) == ["doc_id", *TURN_DTYPES]
    assert {c: t for c, t in dtypes(turns).items() if c != "doc_id"} == TURN_DTYPES
    sentences = split_sentences(turns, use_cache=False)
    assert sentences.empty
    assert list(sentences.columns) == ["doc_id", "turn_id", "sent_id", "role", "speaker", "label", "text", "n_words"]
    assert dtypes(sentences)["sent_id"] == "int64" and dtypes(sentences)["n_words"] == "int64"


def test_labels_only_give_empty_turns_and_no_sentence():
    turns = split_turns(texts("Q:\nA:\nQ:"), use_cache=False)
    assert turns["label"].tolist() == ["Q:", "A:", "Q:"] and (turns["text"] == "").all()
    assert split_sentences(turns, use_cache=False).empty


# --- odd values: missing texts, numbers, lone surrogates, int doc_ids, duplicate doc_ids -------------------------

def test_missing_text_is_no_text_not_the_word_nan():
    turns = split_turns(texts(np.nan, None, "A: Yes."), use_cache=False)
    assert turns[["doc_id", "text"]].values.tolist() == [["d2", "Yes."]]


def test_lone_surrogate_becomes_a_replacement_character_and_keeps_every_other_character():
    text = "Q: Is \ud800 there?\nA: Yes \udfff. It is."
    turns = split_turns(texts(text), use_cache=False)
    assert "".join(turns["label"] + turns["text"]) == "Q:Is \ufffd there?A:Yes \ufffd. It is."
    assert split_sentences(turns, use_cache=False)["text"].tolist() == ["Is \ufffd there?", "Yes \ufffd.", "It is."]
    assert split_sentences(texts(text))["text"].tolist()[-1] == "It is."  # with the cache too
    answer = texts("We oppose the US \ud800 move.").assign(role="answer")
    assert score_stance(answer, method="lexicon")[["score", "text"]].values.tolist() == [[-0.5, "We oppose the US \ufffd move."]]


def test_int_and_duplicate_doc_ids_keep_one_row_per_input_row():
    frame = pd.DataFrame({"doc_id": [7, 7, 8], "text": ["Q: One? A: Yes.", "A: Two. Three.", 42]})
    turns = split_turns(frame, use_cache=False)
    assert turns[["doc_id", "text"]].values.tolist() == [[7, "One?"], [7, "Yes."], [7, "Two. Three."], [8, "42"]]
    assert turns["turn_id"].tolist() == [0, 1, 0, 0]
    sentences = split_sentences(turns, use_cache=False)
    assert sentences[["doc_id", "turn_id", "sent_id"]].values.tolist() == [[7, 0, 0], [7, 1, 0], [7, 0, 0], [7, 0, 1],
                                                                         [8, 0, 0]]


def test_splitting_sentences_again_is_a_clear_error():
    sentences = split_sentences(texts("One. Two."), use_cache=False)
    with pytest.raises(ToolkitError, match="already split into sentences"):
        split_sentences(sentences)


def test_source_dyads_is_held_once_per_briefing():
    dyads = json.dumps([{"dyad_id": 0, "topic": "x" * 1000}])
    frame = texts("Q: One?\nA: Yes.\nQ: Two?\nA: No.").assign(source_dyads=dyads)
    turns = split_turns(frame, use_cache=False)
    assert isinstance(turns["source_dyads"].dtype, pd.CategoricalDtype)
    assert len(turns["source_dyads"].cat.categories) == 1 and (turns["source_dyads"] == dyads).all()
    assert split_sentences(turns, use_cache=False)["source_dyads"].cat.categories.tolist() == [dyads]


# --- #3: memory stays linear and small: no row copies a wider text ------------------------------------------------

_PEAK_SCRIPT = """
import json, sys, tracemalloc
import pandas as pd, pyarrow as pa
import toolkit
frame = pd.DataFrame({"doc_id": ["d"], "text": ["Q:\\n" * int(sys.argv[1])]})
tracemalloc.start()
n = len(toolkit.split_sentences(frame, use_cache=False))
n += len(toolkit.split_sentences(toolkit.split_turns(frame, use_cache=False), use_cache=False))
python, arrow = tracemalloc.get_traced_memory()[1], pa.default_memory_pool().max_memory()
print(json.dumps({"rows": n, "python": python, "arrow": arrow}))
"""


def test_one_megabyte_of_labels_peaks_at_a_few_hundred_megabytes():
    """1 MB of "Q:\\n": 333,334 one-label sentences and empty turns. Copying the text into each sentence row made
    this 333,334 x 1 MB; now Python's heap (tracemalloc) and Arrow's buffers (where pandas keeps ``str`` columns,
    which tracemalloc does not see) stay well under 400 MB. Run in a fresh interpreter so Arrow's peak is this
    call's."""
    lines = 1_000_002 // 3
    run = subprocess.run([sys.executable, "-c", _PEAK_SCRIPT, str(lines)], capture_output=True, text=True, check=True)
    peak = json.loads(run.stdout.strip().splitlines()[-1])
    assert peak["rows"] == lines
    assert peak["python"] + peak["arrow"] < 400 * 2**20, peak


# --- #18: a long turn scores in linear time; the numbers are the hand-computed ones ------------------------------

@pytest.mark.parametrize("attach", ["clause", "nearest", "sentence"])
def test_long_turn_of_repeated_sentences_hand_computed(attach):
    """N times "We firmly oppose the US move, and Japan is a friend.": a period does not end a clause, so the
    clauses are "We firmly oppose the US move" (US), then N-1 times "and Japan is a friend. We firmly oppose the
    US move" (Japan, US), then "and Japan is a friend." (Japan). firmly+oppose = 1.5 x -2 = -3, friend = +1.5."""
    n = 3000
    turn = pd.DataFrame({"doc_id": ["d"], "turn_id": [0], "role": ["answer"],
                         "text": [" ".join(["We firmly oppose the US move, and Japan is a friend."] * n)]})
    out = score_stance(turn, unit="turn", attach=attach, method="lexicon").set_index("target")
    if attach == "nearest":  # friend (k) is nearer to Japan (k) than to the US (k+1); oppose (k) to the US (k)
        us_p, us_n, japan_p, japan_n = 0, 3 * n, 1.5 * n, 0
    elif attach == "clause":  # each "friend" but the last also counts for the US; each "oppose" but the first for Japan
        us_p, us_n, japan_p, japan_n = 1.5 * (n - 1), 3 * n, 1.5 * n, 3 * (n - 1)
    else:
        us_p, us_n, japan_p, japan_n = 1.5 * n, 3 * n, 1.5 * n, 3 * n
    assert out.loc["United States", "score"] == pytest.approx((us_p - us_n) / (us_p + us_n + 2))
    assert out.loc["Japan", "score"] == pytest.approx((japan_p - japan_n) / (japan_p + japan_n + 2))
    assert out.loc["United States", "n_hostile"] == us_n / 3
    assert out.loc["United States", "cues"].count("firmly+oppose(-3)") == us_n / 3
