"""Target-aware stance scores: how the spokesperson talks about the US, Taiwan, Japan ... and how that changes.

A sentence (or turn, or briefing) is searched for target mentions (``toolkit/data/targets.csv``) and for
stance cues (``toolkit/data/stance_lexicon.csv``). Each cue is attached to the target(s) of its clause,
adjusted by an intensifier ("firmly", 坚决) or a negation ("not", 不) just before it, and the signed weights
per target become a bounded score

    score = (P - N) / (P + N + k)

where ``P`` is the sum of the positive (cooperative) weights, ``N`` the sum of the absolute negative
(critical, hostile) weights attached to the target and ``k`` (``smoothing``, default 2) damps
single weak cues. The score lies in (-1, 1); a sentence with no cue scores 0; mixed sentences are pulled
toward 0. Every score is explained by the ``cues`` column (``"firmly+oppose(-3)"``).
"""
from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import seaborn as sns

from ._checks import ToolkitError, require_choice, require_columns
from .datafiles import read_data_table
from .text import detect_lang
from .periods import add_period
from .provenance import provenance
from .turns import SPOKESPERSON_ROLES
from .uncertainty import bootstrap_mean

TARGET_COLUMNS = ["target", "alias", "language"]
LEXICON_COLUMNS = ["cue", "weight", "category", "language"]
CATEGORIES = ["hostile", "critical", "cooperative", "intensifier", "negator", "neutral"]
CUE_CATEGORIES = ("hostile", "critical", "cooperative")
ID_COLUMNS = ["doc_id", "turn_id", "sent_id"]
SCORE_COLUMNS = ["target", "score", "n_hostile", "n_critical", "n_cooperative", "cues"]
_TOKEN = re.compile(r"\w+|[^\w\s]")
_BREAKS = frozenset(",;:!?()[]\u2014\u2013，；：！？（）")
INTENSIFIER_REACH = {"en": 2, "zh": 2}  # words (en) or characters (zh) between modifier and cue
NEGATOR_REACH = {"en": 3, "zh": 3}
NEGATED_COOPERATIVE = -0.75  # "not friendly": the cue flips and weakens (VADER uses -0.74)
NEGATED_CRITICAL = 0.5  # "no so-called ...", "never interfere": still negative, but hedged


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
    """
    table = read_data_table(targets, columns=TARGET_COLUMNS, default="targets.csv", func="load_targets", arg="targets")
    table = table.assign(target=table["target"].fillna("").astype(str).str.strip(),
                         alias=table["alias"].astype(str).str.strip())
    bad = table.index[(table["alias"] == "") | ~table["language"].isin(["en", "zh"])].tolist()
    if bad:
        raise ToolkitError(f"load_targets(): rows {bad} have an empty alias or a language other than 'en'/'zh'; "
                           "fix or delete them.")
    return table.assign(note=table["note"] if "note" in table.columns else "")[[*TARGET_COLUMNS, "note"]]


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
    """
    table = read_data_table(lexicon, columns=LEXICON_COLUMNS, default="stance_lexicon.csv",
                        func="load_stance_lexicon", arg="lexicon")
    weights = pd.to_numeric(table["weight"], errors="coerce")
    bad = table.index[weights.isna() | ~table["category"].isin(CATEGORIES) | ~table["language"].isin(["en", "zh"])
                      | (table["cue"].astype(str).str.strip() == "")]
    if len(bad):
        raise ToolkitError(f"load_stance_lexicon(): rows {bad.tolist()} need a cue, a numeric weight, a category in "
                           f"{CATEGORIES} and language 'en' or 'zh'; fix or delete them.")
    table = table.assign(weight=weights, cue=table["cue"].astype(str).str.strip())
    return table.assign(note=table["note"] if "note" in table.columns else "")[[*LEXICON_COLUMNS, "note"]]


class _PhraseIndex:
    """Leftmost-longest matching of phrases (tuples of tokens, or Chinese strings) in a unit sequence.

    English texts are tuples of tokens (``\\w+`` or one punctuation character); Chinese texts are strings
    (one unit a character). An English phrase whose last token ends with ``*`` matches any ending.
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


def _units(text: str, lang: str):
    return tuple(_TOKEN.findall(text)) if lang == "en" else text


def _phrase(text: str, lang: str, *, lower: bool):
    """Units of a gazetteer alias or lexicon cue; a trailing ``*`` stays on the last English token."""
    text = text.lower() if lower else text
    if lang != "en":
        return text
    units = tuple(_TOKEN.findall(text.rstrip("*")))
    return (*units[:-1], units[-1] + "*") if text.endswith("*") else units


@dataclass
class _Matcher:
    """Gazetteer and lexicon indexes for one language."""

    lang: str
    targets: _PhraseIndex
    cues: _PhraseIndex

    def mentions(self, units) -> list[tuple[int, tuple[str, ...]]]:
        """``(unit position, target names)`` of every target mention in ``units`` (blockers excluded)."""
        return [(start, names) for start, _, names in self.targets.scan(units) if names]


def _compile(targets: pd.DataFrame, lexicon: pd.DataFrame, lang: str) -> _Matcher:
    aliases = targets[targets["language"] == lang]
    grouped = aliases.groupby("alias", sort=False)["target"].agg(lambda s: tuple(sorted({t for t in s if t})))
    target_phrases = []
    for alias, names in grouped.items():
        target_phrases.append((_phrase(alias, lang, lower=False), names))
        if lang == "en" and alias[0].islower():
            target_phrases.append((_phrase(alias[0].upper() + alias[1:], lang, lower=False), names))
    entries = lexicon[lexicon["language"] == lang]
    cue_phrases = []
    for cue, weight, category in entries[["cue", "weight", "category"]].itertuples(index=False, name=None):
        cue_phrases.append((_phrase(cue, lang, lower=True), (cue, float(weight), category)))
    return _Matcher(lang, _PhraseIndex(target_phrases), _PhraseIndex(cue_phrases))


@lru_cache(maxsize=8)
def _cached_matchers(target_rows: tuple, lexicon_rows: tuple) -> dict[str, _Matcher]:
    targets = pd.DataFrame(list(target_rows), columns=TARGET_COLUMNS)
    lexicon = pd.DataFrame(list(lexicon_rows), columns=LEXICON_COLUMNS)
    return {lang: _compile(targets, lexicon, lang) for lang in ("en", "zh")}


def _matchers(targets: pd.DataFrame, lexicon: pd.DataFrame) -> dict[str, _Matcher]:
    """Compiled matchers per language, cached on the table contents."""
    return _cached_matchers(tuple(targets[TARGET_COLUMNS].itertuples(index=False, name=None)),
                            tuple(lexicon[LEXICON_COLUMNS].itertuples(index=False, name=None)))


def _gap_ok(units, start: int, end: int, lang: str, reach: int) -> bool:
    gap = units[start:end]
    if any(u in _BREAKS for u in gap):
        return False
    return sum(u[0].isalnum() for u in gap) <= reach if lang == "en" else len(gap) <= reach


def _show(units, lang: str) -> str:
    """Matched units as text: English words spaced, punctuation attached ("so-called", "don't")."""
    if lang != "en":
        return units
    text = units[0]
    for previous, unit in itertools.pairwise(units):
        text += (" " if previous[0].isalnum() and unit[0].isalnum() else "") + unit
    return text


def _cue_hits(units, matcher: _Matcher) -> list[tuple[int, str, float, str]]:
    """Return ``(unit position, label, weight, category)`` for every cue, modifiers applied."""
    lang = matcher.lang
    lowered = tuple(map(str.lower, units)) if lang == "en" else units
    hits, intensifier, negator = [], None, None
    for start, end, (cue, weight, category) in matcher.cues.scan(lowered):
        shown = _show(lowered[start:end], lang)
        if category == "intensifier":
            intensifier = (end, weight, shown)
        elif category == "negator":
            negator = (end, shown)
        elif category in CUE_CATEGORIES:
            label, factor = shown, 1.0
            if intensifier and _gap_ok(lowered, intensifier[0], start, lang, INTENSIFIER_REACH[lang]):
                label, factor = f"{intensifier[2]}+{label}", intensifier[1]
            if negator and _gap_ok(lowered, negator[0], start, lang, NEGATOR_REACH[lang]):
                label = f"{negator[1]}+{label}"
                factor *= NEGATED_COOPERATIVE if weight > 0 else NEGATED_CRITICAL
                category = "critical" if weight > 0 else category
            hits.append((start, label, weight * factor, category))
            intensifier = negator = None
    return hits


def _clause_ids(units) -> list[int]:
    return list(itertools.accumulate((u in _BREAKS for u in units), initial=0))[1:]


def _attach(position: int, mentions, clause_of: list[int], attach: str) -> tuple[str, ...]:
    """Targets a cue at unit ``position`` counts toward."""
    if attach == "sentence":
        return tuple(dict.fromkeys(t for _, names in mentions for t in names))
    local = [(p, names) for p, names in mentions if clause_of[p] == clause_of[position]] or mentions
    if attach == "nearest":
        nearest = min(abs(p - position) for p, _ in local)
        local = [(p, names) for p, names in local if abs(p - position) == nearest]
    return tuple(dict.fromkeys(t for _, names in local for t in names))


def _language(frame: pd.DataFrame) -> pd.Series:
    detected = frame["text"].astype(str).map(detect_lang)
    if "lang" not in frame.columns:
        return detected
    given = frame["lang"].where(frame["lang"].isin(["en", "zh"]))
    return given.fillna(detected)


def _spokesperson_rows(frame: pd.DataFrame, *, include_questions: bool, func: str) -> pd.DataFrame:
    """Keep the spokesperson's rows, role in ``SPOKESPERSON_ROLES`` (all rows with ``include_questions=True``:
    questions, and the journalist's ``context`` of a news report); adds ``_lang``."""
    require_columns(frame, ["doc_id", "text"], func=func)
    if not include_questions:
        if "role" not in frame.columns:
            raise ToolkitError(
                f"{func}(): the table has no 'role' column, so journalists' questions cannot be excluded; "
                "pass toolkit.split_turns(...) or split_sentences(...) output, or include_questions=True."
            )
        frame = frame[frame["role"].isin(SPOKESPERSON_ROLES)]
    frame = frame[frame["text"].notna()]
    return frame.assign(_lang=_language(frame)).reset_index(drop=True)


def _target_mentions(rows: pd.DataFrame, targets) -> list:
    """Per row of ``rows`` (with ``_lang``): the list of ``(position, target names)`` mentions."""
    matchers = _matchers(load_targets(targets), load_stance_lexicon(None))
    return [matchers[lang].mentions(_units(text, lang)) for text, lang in zip(rows["text"].astype(str), rows["_lang"])]


def _expand_targets(frame: pd.DataFrame, mentions: list, values: dict, *, untargeted: str) -> pd.DataFrame:
    """One row per input row and mentioned target (``target`` NaN for untargeted rows if kept).

    ``values`` maps output column names to per-row lists of ``{target: value}`` dicts or scalars.
    """
    index, names = [], []
    for i, found in enumerate(mentions):
        row_targets = list(dict.fromkeys(t for _, ts in found for t in ts))
        if not row_targets and untargeted == "keep":
            row_targets = [np.nan]
        index.extend([i] * len(row_targets))
        names.extend(row_targets)
    out = frame.iloc[index].reset_index(drop=True).assign(target=names)
    for column, per_row in values.items():
        out[column] = [per_row[i].get(t, per_row[i].get(None)) if isinstance(per_row[i], dict) else per_row[i]
                       for i, t in zip(index, names)]
    return out


def _order(out: pd.DataFrame, frame_columns: list[str]) -> pd.DataFrame:
    for column in ID_COLUMNS:
        if column not in out.columns:
            out[column] = pd.NA
    rest = [c for c in frame_columns if c not in ID_COLUMNS + SCORE_COLUMNS and not c.startswith("_")]
    score_columns = [c for c in SCORE_COLUMNS if c in out.columns]
    return out[ID_COLUMNS + score_columns + rest]


def _row_stance(units, found, matcher: _Matcher, attach: str) -> dict:
    """``{target: [P, N, n_hostile, n_critical, n_cooperative, cues]}`` for one text."""
    per_target: dict = {}
    hits = _cue_hits(units, matcher)
    if not hits:
        return per_target
    found = found or [(0, (None,))]
    clause_of = _clause_ids(units) if attach != "sentence" and len(found) > 1 else [0] * len(units)
    for position, label, weight, category in hits:
        for target in _attach(position, found, clause_of, attach):
            acc = per_target.setdefault(target, [0.0, 0.0, 0, 0, 0, []])
            acc[0 if weight > 0 else 1] += abs(weight)
            acc[2 + CUE_CATEGORIES.index(category)] += 1
            acc[5].append(f"{label}({weight:+.3g})")
    return per_target


def _unit_of(frame: pd.DataFrame) -> str:
    return "sentence" if "sent_id" in frame.columns else "turn" if "turn_id" in frame.columns else "doc"


def score_stance(
    frame: pd.DataFrame,
    *,
    targets: str | Path | pd.DataFrame | None = None,
    lexicon: str | Path | pd.DataFrame | None = None,
    unit: Literal["sentence", "turn", "doc"] | None = None,
    attach: Literal["clause", "nearest", "sentence"] = "clause",
    include_questions: bool = False,
    untargeted: Literal["drop", "keep"] = "drop",
    smoothing: float = 2.0,
) -> pd.DataFrame:
    """Score the spokesperson's stance toward each target mentioned in each sentence, turn or briefing.

    Cues are found per input row and attached to the target(s) mentioned in the cue's own clause (text
    between commas, semicolons, colons, dashes, brackets; ，；：in Chinese); a cue in a clause without a
    target counts for every target of the row. With a coarser ``unit`` than the input rows (e.g. sentences
    in, ``unit="turn"``) the cue weights are summed per unit and target before scoring.
    ``score = (P - N) / (P + N + smoothing)`` (see the module docstring).

    Parameters
    ----------
    frame : DataFrame
        Sentences (``toolkit.split_sentences``), turns (``toolkit.split_turns``) or briefings, with
        ``doc_id``, ``text`` and, unless ``include_questions``, ``role``. English and Chinese rows may be
        mixed (``lang`` column, or detected from the script).
    targets, lexicon : path or DataFrame, optional
        Gazetteer and stance lexicon (see :func:`load_targets`, :func:`load_stance_lexicon`); the
        packaged files by default.
    unit : {"sentence", "turn", "doc"}, optional
        Unit of the output rows; defaults to the input's own unit. Cannot be finer than the input.
    attach : {"clause", "nearest", "sentence"}
        "clause": every target mentioned in the cue's clause; "nearest": only the nearest mention in the
        clause; "sentence": every target in the row.
    include_questions : bool
        Also score the journalists' words (``role`` "question", and "context": the reporter's framing in a
        news report); by default only the spokesperson's (``role`` "statement", "answer", "report").
    untargeted : {"drop", "keep"}
        Rows mentioning no target are dropped, or kept with ``target`` NaN.
    smoothing : float
        ``k`` in the score formula (> 0).

    Returns
    -------
    DataFrame
        One row per unit and target: ``doc_id, turn_id, sent_id`` (NA above the unit), ``target``,
        ``score`` in (-1, 1), ``n_hostile, n_critical, n_cooperative`` (cue counts; a negated cooperative
        cue counts as critical), ``cues`` ("; "-separated ``modifier+cue(weight)``), then the input's
        other columns (``date``, ``spokesperson``, ``role``, ``text`` ...; for a coarser unit the first
        value per unit, ``text`` joined). ``attrs["provenance"]``: corpus hash, versions, options and the
        content hashes of the lexicon and gazetteer used.

    Examples
    --------
    >>> score_stance(split_sentences(split_turns(load_briefings(path))))      # doctest: +SKIP
    """
    func = "score_stance"
    require_choice(attach, ["clause", "nearest", "sentence"], func=func, arg="attach")
    require_choice(untargeted, ["drop", "keep"], func=func, arg="untargeted")
    if not smoothing > 0:
        raise ToolkitError(f"{func}(): smoothing={smoothing!r} must be > 0 (default 2).")
    levels = ["doc", "turn", "sentence"]
    given = _unit_of(frame) if isinstance(frame, pd.DataFrame) else "doc"
    unit = unit or given
    require_choice(unit, levels, func=func, arg="unit")
    if levels.index(unit) > levels.index(given):
        raise ToolkitError(f"{func}(): unit={unit!r} is finer than the input rows ({given}s); split the table "
                           "first with toolkit.split_turns() / toolkit.split_sentences().")
    rows = _spokesperson_rows(frame, include_questions=include_questions, func=func)
    target_table, lexicon_table = load_targets(targets), load_stance_lexicon(lexicon)
    matchers = _matchers(target_table, lexicon_table)
    texts, langs = rows["text"].astype(str).tolist(), rows["_lang"].tolist()
    units = [_units(text, lang) for text, lang in zip(texts, langs)]
    mentions = [matchers[lang].mentions(u) for u, lang in zip(units, langs)]
    stances = [_row_stance(u, found, matchers[lang], attach) for u, found, lang in zip(units, mentions, langs)]
    empty = [0.0, 0.0, 0, 0, 0, []]
    long = _expand_targets(rows, mentions, {"_acc": [{None: empty, **s} for s in stances]}, untargeted=untargeted)
    acc = pd.DataFrame(long.pop("_acc").map(lambda a: a if a is not None else empty).tolist(),
                       columns=["_pos", "_neg", "n_hostile", "n_critical", "n_cooperative", "_cues"])
    long = pd.concat([long, acc], axis=1)
    if unit != given:
        long = _aggregate(long, ID_COLUMNS[: levels.index(unit) + 1], frame.columns)
    long["score"] = (long["_pos"] - long["_neg"]) / (long["_pos"] + long["_neg"] + smoothing)
    long["cues"] = long["_cues"].map("; ".join)
    out = _order(long, list(frame.columns))
    out.attrs["provenance"] = provenance(rows, method="lexicon", unit=unit, attach=attach, smoothing=smoothing,
                                         include_questions=include_questions, untargeted=untargeted,
                                         lexicon_sha=_table_sha(lexicon_table), targets_sha=_table_sha(target_table))
    return out


def _table_sha(table: pd.DataFrame) -> str:
    """Short content hash of a lexicon or gazetteer, so results name the exact word lists used."""
    return hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()[:16]


def _aggregate(long: pd.DataFrame, keys: list[str], columns) -> pd.DataFrame:
    """Sum cue weights and counts per unit and target; first metadata value, texts joined."""
    sums = {c: "sum" for c in ["_pos", "_neg", "n_hostile", "n_critical", "n_cooperative"]}
    sums["_cues"] = lambda lists: [cue for cues in lists for cue in cues]
    first = {c: "first" for c in columns if c not in keys and c not in ID_COLUMNS and c not in sums}
    first["text"] = " ".join
    grouped = long.groupby([*keys, "target"], sort=False, dropna=False)
    return grouped.agg({**first, **sums}).reset_index()


def stance_over_time(
    scores: pd.DataFrame,
    *,
    by: str = "quarter",
    target: str | list[str] | None = None,
    group: str | list[str] = "target",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Mean stance per period (or any column) and target, with document-cluster bootstrap intervals.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`score_stance` (or a baseline with the same shape); needs ``date`` for a time
        ``by``.
    by : str
        "day", "week", "month", "quarter", "year" or a column such as "spokesperson".
    target : str or list of str, optional
        Keep only these targets.
    group : str or list of str
        Columns that split each period besides nothing else; default "target". Use
        ``["target", "spokesperson"]`` to compare spokespersons over time.
    n_boot, level, random_state
        Bootstrap replicates, interval coverage, seed (see ``toolkit.uncertainty.bootstrap_mean``).

    Returns
    -------
    DataFrame
        ``period``, the ``group`` columns, ``score`` (mean), ``ci_low``, ``ci_high``, ``n`` (units),
        ``n_clusters`` (briefings).
    """
    func = "stance_over_time"
    groups = [group] if isinstance(group, str) else list(group)
    require_columns(scores, ["doc_id", "score", *groups], func=func, arg="scores")
    data = scores[scores["target"].notna()] if "target" in scores.columns else scores
    if target is not None:
        wanted = [target] if isinstance(target, str) else list(target)
        unknown = sorted(set(wanted) - set(data["target"]))
        if unknown:
            raise ToolkitError(f"{func}(): target(s) {unknown} not in the scores; present: "
                               f"{sorted(data['target'].unique())[:30]}.")
        data = data[data["target"].isin(wanted)]
    data = add_period(data, by=by, func=func)
    table = bootstrap_mean(data, value="score", group=["period", *groups], n_boot=n_boot, level=level,
                           random_state=random_state, func=func)
    return table.rename(columns={"estimate": "score"})


def stance_by_spokesperson(
    scores: pd.DataFrame,
    *,
    target: str | list[str] | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Compare spokespersons: mean stance per spokesperson and target with bootstrap intervals.

    Returns
    -------
    DataFrame
        ``spokesperson, target, score, ci_low, ci_high, n, n_clusters``; non-overlapping intervals of
        two spokespersons on one target indicate a difference beyond resampling noise.
    """
    require_columns(scores, ["spokesperson"], func="stance_by_spokesperson", arg="scores")
    table = stance_over_time(scores, by="spokesperson", target=target, n_boot=n_boot, level=level,
                             random_state=random_state)
    return table.rename(columns={"period": "spokesperson"})


def plot_stance_over_time(over_time: pd.DataFrame, *, ax=None):
    """Draw one line per target with its confidence band; returns the matplotlib Axes.

    Parameters
    ----------
    over_time : DataFrame
        Output of :func:`stance_over_time` (``period, target, score, ci_low, ci_high``).
    ax : matplotlib Axes, optional
    """
    import matplotlib.pyplot as plt

    require_columns(over_time, ["period", "target", "score", "ci_low", "ci_high"], func="plot_stance_over_time",
                    arg="over_time")
    ax = ax or plt.subplots(figsize=(9, 4))[1]
    data = over_time.sort_values("period")
    x = data["period"].map(lambda p: p.start_time if isinstance(p, pd.Period) else p)
    data = data.assign(_x=x)
    palette = sns.color_palette(n_colors=data["target"].nunique())
    for colour, (name, part) in zip(palette, data.groupby("target", sort=True)):
        ax.plot(part["_x"], part["score"], marker="o", color=colour, label=name)
        ax.fill_between(part["_x"], part["ci_low"], part["ci_high"], color=colour, alpha=0.2)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set(xlabel="period", ylabel="mean stance score (-1 hostile .. +1 cooperative)")
    ax.legend(title="target")
    return ax
