"""Precision and recall of the bilingual alignment against the hand checks in tests/data/alignment_checks.csv.

The checks were made by reading both versions (no corpus text stored: briefings by URL, dyads by ``dyad_id`` as
:func:`toolkit.pair_dyads` numbers them, ``a-b`` for a 2-1 / 1-2 step):

- ``briefing``: a seeded sample (``random_state=0``) of 30 paired briefings, each judged correct or wrong (drawn
  from the 497 pairs of the first version, before undated English pages were paired too; a checked pair the
  current pairing no longer produces counts as wrong);
- ``dyad``: a seeded sample (``random_state=0``) of 100 matched steps, each judged correct or wrong (a checked
  step the current alignment no longer produces counts as wrong: its new pairing is unchecked);
- ``true_pair``: in the 30 checked briefings, every English dyad and the Chinese dyad(s) holding its
  counterpart, found by reading both transcripts (recall: how many of them the alignment matched).

Also reported: the share of English regular press conferences with a same-date Chinese transcript that are
paired. Run: ``TOOLKIT_CORPORA=/work/shared/corpora python bench/validate_alignment.py``.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import toolkit

CHECKS = Path(__file__).resolve().parents[1] / "tests" / "data" / "alignment_checks.csv"


def _span(value) -> tuple[int, int]:
    first, _, last = str(value).partition("-")
    return int(first), int(last or first)


def _label(first: int, n: int) -> str:
    """A step's dyads as the checks write them: ``5``, or ``5-6`` for two."""
    return f"{first}-{first + n - 1}" if n > 1 else f"{first}"


def alignment_metrics(pairs: pd.DataFrame, aligned: pd.DataFrame, briefings: dict, checks: pd.DataFrame) -> dict:
    """Paired share, briefing precision, dyad precision and recall of ``aligned`` against ``checks``."""
    url = {lang: frame.set_index("doc_id")["url"] for lang, frame in briefings.items()}
    en, zh = briefings["en"], briefings["zh"]
    regular = en[en["kind"] == "regular_press_conference"]
    has_zh = regular[regular["date"].isin(zh.loc[zh["kind"] == "regular_press_conference", "date"])]
    paired = pairs[pairs["status"] == "paired"]
    steps = aligned[aligned["status"] == "matched"].assign(
        en_url=lambda t: t["en_doc_id"].map(url["en"]), zh_url=lambda t: t["zh_doc_id"].map(url["zh"]))
    found = {(r.en_url, r.zh_url, e, z) for r in steps.itertuples(index=False)
             for e in range(r.en_dyad_id, r.en_dyad_id + r.n_en_dyads)
             for z in range(r.zh_dyad_id, r.zh_dyad_id + r.n_zh_dyads)}
    judged = checks[checks["check"] == "dyad"]
    spans = {(r.en_url, r.zh_url, _label(r.en_dyad_id, r.n_en_dyads), _label(r.zh_dyad_id, r.n_zh_dyads))
             for r in steps.itertuples(index=False)}
    still = np.array([(r.en_url, r.zh_url, r.en_dyad_id, r.zh_dyad_id) in spans for r in judged.itertuples(index=False)],
                     dtype=bool)
    truth = checks[checks["check"] == "true_pair"]
    hit = [any((r.en_url, r.zh_url, int(r.en_dyad_id), z) in found for z in range(*_inclusive(r.zh_dyad_id)))
           for r in truth.itertuples(index=False)]
    briefing_checks = checks[checks["check"] == "briefing"]
    paired_urls = set(zip(paired["en_doc_id"].map(url["en"]), paired["zh_doc_id"].map(url["zh"])))
    kept = np.array([(r.en_url, r.zh_url) in paired_urls for r in briefing_checks.itertuples(index=False)], dtype=bool)
    return {
        "paired_share": has_zh["doc_id"].isin(paired["en_doc_id"]).mean(), "n_regular_with_zh": len(has_zh),
        "briefing_precision": float(((briefing_checks["verdict"] == "correct").to_numpy() & kept).mean()),
        "n_briefings": len(briefing_checks), "n_briefings_no_longer_paired": int(len(kept) - kept.sum()),
        "dyad_precision": float(((judged["verdict"] == "correct").to_numpy() & still).mean()), "n_dyads": len(judged),
        "n_dyads_no_longer_aligned": int(len(still) - still.sum()),
        "dyad_recall": sum(hit) / len(hit), "n_true_pairs": len(hit),
    }


def _inclusive(value) -> tuple[int, int]:
    first, last = _span(value)
    return first, last + 1


def main() -> int:
    en = toolkit.load_briefings(toolkit.default_corpus("mfa_en"))
    zh = toolkit.load_briefings(toolkit.default_corpus("mfa_zh"))
    pairs = toolkit.align_briefings(en, zh)
    aligned = toolkit.align_dyads(pairs, toolkit.pair_dyads(toolkit.split_turns(en)),
                                  toolkit.pair_dyads(toolkit.split_turns(zh[zh["doc_id"].isin(pairs["zh_doc_id"])])))
    checks = pd.read_csv(CHECKS, dtype=str, keep_default_na=False)
    metrics = alignment_metrics(pairs, aligned, {"en": en, "zh": zh}, checks)
    for name, value in metrics.items():
        print(f"{name:20s} {value:.3f}" if isinstance(value, float) else f"{name:20s} {value}")
    done = (metrics["paired_share"] >= 0.95 and metrics["briefing_precision"] >= 0.98
            and metrics["dyad_precision"] >= 0.90 and metrics["dyad_recall"] >= 0.85)
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
