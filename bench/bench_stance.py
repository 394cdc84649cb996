"""Benchmark: score every spokesperson sentence of the MFA English corpus with each stance method.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_stance.py [--runs 5]
Prints, per method, the median wall-clock and CPU time over ``--runs`` runs, spokesperson sentences per second
(wall) and the ratio against the VADER baseline (score_vader, the same sentences and targets) run in the same
process. Methods: score_stance with method "lexicon", "model" and "ensemble" (target for the default: < 3 s),
score_keywords, score_vader. On a shared machine the wall time includes waiting for the CPU; the CPU time is
this process's own work.
"""
from __future__ import annotations

import argparse
import functools
import os
import statistics
import time
from pathlib import Path

import toolkit
from toolkit.stance import score_keywords, score_vader

REPO = Path(__file__).resolve().parents[1]


def median_seconds(function, frame, runs: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU (this process) seconds over ``runs`` calls, and the number of output rows."""
    wall, cpu, rows = [], [], 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        rows = len(function(frame))
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    path = corpora / "mfa_fmprc_2016_2020" / "mfa_en_regular_press_conferences_2018-2020.jsonl"
    sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(path)))
    spoken = int((sentences["role"] != "question").sum())
    print(f"MFA English corpus: {sentences['doc_id'].nunique()} briefings, {spoken} spokesperson sentences "
          f"(of {len(sentences)}); median of {args.runs} runs")
    methods = [(f"score_stance ({method})", functools.partial(toolkit.score_stance, method=method))
               for method in ("lexicon", "model", "ensemble")]
    methods += [("score_keywords", score_keywords), ("score_vader (baseline)", score_vader)]
    results = {name: median_seconds(function, sentences, args.runs) for name, function in methods}
    vader = results["score_vader (baseline)"][0]
    for name, (wall, cpu, rows) in results.items():
        print(f"{name:27s} wall {wall:6.2f} s  cpu {cpu:6.2f} s  {spoken / wall:8.0f} sentences/s  {rows} "
              f"sentence-target rows  VADER/this = {vader / wall:4.1f}")


if __name__ == "__main__":
    main()
