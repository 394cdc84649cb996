"""Fitting: :class:`TopicModel`, :func:`fit_topics`, and the fitted model's tidy tables (topic terms,
unit topics, labels, the most typical units of each topic) with the FREX score the labels use.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .._checks import ToolkitError
from ._setup import Method, Setup, Unit, estimator, nonempty, prepare

RELEVANCE_WEIGHT = 0.6  # lambda of Sievert & Shirley (2014): the best value in their user study


@dataclass
class TopicModel:
    """A fitted topic model with tidy tables (returned by :func:`fit_topics`).

    Attributes
    ----------
    k, method, unit : int, str, str
        Number of topics, ``"lda"``/``"nmf"`` and the unit of analysis.
    topic_terms : DataFrame
        ``topic, term, weight, relevance, rank``: the ``n_top_terms`` first terms of each topic,
        ``rank`` 1 first. LDA ranks by relevance (Sievert & Shirley 2014, ``lambda=0.6``, see
        :func:`relevance`): the probability in the topic traded against the lift over the term's
        share of the corpus, so that words frequent in every topic do not head each list; NMF, whose
        tf-idf input already discounts frequent words, ranks by its loading (``relevance`` NaN).
        ``weight`` is the topic-term probability (LDA) or the normalised NMF loading (rows sum to 1
        over the whole vocabulary).
    doc_topics : DataFrame
        One row per unit and topic: ``doc_id``, the unit key (``turn_id`` for turn/answer units,
        ``dyad_id`` for dyads), ``topic``, ``weight`` (the unit's topic share, summing to 1 per unit)
        and the unit's metadata (``date``, ``spokesperson``, ``role`` ... whatever the input had,
        except ``text``). Units left without any vocabulary term are not included.
    labels : DataFrame
        ``topic, label, top_terms, frex_terms``: ``top_terms`` are the first 7 of ``topic_terms``,
        ``frex_terms`` the 7 with the highest FREX score (weight 0.5), ``label`` joins the first
        distinct terms of both lists (at most 4: 2 top terms, then FREX terms).
    representative_docs : DataFrame
        ``topic, label, rank, doc_id, [turn_id | dyad_id], weight, text``: the 3 units with the
        highest share of each topic (stm's ``findThoughts``), ``rank`` 1 the most typical; ``text``
        is the unit's text, or its tokens as counted when the model was fitted on a TermMatrix.
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
        The term options (defaults filled in, with ``genre_stop_words``) as they were, not made
        JSON-safe.
    """

    k: int
    method: str
    unit: str
    topic_terms: pd.DataFrame
    doc_topics: pd.DataFrame
    labels: pd.DataFrame
    representative_docs: pd.DataFrame
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
    data,
    *,
    k: int,
    method: Method = "lda",
    unit: Unit = "answer",
    random_state: int | None = None,
    terms: dict | None = None,
    genre_stop_words="default",
    n_top_terms: int = 30,
    **model_options,
) -> TopicModel:
    """Fit an LDA or NMF topic model and return its tidy tables.

    The defaults suit press briefings: the units are the spokesperson's answers, terms of the
    briefing genre are left out (turn labels such as ``q``/``a``, outlet names printed as labels,
    procedural boilerplate such as "I'm not aware of", "refer you to the competent authorities",
    关于你提到的, 我不掌握: ``toolkit/data/briefing_stopwords.csv``), and so are numbers, terms of
    fewer than 2 units and terms in more than half of the briefings.

    Parameters
    ----------
    data : DataFrame or TermMatrix
        The table of the chosen ``unit``: for ``"answer"`` (default) and ``"turn"`` briefings from
        :func:`toolkit.load_briefings` (split here by :func:`toolkit.split_turns` with its
        defaults) or turns; for ``"doc"`` any table with ``doc_id`` and ``text`` (finer rows are
        summed up to briefings); for ``"dyad"`` dyads from :func:`toolkit.pair_dyads`. Or a
        :class:`toolkit.TermMatrix` already counted by :func:`toolkit.count_terms`: its rows are
        the units (a matrix of turns for ``"answer"``/``"turn"``, of briefings for ``"doc"``); the
        genre stop list and ``min_df``/``max_df`` are applied to its columns here, so one matrix
        serves several fits (other term options are the matrix's own).
    k : int
        Number of topics (at least 2).
    method : {"lda", "nmf"}
        LDA on counts (solver chosen by the model option ``solver``, see below), or scikit-learn's
        ``NMF`` on tf-idf weights (``init="nndsvda"``). NMF is not a probabilistic model (no
        perplexity).
    unit : {"answer", "doc", "turn", "dyad"}
        What one "document" of the model is: one turn of the spokesperson's own words (roles
        ``statement``, ``answer``, ``report``: the topics of what the spokesperson says, not of the
        questions; the default), a whole briefing, any turn, or a question with its answer.
    random_state : int, RandomState or None
        Seed of the model; the same seed gives an identical result. None: a fresh random start.
    terms : dict, optional
        Options for :func:`toolkit.count_terms` (``lang``, ``phrases``, ``stop_words``, ``stem``,
        ``min_df``, ``max_df`` ...); defaults ``min_df=2`` (units) and ``max_df=0.5`` (a share of
        the briefings, whatever the unit; not applied to fewer than 10 briefings). With a TermMatrix
        only ``min_df`` and ``max_df``.
    genre_stop_words : "default", path, DataFrame, list or None
        Terms of the briefing genre left out of the model on top of ``stop_words`` (compared in
        lower case; a phrase by its canonical form): the packaged ``briefing_stopwords.csv``, your
        CSV/DataFrame with a ``word`` column, a list, or None to keep them.
    n_top_terms : int
        Terms per topic kept in ``topic_terms`` (default 30), LDA's ranked by relevance (see
        :class:`TopicModel`).
    **model_options
        Passed to the estimator. LDA: ``solver="gibbs"`` (default) is collapsed Gibbs sampling
        (:class:`toolkit.topics.gibbs.GibbsLDA`; defaults ``doc_topic_prior=0.1`` re-estimated per
        topic every ``optimize_interval=10`` sweeps, ``topic_word_prior=0.1``, ``max_iter=500``
        sweeps, the topics the mean of the last ``n_samples=10`` samples ``sample_lag=10`` sweeps
        apart, each term counted once per unit: ``binary=True``; ``binary=False, n_samples=1`` is
        the plain sampler); ``solver="vb"`` is scikit-learn's ``LatentDirichletAllocation``
        (defaults ``learning_method="online", batch_size=2000, learning_offset=1.0,
        learning_decay=0.5, max_iter=10`` passes; priors ``1/k``). NMF defaults:
        ``init="nndsvda", max_iter=400``.

    Returns
    -------
    TopicModel
        Tables ``topic_terms`` (topic, term, weight, rank), ``doc_topics`` (doc_id, [turn_id |
        dyad_id], topic, weight, metadata), ``labels`` (topic, label, top_terms, frex_terms),
        ``representative_docs`` (topic, label, rank, doc_id, [turn_id | dyad_id], weight, text);
        ``model_``, ``term_matrix_``, ``vectorizer_``, ``topic_word_``, ``doc_topic_``, ``params_``,
        ``term_options_``.

    Examples
    --------
    >>> model = toolkit.fit_topics(toolkit.load_briefings(path), k=20, random_state=0)  # doctest: +SKIP
    >>> model.labels.head()                                                 # doctest: +SKIP
    >>> answers = toolkit.count_terms(toolkit.split_turns(briefings), unit="turn")    # doctest: +SKIP
    >>> toolkit.fit_topics(answers, k=10, random_state=0)                    # doctest: +SKIP
    """
    func = "fit_topics"
    setup = prepare(data, unit=unit, method=method, ks=[k], terms=terms, genre_stop_words=genre_stop_words,
                    func=func)
    return fit_model(setup, k=k, method=method, random_state=random_state, model_options=model_options,
                     n_top_terms=n_top_terms, func=func)


def fit_model(setup: Setup, *, k: int, method: str, random_state, model_options: dict, n_top_terms: int,
              func: str) -> TopicModel:
    """Fit one model on prepared units (:func:`toolkit.topics._setup.prepare`) and build its tables."""
    matrix, rows = nonempty(setup.term_matrix)
    model, topic_word, doc_topic = fit_estimator(matrix, method=method, k=k, random_state=random_state,
                                                 model_options=model_options, func=func)
    terms = np.asarray(setup.term_matrix.terms)
    scores = ranking(model, topic_word, method)
    labels = _labels(topic_word, terms, scores)
    return TopicModel(
        k=k, method=method, unit=setup.unit,
        topic_terms=_topic_terms(topic_word, scores, terms, n_top_terms),
        doc_topics=_doc_topics(doc_topic, rows, setup.key),
        labels=labels,
        representative_docs=_representative(doc_topic, rows, setup, labels),
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
    """Indices of the ``n`` highest-scoring terms per topic, highest first (ties: vocabulary order)."""
    order = np.argsort(-topic_word, axis=1, kind="stable")
    return order[:, : min(n, topic_word.shape[1])]


def relevance(topic_word: np.ndarray, term_totals: np.ndarray, *, weight: float = RELEVANCE_WEIGHT) -> np.ndarray:
    """Relevance of every term to every topic (Sievert & Shirley 2014, LDAvis).

    ``weight * log(phi[k, w]) + (1 - weight) * log(phi[k, w] / p(w))``: ``phi`` the topic-term
    probabilities, ``p(w)`` the term's share of all ``term_totals`` (an LDA model's
    ``components_.sum(axis=0)``: the term's count in the units plus the prior, the marginal the model
    saw). ``weight=1`` ranks by probability, ``0`` by lift; 0.6 was best in the authors' user study
    (topic identification), and is the toolkit's ranking of LDA topic terms.

    Returns
    -------
    ndarray, shape (k, n_terms)
    """
    totals = np.asarray(term_totals, dtype=float)
    with np.errstate(divide="ignore"):
        log_phi = np.log(np.asarray(topic_word, dtype=float))
        return weight * log_phi + (1.0 - weight) * (log_phi - np.log(totals / totals.sum()))


def ranking(model, topic_word: np.ndarray, method: str) -> np.ndarray | None:
    """What orders each topic's terms: the relevance of an LDA model's terms, None for NMF (its loading)."""
    return relevance(topic_word, model.components_.sum(axis=0)) if method == "lda" else None


def first_terms(topic_word: np.ndarray, scores: np.ndarray | None, n: int) -> np.ndarray:
    """Indices of each topic's first ``n`` terms by ``scores`` (:func:`ranking`; None: by weight)."""
    return top_indices(topic_word if scores is None else scores, n)


def _topic_terms(topic_word: np.ndarray, scores: np.ndarray | None, terms: np.ndarray, n: int) -> pd.DataFrame:
    top = first_terms(topic_word, scores, n)
    k, n = top.shape
    return pd.DataFrame({
        "topic": np.repeat(np.arange(k), n),
        "term": terms[top].ravel(),
        "weight": np.take_along_axis(topic_word, top, axis=1).ravel(),
        "relevance": np.nan if scores is None else np.take_along_axis(scores, top, axis=1).ravel(),
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
    total = beta.sum(axis=0, keepdims=True)
    share = np.divide(beta, total, out=np.full_like(beta, 1.0 / len(beta)), where=total > 0)  # no weight: shared
    n_terms = beta.shape[1]
    freq = np.vstack([rankdata(row) for row in beta]) / n_terms
    excl = np.vstack([rankdata(row) for row in share]) / n_terms
    return 1.0 / (weight / excl + (1.0 - weight) / freq)


def _representative(doc_topic: np.ndarray, rows: pd.DataFrame, setup: Setup, labels: pd.DataFrame,
                    n: int = 3) -> pd.DataFrame:
    """The ``n`` units with the highest share of each topic, with their text (see :class:`TopicModel`)."""
    from ..terms.matrix import ROW_BREAK, SEP

    key = setup.key if setup.key in rows.columns else None
    keys = ["doc_id"] + ([key] if key else [])
    if "text" in setup.units.columns:
        source = setup.units[keys + ["text"]]
    else:                                           # a TermMatrix: its rows' tokens as counted
        tokens = pd.Series(setup.term_matrix.token_text, dtype=object).str.replace(ROW_BREAK, " / ")
        source = setup.term_matrix.rows[keys].assign(text=tokens.str.replace(SEP, " ").str.strip().to_numpy())
    texts = source.groupby(keys, sort=False)["text"].agg("\n".join).reset_index()
    top = np.argsort(-doc_topic, axis=0, kind="stable")[:n].T          # (k, n) row indices, most typical first
    table = rows[keys].iloc[top.ravel()].reset_index(drop=True)
    table.insert(0, "topic", np.repeat(np.arange(doc_topic.shape[1]), top.shape[1]))
    table.insert(1, "label", table["topic"].map(labels.set_index("topic")["label"]))
    table.insert(2, "rank", np.tile(np.arange(1, top.shape[1] + 1), doc_topic.shape[1]))
    table["weight"] = np.take_along_axis(doc_topic.T, top, axis=1).ravel()
    return table.merge(texts, on=keys, how="left")


def _labels(topic_word: np.ndarray, terms: np.ndarray, scores: np.ndarray | None, n: int = 7) -> pd.DataFrame:
    top = terms[first_terms(topic_word, scores, n)]
    exclusive = terms[top_indices(frex(topic_word, weight=0.5), n)]
    rows = []
    for topic, (probable, distinct) in enumerate(zip(top, exclusive)):
        words = list(dict.fromkeys([*probable[:2], *distinct[:3]]))[:4]
        rows.append((topic, ", ".join(words), ", ".join(probable), ", ".join(distinct)))
    return pd.DataFrame(rows, columns=["topic", "label", "top_terms", "frex_terms"])
