"""Benchmark: executing the six notebooks on the MFA English corpus, as CI does (nbclient, fresh kernel each).

The named alternative, in the same process: the paired percent-format scripts (``notebooks/*.py``) run
with plain Python, without Jupyter, so the ratio is the cost of kernels and nbclient. Prints per notebook
and total medians of ``--runs`` runs (warm Parquet cache).

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_notebooks.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_getting_started", "02_terms_over_time", "03_stance", "04_topics", "05_classroom", "06_paper"]


def run_notebook(name: str, folder: Path) -> float:
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    start = time.perf_counter()
    NotebookClient(book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return time.perf_counter() - start


def run_script(name: str, folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, str(NOTEBOOKS / f"{name}.py")], cwd=folder, check=True, capture_output=True,
                   env={**os.environ, "MPLBACKEND": "Agg"})
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("TOOLKIT_CORPORA", str(Path("../shared/corpora").resolve()))
    os.environ["MPLBACKEND"] = "Agg"
    notebook_times = {name: [] for name in NAMES}
    script_times = {name: [] for name in NAMES}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch) / "notebooks"
            folder.mkdir()
            for name in NAMES:
                notebook_times[name].append(run_notebook(name, folder))
                script_times[name].append(run_script(name, folder))
    print(f"median of {args.runs} runs; corpus from TOOLKIT_CORPORA={os.environ['TOOLKIT_CORPORA']}")
    print(f"{'notebook':22} {'nbclient':>9} {'plain python':>13}")
    for name in NAMES:
        print(f"{name:22} {statistics.median(notebook_times[name]):8.1f}s {statistics.median(script_times[name]):12.1f}s")
    total = statistics.median([sum(run) for run in zip(*notebook_times.values())])
    plain = statistics.median([sum(run) for run in zip(*script_times.values())])
    print(f"{'all six':22} {total:8.1f}s {plain:12.1f}s   nbclient / plain = {total / plain:.2f}x")


if __name__ == "__main__":
    main()
