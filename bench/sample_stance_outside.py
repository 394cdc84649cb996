"""Draw the OUTSIDE English stance check set (issue 10) from the CMFA PressCon Ukraine sample.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_outside.py [--out PATH] [--n N]
       TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_outside.py --outside2 300

A check set from briefings the project never used, labelled blind by the codebook ``bench/stance_codebook.md``
and read once, at the end, by ``bench/validate_stance.py --final`` (split value ``outside``). The rule below was
fixed, and committed, before any of its text was read; the same seed gives the same rows.

Source: ``cmfa_presscon_sample/ukraine_dataset_combined.jsonl`` (661 question/answer dyads of MFA press
conferences about Ukraine, 2002-2023; CMFA PressCon v4, Mochtak & Turcsanyi 2021; see the corpora README).

Pool:

1. Every dyad whose ``date`` is **not** a date of the MFA English corpus
   (``mfa_fmprc_2016_2020/mfa_en_regular_press_conferences_2018-2020.jsonl``), so no briefing the project
   trained, tuned or tested on.
2. Each dyad becomes two turns of one document (``doc_id`` = the record's ``id``): the ``question`` (turn 0,
   role "question") and the ``answer`` (turn 1, role "answer"), ``lang`` "en". They are split with the
   toolkit's English sentence splitter (``toolkit.split_sentences``, Punkt trained on these texts plus the
   packaged abbreviations); only the answer's sentences are kept.
3. Targets: the (sentence, target) rows of ``toolkit.score_stance(..., method="lexicon")``, the detection the
   gold sampler (``bench/sample_stance_gold.py``) builds its pool with: the packaged gazetteer
   ``toolkit/data/targets.csv``, spokesperson rows only, a short form's guard reading the answer and the
   question before it. Only the keys ``doc_id, sent_id, target`` are kept: no score, cue or cue flag is read,
   stored or used.
4. Each sentence's ``offset, length`` in the raw ``answer`` string (found in reading order, whitespace-tolerant,
   with the gold sampler's :func:`locate`); a sentence not found is left out.
5. One row per (sentence, target). A (sentence text, target) pair that occurs more than once (the same sentence
   in several dyads) keeps only its first occurrence by ``date, id, offset``.

Stratification (no cue tilt): the rows are shuffled with ``numpy.random.default_rng(OUTSIDE_SEED)``; within a
target they are ordered round-robin over years (the k-th row of every year before the (k+1)-th of any year,
ties in the shuffled order); a target gives at most ``floor(CAP_SHARE * N)`` rows (25 %, 75 of 300); the rows are
then taken round-robin over targets (the k-th row of every target before the (k+1)-th of any target, ties in a
seeded random order) until ``N`` = 300 rows are drawn.

Output ``tests/data/stance_outside_en.csv``, sorted by ``dyad_id, offset, target``, columns ``dyad_id`` (the
record's ``id``), ``offset, length`` (characters into the raw ``answer`` string), ``lang`` = en, ``target``,
``label`` and ``note`` (empty, filled by hand), ``split`` = ``outside``. The text itself is never written.
Labels and notes already in ``--out`` are kept (matched on ``dyad_id, offset, length, target``).

Second outside set, "outside2" (``--outside2 300``, 2026-11-30): the first set had been read once, for a model
since refitted on more training rows, so a fresh set gives that model a first reading. The same pool and the same
stratification with its own seed (``OUTSIDE2_SEED``), leaving out every sentence that overlaps a row of the first
set (any target); its rows (``split`` = ``outside2``) are appended after the first set's rows, which stay byte for
byte as they were. Fixed by this rule, and committed, before any of its text was read.

Third outside set, "outside3", and a CMFA training draw (2026-11-30; both fixed by this rule, and committed,
before any of their text was read). The model refitted on the fourth train supplements has had no English
hold-out left (the MFA test split has 63 unread rows, all US), and the outside sets showed a period shift
(2022-2023 idioms about NATO and Japan the 2018-2020 training rows never had). So the CMFA pool is split by
briefing date:

- **outside3** (``--outside3 300``, seed ``OUTSIDE3_SEED``): only dyads whose date is a date of a row of the
  first two sets (those briefings are held out already), every sentence overlapping a row of those sets left
  out; the same stratification; split ``outside3``, appended after the outside2 rows, which stay byte for byte.
- **CMFA train** (``--cmfa-train 400``, seed ``CMFA_TRAIN_SEED``): only dyads whose date is *no* date of any row
  of the outside sets (so no briefing shares a date with a held-out row); the same stratification (at most
  ``floor(CAP_SHARE * N)`` rows per target); split ``train``; written to ``tests/data/stance_train_cmfa_en.csv``
  (same columns), which ``bench/train_stance_model.py`` and ``bench/cv_stance.py`` read beside the MFA train
  rows (cross-validation groups these rows by date).

Retiring half of the outside briefings into training, a fourth outside set and a second CMFA train draw
(2026-11-30; fixed by this rule, and committed, before any of their text was read). The refitted model read the
outside sets at 0.768 / 0.810 / 0.686 (outside3 fresh): the CMFA train rows helped, and the 2022-2023 issues
(NATO above all) are still the miss, with no fresh CMFA row left on a date outside the outside sets. So the
briefing dates of the outside sets are split in two by a coin fixed in advance, ``sha256(date) % 2``
(:func:`retired`): on the **retired** dates (0) every labelled outside row (outside, outside2, outside3) becomes a
training row (:func:`read_cmfa_train`; they have been read, so they are no longer evidence on a model) and fresh
sentences are drawn for training; the **held** dates (1) keep their outside rows as hold-outs (re-read, not fresh,
:func:`read_outside`) and give the one fresh English check of the next model:

- **outside4** (``--outside4 300``, seed ``OUTSIDE4_SEED``): dyads on held dates only, every sentence of any
  earlier row (the outside sets and the CMFA train draws) left out; the same stratification; split ``outside4``,
  appended after the outside3 rows, which stay byte for byte.
- **CMFA train 2** (``--cmfa-train-2 400``, seed ``CMFA_TRAIN_2_SEED``): dyads on retired dates only, the same
  exclusions and stratification, split ``train``, appended to ``tests/data/stance_train_cmfa_en.csv`` after the
  first draw's rows.

A re-run of a draw reproduces its rows only with the gazetteer it was drawn with (the pool is the toolkit's own
target detection; ``toolkit/data/targets.csv`` has changed since, e.g. "Russians" became a Russia alias).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
from sample_stance_gold import keep_labels, locate

REPO = Path(__file__).resolve().parents[1]
OUTSIDE = REPO / "tests" / "data" / "stance_outside_en.csv"
CMFA = Path("cmfa_presscon_sample") / "ukraine_dataset_combined.jsonl"
MFA_EN = Path("mfa_fmprc_2016_2020") / "mfa_en_regular_press_conferences_2018-2020.jsonl"
OUTSIDE_SEED = 20261204
OUTSIDE2_SEED = 20261208
SPLIT2 = "outside2"
OUTSIDE3_SEED = 20261210
SPLIT3 = "outside3"
CMFA_TRAIN = REPO / "tests" / "data" / "stance_train_cmfa_en.csv"
CMFA_TRAIN_SEED = 20261209
CMFA_TRAIN_ROWS = 234  # rows of the first CMFA train draw, before the second
OUTSIDE4_SEED = 20261211
SPLIT4 = "outside4"
CMFA_TRAIN_2_SEED = 20261212
N = 300
CAP_SHARE = 0.25
SPLIT = "outside"
FIRST_OUTSIDE_SETS = (SPLIT, SPLIT2, SPLIT3)  # the sets whose dates are split into retired and held
KEYS = ["dyad_id", "offset", "length", "target"]
COLUMNS = ["dyad_id", "offset", "length", "lang", "target", "label", "split", "note"]


def mfa_en_dates(corpora: Path) -> set[str]:
    """The ``date`` of every briefing of the MFA English corpus."""
    with open(corpora / MFA_EN, encoding="utf-8") as handle:
        return {json.loads(line)["date"] for line in handle}


def outside_dyads(corpora: Path) -> list[dict]:
    """The CMFA dyads whose date is not a date of the MFA English corpus."""
    taken = mfa_en_dates(corpora)
    with open(corpora / CMFA, encoding="utf-8") as handle:
        return [record for record in map(json.loads, handle) if record["date"] not in taken]


def answer_sentences(dyads: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every answer sentence (``doc_id, turn_id, sent_id, text, date, offset, length``) and the sentence table
    of questions and answers it came from (for the target detection)."""
    import toolkit

    turns = pd.DataFrame([{"doc_id": str(d["id"]), "turn_id": turn, "role": role, "lang": "en", "date": d["date"],
                           "text": d[role]}
                          for d in dyads for turn, role in ((0, "question"), (1, "answer"))])
    sentences = toolkit.split_sentences(turns)
    raw = {str(d["id"]): d["answer"] for d in dyads}
    answers = sentences[sentences["role"] == "answer"]
    offsets, lengths, cursor = [], [], {}
    for doc, text in zip(answers["doc_id"], answers["text"]):
        span = locate(raw[doc], text, cursor.get(doc, 0)) or locate(raw[doc], text, 0)
        offsets.append(span[0] if span else -1)
        lengths.append(span[1] if span else 0)
        if span:
            cursor[doc] = span[0] + span[1]
    return answers.assign(offset=offsets, length=lengths), sentences


def candidate_pool(corpora: Path) -> pd.DataFrame:
    """One row per (answer sentence, target): ``dyad_id, offset, length, target, date, year``."""
    import toolkit

    answers, sentences = answer_sentences(outside_dyads(corpora))
    found = toolkit.score_stance(sentences, method="lexicon")[["doc_id", "turn_id", "sent_id", "target"]]
    pool = answers.merge(found, on=["doc_id", "turn_id", "sent_id"], how="inner")
    pool = pool[pool["offset"] >= 0].assign(dyad_id=lambda t: t["doc_id"].astype(int))
    pool = pool.sort_values(["date", "dyad_id", "offset", "target"])
    pool = pool.drop_duplicates(["text", "target"], keep="first")
    pool["year"] = pd.to_datetime(pool["date"]).dt.year
    return pool[["dyad_id", "offset", "length", "target", "date", "year"]].reset_index(drop=True)


def draw(pool: pd.DataFrame, total: int, seed: int, cap_share: float = CAP_SHARE) -> pd.DataFrame:
    """Round-robin over targets (each capped at ``floor(cap_share * total)``), within a target over years."""
    rng = np.random.default_rng(seed)
    pool = pool.iloc[rng.permutation(len(pool))].reset_index(drop=True)
    pool["year_rank"] = pool.groupby(["target", "year"]).cumcount()
    pool = pool.sort_values(["target", "year_rank"], kind="stable")
    pool["target_rank"] = pool.groupby("target").cumcount()
    pool = pool[pool["target_rank"] < int(cap_share * total)].copy()
    pool["tie"] = rng.random(len(pool))
    return pool.sort_values(["target_rank", "tie"]).head(total)


def build(corpora: Path, total: int, *, seed: int = OUTSIDE_SEED, split: str = SPLIT,
          earlier: pd.DataFrame | None = None, dates: set[str] | None = None, on_dates: bool = True) -> pd.DataFrame:
    """The rows of a draw from the pool, leaving out every sentence that overlaps a row of ``earlier``; with
    ``dates``, only dyads on those dates (``on_dates``) or on none of them (``on_dates=False``)."""
    pool = candidate_pool(corpora)
    if dates is not None:
        days = pd.to_datetime(pool["date"]).dt.strftime("%Y-%m-%d")
        pool = pool[days.isin(dates) == on_dates]
    if earlier is not None:
        taken: dict[int, list[tuple[int, int]]] = {}
        for dyad, start, length in zip(earlier["dyad_id"], earlier["offset"], earlier["length"]):
            taken.setdefault(int(dyad), []).append((int(start), int(start) + int(length)))
        pool = pool[[not any(a < start + length and start < b for a, b in taken.get(int(dyad), []))
                     for dyad, start, length in zip(pool["dyad_id"], pool["offset"], pool["length"])]]
    sample = draw(pool, total, seed).sort_values(["dyad_id", "offset", "target"])
    return pd.DataFrame({"dyad_id": sample["dyad_id"], "offset": sample["offset"], "length": sample["length"],
                         "lang": "en", "target": sample["target"], "label": "", "split": split, "note": "",
                         "year": sample["year"]}).reset_index(drop=True)


def retired(date: str) -> bool:
    """Whether an outside briefing date was retired into training: ``sha256(date) % 2 == 0`` (fixed in advance)."""
    return int(hashlib.sha256(str(date).encode()).hexdigest(), 16) % 2 == 0


def _read_cmfa(path: Path, corpora: Path, splits: tuple[str, ...]) -> pd.DataFrame:
    from toolkit.stance import read_referenced_annotations

    rows = read_referenced_annotations(path, sources=[corpora / CMFA], splits=splits, key="dyad_id",
                                       record_key="id", field="answer")
    return rows.assign(day=rows["date"].dt.strftime("%Y-%m-%d"))


def read_outside(corpora: Path) -> pd.DataFrame:
    """The labelled outside rows still held out, with their text (``toolkit.stance.read_referenced_annotations`` on
    the CMFA answers): every set's rows on held dates (rows on :func:`retired` dates are training rows now);
    unusable rows, with an empty label, left out."""
    rows = _read_cmfa(OUTSIDE, corpora, (*FIRST_OUTSIDE_SETS, SPLIT4))
    return rows[~rows["day"].map(retired)].drop(columns="day").reset_index(drop=True)


def read_cmfa_train(corpora: Path) -> pd.DataFrame:
    """The labelled CMFA training rows with their text: both CMFA train draws and the outside sets' rows on
    :func:`retired` dates; ``source_url`` set to ``cmfa:<date>`` (the briefing, for grouped cross-validation)."""
    outside = _read_cmfa(OUTSIDE, corpora, FIRST_OUTSIDE_SETS)
    rows = pd.concat([_read_cmfa(CMFA_TRAIN, corpora, ("train",)), outside[outside["day"].map(retired)]],
                     ignore_index=True)
    return rows.assign(source_url="cmfa:" + rows.pop("day"))


def _rewrite(out: Path, kept: int, table: pd.DataFrame, *, later_from: int | None = None) -> None:
    """Write ``out`` as its header and first ``kept`` rows, byte for byte, then ``table``'s rows (and, with
    ``later_from``, the file's rows from that row on, byte for byte: the draws after the one re-written)."""
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True) if out.exists() else []
    later = lines[later_from + 1:] if later_from is not None else []
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(lines[:kept + 1]))
        table[COLUMNS].to_csv(handle, index=False, header=not lines, lineterminator="\n")
        handle.write("".join(later))


def append_outside2(corpora: Path, out: Path, total: int) -> pd.DataFrame:
    """Keep the first set's rows of ``out`` byte for byte and (re)write the outside2 rows after them, their labels
    kept."""
    old = pd.read_csv(out, dtype={"label": str, "note": str}, keep_default_na=False)
    first = old[old["split"] == SPLIT]
    if not (old["split"].iloc[:len(first)] == SPLIT).all():
        raise SystemExit(f"{out}: the first set's rows must come first")
    table = keep_labels(build(corpora, total, seed=OUTSIDE2_SEED, split=SPLIT2, earlier=first), out, KEYS)
    _rewrite(out, len(first), table, later_from=len(first) + (old["split"] == SPLIT2).sum())
    return table


def outside_dates(corpora: Path, rows: pd.DataFrame) -> set[str]:
    """The dates of the dyads ``rows`` point into."""
    dyads = {int(d) for d in rows["dyad_id"]}
    with open(corpora / CMFA, encoding="utf-8") as handle:
        return {str(r["date"]) for r in map(json.loads, handle) if int(r["id"]) in dyads}


def append_outside3(corpora: Path, out: Path, total: int) -> pd.DataFrame:
    """Keep the first two sets' rows of ``out`` byte for byte and (re)write the outside3 rows after them (labels
    kept): fresh sentences of dyads on the first two sets' dates."""
    old = pd.read_csv(out, dtype={"label": str, "note": str}, keep_default_na=False)
    earlier = old[old["split"].isin([SPLIT, SPLIT2])]
    if not old["split"].iloc[:len(earlier)].isin([SPLIT, SPLIT2]).all():
        raise SystemExit(f"{out}: the first two sets' rows must come first")
    table = keep_labels(build(corpora, total, seed=OUTSIDE3_SEED, split=SPLIT3, earlier=earlier,
                              dates=outside_dates(corpora, earlier)), out, KEYS)
    _rewrite(out, len(earlier), table, later_from=len(earlier) + (old["split"] == SPLIT3).sum())
    return table


def append_held_or_retired(corpora: Path, out: Path, total: int, *, held: bool) -> pd.DataFrame:
    """(Re)write, after the rows ``out`` had when the rule was fixed, outside4 (``held``: on held dates, into
    :data:`OUTSIDE`) or the second CMFA train draw (on retired dates, into :data:`CMFA_TRAIN`); labels kept."""
    outside = pd.read_csv(OUTSIDE, dtype={"label": str, "note": str}, keep_default_na=False)
    first_train = pd.read_csv(CMFA_TRAIN, dtype={"label": str, "note": str}, keep_default_na=False)
    first_train = first_train.iloc[:CMFA_TRAIN_ROWS]
    sets = outside[outside["split"].isin(FIRST_OUTSIDE_SETS)]
    dates = {d for d in outside_dates(corpora, sets) if retired(d) != held}
    kept = len(sets) if held else CMFA_TRAIN_ROWS
    seed, split = (OUTSIDE4_SEED, SPLIT4) if held else (CMFA_TRAIN_2_SEED, "train")
    table = keep_labels(build(corpora, total, seed=seed, split=split, dates=dates,
                              earlier=pd.concat([sets, first_train], ignore_index=True)), out, KEYS)
    existing = pd.read_csv(out, usecols=["split"])["split"].iloc[kept:]
    _rewrite(out, kept, table, later_from=kept + int((existing == split).sum()))
    return table


def write_cmfa_train(corpora: Path, outside: Path, out: Path, total: int) -> pd.DataFrame:
    """(Re)write the first CMFA train draw (labels kept; the second draw's rows after it stay as they are): dyads
    on no date of any row of the first three outside sets."""
    held_out = pd.read_csv(outside, dtype={"label": str, "note": str}, keep_default_na=False)
    held_out = held_out[held_out["split"].isin(FIRST_OUTSIDE_SETS)]
    table = keep_labels(build(corpora, total, seed=CMFA_TRAIN_SEED, split="train",
                              dates=outside_dates(corpora, held_out), on_dates=False), out, KEYS)
    _rewrite(out, 0, table, later_from=CMFA_TRAIN_ROWS)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTSIDE)
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--outside2", type=int, default=None, metavar="N",
                        help="append the second outside set of N rows after the first set's rows")
    parser.add_argument("--outside3", type=int, default=None, metavar="N",
                        help="append the third outside set of N rows after the first two sets' rows")
    parser.add_argument("--cmfa-train", type=int, default=None, metavar="N",
                        help=f"write the CMFA train draw of at most N rows to {CMFA_TRAIN.name}")
    parser.add_argument("--outside4", type=int, default=None, metavar="N",
                        help="append the fourth outside set of N rows (held dates) after the outside3 rows")
    parser.add_argument("--cmfa-train-2", type=int, default=None, metavar="N",
                        help=f"append the second CMFA train draw of at most N rows (retired dates) to {CMFA_TRAIN.name}")
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    if args.outside4 is not None:
        table = append_held_or_retired(corpora, OUTSIDE, args.outside4, held=True)
    elif args.cmfa_train_2 is not None:
        table = append_held_or_retired(corpora, CMFA_TRAIN, args.cmfa_train_2, held=False)
    elif args.cmfa_train is not None:
        table = write_cmfa_train(corpora, args.out, CMFA_TRAIN, args.cmfa_train)
    elif args.outside3 is not None:
        table = append_outside3(corpora, args.out, args.outside3)
    elif args.outside2 is not None:
        table = append_outside2(corpora, args.out, args.outside2)
    else:
        table = keep_labels(build(corpora, args.n), args.out, KEYS)
        table[COLUMNS].to_csv(args.out, index=False, lineterminator="\n")
    written = CMFA_TRAIN if args.cmfa_train is not None or args.cmfa_train_2 is not None else args.out
    print(f"{len(table)} rows from {table['dyad_id'].nunique()} dyads -> {written}")
    print(table["target"].value_counts().to_string())
    print(table["year"].value_counts().sort_index().to_string())


if __name__ == "__main__":
    main()
