"""The supervised stance model that ships with the toolkit: TF-IDF n-grams and logistic weights, stored as data.

- :func:`mark_targets`: a text with the scored target's mentions replaced by a placeholder (and the other
  targets' by another), so the n-grams say how the sentence speaks *of the target*; :func:`marked_words`: the
  same marking of an English row as the model reads it when scoring (its lowercased units, no text);
- :func:`fit_stance_model`: learn the weights from labelled sentences (scikit-learn ``TfidfVectorizer`` +
  multinomial ``LogisticRegression`` over the five labels -2..+2), one model per language; returns them as
  a table;
- :func:`load_model_settings`: the settings the model is fitted and scored with, and the ensemble's weights;
- :func:`load_stance_model` / :func:`model_scores`: the packaged ``toolkit/data/stance_model.csv`` (written by
  ``bench/train_stance_model.py`` from the gold train + dev splits and the project set) and the scores it gives.

The features, penalty, class weights, the weight of the target-name feature, the ensemble's lexicon weight and the neutral bands per
language are data, ``toolkit/data/stance_model_settings.csv`` (:func:`load_model_settings`), chosen by a fixed
rule by ``bench/cv_stance.py``: 5-fold cross-validation grouped by briefing over the gold train + dev splits
and the project set, the grid point with the best out-of-fold Spearman of the ensemble, ties to the simpler
model. So new labels need no code edit: run ``bench/cv_stance.py``, then ``bench/train_stance_model.py``.
Each block (English word n-grams with "?", character n-grams within words (``char_wb``); Chinese
character n-grams) is TF-IDF weighted (sublinear tf, smooth idf, l2 norm); each label ``k`` has a logit
``intercept_k + sum(weight_k * tfidf)``, the softmax gives P(k), and the score is the expected label
``sum(k * P(k)) / 2``, in [-1, 1] like the lexicon score. Scoring needs only the table (vocabulary, idf and
weights per n-gram), not the corpora.
"""
from __future__ import annotations

import itertools
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
SETTINGS_COLUMNS = ["language", "word_ngrams", "char_analyzer", "char_ngrams", "C", "class_weight", "name_scale",
                    "ensemble_weight", "band_model", "band_ensemble"]
NAME = " xt"   # a marked text ends in " xt" + the target's letters when the settings have a name block
WORD_TOKENS = r"(?u)\b\w+\b|\?"   # words and question marks
MIN_DF = 2
SCORE_BLOCK = 5_000     # texts whose n-gram matrix is built at once when scoring
WORD_CACHE = 200_000    # distinct words whose char_wb n-gram ids a scorer keeps (then it starts afresh)
SEPARATOR = "\x01"      # a token of its own between the texts of a block tokenized at once (in no n-gram)


def load_model_settings(settings: str | Path | pd.DataFrame | None = None) -> dict[str, dict]:
    """The supervised model's settings per language: the packaged ``toolkit/data/stance_model_settings.csv``
    (written by ``bench/cv_stance.py``, which chooses them by grouped cross-validation) or the user's table.

    Returns
    -------
    dict
        ``{language: {"word_ngrams": (1, 2) or None, "char_analyzer": "char_wb" or "char", "char_ngrams":
        (2, 5) or None, "C": float, "class_weight": "balanced" or None, "name_scale": float (0: no name block),
        "ensemble_weight": float, "band_model": float, "band_ensemble": float}}``.
    """
    if settings is None:
        return _packaged_settings()
    table = read_data_table(settings, columns=SETTINGS_COLUMNS, default="stance_model_settings.csv",
                            func="load_model_settings", arg="settings")
    return {str(row["language"]): _parse_settings(row, i) for i, row in table.iterrows()}


@lru_cache(maxsize=1)
def _packaged_settings() -> dict[str, dict]:
    return load_model_settings("default")


def _parse_settings(row: pd.Series, i: int) -> dict:
    """One row of the settings table as typed values; a clear error naming the row otherwise."""
    try:
        out = {"word_ngrams": _ngrams(row["word_ngrams"]), "char_analyzer": str(row["char_analyzer"]),
               "char_ngrams": _ngrams(row["char_ngrams"]), "C": float(row["C"]),
               "class_weight": {"balanced": "balanced", "none": None}[str(row["class_weight"]).lower()],
               **{key: float(row[key]) for key in ("name_scale", "ensemble_weight", "band_model", "band_ensemble")}}
        if out["name_scale"] < 0:
            raise ValueError(f"name_scale {out['name_scale']} < 0")
    except (KeyError, ValueError) as error:
        raise ToolkitError(f"load_model_settings(): row {i + 2} ({row['language']!r}) has an invalid value "
                           f"({error}); n-gram ranges look like 1-2 (or empty), class_weight balanced/none, "
                           "the rest numbers, name_scale >= 0 (see toolkit/data/README.md).") from None
    if out["char_analyzer"] not in ("char", "char_wb") or not (out["word_ngrams"] or out["char_ngrams"]):
        raise ToolkitError(f"load_model_settings(): row {i + 2} ({row['language']!r}) needs char_analyzer char "
                           "or char_wb and at least one of word_ngrams, char_ngrams.")
    return out


def _ngrams(value) -> tuple[int, int] | None:
    if str(value).strip() == "":
        return None
    low, high = (int(part) for part in str(value).split("-"))
    if not 1 <= low <= high:
        raise ValueError(f"n-gram range {value!r}")
    return low, high


def features(settings: dict) -> dict[str, dict]:
    """``TfidfVectorizer`` options per block (``word``, ``char``) of one language's settings."""
    out = {}
    if settings["word_ngrams"]:
        out["word"] = {"analyzer": "word", "ngram_range": settings["word_ngrams"], "token_pattern": WORD_TOKENS}
    if settings["char_ngrams"]:
        out["char"] = {"analyzer": settings["char_analyzer"], "ngram_range": settings["char_ngrams"]}
    return out


def mark_targets(units, lang: str, spans, target: str, *, name_token: bool | None = None) -> str:
    """The text of ``units`` with each mention of ``target`` replaced by :data:`PLACEHOLDER` and each
    mention of another target by :data:`OTHER` (``spans``: :meth:`Matcher.spans`). English units are
    joined by spaces, Chinese characters as they are. With ``name_token`` (default: whether the packaged
    settings have a name block, ``name_scale`` > 0, :func:`load_model_settings`) the target's name follows after
    a space as one token, ``xt`` + its letters (``xtunitedstates``), so the model can learn a prior per target
    as well as the wording (as one feature of its own, :func:`fit_blocks`)."""
    parts, last = [], 0
    for start, end, names in spans:
        parts.append(units[last:start] if lang == "zh" else " ".join(units[last:start]))
        parts.append((PLACEHOLDER if target in names else OTHER)[lang])
        last = end
    parts.append(units[last:] if lang == "zh" else " ".join(units[last:]))
    text = ("" if lang == "zh" else " ").join(p for p in parts if p)
    if name_token is None:
        name_token = _packaged_settings()[lang]["name_scale"] > 0
    if name_token:
        text += _name_token(target)
    return text


def marked_words(lowered, spans, target: str) -> tuple[list[str], str]:
    """An English text marked as :func:`mark_targets` marks it, in the form the model reads without joining and
    splitting it again: the words of the lowercased marked text (``lowered``: the units lowercased; each unit is a
    word, as no unit holds a space) without the name token, and the name token (``xtunitedstates``)."""
    words, last = [], 0
    for start, end, names in spans:
        words += lowered[last:start]
        words.append(PLACEHOLDER["en"] if target in names else OTHER["en"])
        last = end
    words += lowered[last:]
    return words, _name_token(target)[1:]


def reads_words(model: pd.DataFrame) -> bool:
    """Whether a loaded model scores English texts given by :func:`marked_words` (else by :func:`mark_targets`)."""
    scorer = _built(model)[1].get("en")
    return scorer is not None and scorer.reads_words


@lru_cache(maxsize=4096)
def _name_token(target) -> str:
    """``" xt"`` + the target's letters and digits, lowercased (``" xtunitedstates"``)."""
    return " xt" + "".join(ch for ch in str(target).lower() if ch.isalnum())


def marked_texts(texts, langs, targets, compiled: dict[str, Matcher], *, name_token: bool | None = None) -> list[str]:
    """:func:`mark_targets` for each (text, language, target) triple."""
    out = []
    for text, lang, target in zip(texts, langs, targets):
        units = match_units(text, lang)
        out.append(mark_targets(units, lang, compiled[lang].spans(units, text), target, name_token=name_token))
    return out


def _vectorizer(options: dict, **extra):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(lowercase=True, sublinear_tf=True, dtype=np.float64, **options, **extra)


def split_name(text: str) -> tuple[str, str]:
    """A marked text's wording and its target-name token (``xtunitedstates``; ``""`` when there is none)."""
    body, sep, name = text.rpartition(NAME)
    return (body, "xt" + name) if sep and " " not in name else (text, "")


class NameBlock:
    """The target-name block: one feature per target name seen in fitting, valued ``scale`` (a smaller
    scale is a stronger penalty on the target's prior), kept apart from the n-grams of the wording."""

    def __init__(self, names, scale: float):
        self.vocabulary_ = {name: i for i, name in enumerate(sorted(set(names) - {""}))}
        self.scale = scale

    def transform(self, names):
        from scipy.sparse import csr_matrix

        ids = [self.vocabulary_.get(name, -1) for name in names]
        rows = [i for i, j in enumerate(ids) if j >= 0]
        return csr_matrix((np.full(len(rows), self.scale), ([i for i in rows], [ids[i] for i in rows])),
                          shape=(len(ids), len(self.vocabulary_)))


def fit_blocks(texts: list[str], settings: dict):
    """Fit the blocks of one language's ``settings`` on marked ``texts``: TF-IDF n-grams of the wording and,
    with ``name_scale`` > 0, the :class:`NameBlock`. Returns ``([(block, fitted)], matrix)``."""
    from scipy.sparse import hstack

    bodies, names = zip(*map(split_name, texts)) if settings["name_scale"] else (texts, None)
    blocks, matrices = [], []
    for block, options in features(settings).items():
        vectorizer = _vectorizer(options, min_df=MIN_DF)
        matrices.append(vectorizer.fit_transform(bodies))
        blocks.append((block, vectorizer))
    if names is not None:
        blocks.append(("name", NameBlock(names, settings["name_scale"])))
        matrices.append(blocks[-1][1].transform(names))
    return blocks, hstack(matrices).tocsr()


def transform_blocks(blocks, texts: list[str]):
    """The matrix of marked ``texts`` under blocks fitted by :func:`fit_blocks`."""
    from scipy.sparse import hstack

    named = any(block == "name" for block, _ in blocks)
    bodies, names = zip(*map(split_name, texts)) if named else (texts, None)
    return hstack([fitted.transform(names if block == "name" else bodies) for block, fitted in blocks]).tocsr()


def classifier(settings: dict):
    """The (unfitted) multinomial logistic regression of one language's ``settings`` (deterministic lbfgs)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=settings["C"], class_weight=settings["class_weight"], max_iter=5000)


def fit_stance_model(labelled: pd.DataFrame, *, settings: dict | None = None) -> pd.DataFrame:
    """Learn the n-gram weights of the supervised stance model from labelled, target-marked sentences.

    Parameters
    ----------
    labelled : DataFrame
        ``marked`` (texts from :func:`marked_texts`), ``lang`` and ``label`` (-2..+2).
    settings : dict, optional
        Settings per language (:func:`load_model_settings`; default the packaged ones): feature blocks,
        penalty ``C`` and class weights. The lbfgs solver is deterministic, so the same rows give the same
        weights.

    Returns
    -------
    DataFrame
        ``language, block, feature, idf, w-2 .. w+2``: one row per n-gram (``block`` word or char), per
        target name (``block`` name, ``idf`` the value of the feature, ``name_scale``) and one ``intercept``
        row per language (``feature`` empty, ``idf`` NaN). A label absent from the training
        rows gets the intercept -1e9 (probability 0).
    """
    require_columns(labelled, ["marked", "lang", "label"], func="fit_stance_model", arg="labelled")
    settings = settings or _packaged_settings()
    tables = []
    for lang in LANGUAGES:
        part = labelled[labelled["lang"] == lang]
        if part.empty:
            continue
        blocks, matrix = fit_blocks(part["marked"].tolist(), settings[lang])
        fitted = classifier(settings[lang]).fit(matrix, part["label"].astype(int))
        coef = np.zeros((len(LABELS), fitted.coef_.shape[1]))
        intercept = np.full(len(LABELS), -1e9)
        for row, label in enumerate(fitted.classes_):
            coef[LABELS.index(int(label))] = fitted.coef_[row]
            intercept[LABELS.index(int(label))] = fitted.intercept_[row]
        offset = 0
        for block, fitted in blocks:
            names = list(fitted.vocabulary_) if block == "name" else fitted.get_feature_names_out()
            idf = np.full(len(names), fitted.scale) if block == "name" else fitted.idf_
            weights = coef[:, offset: offset + len(names)].T
            tables.append(pd.DataFrame({"language": lang, "block": block, "feature": names, "idf": idf,
                                        **dict(zip(WEIGHTS, weights.T))}))
            offset += len(names)
        tables.append(pd.DataFrame({"language": [lang], "block": ["intercept"], "feature": [""], "idf": [np.nan],
                                    **{w: [v] for w, v in zip(WEIGHTS, intercept)}}))
    return pd.concat(tables, ignore_index=True)


def load_stance_model(model: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the supervised model's weights: the packaged ``stance_model.csv`` or the user's file/DataFrame
    (columns ``language, block, feature, idf, w-2, w-1, w0, w+1, w+2``; see :func:`fit_stance_model`).
    The packaged table is read once per process and the same object returned each time: copy it before
    changing it."""
    if model is None or (isinstance(model, str) and model == "default"):
        return _packaged_model()
    return _read_model(model)


@lru_cache(maxsize=1)
def _packaged_model() -> pd.DataFrame:
    """The packaged table; its content hash for provenance is the one recorded when it was fitted
    (``model_sha`` in ``stance_model_info.csv``) when the table's content key is the recorded one."""
    from .scoring import _SHAS, content_key

    table = _read_model(None)
    info = read_data_table(None, columns=["key", "value"], default="stance_model_info.csv",
                           func="load_stance_model", arg="model").set_index("key")["value"]
    if {"model_content_key", "model_sha"} <= set(info.index) and content_key(table) == info["model_content_key"]:
        _SHAS[info["model_content_key"]] = info["model_sha"]
    return table


def _read_model(model) -> pd.DataFrame:
    table = read_data_table(model, columns=MODEL_COLUMNS, default="stance_model.csv", func="load_stance_model",
                            arg="model")
    table = table.assign(idf=pd.to_numeric(table["idf"], errors="coerce"),
                         **{w: pd.to_numeric(table[w], errors="coerce") for w in WEIGHTS})
    if table[WEIGHTS].isna().any().any() or not table["block"].isin(["word", "char", "name", "intercept"]).all():
        raise ToolkitError("load_stance_model(): every row needs a numeric weight and a block word, char, name or "
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
        for block, options in features(_packaged_settings()[lang]).items():
            rows = part[part["block"] == block]
            if rows.empty:  # a model without this block (e.g. a user's word-only model)
                continue
            vectorizer = _vectorizer(options, vocabulary=dict(zip(rows["feature"], range(len(rows)))))
            vectorizer.idf_ = rows["idf"].to_numpy(dtype=np.float64)
            self.blocks.append((vectorizer, rows[WEIGHTS].to_numpy(dtype=np.float64)))
        self.intercept = part.loc[part["block"] == "intercept", WEIGHTS].to_numpy(dtype=np.float64)[0]
        names = part[part["block"] == "name"]   # none in a model without a name block: the token stays in the text
        self.names = dict(zip(names["feature"], range(len(names))))
        self.name_weights = names[WEIGHTS].to_numpy(dtype=np.float64) * names[["idf"]].to_numpy(dtype=np.float64)
        # whether it scores the (words, name) pairs of marked_words: only the fast blocks, a name block, and the
        # marked texts of mark_targets end in a name token (else they are scored as texts)
        self.reads_words = bool(self.names) and _packaged_settings()[lang]["name_scale"] > 0 and all(
            vectorizer.analyzer in ("char_wb", "word") for vectorizer, _ in self.blocks)

    def predict(self, marked: list) -> np.ndarray:
        """The expected label, ``sum(k * P(k))``, of texts marked by :func:`mark_targets` or (when
        :attr:`reads_words`) of the ``(words, name)`` pairs of :func:`marked_words`."""
        logits = np.tile(self.intercept, (len(marked), 1))
        words = None
        if marked and not isinstance(marked[0], str):
            words, names = zip(*marked)
            marked = None
        elif self.names:
            marked, names = zip(*map(split_name, marked))
        if self.names:
            ids = np.array([self.names.get(name, -1) for name in names], dtype=np.int64)
            logits[ids >= 0] += self.name_weights[ids[ids >= 0]]
        for vectorizer, weights in self.blocks:
            if vectorizer.analyzer == "char_wb":
                counts = (_word_char_counts(vectorizer, marked) if words is None
                          else _char_counts_of_words(vectorizer, words))
            elif vectorizer.analyzer == "word":
                counts = _word_counts(vectorizer, marked) if words is None else _word_counts_of_words(vectorizer, words)
            else:
                logits += vectorizer.transform(marked) @ weights
                continue
            # the fast blocks' TF-IDF comes column by column (CSC): its product sums each row's terms in the order of
            # its sorted ids, as the CSR of scikit-learn's transform does, without turning it into rows
            logits += _tfidf_columns(vectorizer, counts) @ weights
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        return probabilities @ np.asarray(LABELS, dtype=np.float64)


def word_char_tfidf(vectorizer, texts: list[str]):
    """``vectorizer.transform(texts)`` for a fitted ``char_wb`` TF-IDF vectorizer (sublinear tf, l2 norm),
    several times faster: ``char_wb`` n-grams never cross a space, so each distinct word is analysed once per
    vectorizer (its vocabulary ids are kept on it, :class:`_WordIds`) and a block's n-gram counts are the
    product of its texts' word counts and the words' n-gram counts (the same matrix as scikit-learn's, tested)."""
    return _tfidf_columns(vectorizer, _word_char_counts(vectorizer, texts)).tocsr()


def _word_char_counts(vectorizer, texts: list[str]):
    """The ``char_wb`` n-gram counts of ``texts`` by a fitted vectorizer, transposed (CSR, n-grams x texts; see
    :func:`word_char_tfidf`)."""
    return _char_counts_of_words(vectorizer, [text.lower().split() for text in texts])


def _char_counts_of_words(vectorizer, words: list[list[str]]):
    """:func:`_word_char_counts` of texts given as their lowercased words."""
    store, at = _word_ids(vectorizer, list(itertools.chain.from_iterable(words)))
    rows = np.repeat(np.arange(len(words)), [len(w) for w in words])
    return store.counts(at, rows, len(words), len(vectorizer.vocabulary_))


def _word_ids(vectorizer, words: list[str]) -> tuple[_WordIds, np.ndarray]:
    """The store of ``char_wb`` n-gram ids kept on the vectorizer (:class:`_WordIds`, at most :data:`WORD_CACHE`
    words, then it starts afresh) and the place of each of ``words`` in it: each distinct word is analysed once
    per vectorizer."""
    store = vectorizer.__dict__.get("_toolkit_word_ids")
    if store is None or len(store.index) > WORD_CACHE:
        store = vectorizer.__dict__["_toolkit_word_ids"] = _WordIds()
    at = np.fromiter(map(store.index.get, words, itertools.repeat(-1)), dtype=np.int64, count=len(words))
    missing = np.flatnonzero(at < 0)
    if len(missing):
        store.add(vectorizer, dict.fromkeys(words[i] for i in missing))
        at[missing] = [store.index[words[i]] for i in missing]
    return store, at


class _WordIds:
    """The ``char_wb`` n-gram ids of the distinct words a vectorizer has seen, in one flat array: word ``index[w]``
    has ``ids[starts[i]:starts[i] + lengths[i]]``."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.ids = np.zeros(0, dtype=np.int64)
        self.starts = np.zeros(0, dtype=np.int64)
        self.lengths = np.zeros(0, dtype=np.int64)

    def add(self, vectorizer, words) -> None:
        """Analyse ``words`` (new, distinct) and keep their ids."""
        analyze, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_
        arrays = [np.array([vocabulary[g] for g in analyze(word) if g in vocabulary], dtype=np.int64)
                  for word in words]
        lengths = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
        self.index.update(zip(words, range(len(self.index), len(self.index) + len(arrays))))
        self.starts = np.r_[self.starts, len(self.ids) + np.cumsum(lengths) - lengths]
        self.lengths = np.r_[self.lengths, lengths]
        self.ids = np.concatenate([self.ids, *arrays])

    def counts(self, at: np.ndarray, rows: np.ndarray, n_rows: int, n_features: int):
        """The n-gram counts, transposed (CSR, ``n_features`` x ``n_rows``, no repeated entry), of rows holding the
        words ``at`` (places in the store; ``rows``: the row of each): (words x n-grams)ᵀ @ (words x rows), so no
        row is sorted (the counts are whole numbers: exact in any order)."""
        from scipy.sparse import csr_matrix

        present = np.zeros(len(self.lengths), dtype=bool)
        present[at] = True
        distinct, local = np.flatnonzero(present), (np.cumsum(present) - 1)[at]   # np.unique without its sort
        lengths = self.lengths[distinct]
        indptr = np.r_[0, np.cumsum(lengths)]
        offsets = np.repeat(self.starts[distinct] - indptr[:-1], lengths) + np.arange(indptr[-1])
        grams = csr_matrix((np.ones(len(offsets)), self.ids[offsets], indptr), shape=(len(distinct), n_features))
        words = csr_matrix((np.ones(len(local)), (local, rows)), shape=(len(distinct), n_rows))
        return grams.T.tocsr() @ words


def word_tfidf(vectorizer, texts: list[str]):
    """``vectorizer.transform(texts)`` for a fitted ``word`` TF-IDF vectorizer (lowercase, sublinear tf, l2
    norm, no stop words): the same tokens and n-grams as scikit-learn's analyzer, for a whole block of texts at
    once: the texts tokenized as one string with a :data:`SEPARATOR` between them (runs of ASCII texts by a byte
    table), each token looked up once as an integer (:class:`_GramIds`), its n-grams found with numpy, none across
    two texts (the same matrix, tested)."""
    return _tfidf_columns(vectorizer, _word_counts(vectorizer, texts)).tocsr()


def _word_counts(vectorizer, texts: list[str]):
    """The word n-gram counts of ``texts`` by a fitted ``word`` vectorizer, transposed (CSR, n-grams x texts; see
    :func:`word_tfidf`)."""
    grams = _gram_ids(vectorizer)
    findall = grams.findall
    parts = []   # the tokens of runs of texts, spaced, SEPARATOR between texts
    for plain, run in itertools.groupby(texts, lambda text: text.isascii() and SEPARATOR not in text):
        if plain and vectorizer.token_pattern == WORD_TOKENS:   # a run of ASCII texts (most) by a byte table at once
            parts.append(_spaced_ascii_words(f" {SEPARATOR} ".join(run), keep=SEPARATOR))
        else:
            parts.append(f" {SEPARATOR} ".join(" ".join(findall(text.lower())) for text in run))
    # no token holds whitespace, so one split gives back every text's tokens, a SEPARATOR between texts
    flat = grams.tokens(f" {SEPARATOR} ".join(parts).split())
    row = np.cumsum(flat == _GramIds.SEPARATOR)
    low, high = vectorizer.ngram_range
    rows, ids = [], []
    for n, found in grams.ngrams(flat, low, high):   # an n-gram across two texts holds a SEPARATOR: none is found
        rows.append(row[:len(found)])
        ids.append(found)
    return _counts_by_id(vectorizer, np.concatenate(rows), np.concatenate(ids), len(texts))


def _word_counts_of_words(vectorizer, words: list[list[str]]):
    """:func:`_word_counts` of texts given as their lowercased words (no word holds whitespace), word by word: the
    tokens of a text are those of its words in turn (a token never spans a space), and most words are one token or
    none (a punctuation mark), looked up once per distinct word (:meth:`_GramIds.word_codes`); a block with a word
    of several tokens is joined into texts."""
    grams = _gram_ids(vectorizer)
    codes = grams.word_codes(list(itertools.chain.from_iterable(words)))
    if (codes == _GramIds.SEVERAL).any():
        return _word_counts(vectorizer, [" ".join(part) for part in words])
    row = np.repeat(np.arange(len(words)), [len(part) for part in words])
    one = codes != _GramIds.NONE
    flat, row = codes[one], row[one]
    low, high = vectorizer.ngram_range
    rows, ids = [], []
    for n, found in grams.ngrams(flat, low, high):
        within = row[:len(found)] == row[n - 1:]       # the n-gram's first and last token in the same text
        rows.append(row[:len(found)][within])
        ids.append(found[within])
    return _counts_by_id(vectorizer, np.concatenate(rows), np.concatenate(ids), len(words))


def _gram_ids(vectorizer) -> _GramIds:
    """The :class:`_GramIds` of a fitted ``word`` vectorizer, built once and kept on it."""
    grams = vectorizer.__dict__.get("_toolkit_gram_ids")
    if grams is None:
        grams = vectorizer.__dict__["_toolkit_gram_ids"] = _GramIds(vectorizer.vocabulary_, vectorizer.token_pattern)
    return grams


# ASCII letters lowercased, digits, "_" and "?" kept, any other byte a space
_ASCII_WORD_BYTES = bytes(ord(chr(b).lower()) if b < 128 and (chr(b).isalnum() or chr(b) in "_?") else 32
                          for b in range(256))


def ascii_word_tokens(text: str) -> list[str]:
    """The tokens of :data:`WORD_TOKENS` in the lowercased ``text``, for an ASCII text: its word characters are
    letters, digits and "_", so the tokens are the runs of them and each "?" (the same list as the regular
    expression's, tested), found by a byte table and ``split`` instead of the regex engine."""
    return _spaced_ascii_words(text).split()


def _spaced_ascii_words(text: str, *, keep: str = "") -> str:
    """``text`` with the tokens of :func:`ascii_word_tokens` spaced apart (``split()`` gives them); the characters
    of ``keep`` (no word character, no whitespace) stay as they are, tokens of their own where spaced."""
    return text.replace("?", " ? ").encode("ascii").translate(_word_bytes(keep)).decode("ascii")


@lru_cache(maxsize=4)
def _word_bytes(keep: str) -> bytes:
    """:data:`_ASCII_WORD_BYTES` with the characters of ``keep`` kept."""
    table = bytearray(_ASCII_WORD_BYTES)
    for char in keep:
        table[ord(char)] = ord(char)
    return bytes(table)


class _GramIds:
    """The vocabulary of a fitted ``word`` vectorizer as integers: each token of its n-grams (split at spaces, as
    scikit-learn joins them) has an id, and each run of ``k`` tokens that begins one of its n-grams has an id,
    found from the id of its first ``k - 1`` tokens and its last token (sorted integer keys): so the n-grams of a
    block of tokens are looked up with numpy, not joined into strings. Splitting an n-gram at its spaces gives back
    its tokens because no token of :data:`WORD_TOKENS` (the only word pattern of the model) holds a space."""

    SEPARATOR = -2   # the id of SEPARATOR, between texts: like -1 (no n-gram), told apart to number the texts
    NONE, SEVERAL = -3, -4   # word_codes of a word with no token, with several

    def __init__(self, vocabulary: dict[str, int], pattern: str = WORD_TOKENS):
        import re

        self.findall = re.compile(pattern).findall
        self._codes: dict[str, int] = {}   # word -> its token's id, NONE or SEVERAL (word_codes)
        split = {gram: tuple(gram.split(" ")) for gram in vocabulary}
        self.token_ids = {token: i for i, token in enumerate(sorted({t for parts in split.values() for t in parts}))}
        self._ids = {**self.token_ids, SEPARATOR: self.SEPARATOR}   # no token of WORD_TOKENS is SEPARATOR
        self.base = len(self.token_ids) + 1
        self.levels = []   # per k >= 2: the keys of the k-token runs, sorted (runs and tokens are numbered in order)
        runs = {(t,): i for t, i in self.token_ids.items()}   # k-token run -> id, k = 1 first
        self.vocabulary_of = [np.array([vocabulary.get(t, -1) for t in sorted(self.token_ids)], dtype=np.int64)]
        for k in range(2, max(map(len, split.values()), default=1) + 1):
            longer = sorted({parts[:k] for parts in split.values() if len(parts) >= k})
            keys = np.array([runs[run[:-1]] * self.base + self.token_ids[run[-1]] for run in longer], dtype=np.int64)
            runs = {run: i for i, run in enumerate(longer)}
            self.levels.append(keys)
            self.vocabulary_of.append(np.array([vocabulary.get(" ".join(run), -1) for run in longer], dtype=np.int64))

    def tokens(self, tokens: list[str]) -> np.ndarray:
        """Token ids (-1: a token in no n-gram of the vocabulary; :attr:`SEPARATOR` for :data:`SEPARATOR`, a token
        of no n-gram either)."""
        return np.fromiter(map(self._ids.get, tokens, itertools.repeat(-1)), dtype=np.int64, count=len(tokens))

    def word_codes(self, words: list[str]) -> np.ndarray:
        """Per word (no whitespace in it): the id of its one token (-1: in no n-gram), :attr:`NONE` (no token) or
        :attr:`SEVERAL`; each distinct word tokenized once (at most :data:`WORD_CACHE` kept, then afresh)."""
        codes = np.fromiter(map(self._codes.get, words, itertools.repeat(self.SEVERAL - 1)), dtype=np.int64,
                            count=len(words))
        unseen = np.flatnonzero(codes == self.SEVERAL - 1)
        if len(unseen):
            if len(self._codes) > WORD_CACHE:
                self._codes = {}
            for word in dict.fromkeys(words[i] for i in unseen):
                tokens = self.findall(word.lower())
                self._codes[word] = (self.token_ids.get(tokens[0], -1) if len(tokens) == 1
                                     else self.NONE if not tokens else self.SEVERAL)
            codes[unseen] = [self._codes[words[i]] for i in unseen]
        return codes

    def ngrams(self, flat: np.ndarray, low: int, high: int):
        """``(n, vocabulary ids of the n-grams starting at each position but the last n - 1)`` for n in
        ``low..high`` (-1: not in the vocabulary)."""
        run = flat
        for n in range(1, high + 1):
            if n > 1:
                run = self._extend(run[:-1], flat[n - 1:], n)
            if n >= low:
                yield n, self._vocabulary_ids(run, n)

    def _vocabulary_ids(self, run: np.ndarray, n: int) -> np.ndarray:
        """The vocabulary ids of the ``n``-token runs ``run`` (-1: none, or not an n-gram of the vocabulary)."""
        out = np.full(len(run), -1, dtype=np.int64)
        if n <= len(self.vocabulary_of):
            known = run >= 0
            out[known] = self.vocabulary_of[n - 1][run[known]]
        return out

    def _extend(self, run: np.ndarray, last: np.ndarray, n: int) -> np.ndarray:
        """Ids of the ``n``-token runs made of the ``n - 1``-token runs ``run`` and the tokens ``last``."""
        if n - 2 >= len(self.levels):
            return np.full(len(run), -1, dtype=np.int64)
        keys = self.levels[n - 2]
        key = run * self.base + last
        at = np.minimum(np.searchsorted(keys, key), max(len(keys) - 1, 0))
        found = (run >= 0) & (last >= 0) & (len(keys) > 0)
        found[found] &= keys[at[found]] == key[found]
        return np.where(found, at, -1)


def _tfidf(vectorizer, rows: np.ndarray, ids: np.ndarray, n_rows: int):
    """The l2-normed sublinear TF-IDF rows (CSR, each row's ids sorted) of the vocabulary ``ids`` (-1: not in the
    vocabulary, skipped) of rows ``rows`` (repeats counted)."""
    return _tfidf_columns(vectorizer, _counts_by_id(vectorizer, rows, ids, n_rows)).tocsr()


def _counts_by_id(vectorizer, rows: np.ndarray, ids: np.ndarray, n_rows: int):
    """The counts of the vocabulary ``ids`` (-1: skipped) of rows ``rows``, transposed (CSR, ids x rows, repeats
    summed)."""
    from scipy.sparse import csr_matrix

    keep = ids >= 0
    return csr_matrix((np.ones(int(keep.sum())), (ids[keep], rows[keep])), shape=(len(vectorizer.vocabulary_), n_rows))


def _tfidf_columns(vectorizer, by_id):
    """The l2-normed sublinear TF-IDF (CSC, rows x ids) of counts given transposed (``by_id``: CSR, ids x rows, no
    repeated entry; its data are overwritten). Each row's squares are summed in the order of its ids, one after
    another, by ``np.bincount`` over the ids in turn, as scikit-learn's ``normalize`` sums a sorted CSR row: the
    same values to the last bit (tested), with no transpose of the matrix."""
    from scipy.sparse import csc_matrix

    data = by_id.data
    np.log(data, out=data)
    data += 1
    data *= np.repeat(vectorizer.idf_, np.diff(by_id.indptr))
    norms = np.sqrt(np.bincount(by_id.indices, weights=np.square(data), minlength=by_id.shape[1]))
    norms[norms == 0] = 1.0   # a row of zeros (idf 0 in a user's model) stays zeros, as in normalize
    data /= norms[by_id.indices]
    return csc_matrix((data, by_id.indices, by_id.indptr), shape=by_id.shape[::-1])


_BUILT: dict[int, tuple] = {}  # id(model table) -> (weak reference to it, its scorers, its content hash)


def _built(model: pd.DataFrame) -> tuple:
    """The scorers and content hash of a loaded model table, built once per table object (the packaged
    table is one object per process, :func:`load_stance_model`), so repeated calls skip rebuilding them."""
    import weakref

    from .scoring import _table_sha

    entry = _BUILT.get(id(model))
    if entry is None or entry[0]() is not model:
        table = model[MODEL_COLUMNS]
        scorers = {lang: _Scorer(table, lang) for lang in sorted(set(table["language"]))}
        for key in [key for key, (ref, *_) in _BUILT.items() if ref() is None]:
            del _BUILT[key]
        entry = _BUILT[id(model)] = (weakref.ref(model), scorers, _table_sha(model))
    return entry


def model_sha(model: pd.DataFrame) -> str:
    """The short content hash of a loaded model table (for provenance), computed once per table object."""
    return _built(model)[2]


def model_scores(marked: list, langs, model: pd.DataFrame) -> np.ndarray:
    """Scores in [-1, 1] (the expected label / 2) of target-marked texts by a loaded model: texts of
    :func:`mark_targets`, or for English (when :func:`reads_words`) the pairs of :func:`marked_words`, one kind per
    language."""
    scorers = _built(model)[1]
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
