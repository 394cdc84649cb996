"""The word lists of stance scoring and their indexes: what counts as a target mention or a stance cue.

- :func:`load_targets` / :func:`load_stance_lexicon`: the packaged ``toolkit/data/targets.csv`` and
  ``toolkit/data/stance_lexicon.csv``, or the user's file or DataFrame in their place;
- :data:`STANCE_TARGETS`: the targets that reports and the explorer show by default;
- :func:`match_units`: the units texts, aliases and cues are matched on (English tokens, Chinese characters);
- :func:`matchers`: the compiled gazetteer and cue indexes per language (:class:`Matcher`), cached on the
  tables' contents;
- :func:`target_mentions`: the target mentions of each row of a table.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .._checks import ToolkitError
from ..datafiles import read_data_table
from ..text import english_units

TARGET_COLUMNS = ["target", "alias", "language"]
LEXICON_COLUMNS = ["cue", "weight", "category", "language"]
CATEGORIES = ["hostile", "critical", "cooperative", "intensifier", "negator", "neutral"]
LANGUAGES = ("en", "zh")
STANCE_TARGETS = ("United States", "Taiwan", "Japan", "DPRK")


def load_targets(targets: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the target gazetteer: the packaged ``targets.csv`` or the user's file/DataFrame.

    Parameters
    ----------
    targets : path or DataFrame, optional
        Columns ``target, alias, language`` (``en``/``zh``) and optionally ``note``. An empty ``target``
        makes the alias a blocker: it claims its span ("Indian Ocean") so a shorter alias ("Indian")
        inside it is not counted.

    Returns
    -------
    DataFrame
        ``target, alias, language, note``.

    Examples
    --------
    >>> load_targets().query("target == 'Japan'")["alias"].tolist()      # doctest: +SKIP
    ['Japan', 'Japanese', '日本', '日方']
    """
    table = read_data_table(targets, columns=TARGET_COLUMNS, default="targets.csv", func="load_targets", arg="targets")
    table = table.assign(target=table["target"].fillna("").astype(str).str.strip(),
                         alias=table["alias"].astype(str).str.strip())
    bad = table.index[(table["alias"] == "") | ~table["language"].isin(LANGUAGES)].tolist()
    if bad:
        raise ToolkitError(f"load_targets(): rows {bad} have an empty alias or a language other than 'en'/'zh'; "
                           "fix or delete them.")
    return _with_note(table, TARGET_COLUMNS)


def load_stance_lexicon(lexicon: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the stance lexicon: the packaged ``stance_lexicon.csv`` or the user's file/DataFrame.

    Parameters
    ----------
    lexicon : path or DataFrame, optional
        Columns ``cue, weight, category, language`` and optionally ``note``. ``category`` is one of
        hostile, critical, cooperative (signed weights), intensifier (a multiplier for the next cue),
        negator (reverses a following cooperative cue, halves a negative one) or neutral (a blocker
        phrase such as "mutual concern" that keeps a shorter cue inside it from counting). English
        cues are matched case-insensitively as whole words; a trailing ``*`` matches any ending
        (``oppos*``). Chinese cues are matched as substrings, longest first.

    Returns
    -------
    DataFrame
        ``cue, weight (float), category, language, note``.

    Examples
    --------
    >>> load_stance_lexicon().query("category == 'intensifier'").head(2)      # doctest: +SKIP
    """
    table = read_data_table(lexicon, columns=LEXICON_COLUMNS, default="stance_lexicon.csv",
                            func="load_stance_lexicon", arg="lexicon")
    weights = pd.to_numeric(table["weight"], errors="coerce")
    bad = table.index[weights.isna() | ~table["category"].isin(CATEGORIES) | ~table["language"].isin(LANGUAGES)
                      | (table["cue"].astype(str).str.strip() == "")]
    if len(bad):
        raise ToolkitError(f"load_stance_lexicon(): rows {bad.tolist()} need a cue, a numeric weight, a category in "
                           f"{CATEGORIES} and language 'en' or 'zh'; fix or delete them.")
    return _with_note(table.assign(weight=weights, cue=table["cue"].astype(str).str.strip()), LEXICON_COLUMNS)


def _with_note(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``columns`` plus ``note`` (empty when the table has none)."""
    return table.assign(note=table["note"] if "note" in table.columns else "")[[*columns, "note"]]


def match_units(text: str, lang: str) -> tuple[str, ...] | str:
    """The units that aliases and cues are matched on: a tuple of English tokens, or the Chinese string itself.

    English: :func:`toolkit.text.english_units`, the tokens of :data:`toolkit.text.TOKEN_PATTERN` (words and
    punctuation marks, after :func:`toolkit.text.fold`), each word split at its hyphens and apostrophes, which
    stay as units of their own. So a hyphenated compound holds its parts ("China-US" mentions the US), "so-called" and "don't" match
    the cues written that way, and a possessive keeps its noun ("China's" is ``China ' s``). Chinese: one unit
    a character.
    """
    return tuple(english_units(text)) if lang == "en" else text


def _phrase(text: str, lang: str, *, lower: bool) -> tuple[str, ...] | str:
    """Units of a gazetteer alias or lexicon cue; a trailing ``*`` stays on the last English token."""
    text = text.lower() if lower else text
    if lang != "en" or not text.endswith("*"):
        return match_units(text, lang)
    units = match_units(text.rstrip("*"), lang)
    return (*units[:-1], units[-1] + "*")


class _PhraseIndex:
    """Leftmost-longest matching of phrases (tuples of tokens, or Chinese strings) in a unit sequence.

    English texts are tuples of units (:func:`match_units`); Chinese texts are strings (one unit a
    character). An English phrase whose last token ends with ``*`` matches any ending.
    """

    def __init__(self, phrases: list[tuple[tuple | str, object]]):
        self.by_first: dict = {}
        self.by_stem: dict = {}
        for units, payload in phrases:
            wild = isinstance(units, tuple) and units[-1].endswith("*")
            if wild:
                units = (*units[:-1], units[-1][:-1])
            if wild and len(units) == 1:
                self.by_stem.setdefault(units[0], payload)
            else:
                self.by_first.setdefault(units[0], []).append((units, wild, payload))
        for candidates in self.by_first.values():
            candidates.sort(key=lambda c: len(c[0]), reverse=True)
        self.stem_lengths = sorted({len(stem) for stem in self.by_stem}, reverse=True)
        self._starts: dict = {}  # unit -> (may start a phrase, payload of its matching stem or None)

    def _start(self, unit):
        stem = next((self.by_stem[unit[:n]] for n in self.stem_lengths
                     if n <= len(unit) and unit[:n] in self.by_stem), None)
        known = self._starts[unit] = (unit in self.by_first or stem is not None, stem)
        return known

    def _longest(self, units, i: int, stem):
        for phrase, wild, payload in self.by_first.get(units[i], ()):
            end = i + len(phrase)
            if end > len(units):
                continue
            if wild and units[i:end - 1] == phrase[:-1] and units[end - 1].startswith(phrase[-1]):
                return end, payload
            if not wild and units[i:end] == phrase:
                return end, payload
        return (i + 1, stem) if stem is not None else None

    def scan(self, units) -> list[tuple[int, int, object]]:
        """``(start, end, payload)`` of the non-overlapping leftmost-longest matches."""
        found, free, starts = [], 0, self._starts
        for i, unit in enumerate(units):
            if i < free:
                continue
            may_start, stem = starts.get(unit) or self._start(unit)
            if may_start:
                hit = self._longest(units, i, stem)
                if hit:
                    found.append((i, *hit))
                    free = hit[0]
        return found


@dataclass
class Matcher:
    """Gazetteer and lexicon indexes for one language.

    ``targets`` payloads are tuples of target names (empty for a blocker); ``cues`` payloads are
    ``(cue, weight, category)``.
    """

    lang: str
    targets: _PhraseIndex
    cues: _PhraseIndex

    def mentions(self, units) -> list[tuple[int, tuple[str, ...]]]:
        """``(unit position, target names)`` of every target mention in ``units`` (blockers excluded)."""
        return [(start, names) for start, _, names in self.targets.scan(units) if names]


def _compile(targets: pd.DataFrame, lexicon: pd.DataFrame, lang: str) -> Matcher:
    aliases = targets[targets["language"] == lang]
    grouped = aliases.groupby("alias", sort=False)["target"].agg(lambda s: tuple(sorted({t for t in s if t})))
    target_phrases = []
    for alias, names in grouped.items():
        target_phrases.append((_phrase(alias, lang, lower=False), names))
        if lang == "en" and alias[0].islower():
            target_phrases.append((_phrase(alias[0].upper() + alias[1:], lang, lower=False), names))
    entries = lexicon[lexicon["language"] == lang]
    cues = entries[["cue", "weight", "category"]].itertuples(index=False, name=None)
    cue_phrases = [(_phrase(cue, lang, lower=True), (cue, float(weight), category)) for cue, weight, category in cues]
    return Matcher(lang, _PhraseIndex(target_phrases), _PhraseIndex(cue_phrases))


@lru_cache(maxsize=8)
def _cached_matchers(target_rows: tuple, lexicon_rows: tuple) -> dict[str, Matcher]:
    targets = pd.DataFrame(list(target_rows), columns=TARGET_COLUMNS)
    lexicon = pd.DataFrame(list(lexicon_rows), columns=LEXICON_COLUMNS)
    return {lang: _compile(targets, lexicon, lang) for lang in LANGUAGES}


def matchers(targets: pd.DataFrame, lexicon: pd.DataFrame) -> dict[str, Matcher]:
    """Compiled matchers per language (``"en"``, ``"zh"``) of a loaded gazetteer and lexicon, cached on their
    contents (the matchers are read-only)."""
    return _cached_matchers(tuple(targets[TARGET_COLUMNS].itertuples(index=False, name=None)),
                            tuple(lexicon[LEXICON_COLUMNS].itertuples(index=False, name=None)))


def target_mentions(texts, langs, targets: str | Path | pd.DataFrame | None) -> list:
    """Per text: the list of ``(unit position, target names)`` mentions of the gazetteer ``targets``."""
    compiled = matchers(load_targets(targets), load_stance_lexicon(None))
    return [compiled[lang].mentions(match_units(text, lang)) for text, lang in zip(texts, langs)]
