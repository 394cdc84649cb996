"""Benchmark: tokenize + document-term matrix and term_frequency queries on the MFA English corpus.

Compares, in the same process, the toolkit against a plain NLTK approach (TreebankWordTokenizer +
FreqDist per document, no phrases). Prints medians of >= 5 runs and the ratios; nothing is asserted.

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_terms.py [--runs 5]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import pandas as pd
from nltk import FreqDist
from nltk.tokenize import TreebankWordTokenizer

import toolkit

CORPUS = "mfa_fmprc_2016_2020/mfa_en_regular_press_conferences_2018-2020.jsonl"
CORPUS_ZH = "mfa_fmprc_2016_2020/mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl"


def median_time(func, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def nltk_counts(texts) -> list[FreqDist]:
    tokenizer = TreebankWordTokenizer()
    return [FreqDist(token.lower() for token in tokenizer.tokenize(text)) for text in texts]


def nltk_query(briefings: pd.DataFrame, freqs: list[FreqDist], word: str) -> pd.Series:
    counts = pd.Series([fd[word] for fd in freqs], index=briefings.index)
    sizes = pd.Series([fd.N() for fd in freqs], index=briefings.index)
    month = briefings["date"].dt.to_period("M")
    return counts.groupby(month).sum() / sizes.groupby(month).sum() * 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--zh", action="store_true", help="also time the Chinese corpus (jieba, slow)")
    args = parser.parse_args()
    runs = args.runs
    root = os.environ.get("TOOLKIT_CORPORA")
    if not root:
        raise SystemExit("set TOOLKIT_CORPORA to the shared corpora folder")
    briefings = toolkit.load_briefings(Path(root) / CORPUS)
    texts = briefings["text"].tolist()
    print(f"corpus: {len(briefings)} briefings, {briefings['n_words'].sum():,} words; {runs} runs each; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")

    build, tm = median_time(lambda: toolkit.count_terms(briefings), runs)
    build_all, tm_all = median_time(lambda: toolkit.count_terms(briefings, stop_words=None), runs)
    tok, tokens = median_time(lambda: toolkit.tokenize(briefings), runs)
    base, freqs = median_time(lambda: nltk_counts(texts), runs)
    print(f"toolkit count_terms (tokenize + phrases + sparse DTM): {build:.2f} s  "
          f"({tm.matrix.shape[0]} x {tm.matrix.shape[1]}, {tm.rows['n_tokens'].sum():,} tokens)")
    print(f"toolkit count_terms, stop words kept:                  {build_all:.2f} s")
    print(f"toolkit tokenize (long token table):                   {tok:.2f} s  ({len(tokens):,} rows)")
    print(f"NLTK TreebankWordTokenizer + FreqDist per document:    {base:.2f} s  (no phrases, no matrix)")
    print(f"ratio NLTK / toolkit count_terms:                      {base / build:.1f}x")

    start = time.perf_counter()
    toolkit.term_frequency(tm_all, "mil-to-mil relations", by="month")
    cold = time.perf_counter() - start
    queries = {
        "phrase 'mil-to-mil relations' by month": lambda: toolkit.term_frequency(tm_all, "mil-to-mil relations"),
        "variant 'South-China-Sea' by quarter": lambda: toolkit.term_frequency(tm_all, "South-China-Sea", by="quarter"),
        "word 'hegemony' by month": lambda: toolkit.term_frequency(tm_all, "hegemony"),
        "regex 're:hegemon.*' by month": lambda: toolkit.term_frequency(tm_all, "re:hegemon.*"),
        "unlisted sequence 'freedom of speech'": lambda: toolkit.term_frequency(tm_all, "freedom of speech"),
        "3 terms by spokesperson": lambda: toolkit.term_frequency(tm_all, ["US", "COVID-19", "Taiwan question"],
                                                                  by="spokesperson"),
    }
    print(f"term_frequency, first query on a fresh matrix (builds column index + period cache): {cold * 1000:.1f} ms")
    for name, query in queries.items():
        seconds, _ = median_time(query, max(runs, 20))
        print(f"term_frequency {name:<40} {seconds * 1000:7.1f} ms")
    nltk_seconds, _ = median_time(lambda: nltk_query(briefings, freqs, "hegemony"), max(runs, 20))
    word_seconds, _ = median_time(queries["word 'hegemony' by month"], max(runs, 20))
    print(f"NLTK FreqDist query 'hegemony' by month (no zero rows, no CI):     {nltk_seconds * 1000:7.1f} ms")
    print(f"ratio NLTK / toolkit word query:                                    {nltk_seconds / word_seconds:.1f}x")
    if args.zh:
        chinese = toolkit.load_briefings(Path(root) / CORPUS_ZH)
        toolkit.count_terms(chinese.head(5))                      # load jieba's dictionary once
        seconds, tm_zh = median_time(lambda: toolkit.count_terms(chinese), runs)
        print(f"Chinese: count_terms on {len(chinese)} briefings, {chinese['text'].str.len().sum():,} characters "
              f"(jieba, HMM on): {seconds:.1f} s ({tm_zh.matrix.shape[1]} terms)")


if __name__ == "__main__":
    main()
