"""Benchmark: the whole pipeline on 1x, 10x (and 100x) replicated copies of the MFA English corpus.

Builds the replicated corpora in a temporary folder: copy ``i`` of every briefing gets its own URL
(``...?copy=i``) and a last line ``(copy i)``, so the loader deduplicates nothing. Each scale runs the pipeline
once per ``--n-jobs`` value (default 1 and 2: ``split_sentences``, ``count_terms`` and ``score_stance`` in a pool
of that many processes), each in a fresh process with the cache off (``TOOLKIT_CACHE_DIR=off``: every step computes), and
reports per step the wall seconds, the CPU seconds of the process and of its pool workers (``RUSAGE_CHILDREN``,
counted when the pool has ended) and the peak resident memory of the process during that step (Linux
``VmHWM``, reset before each step through ``/proc/self/clear_refs``; the largest peak of a pool worker, pages
shared with the parent included, is printed apart; with a pool, the memory of the process and its workers
together, the largest sum of their proportional set sizes (PSS: a page shared by k processes counts 1/k in
each) polled every 0.2 s during the step, with ``--job-memory`` only, since the polling costs CPU):

    load_briefings -> split_turns -> split_sentences -> count_terms(sentences, unit="turn") -> score_stance

Beside it, in its own fresh process of the same run, the plain-Python floor: ``json.loads`` every line,
a regex for words and sentences and a ``collections.Counter`` per briefing (no metadata, no turns, no
phrases, no stance). The ratios pipeline / floor are printed for wall time (the criterion of issue 16; on a
shared machine it depends on the other jobs) and CPU time (the steadier one; with a pool it adds the workers'
CPU), and the growth exponents of CPU time ``log(t10 / t1) / log(10)`` at the end. With ``--runs N`` the floor
and the pipelines run N times in turn and every figure is the median over the runs (each run's ratios are
printed too).

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_scale.py [--scales 1 10] [--n-jobs 1 2]
        [--runs 3] [--job-memory]
"""
from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STEPS = ["load", "turns", "sentences", "count_terms", "score_stance"]


def replicate(source: Path, folder: Path, copies: int) -> tuple[Path, int]:
    """Write ``copies`` copies of the JSONL ``source`` into ``folder`` (one file per copy); return the folder and
    the number of words."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = source.read_text(encoding="utf-8").splitlines()
    words = 0
    for copy in range(copies):
        with open(folder / f"copy_{copy:03d}.jsonl", "w", encoding="utf-8") as out:
            for line in lines:
                record = json.loads(line)
                record["source_url"] = f"{record['source_url']}?copy={copy}"
                record["text"] = f"{record['text']}\n(copy {copy})"
                words += len(record["text"].split())
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder, words


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def _peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _children_peak_mb() -> float:
    """The largest peak resident memory of any ended child process (pool worker) so far."""
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _pss_mb(pid: int | str) -> float:
    """Proportional set size of a process (shared pages split between the processes that share them)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:  # the process has just ended
        pass
    return 0.0


def _job_pss_mb() -> float:
    """The memory of this process and its children (the pool's workers) together: the sum of their PSS."""
    children = []
    for task in Path("/proc/self/task").iterdir():
        children += (task / "children").read_text().split()
    return _pss_mb("self") + sum(_pss_mb(pid) for pid in children)


class _JobPeak:
    """Largest :func:`_job_pss_mb` while a step runs, polled every ``interval`` seconds in a thread."""

    def __init__(self, interval: float = 0.2):
        import threading

        self.peak, self.interval, self._done = 0.0, interval, threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, _job_pss_mb())
            self._done.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, _job_pss_mb())


def _step(name: str, func, results: dict, *, pool: bool = False):
    """Run one step: wall and CPU seconds, this process's peak and, with a pool, the process tree's peak PSS."""
    _reset_peak()
    start, start_cpu, start_workers = time.perf_counter(), time.process_time(), _children_cpu()
    if pool:
        with _JobPeak() as job:
            value = func()
        job_peak = job.peak
    else:
        value, job_peak = func(), None
    results[name] = {"seconds": time.perf_counter() - start, "cpu": time.process_time() - start_cpu,
                     "workers_cpu": _children_cpu() - start_workers, "peak_mb": _peak_mb(),
                     "job_pss_mb": job_peak}
    return value


def run_pipeline(folder: str, n_jobs: int, job_memory: bool = False) -> dict:
    """One scale in this process: every step's seconds and peak memory (with ``job_memory`` and a pool, also
    the peak PSS of the process and its workers; the polling costs some CPU, so time without it)."""
    import toolkit

    results: dict = {}
    briefings = _step("load", lambda: toolkit.load_briefings(folder), results)
    turns = _step("turns", lambda: toolkit.split_turns(briefings), results)
    pool = job_memory and n_jobs > 1
    sentences = _step("sentences", lambda: toolkit.split_sentences(turns, n_jobs=n_jobs), results, pool=pool)
    _step("count_terms", lambda: toolkit.count_terms(sentences, unit="turn", n_jobs=n_jobs), results, pool=pool)
    _step("score_stance", lambda: toolkit.score_stance(sentences, n_jobs=n_jobs), results, pool=pool)
    results["rows"] = {"briefings": len(briefings), "turns": len(turns), "sentences": len(sentences)}
    results["workers_peak_mb"] = _children_peak_mb()
    return results


def run_floor(folder: str) -> dict:
    """The plain-Python floor: json + regex + Counter over the same files."""
    import re
    from collections import Counter

    _reset_peak()
    start, start_cpu = time.perf_counter(), time.process_time()
    words, sentence_end = re.compile(r"\w+"), re.compile(r"(?<=[.?!])\s+(?=[A-Z])")
    counts, n_sentences = [], 0
    for file in sorted(Path(folder).glob("*.jsonl")):
        with open(file, encoding="utf-8") as lines:
            for line in lines:
                text = json.loads(line)["text"]
                n_sentences += sum(len(sentence_end.split(p)) for p in text.split("\n"))
                counts.append(Counter(words.findall(text.lower())))
    return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - start_cpu, "peak_mb": _peak_mb(),
            "sentences": n_sentences}


def _child(kind: str, folder: Path, n_jobs: int, job_memory: bool = False) -> dict:
    env = {**os.environ, "TOOLKIT_CACHE_DIR": "off", "PYTHONPATH": str(REPO)}
    options = f", {n_jobs}, {job_memory}" if kind == "pipeline" else ""
    code = (f"import json, sys; sys.path.insert(0, {str(REPO / 'bench')!r}); import bench_scale as b; "
            f"print(json.dumps(b.run_{kind}({str(folder)!r}{options})))")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--n-jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=1,
                        help="runs per scale, floor and pipelines alternating; medians printed (default 1)")
    parser.add_argument("--job-memory", action="store_true",
                        help="with a pool, poll the PSS of the process and its workers (costs CPU: time without)")
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    source = corpora / "mfa_fmprc_2016_2020" / "mfa_en_regular_press_conferences_2018-2020.jsonl"
    totals = {}
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for scale in args.scales:
            folder, n_words = replicate(source, Path(tmp) / f"x{scale}", scale)
            print(f"\n{scale}x: {n_words / 1e6:.1f} M words, load average {os.getloadavg()[0]:.1f}")
            floors, pipelines = [], {n_jobs: [] for n_jobs in args.n_jobs}
            for run in range(args.runs):
                floors.append(_child("floor", folder, 1))
                for n_jobs in args.n_jobs:
                    pipelines[n_jobs].append(_child("pipeline", folder, n_jobs, args.job_memory))
                if args.runs > 1:
                    print(f"  run {run + 1}: floor {floors[-1]['seconds']:.1f} s; " + "; ".join(
                        f"n_jobs={n} {_wall(p[-1]):.1f} s = {_wall(p[-1]) / floors[-1]['seconds']:.1f}x"
                        for n, p in pipelines.items()), flush=True)
            floor = _median(floors)
            for n_jobs in args.n_jobs:
                steps = _median(pipelines[n_jobs])
                _print_pipeline(steps, floor, n_jobs)
                if n_jobs == args.n_jobs[0]:
                    totals[scale] = {s: steps[s]["cpu"] + steps[s]["workers_cpu"] for s in STEPS}
                    totals[scale] |= {"total": sum(totals[scale].values()), "floor": floor["cpu"]}
            print(f"  {'floor':13s} {floor['seconds']:8.1f} s  cpu {floor['cpu']:7.1f} s{'':20s}"
                  f"peak {floor['peak_mb']:7.0f} MB   (load average now {os.getloadavg()[0]:.1f})")
            shutil.rmtree(folder, ignore_errors=True)
    scales = sorted(totals)
    for low, high in itertools.pairwise(scales):
        exponents = {k: math.log(totals[high][k] / totals[low][k]) / math.log(high / low) for k in totals[low]}
        print(f"\ngrowth exponents of CPU time {low}x -> {high}x (1 = linear; n_jobs={args.n_jobs[0]}): "
              + ", ".join(f"{k} {v:.2f}" for k, v in exponents.items()))


def _wall(steps: dict) -> float:
    return sum(steps[s]["seconds"] for s in STEPS)


def _median(runs: list[dict]) -> dict:
    """Field by field, the median over runs of the floor or of a pipeline (a worker's peak: the largest)."""
    def median(values):
        values = list(values)
        return None if values[0] is None else statistics.median(values)

    first = runs[0]
    out = {k: median(r[k] for r in runs) for k, v in first.items() if not isinstance(v, dict)}
    out |= {k: {f: median(r[k][f] for r in runs) for f in v} for k, v in first.items() if isinstance(v, dict)}
    if "rows" in first:
        out["rows"] = first["rows"]
        out["workers_peak_mb"] = max(r["workers_peak_mb"] for r in runs)
    return out


def _print_pipeline(steps: dict, floor: dict, n_jobs: int) -> None:
    """Per step wall, CPU (process + workers) and peak; the whole pipeline and its ratios to the floor."""
    rows = steps["rows"]
    print(f"  n_jobs={n_jobs}: {rows['briefings']:,} briefings, {rows['turns']:,} turns, "
          f"{rows['sentences']:,} sentences")
    for name in STEPS:
        step = steps[name]
        job = f" (with workers, PSS {step['job_pss_mb']:,.0f} MB)" if step["job_pss_mb"] is not None else ""
        print(f"  {name:13s} {step['seconds']:8.1f} s  cpu {step['cpu']:7.1f} s + workers {step['workers_cpu']:5.1f} s"
              f"   peak {step['peak_mb']:7.0f} MB{job}")
    wall = _wall(steps)
    cpu = sum(steps[s]["cpu"] + steps[s]["workers_cpu"] for s in STEPS)
    peak = max(steps[s]["peak_mb"] for s in STEPS)
    job = [steps[s]["job_pss_mb"] for s in STEPS if steps[s]["job_pss_mb"] is not None]
    workers = (f" (a pool worker: {steps['workers_peak_mb']:,.0f} MB; process and workers together, PSS: "
               f"{max(job):,.0f} MB)" if job else "")
    print(f"  {'pipeline':13s} {wall:8.1f} s  cpu {cpu:7.1f} s (with workers)  peak {peak:7.0f} MB{workers}   "
          f"ratio to the floor: wall {wall / floor['seconds']:.1f}, cpu {cpu / floor['cpu']:.1f}")


if __name__ == "__main__":
    main()
