"""Topic models (scikit-learn LDA / NMF) with tidy outputs, coherence, exclusivity, choice of k,
seed stability and topic prevalence over time.

The document-term matrix comes from :func:`toolkit.count_terms` (phrases stay single terms).
Everything that depends on chance takes ``random_state``; the same value gives the same result.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.stats import rankdata
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import TfidfTransformer
from tqdm.auto import tqdm

from ._checks import ToolkitError, require_choice, require_columns
from .gibbs import GibbsLDA
from .periods import add_period, period_range
from .provenance import provenance
from .terms import count_terms
from .turns import SPOKESPERSON_ROLES, pair_dyads, split_turns
from .uncertainty import bootstrap_mean

Unit = Literal["doc", "turn", "dyad", "answer"]
Method = Literal["lda", "nmf"]
Measure = Literal["npmi", "umass", "c_v"]

UNITS = ("doc", "turn", "dyad", "answer")
METHODS = ("lda", "nmf")
MEASURES = ("npmi", "umass", "c_v")
EPSILON = 1e-12  # smoothing inside the logarithms, the same constant as gensim's topic_coherence
TERM_DEFAULTS = {"min_df": 2, "max_df": 0.9}
# LDA solvers: "gibbs" (default) = collapsed Gibbs sampling (toolkit.gibbs.GibbsLDA, numba), alpha=0.1 re-estimated
# (asymmetric) every 10 sweeps, eta=0.01, 500 sweeps (NPMI levels off after 200-300 sweeps on the MFA answers, fit
# time within gensim's, bench/bench_topics.py); "vb" = scikit-learn's
# online variational Bayes with gensim's step-size schedule (offset 1, decay 0.5), 10 passes in chunks of 2,000
LDA_SOLVERS = ("gibbs", "vb")
GIBBS_DEFAULTS = {"doc_topic_prior": 0.1, "topic_word_prior": 0.01, "max_iter": 500, "optimize_interval": 10}
LDA_DEFAULTS = {"learning_method": "online", "batch_size": 2000, "learning_offset": 1.0, "learning_decay": 0.5,
                "max_iter": 10}
NMF_DEFAULTS = {"init": "nndsvda", "max_iter": 400}


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
        The fitted estimator (``toolkit.gibbs.GibbsLDA`` for the default LDA solver).
    term_matrix_ : TermMatrix
        The document-term matrix of the fitted units (``matrix``, ``terms``, ``rows``, ``vectorizer``).
    vectorizer_ : object
        The vectorizer that produced the matrix (``term_matrix_.vectorizer``).
    topic_word_ : ndarray, shape (k, n_terms)
        Topic-term weights, each row summing to 1.
    doc_topic_ : ndarray, shape (n_units, k)
        Unit-topic shares aligned with ``term_matrix_.rows``.
    params_ : dict
        Provenance: corpus hash, number of documents, versions and every parameter
        (k, method, unit, random_state, term options, model options).
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

    @property
    def vectorizer_(self):
        return self.term_matrix_.vectorizer


# --------------------------------------------------------------------------------------------
# units and term matrix


def _units(frame: pd.DataFrame, unit: str, func: str) -> tuple[pd.DataFrame, str | None]:
    """Return the table of units to model (with ``text``) and its key column below ``doc_id``."""
    require_choice(unit, UNITS, func=func, arg="unit")
    require_columns(frame, ["doc_id"], func=func)
    if unit == "doc":
        require_columns(frame, ["text"], func=func)
        return frame, None  # count_terms sums turns or sentences up to briefings
    if unit == "dyad":
        dyads = frame if {"question", "answer"} <= set(frame.columns) else _pair(frame, func)
        question = dyads["question"].fillna("").astype(str)
        return dyads.assign(text=question.str.cat(dyads["answer"].fillna("").astype(str), sep="\n")), "dyad_id"
    turns = frame if "turn_id" in frame.columns else _split(frame, func)
    if unit == "answer":
        require_columns(turns, ["role"], func=func)
        turns = turns[turns["role"].isin(SPOKESPERSON_ROLES)]
    return turns, "turn_id"


def _split(frame: pd.DataFrame, func: str) -> pd.DataFrame:
    require_columns(frame, ["text"], func=func)
    return split_turns(frame)


def _pair(frame: pd.DataFrame, func: str) -> pd.DataFrame:
    turns = frame if "turn_id" in frame.columns else _split(frame, func)
    return pair_dyads(turns)


def _term_matrix(units: pd.DataFrame, key: str | None, term_options: dict):
    """Count terms with :func:`toolkit.count_terms`: one matrix row per briefing, turn or dyad."""
    unit = "turn" if key == "turn_id" else "doc"  # a dyad table has no turn_id: one row per dyad
    return count_terms(units, unit=unit, **{**TERM_DEFAULTS, **term_options})


# --------------------------------------------------------------------------------------------
# fitting


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
        Briefings (:func:`toolkit.load_briefings`), turns (:func:`toolkit.split_turns`) or dyads
        (:func:`toolkit.pair_dyads`), with ``doc_id`` and ``text`` (dyads: ``question``, ``answer``).
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
        of what the spokesperson says, not of the questions). Briefings are split into turns when
        the unit needs it.
    random_state : int, optional
        Seed of the model; the same seed gives an identical result.
    terms : dict, optional
        Options for :func:`toolkit.count_terms` (``lang``, ``phrases``, ``stop_words``, ``stem``,
        ``min_df``, ``max_df`` ...); defaults ``min_df=2, max_df=0.9``.
    n_top_terms : int
        Terms per topic kept in ``topic_terms`` (default 30).
    **model_options
        Passed to the estimator. LDA: ``solver="gibbs"`` (default) is collapsed Gibbs sampling
        (:class:`toolkit.gibbs.GibbsLDA`; defaults ``doc_topic_prior=0.1`` re-estimated per topic
        every ``optimize_interval=10`` sweeps, ``topic_word_prior=0.01``, ``max_iter=500`` sweeps);
        ``solver="vb"`` is scikit-learn's ``LatentDirichletAllocation``
        (defaults ``learning_method="online", batch_size=2000, learning_offset=1.0,
        learning_decay=0.5, max_iter=10`` passes; priors ``1/k``). Gibbs gives more coherent topics
        (NPMI 0.20 vs 0.17 on the MFA answers, k=20) in a similar time. NMF defaults:
        ``init="nndsvda", max_iter=400``.

    Returns
    -------
    TopicModel
        Tables ``topic_terms`` (topic, term, weight, rank), ``doc_topics`` (doc_id, [turn_id |
        dyad_id], topic, weight, metadata), ``labels`` (topic, label, top_terms, frex_terms);
        ``model_``, ``term_matrix_``, ``vectorizer_``, ``topic_word_``, ``doc_topic_``, ``params_``.

    Examples
    --------
    >>> turns = toolkit.split_turns(toolkit.load_briefings(path))         # doctest: +SKIP
    >>> model = toolkit.fit_topics(turns, k=20, unit="answer", random_state=0)  # doctest: +SKIP
    >>> model.labels.head()                                                 # doctest: +SKIP
    """
    func = "fit_topics"
    require_choice(method, METHODS, func=func, arg="method")
    _check_k(k, func)
    units, key = _units(frame, unit, func)
    term_options = dict(terms or {})
    tm = _term_matrix(units, key, term_options)
    params = {"k": k, "method": method, "unit": unit, "random_state": random_state,
              "terms": {**TERM_DEFAULTS, **term_options}, "model_options": model_options}
    return _fit_matrix(tm, k=k, method=method, unit=unit, key=key, random_state=random_state,
                       model_options=model_options, n_top_terms=n_top_terms,
                       params=provenance(units, **params))


def _check_k(k, func: str) -> None:
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ToolkitError(f"{func}(): k={k!r} must be an integer of at least 2 (the number of topics).")


def _nonempty(tm) -> tuple[sparse.csr_matrix, pd.DataFrame]:
    """Rows of the term matrix holding at least one term, with their metadata."""
    matrix = sparse.csr_matrix(tm.matrix)
    keep = np.flatnonzero(matrix.getnnz(axis=1) > 0)
    return matrix[keep], tm.rows.iloc[keep].reset_index(drop=True)


def _estimator(method: str, k: int, random_state, model_options: dict, func: str):
    if method == "lda":
        options = dict(model_options)
        solver = options.pop("solver", "gibbs")
        require_choice(solver, LDA_SOLVERS, func=func, arg="solver")
        if solver == "gibbs":
            return GibbsLDA(n_components=k, random_state=random_state, **{**GIBBS_DEFAULTS, **options})
        return LatentDirichletAllocation(n_components=k, random_state=random_state, **{**LDA_DEFAULTS, **options})
    return NMF(n_components=k, random_state=random_state, **{**NMF_DEFAULTS, **model_options})


def _fit_estimator(matrix, *, method: str, k: int, random_state, model_options: dict, func: str):
    """Fit the scikit-learn model; return it with the normalised topic-term and unit-topic arrays."""
    if matrix.shape[0] < k or matrix.shape[1] < k:
        raise ToolkitError(
            f"{func}(): only {matrix.shape[0]} non-empty units and {matrix.shape[1]} terms for k={k} topics; "
            "use a smaller k, more documents, or looser term options (terms={'min_df': 1})."
        )
    model = _estimator(method, k, random_state, model_options, func)
    data = TfidfTransformer().fit_transform(matrix) if method == "nmf" else matrix
    doc_topic = model.fit_transform(data)
    topic_word = _normalise(model.components_)
    return model, topic_word, _normalise(doc_topic)


def _normalise(array: np.ndarray) -> np.ndarray:
    totals = array.sum(axis=1, keepdims=True)
    return np.divide(array, totals, out=np.full_like(array, 1.0 / array.shape[1], dtype=float), where=totals > 0)


def _fit_matrix(tm, *, k, method, unit, key, random_state, model_options, n_top_terms, params) -> TopicModel:
    matrix, rows = _nonempty(tm)
    model, topic_word, doc_topic = _fit_estimator(matrix, method=method, k=k, random_state=random_state,
                                                  model_options=model_options, func="fit_topics")
    terms = np.asarray(tm.terms)
    return TopicModel(
        k=k, method=method, unit=unit,
        topic_terms=_topic_terms(topic_word, terms, n_top_terms),
        doc_topics=_doc_topics(doc_topic, rows, key),
        labels=_labels(topic_word, terms),
        model_=model, term_matrix_=tm, topic_word_=topic_word, doc_topic_=doc_topic, params_=params,
    )


def _top_indices(topic_word: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` heaviest terms per topic, heaviest first (ties: vocabulary order)."""
    order = np.argsort(-topic_word, axis=1, kind="stable")
    return order[:, : min(n, topic_word.shape[1])]


def _topic_terms(topic_word: np.ndarray, terms: np.ndarray, n: int) -> pd.DataFrame:
    top = _top_indices(topic_word, n)
    k, n = top.shape
    return pd.DataFrame({
        "topic": np.repeat(np.arange(k), n),
        "term": terms[top].ravel(),
        "weight": np.take_along_axis(topic_word, top, axis=1).ravel(),
        "rank": np.tile(np.arange(1, n + 1), k),
    })


def _doc_topics(doc_topic: np.ndarray, rows: pd.DataFrame, key: str | None) -> pd.DataFrame:
    n, k = doc_topic.shape
    meta = rows.drop(columns=["text"], errors="ignore")
    keys = ["doc_id"] + ([key] if key and key in meta.columns else [])
    meta = meta[keys + [c for c in meta.columns if c not in keys]]
    long = meta.loc[np.repeat(np.arange(n), k)].reset_index(drop=True)
    long.insert(len(keys), "topic", np.tile(np.arange(k), n))
    long.insert(len(keys) + 1, "weight", doc_topic.ravel())
    return long


# --------------------------------------------------------------------------------------------
# FREX, labels and exclusivity


def frex(topic_word: np.ndarray, *, weight: float = 0.5) -> np.ndarray:
    """FREX score of every term in every topic (Bischof & Airoldi 2012; Roberts et al., stm).

    ``FREX = 1 / (weight / ECDF(exclusivity) + (1 - weight) / ECDF(frequency))`` where, within a
    topic, ``ECDF(frequency)`` is the rank of the term's probability and ``ECDF(exclusivity)`` the
    rank of ``beta[k, w] / sum_j beta[j, w]`` (average ranks divided by the vocabulary size).
    """
    beta = np.asarray(topic_word, dtype=float)
    share = beta / beta.sum(axis=0, keepdims=True)
    n_terms = beta.shape[1]
    freq = np.vstack([rankdata(row) for row in beta]) / n_terms
    excl = np.vstack([rankdata(row) for row in share]) / n_terms
    return 1.0 / (weight / excl + (1.0 - weight) / freq)


def _labels(topic_word: np.ndarray, terms: np.ndarray, n: int = 5) -> pd.DataFrame:
    top = terms[_top_indices(topic_word, n)]
    exclusive = terms[_top_indices(frex(topic_word, weight=0.5), n)]
    rows = []
    for topic, (probable, distinct) in enumerate(zip(top, exclusive)):
        words = list(dict.fromkeys([*probable[:2], *distinct[:3]]))[:4]
        rows.append((topic, ", ".join(words), ", ".join(probable), ", ".join(distinct)))
    return pd.DataFrame(rows, columns=["topic", "label", "top_terms", "frex_terms"])


def exclusivity(result: TopicModel, *, top_n: int = 10, weight: float = 0.7) -> pd.DataFrame:
    """Exclusivity of each topic: the mean FREX score of its ``top_n`` most probable terms.

    This is ``stm::exclusivity(model, M=top_n, frexw=weight)`` divided by ``top_n`` (so it lies
    in (0, 1]): FREX with weight ``weight`` on exclusivity (see :func:`frex`). A topic whose
    frequent terms are also rare in the other topics scores near 1.

    Returns
    -------
    DataFrame
        ``topic, label, exclusivity``.
    """
    _require_model(result, "exclusivity")
    scores = frex(result.topic_word_, weight=weight)
    top = _top_indices(result.topic_word_, top_n)
    values = np.take_along_axis(scores, top, axis=1).mean(axis=1)
    return result.labels[["topic", "label"]].assign(exclusivity=values)


def _require_model(result, func: str) -> None:
    if not isinstance(result, TopicModel):
        raise ToolkitError(f"{func}(): argument 'result' must be a TopicModel from toolkit.fit_topics(), "
                           f"got {type(result).__name__}.")


# --------------------------------------------------------------------------------------------
# coherence


def coherence(
    result: TopicModel | pd.DataFrame,
    *,
    measure: Measure = "npmi",
    top_n: int = 10,
    reference=None,
) -> pd.DataFrame:
    """Coherence of each topic's ``top_n`` terms, from their co-occurrence in documents.

    Probabilities are document frequencies: ``P(w) = D(w) / N`` and ``P(w1, w2) = D(w1, w2) / N``
    with ``N`` the number of reference units holding at least one vocabulary term (gensim's
    ``boolean_document`` estimate). ``eps = 1e-12`` as in gensim.

    - ``"npmi"``: mean over all pairs of ``log((P(wi, wj) + eps) / (P(wi) P(wj))) / -log(P(wi, wj) + eps)``
      (Bouma 2009; Aletras & Stevenson 2013); from -1 to 1. Equals gensim ``c_npmi`` when its
      sliding window covers a whole document.
    - ``"umass"``: mean over ordered pairs ``i > j`` (terms ranked by weight) of
      ``log((D(wi, wj) / N + eps) / (D(wj) / N))`` (Mimno et al. 2011); equals gensim ``u_mass``.
    - ``"c_v"``: Röder et al. 2015: NPMI context vectors ``v(wi) = [NPMI(wi, wj)]_j`` over the
      topic's terms, mean cosine between ``v(wi)`` and ``sum_j v(wj)``. gensim's ``c_v`` counts
      co-occurrence in sliding windows of 110 tokens; this one counts it in whole units, which is
      gensim's ``c_v`` with a window as long as the longest document.

    Pairs involving a term that never occurs in the reference are left out of the mean.

    Parameters
    ----------
    result : TopicModel or DataFrame
        A fitted model, or any ``topic_terms`` table (``topic, term, rank``) such as one built from
        another library's topics (then ``reference`` is required).
    measure : {"npmi", "umass", "c_v"}
    top_n : int
        Terms per topic (default 10).
    reference : TermMatrix, DataFrame or None
        Where co-occurrence is counted: ``None`` uses the units the model was fitted on; a
        ``TermMatrix`` (or any object with ``matrix`` and ``terms``) is used as it is; a DataFrame
        of briefings/turns is cut into the model's units and counted with its term options.

    Returns
    -------
    DataFrame
        One row per topic: ``topic``, ``label`` (for a TopicModel), ``measure``, ``coherence``,
        ``terms`` (the scored terms, best first). ``.attrs["overall"]`` holds the mean over topics
        (gensim's ``get_coherence()``).

    Examples
    --------
    >>> toolkit.coherence(model, measure="npmi").coherence.mean()     # doctest: +SKIP
    """
    func = "coherence"
    require_choice(measure, MEASURES, func=func, arg="measure")
    table = result.topic_terms if isinstance(result, TopicModel) else result
    require_columns(table, ["topic", "term", "rank"], func=func, arg="result")
    ref = _reference(result, reference, func)
    ordered = table.sort_values(["topic", "rank"], kind="stable")
    topics = {t: list(part["term"].iloc[:top_n]) for t, part in ordered.groupby("topic", sort=True)}
    scores = topic_coherence_scores(list(topics.values()), ref.matrix, ref.terms, measure=measure)
    out = pd.DataFrame({"topic": list(topics), "measure": measure, "coherence": scores,
                        "terms": [", ".join(words) for words in topics.values()]})
    if isinstance(result, TopicModel):
        out.insert(1, "label", out["topic"].map(result.labels.set_index("topic")["label"]))
    out.attrs["overall"] = float(np.nanmean(scores)) if len(scores) else float("nan")
    return out


def _reference(result, reference, func: str):
    if reference is None:
        if not isinstance(result, TopicModel):
            raise ToolkitError(f"{func}(): 'reference' is required when 'result' is a table of topic terms; "
                               "pass a TermMatrix from toolkit.count_terms() or a TopicModel.")
        return result.term_matrix_
    if isinstance(reference, pd.DataFrame):
        if not isinstance(result, TopicModel):
            raise ToolkitError(f"{func}(): a DataFrame 'reference' needs a TopicModel 'result' (its units and "
                               "term options are reused); pass a TermMatrix from toolkit.count_terms() instead.")
        params = result.params_["parameters"]
        units, key = _units(reference, result.unit, func)
        return _term_matrix(units, key, {**params["terms"], "min_df": 1, "max_df": 1.0})
    if not (hasattr(reference, "matrix") and hasattr(reference, "terms")):
        raise ToolkitError(f"{func}(): 'reference' must be a TermMatrix (with .matrix and .terms), a DataFrame "
                           f"of units or None, got {type(reference).__name__}.")
    return reference


def topic_coherence_scores(topics: list[list[str]], matrix, terms, *, measure: Measure = "npmi") -> np.ndarray:
    """Coherence of each list of terms (best first) from document co-occurrence in ``matrix``.

    The numerical core of :func:`coherence`: ``matrix`` is a units x terms count matrix whose
    columns are named by ``terms``. Returns one value per topic (NaN if no pair is scorable).
    """
    require_choice(measure, MEASURES, func="coherence", arg="measure")
    counts = sparse.csr_matrix(matrix)
    counts = counts[counts.getnnz(axis=1) > 0]
    n_docs = counts.shape[0]
    position = {term: i for i, term in enumerate(np.asarray(terms).tolist())}
    words = list(dict.fromkeys(w for topic in topics for w in topic))
    present = [w for w in words if w in position]
    binary = (counts[:, [position[w] for w in present]] > 0).astype(np.float64)
    joint = np.zeros((len(words), len(words)))
    index = [words.index(w) for w in present]
    joint[np.ix_(index, index)] = (binary.T @ binary).toarray()
    slot = {w: i for i, w in enumerate(words)}
    scorer = {"npmi": _npmi_topic, "umass": _umass_topic, "c_v": _cv_topic}[measure]
    return np.array([scorer(joint[np.ix_(ids, ids)] / max(n_docs, 1))
                     for ids in ([slot[w] for w in topic] for topic in topics)])


def _npmi_matrix(prob: np.ndarray) -> np.ndarray:
    """NPMI of every pair of terms (diagonal included) from a joint document-probability matrix."""
    single = np.diag(prob)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log((prob + EPSILON) / np.outer(single, single))
        values = pmi / -np.log(prob + EPSILON)
    return np.where(np.isfinite(values), values, np.nan)


def _mean(values: np.ndarray) -> float:
    values = values[~np.isnan(values)]
    return float(values.mean()) if values.size else float("nan")


def _npmi_topic(prob: np.ndarray) -> float:
    off_diagonal = ~np.eye(len(prob), dtype=bool)
    return _mean(_npmi_matrix(prob)[off_diagonal])


def _umass_topic(prob: np.ndarray) -> float:
    single = np.diag(prob)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.log((prob + EPSILON) / single[np.newaxis, :])  # row i = w', column j = w*
    values = np.where(np.isfinite(values), values, np.nan)
    return _mean(values[np.tril_indices(len(prob), k=-1)])


def _cv_topic(prob: np.ndarray) -> float:
    vectors = np.nan_to_num(_npmi_matrix(prob))
    whole = vectors.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cosines = vectors @ whole / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(whole))
    return _mean(np.where(np.isfinite(cosines), cosines, np.nan))


# --------------------------------------------------------------------------------------------
# choice of k


def select_k(
    frame: pd.DataFrame,
    *,
    ks=(5, 10, 15, 20, 30, 40),
    method: Method = "lda",
    unit: Unit = "doc",
    measure: Measure = "npmi",
    top_n: int = 10,
    test_size: float = 0.2,
    random_state: int | None = None,
    terms: dict | None = None,
    progress: bool = True,
    **model_options,
) -> pd.DataFrame:
    """Fit one model per k and tabulate coherence, exclusivity and held-out perplexity.

    The briefings (``doc_id``) are split once into a training part and a held-out part of
    ``test_size``; each model is fitted on the training units, its coherence counted on all
    units, its perplexity (LDA only, lower is better) on the held-out units. A progress bar
    (tqdm) shows the fits.

    Parameters
    ----------
    frame : DataFrame
        As for :func:`fit_topics`.
    ks : sequence of int
        Numbers of topics to try.
    method, unit, terms, **model_options
        As for :func:`fit_topics`.
    measure : {"npmi", "umass", "c_v"}
        Coherence measure (see :func:`coherence`).
    top_n : int
        Terms per topic for coherence and exclusivity.
    test_size : float
        Share of briefings held out for perplexity (0 < test_size < 1).
    random_state : int, optional
        Seed of the split and of every model.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    DataFrame
        One row per k: ``k``, ``coherence`` (mean over topics), ``coherence_sd`` (spread over
        topics), ``exclusivity`` (mean, see :func:`exclusivity`), ``perplexity`` (held out; NaN
        for NMF), ``measure``.
    """
    func = "select_k"
    require_choice(method, METHODS, func=func, arg="method")
    require_choice(measure, MEASURES, func=func, arg="measure")
    for k in ks:
        _check_k(k, func)
    if not 0 < test_size < 1:
        raise ToolkitError(f"{func}(): test_size={test_size!r} must be between 0 and 1, e.g. 0.2.")
    units, key = _units(frame, unit, func)
    tm = _term_matrix(units, key, dict(terms or {}))
    matrix, rows = _nonempty(tm)
    train, test = _split_by_doc(rows["doc_id"].to_numpy(), test_size, random_state)
    table = []
    for k in tqdm(list(ks), desc="select_k", disable=not progress):
        model, topic_word, _ = _fit_estimator(matrix[train], method=method, k=k, random_state=random_state,
                                              model_options=model_options, func=func)
        top = [list(tm.terms[i]) for i in _top_indices(topic_word, top_n)]
        scores = topic_coherence_scores(top, matrix, tm.terms, measure=measure)
        excl = np.take_along_axis(frex(topic_word, weight=0.7), _top_indices(topic_word, top_n), axis=1)
        perplexity = model.perplexity(matrix[test]) if method == "lda" else np.nan
        table.append((k, np.nanmean(scores), np.nanstd(scores), excl.mean(), perplexity))
    out = pd.DataFrame(table, columns=["k", "coherence", "coherence_sd", "exclusivity", "perplexity"])
    return out.assign(measure=measure)


def _split_by_doc(doc_ids: np.ndarray, test_size: float, random_state) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of training and held-out units, holding out whole briefings."""
    docs = np.unique(doc_ids)
    rng = np.random.default_rng(random_state)
    n_test = min(max(1, round(test_size * len(docs))), len(docs) - 1)
    held = np.isin(doc_ids, rng.choice(docs, size=n_test, replace=False))
    return np.flatnonzero(~held), np.flatnonzero(held)


def plot_select_k(table: pd.DataFrame, *, ax=None) -> np.ndarray:
    """Draw coherence, exclusivity and perplexity against k, one panel each.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`select_k`.
    ax : sequence of 3 matplotlib Axes, optional
        Where to draw; a new figure with three panels when omitted.

    Returns
    -------
    ndarray of Axes
        The three panels (coherence, exclusivity, perplexity).
    """
    require_columns(table, ["k", "coherence", "exclusivity", "perplexity"], func="plot_select_k", arg="table")
    axes = np.asarray(ax) if ax is not None else plt.subplots(1, 3, figsize=(12, 3.5), constrained_layout=True)[1]
    metric_names = ["coherence", "exclusivity", "perplexity"]
    if axes.size != len(metric_names):
        raise ToolkitError("plot_select_k(): 'ax' must hold 3 Axes (coherence, exclusivity, perplexity).")
    for axis, metric in zip(axes.ravel(), metric_names):
        axis.plot(table["k"], table[metric], marker="o")
        title = f"coherence ({table['measure'].iloc[0]})" if metric == "coherence" and "measure" in table else metric
        axis.set(xlabel="k (topics)", ylabel=metric, title=title)
    return axes.ravel()


# --------------------------------------------------------------------------------------------
# stability across seeds


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
    frame: pd.DataFrame,
    *,
    k: int,
    seeds=(0, 1, 2, 3, 4),
    method: Method = "lda",
    unit: Unit = "doc",
    terms: dict | None = None,
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
    frame : DataFrame
        As for :func:`fit_topics`.
    k : int
        Number of topics.
    seeds : sequence of int
        At least two seeds; the first is the reference run.
    method, unit, terms, **model_options
        As for :func:`fit_topics`.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    TopicStability
        ``topics`` (topic, label, stability, min_similarity), ``matches`` (seed, topic,
        matched_topic, similarity), ``overall``, ``models``.
    """
    func = "topic_stability"
    seeds = list(seeds)
    if len(seeds) < 2:
        raise ToolkitError(f"{func}(): seeds={seeds!r} needs at least two seeds, e.g. seeds=(0, 1, 2, 3, 4).")
    require_choice(method, METHODS, func=func, arg="method")
    _check_k(k, func)
    units, key = _units(frame, unit, func)
    term_options = dict(terms or {})
    tm = _term_matrix(units, key, term_options)
    models = []
    for seed in tqdm(seeds, desc="topic_stability", disable=not progress):
        params = provenance(units, k=k, method=method, unit=unit, random_state=seed,
                            terms={**TERM_DEFAULTS, **term_options}, model_options=model_options)
        models.append(_fit_matrix(tm, k=k, method=method, unit=unit, key=key, random_state=seed,
                                  model_options=model_options, n_top_terms=30, params=params))
    matches = pd.concat([_match(models[0], other, seed) for seed, other in zip(seeds[1:], models[1:])],
                        ignore_index=True)
    per_topic = matches.groupby("topic")["similarity"].agg(stability="mean", min_similarity="min").reset_index()
    topics = models[0].labels[["topic", "label"]].merge(per_topic, on="topic")
    return TopicStability(topics=topics, matches=matches, overall=float(topics["stability"].mean()),
                          models=models)


def _match(reference: TopicModel, other: TopicModel, seed) -> pd.DataFrame:
    similarity = _cosine(reference.topic_word_, other.topic_word_)
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return pd.DataFrame({"seed": seed, "topic": rows, "matched_topic": cols, "similarity": similarity[rows, cols]})


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


# --------------------------------------------------------------------------------------------
# prevalence over time


def topic_prevalence(
    result: TopicModel,
    *,
    by: str = "quarter",
    group: str | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Mean topic share per period (and group) with document-cluster bootstrap intervals.

    A topic's prevalence in a period is the mean of its share over the units of that period;
    the interval resamples whole briefings (:func:`toolkit.uncertainty.bootstrap_mean`).
    Every period from the first to the last one appears: a period (or period x group) without
    any unit is a row with NaN prevalence and ``n_units = 0`` (a gap, not a zero).

    Parameters
    ----------
    result : TopicModel
        From :func:`fit_topics`.
    by : str
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"`` or a column of
        ``result.doc_topics`` such as ``"spokesperson"`` (prevalence by spokesperson).
    group : str, optional
        A further column to split by (for example ``"spokesperson"`` with ``by="year"``).
    n_boot, level : int, float
        Bootstrap replicates and interval coverage.
    random_state : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        ``topic, label, period, [group], prevalence, ci_low, ci_high, n_units, n_docs``.
    """
    func = "topic_prevalence"
    _require_model(result, func)
    shares = add_period(result.doc_topics, by=by, func=func)
    groups = ["topic", "period"] + ([group] if group else [])
    require_columns(shares, groups, func=func, arg="result.doc_topics")
    estimates = bootstrap_mean(shares, value="weight", group=groups, cluster="doc_id", n_boot=n_boot,
                               level=level, random_state=random_state, func=func)
    grid = _grid(shares, by=by, group=group, k=result.k)
    out = grid.merge(estimates, on=groups, how="left")
    out[["n", "n_clusters"]] = out[["n", "n_clusters"]].fillna(0).astype(int)
    out = out.rename(columns={"estimate": "prevalence", "n": "n_units", "n_clusters": "n_docs"})
    out.insert(1, "label", out["topic"].map(result.labels.set_index("topic")["label"]))
    return out


def _grid(shares: pd.DataFrame, *, by: str, group: str | None, k: int) -> pd.DataFrame:
    """Every topic x period (first..last, gaps included) [x group value] combination."""
    axes = {"topic": np.arange(k), "period": period_range(shares["period"], by=by)}
    if group:
        axes[group] = sorted(shares[group].dropna().unique())
    index = pd.MultiIndex.from_product(list(axes.values()), names=list(axes))
    return index.to_frame(index=False)


def plot_topics_over_time(
    prevalence: pd.DataFrame,
    *,
    topics=None,
    col_wrap: int = 4,
    ax=None,
) -> np.ndarray:
    """Small multiples of topic prevalence over time with confidence bands.

    One panel per topic (line = ``prevalence``, band = ``ci_low``..``ci_high``); with a group
    column (from ``topic_prevalence(group=...)``) one line per group value in each panel. Periods
    without units are NaN and show as breaks in the line and band.

    Parameters
    ----------
    prevalence : DataFrame
        Output of :func:`topic_prevalence`.
    topics : sequence of int, optional
        Topics to draw (default all).
    col_wrap : int
        Panels per row of the grid.
    ax : matplotlib Axes, optional
        Draw every selected topic into this one Axes instead (one line per topic; not with a group).

    Returns
    -------
    ndarray of Axes
        The grid's panels, one per topic in order (a one-element array holding ``ax`` when given).
    """
    func = "plot_topics_over_time"
    base = ["topic", "label", "period", "prevalence", "ci_low", "ci_high", "n_units", "n_docs"]
    require_columns(prevalence, base, func=func, arg="prevalence")
    extra = [c for c in prevalence.columns if c not in base]
    selected = sorted(prevalence["topic"].unique()) if topics is None else list(topics)
    data = prevalence[prevalence["topic"].isin(selected)].assign(x=_x_values(prevalence["period"]))
    if ax is not None:
        if extra:
            raise ToolkitError(f"{func}(): a single 'ax' cannot show the group column {extra[0]!r}; omit ax.")
        for topic, part in data.groupby("topic"):
            _band(ax, part, label=f"{topic}: {part['label'].iloc[0]}")
        ax.legend(fontsize="small")
        return np.array([ax])
    n_rows = math.ceil(len(selected) / col_wrap)
    n_cols = min(col_wrap, len(selected))
    _, grid = plt.subplots(n_rows, n_cols, figsize=(3.2 * n_cols, 2.4 * n_rows), sharex=True, sharey=True,
                             squeeze=False, constrained_layout=True)
    panels = grid.ravel()
    for axis, topic in zip(panels, selected):
        part = data[data["topic"] == topic]
        for name, line in (part.groupby(extra[0]) if extra else [(None, part)]):
            _band(axis, line, label=name)
        axis.set_title(f"{topic}: {part['label'].iloc[0]}", fontsize="small")
        axis.tick_params(axis="x", labelrotation=45, labelsize="small")
    for axis in panels[len(selected):]:
        axis.set_visible(False)
    if extra:
        panels[0].legend(fontsize="x-small", title=extra[0])
    return panels[: len(selected)]


def _x_values(period: pd.Series):
    if isinstance(period.dtype, pd.PeriodDtype):
        return period.dt.to_timestamp()
    return period.astype(str)


def _band(axis, part: pd.DataFrame, *, label) -> None:
    part = part.sort_values("x")
    (line,) = axis.plot(part["x"], part["prevalence"], label=label)
    axis.fill_between(part["x"], part["ci_low"], part["ci_high"], alpha=0.25, color=line.get_color(), linewidth=0)
