"""Benchmark: interactive speed on the MFA English corpus, beside a plain-Python floor in the same run.

- **floor**: read the JSONL with ``json`` and regex-tokenize every text (``re.findall(r"\\w+")``): the least any
  tool must do to answer a question about the corpus.
- **cold**: ``load_briefings`` + ``split_turns`` + ``split_sentences`` with an empty cache folder and no trained
  Punkt abbreviations or word types in memory (imports done before timing).
- **warm**: the same three calls again with the cache filled (a new session in the same process: the memo of
  term matrices cleared).
- **term functions given a table**: each one's first call on the loaded briefings (memo cleared: the matrix is
  counted) and its repeated call (the memo's matrix reused), for ``term_frequency``, ``kwic``, ``keyness``,
  ``collocations``, ``dispersion``, ``trending_terms`` and ``phrase_audit``.

Prints medians (``--runs`` runs; first calls ``--first-runs``) and each figure as a multiple of the floor;
nothing is asserted. The machine's load average is printed: compare ratios, not seconds, on a shared machine. The
floor and the loads are also timed in CPU seconds of this process (``time.process_time``), which other
processes on the machine disturb less than wall-clock time.

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_interactive.py [--runs 5] [--first-runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import toolkit
from toolkit import sentences as sentences_module

CORPUS = "mfa_fmprc_2016_2020/mfa_en_regular_press_conferences_2018-2020.jsonl"
WORD = re.compile(r"\w+")
TERM = "South China Sea"


def floor(path: Path) -> int:
    n = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            n += len(WORD.findall(json.loads(line)["text"] or ""))
    return n


def pipeline(path: Path) -> int:
    briefings = toolkit.load_briefings(path)
    return len(toolkit.split_sentences(toolkit.split_turns(briefings)))


def cold(path: Path) -> int:
    os.environ["TOOLKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-interactive-")
    sentences_module._trained.cache_clear()
    sentences_module._abbreviations.cache_clear()
    sentences_module._plain_re_punkt.cache_clear()      # with it the memo of Punkt's word types
    toolkit.clear_memo()
    return pipeline(path)


def warm(path: Path) -> int:
    toolkit.clear_memo()
    return pipeline(path)


def queries(briefings) -> dict:
    return {
        "term_frequency(briefings, [term], by='month')": lambda: toolkit.term_frequency(briefings, [TERM], by="month"),
        "kwic(briefings, term)": lambda: toolkit.kwic(briefings, TERM),
        "keyness(briefings, target='2020')": lambda: toolkit.keyness(briefings, target="2020"),
        "collocations(briefings, term)": lambda: toolkit.collocations(briefings, TERM),
        "dispersion(briefings, [term], parts='month')": lambda: toolkit.dispersion(briefings, [TERM], parts="month"),
        "trending_terms(briefings, by='quarter')": lambda: toolkit.trending_terms(briefings, by="quarter"),
        "phrase_audit(briefings, term, unit='doc')": lambda: toolkit.phrase_audit(briefings, TERM, unit="doc",
                                                                              random_state=0),
    }


def seconds(func, *args) -> float:
    return timed(func, *args)[0]


def timed(func, *args) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    func(*args)
    return time.perf_counter() - start, time.process_time() - cpu


def median(func, runs: int, *args) -> float:
    return statistics.median(seconds(func, *args) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-runs", type=int, default=3)
    args = parser.parse_args()
    root = os.environ.get("TOOLKIT_CORPORA")
    if not root:
        raise SystemExit("set TOOLKIT_CORPORA to the shared corpora folder")
    path = Path(root) / CORPUS
    n_words = floor(path)
    cold(path)                                           # imports and first-use costs out of the timings
    floors, colds, warms = [], [], []
    for _ in range(args.runs):
        floors.append(timed(floor, path))
        colds.append(timed(cold, path))
        warms.append(timed(warm, path))
    base, base_cpu = (statistics.median(values) for values in zip(*floors))
    print(f"MFA English corpus: 500 briefings, {n_words:,} regex words; load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} cores; medians of {args.runs} runs (first calls: {args.first_runs})")
    print(f"{'floor: json + regex-tokenize every text':60s} {base:8.3f} s              CPU {base_cpu:6.3f} s")
    for name, values in (("cold: load + split_turns + split_sentences", colds),
                         ("warm: load + split_turns + split_sentences", warms)):
        wall, cpu = (statistics.median(column) for column in zip(*values))
        print(f"{name:60s} {wall:8.3f} s  {wall / base:6.2f}x floor  CPU {cpu:6.3f} s  {cpu / base_cpu:6.2f}x floor")
    briefings = toolkit.load_briefings(path)
    for name, query in queries(briefings).items():
        first = statistics.median(seconds(lambda query=query: (toolkit.clear_memo(), query()))
                                  for _ in range(args.first_runs))
        query()
        again = median(query, args.runs)
        print(f"{name:60s} first {first:7.3f} s ({first / base:5.2f}x)  repeated {again * 1000:8.1f} ms "
              f"({again / base:6.3f}x floor)")
    usage = toolkit.memo_usage()
    print(f"memo: {usage['entries']} matrices, {usage['mb']:.0f} MB of {usage['limit_mb']:.0f} MB")


if __name__ == "__main__":
    main()
