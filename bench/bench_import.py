"""Benchmark: the cost of ``import toolkit`` and of the command-line parsers, beside ``import pandas``.

Each figure is the median wall time of a fresh interpreter (``python -c ...``, interpreter start-up
subtracted: the median of ``python -c pass``) over several runs, run in the same process one after
the other. The ratios against ``import pandas`` are what the foundations issue asks for (at most 1.6).

    .venv/bin/python bench/bench_import.py [--runs 7]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass": "pass",
    "import pandas": "import pandas",
    "import toolkit": "import toolkit",
    "toolkit.load_briefings resolved": "import toolkit; toolkit.load_briefings",
    "toolkit fetch --help": "import sys; sys.argv = ['toolkit', 'fetch', '--help']\n"
                            "from toolkit.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass",
    "toolkit summary --help": "import sys; sys.argv = ['toolkit', 'summary', '--help']\n"
                              "from toolkit.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass",
}


def wall(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    medians = {name: statistics.median(wall(code) for _ in range(runs)) for name, code in CASES.items()}
    base = medians.pop("python -c pass")
    pandas_cost = medians["import pandas"] - base
    print(f"interpreter start-up (subtracted): {base * 1000:.0f} ms; medians of {runs} runs")
    for name, seconds in medians.items():
        cost = seconds - base
        print(f"{name:34s} {cost * 1000:7.0f} ms   {cost / pandas_cost:5.2f} x import pandas")


if __name__ == "__main__":
    main()
