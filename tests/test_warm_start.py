"""Warm start: unchanged files are not read again, turns and sentences are found by the briefings' key, and
any change (a file's bytes, a text edited in place) is seen."""
from __future__ import annotations

import hashlib
import json
import os
import time

import pandas as pd
import pytest

import toolkit
from toolkit import cache

LINES = [
    {"doc_id": "a", "date": "2020-01-05", "title": "Regular Press Conference",
     "text": "Opening remarks here.\nQ: Is the sea calm?\nA: The South China Sea is calm."},
    {"doc_id": "b", "date": "2020-02-05", "title": "Regular Press Conference",
     "text": "Q: Any news?\nA: None today. Thank you."},
]


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "b.jsonl"
    _write(path, LINES, age=60)
    return path


def _write(path, lines, *, age: float) -> None:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    then = time.time() - age
    os.utime(path, (then, then))


@pytest.fixture
def digests(monkeypatch):
    """Counts the files hashed."""
    calls = []
    real = hashlib.file_digest

    def counting(handle, name):
        calls.append(handle.name)
        return real(handle, name)

    monkeypatch.setattr(cache.hashlib, "file_digest", counting)
    return calls


def test_an_unchanged_file_is_not_read_again(corpus, digests):
    first = toolkit.load_briefings(corpus)
    second = toolkit.load_briefings(corpus)
    assert digests == [str(corpus)]
    pd.testing.assert_frame_equal(first, second)


def test_a_changed_file_is_read_again_even_with_its_old_size_and_mtime(corpus, digests):
    toolkit.load_briefings(corpus)
    old = corpus.stat()
    changed = [dict(LINES[0], text=LINES[0]["text"].replace("calm", "warm")), LINES[1]]
    _write(corpus, changed, age=60)
    os.utime(corpus, ns=(old.st_atime_ns, old.st_mtime_ns))                  # same size, same mtime
    assert corpus.stat().st_size == old.st_size
    briefings = toolkit.load_briefings(corpus)
    assert len(digests) == 2
    assert "warm" in briefings.loc[briefings["doc_id"] == "a", "text"].item()


def test_a_file_hashed_just_after_its_change_is_hashed_again(corpus, digests):
    _write(corpus, LINES, age=0)                              # changed now: within the clock's tick of the hash
    toolkit.load_briefings(corpus)
    toolkit.load_briefings(corpus)
    assert digests == [str(corpus)] * 2


def test_turns_and_sentences_are_found_by_the_briefings_key(corpus, monkeypatch):
    briefings = toolkit.load_briefings(corpus)
    turns = toolkit.split_turns(briefings)
    sentences = toolkit.split_sentences(turns)
    hashed = []
    real = cache.frame_digest
    monkeypatch.setattr(cache, "frame_digest", lambda frame, columns: hashed.append(columns) or real(frame, columns))
    again = toolkit.load_briefings(corpus)
    pd.testing.assert_frame_equal(toolkit.split_turns(again), turns)
    pd.testing.assert_frame_equal(toolkit.split_sentences(toolkit.split_turns(again)), sentences)
    assert not [columns for columns in hashed if "text" in columns]          # no text hashed on the warm path
    # a text edited in place is split anew
    again.loc[again["doc_id"] == "b", "text"] = "Q: Any news?\nA: Yes. Two items."
    edited = toolkit.split_turns(again)
    assert edited.loc[edited["doc_id"] == "b", "text"].tolist() == ["Any news?", "Yes. Two items."]
    assert toolkit.split_sentences(edited).query("doc_id == 'b'")["text"].tolist() == ["Any news?", "Yes.",
                                                                                        "Two items."]
    assert [columns for columns in hashed if "text" in columns]


def test_a_filtered_table_is_not_taken_for_the_whole(corpus):
    briefings = toolkit.load_briefings(corpus)
    key = cache.fingerprint(briefings)
    part = briefings[briefings["doc_id"] == "a"]
    assert part.attrs == briefings.attrs and cache.fingerprint(part) != key
    assert toolkit.split_turns(part)["doc_id"].unique().tolist() == ["a"]


def test_an_edited_repeated_string_is_seen(corpus):
    """Turns repeat their briefing's title as one shared Python string object, known by its address: an edit is
    seen even when the new string takes the address of the one it replaced (the remembered key keeps it alive)."""
    turns = toolkit.split_turns(toolkit.load_briefings(corpus))
    assert turns["title"].dtype.storage == "python"
    assert cache.fingerprint(turns.copy()) == cache.fingerprint(turns)               # the same string objects
    kept = cache._objects_token(turns["title"].array, lookup=False)[2]
    assert {id(value) for value in kept} == {id(value) for value in turns["title"].array}    # every one held
    for round_ in range(30):
        fresh = toolkit.split_turns(toolkit.load_briefings(corpus))
        known, rows = cache.fingerprint(fresh), fresh["doc_id"] == "a"
        fresh.loc[rows, "title"] = "x" * 20 + f"{round_:04d}"    # in place: the title's one string is released ...
        fresh.loc[rows, "title"] = "y" * 20 + f"{round_:04d}"    # ... and a new one of its size may take its address
        assert cache.fingerprint(fresh) != known
        assert toolkit.split_sentences(fresh)["title"].iloc[0] == "y" * 20 + f"{round_:04d}"


def test_a_field_some_records_lack_reads_back_the_same_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "mixed.jsonl"
    _write(path, [{**LINES[0], "date_inferred": False}, LINES[1]], age=60)   # the second record lacks the field
    cold = toolkit.load_briefings(path)
    warm = toolkit.load_briefings(path)
    assert cold["date_inferred"].tolist() == [False, None]
    pd.testing.assert_frame_equal(warm, cold)
