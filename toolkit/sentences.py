"""Sentences: NLTK Punkt trained on the corpus itself (no downloads) for English, punctuation for Chinese."""
from __future__ import annotations

import copy
import re
from collections import Counter
from functools import lru_cache, partial
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import cache
from ._checks import ToolkitError, require_columns
from ._collector import collector_paused
from ._frames import repeat_rows, str_series
from ._pool import n_workers, ordered_map, task_rows
from .datafiles import read_data_table
from .text import count_words, langs_of, plain_texts

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktParameters

TRAINING_CHARS = 200_000
TASK_ROWS = (2_000, 50_000)      # the fewest and most rows a task of the process pool splits (n_jobs > 1)
_ZH_SENTENCE = re.compile(r"[^。！？!?；]*(?:[。！？!?；]+[”’\"」』）)]*|$)")
# the end mark is captured, not looked behind for: a pattern that starts with a character set is searched for that
# set's characters only (several times faster than trying a look-behind at every position); a paragraph break
# (a newline, never part of the space after an end mark) is a split of its own, so a text is split in one call
_EN_SPLIT = re.compile(r"([.?!\n])(?:(?<=\n)|([\"”’')\]]*)([^\S\n]+)(?=[\"“‘'(\[]?[A-Z0-9]))")


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
    return _trained(_training_sample(texts, max_chars))


def _training_sample(texts, max_chars: int = TRAINING_CHARS) -> str:
    """The first ``max_chars`` characters of ``texts``, a blank line between texts."""
    sample, size = [], 0
    for text in texts:
        sample.append(str(text))
        size += len(sample[-1])
        if size >= max_chars:
            break
    return "\n\n".join(sample)[:max_chars]


@lru_cache(maxsize=8)
def _trained(sample: str) -> PunktParameters:
    """Punkt parameters trained on ``sample`` (plain ``re`` patterns), plus the packaged abbreviations."""
    from nltk.tokenize.punkt import PunktTrainer

    language, token = _plain_re_punkt()
    trainer = PunktTrainer(lang_vars=language, token_cls=token)
    trainer.train(sample, finalize=True)
    params = trainer.get_params()
    params.abbrev_types.update(packaged_abbreviations())
    return params


@lru_cache(maxsize=8)
def _abbreviations(sample: str) -> PunktParameters:
    """Parameters holding what :func:`sentences_en` reads, the abbreviations (plus the packaged ones): Punkt's
    abbreviation rules applied to each distinct token once instead of to every token (the same abbreviations as
    its trainer, tested)."""
    from nltk.tokenize.punkt import PunktParameters

    params = PunktParameters()
    params.abbrev_types = _learned_abbreviations(sample) | packaged_abbreviations()
    return params


def _learned_abbreviations(sample: str) -> set[str]:
    """The abbreviations ``PunktTrainer.train(sample)`` learns, counted over distinct tokens.

    The trainer makes an annotated token object for every word; what it learns depends only on each distinct
    token's annotation, the type counts and, for a rare abbreviation followed by a lower-case word, that word's
    orthographic context, which depends on the token before each of its occurrences. Those are computed here,
    with the trainer's own rules (its log-likelihood score and first-pass annotation).
    """
    from nltk.tokenize.punkt import PunktTrainer

    language, token_class = _plain_re_punkt()
    tokens, line_starts, parastart = [], {}, False        # line_starts: token position -> starts a paragraph
    for line in sample.split("\n"):
        found = language.word_tokenize(line) if line.strip() else None
        if found:
            line_starts[len(tokens)], parastart = parastart, False
            tokens.extend(found)
        elif found is None:
            parastart = True
    counts = Counter(tokens)
    trainer = PunktTrainer(lang_vars=language, token_cls=token_class)
    distinct = {tok: token_class(tok) for tok in counts}
    for tok, n in counts.items():
        trainer._type_fdist[distinct[tok].type] += n
        trainer._num_period_toks += n if tok.endswith(".") else 0
    abbreviations = trainer._params.abbrev_types
    # the trainer scores every type with a final period, in the order of its set of types; it would drop an
    # abbreviation seen without its period only for a score below the threshold, which the same word with its
    # period (the same score) has passed
    types = {aug_tok.type for aug_tok in distinct.values()}
    for abbreviation, score, _ in trainer._reclassify_abbrev_types([typ for typ in types if typ.endswith(".")]):
        if score >= trainer.ABBREV:
            abbreviations.add(abbreviation)
    for aug_tok in distinct.values():
        trainer._first_pass_annotation(aug_tok)
    return abbreviations | _rare_abbreviations(trainer, tokens, distinct, line_starts)


def _rare_abbreviations(trainer, tokens: list[str], distinct: dict, line_starts: dict[int, bool]) -> set[str]:
    """Punkt's rare abbreviations (``PunktTrainer._is_rare_abbrev_type``): a rare sentence-breaking word with a
    period before internal punctuation, or before a lower-case word seen capitalised only at sentence starts."""
    from nltk.tokenize.punkt import _ORTHO_BEG_UC, _ORTHO_MAP, _ORTHO_MID_UC

    known, counts = trainer._params.abbrev_types, trainer._type_fdist
    plain = {tok: aug_tok.type_no_sentperiod for tok, aug_tok in distinct.items()}
    candidates = {tok: plain[tok] for tok, aug_tok in distinct.items()
                  if aug_tok.period_final and aug_tok.sentbreak and plain[tok] not in known
                  and counts[plain[tok]] + counts[plain[tok][:-1]] < trainer.ABBREV_BACKOFF}
    found, waiting = set(), {}                  # waiting: the next word's type -> candidate types
    for position in [i for i, tok in enumerate(tokens[:-1]) if tok in candidates]:
        following = distinct[tokens[position + 1]]
        if following.tok[:1] in trainer._lang_vars.internal_punctuation:
            found.add(candidates[tokens[position]])
        elif following.first_lower:
            waiting.setdefault(plain[following.tok], set()).add(candidates[tokens[position]])
    wanted = {tok for tok, typ in plain.items() if typ in waiting}
    context = {}                                # orthographic context of the waiting types
    for position in [i for i, tok in enumerate(tokens) if tok in wanted]:
        aug_tok = distinct[tokens[position]]
        flag = _ORTHO_MAP.get((_context_at(position, tokens, distinct, line_starts), aug_tok.first_case), 0)
        context[plain[aug_tok.tok]] = context.get(plain[aug_tok.tok], 0) | flag
    for typ, flags in context.items():
        if flags & _ORTHO_BEG_UC and not flags & _ORTHO_MID_UC:
            found |= waiting[typ]
    return found


def _context_at(position: int, tokens: list[str], distinct: dict, line_starts: dict[int, bool]) -> str:
    """Punkt's orthographic context of the token at ``position`` (``PunktTrainer._get_orthography_data``): set by
    the token before it, then by a paragraph or line start."""
    context = "internal"
    if position:
        before = distinct[tokens[position - 1]]
        if before.sentbreak:
            context = "unknown" if before.is_number or before.is_initial else "initial"
        elif before.ellipsis or before.abbr:
            context = "unknown"
    if position in line_starts:
        if line_starts[position] and context != "unknown":
            context = "initial"
        if context == "internal":
            context = "unknown"
    return context


@lru_cache(maxsize=1)
def _plain_re_punkt():
    """Punkt's language variables and token class with their own patterns compiled by the standard ``re`` module.

    NLTK runs them through a guarded engine (``nltk.redos``, a timeout on every match) that makes training
    several times slower; the patterns and the trainer's logic are unchanged, so the parameters are equal
    (tested against the stock trainer).
    """
    from nltk.tokenize.punkt import PunktLanguageVars, PunktToken

    plain = lambda timed: re.compile(timed.pattern, re.UNICODE)  # noqa: E731
    words = re.compile(PunktLanguageVars()._word_tokenizer_re().pattern, re.VERBOSE | re.UNICODE)

    class Language(PunktLanguageVars):
        __slots__ = ()

        def word_tokenize(self, s):
            return words.findall(s)

    class Token(PunktToken):
        __slots__ = ()

        def __init__(self, tok, **params):             # PunktToken.__init__ without its loops over names
            self.tok, self.type, self.period_final = tok, type_of(tok), tok.endswith(".")
            self.parastart = self.linestart = self.sentbreak = self.abbr = self.ellipsis = None
            for name, value in params.items():
                setattr(self, name, value)

        _RE_ELLIPSIS = plain(PunktToken._RE_ELLIPSIS)
        _RE_NUMERIC = plain(PunktToken._RE_NUMERIC)
        _RE_INITIAL = plain(PunktToken._RE_INITIAL)
        _RE_ALPHA = plain(PunktToken._RE_ALPHA)

    blank = Token.__new__(Token)                   # _get_type reads only the class's pattern
    type_of = lru_cache(maxsize=2**16)(blank._get_type)       # the numbers pattern once per word type, not per word
    return Language(), Token


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
    abbreviations = params.abbrev_types
    # pieces: text, end mark, closing quotes, space, text, ...; a paragraph break is a newline mark with neither
    # quotes nor space. The text before a candidate (with its end mark) is all the splitter reads
    pieces = _EN_SPLIT.split(text)
    current = pieces[0]
    for i in range(1, len(pieces), 4):
        mark = pieces[i]
        if mark == "." and _is_abbreviation(pieces[i - 1], abbreviations):
            current += mark + pieces[i + 1] + pieces[i + 2] + pieces[i + 3]
            continue
        out.append(current.strip() if mark == "\n" else (current + mark + pieces[i + 1]).strip())
        current = pieces[i + 3]
    out.append(current.strip())
    return [s for s in out if s]


def _is_abbreviation(before: str, abbreviations) -> bool:
    """Whether the last word of ``before`` (the text before a period) is an abbreviation or an initial; no word
    when ``before`` is empty or ends in white space."""
    token = before.rsplit(None, 1)[-1].lstrip("\"“‘'([").lower() if before and not before[-1].isspace() else ""
    return token in abbreviations or (len(token) == 1 and token.isalpha())


def sentences_zh(text: str) -> list[str]:
    """Split Chinese text after 。！？; (and closing quotes), and at paragraph breaks."""
    return [s.strip() for paragraph in text.split("\n") for s in _ZH_SENTENCE.findall(paragraph) if s.strip()]


def _split_texts(texts: pd.Series, is_zh: np.ndarray, params: PunktParameters | None, workers: int = 1
                 ) -> pd.DataFrame:
    """Sentences of every text: columns ``row`` (position in ``texts``), ``sent_id``, ``text``, ``n_words``; with
    ``workers`` > 1 the texts are split in blocks in the process pool of :mod:`toolkit._pool` (the same rows)."""
    values = texts.tolist()                                  # Python strings at once, not one by one
    if params is None:                                       # the English texts up to the sample's size, not copied
        params = _abbreviations(_training_sample(text for text, zh in zip(values, is_zh) if not zh))
    size = max(1, len(values) if workers == 1 else task_rows(len(values), workers, smallest=TASK_ROWS[0],
                                                                       largest=TASK_ROWS[1]))
    blocks = ((values[i:i + size], is_zh[i:i + size]) for i in range(0, len(values), size))
    counts, sentences, n_words = [], [], []
    for block_counts, block_sentences, block_words in ordered_map(partial(_split_block, params), blocks, workers):
        counts.append(block_counts)
        sentences += block_sentences
        n_words.append(block_words)
    counts = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    first = np.cumsum(counts) - counts                       # each text's first sentence in the table
    rows = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    return pd.DataFrame({"row": rows, "sent_id": np.arange(len(rows), dtype=np.int64) - first[rows],
                         "text": str_series(sentences),
                         "n_words": np.concatenate(n_words) if n_words else np.zeros(0, dtype=np.int64)})


def _split_block(params: PunktParameters, block: tuple[list[str], np.ndarray]) -> tuple[np.ndarray, list, np.ndarray]:
    """Sentences per text, the sentences and their word counts, of a block of texts and their languages."""
    texts, is_zh = block
    counts, sentences = np.zeros(len(texts), dtype=np.int64), []
    for i, (text, zh) in enumerate(zip(texts, is_zh)):
        pieces = sentences_zh(text) if zh else sentences_en(text, params)
        counts[i] = len(pieces)
        sentences += pieces
    return counts, sentences, count_words(sentences, np.repeat(np.where(is_zh, "zh", "en"), counts))


@collector_paused()
def split_sentences(
    frame: pd.DataFrame, *, params: PunktParameters | None = None, use_cache: bool = True, n_jobs: int = 1
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
    n_jobs : int
        Processes that split the texts (blocks of 2,000 to 50,000 rows, about four a process; the pool of
        :func:`toolkit.count_terms`); ``-1``: one per CPU. The result is identical to ``n_jobs=1`` (tested). Only
        the splitting moves to the pool (Punkt is trained once, here; the table is built here): worth it on large
        tables with a free core.

    Returns
    -------
    DataFrame
        The input's columns with ``text`` (and ``n_words``, if the input has it) now per sentence, plus
        ``sent_id`` (0-based within each input row). Briefings without ``turn_id`` get ``turn_id`` 0. A row
        without text (empty, blank, None or NaN) has no sentence; when no row has one, the table is empty
        with the same columns. Lone surrogates in a text become U+FFFD (:func:`toolkit.text.plain_texts`).

    Raises
    ------
    ToolkitError
        When ``frame`` lacks ``doc_id`` or ``text``, or is already split into sentences (has ``sent_id``).

    Examples
    --------
    >>> sentences = split_sentences(split_turns(load_briefings("corpus/")))   # doctest: +SKIP
    """
    require_columns(frame, ["doc_id", "text"], func="split_sentences")
    if "sent_id" in frame.columns:
        raise ToolkitError("split_sentences(): argument 'frame' is already split into sentences (it has 'sent_id'); "
                           "pass turns (toolkit.split_turns()) or briefings.")
    workers = n_workers(n_jobs, func="split_sentences")
    extra = "" if params is None else ",".join(sorted(params.abbrev_types))
    key = cache.make_key(cache.fingerprint(frame, ["text", "lang"]), "split_sentences", extra)

    def build() -> pd.DataFrame:
        plain = frame.assign(text=plain_texts(frame["text"]))
        return _split_texts(plain["text"], np.asarray(langs_of(plain) == "zh", dtype=bool), params, workers)

    split = cache.memoized("sentences", key, build, use_cache=use_cache)
    result = _repeat_rows(frame, split)
    result.attrs = dict(frame.attrs)
    cache.remember(result, cache.make_key("split_sentences:table", cache.fingerprint(frame), extra))
    return result


def _repeat_rows(frame: pd.DataFrame, split: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s rows once per sentence of ``split``, with the sentence's ``text``, ``n_words`` and ``sent_id``.

    The row's own ``text`` and ``n_words`` are left out before the rows are repeated, so no sentence row ever
    holds a copy of its whole turn or briefing; the other string columns share one string object per input row
    (:func:`toolkit._frames.repeat_rows`).
    """
    columns = list(frame.columns)
    if "turn_id" not in columns:
        columns.insert(columns.index("doc_id") + 1, "turn_id")
    columns.insert(columns.index("turn_id") + 1, "sent_id")
    own = [c for c in ("text", "n_words") if c in frame.columns]
    result = repeat_rows(frame.drop(columns=own), split["row"].to_numpy())
    result = result.assign(sent_id=split["sent_id"].array, **{c: split[c].array for c in own})
    if "turn_id" not in frame.columns:
        result["turn_id"] = np.zeros(len(result), dtype="int64")
    return result[columns]
