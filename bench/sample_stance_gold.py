"""Draw the English half of the stance gold set (issue 10) from the MFA regular press conferences.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold.py [--out PATH] [--n N]
       [--supplement M]
       TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold.py --train-supplement 700
       TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold.py --test2 450
       TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold.py --test3 400
       TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold.py --test3-us 332
       TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold.py --train-supplement-2 1000
       TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold.py --train-supplement-3 1000

Eight draws, each frozen before any of its labels was written; the same seeds give the same rows.

1. The main draw (seed ``SEED``, ``N`` = 1,080 rows) over all briefings.
2. The test supplement (seed ``SUPPLEMENT_SEED``, ``M`` = 230 rows), made after the main draw was labelled
   because its test split (102 usable rows, 3 at +2, 5 at -2) was too small to measure a Spearman target: run
   after the main draw, on the pool restricted to briefings the split rule below puts in the test split, every
   row of the main draw excluded, stratified in the same way (the United States capped at
   ``SUPPLEMENT_US_CAP``, the main draw's 1/9 share). Its rows are appended after the main draw's rows, so the
   main draw's rows stay unchanged.
3. The train supplement (seed ``TRAIN_SUPPLEMENT_SEED``, ``--train-supplement`` = 700 rows), made after the
   two draws above were labelled, to give the supervised model more training rows. It does not re-run the two
   earlier draws (the toolkit's gazetteer and lexicon have changed since, so the pool differs a little): the
   first ``EARLIER_ROWS`` rows of ``--out`` are kept byte for byte and the new rows are appended after them.
   Pool: the rows of the pool below (built with the current toolkit) whose briefing the split rule puts in
   train or dev (never test), minus every sentence that overlaps a sentence of the earlier rows (all splits, any
   target) or of ``tests/data/stance_validation.csv``. Stratified like the main draw (water-filling over
   targets, the United States capped at ``round(M / 9)``, the main draw's share; round-robin over year ×
   spokesperson × cue strata within a target), tilted toward the rare hostile, critical and warm labels by
   ``TRAIN_SUPPLEMENT_CUE_WEIGHT`` = 2: within a target a cue stratum gives a row at every round, a no-cue
   stratum at every second round. Fixed by seed and rule before any of its text was read.
4. The second hold-out, "test2" (seed ``TEST2_SEED``, ``--test2`` = 450 rows), made because the test split had
   been read three times during development and was no longer a clean hold-out; it is evaluated once, at the
   end (``bench/validate_stance.py --final``), and never read by the trainer or the cross-validation. The first
   ``TEST2_EARLIER_ROWS`` rows of ``--out`` (the three draws above) are kept byte for byte and the new rows are
   appended after them with ``split`` = ``test2``. Pool: the rows of the pool below (current toolkit, cue flag
   from the lexicon method) whose briefing the split rule puts in the test split (never train or dev), minus
   every sentence that overlaps a sentence of the earlier rows (all splits, any target) or of
   ``tests/data/stance_validation.csv``. Stratified like the main draw **without any tilt** (cue weight 1: the
   cue and no-cue strata take turns as in the main draw; water-filling over targets with the United States
   capped at ``round(M / 9)``, the main draw's 1/9 share), so that it estimates performance on the default
   population of (spokesperson sentence, target) rows. Fixed by seed and rule, and committed, before any of its
   text was read.
5. The third hold-out, "test3" (seed ``TEST3_SEED``, ``--test3`` = 400 rows), made because test2 had been read
   once and a method change was under way that needs a hold-out no one has evaluated on; it is evaluated once,
   at the end, like test2. The first ``TEST3_EARLIER_ROWS`` rows of ``--out`` (the four draws above) are kept
   byte for byte and the new rows are appended after them with ``split`` = ``test3``. Pool and strata exactly
   as test2: test-split briefings only, every sentence that overlaps a sentence of the earlier rows (all splits,
   test2 included, any target) or of ``tests/data/stance_validation.csv`` excluded, no cue tilt, the United
   States capped at ``round(M / 9)``. Fixed by seed and rule, and committed, before any of its text was read.
   It gave **68 rows, not 400**: by then the 64 test-split briefings held only 463 fresh (sentence, target) rows,
   439 of them with the United States as target, so the cap (44) and the other targets taken whole (24) are all
   the rule can give.
6. The test3 US extension, "test3us" (``--test3-us`` = 332 rows), fixed and committed after the 68 test3 rows
   were labelled and before any of its own rows was drawn or read, to bring the fresh hold-out to the 400 rows
   asked for without changing test3's rule: the United States rows of the test3 pool (the pool test3 was drawn
   from, i.e. minus the ``TEST3_EARLIER_ROWS`` earlier rows only) in test3's own seeded order (seed
   ``TEST3_SEED``, the same round-robin over year × spokesperson × cue strata, no tilt) after the 44 that test3
   took; they nest (the draw with the United States cap raised to ``44 + M`` holds test3's 44 as its head).
   Split value ``test3us``, appended after the test3 rows. It is US-only: report it apart from test3 (or pooled
   with test3 as a 400-row, 94 % US set), never as a stratified sample. Being the continuation of test3's draw,
   it shares no sentence with the draws before test3, but 5 of its sentences also carry a test3 row for another
   target (Taiwan 3, Russia 2), as sentences with two targets do within any draw.
7. The second train supplement (seed ``TRAIN_SUPPLEMENT_2_SEED``, ``--train-supplement-2`` = 1,000 rows), made
   because a learning curve by grouped cross-validation showed the supervised model still gaining with training
   rows. The first ``TRAIN_SUPPLEMENT_2_EARLIER_ROWS`` rows of ``--out`` (the six draws above, test2, test3 and
   test3us included) are kept byte for byte and the new rows are appended after them, with ``split`` train or
   dev by the hash rule. Pool and strata exactly as the first train supplement (draw 3): train/dev briefings
   only (never a test-split briefing), every sentence that overlaps a sentence of any earlier row (all splits,
   any target) or of ``tests/data/stance_validation.csv`` excluded, the United States capped at
   ``round(M / 9)``, cue strata tilted by ``TRAIN_SUPPLEMENT_CUE_WEIGHT``. Fixed by seed and rule, and
   committed, before any of its text was read.
8. The third train supplement (seed ``TRAIN_SUPPLEMENT_3_SEED``, ``--train-supplement-3`` = 1,000 rows), made
   because the learning curve after draw 7 was still rising (out-of-fold model Spearman 0.764 / 0.788 / 0.807 /
   0.817 with 40 / 60 / 80 / 100 % of the training briefings). Exactly as draw 7, after the first
   ``TRAIN_SUPPLEMENT_3_EARLIER_ROWS`` rows (every earlier draw). Fixed by seed and rule, and committed, before
   any of its text was read.
9. The fourth train supplement (seed ``TRAIN_SUPPLEMENT_4_SEED``, ``--train-supplement-4`` = 1,500 rows), made
   because the learning curve after draw 8 was still rising (out-of-fold model Spearman 0.814 / 0.824 / 0.833
   with 60 / 80 / 100 % of the training briefings). As draws 7 and 8, after the first
   ``TRAIN_SUPPLEMENT_4_EARLIER_ROWS`` rows (every earlier draw), except that the United States is capped at
   ``round(M / 3)`` (500), not ``round(M / 9)``: the US is about half of all targeted rows, the target papers
   cite most, and the earlier supplements left it the least covered per row of the population (test3us: the
   US-only hold-out, ρ 0.800). Fixed by seed and rule, and committed (2026-11-30), before any of its text was read.
   It re-draws byte for byte with the gazetteer it was drawn with (``toolkit/data/targets.csv`` of commit
   91bf60a, checked 2026-11-30); with today's (``Russians``, ``Inter-American`` since) the pool differs and
   :func:`append_draw` refuses, dropping nothing.

Re-drawing a draw rewrites only its own rows: :func:`append_draw` refuses to run when the rows after its
earlier rows hold any row the new draw would not reproduce (e.g. a later draw's rows), so a re-run can never
drop later rows such as test2, test3 or test3us.

Pool: ``mfa_en_regular_press_conferences_2018-2020.jsonl`` → ``load_briefings`` → ``split_turns`` →
``split_sentences``; the (sentence, target) rows of ``score_stance`` (spokesperson sentences only, targets of
``toolkit/data/targets.csv`` found by the toolkit's own gazetteer). Sentences that overlap a sentence of
``tests/data/stance_validation.csv`` are excluded.

Stratification: the ``N`` rows (default 1,080) are shared out over targets by water-filling with the United
States capped at 120, so rare targets are taken whole; within a target the rows are drawn round-robin over
strata of year × spokesperson × cue/no-cue (cue: the packaged lexicon finds at least one cue for that target,
computed here and never shown to the labeller), each stratum in a seeded random order.

Split, by briefing and fixed by rule: ``h = int(sha256(source_url.encode()).hexdigest(), 16) % 10``; h 0-5
train, 6-7 dev, 8-9 test; briefings whose ``source_url`` appears in ``tests/data/stance_validation.csv`` are
forced to train.

Output columns: ``source_url, offset, length, lang, target, label, split, note`` (``label``/``note`` empty,
filled by hand); ``offset``/``length`` are character offsets into the JSONL ``text`` field, as in
``tests/data/stance_validation.csv``. The text itself is never written. ``--cues PATH`` additionally writes the
cue flag per row (for the report, kept out of the repository). Labels and notes already in ``--out`` are kept
(matched on ``source_url, offset, length, target``). Re-running ``--train-supplement-2 1000`` reproduces the
file byte for byte; re-running an earlier appended draw (``--train-supplement``, ``--test2``, ``--test3``) now
refuses, since later draws follow its rows. Re-running the first two draws reproduces them only with the toolkit they were drawn with (the
gazetteer and lexicon changed since: the current pool differs, checked 2026-11-30); it keeps the rows after the
first ``EARLIER_ROWS`` (the train supplement) unchanged.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
VALIDATION = REPO / "tests" / "data" / "stance_validation.csv"
GOLD = REPO / "tests" / "data" / "stance_gold_en.csv"
CORPUS = Path("mfa_fmprc_2016_2020") / "mfa_en_regular_press_conferences_2018-2020.jsonl"
SEED = 20261129
US_CAP = 120
SUPPLEMENT_SEED = 20261130
SUPPLEMENT_US_CAP = 26
TRAIN_SUPPLEMENT_SEED = 20261201
TRAIN_SUPPLEMENT_CUE_WEIGHT = 2
EARLIER_ROWS = 1310  # main draw (1,080) + test supplement (230), the rows before the train supplement
TEST2_SEED = 20261202
TEST2_EARLIER_ROWS = 2010  # + train supplement (700), the rows before the test2 draw
TEST3_SEED = 20261203
TEST3_EARLIER_ROWS = 2460  # + test2 (450), the rows before the test3 draw
TEST3_N = 400  # the --test3 size asked for (the US cap is round(TEST3_N / 9) = 44); 68 rows were available
TEST3US_EARLIER_ROWS = 2528  # + test3 (68), the rows before the test3 US extension
TRAIN_SUPPLEMENT_2_SEED = 20261205
TRAIN_SUPPLEMENT_2_EARLIER_ROWS = 2860  # + test3us (332), the rows before the second train supplement
TRAIN_SUPPLEMENT_3_SEED = 20261207
TRAIN_SUPPLEMENT_3_EARLIER_ROWS = 3860  # + the second train supplement (1,000), the rows before the third
TRAIN_SUPPLEMENT_4_SEED = 20261209
TRAIN_SUPPLEMENT_4_EARLIER_ROWS = 4860  # + the third train supplement (1,000), the rows before the fourth
TRAIN_SUPPLEMENT_4_US_SHARE = 1 / 3
KEYS = ["source_url", "offset", "length", "target"]
COLUMNS = ["source_url", "offset", "length", "lang", "target", "label", "split", "note"]


def split_of(source_url: str, forced_train: set[str]) -> str:
    """train / dev / test of a briefing by the sha256 rule (validation briefings forced to train)."""
    if source_url in forced_train:
        return "train"
    h = int(hashlib.sha256(source_url.encode()).hexdigest(), 16) % 10
    return "train" if h <= 5 else "dev" if h <= 7 else "test"


def locate(raw: str, sentence: str, start: int) -> tuple[int, int] | None:
    """``(offset, length)`` of ``sentence`` in ``raw`` at or after ``start`` (whitespace-tolerant), or None."""
    at = raw.find(sentence, start)
    if at >= 0:
        return at, len(sentence)
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    match = re.compile(pattern).search(raw, start)
    return (match.start(), match.end() - match.start()) if match else None


def sentence_spans(sentences: pd.DataFrame, raw_texts: dict[str, str]) -> pd.DataFrame:
    """Every sentence's ``offset, length`` in its JSONL text, found in reading order (None when not found)."""
    offsets, lengths = [], []
    cursor = {}
    for url, text in zip(sentences["url"], sentences["text"]):
        raw = raw_texts[url]
        span = locate(raw, text, cursor.get(url, 0)) or locate(raw, text, 0)
        if span is None:
            offsets.append(-1)
            lengths.append(0)
            continue
        cursor[url] = span[0] + span[1]
        offsets.append(span[0])
        lengths.append(span[1])
    return sentences.assign(offset=offsets, length=lengths)


def quotas(counts: pd.Series, total: int) -> dict[str, int]:
    """Water-filling: equal shares per target, a target short of its share gives the rest away."""
    available = {t: int(n) for t, n in counts.items()}
    quota, left, open_ = {}, total, sorted(available)
    while open_:
        share = left // len(open_)
        small = [t for t in open_ if available[t] <= share]
        if not small:
            extra = left - share * len(open_)
            for i, t in enumerate(open_):
                quota[t] = share + (1 if i < extra else 0)
            break
        for t in small:
            quota[t] = available[t]
            left -= available[t]
            open_.remove(t)
    return quota


def draw(pool: pd.DataFrame, total: int, seed: int, us_cap: int = US_CAP, cue_weight: int = 1) -> pd.DataFrame:
    """Stratified draw: quotas per target, round-robin over year × spokesperson × cue strata within a target.

    ``cue_weight`` k > 1 lets a no-cue stratum give a row only at every k-th round (cue rows over-weighted).
    """
    rng = np.random.default_rng(seed)
    pool = pool.iloc[rng.permutation(len(pool))].reset_index(drop=True)
    rank = pool.groupby(["target", "year", "spokesperson", "cue"]).cumcount()
    pool["rank"] = np.where(pool["cue"], rank, rank * cue_weight)
    pool["tie"] = rng.random(len(pool))
    counts = pool["target"].value_counts()
    quota = {"United States": min(us_cap, int(counts.get("United States", 0)))}
    quota.update(quotas(counts.drop("United States", errors="ignore"), total - quota["United States"]))
    parts = [group.sort_values(["rank", "tie"]).head(quota[target])
             for target, group in pool.groupby("target", sort=True)]
    return pd.concat(parts, ignore_index=True)


def validation_spans(corpora: Path) -> tuple[dict[str, list[tuple[int, int]]], set[str]]:
    table = pd.read_csv(VALIDATION)
    spans: dict[str, list[tuple[int, int]]] = {}
    for url, off, n in zip(table["source_url"], table["offset"], table["length"]):
        spans.setdefault(url, []).append((int(off), int(off) + int(n)))
    return spans, set(table["source_url"])


def candidate_pool(corpora: Path, method: str | None = None) -> tuple[pd.DataFrame, set[str]]:
    """Every (spokesperson sentence, target) row with its span, year, spokesperson and cue flag; the
    validation briefings (forced to train). Sentences overlapping the validation set are left out."""
    import toolkit

    path = corpora / CORPUS
    with open(path, encoding="utf-8") as handle:
        raw_texts = {r["source_url"]: r["text"] for r in map(json.loads, handle)}
    sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(path)))
    sentences = sentence_spans(sentences.sort_values(["url", "turn_id", "sent_id"]), raw_texts)
    scores = toolkit.score_stance(sentences, **({"method": method} if method else {}))
    scores = scores[scores["target"].notna() & (scores["offset"] >= 0)].copy()
    old, forced = validation_spans(corpora)
    overlaps = [any(a < end and off < b for a, b in old.get(url, []))
                for url, off, end in zip(scores["url"], scores["offset"], scores["offset"] + scores["length"])]
    pool = scores.loc[~np.array(overlaps, dtype=bool)].copy()
    pool["cue"] = pool["cues"].fillna("").astype(str).str.len() > 0
    pool["year"] = pd.to_datetime(pool["date"]).dt.year
    pool["spokesperson"] = pool["spokesperson"].fillna("unknown")
    return pool, forced


def build(corpora: Path, total: int, supplement: int) -> pd.DataFrame:
    pool, forced = candidate_pool(corpora)
    first = draw(pool, total, SEED).sort_values(["url", "offset", "target"])
    drawn = set(zip(first["url"], first["offset"], first["target"]))
    in_test = np.array([split_of(u, forced) == "test" for u in pool["url"]], dtype=bool)
    not_drawn = ~np.array([key in drawn for key in zip(pool["url"], pool["offset"], pool["target"])], dtype=bool)
    second = (draw(pool.loc[in_test & not_drawn].copy(), supplement, SUPPLEMENT_SEED, SUPPLEMENT_US_CAP)
              if supplement else first.iloc[:0])
    sample = pd.concat([first, second.sort_values(["url", "offset", "target"])], ignore_index=True)
    return pd.DataFrame({
        "source_url": sample["url"], "offset": sample["offset"], "length": sample["length"], "lang": "en",
        "target": sample["target"], "label": "", "split": [split_of(u, forced) for u in sample["url"]],
        "note": "", "cue": sample["cue"], "year": sample["year"], "spokesperson": sample["spokesperson"],
        "draw": ["main"] * len(first) + ["test supplement"] * len(second),
    })


def train_supplement(corpora: Path, earlier: pd.DataFrame, total: int,
                     seed: int = TRAIN_SUPPLEMENT_SEED, name: str = "train supplement",
                     us_share: float = 1 / 9) -> pd.DataFrame:
    """A train supplement (draws 3, 7, 8 and 9): train/dev briefings only, no sentence of ``earlier`` or the
    validation set, the United States capped at ``round(total * us_share)``, cue strata tilted by
    ``TRAIN_SUPPLEMENT_CUE_WEIGHT``."""
    pool, forced = candidate_pool(corpora, method="lexicon")
    taken = taken_spans(earlier)
    fresh = np.array([not any(a < end and off < b for a, b in taken.get(url, []))
                      for url, off, end in zip(pool["url"], pool["offset"], pool["offset"] + pool["length"])],
                     dtype=bool)
    not_test = np.array([split_of(u, forced) != "test" for u in pool["url"]], dtype=bool)
    sample = draw(pool.loc[fresh & not_test].copy(), total, seed, round(total * us_share),
                  TRAIN_SUPPLEMENT_CUE_WEIGHT).sort_values(["url", "offset", "target"])
    return pd.DataFrame({
        "source_url": sample["url"], "offset": sample["offset"], "length": sample["length"], "lang": "en",
        "target": sample["target"], "label": "", "split": [split_of(u, forced) for u in sample["url"]],
        "note": "", "cue": sample["cue"], "year": sample["year"], "spokesperson": sample["spokesperson"],
        "draw": name,
    }).reset_index(drop=True)


def train_supplement_2(corpora: Path, earlier: pd.DataFrame, total: int) -> pd.DataFrame:
    """The second train supplement (draw 7), seed ``TRAIN_SUPPLEMENT_2_SEED``; ``earlier`` holds all six draws."""
    return train_supplement(corpora, earlier, total, TRAIN_SUPPLEMENT_2_SEED, "train supplement 2")


def train_supplement_3(corpora: Path, earlier: pd.DataFrame, total: int) -> pd.DataFrame:
    """The third train supplement (draw 8), seed ``TRAIN_SUPPLEMENT_3_SEED``; ``earlier`` holds all seven draws."""
    return train_supplement(corpora, earlier, total, TRAIN_SUPPLEMENT_3_SEED, "train supplement 3")


def train_supplement_4(corpora: Path, earlier: pd.DataFrame, total: int) -> pd.DataFrame:
    """The fourth train supplement (draw 9), seed ``TRAIN_SUPPLEMENT_4_SEED``, the US capped at a third;
    ``earlier`` holds all eight draws."""
    return train_supplement(corpora, earlier, total, TRAIN_SUPPLEMENT_4_SEED, "train supplement 4",
                            TRAIN_SUPPLEMENT_4_US_SHARE)


def taken_spans(earlier: pd.DataFrame) -> dict[str, list[tuple[int, int]]]:
    """The character spans of ``earlier``'s sentences per briefing."""
    taken: dict[str, list[tuple[int, int]]] = {}
    for url, off, n in zip(earlier["source_url"], earlier["offset"], earlier["length"]):
        taken.setdefault(url, []).append((int(off), int(off) + int(n)))
    return taken


def held_out_draw(corpora: Path, earlier: pd.DataFrame, total: int, seed: int, split: str,
                  us_cap: int | None = None) -> pd.DataFrame:
    """A fresh hold-out (draws 4 to 6): test briefings only, no sentence of ``earlier`` or the validation set, no
    cue tilt, the United States capped at ``us_cap`` (default ``round(total / 9)``), split value ``split``."""
    pool, forced = candidate_pool(corpora, method="lexicon")
    taken = taken_spans(earlier)
    fresh = np.array([not any(a < end and off < b for a, b in taken.get(url, []))
                      for url, off, end in zip(pool["url"], pool["offset"], pool["offset"] + pool["length"])],
                     dtype=bool)
    in_test = np.array([split_of(u, forced) == "test" for u in pool["url"]], dtype=bool)
    cap = round(total / 9) if us_cap is None else us_cap
    sample = draw(pool.loc[fresh & in_test].copy(), total, seed, cap, 1).sort_values(["url", "offset", "target"])
    return pd.DataFrame({
        "source_url": sample["url"], "offset": sample["offset"], "length": sample["length"], "lang": "en",
        "target": sample["target"], "label": "", "split": split,
        "note": "", "cue": sample["cue"], "year": sample["year"], "spokesperson": sample["spokesperson"],
        "draw": split,
    }).reset_index(drop=True)


def test2_draw(corpora: Path, earlier: pd.DataFrame, total: int) -> pd.DataFrame:
    """The test2 hold-out (draw 4), seed ``TEST2_SEED``."""
    return held_out_draw(corpora, earlier, total, TEST2_SEED, "test2")


def test3_draw(corpora: Path, earlier: pd.DataFrame, total: int) -> pd.DataFrame:
    """The test3 hold-out (draw 5), seed ``TEST3_SEED``; ``earlier`` includes the test2 rows."""
    return held_out_draw(corpora, earlier, total, TEST3_SEED, "test3")


def test3_us_draw(corpora: Path, earlier: pd.DataFrame, total: int) -> pd.DataFrame:
    """The test3 US extension (draw 6): the next ``total`` United States rows in test3's seeded order, after the
    ones test3 took; ``earlier`` ends with the test3 rows."""
    test3 = earlier.iloc[TEST3_EARLIER_ROWS:]
    us_cap = round(TEST3_N / 9) + total
    wider = held_out_draw(corpora, earlier.iloc[:TEST3_EARLIER_ROWS], TEST3_N - round(TEST3_N / 9) + us_cap,
                          TEST3_SEED, "test3us", us_cap=us_cap)
    keys = set(zip(test3["source_url"], test3["offset"].astype(int), test3["target"]))
    taken = np.array([k in keys for k in zip(wider["source_url"], wider["offset"], wider["target"])], dtype=bool)
    if taken.sum() != len(test3):
        raise RuntimeError("test3 is not the head of its own seeded order: the pool changed since test3 was drawn")
    us = wider[~taken & (wider["target"] == "United States")]
    return us.reset_index(drop=True)


def append_draw(draw, corpora: Path, out: Path, total: int, cues: Path | None, *, earlier_rows: int) -> pd.DataFrame:
    """Keep the first ``earlier_rows`` rows of ``out`` byte for byte and (re)write after them the rows of
    ``draw(corpora, earlier, total)`` (:func:`train_supplement` after ``EARLIER_ROWS``, :func:`test2_draw` after
    ``TEST2_EARLIER_ROWS``, :func:`test3_draw` after ``TEST3_EARLIER_ROWS``, :func:`test3_us_draw` after
    ``TEST3US_EARLIER_ROWS``, :func:`train_supplement_2` after ``TRAIN_SUPPLEMENT_2_EARLIER_ROWS``, :func:`train_supplement_3` after
    ``TRAIN_SUPPLEMENT_3_EARLIER_ROWS``, :func:`train_supplement_4` after ``TRAIN_SUPPLEMENT_4_EARLIER_ROWS``); labels and
    notes already written for its rows are kept. Refuses (nothing written) when ``out`` has fewer rows than
    ``earlier_rows`` or when a row after them is not one of the re-drawn rows (a later draw's row)."""
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    if len(lines) < earlier_rows + 1:
        raise SystemExit(f"{out} has {len(lines) - 1} rows, fewer than the {earlier_rows} this draw comes after")
    head = "".join(lines[:earlier_rows + 1])
    old = pd.read_csv(out, dtype={"label": str, "note": str}, keep_default_na=False)
    earlier = old.iloc[:earlier_rows]
    table = keep_labels(draw(corpora, earlier, total), out)
    later = old.iloc[earlier_rows:]
    new_keys = set(zip(table["source_url"], table["offset"].astype(int), table["target"]))
    lost = [i for i, key in enumerate(zip(later["source_url"], later["offset"].astype(int), later["target"]))
            if key not in new_keys]
    if lost:
        raise SystemExit(f"{out}: re-drawing after row {earlier_rows} would drop {len(lost)} rows it does not "
                         f"reproduce (CSV lines {[earlier_rows + i + 2 for i in lost[:5]]}, split "
                         f"{sorted(set(later['split'].iloc[lost]))}); run the draw those rows belong to instead")
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(head)
        table[COLUMNS].to_csv(handle, index=False, header=False, lineterminator="\n")
    if cues is not None:
        table.drop(columns=["label", "note"]).to_csv(cues, index=False)
    return table


def keep_labels(table: pd.DataFrame, out: Path, keys: list[str] = KEYS) -> pd.DataFrame:
    """``label``/``note`` of the rows already in ``out`` carried over to the fresh draw (rows matched on ``keys``)."""
    if not out.exists():
        return table
    old = pd.read_csv(out, dtype={"label": str, "note": str}, keep_default_na=False)
    merged = table.drop(columns=["label", "note"]).merge(old[keys + ["label", "note"]], on=keys, how="left")
    return merged.fillna({"label": "", "note": ""})


APPENDED_DRAWS = {  # option: (draw function, rows of --out before it, what it appends), latest first
    "train-supplement-4": (train_supplement_4, TRAIN_SUPPLEMENT_4_EARLIER_ROWS,
                           "the fourth train supplement of N rows after all earlier draws"),
    "train-supplement-3": (train_supplement_3, TRAIN_SUPPLEMENT_3_EARLIER_ROWS,
                           "the third train supplement of N rows after all earlier draws"),
    "train-supplement-2": (train_supplement_2, TRAIN_SUPPLEMENT_2_EARLIER_ROWS,
                           "the second train supplement of N rows after all earlier draws"),
    "test3-us": (test3_us_draw, TEST3US_EARLIER_ROWS, "the test3 US extension of N rows after the test3 rows"),
    "test3": (test3_draw, TEST3_EARLIER_ROWS, "the test3 hold-out of N rows after the four earlier draws"),
    "test2": (test2_draw, TEST2_EARLIER_ROWS, "the test2 hold-out of N rows after the three earlier draws"),
    "train-supplement": (train_supplement, EARLIER_ROWS,
                         "the train supplement of N rows after the earlier rows of --out"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=GOLD)
    parser.add_argument("--cues", type=Path, default=None, help="also write the cue flag per row here")
    parser.add_argument("--n", type=int, default=1080)
    parser.add_argument("--supplement", type=int, default=230, help="rows of the test supplement (0: none)")
    for option, (_, _, help_text) in APPENDED_DRAWS.items():
        parser.add_argument(f"--{option}", type=int, default=None, metavar="N", help=f"append (or re-draw) {help_text}")
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    for option, (draw_rows, earlier_rows, _) in APPENDED_DRAWS.items():
        n_rows = getattr(args, option.replace("-", "_"))
        if n_rows is not None:
            table = append_draw(draw_rows, corpora, args.out, n_rows, args.cues, earlier_rows=earlier_rows)
            print(f"{len(table)} {option} rows appended -> {args.out}")
            print(table.groupby("split").size().to_string())
            print(table["target"].value_counts().to_string())
            return
    later = args.out.read_text(encoding="utf-8").splitlines(keepends=True)[EARLIER_ROWS + 1:] if args.out.exists() else []
    table = keep_labels(build(corpora, args.n, args.supplement), args.out)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        table[COLUMNS].to_csv(handle, index=False, lineterminator="\n")
        handle.write("".join(later))  # the train supplement, kept as it is
    if args.cues is not None:
        table.drop(columns=["label", "note"]).to_csv(args.cues, index=False)
    print(f"{len(table)} rows -> {args.out}")
    print(table.groupby(["draw", "split"]).size().to_string())
    print(table["target"].value_counts().to_string())


if __name__ == "__main__":
    main()
