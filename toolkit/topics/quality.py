"""How good the topics are: :func:`coherence` (NPMI, UMass, C_V from document co-occurrence, the
numerical core :func:`topic_coherence_scores`) and :func:`exclusivity` (mean FREX of the top terms).
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .._checks import ToolkitError, require_choice, require_columns
from ._setup import unit_table
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
    window: int | None = None,
) -> pd.DataFrame:
    """Coherence of each topic's ``top_n`` terms, from their co-occurrence in documents or windows.

    Probabilities are shares of co-occurrence units: ``P(w) = D(w) / N`` and ``P(w1, w2) = D(w1, w2) / N``.
    With ``window=None`` the units are the reference documents and ``N`` counts those holding at least
    one vocabulary term (gensim's ``boolean_document`` estimate); with ``window=n`` they are the
    windows of ``n`` tokens sliding one token at a time over each reference text (a text shorter than
    ``n`` is one window), ``N`` all windows: gensim's ``boolean_sliding_window`` (``c_npmi`` uses 10).
    The window slides over the tokens as the term counter reads them (stop words kept in their place,
    a phrase one token) and never spans two input rows. ``eps = 1e-12`` as in gensim.

    - ``"npmi"``: mean over all pairs of ``log((P(wi, wj) + eps) / (P(wi) P(wj))) / -log(P(wi, wj) + eps)``
      (Bouma 2009; Aletras & Stevenson 2013); from -1 to 1. Equals gensim ``c_npmi`` with the same
      window (a window as long as the longest document for ``window=None``).
    - ``"umass"``: mean over ordered pairs ``i > j`` (terms ranked by weight) of
      ``log((D(wi, wj) / N + eps) / (D(wj) / N))`` (Mimno et al. 2011); equals gensim ``u_mass``;
      documents only (no ``window``).
    - ``"c_v"``: Röder et al. 2015: NPMI context vectors ``v(wi) = [NPMI(wi, wj)]_j`` over the
      topic's terms, mean cosine between ``v(wi)`` and ``sum_j v(wj)``; gensim's ``c_v`` with the
      same window (gensim's own default is 110).

    Pairs involving a term that never occurs in the reference are left out of the mean.

    Parameters
    ----------
    result : TopicModel or DataFrame
        A fitted model, or any ``topic_terms`` table (``topic, term, rank``) such as one built from
        another library's topics (then ``reference`` is required).
    measure : {"npmi", "umass", "c_v"}
    top_n : int
        Terms per topic (default 10).
    reference : DataFrame, TermMatrix or None
        Where co-occurrence is counted. ``None``: the units the model was fitted on. A DataFrame is
        read by the model's term counter, one co-occurrence unit per row: briefings (no
        ``turn_id``) are whole briefings (the usual external reference), turns are turns (only the
        spokesperson's for an ``"answer"`` model), dyads question and answer together. A
        ``TermMatrix`` (from :func:`toolkit.count_terms`) is used as it is: its rows, or with
        ``window`` its token texts.
    window : int or None
        Sliding window in tokens (``None``: whole documents).

    Returns
    -------
    DataFrame
        One row per topic: ``topic``, ``label`` (for a TopicModel), ``measure``, ``coherence``,
        ``terms`` (the scored terms, best first). ``.attrs["overall"]`` holds the mean over topics
        (gensim's ``get_coherence()``).

    Examples
    --------
    >>> toolkit.coherence(model, reference=briefings).attrs["overall"]           # doctest: +SKIP
    >>> toolkit.coherence(model, reference=briefings, window=10).attrs["overall"]  # doctest: +SKIP
    """
    func = "coherence"
    require_choice(measure, MEASURES, func=func, arg="measure")
    if window is not None and (not isinstance(window, (int, np.integer)) or window < 2 or measure == "umass"):
        raise ToolkitError(f"{func}(): window={window!r} must be None or an integer of at least 2 (10 in gensim's "
                           "c_npmi), and UMass counts documents only (window=None).")
    table = result.topic_terms if isinstance(result, TopicModel) else result
    require_columns(table, ["topic", "term", "rank"], func=func, arg="result")
    ordered = table.sort_values(["topic", "rank"], kind="stable")
    topics = {t: list(part["term"].iloc[:top_n]) for t, part in ordered.groupby("topic", sort=True)}
    words = list(dict.fromkeys(w for topic in topics.values() for w in topic))
    if window is None:
        matrix, terms = _reference(result, reference, func)
        joint, n_units = document_counts(words, matrix, terms)
    else:
        joint, n_units = window_counts(words, _reference_tokens(result, reference, func), window)
    scores = coherence_from_counts(list(topics.values()), words, joint, n_units, measure=measure)
    out = pd.DataFrame({"topic": list(topics), "measure": measure, "coherence": scores,
                        "terms": [", ".join(words) for words in topics.values()]})
    if isinstance(result, TopicModel):
        out.insert(1, "label", out["topic"].map(result.labels.set_index("topic")["label"]))
    out.attrs["overall"] = float(np.nanmean(scores)) if len(scores) else float("nan")
    return out


def _reference_texts(result, reference: pd.DataFrame, func: str) -> pd.Series:
    """The texts of a reference table, one per co-occurrence unit (see :func:`coherence`)."""
    if not isinstance(result, TopicModel):
        raise ToolkitError(f"{func}(): a DataFrame 'reference' needs a TopicModel 'result' (its term counter is "
                           "reused); pass a TermMatrix from toolkit.count_terms() instead.")
    own = "doc" if "turn_id" not in reference.columns and "question" not in reference.columns else result.unit
    units, _ = unit_table(reference, own, func, arg="reference")
    return units["text"].fillna("").astype(str)


def _reference(result, reference, func: str):
    """The count matrix and its column names where documents co-occur."""
    if reference is None:
        if not isinstance(result, TopicModel):
            raise ToolkitError(f"{func}(): 'reference' is required when 'result' is a table of topic terms; "
                               "pass a TermMatrix from toolkit.count_terms() or a TopicModel.")
        return result.term_matrix_.matrix, result.term_matrix_.terms
    if isinstance(reference, pd.DataFrame):
        vectorizer = result.term_matrix_.vectorizer if isinstance(result, TopicModel) else None
        texts = _reference_texts(result, reference, func)
        return vectorizer.transform(texts), vectorizer.get_feature_names_out()
    if not (hasattr(reference, "matrix") and hasattr(reference, "terms")):
        raise ToolkitError(f"{func}(): 'reference' must be a TermMatrix (with .matrix and .terms), a DataFrame "
                           f"of units or None, got {type(reference).__name__}.")
    return reference.matrix, reference.terms


def _reference_tokens(result, reference, func: str) -> list[list[str]]:
    """Token lists of the reference texts, for sliding windows."""
    if reference is None and isinstance(result, TopicModel):
        return result.term_matrix_.segments()
    if isinstance(reference, pd.DataFrame):
        texts = _reference_texts(result, reference, func)
        return [result.term_matrix_.analyzer.tokens(text) for text in texts]
    if reference is None or not hasattr(reference, "segments"):
        raise ToolkitError(f"{func}(): window= needs the texts: pass a TopicModel, a DataFrame 'reference' or a "
                           "TermMatrix from toolkit.count_terms().")
    return reference.segments()


def topic_coherence_scores(topics: list[list[str]], matrix, terms, *, measure: Measure = "npmi") -> np.ndarray:
    """Coherence of each list of terms (best first) from document co-occurrence in ``matrix``.

    The numerical core of :func:`coherence` with ``window=None``: ``matrix`` is a units x terms count
    matrix whose columns are named by ``terms``.

    Returns
    -------
    ndarray
        One value per topic (NaN if no pair is scorable).
    """
    require_choice(measure, MEASURES, func="coherence", arg="measure")
    words = list(dict.fromkeys(w for topic in topics for w in topic))
    joint, n_units = document_counts(words, matrix, terms)
    return coherence_from_counts(topics, words, joint, n_units, measure=measure)


def document_counts(words: list[str], matrix, terms) -> tuple[np.ndarray, int]:
    """Documents holding each pair of ``words`` (diagonal: each word) and the number of documents holding
    any vocabulary term; a word missing from ``terms`` has zero counts."""
    counts = sparse.csr_matrix(matrix)
    counts = counts[counts.getnnz(axis=1) > 0]
    position = {term: i for i, term in enumerate(np.asarray(terms).tolist())}
    present = [i for i, w in enumerate(words) if w in position]
    binary = (counts[:, [position[words[i]] for i in present]] > 0).astype(np.float64)
    joint = np.zeros((len(words), len(words)))
    joint[np.ix_(present, present)] = (binary.T @ binary).toarray()
    return joint, counts.shape[0]


def window_counts(words: list[str], texts: list[list[str]], window: int) -> tuple[np.ndarray, int]:
    """Windows of ``window`` tokens (sliding by one; a shorter text is one window) holding each pair of
    ``words`` (diagonal: each word), and the number of windows (gensim's ``boolean_sliding_window``)."""
    slot = {w: i for i, w in enumerate(words)}
    joint = np.zeros((len(words), len(words)))
    n_windows = 0
    for text in texts:
        ids = np.fromiter((slot.get(t, -1) for t in text), dtype=np.int64, count=len(text))
        found = np.flatnonzero(ids >= 0)
        n_starts = max(len(ids) - window + 1, 1)
        n_windows += n_starts if len(ids) else 0
        if not found.size:
            continue
        hits = np.zeros((len(ids) + 1, len(words)), dtype=np.int64)
        hits[found + 1, ids[found]] = 1
        totals = hits.cumsum(axis=0)
        span = min(window, len(ids))
        inside = (totals[span: span + n_starts] - totals[:n_starts]) > 0      # windows x words
        used = np.flatnonzero(inside.any(axis=0))
        block = inside[:, used].astype(np.float64)
        joint[np.ix_(used, used)] += block.T @ block
    return joint, n_windows


def coherence_from_counts(topics: list[list[str]], words: list[str], joint: np.ndarray, n_units: int, *,
                          measure: Measure) -> np.ndarray:
    """Coherence of each topic from the co-occurrence counts of ``words`` in ``n_units`` units."""
    slot = {w: i for i, w in enumerate(words)}
    scorer = {"npmi": _npmi_topic, "umass": _umass_topic, "c_v": _cv_topic}[measure]
    return np.array([scorer(joint[np.ix_(ids, ids)] / max(n_units, 1))
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
