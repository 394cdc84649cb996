"""Benchmark: ``toolkit report`` on the MFA English corpus (500 briefings), and the explorer's response time.

Report: ``make_report`` (load with a warm Parquet cache, turns, key phrases, keyness by year, stance,
topics, figures, HTML) against the named alternative ``toolkit summary`` (the plain-text overview: load,
turns, dyads), both in this process. Explorer: the time from a new phrase to updated tables and images
(``app.phrase.value = ...``) against the naive way to get the same tables, ``term_frequency`` and ``kwic``
on the turns table without a prepared term matrix. Prints medians of ``--runs`` runs and the ratios.

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_report.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import toolkit
from toolkit.cli import summarise
from toolkit.report import make_report

SEED = 0
PHRASES = ["South China Sea", "Cold War mentality", "win-win cooperation", "trade war", "Hong Kong",
           "mil-to-mil relations", "core interests"]


def timed(func, *args, **kwargs) -> float:
    start = time.perf_counter()
    func(*args, **kwargs)
    return time.perf_counter() - start


def naive_query(turns, phrase: str) -> None:
    toolkit.term_frequency(turns, phrase, by="quarter")
    toolkit.kwic(turns, phrase, window=8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = Path(os.environ.get("TOOLKIT_CORPORA", "../shared/corpora")) / "mfa_fmprc_2016_2020" / \
        "mfa_en_regular_press_conferences_2018-2020.jsonl"
    summarise(path)                                                    # fill the Parquet cache once
    with tempfile.TemporaryDirectory() as out:
        report_times = [timed(make_report, path, out=out, random_state=SEED, progress=False) for _ in range(args.runs)]
    summary_times = [timed(summarise, path) for _ in range(args.runs)]
    briefings = toolkit.load_briefings(path)
    turns = toolkit.split_turns(briefings)
    build_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        app = toolkit.explore(turns, random_state=SEED)
        build_times.append(time.perf_counter() - start)
    update_times = [timed(setattr, app.phrase, "value", PHRASES[i % len(PHRASES)]) for i in range(args.runs)]
    naive_times = [timed(naive_query, turns, PHRASES[i % len(PHRASES)]) for i in range(args.runs)]
    report, summary = statistics.median(report_times), statistics.median(summary_times)
    update, naive = statistics.median(update_times), statistics.median(naive_times)
    print(f"MFA English, {len(briefings)} briefings, {int(briefings['n_words'].sum()):,} words; median of {args.runs} runs")
    print(f"toolkit report (make_report, warm cache):   {report:6.1f} s")
    print(f"toolkit summary (named alternative):        {summary:6.1f} s   report / summary = {report / summary:.1f}x")
    print(f"explore(): build                            {statistics.median(build_times):6.1f} s")
    print(f"explore(): new phrase -> tables + images    {update:6.2f} s")
    print(f"naive term_frequency + kwic on turns:       {naive:6.2f} s   naive / explorer update = {naive / update:.1f}x")


if __name__ == "__main__":
    main()
