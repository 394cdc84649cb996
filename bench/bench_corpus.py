"""Benchmark: load_briefings + split_turns + split_sentences on the MFA English corpus, cold and warm.

Cold: an empty cache folder and no trained Punkt (nor its abbreviations) in memory (everything parsed and trained
anew). Warm: the same call again with the cache filled. The named alternative, run in the same
process: a hand-rolled notebook's way, ``pandas.read_json`` + splitting paragraphs + NLTK's
``PunktSentenceTokenizer`` (trained on the same sample) per paragraph, which gives no metadata,
turns or load report. Prints the median of several runs and the ratios.

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_corpus.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from nltk.tokenize.punkt import PunktSentenceTokenizer

import toolkit
from toolkit import sentences as sentences_module


def pipeline(path: Path) -> int:
    turns = toolkit.split_turns(toolkit.load_briefings(path))
    return len(toolkit.split_sentences(turns))


def nltk_baseline(path: Path) -> int:
    texts = pd.read_json(path, lines=True)["text"]
    tokenizer = PunktSentenceTokenizer(toolkit.train_punkt(texts))
    return sum(len(tokenizer.tokenize(p)) for text in texts for p in text.split("\n"))


def timed(func, *args) -> tuple[float, int]:
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = Path(os.environ.get("TOOLKIT_CORPORA", "../shared/corpora")) / "mfa_fmprc_2016_2020" / "mfa_en_regular_press_conferences_2018-2020.jsonl"
    cold, warm, baseline = [], [], []
    for _ in range(args.runs):
        os.environ["TOOLKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-corpus-")
        for memo in (sentences_module._trained, sentences_module._abbreviations, sentences_module._plain_re_punkt):
            memo.cache_clear()
        seconds, n_sentences = timed(pipeline, path)
        cold.append(seconds)
        warm.append(timed(pipeline, path)[0])
        sentences_module._trained.cache_clear()
        seconds, n_baseline = timed(nltk_baseline, path)
        baseline.append(seconds)
    cold_s, warm_s, base_s = (statistics.median(v) for v in (cold, warm, baseline))
    print(f"MFA English corpus: 500 briefings, {n_sentences:,} sentences (NLTK baseline: {n_baseline:,}); median of {args.runs} runs")
    print(f"toolkit cold (parse + turns + train Punkt + sentences): {cold_s:.2f} s")
    print(f"toolkit warm (cache):                                  {warm_s:.2f} s")
    print(f"pandas.read_json + NLTK PunktSentenceTokenizer:         {base_s:.2f} s")
    print(f"ratio cold / NLTK baseline: {cold_s / base_s:.2f}   warm / NLTK baseline: {warm_s / base_s:.3f}")


if __name__ == "__main__":
    main()
