"""Benchmark: ``toolkit report`` on the MFA Chinese corpus (jieba: tokenising is the cost), before and after;
on the MFA English corpus (this checkout only).

Report: ``make_report`` (load with a warm Parquet cache, turns, one term matrix, key phrases, keyness, who
speaks, comparisons, stance, topics, figures, HTML) of this checkout, against the named alternative given with
``--before DIR`` (another checkout of the toolkit, e.g. the main branch, whose report tokenised the corpus
three times), run alternately in child processes so both see the same machine load. Explorer (English
corpus): the time from a new phrase to updated tables and images against ``term_frequency`` and ``kwic`` on
the turns without a prepared matrix. Prints medians of ``--runs`` runs, the ratios and the seconds per step of
both reports.

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_report.py --before ../main [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 0
ZH = "mfa_fmprc_2016_2020/mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl"
EN = "mfa_fmprc_2016_2020/mfa_en_regular_press_conferences_2018-2020.jsonl"
PHRASES = ["South China Sea", "Cold War mentality", "win-win cooperation", "trade war", "Hong Kong",
           "mil-to-mil relations", "core interests"]
CHILD = """
import json, sys, tempfile, time
import matplotlib
matplotlib.use("Agg")
import toolkit
from toolkit.report import make_report
toolkit.load_briefings(sys.argv[1])                                   # warm Parquet cache
with tempfile.TemporaryDirectory() as out:
    start = time.perf_counter()
    report, _ = make_report(sys.argv[1], out=out, random_state=0, progress=False)
    seconds = time.perf_counter() - start
print(json.dumps(report.seconds))
print(seconds)
"""


def report_seconds(checkout: Path, corpus: Path) -> tuple[float, float, dict]:
    """Wall-clock seconds of one ``make_report`` of ``corpus`` with the toolkit of ``checkout`` (in a child
    process), the CPU seconds of the whole child (load and imports included, its own child processes too: less
    sensitive to other jobs) and the report's seconds per step (sections run beside each other overlap)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-c", CHILD, str(corpus.resolve())], capture_output=True, text=True,
                          check=True, cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)})
    # cwd too: "python -c" puts the working directory first on sys.path, ahead of PYTHONPATH
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    *_, steps, wall = done.stdout.splitlines()
    return float(wall), after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, json.loads(steps)


def _steps(runs: list) -> str:
    steps = dict.fromkeys(step for run in runs for step in run[2])
    return ", ".join(f"{step} {statistics.median(run[2].get(step, 0) for run in runs):.1f}" for step in steps)


def timed(func, *args, **kwargs) -> float:
    start = time.perf_counter()
    func(*args, **kwargs)
    return time.perf_counter() - start


def explorer(corpus: Path, runs: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    sys.path.insert(0, str(ROOT))                        # this checkout's toolkit, not the installed one
    import toolkit

    turns = toolkit.split_turns(toolkit.load_briefings(corpus))
    start = time.perf_counter()
    app = toolkit.explore(turns, random_state=SEED)
    build = time.perf_counter() - start
    update = statistics.median(timed(setattr, app.phrase, "value", PHRASES[i % len(PHRASES)]) for i in range(runs))
    naive = statistics.median(timed(lambda p: (toolkit.term_frequency(turns, p, by="quarter"),
                                               toolkit.kwic(turns, p, window=8)), PHRASES[i % len(PHRASES)])
                              for i in range(runs))
    print(f"explore(): build                            {build:6.1f} s")
    print(f"explore(): new phrase -> tables + images    {update:6.2f} s")
    print(f"naive term_frequency + kwic on turns:       {naive:6.2f} s   naive / explorer update = {naive / update:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout of the toolkit to compare with")
    parser.add_argument("--no-explorer", action="store_true")
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", "../shared/corpora"))
    after, before = [], []
    for _ in range(args.runs):
        after.append(report_seconds(ROOT, corpora / ZH))
        if args.before:
            before.append(report_seconds(args.before.resolve(), corpora / ZH))
    wall, cpu = (statistics.median(t[i] for t in after) for i in (0, 1))
    print(f"MFA Chinese (2016-2020), make_report, warm cache; median of {args.runs} runs (wall / child CPU)")
    print(f"this checkout:                              {wall:6.1f} s / {cpu:6.1f} s")
    if before:
        wall_b, cpu_b = (statistics.median(t[i] for t in before) for i in (0, 1))
        print(f"{args.before!s:<43} {wall_b:6.1f} s / {cpu_b:6.1f} s   before / after = {wall_b / wall:.1f}x wall, "
              f"{cpu_b / cpu:.1f}x CPU")
    english = statistics.median(report_seconds(ROOT, corpora / EN)[0] for _ in range(args.runs))
    print(f"MFA English (2018-2020), this checkout:     {english:6.1f} s")
    print("seconds per step (median), Chinese:", _steps(after), *(["before:", _steps(before)] if before else []))
    if not args.no_explorer:
        explorer(corpora / EN, args.runs)


if __name__ == "__main__":
    main()
