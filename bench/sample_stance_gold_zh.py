"""Draw the Chinese half of the stance gold set (issue 10) into tests/data/stance_gold_zh.csv, labels empty.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/sample_stance_gold_zh.py
[--write | --append-supplement | --train-supplement N | --test2 N | --test3 N | --train-supplement-2 N
| --train-supplement-3 N | --test4 N | --train-supplement-4 N | --test5 N]

The sample is frozen before labelling: the same corpus and seeds always give the same rows. Without an option
it only prints the strata counts (so an existing labelled file is never overwritten by accident); ``--write``
writes the first draw as a new file; ``--append-supplement`` appends the test supplement (below) to the
existing file, leaving its rows untouched, and refuses when the supplement is already there;
``--train-supplement N`` appends the train supplement of N rows (below) in the same way, ``--test2 N`` the
second hold-out, ``--test3 N`` the third and ``--train-supplement-2 N`` the second train supplement (below).

Pool: every spokesperson (non-question) sentence of the Chinese MFA corpus
(``mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl``: load_briefings → split_turns →
split_sentences) that :func:`toolkit.score_stance` finds a target in, one row per (sentence, target). The
packaged gazetteer is extended by one short form, 巴方 for Pakistan, so that the sample holds the 巴方 =
Palestine confusion the method must guard against (issue 10, point 5); 巴方 rows get a stratum of their own.
Sentences already labelled in tests/data/stance_validation.csv are excluded.

Strata: a quota per target (the US capped at ``US_QUOTA``, the Korean Peninsula at ``PENINSULA_QUOTA``, 巴方
at ``SHORT_FORM_QUOTA``, every other target at ``QUOTA`` or all its rows). Within a target, rows alternate
between cue and no-cue (whether the packaged lexicon finds any cue for the row: ``n_hostile + n_critical +
n_cooperative > 0``), and within each of those, round-robin over (document kind, year, spokesperson) groups in
a seeded random order, so rare years, spokespersons and kinds (答记者问, remarks) are represented.

Rows are stored as ``source_url, offset, length`` (character offsets into the JSONL ``text`` field), never
the text. Split by briefing, fixed by rule: ``int(sha256(source_url).hexdigest(), 16) % 10``: 0-5 train, 6-7
dev, 8-9 test; briefings that occur in stance_validation.csv are forced to train.

Test supplement (second draw): the first draw leaves only 120 usable test rows, too few to measure a Spearman
target reliably. A second draw with its own seed (``SUPPLEMENT_SEED``) is made after the first, from the same
pool restricted to test-split briefings (same hash rule) and excluding every (sentence, target) row of the
first draw, with the same strata and the same cue / no-cue alternation and (kind, year, spokesperson)
round-robin, and its own quotas (``SUPPLEMENT_QUOTAS``: the US capped at 18, the Korean Peninsula at 7, 巴方
at 5, every other target at 6 or all its remaining test rows). Its rows are appended after the first draw's
rows in the CSV, in the same order (briefing, offset, target), so the first draw stays byte for byte as it
was.

Train supplement (third draw, ``--train-supplement 600``): the supervised model had only 555 train + dev rows to
learn from. A third draw with its own seed (``TRAIN_SUPPLEMENT_SEED``), fixed by this rule before any of its
text was read, takes N rows from the pool restricted to train- and dev-split briefings (same hash rule; never a
test briefing) and excluding every row already in the CSV (same target and an overlapping sentence span, so a
re-split sentence is still excluded). Strata as above, one per target of the pool as it is drawn now (the
gazetteer now holds 巴方, so those rows are in the Pakistan stratum). Quotas: the US has weight 3, every other
target weight 1; the per-weight quota q is the largest integer with ``sum(min(weight * q, available)) <= N``, and
the rows still missing to reach N are given one at a time to the strata with rows left, in alphabetical order
(round after round). Tilted toward cue rows, since hostile and warm rows are rare: within a target the order takes two cue rows for each
no-cue row (each list in its (kind, year, spokesperson) round-robin order), then whichever is left. Rows get
their split by the hash rule (train or dev), are sorted like the other draws (split, briefing, offset, target)
and are appended after the existing rows, which stay byte for byte as they were.

Second hold-out "test2" (fourth draw, ``--test2 400``): the test split above was read during development, so it
is no longer a clean hold-out. A fourth draw with its own seed (``TEST2_SEED``), fixed by this rule and
committed before any of its text was read, takes N rows from the pool restricted to test-split briefings (same
hash rule) and excluding every sentence that overlaps any row already in the CSV (any split, any target: a
sentence once read is not drawn again). It estimates performance on the default population of (spokesperson
sentence, target) rows, so there is no tilt toward cue rows: within a target the rows are taken in the
(kind, year, spokesperson) round-robin order of all its rows, cue or not. Strata per target of the pool as it
is drawn now: the United States gets its main-draw share of N, ``round(N * US_QUOTA / 679)`` rows (679 = the
first draw's size; 53 of 400); every other target an equal quota q, the largest integer with
``sum(min(q, available)) <= N - us``, and the rows still missing are given one at a time to the strata with
rows left, in alphabetical order (round after round). Rows get the split value ``test2``, are sorted by
(briefing, offset, target) and appended after the existing rows, which stay byte for byte as they were. They
are to be scored once, at the end.

Third hold-out "test3" (fifth draw, ``--test3 400``): by 2026-11-30 the test split had been read three times and
test2 once, and a method change was under way, to be judged on rows nobody had evaluated a method on. A fifth
draw with its own seed (``TEST3_SEED``), fixed by this rule and committed before any of its text was read, is
made exactly like test2: the pool restricted to test-split briefings (same hash rule), every sentence that
overlaps any row already in the CSV (train, dev, test and test2, any target) or a sentence of
stance_validation.csv excluded, no cue tilt, the United States at ``round(N * US_QUOTA / 679)`` rows and every
other target the equal quota q with the alphabetical top-up, as above. Rows get the split value ``test3``, are
sorted by (briefing, offset, target) and appended after the existing rows, which stay byte for byte as they were.
The draw prints strata counts only (no cue share). They are to be scored once, at the end.

Second train supplement (sixth draw, ``--train-supplement-2 1000``): a learning curve by grouped CV showed the
supervised model still gaining with more training briefings (out-of-fold Spearman 0.776 / 0.796 / 0.805 with 60 /
80 / 100 % of them), so more labelled train rows were drawn. A sixth draw with its own seed
(``TRAIN_SUPPLEMENT_2_SEED``), fixed by this rule and committed before any of its text was read, is made like the
first train supplement: the pool restricted to train- and dev-split briefings (same hash rule; never a test
briefing), the same strata, weights (US 3, every other target 1), quota rule (largest q, alphabetical top-up) and
two-cue-per-no-cue order; but it excludes every sentence that overlaps ANY row already in the CSV (train, dev,
test, test2, test3, any target: a sentence once read is not drawn again) or a sentence of stance_validation.csv.
Rows get their split by the hash rule (train or dev), are sorted by (split, briefing, offset, target) and are
appended after all existing rows (test2 and test3 included), which stay byte for byte as they were; the draw
refuses to append when any of its rows is already in the file, so a re-run cannot drop or reorder earlier rows.
The exclusion set is the ``ROWS_BEFORE_TRAIN_SUPPLEMENT_2`` (2,234) rows the file held when the draw was made, so
a re-run draws the same 1,000 rows again and appends nothing.

Third train supplement (seventh draw, ``--train-supplement-3 1000``): the learning curve after the sixth draw was
still rising (out-of-fold model Spearman 0.744 / 0.778 / 0.789 / 0.805 with 40 / 60 / 80 / 100 % of the training
briefings), so 1,000 more train rows. Made exactly like the sixth draw, with its own seed
(``TRAIN_SUPPLEMENT_3_SEED``), fixed by this rule and committed before any of its text was read; the exclusion set
is the ``ROWS_BEFORE_TRAIN_SUPPLEMENT_3`` (3,234) rows the file held when it was made (every earlier draw).

Fourth hold-out "test4" (eighth draw, ``--test4 400``): test, test2 and test3 had all been read for the model
that the third train supplement replaces, so a fresh hold-out gives the refitted model a first reading. Made
exactly like test3 (the test2 rule, no cue tilt) with its own seed (``TEST4_SEED``), excluding every sentence of
every row already in the file (the third train supplement included); fixed by this rule and committed before
any of its text was read.

Fourth train supplement (ninth draw, ``--train-supplement-4 1500``, 2026-11-30): the learning curve after the
seventh draw was still rising (out-of-fold model Spearman 0.807 / 0.827 / 0.835 / 0.842 with 40 / 60 / 80 /
100 % of the training briefings) and the ensemble only tied the model on the fresh test4, so 1,500 more train
rows. Made exactly like the sixth and seventh draws (US weight 3, two cue rows per no-cue row), with its own seed
(``TRAIN_SUPPLEMENT_4_SEED``); the exclusion set is the ``ROWS_BEFORE_TRAIN_SUPPLEMENT_4`` (4,634) rows the file
held when it was made (every earlier draw, test4 included).

Fifth hold-out "test5" (tenth draw, ``--test5 400``): every earlier hold-out was read for the model the fourth
train supplement replaces, so a fresh hold-out gives the refitted model a first reading. Made exactly like test3
and test4 (the test2 rule, no cue tilt) with its own seed (``TEST5_SEED``), excluding every sentence of every row
already in the file. Both draws were fixed by this rule and committed before any of their text was read. Every later draw
excludes exactly the rows the file held when it was made (:data:`LATER_TRAIN_SUPPLEMENTS`, :data:`LATER_HOLDOUTS`),
so re-running one draws the same rows and refuses to append them again (until 2026-11-30 a re-run hold-out excluded
the whole file, itself included, and would have appended other rows).
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "stance_gold_zh.csv"
VALIDATION = REPO / "tests" / "data" / "stance_validation.csv"
CORPUS = Path("mfa_fmprc_2016_2020") / "mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl"
COLUMNS = ["source_url", "offset", "length", "lang", "target", "label", "split", "note"]
SEED = 20261129
US_QUOTA, PENINSULA_QUOTA, SHORT_FORM_QUOTA, QUOTA = 90, 30, 20, 22
SUPPLEMENT_SEED = 20261130
SUPPLEMENT_QUOTAS = {"us": 18, "peninsula": 7, "short_form": 5, "other": 6}
TRAIN_SUPPLEMENT_SEED = 20261201
TRAIN_SUPPLEMENT_WEIGHTS = {"United States": 3}  # every other target: weight 1
TEST2_SEED = 20261202
TEST3_SEED = 20261203
TRAIN_SUPPLEMENT_2_SEED = 20261205
ROWS_BEFORE_TRAIN_SUPPLEMENT_2 = 2234  # 834 + 600 + test2 400 + test3 400: the rows the sixth draw excludes
TRAIN_SUPPLEMENT_3_SEED = 20261207
TEST4_SEED = 20261208
ROWS_BEFORE_TRAIN_SUPPLEMENT_3 = 3234  # + the second train supplement (1,000): the rows the seventh draw excludes
TRAIN_SUPPLEMENT_4_SEED = 20261209
ROWS_BEFORE_TRAIN_SUPPLEMENT_4 = 4634  # + the third train supplement (1,000) and test4 (400)
TEST5_SEED = 20261210
FIRST_DRAW_SIZE = 679  # rows of the first draw, whose US share (US_QUOTA / 679) test2 keeps
SHORT_FORMS = [("Pakistan", "巴方")]  # added to the gazetteer for sampling only (see the docstring)


def split_of(source_url: str, forced_train: set[str]) -> str:
    """train / dev / test of a briefing by the hash rule (validation-set briefings forced to train)."""
    if source_url in forced_train:
        return "train"
    h = int(hashlib.sha256(source_url.encode()).hexdigest(), 16) % 10
    return "train" if h <= 5 else "dev" if h <= 7 else "test"


def sentence_offsets(sentences: pd.DataFrame, texts: dict[str, str]) -> pd.DataFrame:
    """``offset, length`` of each sentence in its record's text (searched in order; -1 when not found)."""
    offsets = np.full(len(sentences), -1)
    cursor: dict[str, int] = {}
    for i, (url, text) in enumerate(zip(sentences["url"], sentences["text"])):
        body = texts[url]
        at = body.find(text, cursor.get(url, 0))
        if at < 0:
            at = body.find(text)
        if at >= 0:
            offsets[i] = at
            cursor[url] = at + len(text)
    return sentences.assign(offset=offsets, length=sentences["text"].str.len())


def pool(corpora: Path) -> pd.DataFrame:
    """Scored (sentence, target) rows of the spokesperson sentences, with offsets, strata and exclusions."""
    import toolkit

    path = corpora / CORPUS
    with open(path, encoding="utf-8") as handle:
        texts = {r["source_url"]: r["text"] for r in map(json.loads, handle)}
    sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(path)))
    sentences = sentence_offsets(sentences.sort_values(["doc_id", "turn_id", "sent_id"]), texts)
    spoken = sentences[(sentences["role"] != "question") & (sentences["offset"] >= 0)].reset_index(drop=True)
    targets = toolkit.load_targets()
    extra = pd.DataFrame([{"target": t, "alias": a, "language": "zh", "note": "sampling short form"}
                          for t, a in SHORT_FORMS])
    scored = toolkit.score_stance(spoken, targets=pd.concat([targets, extra], ignore_index=True))
    packaged = toolkit.score_stance(spoken)[["doc_id", "turn_id", "sent_id", "target"]].assign(packaged=True)
    scored = scored.merge(packaged, on=["doc_id", "turn_id", "sent_id", "target"], how="left")
    scored["stratum"] = np.where(scored["packaged"].fillna(False).astype(bool), scored["target"],
                                 scored["target"] + " (short form)")
    scored["cue"] = (scored["n_hostile"] + scored["n_critical"] + scored["n_cooperative"]) > 0
    scored["year"] = scored["date"].dt.year
    return scored[~_in_validation(scored)].rename(columns={"url": "source_url"}).reset_index(drop=True)


def _in_validation(scored: pd.DataFrame) -> pd.Series:
    """Rows whose sentence overlaps a sentence of tests/data/stance_validation.csv."""
    old = pd.read_csv(VALIDATION)
    spans = {}
    for url, start, length in zip(old["source_url"], old["offset"], old["length"]):
        spans.setdefault(url, []).append((start, start + length))
    return pd.Series([any(a < s + n and s < b for a, b in spans.get(u, []))
                      for u, s, n in zip(scored["url"], scored["offset"], scored["length"])], index=scored.index)


def round_robin(rows: pd.DataFrame, rng: np.random.Generator) -> list[int]:
    """Row indexes in round-robin order over (kind, year, spokesperson) groups, groups and rows shuffled."""
    groups = [list(rng.permutation(g.index.to_numpy())) for _, g in rows.groupby(["kind", "year", "spokesperson"])]
    groups = [groups[i] for i in rng.permutation(len(groups))]
    order = []
    while any(groups):
        for g in groups:
            if g:
                order.append(int(g.pop()))
    return order


FIRST_QUOTAS = {"us": US_QUOTA, "peninsula": PENINSULA_QUOTA, "short_form": SHORT_FORM_QUOTA, "other": QUOTA}


def quota(stratum: str, quotas: dict[str, int] = FIRST_QUOTAS) -> int:
    kind = {"United States": "us", "Korean Peninsula": "peninsula"}.get(
        stratum, "short_form" if stratum.endswith("(short form)") else "other")
    return quotas[kind]


def draw(rows: pd.DataFrame, *, seed: int = SEED, quotas: dict[str, int] = FIRST_QUOTAS) -> pd.DataFrame:
    """The stratified sample (see the module docstring)."""
    rng = np.random.default_rng(seed)
    chosen = []
    for stratum, part in rows.groupby("stratum", sort=True):
        cue, plain = (round_robin(part[part["cue"] == flag], rng) for flag in (True, False))
        order = [i for pair in zip(cue, plain) for i in pair] + cue[len(plain):] + plain[len(cue):]
        chosen += order[:quota(stratum, quotas)]
    return rows.loc[chosen]


def with_split(rows: pd.DataFrame, forced: set[str]) -> pd.DataFrame:
    """``lang, label, note, split`` added (labels empty), sorted by split, briefing, offset and target."""
    rows = rows.assign(lang="zh", label="", note="", split=[split_of(u, forced) for u in rows["source_url"]])
    order = {"train": 0, "dev": 1, "test": 2}
    return rows.sort_values(["split", "source_url", "offset", "target"],
                            key=lambda c: c.map(order) if c.name == "split" else c)


def supplement(rows: pd.DataFrame, first: pd.DataFrame, forced: set[str]) -> pd.DataFrame:
    """The test supplement: a second stratified draw from the test-split rows that the first draw left."""
    drawn = set(zip(first["source_url"], first["offset"], first["target"]))
    keys = zip(rows["source_url"], rows["offset"], rows["target"])
    left = [k not in drawn and split_of(k[0], forced) == "test" for k in keys]
    return draw(rows[left], seed=SUPPLEMENT_SEED, quotas=SUPPLEMENT_QUOTAS)


def train_quotas(available: pd.Series, n: int) -> dict[str, int]:
    """Rows per stratum for the train supplement: ``weight * q`` capped at what is available, topped up to n."""
    weights = {s: TRAIN_SUPPLEMENT_WEIGHTS.get(s, 1) for s in available.index}
    q = 0
    while sum(min(weights[s] * (q + 1), available[s]) for s in available.index) <= n and q < available.max():
        q += 1
    quotas = {s: int(min(weights[s] * q, available[s])) for s in available.index}
    while sum(quotas.values()) < min(n, available.sum()):
        for s in sorted(available.index):
            if quotas[s] < available[s] and sum(quotas.values()) < n:
                quotas[s] += 1
    return quotas


def train_supplement(rows: pd.DataFrame, existing: pd.DataFrame, forced: set[str], n: int, *,
                     seed: int = TRAIN_SUPPLEMENT_SEED, any_target: bool = False) -> pd.DataFrame:
    """A train supplement: n rows from train/dev briefings, every row already in the CSV excluded (the same
    target and an overlapping sentence; with ``any_target`` any overlapping sentence, whatever its target)."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for url, start, length, target in zip(existing["source_url"], existing["offset"], existing["length"],
                                          existing["target"]):
        spans.setdefault((url, "" if any_target else target), []).append((int(start), int(start) + int(length)))
    keep = [split_of(u, forced) != "test"
            and not any(a < s + m and s < b for a, b in spans.get((u, "" if any_target else t), []))
            for u, s, m, t in zip(rows["source_url"], rows["offset"], rows["length"], rows["target"])]
    rows = rows[keep]
    quotas = train_quotas(rows["stratum"].value_counts().sort_index(), n)
    rng = np.random.default_rng(seed)
    chosen = []
    for stratum, part in rows.groupby("stratum", sort=True):
        cue, plain = (round_robin(part[part["cue"] == flag], rng) for flag in (True, False))
        order, c, p = [], 0, 0
        while c < len(cue) or p < len(plain):
            take = cue[c:c + 2] if c < len(cue) else []
            c += len(take)
            order += take
            if p < len(plain):
                order.append(plain[p])
                p += 1
        chosen += order[:quotas[stratum]]
    return rows.loc[chosen]


def test2_quotas(available: pd.Series, n: int) -> dict[str, int]:
    """Rows per stratum for test2: the US at its first-draw share of n, every other target an equal quota."""
    us = min(round(n * US_QUOTA / FIRST_DRAW_SIZE), int(available.get("United States", 0)))
    others = available.drop("United States", errors="ignore")
    quotas = {s: int(q) for s, q in train_quotas(others, n - us).items()}
    return quotas | ({"United States": us} if "United States" in available.index else {})


def holdout(rows: pd.DataFrame, existing: pd.DataFrame, forced: set[str], n: int, *, seed: int = TEST2_SEED,
            split: str = "test2") -> pd.DataFrame:
    """A fresh hold-out (test2, test3): n test-split rows, no sentence of any earlier row, no cue tilt."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for url, start, length in zip(existing["source_url"], existing["offset"], existing["length"]):
        spans.setdefault(url, []).append((int(start), int(start) + int(length)))
    keep = [split_of(u, forced) == "test" and not any(a < s + m and s < b for a, b in spans.get(u, []))
            for u, s, m in zip(rows["source_url"], rows["offset"], rows["length"])]
    rows = rows[keep]
    quotas = test2_quotas(rows["stratum"].value_counts().sort_index(), n)
    rng = np.random.default_rng(seed)
    chosen = []
    for stratum, part in rows.groupby("stratum", sort=True):
        chosen += round_robin(part, rng)[:quotas[stratum]]
    return rows.loc[chosen].assign(lang="zh", label="", note="", split=split).sort_values(
        ["source_url", "offset", "target"])


def describe(sample: pd.DataFrame, name: str, *, cue: bool = True) -> None:
    """Print the strata counts of a draw (no per-row cue, so that the labeller never sees one; with ``cue=False``
    not even the cue share)."""
    print(f"{name}: {len(sample)} rows; by split:", sample["split"].value_counts().to_dict())
    print("by stratum:", sample["stratum"].value_counts().to_dict())
    if cue:
        print("cue share:", round(sample["cue"].mean(), 3))
    print("by kind:", sample["kind"].value_counts().to_dict())
    print("by year:", sample["year"].value_counts().sort_index().to_dict())
    print("by spokesperson:", sample["spokesperson"].value_counts().to_dict())


def append_supplement(extra: pd.DataFrame) -> None:
    """Append a supplement's rows to the existing CSV; refuse when any of them is already there."""
    old = pd.read_csv(OUT, dtype={"label": str}, keep_default_na=False)
    present = set(zip(old["source_url"], old["offset"], old["target"]))
    if any(k in present for k in zip(extra["source_url"], extra["offset"], extra["target"])):
        sys.exit(f"{OUT} already holds rows of this draw; nothing appended")
    with open(OUT, "a", encoding="utf-8", newline="") as handle:
        extra[COLUMNS].to_csv(handle, index=False, header=False)
    print(f"appended {len(extra)} rows to {OUT}")


LATER_TRAIN_SUPPLEMENTS = {  # option: (seed, rows of the file it excludes), the sixth draw on
    "train-supplement-4": (TRAIN_SUPPLEMENT_4_SEED, ROWS_BEFORE_TRAIN_SUPPLEMENT_4),
    "train-supplement-3": (TRAIN_SUPPLEMENT_3_SEED, ROWS_BEFORE_TRAIN_SUPPLEMENT_3),
    "train-supplement-2": (TRAIN_SUPPLEMENT_2_SEED, ROWS_BEFORE_TRAIN_SUPPLEMENT_2),
}
LATER_HOLDOUTS = {  # split: (seed, rows of the file it excludes), so that a re-run draws the same rows and refuses
    "test5": (TEST5_SEED, ROWS_BEFORE_TRAIN_SUPPLEMENT_4 + 1500),
    "test4": (TEST4_SEED, ROWS_BEFORE_TRAIN_SUPPLEMENT_3 + 1000),
    "test3": (TEST3_SEED, ROWS_BEFORE_TRAIN_SUPPLEMENT_2 - 400),
}


def main(write: bool = False, append: bool = False, train_n: int = 0, test2_n: int = 0,
         later: dict[str, int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Print (and with the flags, write or append) a draw; ``later`` maps an option of
    :data:`LATER_TRAIN_SUPPLEMENTS` or a split of :data:`LATER_HOLDOUTS` to its number of rows."""
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    rows = pool(corpora)
    forced = set(pd.read_csv(VALIDATION)["source_url"])
    later = later or {}
    for option, (seed, rows_before) in LATER_TRAIN_SUPPLEMENTS.items():
        if later.get(option):
            before = pd.read_csv(OUT).iloc[:rows_before]
            extra = with_split(train_supplement(rows, before, forced, later[option], seed=seed, any_target=True),
                               forced)
            describe(extra, option.replace("-", " "), cue=False)
            append_supplement(extra)
            return extra, extra
    for split, (seed, rows_before) in LATER_HOLDOUTS.items():
        n_rows = later.get(split)
        if n_rows:
            extra = holdout(rows, pd.read_csv(OUT).iloc[:rows_before], forced, n_rows, seed=seed, split=split)
            describe(extra, split, cue=False)
            append_supplement(extra)
            return extra, extra
    if test2_n:
        extra = holdout(rows, pd.read_csv(OUT), forced, test2_n)
        describe(extra, "test2")
        append_supplement(extra)
        return extra, extra
    if train_n:
        extra = with_split(train_supplement(rows, pd.read_csv(OUT), forced, train_n), forced)
        describe(extra, "train supplement")
        append_supplement(extra)
        return extra, extra
    first = draw(rows)
    extra = with_split(supplement(rows, first, forced), forced)
    first = with_split(first, forced)
    describe(first, "first draw")
    describe(extra, "test supplement")
    if write:
        first[COLUMNS].to_csv(OUT, index=False)
        print(f"wrote {OUT}")
    if append:
        append_supplement(extra)
    return first, extra


if __name__ == "__main__":
    args = sys.argv[1:]
    n = int(args[args.index("--train-supplement") + 1]) if "--train-supplement" in args else 0
    n2 = int(args[args.index("--test2") + 1]) if "--test2" in args else 0
    later = {name: int(args[args.index(f"--{name}") + 1])
             for name in [*LATER_TRAIN_SUPPLEMENTS, *LATER_HOLDOUTS] if f"--{name}" in args}
    main(write="--write" in args, append="--append-supplement" in args, train_n=n, test2_n=n2, later=later)
