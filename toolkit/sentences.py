"""Sentences: NLTK Punkt trained on the corpus itself (no downloads) for English, punctuation for Chinese."""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import cache
from ._checks import require_columns
from .datafiles import read_data_table
from .text import count_words, langs_of

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktParameters

TRAINING_CHARS = 200_000
_ZH_SENTENCE = re.compile(r"[^。！？!?；]*(?:[。！？!?；]+[”’\"」』）)]*|$)")
_EN_CANDIDATE = re.compile(r"(?<=[.?!])([\"”’')\]]*)\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def train_punkt(texts: pd.Series | list[str], *, max_chars: int = TRAINING_CHARS) -> PunktParameters:
    """Train NLTK's Punkt on the first ``max_chars`` characters of ``texts`` and add the packaged abbreviations.

    Parameters
    ----------
    texts : Series or list of str
        English texts (for example the ``text`` column of a briefings table).
    max_chars : int
        Size of the training sample (Punkt's training time grows linearly with it).

    Returns
    -------
    nltk.tokenize.punkt.PunktParameters
        Learned abbreviations, collocations and sentence starters, plus ``toolkit/data/abbreviations.csv``.
    """
    return copy.deepcopy(_shared_punkt(texts, max_chars=max_chars))


def _shared_punkt(texts, *, max_chars: int = TRAINING_CHARS) -> PunktParameters:
    """The cached parameters for ``texts`` (read-only: :func:`train_punkt` hands out copies)."""
    sample, size = [], 0
    for text in texts:
        sample.append(str(text))
        size += len(sample[-1])
        if size >= max_chars:
            break
    return _trained("\n\n".join(sample)[:max_chars])


@lru_cache(maxsize=8)
def _trained(sample: str) -> PunktParameters:
    from nltk.tokenize.punkt import PunktTrainer

    trainer = PunktTrainer()
    trainer.train(sample, finalize=True)
    params = trainer.get_params()
    params.abbrev_types.update(packaged_abbreviations())
    return params


@lru_cache(maxsize=1)
def packaged_abbreviations() -> frozenset[str]:
    """Lower-case abbreviations from ``toolkit/data/abbreviations.csv`` (without the final period)."""
    table = read_data_table("default", default="abbreviations.csv", columns=["abbreviation"], func="split_sentences",
                            arg="abbreviations")
    return frozenset(table["abbreviation"].str.lower())


def sentences_en(text: str, params: PunktParameters) -> list[str]:
    """Split English text at ``.?!`` followed by a capital, unless the word before is an abbreviation.

    Abbreviations are those Punkt learned plus the packaged list; single capital letters
    (initials such as ``J.``) never end a sentence either. Paragraph breaks always do.
    """
    out: list[str] = []
    for paragraph in text.split("\n"):
        start = 0
        for m in _EN_CANDIDATE.finditer(paragraph):
            end = m.start() + len(m.group(1))
            if _is_abbreviation(paragraph[start:end], params):
                continue
            out.append(paragraph[start:end].strip())
            start = m.end()
        tail = paragraph[start:].strip()
        if tail:
            out.append(tail)
    return [s for s in out if s]


def _is_abbreviation(piece: str, params: PunktParameters) -> bool:
    last = piece.rstrip("\"”’')]")
    if not last.endswith("."):
        return False
    token = last.rsplit(None, 1)[-1][:-1].lstrip("\"“‘'([").lower()
    return token in params.abbrev_types or (len(token) == 1 and token.isalpha())


def sentences_zh(text: str) -> list[str]:
    """Split Chinese text after 。！？; (and closing quotes), and at paragraph breaks."""
    return [s.strip() for paragraph in text.split("\n") for s in _ZH_SENTENCE.findall(paragraph) if s.strip()]


def _split_texts(frame: pd.DataFrame, params: PunktParameters | None) -> pd.DataFrame:
    """Sentences of every row: columns ``row`` (position in ``frame``), ``sent_id``, ``text``."""
    is_zh = langs_of(frame) == "zh"
    texts = frame["text"].fillna("").astype(str)
    if params is None:
        params = _shared_punkt(texts[[not z for z in is_zh]])
    pieces = [sentences_zh(t) if z else sentences_en(t, params) for t, z in zip(texts, is_zh)]
    table = pd.DataFrame(
        [(row, sent_id, sentence) for row, sentences in enumerate(pieces) for sent_id, sentence in enumerate(sentences)],
        columns=["row", "sent_id", "text"],
    )
    table["n_words"] = count_words(table["text"], np.where(np.asarray(is_zh, dtype=bool)[table["row"].to_numpy()], "zh", "en"))
    return table


def split_sentences(
    frame: pd.DataFrame, *, params: PunktParameters | None = None, use_cache: bool = True
) -> pd.DataFrame:
    """Split every row's ``text`` into sentences.

    English uses NLTK's Punkt trained on the frame's own English text (``train_punkt``): the
    abbreviations it learns plus ``toolkit/data/abbreviations.csv`` (``Jan.``, ``U.S.``, ``Sr. Col.``)
    never end a sentence. Chinese splits after ``。！？；``. The language is the ``lang`` column when
    present, else English.

    Parameters
    ----------
    frame : DataFrame
        Turns (:func:`toolkit.split_turns`) or briefings; needs ``doc_id`` and ``text``.
    params : PunktParameters, optional
        Trained parameters to reuse (from :func:`train_punkt`), for example those of a larger corpus.
    use_cache : bool
        Reuse sentences computed before for the same texts and parameters (see :mod:`toolkit.cache`).

    Returns
    -------
    DataFrame
        The input's columns with ``text`` (and ``n_words``, if the input has it) now per sentence, plus
        ``sent_id`` (0-based within each input row). Briefings without ``turn_id`` get ``turn_id`` 0.

    Examples
    --------
    >>> sentences = split_sentences(split_turns(load_briefings("corpus/")))   # doctest: +SKIP
    """
    require_columns(frame, ["doc_id", "text"], func="split_sentences")
    extra = "" if params is None else ",".join(sorted(params.abbrev_types))
    key = cache.frame_key(frame, ["text", "lang"], "split_sentences", extra)
    split = cache.memoized("sentences", key, lambda: _split_texts(frame, params), use_cache=use_cache)
    counts = split.groupby("row", sort=False).size().reindex(range(len(frame)), fill_value=0).to_numpy()
    result = frame.iloc[np.repeat(np.arange(len(frame)), counts)].reset_index(drop=True)
    if "turn_id" not in result.columns:
        result.insert(result.columns.get_loc("doc_id") + 1, "turn_id", 0)
    result["text"] = split["text"].to_numpy()
    result.insert(result.columns.get_loc("turn_id") + 1, "sent_id", split["sent_id"].to_numpy())
    if "n_words" in result.columns:
        result["n_words"] = split["n_words"].to_numpy()
    result.attrs = dict(frame.attrs)
    return result
