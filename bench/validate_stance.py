"""Validate the stance methods against hand labels: the gold set per language and split, and the project set.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/validate_stance.py [--gold-dir DIR] [--final]
       [--quick] [--paired]

Prints a markdown table: Spearman rank correlation with the -2..+2 labels, 3-class macro-F1 and n, per method,
language and split. Without ``--final`` only the train and dev splits are read (for tuning and choosing); every
other split of the gold files (the test split, the later "test2" hold-out) is read with ``--final`` only, once,
for the reported figures, and reported as its own column; so is the outside English check set (``outside``).
``--quick`` skips LSS. ``--final --paired`` prints instead the ensemble against the two methods it combines (the
model and the lexicon) on all held-out rows of a language pooled (every split but train and dev, the outside sets
included), with the ensemble's gain and its 95 % interval over 1,000 resamples of the briefings
(:func:`paired_gains`).

Labelled sets:

- the gold set, ``tests/data/stance_gold_en.csv`` and ``stance_gold_zh.csv`` (``--gold-dir`` or the
  ``STANCE_GOLD_DIR`` environment variable to read them elsewhere): spokesperson sentences of the MFA corpora,
  labelled by the codebook ``bench/stance_codebook.md``, split by briefing into train / dev / test. The
  supervised model (and so the ensemble) is fitted on train + dev + the project set
  (``bench/train_stance_model.py``), its settings and the ensemble weight chosen by grouped cross-validation
  (``bench/cv_stance.py``); its train, dev and project rows are therefore in-sample figures.
- the outside check set, ``tests/data/stance_outside_en.csv`` (``--final`` only): 300 English (sentence,
  target) rows from CMFA PressCon dyads on Ukraine dated outside the MFA English corpus, drawn by
  ``bench/sample_stance_outside.py`` and labelled by the codebook before any method met them; and the second
  outside set (split ``outside2``, 300 more such rows, no sentence of the first) and the third (``outside3``, 300
  rows of the same briefing dates, no sentence of the first two) and the fourth (``outside4``) appended to the same
  file; since 2026-11-30 only the rows on the "held" half of these briefing dates (the rows on retired dates are
  training rows now; ``bench/sample_stance_outside.py``).
- the project set, ``tests/data/stance_validation.csv``: 218 sentences (169 English, 49 Chinese) labelled
  before the lexicon existed, but the lexicon was partly tuned on it; reported as a separate column
  ("project").

The LSS model is fitted on all spokesperson sentences of both MFA corpora (``random_state=0``); "supervised" is
the older :func:`toolkit.stance.fit_stance_classifier` (character n-grams, logistic regression), trained on the
train split here. Texts stay in the corpora; the CSVs reference them by character offset.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import pandas as pd
from sample_stance_outside import SPLIT as OUTSIDE_SPLIT
from sample_stance_outside import SPLIT2 as OUTSIDE2_SPLIT
from sample_stance_outside import SPLIT3 as OUTSIDE3_SPLIT
from sample_stance_outside import SPLIT4 as OUTSIDE4_SPLIT
from sample_stance_outside import read_outside
from train_stance_model import (
    FIT_SPLITS,
    LANGS,
    corpus_files,
    gold_dir,
    gold_file,
    read_gold,
)

from toolkit.stance import (
    fit_polarity,
    fit_stance_classifier,
    read_referenced_annotations,
    score_labelled,
    validate,
)
from toolkit.stance._shared import agreement

REPO = Path(__file__).resolve().parents[1]
PROJECT_SET = REPO / "tests" / "data" / "stance_validation.csv"
METHODS = ("ensemble", "lexicon", "model", "keywords", "vader", "lss", "supervised")
PAIRED_METHODS = ("ensemble", "model", "lexicon")  # --paired: the ensemble first, then the methods it combines
PAIRED_RESAMPLES = 1000


def lss_sentences(corpora: Path) -> pd.DataFrame:
    """Unlabelled spokesperson sentences of both MFA corpora (English and Chinese) for fit_polarity()."""
    import toolkit

    parts = []
    for path in corpus_files(corpora):
        sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(path)))
        part = sentences.loc[sentences["role"] != "question", ["doc_id", "text"]]
        part.attrs = {}  # the load report in attrs is not needed (and pandas compares attrs on concat)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def supervised_rows(train: pd.DataFrame, part: pd.DataFrame) -> dict:
    """The older classifier trained on the train split, scored on ``part``."""
    model = fit_stance_classifier(train, random_state=0)
    probabilities = model.pipeline_.predict_proba(part["text"].tolist())
    scores = probabilities[:, 2] - probabilities[:, 0]
    return agreement(part["label"], scores, np.array([-1, 0, 1])[probabilities.argmax(axis=1)])


def evaluate_all(gold: pd.DataFrame, project: pd.DataFrame, *, lss, methods) -> pd.DataFrame:
    rows = []
    scored_methods = tuple(m for m in methods if m != "supervised")
    for (lang, split), part in gold.groupby(["lang", "split"], sort=False):
        table = validate(part, methods=scored_methods, lss=lss)
        rows += [{**r, "lang": lang, "split": split} for r in table.to_dict("records")]
        if "supervised" in methods:
            train = gold[(gold["split"] == "train") & (gold["lang"] == lang)]
            rows.append({"method": "supervised", **supervised_rows(train, part), "lang": lang, "split": split})
    for lang, part in project.groupby("lang"):
        table = validate(part, methods=scored_methods, lss=lss)
        rows += [{**r, "lang": lang, "split": "project"} for r in table.to_dict("records")]
    return pd.DataFrame(rows)


def paired_gains(held_out: pd.DataFrame, *, resamples: int = PAIRED_RESAMPLES, seed: int = 0) -> pd.DataFrame:
    """The ensemble against each method it combines on all held-out rows of a language pooled, each row scored by
    :func:`toolkit.stance.score_labelled`, with a bootstrap over briefings (a gold row's ``source_url``, an outside
    row's dyad date): :func:`gains` per language, with a ``lang`` column first."""
    tables = []
    for lang, part in held_out.groupby("lang", sort=True):
        part = part.reset_index(drop=True)
        briefing = part["source_url"].fillna("cmfa:" + part["date"].dt.strftime("%Y-%m-%d")).to_numpy()
        scores = {method: score_labelled(part, method=method)["score"].to_numpy() for method in PAIRED_METHODS}
        table = gains(part["label"].to_numpy(int), briefing, scores, resamples=resamples, seed=seed)
        tables.append(table.assign(lang=lang)[["lang", *table.columns]])
    return pd.concat(tables, ignore_index=True)


def gains(labels: np.ndarray, briefing: np.ndarray, scores: dict[str, np.ndarray], *, resamples: int,
          seed: int = 0) -> pd.DataFrame:
    """Spearman of each score with the labels and the first score's gain over each, with a bootstrap over briefings.

    Parameters
    ----------
    labels, briefing : arrays
        Per row: the hand label and the briefing it belongs to (the unit resampled).
    scores : dict
        Method name to per-row scores; the first is the one whose gains are reported (the ensemble).
    resamples, seed : int
        Resamples of the briefings with replacement, ``numpy.random.default_rng(seed)``.

    Returns
    -------
    DataFrame
        One row per method: ``method, n, briefings, rho`` (Spearman on all rows), ``gain`` (the first method's ρ
        minus this one's), ``gain_low, gain_high`` (2.5 and 97.5 percentiles of the gain over the resamples),
        ``share_positive`` (share of resamples in which the first method is ahead).
    """
    from scipy.stats import spearmanr

    rng = np.random.default_rng(seed)
    names = list(scores)
    members = pd.Series(np.arange(len(labels))).groupby(briefing).agg(list).tolist()
    draws = np.zeros((resamples, len(names)))
    for i in range(resamples):
        pick = np.concatenate([members[j] for j in rng.integers(len(members), size=len(members))])
        draws[i] = [spearmanr(labels[pick], scores[name][pick]).statistic for name in names]
    rho = {name: spearmanr(labels, scores[name]).statistic for name in names}
    records = []
    for k, name in enumerate(names):
        spread = draws[:, 0] - draws[:, k]
        records.append({"method": name, "n": len(labels), "briefings": len(members), "rho": rho[name],
                        "gain": rho[names[0]] - rho[name], "gain_low": np.percentile(spread, 2.5),
                        "gain_high": np.percentile(spread, 97.5), "share_positive": (spread > 0).mean()})
    return pd.DataFrame(records)


def held_out_splits(folder: Path) -> list[str]:
    """Every split of the gold files besides train and dev (test, test2, ...), read with ``--final`` only; only the
    ``split`` column is read here."""
    found = set()
    for lang in LANGS:
        found |= set(pd.read_csv(gold_file(lang, folder), usecols=["split"])["split"].dropna())
    return sorted(found - set(FIT_SPLITS))


def splits_read(folder: Path, *, final: bool) -> list[str]:
    """train and dev, and with ``final`` every held-out split after them."""
    return [*FIT_SPLITS, *(held_out_splits(folder) if final else [])]


def markdown(table: pd.DataFrame, splits: list[str]) -> str:
    """One row per method and language; Spearman / macro-F1 (n) per split."""
    head = "| method | lang | " + " | ".join(f"{s}: Spearman | {s}: macro-F1" for s in splits) + " |"
    lines = [head, "|---" * (2 + 2 * len(splits)) + "|"]
    for lang in ("en", "zh"):
        for method in METHODS:
            cells = []
            for split in splits:
                row = table[(table["method"] == method) & (table["lang"] == lang) & (table["split"] == split)]
                cells += ["–", "–"] if row.empty else [f"{row['spearman'].iloc[0]:.3f}",
                                                       f"{row['macro_f1'].iloc[0]:.3f}"]
            if set(cells) != {"–"}:
                lines.append(f"| {method} | {lang} | " + " | ".join(cells) + " |")
    counts = table.drop_duplicates(["lang", "split"]).set_index(["lang", "split"])["n"]
    lines.append("")
    lines.append("n: " + ", ".join(f"{lang} {split} {n}" for (lang, split), n in counts.items()))
    return "\n".join(lines)


def main() -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold-dir")
    parser.add_argument("--final", action="store_true",
                        help="also read and evaluate the held-out splits, test and test2, and the outside set (once)")
    parser.add_argument("--quick", action="store_true", help="skip LSS")
    parser.add_argument("--paired", action="store_true",
                        help="with --final: only the ensemble against the model and the lexicon on all held-out rows "
                             "pooled, with a bootstrap over briefings")
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    folder = gold_dir(args.gold_dir)
    splits = splits_read(folder, final=args.final)
    gold = read_gold(tuple(splits), corpora=corpora, folder=folder)
    if args.final:
        outside = read_outside(corpora)
        gold = pd.concat([gold, outside], ignore_index=True)
        splits += [split for split in (OUTSIDE_SPLIT, OUTSIDE2_SPLIT, OUTSIDE3_SPLIT, OUTSIDE4_SPLIT)
                   if split in set(outside["split"])]
    if args.final and args.paired:
        table = paired_gains(gold[~gold["split"].isin(FIT_SPLITS)])
        print(table.round(3).to_string(index=False))
        return table
    project = read_referenced_annotations(PROJECT_SET, sources=corpus_files(corpora))
    methods = tuple(m for m in METHODS if not (args.quick and m == "lss"))
    lss = None if args.quick else fit_polarity(lss_sentences(corpora), random_state=0)
    table = evaluate_all(gold, project, lss=lss, methods=methods)
    print(markdown(table, [*splits, "project"]))
    return table


if __name__ == "__main__":
    main()
