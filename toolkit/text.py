"""The one text foundation: language, word counts, characters, tokens and Chinese segmentation.

Every module that needs one of these rules calls it here, so loading, sentences, term counts,
stance and the learned models agree on what a Chinese character, a word and a token are:

- :data:`CJK_CHAR`: the CJK ideograph ranges (Extension A, Unified Ideographs, Compatibility);
- :func:`detect_lang`: ``"zh"`` when CJK ideographs make up at least 20 % of the letters;
- :func:`count_words`: English words; for Chinese, CJK characters plus Latin words;
- :func:`plain_texts`: a text column as ``str`` values (missing ones empty, lone surrogates and NUL replaced);
- :func:`fold`: Unicode hyphens, apostrophes and spaces to their ASCII forms (same length);
- :data:`TOKEN_PATTERN` / :func:`english_tokens`: English words (hyphenated words whole,
  possessive ``'s`` dropped) and punctuation marks;
- :func:`jieba_tokenizer`: a private ``jieba.Tokenizer`` with the project dictionary (the Chinese
  variants of ``toolkit/data/phrases.csv``, the defence vocabulary of ``toolkit/data/zh_dictionary.csv``
  and the spokespersons' Chinese names of ``toolkit/data/spokespersons.csv``) plus any words a caller adds.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

import numpy as np
import pandas as pd

CJK_CHAR = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
CJK = re.compile(CJK_CHAR)
EN_WORD = "[0-9A-Za-z\u00c0-\u024f'’-]+"
LATIN_WORD = "[0-9A-Za-z]+"
ZH_SHARE = 0.2

# a word (possessive 's dropped, hyphenated words whole) in group 1, or a punctuation mark (group 1 empty); the
# quantifiers are possessive (no backtracking: what follows each is optional, so the matches are those of
# r"(\w+(?:-\w+)*(?:'(?!s\b)\w+)?)(?:'s\b)?|[^\w\s]", tested), a fifth faster
TOKEN_PATTERN = re.compile(r"(\w++(?:-\w++)*+(?:'(?!s\b)\w++)?+)(?:'s\b)?+|[^\w\s]")
# the finest units: TOKEN_PATTERN's tokens split at their hyphens and apostrophes (tested equal), in one pass
UNIT_PATTERN = re.compile(r"\w+|[^\w\s]")
_HAS_WORD_CHAR = re.compile(r"\w")
_INVALID = re.compile("[\ud800-\udfff\x00]")      # lone surrogates and NUL: no text holds them
_CHAR_FOLD = {"\u2010": "-", "\u2011": "-", "\u2212": "-", "\u2019": "'", "\u2018": "'", "\u00a0": " ",
              "\u3000": " "}


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds at least one CJK ideograph."""
    return CJK.search(text) is not None


def detect_lang(text: str) -> str:
    """Return ``"zh"`` when at least 20 % of the letters in the first 2,000 characters are CJK ideographs.

    Examples
    --------
    >>> detect_lang("国防部新闻发言人吴谦表示"), detect_lang("Wu Qian said")
    ('zh', 'en')
    """
    sample = text[:2000] if isinstance(text, str) else ""
    if sample.isascii() or not has_cjk(sample):
        return "en"
    letters = sum(ch.isalpha() for ch in sample)
    return "zh" if letters and len(CJK.findall(sample)) / letters >= ZH_SHARE else "en"


def langs_of(frame: pd.DataFrame) -> np.ndarray:
    """The language of each row: the ``lang`` column where it is filled, else detected from ``text``."""
    texts = frame["text"] if "text" in frame.columns else pd.Series([""] * len(frame), index=frame.index)
    given = frame["lang"].to_numpy(dtype=object) if "lang" in frame.columns else np.full(len(frame), None, object)
    missing = pd.isna(given) | (given == "")
    langs = given.copy()
    langs[missing] = [detect_lang(text) for text in texts[missing]]      # detected only where not given
    return langs


def count_words(texts, langs) -> np.ndarray:
    """Word counts, vectorised: English words (runs of Latin letters, digits, ``'`` and ``-``); for
    Chinese, CJK characters plus Latin words. ``texts``: a Series or a list (missing values count 0);
    ``langs`` is one language or one per text (a Series is aligned on the texts' index)."""
    values = _strings(texts)
    counts = _english_counts(values)
    if isinstance(langs, pd.Series):                             # aligned on the texts' index
        langs = langs.reindex(texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(values)))
    is_zh = np.asarray(langs) == "zh" if not isinstance(langs, str) else np.full(len(values), langs == "zh")
    if is_zh.any():
        chinese = pd.Series(values[is_zh], dtype="string")
        counts[is_zh] = (chinese.str.count(CJK_CHAR) + chinese.str.count(LATIN_WORD)).to_numpy(dtype="int64")
    return counts


def _strings(texts) -> np.ndarray:
    """``texts`` as an object array of ``str``: missing values empty, other values through ``str()``."""
    values = texts.to_numpy(dtype=object) if isinstance(texts, pd.Series) else np.fromiter(texts, object, len(texts))
    if set(map(type, values)) - {str}:                          # a value that is no plain str (rare): look at each
        values = values.copy()                                  # a Series' array may be read-only (copy-on-write)
        for i in [i for i, value in enumerate(values) if not isinstance(value, str)]:
            values[i] = "" if pd.isna(values[i]) else str(values[i])
    return values


# the characters of EN_WORD: for ASCII by byte value (1 = a word character); for UTF-8 by byte, 1 an ASCII word
# character or the lead byte of U+00C0..U+023F, 2 the lead byte C9 (U+0240..U+027F, words up to U+024F), 3 the lead
# byte E2 (U+2000..U+2FFF, of which only U+2019 is a word character), 4 a continuation byte, 0 anything else
_ASCII_WORDS = bytes(int(chr(b).isascii() and re.fullmatch(EN_WORD, chr(b)) is not None) for b in range(256))
_UTF8_CLASSES = _ASCII_WORDS[:128] + bytes(4 if b < 0xC0 else 1 if 0xC3 <= b <= 0xC8 else 2 if b == 0xC9
                                           else 3 if b == 0xE2 else 0 for b in range(128, 256))


def _english_counts(values: np.ndarray) -> np.ndarray:
    """Runs of :data:`EN_WORD` characters per text, many texts at once: joined by newlines (in blocks), each
    character classed (word or not) by a table, a run starting at each word character after a non-word one. ASCII
    texts (most) as bytes, the others as UTF-8 (one class per character: continuation bytes dropped; a lone
    surrogate is no word character). The same counts as the regular expression (tested)."""
    counts = np.zeros(len(values), dtype="int64")
    plain = np.fromiter(map(str.isascii, values), bool, len(values))
    for chosen in (plain, ~plain):
        if chosen.any():
            counts[chosen] = _runs_in(values[chosen], ascii_only=chosen is plain)
    return counts


def _runs_in(texts: np.ndarray, *, ascii_only: bool) -> np.ndarray:
    """Runs per text, in blocks of about :data:`_BLOCK` characters (a text longer than that alone)."""
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    ends = np.cumsum(lengths + 1)
    cuts = np.searchsorted(ends, np.arange(_BLOCK, ends[-1], _BLOCK), side="right")
    edges = [0, *np.unique(cuts).tolist(), len(texts)]
    return np.concatenate([_block_runs(texts[start:stop], lengths[start:stop], ascii_only=ascii_only)
                           for start, stop in pairwise(edges) if stop > start])


# characters joined at once: the block's arrays stay in the processor's cache instead of new memory for the whole
# corpus (at 10× the briefings' word counts 0.22 → 0.10 s, the sentences' 0.35-0.6 → 0.22 s)
_BLOCK = 1 << 17


def _block_runs(texts: np.ndarray, lengths: np.ndarray, *, ascii_only: bool) -> np.ndarray:
    joined = "\n".join(texts)
    if ascii_only:
        word = np.frombuffer(joined.encode("ascii").translate(_ASCII_WORDS), dtype=bool)
    else:
        word = _utf8_words(joined.encode("utf-8", "surrogatepass"))
    starts = np.empty(len(word), dtype=bool)
    starts[:1] = word[:1]
    np.greater(word[1:], word[:-1], out=starts[1:])             # a word character after a non-word one
    bounds = np.concatenate(([0], np.cumsum(lengths + 1)))      # each text's start (no run starts at a newline)
    return np.diff(np.searchsorted(np.flatnonzero(starts), bounds))


def _utf8_words(data: bytes) -> np.ndarray:
    """Whether each character of the UTF-8 ``data`` is a word character (:data:`_UTF8_CLASSES`)."""
    classes = np.frombuffer(data.translate(_UTF8_CLASSES), dtype=np.uint8).copy()
    raw = np.frombuffer(data, dtype=np.uint8)
    lead = np.flatnonzero(classes == 2)
    classes[lead] = raw[lead + 1] <= 0x8F                       # U+0240..U+024F
    lead = np.flatnonzero(classes == 3)
    classes[lead] = (raw[lead + 1] == 0x80) & (raw[lead + 2] == 0x99)      # U+2019
    return classes[classes != 4].view(bool)


def valid_unicode(text: str) -> tuple[str, int]:
    """``text`` with every lone UTF-16 surrogate (``"\\ud800"``, left by a broken JSON escape; UTF-8, Arrow and
    Parquet cannot store it) and every NUL (``"\\u0000"``) replaced by U+FFFD, so the text keeps its length; and
    how many were replaced."""
    if "\x00" not in text and (text.isascii() or _encodes(text)):     # nothing to replace: skip the scan
        return text, 0
    return _INVALID.subn("\ufffd", text)


def _encodes(text: str) -> bool:
    """Whether ``text`` holds no lone surrogate (UTF-8 encodes it; several times faster than searching for one)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def valid_values(record: dict) -> int:
    """Apply :func:`valid_unicode` to every string value of ``record`` (in place); how many characters were replaced."""
    replaced = 0
    for key, value in record.items():
        if isinstance(value, str):
            record[key], count = valid_unicode(value)
            replaced += count
    return replaced


def plain_texts(values: pd.Series) -> pd.Series:
    """A text column as ``str`` values: missing values (None, NaN) empty, other values through ``str()``, and
    lone surrogates replaced by U+FFFD (:func:`valid_unicode`), so every text keeps its length.

    Examples
    --------
    >>> plain_texts(pd.Series(["a", None, 3])).tolist()
    ['a', '', '3']
    """
    if isinstance(values.dtype, pd.StringDtype):
        return values.fillna("")
    texts = [valid_unicode(str(value))[0] if present else "" for value, present in zip(values, values.notna())]
    return pd.Series(texts, index=values.index, dtype="str", name=values.name)


def fold(text: str) -> str:
    """Unicode hyphens and apostrophes to ASCII, no-break and ideographic spaces to spaces (same length)."""
    if text.isascii():                  # none of them (a flag of the string: no scan)
        return text
    for char, ascii_char in _CHAR_FOLD.items():
        if char in text:
            text = text.replace(char, ascii_char)
    return text


def literal_trie(words, *, longest: bool = True) -> str:
    """One regular expression for a set of literal strings, built as a character trie: the regex engine follows
    one branch per character instead of trying every alternative at every position (several times faster than
    their plain alternation).

    Parameters
    ----------
    words : iterable of str
        The literal strings (escaped here).
    longest : bool
        True: a match is the longest word at its position (for finding them). False: a word that another begins
        with ends its branch, enough to test whether a text holds any of them.

    Returns
    -------
    str
        The pattern; ``(?!)`` (never matches) when ``words`` is empty.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        if "" in node and not longest:      # a whole word ends here: what may follow does not matter
            return ""
        options = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not options:
            return ""
        body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(trie) if trie else "(?!)"


def english_tokens(text: str) -> list[str]:
    """Words of ``text`` in their original case and ``''`` for each punctuation mark (after :func:`fold`)."""
    return TOKEN_PATTERN.findall(fold(text))


def english_units(text: str) -> list[str]:
    """The tokens of :func:`english_tokens` split at hyphens and apostrophes, which stay as units of their own
    (``"China-US's"`` → ``China - US ' s``); punctuation marks are units too."""
    return UNIT_PATTERN.findall(fold(text))


def is_word(token: str) -> bool:
    """Whether a token holds a letter or digit (not punctuation or space)."""
    return _HAS_WORD_CHAR.search(token) is not None


def jieba_tokenizer(words: tuple[str, ...] = ()):
    """A private ``jieba.Tokenizer`` with the project dictionary and ``words`` added (cached per word set).

    The project dictionary is every Chinese variant of the packaged ``toolkit/data/phrases.csv``, every
    word of ``toolkit/data/zh_dictionary.csv`` (defence vocabulary jieba splits: equipment, units, ranks,
    places, people) and the Chinese names of ``toolkit/data/spokespersons.csv``; callers add their own
    lists (a user's phrase table, stance cues, target names). Each word gets at least the frequency jieba
    suggests, so it is kept whole. The global ``jieba`` dictionary is never changed.
    """
    return _tokenizer(tuple(sorted(set(words) | _project_words())))


@lru_cache(maxsize=8)
def _tokenizer(words: tuple[str, ...]):
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in sorted(words, key=len):
        if has_cjk(word):
            tokenizer.add_word(word, freq=max(tokenizer.suggest_freq(word), 1000))
    return tokenizer


@lru_cache(maxsize=1)
def _project_words() -> frozenset[str]:
    """The project dictionary: Chinese phrase variants, the defence vocabulary and spokespersons' names."""
    from .datafiles import read_data_table

    sources = {"phrases.csv": ["canonical", "variant"], "zh_dictionary.csv": ["word"], "spokespersons.csv": ["name_zh"]}
    columns = [read_data_table("default", default=name, columns=cols, func="jieba_tokenizer", arg="dictionary")[col]
               for name, cols in sources.items() for col in cols]
    return frozenset(w for w in pd.concat(columns).astype(str) if has_cjk(w))
