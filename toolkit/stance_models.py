"""Baselines, learned stance models, annotation helpers and validation metrics.

All scorers return the :func:`toolkit.score_stance` shape (one row per input row and mentioned target:
``doc_id, turn_id, sent_id, target, score, n_hostile, n_critical, n_cooperative, cues`` + input columns):

- :func:`score_vader`: VADER compound (general-purpose English sentiment, Hutto & Gilbert 2014);
- :func:`score_keywords`: the stance lexicon as an unweighted keyword count (no weights, no modifiers);
- :func:`fit_polarity`: Latent Semantic Scaling (Watanabe 2021): word vectors from a truncated SVD of the
  corpus, polarity of every word from its similarity to seed words, texts scored by mean word polarity;
- :func:`fit_stance_classifier`: a scikit-learn pipeline trained on hand-labelled sentences, with
  cross-validated metrics.

:func:`sample_for_annotation` / :func:`read_annotations` write and read a hand-labelling CSV;
:func:`read_referenced_annotations` reads labels that point into a JSONL corpus by offset;
:func:`evaluate` and :func:`validate` compute Spearman correlation and 3-class macro-F1 against labels.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline

from ._checks import ToolkitError, require_columns
from .stance import (
    CUE_CATEGORIES,
    _expand_targets,
    _order,
    _spokesperson_rows,
    _target_mentions,
    load_stance_lexicon,
    score_stance,
)

LABELS = (-2, -1, 0, 1, 2)
ANNOTATION_COLUMNS = ["doc_id", "turn_id", "sent_id", "target", "text", "label", "note"]
_TOKEN_EN = re.compile(r"[a-z][a-z'-]*[a-z]|[a-z]")
DEFAULT_SEEDS = {
    "en": {"friendly": 1, "friendship": 1, "cooperation": 1, "mutual": 1, "trust": 1, "win-win": 1,
           "partnership": 1, "consensus": 1, "appreciate": 1, "welcome": 1,
           "oppose": -1, "protest": -1, "smear": -1, "hegemonism": -1, "provocation": -1, "interference": -1,
           "irresponsible": -1, "groundless": -1, "so-called": -1, "hype": -1},
    "zh": {"友好": 1, "合作": 1, "互信": 1, "共赢": 1, "伙伴": 1, "共识": 1, "赞赏": 1, "欢迎": 1,
           "反对": -1, "抗议": -1, "抹黑": -1, "霸权": -1, "挑衅": -1, "干涉": -1, "炒作": -1, "所谓": -1},
}


def _rows(frame, *, targets, include_questions, untargeted, func):
    rows = _spokesperson_rows(frame, include_questions=include_questions, func=func)
    return rows, _target_mentions(rows, targets)


def _shape(rows, mentions, scores, cues, *, untargeted, frame_columns):
    missing = [np.nan] * len(rows)
    out = _expand_targets(rows, mentions, {"score": list(scores), "cues": list(cues),
                                           **{f"n_{c}": missing for c in CUE_CATEGORIES}}, untargeted=untargeted)
    return _order(out, frame_columns)


def score_vader(
    frame: pd.DataFrame,
    *,
    targets: str | Path | pd.DataFrame | None = None,
    include_questions: bool = False,
    untargeted: Literal["drop", "keep"] = "drop",
) -> pd.DataFrame:
    """General-sentiment baseline: VADER compound score of each row's text, copied to each of its targets.

    VADER (``vaderSentiment`` package, lexicon shipped in the wheel) is target-blind and English-only;
    Chinese rows score 0. Output shape as :func:`toolkit.score_stance`, with ``n_*`` NaN and ``cues``
    naming the method.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    rows, mentions = _rows(frame, targets=targets, include_questions=include_questions, untargeted=untargeted,
                           func="score_vader")
    scores = [analyzer.polarity_scores(t)["compound"] if lang == "en" else 0.0
              for t, lang in zip(rows["text"].astype(str), rows["_lang"])]
    return _shape(rows, mentions, scores, ["vader compound"] * len(rows), untargeted=untargeted,
                  frame_columns=list(frame.columns))


def keyword_lexicon(lexicon: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The stance lexicon reduced to a keyword list: cue weights become -1/+1, modifiers are removed."""
    table = load_stance_lexicon(lexicon)
    table = table[table["category"].isin([*CUE_CATEGORIES, "neutral"])]
    return table.assign(weight=np.sign(table["weight"]))


def score_keywords(frame: pd.DataFrame, **options) -> pd.DataFrame:
    """Keyword-count baseline: :func:`toolkit.score_stance` with :func:`keyword_lexicon` (same options)."""
    lexicon = options.pop("lexicon", None)
    return score_stance(frame, lexicon=keyword_lexicon(lexicon), **options)


def _tokens(text: str) -> list[str]:
    """Content-bearing words: English words of 3+ letters (lowercased, hyphens kept) or, for Chinese text,
    jieba words of 2+ characters (single characters are mostly function words: 的, 是, 在)."""
    if re.search(r"[\u4e00-\u9fff]", text):
        import jieba

        return [w for w in jieba.lcut(text) if len(w) > 1 and re.search(r"[\u4e00-\u9fff]", w)]
    return [w for w in _TOKEN_EN.findall(text.lower()) if len(w) > 2]


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
            found = [lookup[w] for w in _tokens(str(text)) if w in lookup]
            values.append(float(np.mean(found)) if found else np.nan)
        return np.asarray(values)

    def score(self, frame: pd.DataFrame, *, targets=None, include_questions: bool = False,
              untargeted: Literal["drop", "keep"] = "drop") -> pd.DataFrame:
        """Score rows as ``(mean word polarity - center_) / scale_`` (0 when no known word), per target.

        ``cues`` lists the three words that pull the row's score most. Output shape as
        :func:`toolkit.score_stance`.
        """
        rows, mentions = _rows(frame, targets=targets, include_questions=include_questions, untargeted=untargeted,
                               func="PolarityModel.score")
        raw = self.raw(rows["text"])
        scores = np.nan_to_num((raw - self.center_) / self.scale_)
        return _shape(rows, mentions, scores, [self._explain(t) for t in rows["text"].astype(str)],
                      untargeted=untargeted, frame_columns=list(frame.columns))

    def _explain(self, text: str) -> str:
        lookup = self._lookup
        found = sorted({w for w in _tokens(text) if w in lookup}, key=lambda w: -abs(lookup[w]))[:3]
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
        Seed of the randomized SVD.

    Returns
    -------
    PolarityModel
    """
    func = "fit_polarity"
    require_columns(frame, ["text"], func=func)
    texts = frame["text"].dropna().astype(str).tolist()
    if seeds is None:
        has_zh = any(re.search(r"[\u4e00-\u9fff]", t) for t in texts)
        seeds = {**DEFAULT_SEEDS["en"], **(DEFAULT_SEEDS["zh"] if has_zh else {})}
    vectorizer = TfidfVectorizer(tokenizer=_tokens, lowercase=False, token_pattern=None, min_df=min_df,
                                 sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError as error:
        raise ToolkitError(f"{func}(): no term occurs in {min_df}+ texts ({error}); pass more text or lower "
                           "min_df.") from error
    terms = vectorizer.get_feature_names_out()
    k = max(1, min(n_components, matrix.shape[1] - 1, matrix.shape[0] - 1))
    svd = TruncatedSVD(n_components=k, random_state=random_state).fit(matrix)
    vectors = svd.components_.T * svd.singular_values_
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)
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


def _three_class(values) -> np.ndarray:
    return np.sign(np.asarray(values, dtype=float)).astype(int)


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
        """Score rows as P(cooperative) - P(hostile/critical), per target; shape as :func:`toolkit.score_stance`."""
        rows, mentions = _rows(frame, targets=targets, include_questions=include_questions, untargeted=untargeted,
                               func="StanceClassifier.score")
        scores = _expected(self.pipeline_, rows["text"].astype(str))
        return _shape(rows, mentions, scores, ["classifier"] * len(rows), untargeted=untargeted,
                      frame_columns=list(frame.columns))


def _expected(pipeline, texts) -> np.ndarray:
    probabilities = pipeline.predict_proba(list(texts))
    classes = list(pipeline.classes_)
    return probabilities[:, classes.index(1)] - probabilities[:, classes.index(-1)]


def _classifier_pipeline(random_state):
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
    folds : int
        Number of stratified cross-validation folds (each class needs at least ``folds`` examples).
    random_state : int, optional
        Seed of the fold split and of the solver.

    Returns
    -------
    StanceClassifier
    """
    func = "fit_stance_classifier"
    require_columns(labelled, [text, label], func=func, arg="labelled")
    y = _three_class(labelled[label])
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
    metrics = {"spearman": float(spearmanr(labelled[label], scores).statistic),
               "macro_f1": float(f1_score(y, predicted, average="macro")), "n": len(y), "folds": folds}
    return StanceClassifier(_classifier_pipeline(random_state).fit(texts, y), cv, metrics)


def sample_for_annotation(
    scores: pd.DataFrame,
    *,
    n: int = 200,
    per_target: int | None = None,
    path: str | Path | None = None,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Sample target-mentioning sentences into a table ready for hand labelling (optionally a CSV).

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`toolkit.score_stance` (one row per sentence and target), or any table with
        ``doc_id, target, text``.
    n : int
        Number of rows to draw in total (fewer if fewer exist).
    per_target : int, optional
        Draw up to this many per target instead (stratified), so rare targets are represented.
    path : path, optional
        Write the sample as UTF-8 CSV here (columns below); fill ``label`` with -2..+2.
    random_state : int, optional

    Returns
    -------
    DataFrame
        ``doc_id, turn_id, sent_id, target, text, label`` (empty), ``note`` (empty), plus ``date`` and
        ``spokesperson`` when present.
    """
    func = "sample_for_annotation"
    require_columns(scores, ["doc_id", "target", "text"], func=func, arg="scores")
    pool = scores[scores["target"].notna()]
    if per_target is not None:
        shuffled = pool.sample(frac=1.0, random_state=random_state)
        sample = shuffled.groupby("target", sort=True).head(per_target)
    else:
        sample = pool.sample(n=min(n, len(pool)), random_state=random_state)
    sample = sample.assign(label="", note="")
    extra = [c for c in ("date", "spokesperson") if c in sample.columns]
    sample = sample.reindex(columns=ANNOTATION_COLUMNS + extra).reset_index(drop=True)
    if path is not None:
        sample.to_csv(path, index=False)
    return sample


def _check_labels(table: pd.DataFrame, *, func: str, source: str) -> pd.DataFrame:
    labels = pd.to_numeric(table["label"], errors="coerce")
    bad = table.index[labels.isna() | ~labels.isin(LABELS)]
    if len(bad):
        shown = [(int(i) + 2, table.at[i, "label"]) for i in bad[:10]]
        raise ToolkitError(f"{func}(): {source} has missing or invalid labels (CSV line, value): {shown}; "
                           f"each label must be one of {list(LABELS)} (-2 hostile .. +2 warm).")
    return table.assign(label=labels.astype(int))


def read_annotations(path: str | Path) -> pd.DataFrame:
    """Read back a labelled annotation CSV written by :func:`sample_for_annotation`.

    Raises :class:`ToolkitError` naming the file and the CSV lines of missing or invalid labels.

    Returns
    -------
    DataFrame
        The file's columns with ``label`` as int in -2..+2.
    """
    func = "read_annotations"
    path = Path(path)
    if not path.is_file():
        raise ToolkitError(f"{func}(): file {str(path)!r} does not exist; write one with sample_for_annotation().")
    table = pd.read_csv(path, dtype={"label": str}, keep_default_na=False)
    require_columns(table, ["target", "text", "label"], func=func, arg=f"file {path.name}")
    return _check_labels(table, func=func, source=f"file {path.name}")


def read_referenced_annotations(path: str | Path, *, sources: list[str | Path]) -> pd.DataFrame:
    """Read labels that reference sentences by ``source_url, offset, length`` into JSONL corpora.

    Lets a labelled set be shared without copying the texts: each row's text is sliced from the ``text``
    field of the JSONL record with that ``source_url``.

    Parameters
    ----------
    path : path
        CSV with ``source_url, offset, length, target, label`` (and optionally ``lang``, ``note``).
    sources : list of paths
        JSONL files with ``source_url`` and ``text`` fields (e.g. the MFA corpora).

    Returns
    -------
    DataFrame
        The CSV's columns plus ``text`` (the referenced sentence), ``date`` and ``doc_id`` (= source_url).
    """
    func = "read_referenced_annotations"
    table = pd.read_csv(path, dtype={"label": str}, keep_default_na=False)
    require_columns(table, ["source_url", "offset", "length", "target", "label"], func=func,
                    arg=f"file {Path(path).name}")
    wanted, records = set(table["source_url"]), {}
    for source in sources:
        if not Path(source).is_file():
            raise ToolkitError(f"{func}(): source file {str(source)!r} does not exist; pass the JSONL corpora.")
        with open(source, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("source_url") in wanted:
                    records[record["source_url"]] = record
    texts = []
    for i, row in table.iterrows():
        record = records.get(row["source_url"])
        start, length = int(row["offset"]), int(row["length"])
        if record is None or start < 0 or length <= 0 or start + length > len(record["text"]):
            raise ToolkitError(f"{func}(): CSV line {i + 2} references {row['source_url']!r} at {start}+{length}, "
                               "which is not in the given sources; check the sources list and the offsets.")
        texts.append(record["text"][start:start + length])
    table = _check_labels(table, func=func, source=f"file {Path(path).name}")
    dates = [records[u].get("date") for u in table["source_url"]]
    return table.assign(text=texts, doc_id=table["source_url"], date=pd.to_datetime(dates, errors="coerce"))


def evaluate(scored: pd.DataFrame, *, label: str = "label", score: str = "score",
             neutral_band: float = 0.2) -> dict:
    """Agreement of scores with hand labels: Spearman rank correlation and 3-class macro-F1.

    Labels map to classes by sign (-2/-1 → -1, 0 → 0, +1/+2 → +1); scores within ``±neutral_band`` count
    as neutral (0.2 for the lexicon score: a lone weak cue of weight 0.5 is neutral; VADER's authors use
    0.05).

    Returns
    -------
    dict
        ``spearman``, ``macro_f1``, ``n``.
    """
    require_columns(scored, [label, score], func="evaluate", arg="scored")
    values = scored[score].astype(float).fillna(0.0)
    predicted = np.where(values > neutral_band, 1, np.where(values < -neutral_band, -1, 0))
    return {"spearman": float(spearmanr(scored[label], values).statistic),
            "macro_f1": float(f1_score(_three_class(scored[label]), predicted, average="macro")),
            "n": len(scored)}


def _pick_target(targets: pd.Series, scores: pd.DataFrame) -> pd.Series:
    """The score of validation row ``i`` (``sent_id``) for its labelled target (0 when it was not found)."""
    keyed = scores.set_index(["sent_id", "target"])["score"]
    keyed = keyed[~keyed.index.duplicated()]
    return pd.Series([keyed.get((i, t), 0.0) for i, t in enumerate(targets)], index=targets.index, dtype=float)


METHODS = ("lexicon", "keywords", "vader", "lss", "supervised")
BANDS = {"lexicon": 0.2, "keywords": 0.2, "vader": 0.05, "lss": 0.5, "supervised": np.nan}  # supervised: argmax


def validate(
    validation: pd.DataFrame,
    *,
    methods: tuple[str, ...] = METHODS,
    lss: PolarityModel | pd.DataFrame | None = None,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Compare stance methods with hand labels (Spearman and 3-class macro-F1).

    Parameters
    ----------
    validation : DataFrame
        Labelled sentences with ``text, target, label`` (e.g. :func:`read_referenced_annotations`).
    methods : tuple
        Any of "lexicon" (:func:`toolkit.score_stance`), "keywords", "vader", "lss" (needs ``lss``),
        "supervised" (cross-validated on ``validation`` itself).
    lss : PolarityModel or DataFrame, optional
        A fitted :func:`fit_polarity` model, or unlabelled sentences to fit one on.
    random_state : int, optional

    Returns
    -------
    DataFrame
        ``method, spearman, macro_f1, n, neutral_band``.
    """
    func = "validate"
    require_columns(validation, ["text", "target", "label"], func=func, arg="validation")
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        raise ToolkitError(f"{func}(): unknown method(s) {unknown}; choose from {list(METHODS)}.")
    if "lss" in methods and lss is None:
        raise ToolkitError(f"{func}(): method 'lss' needs lss= (a fitted PolarityModel or unlabelled sentences).")
    if isinstance(lss, pd.DataFrame):
        lss = fit_polarity(lss, random_state=random_state)
    labelled = validation.reset_index(drop=True)
    frame = labelled.assign(sent_id=np.arange(len(labelled)), turn_id=0, role="answer",
                         doc_id=labelled.get("doc_id", pd.Series(np.arange(len(labelled)))).astype(str))
    frame = frame.drop(columns=["label", "target", "note"], errors="ignore")
    scorers = {
        "lexicon": lambda: score_stance(frame),
        "keywords": lambda: score_keywords(frame),
        "vader": lambda: score_vader(frame),
        "lss": lambda: lss.score(frame),
    }
    rows = []
    for method in methods:
        if method == "supervised":
            metrics = fit_stance_classifier(labelled, random_state=random_state).metrics_
            result = {key: metrics[key] for key in ("spearman", "macro_f1", "n")}
        else:
            scored = labelled.assign(score=_pick_target(labelled["target"], scorers[method]()))
            result = evaluate(scored, neutral_band=BANDS[method])
        rows.append({"method": method, **result, "neutral_band": BANDS[method]})
    return pd.DataFrame(rows)
