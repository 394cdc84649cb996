"""Benchmark: LDA (k=20) on the MFA English spokesperson answers, toolkit (Gibbs / scikit-learn VB) vs gensim vs tomotopy.

Every library fits the same bag of words (the toolkit's term matrix of the answer units, tokens
rebuilt from its counts); every topic list is scored by the same NPMI implementation
(toolkit.coherence, document co-occurrence, top 10 terms). Prints median fit time and median
NPMI over the runs (one seed each) and the ratios of the toolkit's default (collapsed Gibbs sampling,
toolkit.topics.gibbs.GibbsLDA) against the peers. numba compiles the sampler once per installation (cached on
disk); that one-off compile time is printed separately and not part of the fit times.

    TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/bench_topics.py [--runs 5]
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import sparse

import toolkit
from toolkit.topics import topic_coherence_scores
from toolkit.topics._setup import GIBBS_DEFAULTS, LDA_DEFAULTS, estimator, nonempty, prepare

K = 20
TOP_N = 10


def load_answers(corpora: Path):
    path = corpora / "mfa_fmprc_2016_2020" / "mfa_en_regular_press_conferences_2018-2020.jsonl"
    turns = toolkit.split_turns(toolkit.load_briefings(path))
    setup = prepare(turns, unit="answer", method="lda", ks=[], terms=None, func="bench_topics")
    matrix, _ = nonempty(setup.term_matrix)
    return matrix.astype(np.int64), np.asarray(setup.term_matrix.terms)


def texts_of(matrix: sparse.csr_matrix, terms: np.ndarray) -> list[list[str]]:
    return [[t for t, n in zip(terms[matrix.indices[a:b]], matrix.data[a:b]) for _ in range(int(n))]
            for a, b in zip(matrix.indptr[:-1], matrix.indptr[1:])]


def fit_toolkit(matrix, terms, seed, **options):
    """The estimator toolkit.fit_topics(method="lda") builds with these model options, fitted on the matrix."""
    model = estimator("lda", K, seed, options, "bench_topics").fit(matrix)
    return [list(terms[np.argsort(-row, kind="stable")[:TOP_N]]) for row in model.components_]


def fit_toolkit_nmf(matrix, terms, seed):
    """toolkit.fit_topics(method="nmf"): scikit-learn NMF on the tf-idf weights of the same counts."""
    from sklearn.feature_extraction.text import TfidfTransformer

    model = estimator("nmf", K, seed, {}, "bench_topics").fit(TfidfTransformer().fit_transform(matrix))
    return [list(terms[np.argsort(-row, kind="stable")[:TOP_N]]) for row in model.components_]


def compile_sampler(matrix) -> float:
    """Seconds numba takes to compile (or load from its cache) the Gibbs sampler, on a tiny fit."""
    start = time.perf_counter()
    estimator("lda", K, 0, {"max_iter": 1}, "bench_topics").fit(matrix[:50])
    return time.perf_counter() - start


def fit_gensim(matrix, terms, seed, *, multicore: bool, passes: int, iterations: int):
    from gensim.matutils import Sparse2Corpus
    from gensim.models import LdaModel, LdaMulticore

    corpus = list(Sparse2Corpus(matrix, documents_columns=False))
    id2word = dict(enumerate(terms.tolist()))
    options = {"num_topics": K, "id2word": id2word, "passes": passes, "iterations": iterations,
               "chunksize": 2000, "random_state": seed, "eval_every": None}
    model = LdaMulticore(corpus, workers=1, **options) if multicore else LdaModel(corpus, **options)
    return [[id2word[i] for i, _ in model.get_topic_terms(t, topn=TOP_N)] for t in range(K)]


def fit_tomotopy(texts, seed, *, iterations: int, workers: int):
    import tomotopy as tp

    model = tp.LDAModel(k=K, seed=seed, alpha=0.1, eta=0.01)
    for text in texts:
        if text:
            model.add_doc(text)
    model.train(iterations, workers=workers)
    return [[w for w, _ in model.get_topic_words(t, top_n=TOP_N)] for t in range(K)]


def measure(contenders: dict, runs: int, matrix, terms) -> list[dict]:
    """Fit every contender once per seed, interleaved so that load on the shared machine hits all alike."""
    times = {name: [] for name in contenders}
    scores = {name: [] for name in contenders}
    for seed in range(runs):
        for name, fit in contenders.items():
            start = time.perf_counter()
            topics = fit(seed)
            times[name].append(time.perf_counter() - start)
            scores[name].append(float(np.nanmean(topic_coherence_scores(topics, matrix, terms, measure="npmi"))))
    rows = []
    for name in contenders:
        row = {"library": name, "fit_s": statistics.median(times[name]), "npmi": statistics.median(scores[name]),
               "npmi_min": min(scores[name]), "npmi_max": max(scores[name])}
        print(f"{name:<52} fit {row['fit_s']:6.1f} s   NPMI {row['npmi']:.4f} "
              f"(runs {row['npmi_min']:.4f}..{row['npmi_max']:.4f})", flush=True)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.filterwarnings("ignore", message="The training result may differ")  # tomotopy, workers=2
    warnings.filterwarnings("ignore", message="Maximum number of iterations")  # NMF's max_iter=400 default
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", "../shared/corpora"))
    matrix, terms = load_answers(corpora)
    texts = texts_of(matrix, terms)
    print(f"MFA English answers: {matrix.shape[0]} units, {matrix.shape[1]} terms, {int(matrix.sum())} tokens; "
          f"k={K}, median of {args.runs} runs (seeds 0..{args.runs - 1}), NPMI of top {TOP_N} terms\n")
    print(f"numba compile / cache load of the Gibbs sampler (once): {compile_sampler(matrix):.1f} s")
    contenders = {
        "toolkit.fit_topics default: Gibbs, 500 sweeps, alpha opt.": lambda s: fit_toolkit(matrix, terms, s),
        "toolkit.fit_topics solver='vb': sklearn online VB": lambda s: fit_toolkit(matrix, terms, s, solver="vb"),
        "toolkit.fit_topics method='nmf' (tf-idf; not LDA)": lambda s: fit_toolkit_nmf(matrix, terms, s),
        "gensim LdaModel (passes=10, iterations=100)":
            lambda s: fit_gensim(matrix, terms, s, multicore=False, passes=10, iterations=100),
        "gensim LdaMulticore (workers=1, passes=10)":
            lambda s: fit_gensim(matrix, terms, s, multicore=True, passes=10, iterations=100),
        "tomotopy LDAModel (1000 Gibbs it., 2 workers)": lambda s: fit_tomotopy(texts, s, iterations=1000, workers=2),
        "tomotopy LDAModel (500 Gibbs it., 2 workers)": lambda s: fit_tomotopy(texts, s, iterations=500, workers=2),
    }
    print(f"toolkit LDA options: Gibbs {GIBBS_DEFAULTS}; solver='vb' {LDA_DEFAULTS}")
    rows = measure(contenders, args.runs, matrix, terms)
    ours = rows[0]
    print()
    for peer in rows[3:]:
        print(f"vs {peer['library']:<48} time ratio (ours/peer) {ours['fit_s'] / peer['fit_s']:5.2f}   "
              f"NPMI difference (ours-peer) {ours['npmi'] - peer['npmi']:+.4f}")


if __name__ == "__main__":
    main()
