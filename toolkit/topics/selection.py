"""Choosing a model: :func:`select_k` (coherence, exclusivity and held-out perplexity per k) with
its plot :func:`plot_select_k`, and :func:`topic_stability` (how well topics reproduce across seeds,
:class:`TopicStability`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_choice, require_columns
from ._setup import Method, Unit, nonempty, prepare
from .fit import TopicModel, first_terms, fit_estimator, fit_model, ranking
from .quality import MEASURES, Measure, top_frex, topic_coherence_scores


def select_k(
    data,
    *,
    ks=(5, 10, 15, 20, 30, 40),
    method: Method = "lda",
    unit: Unit = "answer",
    measure: Measure = "npmi",
    top_n: int = 10,
    test_size: float = 0.2,
    random_state: int | None = None,
    terms: dict | None = None,
    genre_stop_words="default",
    progress: bool = True,
    **model_options,
) -> pd.DataFrame:
    """Fit one model per k and tabulate coherence, exclusivity and held-out perplexity.

    The units are made as by :func:`fit_topics` (same defaults: answers, genre stop list, ``min_df``
    and ``max_df``). The briefings (``doc_id``) are split once into a training part and a held-out
    part of ``test_size``; each model is fitted on the training units, its coherence counted on all
    units, its exclusivity over the terms that occur in the training units, its perplexity (LDA
    only, lower is better) on the held-out units. A progress bar (tqdm) shows the fits.

    Parameters
    ----------
    data : DataFrame or TermMatrix
        As for :func:`fit_topics`.
    ks : sequence of int
        Numbers of topics to try.
    method, unit, terms, genre_stop_words, **model_options
        As for :func:`fit_topics`.
    measure : {"npmi", "umass", "c_v"}
        Coherence measure (see :func:`coherence`).
    top_n : int
        Terms per topic for coherence (the first of each topic as ``topic_terms`` ranks them) and
        exclusivity (the most probable, as stm).
    test_size : float
        Share of briefings held out for perplexity (0 < test_size < 1).
    random_state : int, RandomState or None
        Seed of the held-out split (drawn with ``sklearn.utils.check_random_state(random_state)``)
        and of every model; the same seed gives an identical table. None: a fresh random start.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    DataFrame
        One row per k: ``k``, ``coherence`` (mean over topics), ``coherence_sd`` (spread over
        topics), ``exclusivity`` (mean, see :func:`exclusivity`), ``perplexity`` (held out; NaN
        for NMF, which has none), ``measure``.
    """
    from sklearn.utils import check_random_state
    from tqdm.auto import tqdm

    func = "select_k"
    ks = list(ks)
    require_choice(measure, MEASURES, func=func, arg="measure")
    if not 0 < test_size < 1:
        raise ToolkitError(f"{func}(): test_size={test_size!r} must be between 0 and 1, e.g. 0.2.")
    setup = prepare(data, unit=unit, method=method, ks=ks, terms=terms, genre_stop_words=genre_stop_words,
                    func=func)
    matrix, rows = nonempty(setup.term_matrix)
    train, test = _split_by_doc(rows["doc_id"].to_numpy(), test_size, check_random_state(random_state))
    seen = np.flatnonzero(matrix[train].getnnz(axis=0) > 0)      # terms of the training units
    vocabulary = np.asarray(setup.term_matrix.terms)[seen]
    table = []
    for k in tqdm(ks, desc="select_k", disable=not progress):
        model, topic_word, _ = fit_estimator(matrix[train][:, seen], method=method, k=k, random_state=random_state,
                                             model_options=model_options, func=func)
        top = [list(vocabulary[i]) for i in first_terms(topic_word, ranking(model, topic_word, method), top_n)]
        scores = topic_coherence_scores(top, matrix[:, seen], vocabulary, measure=measure)
        excl = top_frex(topic_word, top_n=top_n, weight=0.7)
        perplexity = model.perplexity(matrix[test][:, seen]) if method == "lda" else np.nan
        table.append((k, np.nanmean(scores), np.nanstd(scores), excl.mean(), perplexity))
    out = pd.DataFrame(table, columns=["k", "coherence", "coherence_sd", "exclusivity", "perplexity"])
    return out.assign(measure=measure)


def _split_by_doc(doc_ids: np.ndarray, test_size: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of training and held-out units, holding out whole briefings drawn with ``rng``."""
    docs = np.unique(doc_ids)
    n_test = min(max(1, round(test_size * len(docs))), len(docs) - 1)
    held = np.isin(doc_ids, rng.choice(docs, size=n_test, replace=False))
    return np.flatnonzero(~held), np.flatnonzero(held)


def plot_select_k(table: pd.DataFrame, *, ax=None) -> np.ndarray:
    """Draw coherence, exclusivity and (for LDA) held-out perplexity against k, one panel each.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`select_k`. An NMF table (perplexity all NaN) gets no perplexity panel.
    ax : sequence of Axes, optional
        Where to draw, one Axes per panel (3, or 2 for NMF); a new figure when omitted.

    Returns
    -------
    ndarray of Axes
        The panels (coherence, exclusivity[, perplexity]).
    """
    import matplotlib.pyplot as plt

    func = "plot_select_k"
    require_columns(table, ["k", "coherence", "exclusivity", "perplexity"], func=func, arg="table")
    metric_names = ["coherence", "exclusivity"] + (["perplexity"] if table["perplexity"].notna().any() else [])
    n = len(metric_names)
    axes = np.asarray(ax) if ax is not None else plt.subplots(1, n, figsize=(4 * n, 3.5), constrained_layout=True)[1]
    if axes.size != n:
        raise ToolkitError(f"{func}(): 'ax' must hold {n} Axes ({', '.join(metric_names)}).")
    for axis, metric in zip(axes.ravel(), metric_names):
        axis.plot(table["k"], table[metric], marker="o")
        title = f"coherence ({table['measure'].iloc[0]})" if metric == "coherence" and "measure" in table else metric
        axis.set(xlabel="k (topics)", ylabel=metric, title=title)
    return axes.ravel()


@dataclass
class TopicStability:
    """Result of :func:`topic_stability`.

    Attributes
    ----------
    topics : DataFrame
        One row per topic of the reference run (the first seed): ``topic``, ``label``,
        ``stability`` (mean cosine similarity to its matched topic in the other runs),
        ``min_similarity`` (the worst match).
    matches : DataFrame
        ``seed, topic, matched_topic, similarity``: the Hungarian alignment of every other run
        to the reference run.
    overall : float
        Mean of ``topics.stability``.
    models : list of TopicModel
        The fitted models, one per seed.
    """

    topics: pd.DataFrame
    matches: pd.DataFrame
    overall: float
    models: list = field(repr=False)


def topic_stability(
    data,
    *,
    k: int,
    seeds=(0, 1, 2, 3, 4),
    method: Method = "lda",
    unit: Unit = "answer",
    terms: dict | None = None,
    genre_stop_words="default",
    progress: bool = True,
    **model_options,
) -> TopicStability:
    """Fit the same model with several seeds and measure how well its topics reproduce.

    Each run's topics are aligned to the first seed's topics by the Hungarian algorithm
    (``scipy.optimize.linear_sum_assignment``) maximising the cosine similarity of their
    topic-term weight vectors; a topic's stability is the mean similarity of its matches
    (1 = the same topic in every run).

    Parameters
    ----------
    data : DataFrame or TermMatrix
        As for :func:`fit_topics` (same defaults).
    k : int
        Number of topics.
    seeds : sequence of int
        At least two seeds; the first is the reference run.
    method, unit, terms, genre_stop_words, **model_options
        As for :func:`fit_topics`.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    TopicStability
        ``topics`` (topic, label, stability, min_similarity), ``matches`` (seed, topic,
        matched_topic, similarity), ``overall``, ``models``.
    """
    from tqdm.auto import tqdm

    func = "topic_stability"
    seeds = list(seeds)
    if len(seeds) < 2:
        raise ToolkitError(f"{func}(): seeds={seeds!r} needs at least two seeds, e.g. seeds=(0, 1, 2, 3, 4).")
    setup = prepare(data, unit=unit, method=method, ks=[k], terms=terms, genre_stop_words=genre_stop_words,
                    func=func)
    models = [fit_model(setup, k=k, method=method, random_state=seed, model_options=model_options, n_top_terms=30,
                        func=func)
              for seed in tqdm(seeds, desc="topic_stability", disable=not progress)]
    matches = pd.concat([_match(models[0], other, seed) for seed, other in zip(seeds[1:], models[1:])],
                        ignore_index=True)
    per_topic = matches.groupby("topic")["similarity"].agg(stability="mean", min_similarity="min").reset_index()
    topics = models[0].labels[["topic", "label"]].merge(per_topic, on="topic")
    return TopicStability(topics=topics, matches=matches, overall=float(topics["stability"].mean()),
                          models=models)


def _match(reference: TopicModel, other: TopicModel, seed) -> pd.DataFrame:
    """The Hungarian alignment of ``other``'s topics to ``reference``'s: ``seed, topic, matched_topic, similarity``."""
    from scipy.optimize import linear_sum_assignment

    similarity = _cosine(reference.topic_word_, other.topic_word_)
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return pd.DataFrame({"seed": seed, "topic": rows, "matched_topic": cols, "similarity": similarity[rows, cols]})


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T
