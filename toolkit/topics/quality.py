"""How good the topics are: :func:`coherence` (NPMI, UMass, C_V from document co-occurrence, the
numerical core :func:`topic_coherence_scores`) and :func:`exclusivity` (mean FREX of the top terms).
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .._checks import ToolkitError, require_choice, require_columns
from ._setup import term_matrix, unit_table
from .fit import TopicModel, frex, require_model, top_indices

Measure = Literal["npmi", "umass", "c_v"]

MEASURES = ("npmi", "umass", "c_v")
EPSILON = 1e-12  # smoothing inside the logarithms, the same constant as gensim's topic_coherence


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
        of the model's unit (as for :func:`fit_topics`: turns for ``"turn"``/``"answer"``, dyads for
        ``"dyad"``) is counted with the model's term options.

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
        units, key = unit_table(reference, result.unit, func, arg="reference")
        return term_matrix(units, key, {**result.term_options_, "min_df": 1, "max_df": 1.0})
    if not (hasattr(reference, "matrix") and hasattr(reference, "terms")):
        raise ToolkitError(f"{func}(): 'reference' must be a TermMatrix (with .matrix and .terms), a DataFrame "
                           f"of units or None, got {type(reference).__name__}.")
    return reference


def topic_coherence_scores(topics: list[list[str]], matrix, terms, *, measure: Measure = "npmi") -> np.ndarray:
    """Coherence of each list of terms (best first) from document co-occurrence in ``matrix``.

    The numerical core of :func:`coherence`: ``matrix`` is a units x terms count matrix whose
    columns are named by ``terms``.

    Returns
    -------
    ndarray
        One value per topic (NaN if no pair is scorable).
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


def exclusivity(result: TopicModel, *, top_n: int = 10, weight: float = 0.7) -> pd.DataFrame:
    """Exclusivity of each topic: the mean FREX score of its ``top_n`` most probable terms.

    This is ``stm::exclusivity(model, M=top_n, frexw=weight)`` divided by ``top_n`` (so it lies
    in (0, 1]): FREX with weight ``weight`` on exclusivity (see :func:`frex`). A topic whose
    frequent terms are also rare in the other topics scores near 1.

    Parameters
    ----------
    result : TopicModel
        From :func:`fit_topics`.
    top_n : int
        Most probable terms per topic to average over (default 10).
    weight : float
        FREX weight on exclusivity (default 0.7, as stm).

    Returns
    -------
    DataFrame
        ``topic, label, exclusivity``.
    """
    require_model(result, "exclusivity")
    values = top_frex(result.topic_word_, top_n=top_n, weight=weight).mean(axis=1)
    return result.labels[["topic", "label"]].assign(exclusivity=values)


def top_frex(topic_word: np.ndarray, *, top_n: int, weight: float) -> np.ndarray:
    """FREX scores (weight ``weight``) of each topic's ``top_n`` most probable terms, shape (k, top_n)."""
    return np.take_along_axis(frex(topic_word, weight=weight), top_indices(topic_word, top_n), axis=1)
