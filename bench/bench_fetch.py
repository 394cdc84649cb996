"""Benchmark: fetch_briefings("mfa_en") from a loopback copy of fmprc.gov.cn vs a bare urllib loop.

The loopback server (tests/fetch_server.py) serves the 1,582 cached fmprc.gov.cn responses of
../shared/corpora under their original paths. The toolkit walks the 13 English listing pages and saves the
500 articles with every safeguard on (robots.txt, pacing with delay 0, retries, size and redirect checks,
atomic writes, manifest rows). The alternative, run in the same process on the same server, is the least a
crawler can do: ``urllib.request.urlopen`` on the same 513 addresses one after the other, bodies written
to files, nothing checked. Prints the median wall time of ``--runs`` runs, pages/s, and the ratios.

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_fetch.py [--runs 5]
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fetch_server import LoopbackServer

from toolkit.fetch import fetch_briefings

EN_LIST = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"


def load_site(corpora: Path) -> dict[str, bytes]:
    folder = corpora / "mfa_fmprc_2016_2020"
    with open(folder / "raw_html_index.csv", newline="", encoding="utf-8") as stream:
        index = {row["file"]: row for row in csv.DictReader(stream) if row["status"] == "200"}
    with tarfile.open(folder / "raw_html_httpcache.tar.gz") as tar:
        return {urlsplit(index[m.name]["url"]).path: tar.extractfile(m).read() for m in tar if m.name in index}


def bare_loop(base: str, paths: list[str], out: Path) -> None:
    for i, path in enumerate(paths):
        with urllib.request.urlopen(base + path, timeout=20) as answer:
            (out / f"{i}.html").write_bytes(answer.read())


def timed(run) -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        run(Path(out))
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    site = load_site(Path(os.environ.get("TOOLKIT_CORPORA", "../shared/corpora")))
    paths = sorted(p for p in site if p.startswith(EN_LIST))
    print(f"{len(paths)} pages (13 listings + 500 articles), {runs} runs each, loopback, delay 0")
    with LoopbackServer(site) as server:
        results = {"urllib loop (sequential, no checks)": [timed(lambda out: bare_loop(server.url, paths, out))
                                                             for _ in range(runs)]}
        for workers in (1, 2, 4):
            results[f"fetch_briefings concurrency={workers}"] = [
                timed(lambda out, workers=workers: fetch_briefings("mfa_en", out, base_url=server.url, delay=0,
                                                                   concurrency=workers, progress=False))
                for _ in range(runs)]
    baseline = statistics.median(next(iter(results.values())))
    for name, seconds in results.items():
        median = statistics.median(seconds)
        print(f"{name:40s} median {median:6.2f} s  {len(paths) / median:6.0f} pages/s  "
              f"ratio vs urllib loop {median / baseline:4.2f}")


if __name__ == "__main__":
    main()
