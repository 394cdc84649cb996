"""Pair the English and Chinese versions of one briefing, then align their exchanges (no machine translation).

:func:`align_briefings` pairs briefings of the same date: kind, title (the date and the spokesperson named) and
content evidence (the anchors of :mod:`toolkit.bilingual.evidence`: numbers, dates, targets, outlets, glossary
terms) give each candidate a score, and the best candidates are paired one to one. :func:`align_dyads` aligns
the question/answer dyads inside each pair with a monotone dynamic programme (Needleman-Wunsch with 1-1, 2-1,
1-2 steps and gaps) over a similarity of shared anchors and comparable lengths, as Gale and Church (1993)
align sentences by length and later aligners add lexical anchors.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from ..metadata import spokespersons_table
from ..provenance import provenance
from .evidence import anchor_table

BRIEFING_COLUMNS = ["en_doc_id", "zh_doc_id", "date", "status", "score", "kind_score", "title_score",
                    "content_score", "n_shared", "reason", "en_kind", "zh_kind", "en_title", "zh_title"]
DYAD_COLUMNS = ["en_doc_id", "zh_doc_id", "date", "step", "status", "link", "en_dyad_id", "n_en_dyads", "zh_dyad_id",
                "n_zh_dyads", "similarity", "confidence", "shared", "en_asker", "zh_asker", "en_question", "en_answer",
                "zh_question", "zh_answer", "en_n_words", "zh_n_chars"]
_QA_KINDS = {"regular_press_conference", "press_conference", "answers_to_media", "remarks"}
ANCHOR_WEIGHT = 0.75  # share of the anchor overlap in a dyad similarity; the rest is length agreement
MATCH_THRESHOLD = 0.2  # a step pays similarity - threshold: a pair below it is better left as two gaps
MERGE_PENALTY = 0.1  # extra cost of a 2-1 or 1-2 step (two dyads of one side against one of the other)
GAP_PENALTY = 0.1  # cost of a dyad left without counterpart


def align_briefings(en: pd.DataFrame, zh: pd.DataFrame, *, min_score: float = 0.3) -> pd.DataFrame:
    """Pair each English briefing with the Chinese briefing of the same date it translates.

    Every English and Chinese briefing of the same ``date`` is a candidate pair, scored
    ``score = (kind_score + title_score + 2 * content_score) / 4``: ``kind_score`` is 1 for the same ``kind``,
    0.5 for two question-and-answer kinds (an English "Remarks" page of 2019-08 is a Chinese 答记者问 page),
    else 0; ``title_score`` is the share of (the date, the spokesperson's Chinese name) the Chinese title names
    (0 for an undated English briefing, which is compared with every Chinese one, so that content decides);
    ``content_score`` is the weighted Jaccard overlap of the two texts' anchors (numbers, dates, targets, outlets,
    glossary terms; each anchor weighted by its inverse document frequency over both corpora). Candidates are
    then paired one to one, best score first, when ``score >= min_score``. Nothing is dropped: each unpaired
    briefing has a row saying why.

    Parameters
    ----------
    en, zh : DataFrame
        English and Chinese briefings (:func:`toolkit.load_briefings`), with ``doc_id``, ``date`` and ``text``;
        ``kind``, ``title`` and ``spokesperson`` are used when present.
    min_score : float
        Lowest score of a pair.

    Returns
    -------
    DataFrame
        One row per pair and per unpaired briefing: ``en_doc_id, zh_doc_id`` (NA on the missing side),
        ``date``, ``status`` (``paired``, ``only_en``, ``only_zh``), ``score`` and its parts ``kind_score,
        title_score, content_score`` (the best candidate's for an unpaired briefing, NaN without one),
        ``n_shared`` (anchors in common), ``reason`` (the evidence in words, or why unpaired), ``en_kind,
        zh_kind, en_title, zh_title``. ``attrs["provenance"]`` names the options.

    Examples
    --------
    >>> pairs = align_briefings(load_briefings(en_path), load_briefings(zh_path))     # doctest: +SKIP
    >>> pairs["status"].value_counts()                                                # doctest: +SKIP
    """
    func = "align_briefings"
    for name, frame in (("en", en), ("zh", zh)):
        require_columns(frame, ["doc_id", "date", "text"], func=func, arg=name)
    if not 0 <= min_score <= 1:
        raise ToolkitError(f"{func}(): min_score={min_score!r} must lie between 0 and 1 (default 0.3).")
    en_docs, zh_docs = _documents(en, "en"), _documents(zh, "zh")
    weights = _idf([*en_docs["anchors"], *zh_docs["anchors"]])
    candidates = _candidates(en_docs, zh_docs, weights)
    rows = _assign(candidates, en_docs, zh_docs, min_score)
    out = pd.DataFrame(rows, columns=BRIEFING_COLUMNS).sort_values(["date", "en_doc_id"], kind="stable",
                                                                   na_position="last")
    out = out.reset_index(drop=True)
    out.attrs = {"provenance": provenance(en, method="align_briefings", min_score=min_score)}
    return out


def _documents(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """doc_id, date, kind, title, spokesperson and the anchors of each briefing (title and text)."""
    docs = pd.DataFrame({"doc_id": frame["doc_id"].astype(str),
                         "date": pd.to_datetime(frame["date"]).dt.normalize()})
    for column in ("kind", "title", "spokesperson"):
        docs[column] = frame[column].astype("object").where(frame[column].notna(), "") if column in frame else ""
    texts = (docs["title"].astype(str) + "\n" + frame["text"].fillna("").astype(str)).tolist()
    docs["anchors"] = [set(found) for found in anchor_table(texts, [lang] * len(texts))]
    return docs.reset_index(drop=True)


def _idf(anchor_sets) -> dict[str, float]:
    df = Counter(key for keys in anchor_sets for key in keys)
    n = len(anchor_sets)
    return {key: math.log((n + 1) / (count + 1)) + 1 for key, count in df.items()}


def _weighted_jaccard(a: set, b: set, weights: dict) -> float:
    union = sum(weights.get(k, 1.0) for k in a | b)
    return sum(weights.get(k, 1.0) for k in a & b) / union if union else 0.0


def _candidates(en_docs: pd.DataFrame, zh_docs: pd.DataFrame, weights: dict) -> pd.DataFrame:
    """Every same-date pair with its score parts; an undated English briefing is compared with every Chinese one."""
    names_zh = _chinese_names()
    left, right = en_docs.reset_index(), zh_docs.reset_index().rename(columns={"date": "date_zh"})
    dated = left.merge(right, left_on="date", right_on="date_zh", suffixes=("_en", "_zh"))
    undated = left[left["date"].isna()].merge(right, how="cross", suffixes=("_en", "_zh"))
    rows = []
    for r in pd.concat([dated, undated], ignore_index=True).itertuples(index=False):
        kind = 1.0 if r.kind_en == r.kind_zh and r.kind_en else 0.5 if {r.kind_en, r.kind_zh} <= _QA_KINDS else 0.0
        named_date = pd.notna(r.date) and f"{r.date.year}年{r.date.month}月{r.date.day}日" in r.title_zh
        name_zh = names_zh.get(r.spokesperson_en, "")
        title = (named_date + bool(name_zh and name_zh in r.title_zh)) / 2 if pd.notna(r.date) else 0.0
        content = _weighted_jaccard(r.anchors_en, r.anchors_zh, weights)
        rows.append((r.index_en, r.index_zh, (kind + title + 2 * content) / 4, kind, title, content,
                     len(r.anchors_en & r.anchors_zh)))
    return pd.DataFrame(rows, columns=["en", "zh", "score", "kind_score", "title_score", "content_score",
                                       "n_shared"])


def _chinese_names() -> dict[str, str]:
    table = spokespersons_table(None)
    return dict(zip(table["name"], table["name_zh"].fillna("")))


def _assign(candidates: pd.DataFrame, en_docs: pd.DataFrame, zh_docs: pd.DataFrame, min_score: float) -> list:
    """Greedy one-to-one pairing, best score first; a row for every pair and every unpaired briefing."""
    ranked = candidates.sort_values("score", ascending=False, kind="stable")
    used_en, used_zh, rows = {}, {}, []
    for c in ranked.itertuples(index=False):
        if c.en in used_en or c.zh in used_zh or c.score < min_score:
            continue
        used_en[c.en], used_zh[c.zh] = c.zh, c.en
        rows.append(_row(en_docs.loc[c.en], zh_docs.loc[c.zh], "paired", c, _evidence(en_docs.loc[c.en],
                                                                                       zh_docs.loc[c.zh], c)))
    best = {side: ranked.drop_duplicates(side).set_index(side) for side in ("en", "zh")}
    for side, docs, used in (("en", en_docs, used_en), ("zh", zh_docs, used_zh)):
        for i in docs.index.difference(list(used)):
            top = best[side].loc[i] if i in best[side].index else None
            reason = _unpaired_reason(docs.loc[i], top, side, min_score)
            en_doc = docs.loc[i] if side == "en" else None
            zh_doc = docs.loc[i] if side == "zh" else None
            rows.append(_row(en_doc, zh_doc, f"only_{side}", top, reason))
    return rows


def _evidence(en_doc, zh_doc, c) -> str:
    kind = ("same kind" if c.kind_score == 1 else f"kinds {en_doc['kind'] or '?'} / {zh_doc['kind'] or '?'}")
    title = {1.0: "the Chinese title names the date and the spokesperson", 0.5: "the Chinese title names the date "
             "or the spokesperson", 0.0: "the Chinese title names neither date nor spokesperson"}[c.title_score]
    date = "same date" if pd.notna(en_doc["date"]) else "no English date, the best content match"
    return f"{date}; {kind}; {title}; {c.n_shared} shared anchors (content {c.content_score:.2f})"


def _unpaired_reason(doc, top, side: str, min_score: float) -> str:
    other = "Chinese" if side == "en" else "English"
    day = doc["date"].date() if pd.notna(doc["date"]) else None
    if top is None and day is None:
        return f"no date and no {other} briefing to compare"
    if top is None:
        return f"no {other} briefing dated {day}"
    where = f"of {day}" if day else "(undated: any date)"
    if top["score"] < min_score:
        return f"best {other} candidate {where} scores {top['score']:.2f} < min_score {min_score}"
    return f"the best {other} candidate {where} (score {top['score']:.2f}) is paired with a briefing it fits better"


def _row(en_doc, zh_doc, status: str, c, reason: str) -> list:
    dates = [d["date"] for d in (en_doc, zh_doc) if d is not None and pd.notna(d["date"])]
    parts = [float(getattr(c, k)) if c is not None else np.nan  # a candidate row (tuple or Series) or none
             for k in ("score", "kind_score", "title_score", "content_score", "n_shared")]
    side = {"en": en_doc, "zh": zh_doc}
    return [*(side[s]["doc_id"] if side[s] is not None else pd.NA for s in ("en", "zh")),
            dates[0] if dates else pd.NaT, status,
            *parts[:4], parts[4], reason,
            *(side[s]["kind"] if side[s] is not None else pd.NA for s in ("en", "zh")),
            *(side[s]["title"] if side[s] is not None else pd.NA for s in ("en", "zh"))]


def align_dyads(pairs: pd.DataFrame, en_dyads: pd.DataFrame, zh_dyads: pd.DataFrame, *,
                threshold: float = MATCH_THRESHOLD, merge_penalty: float = MERGE_PENALTY,
                gap_penalty: float = GAP_PENALTY) -> pd.DataFrame:
    """Align the question/answer dyads of each paired briefing, keeping the exchanges found in one language only.

    Within a pair, the dyads of both versions keep their order, so the alignment is monotone: a dynamic
    programme chooses the sequence of steps (one English dyad with one Chinese: ``1-1``; two with one: ``2-1``
    or ``1-2``, when the translation splits or joins an exchange; a gap: ``1-0`` / ``0-1``) that maximises the
    sum of ``similarity - threshold`` over the matched steps (``- merge_penalty`` more for a 2-1 or 1-2 step)
    minus ``gap_penalty`` per dyad left alone. A gap that costs something lets a transcript whose turn labels
    were missed on one side (two exchanges read as one) align 2-1 instead of shifting every later pair. The similarity of an English and a Chinese dyad (question, answer and asker together) is
    ``0.75 * anchors + 0.25 * length``: ``anchors`` the weighted Dice overlap of their anchors (numbers, dates,
    targets, outlets, glossary terms and phrase pairs of :mod:`toolkit.bilingual.evidence`; each anchor weighted by
    its inverse frequency among the pair's dyads) and ``length`` = ``exp(-|log(r / c)|)``, ``r`` the dyad's
    Chinese characters per English word and ``c`` the same ratio over the whole pair.

    Parameters
    ----------
    pairs : DataFrame
        Output of :func:`align_briefings` (rows with ``status == "paired"`` are used).
    en_dyads, zh_dyads : DataFrame
        :func:`toolkit.pair_dyads` of the English and the Chinese briefings.
    threshold : float
        Similarity a matched step must exceed to be worth more than two gaps.
    merge_penalty : float
        Extra cost of a 2-1 or 1-2 step.
    gap_penalty : float
        Cost of a dyad without counterpart (``only_en`` / ``only_zh``).

    Returns
    -------
    DataFrame
        One row per step of each pair's alignment, in order: ``en_doc_id, zh_doc_id, date, step`` (0-based),
        ``status`` (``matched``, ``only_en``: an exchange the Chinese version lacks, ``only_zh``: one the
        English version lacks), ``link`` (``1-1``, ``2-1``, ``1-2``, ``1-0``, ``0-1``), ``en_dyad_id`` (the
        first English dyad of the step, NA for ``0-1``) and ``n_en_dyads``, ``zh_dyad_id`` and ``n_zh_dyads``,
        ``similarity`` (of the step; for a gap the best similarity the dyad has with any dyad of the other
        side), ``confidence`` (matched: similarity / (similarity + the best rival similarity of either dyad);
        gap: 1 - its best similarity), ``shared`` (the shared anchors), ``en_asker, zh_asker, en_question,
        en_answer, zh_question, zh_answer`` (texts of the step's dyads joined), ``en_n_words`` (English words),
        ``zh_n_chars`` (Chinese characters).

    Examples
    --------
    >>> dyads = align_dyads(pairs, pair_dyads(split_turns(en)), pair_dyads(split_turns(zh)))   # doctest: +SKIP
    >>> dyads.query("status == 'only_zh'")[["date", "zh_question"]]                            # doctest: +SKIP
    """
    func = "align_dyads"
    require_columns(pairs, ["en_doc_id", "zh_doc_id", "date", "status"], func=func, arg="pairs")
    for name, frame in (("en_dyads", en_dyads), ("zh_dyads", zh_dyads)):
        require_columns(frame, ["doc_id", "dyad_id", "question", "answer"], func=func, arg=name)
    if not threshold > 0 or merge_penalty < 0 or gap_penalty < 0:
        raise ToolkitError(f"{func}(): threshold={threshold!r} must be > 0, merge_penalty={merge_penalty!r} and "
                           f"gap_penalty={gap_penalty!r} >= 0 (defaults 0.2, 0.1, 0.1).")
    en_groups = _dyad_groups(en_dyads, "en")
    zh_groups = _dyad_groups(zh_dyads, "zh")
    rows = []
    for pair in pairs[pairs["status"] == "paired"].itertuples(index=False):
        left = en_groups.get(str(pair.en_doc_id), [])
        right = zh_groups.get(str(pair.zh_doc_id), [])
        steps = align_sequences(left, right, threshold=threshold, merge_penalty=merge_penalty,
                                gap_penalty=gap_penalty)
        rows += [[pair.en_doc_id, pair.zh_doc_id, pair.date, k, *step] for k, step in enumerate(steps)]
    out = pd.DataFrame(rows, columns=DYAD_COLUMNS)
    out = out.astype({"step": "int64", "en_dyad_id": "Int64", "zh_dyad_id": "Int64", "n_en_dyads": "int64",
                      "n_zh_dyads": "int64", "similarity": "float64", "confidence": "float64"})
    texts = pd.concat([en_dyads, zh_dyads])
    texts = pd.DataFrame({"doc_id": texts["doc_id"], "text": texts["question"].fillna("") + texts["answer"].fillna("")})
    out.attrs = {"provenance": provenance(texts, method="align_dyads", threshold=threshold,
                                          merge_penalty=merge_penalty, gap_penalty=gap_penalty)}
    return out


def _dyad_groups(dyads: pd.DataFrame, lang: str) -> dict[str, list[dict]]:
    """Per doc_id, its dyads in order as dicts: id, asker, question, answer, anchors, length."""
    ordered = dyads.sort_values(["doc_id", "dyad_id"], kind="stable")
    askers = ordered["asker"].fillna("").astype(str) if "asker" in ordered else pd.Series("", index=ordered.index)
    questions = ordered["question"].fillna("").astype(str)
    answers = ordered["answer"].fillna("").astype(str)
    texts = (askers + "\n" + questions + "\n" + answers).tolist()
    found = anchor_table(texts, [lang] * len(texts))
    groups: dict[str, list[dict]] = {}
    for i, (doc_id, dyad_id) in enumerate(zip(ordered["doc_id"].astype(str), ordered["dyad_id"])):
        length = _length(questions.iloc[i] + answers.iloc[i], lang)
        groups.setdefault(doc_id, []).append({"id": int(dyad_id), "asker": askers.iloc[i], "question": questions.iloc[i],
                                              "answer": answers.iloc[i], "anchors": set(found[i]), "length": length})
    return groups


def _length(text: str, lang: str) -> int:
    """English words, or Chinese characters (CJK ideographs)."""
    if lang == "zh":
        return sum("\u3400" <= ch <= "\u9fff" for ch in text)
    return len(text.split())


def align_sequences(left: list[dict], right: list[dict], *, threshold: float = MATCH_THRESHOLD,
                    merge_penalty: float = MERGE_PENALTY, gap_penalty: float = GAP_PENALTY) -> list[list]:
    """The monotone alignment of two dyad sequences (dicts with ``id, asker, question, answer, anchors, length``).

    Returns one list per step: ``status, link, en_dyad_id, n_en_dyads, zh_dyad_id, n_zh_dyads, similarity,
    confidence, shared, en_asker, zh_asker, en_question, en_answer, zh_question, zh_answer, en_n_words,
    zh_n_chars`` (the :func:`align_dyads` columns after ``step``).
    """
    n, m = len(left), len(right)
    weights = _idf([d["anchors"] for d in (*left, *right)])
    ratio = (sum(d["length"] for d in right) + 1) / (sum(d["length"] for d in left) + 1)

    def sim(i0, i1, j0, j1):
        a = set().union(*(d["anchors"] for d in left[i0:i1]))
        b = set().union(*(d["anchors"] for d in right[j0:j1]))
        total = sum(weights[k] for k in a) + sum(weights[k] for k in b)
        overlap = 2 * sum(weights[k] for k in a & b) / total if total else 0.0
        en_len = sum(d["length"] for d in left[i0:i1]) + 1
        zh_len = sum(d["length"] for d in right[j0:j1]) + 1
        length = math.exp(-abs(math.log(zh_len / (ratio * en_len))))
        return ANCHOR_WEIGHT * overlap + (1 - ANCHOR_WEIGHT) * length, a & b

    pair_sim = np.array([[sim(i, i + 1, j, j + 1)[0] for j in range(m)] for i in range(n)]).reshape(n, m)
    best = np.full((n + 1, m + 1), -np.inf)
    back: dict[tuple[int, int], tuple[int, int]] = {}
    best[0, 0] = 0.0
    moves = ((1, 1, 0.0), (1, 0, None), (0, 1, None), (2, 1, merge_penalty), (1, 2, merge_penalty))
    for i in range(n + 1):
        for j in range(m + 1):
            for di, dj, penalty in moves:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or best[pi, pj] == -np.inf:
                    continue
                gain = -gap_penalty if penalty is None else sim(pi, i, pj, j)[0] - threshold - penalty
                if best[pi, pj] + gain > best[i, j] + 1e-12:
                    best[i, j], back[i, j] = best[pi, pj] + gain, (pi, pj)
    path, cell = [], (n, m)
    while cell != (0, 0):
        path.append((back[cell], cell))
        cell = back[cell]
    return [_step(left, right, pi, i, pj, j, pair_sim, sim) for (pi, pj), (i, j) in reversed(path)]


def _step(left, right, i0, i1, j0, j1, pair_sim, sim) -> list:
    """One output row of a step from ``left[i0:i1]`` and ``right[j0:j1]``."""
    en, zh = left[i0:i1], right[j0:j1]
    if en and zh:
        similarity, shared = sim(i0, i1, j0, j1)
        rows = np.delete(pair_sim[i0:i1], range(j0, j1), axis=1) if pair_sim.size else pair_sim
        cols = np.delete(pair_sim[:, j0:j1], range(i0, i1), axis=0) if pair_sim.size else pair_sim
        rival = max([0.0, *rows.ravel(), *cols.ravel()])
        status, confidence = "matched", similarity / (similarity + rival) if similarity + rival else 0.0
    else:
        shared = set()
        own = pair_sim[i0:i1] if en else pair_sim[:, j0:j1]
        similarity = float(own.max()) if own.size else 0.0
        status, confidence = ("only_en" if en else "only_zh"), 1 - similarity
    return [status, f"{len(en)}-{len(zh)}", en[0]["id"] if en else pd.NA, len(en), zh[0]["id"] if zh else pd.NA,
            len(zh), float(similarity), float(confidence), "; ".join(sorted(shared)), _join(en, "asker"),
            _join(zh, "asker"), _join(en, "question"), _join(en, "answer"), _join(zh, "question"), _join(zh, "answer"),
            sum(d["length"] for d in en), sum(d["length"] for d in zh)]


def _join(dyads: list[dict], key: str) -> str:
    return "\n".join(d[key] for d in dyads if d[key])
