"""The block tokenizer of ASCII English texts (toolkit/terms/ascii_tokens.py) against the regex path, text by text."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit import count_terms
from toolkit.terms import ascii_tokens
from toolkit.terms.matrix import tokenize_block
from toolkit.terms.tokens import TermAnalyzer


def _block(analyzer: TermAnalyzer, texts: list) -> tuple[list[str], list[int]]:
    """Tokens of ``texts`` (all of them, one text after another) and the number per text, from tokenize_block."""
    vocab, ids, lengths, _ = tokenize_block(analyzer, texts)
    return [vocab[i] for i in ids.tolist()], lengths.tolist()


def _one_by_one(analyzer: TermAnalyzer, texts: list) -> tuple[list[str], list[int]]:
    """The same from the regex path, text by text (TermAnalyzer.analyze)."""
    tokens = [analyzer.analyze(text)[0] for text in texts]
    return [t for text in tokens for t in text], [len(text) for text in tokens]


def _spans(text: str) -> list[str]:
    data = text.encode("ascii")
    starts, ends, is_word = ascii_tokens.token_spans(np.frombuffer(data, dtype=np.uint8))
    return [data[s:e].decode() if word else "" for s, e, word in zip(starts.tolist(), ends.tolist(), is_word)]


def test_token_spans_by_hand():
    # hyphen links join runs; one apostrophe link ends a token, so a stretch of them alternates; "'s" is dropped
    assert _spans("China-US's mil-to-mil ties") == ["China-US", "mil-to-mil", "ties"]
    assert _spans("a'b'c'd") == ["a'b", "", "c'd"]
    assert _spans("x's's's") == ["x", "", "s"]               # x ['s dropped] ' s ['s dropped]
    assert _spans("a'b-c rock'n'roll") == ["a'b", "", "c", "rock'n", "", "roll"]
    assert _spans("it'S don't o'neill's -x- a--b _1") == ["it'S", "don't", "o'neill", "", "x", "", "a", "", "", "b",
                                                         "_1"]
    assert _spans("U.S. (2020)!") == ["U", "", "S", "", "", "2020", "", ""]
    assert _spans("") == [] and _spans("  \t\x1f") == []     # \x1f is a space for \s


ALPHABET = list("ab's-_ S.9\n\t,") + ["US", "Hong", "Kong", "mil", "to", "relations", "U.S.", "who", "WHO", "'s",
                                      "--", "''", "\x1f", "\x0b", "military", "ties", "with", "Taiwan", "China",
                                      "code", "of", "conduct", "ASEAN", "Chinese"]


@pytest.mark.parametrize("lowercase", [True, False])
def test_random_texts_give_the_tokens_of_the_regex_path(lowercase):
    rng = random.Random(20261130)
    analyzer = TermAnalyzer(lowercase=lowercase)
    for _ in range(3000):
        texts = ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25))) for _ in range(rng.randint(1, 6))]
        assert _block(analyzer, texts) == _one_by_one(analyzer, texts), texts


def test_sense_rules_read_their_own_text_in_a_block():
    analyzer = TermAnalyzer()
    texts = ["China-US military ties are stable.", "We oppose US military ties with Taiwan.", "military ties",
             "和平", None, "Café military ties with Taiwan", "the code of conduct in the South China Sea"]
    tokens, lengths = _block(analyzer, texts)
    assert (tokens, lengths) == _one_by_one(analyzer, texts)
    assert "mil-to-mil relations" in tokens[:lengths[0]]
    assert "US-Taiwan military ties" in tokens[lengths[0]:lengths[0] + lengths[1]]
    assert tokens.count("code of conduct") == 1


def test_a_hash_collision_leaves_the_block_to_the_regex_path(monkeypatch):
    # base 1 sums the bytes: "ab" and "ba" collide in the first hash, the second one tells them apart
    monkeypatch.setattr(ascii_tokens, "HASH_BASES", (1, ascii_tokens.HASH_BASES[1]))
    data = b"ab ba"
    buf = np.frombuffer(data, dtype=np.uint8)
    assert ascii_tokens.distinct_tokens(data, buf, *ascii_tokens.token_spans(buf)) is None
    analyzer = TermAnalyzer()
    texts = ["ab ba", "Ba AB US"]
    assert _block(analyzer, texts) == _one_by_one(analyzer, texts) == (["ab", "ba", "ba", "ab", "US"], [2, 3])


def test_mfa_matrix_equals_the_regex_path(mfa_en_path, monkeypatch):
    sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(mfa_en_path)))
    together = count_terms(sentences, unit="turn")
    monkeypatch.setattr(TermAnalyzer, "ascii_english", lambda self, texts: np.zeros(len(texts), dtype=bool))
    alone = count_terms(sentences, unit="turn")
    assert list(together.terms) == list(alone.terms)
    assert (together.matrix != alone.matrix).nnz == 0
    pd.testing.assert_frame_equal(together.rows, alone.rows)
    for name in ("ids", "vocab", "segments", "rows"):
        np.testing.assert_array_equal(getattr(together.tokens, name), getattr(alone.tokens, name))
    assert together.provenance == alone.provenance
