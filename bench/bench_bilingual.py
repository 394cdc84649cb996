"""Benchmark: the bilingual alignment on the MFA corpora, and its anchor search against a plain regex alternation.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_bilingual.py [--runs 3]
Prints the median wall-clock and CPU seconds (``--runs`` runs) of ``align_briefings`` (500 English and 1,000
Chinese pages), ``align_dyads`` (every pair) and ``translation_shifts``; then the anchor search on 2,000 dyad
texts of each language with the toolkit's trie regex against the same aliases as one plain alternation
(longest first), the obvious way to write it, run in the same process (both give the same anchors).
"""
from __future__ import annotations

import argparse
import re
import statistics
import time

import toolkit
from toolkit.bilingual import evidence


def median_seconds(function, runs: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def plain_alternation(rows: tuple) -> dict:
    """The baseline: the aliases of ``rows`` as one alternation per language, longest first."""
    compiled = {}
    for lang in ("en", "zh"):
        _, keys, folded = evidence._patterns(rows)[lang]
        body = "|".join(re.escape(a.lower() if lang == "en" else a) for a in sorted(keys, key=len, reverse=True))
        pattern = re.compile(rf"(?<![\w-])(?:{body})(?!\w)", re.IGNORECASE) if lang == "en" else re.compile(body)
        compiled[lang] = (pattern, keys, folded)
    return compiled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    en = toolkit.load_briefings(toolkit.default_corpus("mfa_en"))
    zh = toolkit.load_briefings(toolkit.default_corpus("mfa_zh"))
    pairs = toolkit.align_briefings(en, zh)
    en_dyads = toolkit.pair_dyads(toolkit.split_turns(en))
    zh_dyads = toolkit.pair_dyads(toolkit.split_turns(zh[zh["doc_id"].isin(pairs["zh_doc_id"])]))
    aligned = toolkit.align_dyads(pairs, en_dyads, zh_dyads)
    for name, function in (("align_briefings", lambda: toolkit.align_briefings(en, zh)),
                           ("align_dyads", lambda: toolkit.align_dyads(pairs, en_dyads, zh_dyads)),
                           ("translation_shifts", lambda: toolkit.translation_shifts(aligned))):
        wall, cpu = median_seconds(function, args.runs)
        print(f"{name:20s} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    texts = {lang: (frame["question"] + "\n" + frame["answer"]).head(2000).tolist()
             for lang, frame in (("en", en_dyads), ("zh", zh_dyads))}
    rows = evidence._default_rows()
    baseline = plain_alternation(rows)

    def search(patterns):
        for lang, batch in texts.items():
            pattern = patterns[lang][0]
            for text in batch:
                pattern.findall(text)

    trie_wall, _ = median_seconds(lambda: search(evidence._patterns(rows)), args.runs)
    plain_wall, _ = median_seconds(lambda: search(baseline), args.runs)
    same = all(evidence._patterns(rows)[lang][0].findall(t) == baseline[lang][0].findall(t)
               for lang, batch in texts.items() for t in batch[:300])
    print(f"anchor search, 2 x 2,000 dyads: trie {trie_wall:.2f} s, plain alternation {plain_wall:.2f} s "
          f"({plain_wall / trie_wall:.1f}x slower); same matches on the first 300 of each: {same}")


if __name__ == "__main__":
    main()
