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

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

import pandas as pd

from .._checks import ToolkitError
from ..datafiles import read_data_table
from ..text import english_units, literal_trie

TARGET_COLUMNS = ["target", "alias", "language", "not_context"]
LEXICON_COLUMNS = ["cue", "weight", "category", "language"]
ROLE_COLUMNS = ["pattern", "role", "weight", "blocks", "language"]
CATEGORIES = ["hostile", "critical", "cooperative", "intensifier", "negator", "neutral", "connective", "reported"]
BLOCKS = ("negative", "positive", "all", "none")
LANGUAGES = ("en", "zh")
STANCE_TARGETS = ("United States", "Taiwan", "Japan", "DPRK")
JOINED_TEXTS = 2048  # texts searched as one by Matcher.may_mention_each
LOWER_CACHE = 200_000  # distinct English units whose lowercase form is kept (then it starts afresh)


def load_targets(targets: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the target gazetteer: the packaged ``targets.csv`` or the user's file/DataFrame.

    Parameters
    ----------
    targets : path or DataFrame, optional
        Columns ``target, alias, language`` (``en``/``zh``) and optionally ``not_context`` and ``note``.
        An empty ``target`` makes the alias a blocker: it claims its span ("Indian Ocean") so a shorter
        alias ("Indian") inside it is not counted. ``not_context``: a regular expression; where it matches
        the row's text the alias is no mention (巴方 is Pakistan unless 巴勒斯坦, 以色列 ... occur);
        :func:`toolkit.score_stance` searches it in the row's whole turn and the turn before it (the
        question it answers), where the country a short form stands for is usually named.

    Returns
    -------
    DataFrame
        ``target, alias, language, not_context, note``.

    Examples
    --------
    >>> load_targets().query("target == 'Japan'")["alias"].tolist()      # doctest: +SKIP
    ['Japan', 'Japanese', '日本', '日方']
    """
    table = read_data_table(targets, columns=TARGET_COLUMNS[:3], default="targets.csv", func="load_targets",
                            arg="targets")
    guard = table["not_context"] if "not_context" in table.columns else pd.Series("", index=table.index)
    table = table.assign(target=table["target"].fillna("").astype(str).str.strip(),
                         alias=table["alias"].astype(str).str.strip(), not_context=guard.fillna("").astype(str))
    _check_patterns(table["not_context"], func="load_targets")
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
        negator (reverses a following cooperative cue, neutralises a negative one; explicit "not", 不 or
        implicit "prevent", 避免, "rather than"), neutral (a blocker phrase such as "mutual concern" that
        keeps a shorter cue inside it from counting), connective (a word a negation reaches across to the
        next cue: "and", "to", 和) or reported (others' words follow: "alleged", 据报道; the cues after it
        in its clause do not count). English
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


def load_stance_roles(roles: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the target roles: the packaged ``stance_roles.csv`` or the user's file/DataFrame.

    A role pattern names how a target is mentioned around its alias: as China's co-agent ("China and {X}",
    中{X}双方 written ``{X}双方`` for the compound 中俄), a victim ("attack in {X}"), a venue ("held in {X}"),
    an authority agreed with ("as {X} rightly"), or the addressee of an admonition ("urge the {X}",
    希望{X}, "{X} should"). ``blocks`` says which cues of the row stop counting toward a target so mentioned
    (``negative``: hostile and critical; ``positive``: cooperative; ``all``; ``none``) and ``weight`` is
    added as a cue of its own (0: none).

    Parameters
    ----------
    roles : path or DataFrame, optional
        Columns ``pattern`` (with one ``{X}`` where the target alias stands; English words are matched
        case-insensitively as whole tokens, Chinese as characters), ``role``, ``weight``, ``blocks``,
        ``language`` and optionally ``note``.

    Returns
    -------
    DataFrame
        ``pattern, role, weight (float), blocks, language, note``.
    """
    table = read_data_table(roles, columns=ROLE_COLUMNS, default="stance_roles.csv", func="load_stance_roles",
                            arg="roles")
    weights = pd.to_numeric(table["weight"], errors="coerce")
    patterns = table["pattern"].astype(str).str.strip()
    bad = table.index[weights.isna() | (patterns.str.count(r"\{X\}") != 1) | ~table["blocks"].isin(BLOCKS)
                      | ~table["language"].isin(LANGUAGES)]
    if len(bad):
        raise ToolkitError(f"load_stance_roles(): rows {bad.tolist()} need a pattern with exactly one {{X}}, a numeric "
                           f"weight, blocks in {list(BLOCKS)} and language 'en' or 'zh'; fix or delete them.")
    return _with_note(table.assign(weight=weights, pattern=patterns), ROLE_COLUMNS)


def _check_patterns(patterns: pd.Series, *, func: str) -> None:
    import re

    for i, pattern in patterns.items():
        try:
            re.compile(pattern)
        except re.error as error:
            raise ToolkitError(f"{func}(): row {i}: not_context {pattern!r} is no regular expression ({error}); "
                               "fix it or leave it empty.") from error


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


def lowered_units(units, lang: str) -> tuple[str, ...] | str:
    """The units cues and role patterns are matched on: English units lowercased, Chinese ones as they are. Each
    distinct English unit is lowercased once (a bounded memo, :data:`LOWER_CACHE`), so every occurrence is the same
    string, whose hash is computed once too."""
    return tuple(map(_LOWERCASE.__getitem__, units)) if lang == "en" else units


class _Lowercase(dict):
    """``unit -> unit.lower()``, filled as units come."""

    def __missing__(self, unit: str) -> str:
        if len(self) >= LOWER_CACHE:
            self.clear()
        self[unit] = lower = unit.lower()
        return lower


_LOWERCASE = _Lowercase()


def _phrase(text: str, lang: str, *, lower: bool) -> tuple[str, ...] | str:
    """Units of a gazetteer alias or lexicon cue; a trailing ``*`` stays on the last English token."""
    text = text.lower() if lower else text
    if lang != "en" or not text.endswith("*"):
        return match_units(text, lang)
    units = match_units(text.rstrip("*"), lang)
    return (*units[:-1], units[-1] + "*")


_LONGER = object()  # in _PhraseIndex._starts: the match at a unit needs the units after it (see _PhraseIndex._start)


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
        self._starts: dict = {}  # unit -> (may start a phrase, its stem's payload or None, seconds, fixed: _start)
        self._never: set = set()  # units seen that start no phrase

    def _start(self, unit):
        stem = next((self.by_stem[unit[:n]] for n in self.stem_lengths
                     if n <= len(unit) and unit[:n] in self.by_stem), None)
        phrases = self.by_first.get(unit, ())
        # the second units of its phrases, when only they can follow (no one-unit phrase, stem, or wild 2nd unit)
        seconds = None if stem is not None or any(len(p) < 2 or (wild and len(p) == 2) for p, wild, _ in phrases) \
            else frozenset(p[1] for p, _, _ in phrases)
        # the match when it is the unit alone whatever follows (its longest phrase is itself, or only a stem)
        fixed = phrases[0][2] if phrases and len(phrases[0][0]) == 1 else stem if not phrases and stem is not None \
            else _LONGER
        known = self._starts[unit] = (bool(phrases) or stem is not None, stem, seconds, fixed)
        if not known[0]:
            self._never.add(unit)
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
        found, free, starts, never = [], 0, self._starts, self._never
        for i, unit in enumerate(units):
            if unit in never or i < free:   # most units are known to start no phrase: one set lookup
                continue
            may_start, stem, seconds, fixed = starts.get(unit) or self._start(unit)
            if fixed is not _LONGER:    # most matches: one unit, no phrase to compare
                found.append((i, i + 1, fixed))
            elif may_start and (seconds is None or (i + 1 < len(units) and units[i + 1] in seconds)):
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
    guards: dict  # alias units -> compiled not_context pattern
    roles: dict  # (units before, units after) -> list of (pattern, role, weight, blocks)
    role_shapes: tuple  # the distinct (len before, len after) of the role patterns
    connectives: frozenset  # units a negation carries over ("and", "to", 和, 、)
    prefilter: object  # compiled regex of every alias: a text it does not match mentions no target
    guarded: object = None  # compiled regex of the aliases with a not_context guard (None: there are none)

    def __post_init__(self):
        # a role pattern can match only where the unit before the mention ends its "before" part, or (with no
        # "before" part) the unit after it begins its "after" part: the shapes worth a lookup, per such pair
        self._shapes_after: dict = {}   # unit before the mention -> shapes of the patterns whose "before" ends so
        self._shapes_before: dict = {}  # unit after it -> shapes of the patterns with only an "after" part
        for before, after in self.roles:
            shape = (len(before), len(after))
            if before:
                self._shapes_after.setdefault(before[-1], set()).add(shape)
            elif after:
                self._shapes_before.setdefault(after[0], set()).add(shape)
        self._bare = {(0, 0)} & {(len(before), len(after)) for before, after in self.roles}
        self._shapes: dict = {}  # (unit before or None, unit after or None) -> shapes to try, in role_shapes order

    def _shapes_around(self, lowered, start: int, end: int) -> tuple:
        """The role shapes that may match around the mention ``lowered[start:end]``, in :attr:`role_shapes` order
        (the order decides between equally long patterns)."""
        key = (lowered[start - 1] if start and lowered[start - 1] in self._shapes_after else None,
               lowered[end] if end < len(lowered) and lowered[end] in self._shapes_before else None)
        shapes = self._shapes.get(key)
        if shapes is None:
            wanted = self._bare | self._shapes_after.get(key[0], set()) | self._shapes_before.get(key[1], set())
            shapes = self._shapes[key] = tuple(shape for shape in self.role_shapes if shape in wanted)
        return shapes

    def may_mention(self, text: str) -> bool:
        """A fast test: ``False`` when no alias occurs in ``text`` even as a substring (so no mention)."""
        return self.prefilter.search(text) is not None

    def may_mention_each(self, texts: list[str]) -> list[bool]:
        """:meth:`may_mention` of each of ``texts``, by searching their joined text once per text that holds an
        alias: the regex engine, not Python, steps over the texts without one (most of a corpus). The texts are
        joined by ``"\\0"``, which no alias holds (else each text is searched alone), so no match spans two;
        :data:`JOINED_TEXTS` texts at a time, so the joined copy stays small."""
        if "\0" in self.prefilter.pattern:
            return [self.may_mention(text) for text in texts]
        hits, search = [], self.prefilter.search
        for first in range(0, len(texts), JOINED_TEXTS):
            part = texts[first:first + JOINED_TEXTS]
            joined, found, at = "\0".join(part), [False] * len(part), 0
            ends = list(accumulate(len(text) + 1 for text in part))   # where the next text starts
            while (match := search(joined, at)) is not None:
                row = bisect_right(ends, match.start())
                found[row] = True
                at = ends[row]
            hits += found
        return hits

    def spans(self, units, text: str | None = None) -> list[tuple[int, int, tuple[str, ...]]]:
        """``(start, end, target names)`` of every target mention in ``units`` (blockers excluded; an alias
        whose ``not_context`` matches ``text`` is no mention)."""
        found = [(start, end, names) for start, end, names in self.targets.scan(units) if names]
        if self.guards and text is not None:
            found = [hit for hit in found
                     if not ((guard := self.guards.get(units[hit[0]:hit[1]])) and guard.search(text))]
        return found

    def mentions(self, units, text: str | None = None) -> list[tuple[int, tuple[str, ...]]]:
        """``(unit position, target names)`` of every target mention in ``units`` (see :meth:`spans`)."""
        return [(start, names) for start, _, names in self.spans(units, text)]

    def roles_of(self, lowered, spans) -> dict[str, list]:
        """``{target: [(pattern, role, weight, blocks), ...]}``: the longest role pattern around each mention
        (a ``none`` pattern such as ``{X}应邀`` voids the shorter ones)."""
        found: dict = {}
        for start, end, names in spans:
            shapes = self._shapes_around(lowered, start, end)
            if not shapes:
                continue
            here = [role for before, after in shapes if start >= before and end + after <= len(lowered)
                    for role in self.roles.get((lowered[start - before:start], lowered[end:end + after]), ())]
            if not here:
                continue
            longest = max(here, key=lambda role: len(role[0]))  # "as {X} rightly" over "{X} rightly"
            if longest[1] == "none":  # a blocker pattern ("{X}应邀") voids the others
                continue
            for name in names:
                found.setdefault(name, []).append(longest)
        return {name: roles for name, roles in found.items() if roles}


def _compile(targets: pd.DataFrame, lexicon: pd.DataFrame, roles: pd.DataFrame, lang: str) -> Matcher:
    import re

    aliases = targets[targets["language"] == lang]
    grouped = aliases.groupby("alias", sort=False)["target"].agg(lambda s: tuple(sorted({t for t in s if t})))
    target_phrases = []
    for alias, names in grouped.items():
        target_phrases.append((_phrase(alias, lang, lower=False), names))
        if lang == "en" and alias[0].islower():
            target_phrases.append((_phrase(alias[0].upper() + alias[1:], lang, lower=False), names))
    entries = lexicon[lexicon["language"] == lang]
    cues = entries.loc[entries["category"] != "connective", ["cue", "weight", "category"]].itertuples(
        index=False, name=None)
    cue_phrases = [(_phrase(cue, lang, lower=True), (cue, float(weight), category)) for cue, weight, category in cues]
    guards = {_phrase(alias, lang, lower=False): re.compile(guard)
              for alias, guard in aliases[["alias", "not_context"]].itertuples(index=False, name=None) if guard}
    patterns: dict = {}
    for pattern, role, weight, blocks in roles.loc[roles["language"] == lang, ROLE_COLUMNS[:4]].itertuples(
            index=False, name=None):
        before, after = (_phrase(part.strip(), lang, lower=True) for part in pattern.split("{X}"))
        patterns.setdefault((before, after), []).append((pattern, role, float(weight), blocks))
    shapes = tuple(sorted({(len(before), len(after)) for before, after in patterns}))
    connectives = frozenset(entries.loc[entries["category"] == "connective", "cue"].str.lower())
    names = {variant for alias in aliases.loc[aliases["target"] != "", "alias"]
             for variant in (alias, alias[0].upper() + alias[1:])}
    prefilter = re.compile(literal_trie(names, longest=False))
    with_guard = set(aliases.loc[aliases["not_context"] != "", "alias"])
    guarded = re.compile(literal_trie(with_guard, longest=False)) if with_guard else None
    return Matcher(lang, _PhraseIndex(target_phrases), _PhraseIndex(cue_phrases), guards, patterns, shapes,
                   connectives, prefilter, guarded)


@lru_cache(maxsize=8)
def _cached_matchers(target_rows: tuple, lexicon_rows: tuple, role_rows: tuple) -> dict[str, Matcher]:
    targets = pd.DataFrame(list(target_rows), columns=TARGET_COLUMNS)
    lexicon = pd.DataFrame(list(lexicon_rows), columns=LEXICON_COLUMNS)
    roles = pd.DataFrame(list(role_rows), columns=ROLE_COLUMNS)
    return {lang: _compile(targets, lexicon, roles, lang) for lang in LANGUAGES}


def matchers(targets: pd.DataFrame, lexicon: pd.DataFrame, roles: pd.DataFrame | None = None) -> dict[str, Matcher]:
    """Compiled matchers per language (``"en"``, ``"zh"``) of a loaded gazetteer, lexicon and role table (the
    packaged roles by default), cached on their contents (the matchers are read-only)."""
    roles = load_stance_roles() if roles is None else roles
    return _cached_matchers(tuple(targets[TARGET_COLUMNS].itertuples(index=False, name=None)),
                            tuple(lexicon[LEXICON_COLUMNS].itertuples(index=False, name=None)),
                            tuple(roles[ROLE_COLUMNS].itertuples(index=False, name=None)))


def target_mentions(texts, langs, targets: str | Path | pd.DataFrame | None) -> list:
    """Per text: the list of ``(unit position, target names)`` mentions of the gazetteer ``targets``."""
    compiled = matchers(load_targets(targets), load_stance_lexicon(None))
    return [compiled[lang].mentions(match_units(text, lang), text) for text, lang in zip(texts, langs)]
