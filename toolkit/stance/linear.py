"""The supervised stance model that ships with the toolkit: TF-IDF n-grams and logistic weights, stored as data.

- :func:`mark_targets`: a text with the scored target's mentions replaced by a placeholder (and the other
  targets' by another), so the n-grams say how the sentence speaks *of the target*;
- :func:`fit_stance_model`: learn the weights from labelled sentences (scikit-learn ``TfidfVectorizer`` +
  multinomial ``LogisticRegression`` over the five labels -2..+2), one model per language; returns them as
  a table;
- :func:`load_stance_model` / :func:`model_scores`: the packaged ``toolkit/data/stance_model.csv`` (written by
  ``bench/train_stance_model.py`` from the gold train + dev splits and the project set) and the scores it gives.

Features: English word 1-2-grams (with "?"), character 2-5-grams within words (``char_wb``) and the
target's name token; Chinese character 1-3-grams (:data:`FEATURES`). Features, penalties and the name token
were chosen by 5-fold cross-validation grouped by briefing over the gold train + dev splits and the project set
(``bench/cv_stance.py``): English character n-grams +0.03 Spearman of the model, the name token +0.07 in
English and +0.03 in Chinese (without it a target's prior cannot be learned; see the README caveat), Chinese
1-4-grams and 2-4-grams no better than 1-3. Each
block is TF-IDF weighted (sublinear tf, smooth idf, l2 norm); each label ``k`` has a logit
``intercept_k + sum(weight_k * tfidf)``, the softmax gives P(k), and the score is the expected label
``sum(k * P(k)) / 2``, in [-1, 1] like the lexicon score (a ridge regression on the labels and balanced class
weights were lower in the same cross-validation). Scoring needs only the table (vocabulary, idf and
weights per n-gram), not the corpora.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from ..datafiles import read_data_table
from .lexicon import LANGUAGES, Matcher, match_units

LABELS = (-2, -1, 0, 1, 2)
WEIGHTS = [f"w{k:+d}" if k else "w0" for k in LABELS]  # w-2, w-1, w0, w+1, w+2
MODEL_COLUMNS = ["language", "block", "feature", "idf", *WEIGHTS]
PLACEHOLDER = {"en": "xtargetx", "zh": "Ｘ"}
OTHER = {"en": "xotherx", "zh": "Ｏ"}
NAME_TOKEN = {"en": True, "zh": True}  # append the target's name as one token ("xtunitedstates"): CV +0.07 en, +0.03 zh
FEATURES = {  # TfidfVectorizer options per language and block
    "en": {"word": {"analyzer": "word", "ngram_range": (1, 2), "token_pattern": r"(?u)\b\w+\b|\?"},
           "char": {"analyzer": "char_wb", "ngram_range": (2, 5)}},
    "zh": {"char": {"analyzer": "char", "ngram_range": (1, 3)}},
}
MIN_DF = 2
C = {"en": 10.0, "zh": 10.0}  # inverse L2 penalty of the logistic regression, chosen by grouped cross-validation
CLASS_WEIGHT = {"en": "balanced", "zh": None}  # balanced classes: CV +0.005 en, none in zh



SCORE_BLOCK = 5_000     # texts whose n-gram matrix is built at once when scoring


def mark_targets(units, lang: str, spans, target: str) -> str:
    """The text of ``units`` with each mention of ``target`` replaced by :data:`PLACEHOLDER` and each
    mention of another target by :data:`OTHER` (``spans``: :meth:`Matcher.spans`). English units are
    joined by spaces, Chinese characters as they are. Where :data:`NAME_TOKEN` says so, the target's name
    follows after a space as one token, ``xt`` + its letters (``xtunitedstates``), so the model can learn
    a prior per target as well as the wording."""
    parts, last = [], 0
    for start, end, names in spans:
        parts.append(units[last:start] if lang == "zh" else " ".join(units[last:start]))
        parts.append((PLACEHOLDER if target in names else OTHER)[lang])
        last = end
    parts.append(units[last:] if lang == "zh" else " ".join(units[last:]))
    text = ("" if lang == "zh" else " ").join(p for p in parts if p)
    if NAME_TOKEN[lang]:
        text += " xt" + "".join(ch for ch in str(target).lower() if ch.isalnum())
    return text


def marked_texts(texts, langs, targets, compiled: dict[str, Matcher]) -> list[str]:
    """:func:`mark_targets` for each (text, language, target) triple."""
    out = []
    for text, lang, target in zip(texts, langs, targets):
        units = match_units(text, lang)
        out.append(mark_targets(units, lang, compiled[lang].spans(units, text), target))
    return out


def _vectorizer(lang: str, block: str, **extra):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(lowercase=True, sublinear_tf=True, dtype=np.float64, **FEATURES[lang][block], **extra)


def fit_stance_model(labelled: pd.DataFrame, *, c: dict | None = None) -> pd.DataFrame:
    """Learn the n-gram weights of the supervised stance model from labelled, target-marked sentences
    (class weights :data:`CLASS_WEIGHT`).

    Parameters
    ----------
    labelled : DataFrame
        ``marked`` (texts from :func:`marked_texts`), ``lang`` and ``label`` (-2..+2).
    c : dict, optional
        Inverse L2 penalty per language (default :data:`C`). The lbfgs solver is deterministic, so the same
        rows give the same weights.

    Returns
    -------
    DataFrame
        ``language, block, feature, idf, w-2 .. w+2``: one row per n-gram (``block`` word or char) and one
        ``intercept`` row per language (``feature`` empty, ``idf`` NaN). A label absent from the training
        rows gets the intercept -1e9 (probability 0).
    """
    from scipy.sparse import hstack
    from sklearn.linear_model import LogisticRegression

    require_columns(labelled, ["marked", "lang", "label"], func="fit_stance_model", arg="labelled")
    c = {**C, **(c or {})}
    tables = []
    for lang in LANGUAGES:
        part = labelled[labelled["lang"] == lang]
        if part.empty:
            continue
        blocks, matrices = [], []
        for block in FEATURES[lang]:
            vectorizer = _vectorizer(lang, block, min_df=MIN_DF)
            matrices.append(vectorizer.fit_transform(part["marked"]))
            blocks.append((block, vectorizer))
        fitted = LogisticRegression(C=c[lang], class_weight=CLASS_WEIGHT[lang], max_iter=5000).fit(
            hstack(matrices).tocsr(), part["label"].astype(int))
        coef = np.zeros((len(LABELS), fitted.coef_.shape[1]))
        intercept = np.full(len(LABELS), -1e9)
        for row, label in enumerate(fitted.classes_):
            coef[LABELS.index(int(label))] = fitted.coef_[row]
            intercept[LABELS.index(int(label))] = fitted.intercept_[row]
        offset = 0
        for block, vectorizer in blocks:
            names = vectorizer.get_feature_names_out()
            weights = coef[:, offset: offset + len(names)].T
            tables.append(pd.DataFrame({"language": lang, "block": block, "feature": names, "idf": vectorizer.idf_,
                                        **dict(zip(WEIGHTS, weights.T))}))
            offset += len(names)
        tables.append(pd.DataFrame({"language": [lang], "block": ["intercept"], "feature": [""], "idf": [np.nan],
                                    **{w: [v] for w, v in zip(WEIGHTS, intercept)}}))
    return pd.concat(tables, ignore_index=True)


def load_stance_model(model: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the supervised model's weights: the packaged ``stance_model.csv`` or the user's file/DataFrame
    (columns ``language, block, feature, idf, w-2, w-1, w0, w+1, w+2``; see :func:`fit_stance_model`)."""
    table = read_data_table(model, columns=MODEL_COLUMNS, default="stance_model.csv", func="load_stance_model",
                            arg="model")
    table = table.assign(idf=pd.to_numeric(table["idf"], errors="coerce"),
                         **{w: pd.to_numeric(table[w], errors="coerce") for w in WEIGHTS})
    if table[WEIGHTS].isna().any().any() or not table["block"].isin(["word", "char", "intercept"]).all():
        raise ToolkitError("load_stance_model(): every row needs a numeric weight and a block word, char or "
                           "intercept; refit with bench/train_stance_model.py.")
    return table


class _Scorer:
    """The fitted vectorizers and weights of one language, rebuilt from the table."""

    def __init__(self, table: pd.DataFrame, lang: str):
        part = table[table["language"] == lang]
        if part.empty:
            raise ToolkitError(f"the stance model has no weights for language {lang!r}; refit it with "
                               "bench/train_stance_model.py on labelled sentences of that language.")
        self.blocks = []
        for block in FEATURES[lang]:
            rows = part[part["block"] == block]
            if rows.empty:  # a model without this block (e.g. a user's word-only model)
                continue
            vectorizer = _vectorizer(lang, block, vocabulary=dict(zip(rows["feature"], range(len(rows)))))
            vectorizer.idf_ = rows["idf"].to_numpy(dtype=np.float64)
            self.blocks.append((vectorizer, rows[WEIGHTS].to_numpy(dtype=np.float64)))
        self.intercept = part.loc[part["block"] == "intercept", WEIGHTS].to_numpy(dtype=np.float64)[0]

    def predict(self, marked: list[str]) -> np.ndarray:
        """The expected label, ``sum(k * P(k))``."""
        logits = np.tile(self.intercept, (len(marked), 1))
        for vectorizer, weights in self.blocks:
            matrix = (word_char_tfidf(vectorizer, marked) if vectorizer.analyzer == "char_wb"
                      else vectorizer.transform(marked))
            logits += matrix @ weights
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        return probabilities @ np.asarray(LABELS, dtype=np.float64)


def word_char_tfidf(vectorizer, texts: list[str]):
    """``vectorizer.transform(texts)`` for a fitted ``char_wb`` TF-IDF vectorizer (sublinear tf, l2 norm),
    several times faster: ``char_wb`` n-grams never cross a space, so each distinct word is analysed once
    and its vocabulary ids reused (the same matrix as scikit-learn's, tested)."""
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    analyze, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_
    known: dict[str, list[int]] = {}
    indices, indptr = [], [0]
    for text in texts:
        for word in text.lower().split():
            ids = known.get(word)
            if ids is None:
                ids = known[word] = [vocabulary[g] for g in analyze(word) if g in vocabulary]
            indices.extend(ids)
        indptr.append(len(indices))
    counts = csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                        shape=(len(texts), len(vocabulary)))
    counts.sum_duplicates()
    counts.data = (np.log(counts.data) + 1) * vectorizer.idf_[counts.indices]
    return normalize(counts, norm="l2", copy=False)


@lru_cache(maxsize=4)
def _scorers(key: tuple) -> dict:
    table = pd.DataFrame(list(key), columns=MODEL_COLUMNS)
    return {lang: _Scorer(table, lang) for lang in sorted(set(table["language"]))}


def model_scores(marked: list[str], langs, model: pd.DataFrame) -> np.ndarray:
    """Scores in [-1, 1] (the expected label / 2) of target-marked texts by a loaded model."""
    scorers = _scorers(tuple(model[MODEL_COLUMNS].itertuples(index=False, name=None)))
    langs = np.asarray(langs)
    out = np.zeros(len(marked))
    for lang in set(langs):
        if lang not in scorers:
            raise ToolkitError(f"the stance model has no weights for language {lang!r}; refit it with "
                               "bench/train_stance_model.py on labelled sentences of that language.")
        rows = np.flatnonzero(langs == lang)
        for start in range(0, len(rows), SCORE_BLOCK):    # one block's n-gram matrix at a time: bounded memory
            block = rows[start:start + SCORE_BLOCK]
            out[block] = scorers[lang].predict([marked[i] for i in block])
    return np.clip(out / 2, -1, 1)
