"""Target-aware lexicon stance scores (:func:`score_stance`): cues, their modifiers and the clause they attach to.

A sentence (or turn, or briefing) is searched for target mentions (``toolkit/data/targets.csv``) and for
stance cues (``toolkit/data/stance_lexicon.csv``; both indexed in :mod:`toolkit.stance.lexicon`). Each cue is
attached to the target(s) of its clause, adjusted by an intensifier ("firmly", 坚决) or a negation ("not", 不)
just before it, and the signed weights per target become a bounded score

    score = (P - N) / (P + N + k)

where ``P`` is the sum of the positive (cooperative) weights, ``N`` the sum of the absolute negative
(critical, hostile) weights attached to the target and ``k`` (``smoothing``, default 2) damps
single weak cues. The score lies in (-1, 1); a sentence with no cue scores 0; mixed sentences are pulled
toward 0. Every score is explained by the ``cues`` column (``"firmly+oppose(-3)"``). Target roles
(``toolkit/data/stance_roles.csv``) keep a co-agent's, victim's, venue's or agreed authority's clause
hostility off it and an admonition's cooperative words off its addressee.

``method="model"`` scores with the supervised n-gram model shipped as data (:mod:`toolkit.stance.linear`),
``method="ensemble"`` (the default) blends it with the lexicon score where there are cues and uses it alone
where there are none; the ``source`` column says which.
"""
from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_choice
from .._collector import collector_paused
from .._pool import n_workers, ordered_map, task_rows
from ..provenance import provenance
from ._shared import (
    CUE_CATEGORIES,
    ID_COLUMNS,
    expand_targets,
    order_columns,
    spokesperson_rows,
)
from .lexicon import (
    Matcher,
    load_stance_lexicon,
    load_stance_roles,
    load_targets,
    lowered_units,
    match_units,
    matchers,
)
from .linear import (
    SCORE_BLOCK,
    load_model_settings,
    load_stance_model,
    mark_targets,
    marked_words,
    model_scores,
    model_sha,
    reads_words,
)

LEVELS = ["doc", "turn", "sentence"]
_BREAKS = frozenset(",;:!?()[]\u2014\u2013，；：！？（）")
INTENSIFIER_REACH = {"en": 2, "zh": 2}  # words (en) or characters (zh) between modifier and cue
NEGATOR_REACH = {"en": 3, "zh": 3}
NEGATED_COOPERATIVE = -0.75  # "not friendly": the cue flips and weakens (VADER uses -0.74)
NEGATED_CRITICAL = 0.0  # "never interfere", "to prevent escalation": a negated hostile cue is neutral
_SUMS = ["_pos", "_neg", "n_hostile", "n_critical", "n_cooperative", "_cues"]  # per unit and target
TASK_ROWS = (10_000, 50_000)  # rows per task of the n_jobs pool: fewest, most (the model is set up once a task)
SERIAL_BLOCK_ROWS = 200_000  # rows per block in one process (bounds the inputs waiting for the model)


@collector_paused()
def score_stance(
    frame: pd.DataFrame,
    *,
    targets: str | Path | pd.DataFrame | None = None,
    lexicon: str | Path | pd.DataFrame | None = None,
    roles: str | Path | pd.DataFrame | None = None,
    unit: Literal["sentence", "turn", "doc"] | None = None,
    attach: Literal["clause", "nearest", "sentence"] = "clause",
    include_questions: bool = False,
    untargeted: Literal["drop", "keep"] = "drop",
    smoothing: float = 2.0,
    method: Literal["lexicon", "model", "ensemble"] = "ensemble",
    model: str | Path | pd.DataFrame | None = None,
    n_jobs: int = 1,
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
    roles : path or DataFrame, optional
        Target roles (:func:`load_stance_roles`: co-agent, victim, venue, authority, addressee of an
        admonition), the packaged ``stance_roles.csv`` by default.
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
    method : {"ensemble", "lexicon", "model"}
        "ensemble" (default: it agreed best with the held-out test split of the gold set in both
        languages); "lexicon": the cue score above; "model": the supervised n-gram model
        (:mod:`toolkit.stance.linear`, shipped as ``toolkit/data/stance_model.csv``) on the sentence with
        the target marked; "ensemble": rows with cues get ``w * lexicon + (1 - w) * model``
        (``ensemble_weight`` per language in ``toolkit/data/stance_model_settings.csv``, chosen by grouped
        cross-validation), rows without cues the model's score.
    model : path or DataFrame, optional
        The supervised model's weights (:func:`toolkit.stance.linear.load_stance_model`); the packaged
        ones by default.
    n_jobs : int
        Processes that match and score the rows (blocks of 10,000 to 50,000 rows); ``-1``: one per CPU. The
        result is identical to ``n_jobs=1`` (tested); a pool pays off from about 100,000 rows when a core
        is free.

    Returns
    -------
    DataFrame
        One row per unit and target: ``doc_id, turn_id, sent_id`` (NA above the unit), ``target``,
        ``score`` in (-1, 1), ``n_hostile, n_critical, n_cooperative`` (cue counts; a negated cooperative
        cue counts as critical, a negated hostile one is shown with weight 0 and not counted), ``cues``
        ("; "-separated ``modifier+cue(weight)``; ``role:pattern(weight)`` for a target role),
        ``source`` (``lexicon``: the row has cues; ``model``: it has none and the score is the model's, for
        ``method="ensemble"`` or ``"model"``; ``none``: no cue, score 0, for ``method="lexicon"``),
        ``model_score`` (the supervised model's score; only for "model" and "ensemble"), then the input's
        other columns (``date``, ``spokesperson``, ``role``, ``text`` ...; for a coarser unit the first
        value per unit, ``text`` joined). ``attrs`` holds only ``"provenance"`` (plain JSON): corpus hash,
        versions, options and the content hashes of the lexicon and gazetteer used.

    Examples
    --------
    >>> score_stance(split_sentences(split_turns(load_briefings(path))))      # doctest: +SKIP
    """
    func = "score_stance"
    given, unit = _check_options(frame, unit=unit, attach=attach, untargeted=untargeted, smoothing=smoothing)
    require_choice(method, ["lexicon", "model", "ensemble"], func=func, arg="method")
    workers = n_workers(n_jobs, func=func)
    rows = spokesperson_rows(frame, include_questions=include_questions, func=func)
    target_table, lexicon_table = load_targets(targets), load_stance_lexicon(lexicon)
    role_table = load_stance_roles(roles)
    compiled = matchers(target_table, lexicon_table, role_table)
    model_table = None if method == "lexicon" else load_stance_model(model)
    contexts = _guard_contexts(frame, rows, compiled)
    long = _cue_sums(rows, compiled, attach=attach, untargeted=untargeted, model=model_table, workers=workers,
                     contexts=contexts)
    extra = {} if model_table is None else {"model_sha": model_sha(model_table)}
    if unit != given:
        long = _aggregate(long, ID_COLUMNS[: LEVELS.index(unit) + 1], frame.columns)
    long["score"] = (long["_pos"] - long["_neg"]) / (long["_pos"] + long["_neg"] + smoothing)
    long["cues"] = long["_cues"].map("; ".join)
    cued = (long[["n_hostile", "n_critical", "n_cooperative"]].sum(axis=1) > 0).to_numpy()
    long["source"] = np.where(cued, "lexicon", "none" if method == "lexicon" else "model")
    if method == "model":
        long["score"], long["source"] = long["model_score"].fillna(0.0), "model"
    elif method == "ensemble":
        weight = long["_lang"].map({lang: s["ensemble_weight"] for lang, s in load_model_settings().items()})
        weight = weight.fillna(0.5).to_numpy()
        blend = weight * long["score"] + (1 - weight) * long["model_score"]
        long["score"] = np.where(cued, blend, long["model_score"]).astype(float)
        long["score"] = long["score"].fillna(0.0)
    out = order_columns(long, list(frame.columns))
    out.attrs = {"provenance": provenance(
        rows, method=method, unit=unit, attach=attach, smoothing=smoothing, include_questions=include_questions,
        untargeted=untargeted, lexicon_sha=_table_sha(lexicon_table), targets_sha=_table_sha(target_table),
        roles_sha=_table_sha(role_table), **extra)}
    return out


def _check_options(frame, *, unit, attach, untargeted, smoothing) -> tuple[str, str]:
    """Validate the options of :func:`score_stance`; return the input's unit and the output unit."""
    func = "score_stance"
    require_choice(attach, ["clause", "nearest", "sentence"], func=func, arg="attach")
    require_choice(untargeted, ["drop", "keep"], func=func, arg="untargeted")
    if not smoothing > 0:
        raise ToolkitError(f"{func}(): smoothing={smoothing!r} must be > 0 (default 2).")
    given = _unit_of(frame) if isinstance(frame, pd.DataFrame) else "doc"
    unit = unit or given
    require_choice(unit, LEVELS, func=func, arg="unit")
    if LEVELS.index(unit) > LEVELS.index(given):
        raise ToolkitError(f"{func}(): unit={unit!r} is finer than the input rows ({given}s); split the table "
                           "first with toolkit.split_turns() / toolkit.split_sentences().")
    return given, unit


def _unit_of(frame: pd.DataFrame) -> str:
    return "sentence" if "sent_id" in frame.columns else "turn" if "turn_id" in frame.columns else "doc"


def _cue_sums(rows: pd.DataFrame, compiled: dict[str, Matcher], *, attach: str, untargeted: str,
              model: pd.DataFrame | None = None, workers: int = 1, contexts: list | None = None) -> pd.DataFrame:
    """``rows`` once per mentioned target, plus the :data:`_SUMS` columns of the cues attached to it (and
    ``model_score``, the supervised ``model``'s score of the text with the target marked, when given).
    ``contexts``: per row, the text the gazetteer's ``not_context`` guards are searched in (None: the row's
    own text; see ``_guard_contexts``).

    The rows are matched in blocks (of :data:`SERIAL_BLOCK_ROWS` rows in one process), in a pool of ``workers``
    processes when more than one (only the texts travel to the workers, only the per-row results come back)."""
    texts, langs = rows["text"].astype(str).tolist(), rows["_lang"].tolist()
    contexts = contexts if contexts is not None else [None] * len(texts)
    # in blocks in one process too, so the marked inputs waiting for the model are those of one block, not the
    # corpus's (the scores do not depend on the blocks: _model_scores)
    size = SERIAL_BLOCK_ROWS if workers == 1 else task_rows(len(texts), workers, smallest=TASK_ROWS[0],
                                                       largest=TASK_ROWS[1])
    blocks = [(texts[i:i + size], langs[i:i + size], contexts[i:i + size]) for i in range(0, len(texts), size)]
    workers = min(workers, len(blocks)) or 1   # one block: no pool
    if model is not None and workers > 1:
        model_scores([], [], model)   # the model is built here once, before the pool forks
    task = partial(_score_rows, compiled=compiled, attach=attach, untargeted=untargeted, model=model)
    picked, mentions, stances, scores = [], [], [], []
    for start, (block_rows, block_mentions, block_stances, block_scores) in zip(
            range(0, len(texts), size), ordered_map(task, blocks, workers)):
        picked += [start + i for i in block_rows]
        mentions += block_mentions
        stances += block_stances
        scores += block_scores
    if untargeted == "drop":       # only the rows that mention a target came back, and only they are scored
        rows = rows.iloc[picked]
    else:
        mentions, stances, scores = (_spread(mentions, picked, len(rows), []), _spread(stances, picked, len(rows), {}),
                                     _spread(scores, picked, len(rows), {}))
    values = {"_acc": stances} if model is None else {"_acc": stances, "model_score": scores}
    long = expand_targets(rows, mentions, values, untargeted=untargeted)   # a target without cues: None
    if model is not None:
        long["model_score"] = long["model_score"].astype(float)
    empty = [0.0, 0.0, 0, 0, 0, []]
    acc = pd.DataFrame(long.pop("_acc").map(lambda a: a if a is not None else empty).tolist(), columns=_SUMS)
    return pd.concat([long, acc], axis=1)


def _guard_contexts(frame: pd.DataFrame, rows: pd.DataFrame, compiled: dict[str, Matcher]) -> list[str | None]:
    """Per row of ``rows`` (the spokesperson's rows of ``frame``), the text in which the ``not_context`` guard of a
    short form (巴方, 新方, 马方, 乌方 ...; ``toolkit/data/targets.csv``) is searched: for a sentence or turn that
    holds a guarded alias, its whole turn and the turn before it (the question it answers), where the country
    the short form stands for is usually named; None (the row's own text) for the other rows, and for tables
    without ``turn_id``."""
    contexts: list[str | None] = [None] * len(rows)
    guarded = {lang: matcher.guarded for lang, matcher in compiled.items() if matcher.guarded is not None}
    if "turn_id" not in rows.columns or not guarded:
        return contexts
    at = np.flatnonzero((rows["_lang"].isin(list(guarded)) & rows["turn_id"].notna()).to_numpy())
    part = rows.iloc[at]   # the rows of a language with guards (none in an English corpus)
    needs = [i for i, text, lang in zip(at.tolist(), part["text"].tolist(), part["_lang"].tolist())
             if guarded[lang].search(text)]
    if not needs:
        return contexts
    wanted = rows.iloc[needs]
    around = frame[frame["doc_id"].isin(set(wanted["doc_id"])) & frame["text"].notna()]
    turn_texts = around.groupby(["doc_id", "turn_id"], sort=False)["text"].agg(
        lambda texts: "\n".join(map(str, texts)))
    for i, doc, turn in zip(needs, wanted["doc_id"], wanted["turn_id"]):
        contexts[i] = "\n".join(turn_texts.get((doc, t), "") for t in (turn - 1, turn))
    return contexts


def _spread(values: list, picked: list[int], n_rows: int, empty) -> list:
    """``values`` of rows ``picked`` at their places in a list of ``n_rows``, ``empty`` (shared: read only)
    elsewhere."""
    out = [empty] * n_rows
    for i, value in zip(picked, values):
        out[i] = value
    return out


def _score_rows(block: tuple[list[str], list[str], list], *, compiled: dict[str, Matcher], attach: str,
                untargeted: str, model: pd.DataFrame | None) -> tuple[list, list, list, list]:
    """For the texts of ``block`` (texts, languages, guard contexts) that mention a target or have cues: their
    positions in the block, their mentions ``[(position, names)]``, their cue sums per target
    (:func:`_row_stance`) and, with a ``model``, the model's score per target (else empty dicts). The other rows
    are left out: nothing to say."""
    picked, mentions, stances, marked, owners = [], [], [], [], []
    texts, langs, contexts = block
    hits = _may_mention(texts, langs, compiled)
    words = model is not None and reads_words(model)   # English texts marked as words, not joined into texts
    for i in range(len(texts)) if untargeted == "keep" else itertools.compress(itertools.count(), hits):
        text, lang, context, hit = texts[i], langs[i], contexts[i], hits[i]
        matcher = compiled[lang]
        units = match_units(text, lang) if hit or untargeted == "keep" else ()   # one row's units at a time
        found = matcher.spans(units, text if context is None else context) if hit else []
        # a row without a mention is dropped (untargeted="drop"), so its cues need not be found
        if found or untargeted == "keep":
            lowered = lowered_units(units, lang)
            stance = _row_stance(units, lowered, found, matcher, attach)
        else:
            stance = {}
        if not found and not stance:
            continue
        picked.append(i)
        mentions.append([(start, names) for start, _, names in found])
        stances.append(stance)
        if model is not None:
            for target in dict.fromkeys(t for _, _, names in found for t in names):
                marked.append(marked_words(lowered, found, target) if words and lang == "en"
                              else mark_targets(units, lang, found, target))
                owners.append((len(picked) - 1, target))
    scores = [{} for _ in picked]
    if marked:
        owner_langs = [langs[picked[j]] for j, _ in owners]
        for (j, target), score in zip(owners, _model_scores(marked, owner_langs, model)):
            scores[j][target] = float(score)
    return picked, mentions, stances, scores


def _may_mention(texts: list[str], langs: list[str], compiled: dict[str, Matcher]) -> list[bool]:
    """Per text: whether it may mention a target (:meth:`Matcher.may_mention_each`, one search per language)."""
    if len(set(langs)) == 1:
        return compiled[langs[0]].may_mention_each(texts)
    hits = [False] * len(texts)
    for lang in dict.fromkeys(langs):
        at = [i for i, other in enumerate(langs) if other == lang]
        for i, hit in zip(at, compiled[lang].may_mention_each([texts[i] for i in at])):
            hits[i] = hit
    return hits


def _model_scores(marked: list, langs: list[str], model: pd.DataFrame) -> np.ndarray:
    """:func:`toolkit.stance.linear.model_scores`, no text scored alone: numpy's product of a single row takes
    another path than that of several, which changes the last bits of the score. Where a language's last batch
    (:data:`~toolkit.stance.linear.SCORE_BLOCK` texts a batch) would hold one text, a copy of it joins the
    batch, so each text's score is the same in whichever block of rows it is scored (``n_jobs``)."""
    alone = [max(i for i, other in enumerate(langs) if other == lang)
             for lang in dict.fromkeys(langs) if langs.count(lang) % SCORE_BLOCK == 1]
    scores = model_scores(marked + [marked[i] for i in alone], langs + [langs[i] for i in alone], model)
    return scores[:len(marked)]


def _row_stance(units, lowered, spans, matcher: Matcher, attach: str) -> dict:
    """``{target: [P, N, n_hostile, n_critical, n_cooperative, cues]}`` for one text (``lowered``: its units
    lowercased, English; the units themselves, Chinese).

    A target mentioned in a role (``toolkit/data/stance_roles.csv``: co-agent, victim, venue, authority,
    addressee of an admonition) does not receive the cues its role blocks, and receives the role's weight.
    """
    per_target: dict = {}
    hits = _cue_hits(lowered, matcher)
    roles = matcher.roles_of(lowered, spans) if spans else {}
    if not hits and not roles:
        return per_target
    mentions = [(start, names) for start, _, names in spans]
    targets_at = _targets_at(units, mentions or [(0, (None,))], attach)
    for position, label, weight, category in hits:
        for target in targets_at(position):
            if not (target in roles and _blocked(roles[target], weight)):   # most targets have no role
                _add(per_target, target, label, weight, category)
    for target, found in roles.items():
        for pattern, role, weight, _ in found:
            if weight:
                _add(per_target, target, f"{role}:{pattern}", weight, "cooperative" if weight > 0 else "critical")
    return per_target


def _blocked(roles, weight: float) -> bool:
    """Whether a cue of ``weight`` stops counting toward a target mentioned in these roles."""
    sides = {blocks for *_, blocks in roles}
    return "all" in sides or ("negative" in sides and weight < 0) or ("positive" in sides and weight > 0)


def _add(per_target: dict, target, label: str, weight: float, category: str) -> None:
    acc = per_target.setdefault(target, [0.0, 0.0, 0, 0, 0, []])
    if weight:
        acc[0 if weight > 0 else 1] += abs(weight)
        acc[2 + CUE_CATEGORIES.index(category)] += 1
    acc[5].append(f"{label}({weight:+.3g})")


def _cue_hits(lowered, matcher: Matcher) -> list[tuple[int, str, float, str]]:
    """Return ``(unit position, label, weight, category)`` for every cue, modifiers applied.

    A negator reverses a cooperative cue (x :data:`NEGATED_COOPERATIVE`) and neutralises a hostile or
    critical one (x :data:`NEGATED_CRITICAL`); it carries on to the next cue when only connectives ("and",
    "to", 和, 、 ...) stand between ("not conducive to trust and stability"). A ``reported`` marker ("some
    media alleged", 据报道) voids the cues after it in its clause: they are someone else's words.
    """
    lang = matcher.lang
    connectives = matcher.connectives
    hits, intensifier, negator, reported = [], None, None, None
    for start, end, (cue, weight, category) in matcher.cues.scan(lowered):
        shown = _show(lowered[start:end], lang)
        if category == "intensifier":
            intensifier = (end, weight, shown)
        elif category == "negator":
            negator = (end, shown)
        elif category == "reported":
            reported = end
        elif category in CUE_CATEGORIES:
            if reported is not None and not any(u in _BREAKS for u in lowered[reported:start]):
                continue
            label, factor = shown, 1.0
            if intensifier and _gap_ok(lowered, intensifier[0], start, lang, INTENSIFIER_REACH[lang]):
                label, factor = f"{intensifier[2]}+{label}", intensifier[1]
            negated = negator and (_gap_ok(lowered, negator[0], start, lang, NEGATOR_REACH[lang])
                                   or (len(negator) > 2 and _only(lowered[negator[0]:start], connectives, lang)))
            if negated:
                label = f"{negator[1]}+{label}"
                factor *= NEGATED_COOPERATIVE if weight > 0 else NEGATED_CRITICAL
                category = "critical" if weight > 0 else category
                negator = (end, negator[1], "carried")
            else:
                negator = None
            hits.append((start, label, weight * factor + 0.0, category))  # + 0.0: no "-0"
            intensifier = None
    return hits


def _only(gap, connectives: frozenset, lang: str) -> bool:
    """Whether a gap between two cues holds nothing but connectives (English words, Chinese characters)."""
    return all(u in connectives for u in gap)


def _gap_ok(units, start: int, end: int, lang: str, reach: int) -> bool:
    """Whether a modifier ending at ``start`` reaches a cue at ``end``: same clause, at most ``reach`` words
    (English) or characters (Chinese) between."""
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


def _clause_of(units) -> Callable[[int], int]:
    """The clause number of a unit position: how many clause breaks (:data:`_BREAKS`) stand at or before it. The
    breaks are found in C and a position's number by bisection, so only the positions asked about cost Python."""
    breaks = list(itertools.compress(itertools.count(), map(_BREAKS.__contains__, units)))
    return partial(bisect.bisect_right, breaks)


def _targets_at(units, mentions: list, attach: str) -> Callable[[int], tuple[str, ...]]:
    """The targets a cue at a unit position counts toward: every target of the row (``"sentence"``), every
    target of the cue's clause (``"clause"``) or of its nearest mention in the clause (``"nearest"``); a
    clause without a mention falls back to all the row's mentions. The mentions are grouped by clause once,
    so a row costs time linear in its length however many cues and mentions it holds."""
    everything = _names(mentions)
    if attach == "sentence" or len(mentions) == 1:
        return lambda position: everything
    clause_of = _clause_of(units)
    by_clause: dict[int, list] = {}
    for mention in mentions:
        by_clause.setdefault(clause_of(mention[0]), []).append(mention)
    if attach == "nearest":
        return lambda position: _names(_nearest(by_clause.get(clause_of(position), mentions), position))
    per_clause = {clause: _names(local) for clause, local in by_clause.items()}
    return lambda position: per_clause.get(clause_of(position), everything)


def _names(mentions) -> tuple[str, ...]:
    """The targets of ``mentions`` (``(position, names)`` pairs), each once, in order of first mention."""
    if len(mentions) == 1:      # a mention's names are distinct already
        return tuple(mentions[0][1])
    return tuple(dict.fromkeys(t for _, names in mentions for t in names))


def _nearest(mentions: list, position: int) -> list:
    """The mention(s) nearest to ``position``: two when the nearest on each side are equally near.
    ``mentions`` are sorted by position, as :meth:`Matcher.mentions` returns them."""
    i = bisect.bisect_left(mentions, position, key=lambda mention: mention[0])
    around = mentions[max(i - 1, 0): i + 1]
    distance = min(abs(p - position) for p, _ in around)
    return [mention for mention in around if abs(mention[0] - position) == distance]


def _aggregate(long: pd.DataFrame, keys: list[str], columns) -> pd.DataFrame:
    """Sum cue weights and counts per unit and target; first metadata value, texts joined."""
    sums = {c: "sum" for c in _SUMS[:-1]}
    sums["_cues"] = lambda lists: [cue for cues in lists for cue in cues]
    if "model_score" in long.columns:
        sums["model_score"] = "mean"
    first = {c: "first" for c in [*columns, "_lang"] if c not in keys and c not in ID_COLUMNS and c not in sums}
    first["text"] = " ".join
    grouped = long.groupby([*keys, "target"], sort=False, dropna=False)
    return grouped.agg({**first, **sums}).reset_index()


def _table_sha(table: pd.DataFrame) -> str:
    """Short content hash of a lexicon or gazetteer, so results name the exact word lists used: the SHA-256
    of its CSV text, computed once per content (:func:`content_key`): writing the model's CSV takes a tenth of a
    second and more; the packaged model's is recorded when it is fitted (:func:`toolkit.stance.linear.load_stance_model`)."""
    key = content_key(table)
    if key not in _SHAS:
        _SHAS[key] = hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()[:16]
    return _SHAS[key]


def content_key(table: pd.DataFrame) -> str:
    """A content key of a table that takes milliseconds: the SHA-256 of its columns, dtypes, pandas' row hashes
    and the signs of its numbers (-0.0 hashes as 0.0)."""
    rows = pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes()
    signs = np.signbit(table.select_dtypes("number").to_numpy(dtype=float)).tobytes()
    layout = repr((tuple(table.columns), tuple(map(str, table.dtypes)))).encode()
    return hashlib.sha256(layout + rows + signs).hexdigest()


_SHAS: dict[str, str] = {}   # content key -> _table_sha
