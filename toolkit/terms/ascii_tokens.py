"""The English tokens of many ASCII texts at once: the tokens of :meth:`EnglishMatcher.tokens
<toolkit.terms.tokens.EnglishMatcher.tokens>` (tested equal), found with numpy over the bytes of a whole block
instead of the regex engine text by text, and one Python string made per distinct token instead of one per token.

On ASCII text, :data:`toolkit.text.TOKEN_PATTERN` reads as rules over the runs of word bytes (its ``\\w``):

1. A token begins with a run and takes the next run after one ``-`` (a hyphen link), again and again;
2. then at most one ``'`` link to a further run, which ends the token, except a link to a lone ``s``: that
   ``'s`` is a possessive, dropped, and so is the ``s``;
3. every other byte that is neither a word byte nor space (its ``\\s``) is a punctuation token (``''``).

So a run of apostrophe links alternates: ``a'b'c'd`` is ``a'b``, ``'``, ``c'd``. Distinct tokens are numbered by a
64-bit polynomial hash of their bytes; a second hash and the length check every token against the first of its
number, and a block where they disagree (never seen; tested by forcing collisions) is left to the regex path.
Phrases are tried only at the tokens where :meth:`EnglishMatcher.matches` tries them, each on the few tokens a
phrase can span; a try that cannot reach past its token and reads no context is decided once per distinct token.
"""
from __future__ import annotations

import re
from functools import partial

import numpy as np
import pandas as pd

from .tokens import EnglishMatcher, _Around

SPACE, WORD, OTHER = 0, 1, 2
# the class of each byte under TOKEN_PATTERN's own \w and \s (non-ASCII bytes never occur: ASCII texts only)
_CLASS = np.array([WORD if re.fullmatch(r"\w", chr(b)) else SPACE if re.fullmatch(r"\s", chr(b)) else OTHER
                   for b in range(128)] + [OTHER] * 128, dtype=np.int8)
HYPHEN, APOSTROPHE, LOWER_S = ord("-"), ord("'"), ord("s")
HASH_BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)     # odd: their powers are invertible modulo 2 ** 64


def token_spans(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(starts, ends, is_word)`` of every token of the ASCII bytes ``buf``, in order; a word's span leaves out
    a dropped possessive ``'s``, a punctuation token is one byte."""
    classes = _CLASS[buf]
    edges = np.flatnonzero(np.diff((classes == WORD).view(np.int8), prepend=np.int8(0), append=np.int8(0)))
    run_start, run_end = edges[0::2], edges[1::2]
    joined, possessive = _links(buf, run_start, run_end)
    new_group = np.ones(len(run_start), dtype=bool)       # runs that begin a token (or are a dropped "s")
    new_group[1:] = ~joined
    groups = np.flatnonzero(new_group)
    last_run = np.r_[groups[1:], len(run_start)] - 1
    dropped = np.r_[False, possessive][groups]
    word_start, word_end = run_start[groups[~dropped]], run_end[last_run[~dropped]]
    other = classes == OTHER
    other[run_end[:-1][joined | possessive]] = False      # link bytes and possessive apostrophes are no tokens
    punct = np.flatnonzero(other)
    is_start = np.zeros(len(buf), dtype=bool)
    is_start[word_start] = True
    is_start[punct] = True
    end_at = np.empty(len(buf), dtype=np.int64)
    end_at[word_start] = word_end
    end_at[punct] = punct + 1
    starts = np.flatnonzero(is_start)
    return starts, end_at[starts], classes[starts] == WORD


def _links(buf: np.ndarray, run_start: np.ndarray, run_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pair of neighbouring runs: whether they are one token (``joined``), and whether the second is the
    ``s`` of a dropped possessive ``'s``."""
    if len(run_start) < 2:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    one_byte = run_start[1:] - run_end[:-1] == 1
    between = buf[run_end[:-1]]
    lone_s = (run_end[1:] - run_start[1:] == 1) & (buf[run_start[1:]] == LOWER_S)
    possessive = _every_second(one_byte & (between == APOSTROPHE) & lone_s)   # "x's's" is x ' s
    after_dropped = np.r_[False, possessive[:-1]]         # a dropped "s" links to nothing
    hyphen = one_byte & (between == HYPHEN) & ~after_dropped
    apostrophe = _every_second(one_byte & (between == APOSTROPHE) & ~lone_s & ~after_dropped)
    hyphen &= ~np.r_[False, apostrophe[:-1]]               # nothing links after an apostrophe link
    return hyphen | apostrophe, possessive


def _every_second(links: np.ndarray) -> np.ndarray:
    """The first, third, ... of each stretch of neighbouring ``links``: a link whose left run already ended a
    token by such a link cannot take it again."""
    k = np.arange(len(links))
    stretch_start = np.maximum.accumulate(np.where(links & ~np.r_[False, links[:-1]], k, 0))
    return links & ((k - stretch_start) % 2 == 0)


def _hashes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, base: int) -> np.ndarray:
    """A polynomial hash of the bytes of each span, times ``base ** len(buf)`` (the same for every span, so
    equal spans get equal values wherever they stand)."""
    n = len(buf)
    powers = np.full(n + 1, base, dtype=np.uint64)
    powers[0] = 1
    np.cumprod(powers, out=powers)                         # wraps modulo 2 ** 64
    prefix = np.zeros(n + 1, dtype=np.uint64)
    np.cumsum(buf.astype(np.uint64) * powers[:n], out=prefix[1:])
    return (prefix[ends] - prefix[starts]) * powers[n - starts]


def distinct_tokens(data: bytes, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                    is_word: np.ndarray) -> tuple[np.ndarray, list[str]] | None:
    """``(codes, strings)``: each token's number (punctuation ``0``, the string ``''``) and the strings by
    number; None when the hashes disagree (a collision: tokenize with the regex instead)."""
    word_at = np.flatnonzero(is_word)
    s, e = starts[word_at], ends[word_at]
    first_hash = _hashes(buf, s, e, HASH_BASES[0])
    codes, _ = pd.factorize(first_hash)
    first = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)   # numbered in order of sight
    length = e - s
    second_hash = _hashes(buf, s, e, HASH_BASES[1])
    if not ((length == length[first][codes]).all() and (second_hash == second_hash[first][codes]).all()):
        return None
    all_codes = np.zeros(len(starts), dtype=np.int64)
    all_codes[word_at] = codes + 1
    strings = [""] + [data[i:j].decode("ascii") for i, j in zip(s[first].tolist(), e[first].tolist())]
    return all_codes, strings


def block_tokens(matcher: EnglishMatcher, texts: list[str], vocab, *, lowercase: bool
                 ) -> tuple[np.ndarray, np.ndarray] | None:
    """The ids of the tokens of ASCII ``texts`` (those of ``matcher.tokens(text, lowercase=lowercase)``, numbered by
    ``vocab``, a ``defaultdict`` that numbers new strings) one text after the other, and each text's number of
    tokens; None when the hashes of :func:`distinct_tokens` disagree."""
    data = "\n".join(texts).encode("ascii")
    buf = np.frombuffer(data, dtype=np.uint8)
    starts, ends, is_word = token_spans(buf)
    found = distinct_tokens(data, buf, starts, ends, is_word)
    if found is None:
        return None
    codes, strings = found
    lowered = list(map(matcher.lower_of.__getitem__, strings))
    text_start = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    text_of = np.searchsorted(text_start, starts, side="right") - 1
    segments = np.searchsorted(text_of, np.arange(len(texts) + 1))
    words = lowered if lowercase else strings
    keep, canonicals = is_word.copy(), {}
    for at, after, canonical in _phrases(matcher, texts, codes, strings, lowered, text_of, segments):
        codes[at] = len(words) + canonicals.setdefault(canonical, len(canonicals))
        keep[at + 1:after] = False
    numbers, seen = pd.factorize(codes[keep])          # in order of first sight, as the regex path numbers them
    names = words + list(canonicals)
    to_id = np.fromiter((vocab[names[code]] for code in seen.tolist()), np.int32, len(seen))
    return to_id[numbers], np.bincount(text_of[keep], minlength=len(texts))


def _phrases(matcher: EnglishMatcher, texts: list[str], codes: np.ndarray, strings: list[str], lowered: list[str],
             text_of: np.ndarray, segments: np.ndarray):
    """``(first token, token after, canonical)`` of every phrase, as :meth:`EnglishMatcher.matches` finds them
    (longest first, left to right, no overlap), each tried on the few tokens a phrase can span. A try that
    cannot reach past its own token (no phrase continues with the next word) and reads no context is decided
    once per distinct token."""
    tries = phrase_tries(matcher, codes, lowered, text_of)
    after, text, around, alone, prefixes = 0, -1, None, {}, matcher.prefixes
    for at, t in zip(tries.tolist(), text_of[tries].tolist()):
        if at < after:
            continue
        if t != text:
            text, around = t, _Around(texts[t])
            first, end = int(segments[t]), int(segments[t + 1])
        window = codes[at:min(at + matcher.longest, end)].tolist()
        code = window[0]
        if len(window) == 1 or (*lowered[code].split("-"), lowered[window[1]].partition("-")[0]) not in prefixes:
            if code not in alone:
                alone[code] = _context_free(matcher, strings[code], lowered[code])
            decided, match = alone[code]
            if decided:
                if match is not None:
                    after = at + 1
                    yield at, after, match
                continue
        in_text = partial(_shifted, around, at - first)      # the window's token i is token i + shift of its text
        match = matcher.match_at(list(map(strings.__getitem__, window)), list(map(lowered.__getitem__, window)), 0,
                                 in_text)
        if match is not None:
            after = at + match[1]
            yield at, after, match[0]


def _shifted(around: _Around, shift: int, i: int, after: int, window: int) -> str:
    return around(i + shift, after + shift, window)


def _context_free(matcher: EnglishMatcher, piece: str, low: str) -> tuple[bool, str | None]:
    """``(decided, canonical)`` of a phrase that is the one token ``piece`` alone: decided when its senses read no
    context (canonical None: no phrase)."""
    senses = matcher.senses([piece], [low])
    if any(sense.window for sense in senses):
        return False, None
    return True, senses[0].canonical if senses else None


def phrase_tries(matcher: EnglishMatcher, codes: np.ndarray, lowered: list[str], text_of: np.ndarray) -> np.ndarray:
    """The tokens where a phrase may start, in order: the rule of :meth:`EnglishMatcher.tries` over a block
    (``codes``: each token's number in ``lowered``; ``text_of``: its text)."""
    starts, singles, prefixes = matcher.starts, matcher.singles, matcher.prefixes
    may_start = np.fromiter(map(starts.__contains__, lowered), bool, len(lowered))
    alone = np.fromiter(("-" in low or (low,) in singles for low in lowered), bool, len(lowered))
    at = np.flatnonzero(may_start[codes])
    sure = alone[codes[at]]
    has_next = at + 1 < len(codes)
    has_next[has_next] = text_of[at[has_next] + 1] == text_of[at[has_next]]
    check = at[~sure & has_next]
    first_part = [low.partition("-")[0] for low in lowered]
    paired = np.fromiter(((lowered[a], first_part[b]) in prefixes
                          for a, b in zip(codes[check].tolist(), codes[check + 1].tolist())), bool, len(check))
    return np.sort(np.r_[at[sure], check[paired]])
