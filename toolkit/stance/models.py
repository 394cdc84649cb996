"""Learned stance scorers: Latent Semantic Scaling (unsupervised) and a supervised classifier.

- :func:`fit_polarity` → :class:`PolarityModel`: Latent Semantic Scaling (Watanabe 2021): word vectors from a
  truncated SVD of the corpus, polarity of every word from its similarity to seed words, texts scored by
  mean word polarity;
- :func:`fit_stance_classifier` → :class:`StanceClassifier`: a scikit-learn pipeline trained on hand-labelled
  sentences, with cross-validated metrics.

Both models' ``score`` methods return the :func:`toolkit.score_stance` shape. scikit-learn and jieba are
imported only when a model is fitted or used.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from ..text import english_tokens, has_cjk, jieba_tokenizer
from ._shared import agreement, score_per_target, three_class

DEFAULT_SEEDS = {
    "en": {"friendly": 1, "friendship": 1, "cooperation": 1, "mutual": 1, "trust": 1, "win-win": 1,
           "partnership": 1, "consensus": 1, "appreciate": 1, "welcome": 1,
           "oppose": -1, "protest": -1, "smear": -1, "hegemonism": -1, "provocation": -1, "interference": -1,
           "irresponsible": -1, "groundless": -1, "so-called": -1, "hype": -1},
    "zh": {"友好": 1, "合作": 1, "互信": 1, "共赢": 1, "伙伴": 1, "共识": 1, "赞赏": 1, "欢迎": 1,
           "反对": -1, "抗议": -1, "抹黑": -1, "霸权": -1, "挑衅": -1, "干涉": -1, "炒作": -1, "所谓": -1},
}


def content_tokens(text: str) -> list[str]:
    """Content-bearing words of a text, the terms of LSS.

    English: the words of :func:`toolkit.text.english_tokens` (hyphenated words whole, possessive ``'s``
    dropped), lowercased, of 3+ characters and holding a letter (no numbers). Chinese (any CJK character):
    words of 2+ characters of the project's jieba tokenizer (:func:`toolkit.text.jieba_tokenizer`); single
    characters are mostly function words (的, 是, 在).
    """
    if has_cjk(text):
        return [w for w in jieba_tokenizer().lcut(text) if len(w) > 1 and has_cjk(w)]
    return [w for w in map(str.lower, english_tokens(text)) if len(w) > 2 and any(map(str.isalpha, w))]


@dataclass
class PolarityModel:
    """A fitted Latent Semantic Scaling model (see :func:`fit_polarity`).

    Attributes
    ----------
    polarity_ : DataFrame
        ``term, polarity`` for every term of the vocabulary (cosine similarity to the positive seeds
        minus to the negative seeds, averaged).
    seeds_ : dict
        The seed words used and their signs.
    center_, scale_ : float
        Mean and standard deviation of the training texts' raw scores; scores are reported as z-values.
    """

    polarity_: pd.DataFrame
    seeds_: dict
    center_: float
    scale_: float

    @cached_property
    def _lookup(self) -> dict:
        return dict(zip(self.polarity_["term"], self.polarity_["polarity"]))

    def raw(self, texts) -> np.ndarray:
        """Mean polarity of the known words of each text (NaN without any)."""
        lookup = self._lookup
        values = []
        for text in texts:
            found = [lookup[w] for w in content_tokens(str(text)) if w in lookup]
            values.append(float(np.mean(found)) if found else np.nan)
        return np.asarray(values)

    def score(self, frame: pd.DataFrame, *, targets=None, include_questions: bool = False,
              untargeted: Literal["drop", "keep"] = "drop") -> pd.DataFrame:
        """Score rows as ``(mean word polarity - center_) / scale_`` (0 when no known word), per target.

        Returns
        -------
        DataFrame
            The :func:`toolkit.score_stance` columns, ``n_*`` NaN; ``cues`` lists the three words that pull
            the row's score most (``word(polarity)``).
        """
        def polarity(texts, langs):
            scores = np.nan_to_num((self.raw(texts) - self.center_) / self.scale_)
            return scores, [self._explain(t) for t in texts]

        return score_per_target(frame, polarity, method="lss", targets=targets, include_questions=include_questions,
                                untargeted=untargeted, func="PolarityModel.score")

    def _explain(self, text: str) -> str:
        lookup = self._lookup
        found = sorted({w for w in content_tokens(text) if w in lookup}, key=lambda w: -abs(lookup[w]))[:3]
        return "; ".join(f"{w}({lookup[w]:+.2f})" for w in found)


def fit_polarity(
    frame: pd.DataFrame,
    *,
    seeds: dict[str, int] | None = None,
    n_components: int = 300,
    min_df: int = 5,
    random_state: int | None = None,
) -> PolarityModel:
    """Learn word polarity from the corpus, Latent Semantic Scaling style (Watanabe 2021).

    Sentences are turned into a TF-IDF matrix, reduced by truncated SVD; each term's vector is its row of
    ``V * singular values``. A term's polarity is the mean cosine similarity to the positive seed words minus
    the mean similarity to the negative ones.

    Parameters
    ----------
    frame : DataFrame
        Unlabelled texts (``text`` column), e.g. all spokesperson sentences of a corpus; English and Chinese
        (jieba words) may be mixed.
    seeds : dict, optional
        ``{word: +1 or -1}``; default :data:`DEFAULT_SEEDS` for the languages present. Seeds missing from the
        vocabulary are ignored; at least one positive and one negative must remain.
    n_components : int
        SVD dimensions (Watanabe uses 300); capped by the vocabulary size.
    min_df : int
        Minimum number of texts a term must occur in.
    random_state : int, optional
        Seed of the randomized SVD; ``None`` draws a fresh one, the same int gives the same model.

    Returns
    -------
    PolarityModel
        ``polarity_`` (``term, polarity``), ``seeds_``, ``center_``, ``scale_``.

    Examples
    --------
    >>> model = fit_polarity(sentences, random_state=0); model.score(sentences)      # doctest: +SKIP
    """
    func = "fit_polarity"
    require_columns(frame, ["text"], func=func)
    texts = frame["text"].dropna().astype(str).tolist()
    if seeds is None:
        seeds = {**DEFAULT_SEEDS["en"], **(DEFAULT_SEEDS["zh"] if any(map(has_cjk, texts)) else {})}
    terms, vectors = _term_vectors(texts, n_components=n_components, min_df=min_df, random_state=random_state)
    index = {t: i for i, t in enumerate(terms)}
    used = {w: s for w, s in seeds.items() if w in index}
    if not any(s > 0 for s in used.values()) or not any(s < 0 for s in used.values()):
        raise ToolkitError(f"{func}(): seeds found in the vocabulary: {used}; need at least one positive and one "
                           "negative seed word that occurs in min_df texts. Pass seeds={word: +1/-1}.")
    polarity = np.zeros(len(terms))
    for sign in (1, -1):
        rows = [index[w] for w, s in used.items() if np.sign(s) == sign]
        polarity += sign * (vectors @ vectors[rows].T).mean(axis=1)
    model = PolarityModel(pd.DataFrame({"term": terms, "polarity": polarity}), used, 0.0, 1.0)
    raw = model.raw(texts)
    model.center_, model.scale_ = float(np.nanmean(raw)), float(np.nanstd(raw)) or 1.0
    return model


def _term_vectors(texts: list[str], *, n_components: int, min_df: int, random_state) -> tuple[np.ndarray, np.ndarray]:
    """The vocabulary (terms in ``min_df``+ texts) and each term's unit-length SVD vector."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(tokenizer=content_tokens, lowercase=False, token_pattern=None, min_df=min_df,
                                 sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError as error:
        raise ToolkitError(f"fit_polarity(): no term occurs in {min_df}+ texts ({error}); pass more text or lower "
                           "min_df.") from error
    k = max(1, min(n_components, matrix.shape[1] - 1, matrix.shape[0] - 1))
    svd = TruncatedSVD(n_components=k, random_state=random_state).fit(matrix)
    vectors = svd.components_.T * svd.singular_values_
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)
    return vectorizer.get_feature_names_out(), vectors


@dataclass
class StanceClassifier:
    """A supervised stance classifier (see :func:`fit_stance_classifier`).

    Attributes
    ----------
    pipeline_ : sklearn Pipeline
        TF-IDF of character 2-4-grams (works for English and Chinese) + logistic regression on the three
        classes hostile/critical (-1), neutral (0), cooperative (+1).
    cv_predictions_ : DataFrame
        The labelled rows with ``score`` (out-of-fold P(+1) - P(-1)) and ``predicted`` (out-of-fold class).
    metrics_ : dict
        Cross-validated ``spearman`` (score vs 5-point label), ``macro_f1`` (3 classes), ``n``, ``folds``.
    """

    pipeline_: object
    cv_predictions_: pd.DataFrame
    metrics_: dict

    def score(self, frame: pd.DataFrame, *, targets=None, include_questions: bool = False,
              untargeted: Literal["drop", "keep"] = "drop") -> pd.DataFrame:
        """Score rows as P(cooperative) - P(hostile/critical), per target.

        Returns
        -------
        DataFrame
            The :func:`toolkit.score_stance` columns, ``n_*`` NaN, ``cues`` "classifier".
        """
        def expected(texts, langs):
            probabilities = self.pipeline_.predict_proba(list(texts))
            classes = list(self.pipeline_.classes_)
            scores = probabilities[:, classes.index(1)] - probabilities[:, classes.index(-1)]
            return scores, ["classifier"] * len(scores)

        return score_per_target(frame, expected, method="classifier", targets=targets,
                                include_questions=include_questions, untargeted=untargeted,
                                func="StanceClassifier.score")


def _classifier_pipeline(random_state):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=5000, random_state=random_state),
    )


def fit_stance_classifier(
    labelled: pd.DataFrame,
    *,
    text: str = "text",
    label: str = "label",
    folds: int = 5,
    random_state: int | None = None,
) -> StanceClassifier:
    """Train a classifier on hand-labelled sentences and report stratified cross-validated metrics.

    Parameters
    ----------
    labelled : DataFrame
        Rows with a ``text`` and a ``label`` column (-2..+2, as written by :func:`read_annotations`).
    text, label : str
        Names of the text and label columns.
    folds : int
        Number of stratified cross-validation folds (each class needs at least ``folds`` examples).
    random_state : int, optional
        Seed of the fold split and of the solver; ``None`` draws a fresh split, the same int gives the same
        model and metrics.

    Returns
    -------
    StanceClassifier
        ``pipeline_``, ``cv_predictions_`` (``labelled`` + ``score, predicted``), ``metrics_``.

    Examples
    --------
    >>> fit_stance_classifier(read_annotations("labelled.csv"), random_state=0).metrics_      # doctest: +SKIP
    """
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    func = "fit_stance_classifier"
    require_columns(labelled, [text, label], func=func, arg="labelled")
    y = three_class(labelled[label])
    counts = pd.Series(y).value_counts()
    if len(counts) < 3 or counts.min() < folds:
        raise ToolkitError(f"{func}(): each of the classes -1/0/+1 needs at least folds={folds} labelled rows; "
                           f"got {counts.to_dict()}. Label more sentences or lower folds.")
    texts = labelled[text].astype(str).tolist()
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    probabilities = cross_val_predict(_classifier_pipeline(random_state), texts, y, cv=splitter,
                                      method="predict_proba")
    scores = probabilities[:, 2] - probabilities[:, 0]  # classes sorted: -1, 0, 1
    predicted = np.array([-1, 0, 1])[probabilities.argmax(axis=1)]
    cv = labelled.assign(score=scores, predicted=predicted)
    metrics = {**agreement(labelled[label], scores, predicted), "folds": folds}
    return StanceClassifier(_classifier_pipeline(random_state).fit(texts, y), cv, metrics)
