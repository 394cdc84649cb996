"""Fitting: :class:`TopicModel`, :func:`fit_topics`, and the fitted model's tidy tables (topic terms,
unit topics, labels) with the FREX score the labels use.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import ToolkitError
from ._setup import Method, Setup, Unit, estimator, nonempty, prepare


@dataclass
class TopicModel:
    """A fitted topic model with tidy tables (returned by :func:`fit_topics`).

    Attributes
    ----------
    k, method, unit : int, str, str
        Number of topics, ``"lda"``/``"nmf"`` and the unit of analysis.
    topic_terms : DataFrame
        ``topic, term, weight, rank``: the ``n_top_terms`` most probable terms of each topic;
        ``weight`` is the topic-term probability (LDA) or the normalised NMF loading (rows sum to 1
        over the whole vocabulary), ``rank`` starts at 1.
    doc_topics : DataFrame
        One row per unit and topic: ``doc_id``, the unit key (``turn_id`` for turn/answer units,
        ``dyad_id`` for dyads), ``topic``, ``weight`` (the unit's topic share, summing to 1 per unit)
        and the unit's metadata (``date``, ``spokesperson``, ``role`` ... whatever the input had,
        except ``text``). Units left without any vocabulary term are not included.
    labels : DataFrame
        ``topic, label, top_terms, frex_terms``: ``top_terms`` are the 5 most probable terms,
        ``frex_terms`` the 5 with the highest FREX score (weight 0.5), ``label`` joins the first
        distinct terms of both lists.
    model_ : GibbsLDA, LatentDirichletAllocation or NMF
        The fitted estimator (``toolkit.topics.gibbs.GibbsLDA`` for the default LDA solver).
    term_matrix_ : TermMatrix
        The document-term matrix of the fitted units (``matrix``, ``terms``, ``rows``, ``vectorizer``).
    vectorizer_ : object
        The vectorizer that produced the matrix (``term_matrix_.vectorizer``).
    topic_word_ : ndarray, shape (k, n_terms)
        Topic-term weights, each row summing to 1.
    doc_topic_ : ndarray, shape (n_units, k)
        Unit-topic shares aligned with ``term_matrix_.rows``.
    params_ : dict
        Provenance, plain JSON: corpus hash, number of documents, versions and every parameter
        (k, method, unit, random_state, term options, model options).
    term_options_ : dict
        The options given to :func:`toolkit.count_terms` (defaults filled in) as they were, not
        made JSON-safe: :func:`coherence` counts a reference table with them.
    """

    k: int
    method: str
    unit: str
    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame
    labels: pd.DataFrame
    model_: object = field(repr=False)
    term_matrix_: object = field(repr=False)
    topic_word_: np.ndarray = field(repr=False)
    doc_topic_: np.ndarray = field(repr=False)
    params_: dict = field(repr=False)
    term_options_: dict = field(repr=False)

    @property
    def vectorizer_(self):
        return self.term_matrix_.vectorizer


def require_model(result, func: str) -> None:
    """Raise :class:`ToolkitError` unless ``result`` is a :class:`TopicModel`."""
    if not isinstance(result, TopicModel):
        raise ToolkitError(f"{func}(): argument 'result' must be a TopicModel from toolkit.fit_topics(), "
                           f"got {type(result).__name__}.")


def fit_topics(
    frame: pd.DataFrame,
    *,
    k: int,
    method: Method = "lda",
    unit: Unit = "doc",
    random_state: int | None = None,
    terms: dict | None = None,
    n_top_terms: int = 30,
    **model_options,
) -> TopicModel:
    """Fit an LDA or NMF topic model and return its tidy tables.

    Parameters
    ----------
    frame : DataFrame
        The table of the chosen ``unit``: for ``"doc"`` any table with ``doc_id`` and ``text``
        (briefings from :func:`toolkit.load_briefings`, or turns/sentences, summed up to
        briefings); for ``"turn"`` and ``"answer"`` turns from :func:`toolkit.split_turns`; for
        ``"dyad"`` dyads from :func:`toolkit.pair_dyads`. Nothing is split here: another table
        raises :class:`toolkit.ToolkitError` naming the call that makes the right one.
    k : int
        Number of topics (at least 2).
    method : {"lda", "nmf"}
        LDA on counts (solver chosen by the model option ``solver``, see below), or scikit-learn's
        ``NMF`` on tf-idf weights (``init="nndsvda"``). NMF is not a probabilistic model (no
        perplexity) but its top terms are far more coherent (NPMI 0.31 vs 0.20 for LDA on the MFA
        answers, k=20, bench/bench_topics.py) and it fits in a few seconds.
    unit : {"doc", "turn", "dyad", "answer"}
        What one "document" of the model is: a briefing, a turn, a question with its answer, or one
        turn of the spokesperson's own words (roles ``statement``, ``answer``, ``report``: the topics
        of what the spokesperson says, not of the questions).
    random_state : int, RandomState or None
        Seed of the model; the same seed gives an identical result. None: a fresh random start.
    terms : dict, optional
        Options for :func:`toolkit.count_terms` (``lang``, ``phrases``, ``stop_words``, ``stem``,
        ``min_df``, ``max_df`` ...); defaults ``min_df=2, max_df=0.9``.
    n_top_terms : int
        Terms per topic kept in ``topic_terms`` (default 30).
    **model_options
        Passed to the estimator. LDA: ``solver="gibbs"`` (default) is collapsed Gibbs sampling
        (:class:`toolkit.topics.gibbs.GibbsLDA`; defaults ``doc_topic_prior=0.1`` re-estimated per
        topic every ``optimize_interval=10`` sweeps, ``topic_word_prior=0.01``, ``max_iter=500``
        sweeps); ``solver="vb"`` is scikit-learn's ``LatentDirichletAllocation``
        (defaults ``learning_method="online", batch_size=2000, learning_offset=1.0,
        learning_decay=0.5, max_iter=10`` passes; priors ``1/k``). Gibbs gives more coherent topics
        (NPMI 0.20 vs 0.17 on the MFA answers, k=20) in a similar time. NMF defaults:
        ``init="nndsvda", max_iter=400``.

    Returns
    -------
    TopicModel
        Tables ``topic_terms`` (topic, term, weight, rank), ``doc_topics`` (doc_id, [turn_id |
        dyad_id], topic, weight, metadata), ``labels`` (topic, label, top_terms, frex_terms);
        ``model_``, ``term_matrix_``, ``vectorizer_``, ``topic_word_``, ``doc_topic_``, ``params_``,
        ``term_options_``.

    Examples
    --------
    >>> turns = toolkit.split_turns(toolkit.load_briefings(path))         # doctest: +SKIP
    >>> model = toolkit.fit_topics(turns, k=20, unit="answer", random_state=0)  # doctest: +SKIP
    >>> model.labels.head()                                                 # doctest: +SKIP
    """
    func = "fit_topics"
    setup = prepare(frame, unit=unit, method=method, ks=[k], terms=terms, func=func)
    return fit_model(setup, k=k, method=method, random_state=random_state, model_options=model_options,
                     n_top_terms=n_top_terms, func=func)


def fit_model(setup: Setup, *, k: int, method: str, random_state, model_options: dict, n_top_terms: int,
              func: str) -> TopicModel:
    """Fit one model on prepared units (:func:`toolkit.topics._setup.prepare`) and build its tables."""
    matrix, rows = nonempty(setup.term_matrix)
    model, topic_word, doc_topic = fit_estimator(matrix, method=method, k=k, random_state=random_state,
                                                 model_options=model_options, func=func)
    terms = np.asarray(setup.term_matrix.terms)
    return TopicModel(
        k=k, method=method, unit=setup.unit,
        topic_terms=_topic_terms(topic_word, terms, n_top_terms),
        doc_topics=_doc_topics(doc_topic, rows, setup.key),
        labels=_labels(topic_word, terms),
        model_=model, term_matrix_=setup.term_matrix, topic_word_=topic_word, doc_topic_=doc_topic,
        params_=setup.provenance(k=k, method=method, random_state=random_state, model_options=model_options),
        term_options_=setup.terms,
    )


def fit_estimator(matrix, *, method: str, k: int, random_state, model_options: dict, func: str):
    """Fit the estimator on a count matrix (NMF: on its tf-idf weights); return it with the
    row-normalised topic-term and unit-topic arrays."""
    if matrix.shape[0] < k or matrix.shape[1] < k:
        raise ToolkitError(
            f"{func}(): only {matrix.shape[0]} non-empty units and {matrix.shape[1]} terms for k={k} topics; "
            "use a smaller k, more documents, or looser term options (terms={'min_df': 1})."
        )
    model = estimator(method, k, random_state, model_options, func)
    if method == "nmf":
        from sklearn.feature_extraction.text import TfidfTransformer

        matrix = TfidfTransformer().fit_transform(matrix)
    doc_topic = model.fit_transform(matrix)
    return model, _normalise(model.components_), _normalise(doc_topic)


def _normalise(array: np.ndarray) -> np.ndarray:
    totals = array.sum(axis=1, keepdims=True)
    return np.divide(array, totals, out=np.full_like(array, 1.0 / array.shape[1], dtype=float), where=totals > 0)


def top_indices(topic_word: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` heaviest terms per topic, heaviest first (ties: vocabulary order)."""
    order = np.argsort(-topic_word, axis=1, kind="stable")
    return order[:, : min(n, topic_word.shape[1])]


def _topic_terms(topic_word: np.ndarray, terms: np.ndarray, n: int) -> pd.DataFrame:
    top = top_indices(topic_word, n)
    k, n = top.shape
    return pd.DataFrame({
        "topic": np.repeat(np.arange(k), n),
        "term": terms[top].ravel(),
        "weight": np.take_along_axis(topic_word, top, axis=1).ravel(),
        "rank": np.tile(np.arange(1, n + 1), k),
    })


def _doc_topics(doc_topic: np.ndarray, rows: pd.DataFrame, key: str | None) -> pd.DataFrame:
    """Long table of unit-topic shares with the units' metadata (and none of the input's ``attrs``:
    the briefings' load report is not this table's, and would stop it from being written to Parquet)."""
    n, k = doc_topic.shape
    meta = rows.drop(columns=["text"], errors="ignore")
    keys = ["doc_id"] + ([key] if key and key in meta.columns else [])
    meta = meta[keys + [c for c in meta.columns if c not in keys]]
    long = meta.loc[np.repeat(np.arange(n), k)].reset_index(drop=True)
    long.insert(len(keys), "topic", np.tile(np.arange(k), n))
    long.insert(len(keys) + 1, "weight", doc_topic.ravel())
    long.attrs = {}
    return long


def frex(topic_word: np.ndarray, *, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (Bischof & Airoldi 2012; Roberts et al., stm).

    ``FREX = 1 / (weight / ECDF(exclusivity) + (1 - weight) / ECDF(frequency))`` where, within a
    topic, ``ECDF(frequency)`` is the rank of the term's probability and ``ECDF(exclusivity)`` the
    rank of ``beta[k, w] / sum_j beta[j, w]`` (average ranks divided by the vocabulary size).

    Returns
    -------
    ndarray, shape (k, n_terms)
    """
    from scipy.stats import rankdata

    beta = np.asarray(topic_word, dtype=float)
    share = beta / beta.sum(axis=0, keepdims=True)
    n_terms = beta.shape[1]
    freq = np.vstack([rankdata(row) for row in beta]) / n_terms
    excl = np.vstack([rankdata(row) for row in share]) / n_terms
    return 1.0 / (weight / excl + (1.0 - weight) / freq)


def _labels(topic_word: np.ndarray, terms: np.ndarray, n: int = 5) -> pd.DataFrame:
    top = terms[top_indices(topic_word, n)]
    exclusive = terms[top_indices(frex(topic_word, weight=0.5), n)]
    rows = []
    for topic, (probable, distinct) in enumerate(zip(top, exclusive)):
        words = list(dict.fromkeys([*probable[:2], *distinct[:3]]))[:4]
        rows.append((topic, ", ".join(words), ", ".join(probable), ", ".join(distinct)))
    return pd.DataFrame(rows, columns=["topic", "label", "top_terms", "frex_terms"])
