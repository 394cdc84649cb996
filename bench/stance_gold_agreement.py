"""Inter-annotator agreement of the stance gold sets (issue 10): a second annotator's blind re-label of 15 %.

Usage:
  .venv/bin/python bench/stance_gold_agreement.py --lang en --draw PATH   # the rows to re-label, no labels shown
  .venv/bin/python bench/stance_gold_agreement.py --lang en               # agreement with the first labels
  .venv/bin/python bench/stance_gold_agreement.py --lang zh [--gold PATH] # the same for the Chinese gold set
  .venv/bin/python bench/stance_gold_agreement.py --outside [--draw PATH] # the outside set (CMFA answers)

The sample is a seeded 15 % of the usable rows (non-empty ``label``) of the main draw of
``tests/data/stance_gold_{lang}.csv``, i.e. its first ``MAIN_DRAW[lang]`` rows (the test supplements appended
after them are not sampled). ``--draw`` writes only ``source_url, offset, length, target``, shuffled, so the
second annotator never sees the first labels or notes: the second annotator, not the first labeller, read each
sentence with its previous sentence and the target, and labelled it from ``bench/stance_codebook.md`` (Chinese:
its Chinese section). The second labels are stored in ``tests/data/stance_gold_{lang}_relabel.csv``
(``source_url, offset, length, target, label``).

Reported: n, Spearman ρ of the two annotators on -2..+2, exact agreement, Cohen's κ on the five labels,
quadratic-weighted κ, κ on three classes (sign), the confusion table and the most frequent disagreements
(first label → second label).

``--outside``: the same for the outside set ``tests/data/stance_outside_en.csv`` (rows keyed by ``dyad_id``): a
seeded sample of :data:`OUTSIDE_SAMPLE` of its usable rows (seed :data:`OUTSIDE_SEED`, drawn after its first
labels, shown to the second annotator as keys only, with the question and answer from the CMFA JSONL), the
second labels in ``tests/data/stance_outside_en_relabel.csv``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
KEYS = ["source_url", "offset", "length", "target"]
SEED = 15
SHARE = 0.15
MAIN_DRAW = {"en": 1080, "zh": 679}
OUTSIDE_KEYS = ["dyad_id", "offset", "length", "target"]
OUTSIDE_SAMPLE = 60  # 20 % of the usable outside rows
OUTSIDE_SEED = 20261206


def read_gold(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"label": str, "note": str}, keep_default_na=False)


def draw(gold: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The seeded 15 % of the main draw's usable rows, shuffled, keys only."""
    main = gold.iloc[:MAIN_DRAW[lang]]
    usable = main[main["label"] != ""]
    sample = usable.sample(n=round(SHARE * len(usable)), random_state=SEED)
    return sample[KEYS].assign(label="")


def outside_draw(outside: pd.DataFrame) -> pd.DataFrame:
    """The seeded sample of the first outside set's usable rows (split ``outside``; ``outside2`` came later), keys
    only, in file order."""
    usable = outside[(outside["split"] == "outside") & (outside["label"].str.strip() != "")]
    sample = usable.sample(n=OUTSIDE_SAMPLE, random_state=OUTSIDE_SEED).sort_values(["dyad_id", "offset", "target"])
    return sample[OUTSIDE_KEYS].assign(lang="en")


def agreement(first: pd.Series, second: pd.Series) -> dict:
    from scipy.stats import spearmanr
    from sklearn.metrics import cohen_kappa_score

    a, b = first.astype(int).to_numpy(), second.astype(int).to_numpy()
    return {"n": len(a), "spearman": float(spearmanr(a, b).statistic), "exact": float(np.mean(a == b)),
            "kappa": float(cohen_kappa_score(a, b)),
            "kappa_quadratic": float(cohen_kappa_score(a, b, weights="quadratic")),
            "kappa_3class": float(cohen_kappa_score(np.sign(a), np.sign(b)))}


def paired(gold: pd.DataFrame, second: pd.DataFrame, keys: list[str] = KEYS) -> pd.DataFrame:
    """Rows labelled by both annotators: ``label_first``, ``label_second`` as integers."""
    both = second[keys + ["label"]].merge(gold[keys + ["label"]], on=keys, suffixes=("_second", "_first"),
                                          validate="one_to_one")
    both = both[(both["label_first"] != "") & (both["label_second"] != "")]
    return both.assign(label_first=both["label_first"].astype(int), label_second=both["label_second"].astype(int))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=sorted(MAIN_DRAW), default="en")
    parser.add_argument("--gold", type=Path, default=None, help="first labels (default tests/data/stance_gold_LANG.csv)")
    parser.add_argument("--draw", type=Path, default=None, help="write the rows to re-label here and stop")
    parser.add_argument("--outside", action="store_true", help="the outside set instead of a gold set")
    args = parser.parse_args()
    name = "stance_outside_en" if args.outside else f"stance_gold_{args.lang}"
    gold = read_gold(args.gold or DATA / f"{name}.csv")
    if args.draw is not None:
        (outside_draw(gold) if args.outside else draw(gold, args.lang)).to_csv(args.draw, index=False)
        return
    both = paired(gold, read_gold(DATA / f"{name}_relabel.csv"), OUTSIDE_KEYS if args.outside else KEYS)
    result = agreement(both["label_first"], both["label_second"])
    print(" | ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items()))
    print(pd.crosstab(both["label_first"], both["label_second"], rownames=["first"], colnames=["second"]).to_string())
    differ = both[both["label_first"] != both["label_second"]]
    pairs = (differ["label_first"].astype(str) + " -> " + differ["label_second"].astype(str)).value_counts()
    print("disagreements (first -> second):", pairs.to_dict())


if __name__ == "__main__":
    main()
