"""Re-label agreement of the English stance gold set (issue 10): a blind second pass on a 15 % sample.

Usage:
  .venv/bin/python bench/stance_gold_agreement.py --draw PATH   # write the sample to re-label (no labels shown)
  .venv/bin/python bench/stance_gold_agreement.py               # agreement of tests/data/stance_gold_en_relabel.csv

The sample is 15 % of the usable rows of ``tests/data/stance_gold_en.csv`` (empty ``label`` = unusable), drawn
with a fixed seed and shuffled, so the second pass sees the rows in a different order than the first and never
sees the first labels or notes. The second labels are stored in ``tests/data/stance_gold_en_relabel.csv``
(``source_url, offset, length, target, label``). Reported: Spearman ρ of the two passes on -2..+2, Cohen's κ on
the five labels, quadratic-weighted κ, and κ on three classes (sign).
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "stance_gold_en.csv"
RELABEL = REPO / "tests" / "data" / "stance_gold_en_relabel.csv"
KEYS = ["source_url", "offset", "length", "target"]
SEED = 15
SHARE = 0.15


def draw() -> pd.DataFrame:
    gold = pd.read_csv(GOLD, dtype={"label": str}, keep_default_na=False)
    usable = gold[gold["label"] != ""]
    sample = usable.sample(n=round(SHARE * len(usable)), random_state=SEED)
    return sample[KEYS].assign(label="")


def agreement(first: pd.Series, second: pd.Series) -> dict:
    from scipy.stats import spearmanr
    from sklearn.metrics import cohen_kappa_score

    a, b = first.astype(int).to_numpy(), second.astype(int).to_numpy()
    return {"n": len(a), "spearman": float(spearmanr(a, b).statistic), "exact": float(np.mean(a == b)),
            "kappa": float(cohen_kappa_score(a, b)),
            "kappa_quadratic": float(cohen_kappa_score(a, b, weights="quadratic")),
            "kappa_3class": float(cohen_kappa_score(np.sign(a), np.sign(b)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", type=Path, default=None, help="write the rows to re-label here and stop")
    args = parser.parse_args()
    if args.draw is not None:
        draw().to_csv(args.draw, index=False)
        return
    gold = pd.read_csv(GOLD, dtype={"label": str}, keep_default_na=False)
    second = pd.read_csv(RELABEL, dtype={"label": str}, keep_default_na=False)
    both = second.merge(gold, on=KEYS, suffixes=("_second", "_first"), validate="one_to_one")
    both = both[(both["label_first"] != "") & (both["label_second"] != "")]
    result = agreement(both["label_first"], both["label_second"])
    print(" | ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()))
    print(pd.crosstab(both["label_first"].astype(int), both["label_second"].astype(int),
                      rownames=["first"], colnames=["second"]).to_string())


if __name__ == "__main__":
    main()
