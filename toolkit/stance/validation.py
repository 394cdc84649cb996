"""Hand labels and how well each stance method agrees with them.

- :func:`sample_for_annotation` / :func:`read_annotations`: write and read a hand-labelling CSV;
- :func:`read_referenced_annotations`: read labels that point into a JSONL corpus by character offset;
- :func:`evaluate`: Spearman correlation and 3-class macro-F1 of one score column against labels;
- :func:`score_labelled`: each labelled row scored for its own target by one method;
- :func:`validate`: every method (lexicon, keywords, VADER, LSS, supervised) against one labelled set.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from ._shared import agreement
from .baselines import score_keywords, score_vader
from .linear import load_model_settings
from .models import PolarityModel, fit_polarity, fit_stance_classifier
from .scoring import score_stance

LABELS = (-2, -1, 0, 1, 2)
ANNOTATION_COLUMNS = ["doc_id", "turn_id", "sent_id", "target", "text", "label", "note"]
METHODS = ("ensemble", "lexicon", "model", "keywords", "vader", "lss", "supervised")
BANDS = {"ensemble": 0.2, "lexicon": 0.2, "model": 0.15, "keywords": 0.2, "vader": 0.05, "lss": 0.5,
         "supervised": np.nan}  # supervised: argmax; model and ensemble: per language from the model settings


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
        Seed of the draw; ``None`` draws afresh, the same int gives the same sample.

    Returns
    -------
    DataFrame
        ``doc_id, turn_id, sent_id, target, text, label`` (empty), ``note`` (empty), plus ``date`` and
        ``spokesperson`` when present.

    Examples
    --------
    >>> sample_for_annotation(scores, per_target=10, path="to_label.csv", random_state=0)  # doctest: +SKIP
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


def _check_labels(table: pd.DataFrame, *, func: str, source: str) -> pd.DataFrame:
    labels = pd.to_numeric(table["label"], errors="coerce")
    bad = table.index[labels.isna() | ~labels.isin(LABELS)]
    if len(bad):
        shown = [(int(i) + 2, table.at[i, "label"]) for i in bad[:10]]
        raise ToolkitError(f"{func}(): {source} has missing or invalid labels (CSV line, value): {shown}; "
                           f"each label must be one of {list(LABELS)} (-2 hostile .. +2 warm).")
    return table.assign(label=labels.astype(int))


def read_referenced_annotations(path: str | Path, *, sources: list[str | Path],
                                splits: tuple[str, ...] | None = None, key: str = "source_url",
                                record_key: str | None = None, field: str = "text") -> pd.DataFrame:
    """Read labels that reference sentences by ``source_url, offset, length`` into JSONL corpora.

    Lets a labelled set be shared without copying the texts: each row's text is sliced from the ``text``
    field of the JSONL record with that ``source_url``. Other corpora name their records and texts
    differently: ``key``, ``record_key`` and ``field`` say how (for the CMFA PressCon dyads,
    ``key="dyad_id", record_key="id", field="answer"``).

    Parameters
    ----------
    path : path
        CSV with ``key`` (``source_url`` by default), ``offset, length, target, label`` (and optionally
        ``lang``, ``split``, ``note``).
    sources : list of paths
        JSONL files whose records carry ``record_key`` and ``field`` (e.g. the MFA corpora: ``source_url``
        and ``text``).
    splits : tuple of str, optional
        Keep only the rows whose ``split`` column is one of these (``("train", "dev")`` while tuning, so the
        test rows are never read), and drop rows not yet labelled (empty ``label``). ``None``: every row,
        each of which must be labelled.
    key : str
        The CSV column naming the record a row points into.
    record_key : str, optional
        The JSONL field matched with ``key`` (compared as text, so ``1723`` matches ``"1723"``); ``key`` by
        default.
    field : str
        The JSONL field ``offset, length`` index into (characters).

    Returns
    -------
    DataFrame
        The CSV's columns plus ``text`` (the referenced sentence), ``date`` (the record's ``date``) and
        ``doc_id`` (the row's ``key``, as text).

    Raises
    ------
    ToolkitError
        When a column is missing, a label is missing or invalid, a source file does not exist, or a row's
        record or span is not in the sources (naming the CSV line).

    Examples
    --------
    >>> read_referenced_annotations("outside.csv", sources=["ukraine_dataset_combined.jsonl"],
    ...                             key="dyad_id", record_key="id", field="answer")  # doctest: +SKIP
    """
    func = "read_referenced_annotations"
    name = Path(path).name
    table = pd.read_csv(path, dtype={"label": str, key: str}, keep_default_na=False)
    require_columns(table, [key, "offset", "length", "target", "label"], func=func, arg=f"file {name}")
    if splits is not None:
        require_columns(table, ["split"], func=func, arg=f"file {name}")
        table = table[table["split"].isin(splits) & (table["label"].str.strip() != "")]
    records = _jsonl_records(sources, set(table[key]), record_key or key, func=func)
    texts = [_referenced_text(records.get(row[key]), row, i, key=key, field=field, source=name, func=func)
             for i, row in table.iterrows()]
    table = _check_labels(table, func=func, source=f"file {name}")
    dates = [records[k].get("date") for k in table[key]]
    return table.assign(text=texts, doc_id=table[key],
                        date=pd.to_datetime(dates, errors="coerce")).reset_index(drop=True)


def _jsonl_records(sources, wanted: set, record_key: str, *, func: str) -> dict:
    """``{str(record[record_key]): record}`` of the JSONL records in ``sources`` whose key is ``wanted``."""
    records = {}
    for source in sources:
        if not Path(source).is_file():
            raise ToolkitError(f"{func}(): source file {str(source)!r} does not exist; pass the JSONL corpora.")
        with open(source, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                value = record.get(record_key)
                if value is not None and str(value) in wanted:
                    records[str(value)] = record
    return records


def _referenced_text(record: dict | None, row: pd.Series, i: int, *, key: str, field: str, source: str,
                     func: str) -> str:
    """The slice ``offset, length`` of the record's ``field`` that CSV row ``i`` references."""
    start, length = int(row["offset"]), int(row["length"])
    text = record.get(field) if record is not None else None
    if not isinstance(text, str) or start < 0 or length <= 0 or start + length > len(text):
        problem = "no record with that key" if record is None else (
            f"the record has no text field {field!r}" if not isinstance(text, str) else
            f"the span is outside its {field!r} ({len(text)} characters)")
        raise ToolkitError(f"{func}(): file {source}, CSV line {i + 2} references {key} {row[key]!r} at "
                           f"{start}+{length}: {problem} in the given sources; check the sources list, the key "
                           "and field options, and the offsets.")
    return text[start:start + length]


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
    return agreement(scored[label], values, predicted)


def validate(
    validation: pd.DataFrame,
    *,
    methods: tuple[str, ...] = METHODS,
    lss: PolarityModel | pd.DataFrame | None = None,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Compare stance methods with hand labels (Spearman and 3-class macro-F1).

    Parameters
    ----------
    validation : DataFrame
        Labelled sentences with ``text, target, label`` (e.g. :func:`read_referenced_annotations`).
    methods : tuple
        Any of "ensemble", "lexicon", "model" (:func:`toolkit.score_stance` with that ``method``; "model"
        and "ensemble" use the shipped supervised weights, fitted on the gold set's train + dev splits and the project set, so
        evaluate them on rows they were not trained on), "keywords", "vader", "lss" (needs ``lss``),
        "supervised" (:func:`fit_stance_classifier`, cross-validated on ``validation`` itself).
    lss : PolarityModel or DataFrame, optional
        A fitted :func:`fit_polarity` model, or unlabelled sentences to fit one on.
    random_state : int, optional
        Seed of the LSS fit (when ``lss`` is a DataFrame) and of the supervised folds; ``None`` draws
        afresh, the same int gives the same table.

    Returns
    -------
    DataFrame
        ``method, spearman, macro_f1, n, neutral_band``.

    Examples
    --------
    >>> validate(read_annotations("labelled.csv"), methods=("lexicon", "vader"))      # doctest: +SKIP
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
    rows = [{"method": method, **_method_agreement(method, labelled, lss=lss, random_state=random_state),
             "neutral_band": _band(method, labelled)} for method in methods]
    return pd.DataFrame(rows)


def _band(method: str, labelled: pd.DataFrame) -> float:
    """The neutral band of ``method``: for "model" and "ensemble" on rows of one language (``lang``), the
    band chosen for that language by cross-validation (``band_model``, ``band_ensemble`` in
    ``toolkit/data/stance_model_settings.csv``); otherwise :data:`BANDS`."""
    langs = set(labelled["lang"]) if "lang" in labelled.columns else set()
    settings = load_model_settings()
    if method in ("model", "ensemble") and len(langs) == 1 and next(iter(langs)) in settings:
        return settings[next(iter(langs))][f"band_{method}"]
    return BANDS[method]


def score_labelled(labelled: pd.DataFrame, *, method: str = "ensemble", lss: PolarityModel | None = None) -> pd.DataFrame:
    """Score each labelled row for its own target with one method (what :func:`validate` compares).

    Parameters
    ----------
    labelled : DataFrame
        Labelled sentences with ``text, target`` (and ``lang``, ``doc_id`` when known; e.g.
        :func:`read_referenced_annotations`).
    method : str
        "ensemble", "lexicon", "model" (:func:`toolkit.score_stance` with that ``method``), "keywords", "vader"
        or "lss" (needs ``lss``).
    lss : PolarityModel, optional
        A fitted :func:`fit_polarity` model, for ``method="lss"``.

    Returns
    -------
    DataFrame
        ``labelled`` (index reset) with ``score``: the method's score of the row's sentence for the row's target,
        0 where the method finds no mention of that target in the sentence.

    Raises
    ------
    ToolkitError
        When ``text`` or ``target`` is missing, the method is unknown, or "lss" has no ``lss``.
    """
    func = "score_labelled"
    require_columns(labelled, ["text", "target"], func=func, arg="labelled")
    scorers = {"keywords": score_keywords, "vader": score_vader,
               **{name: functools.partial(score_stance, method=name) for name in ("lexicon", "model", "ensemble")}}
    if method == "lss":
        if lss is None:
            raise ToolkitError(f"{func}(): method 'lss' needs lss= (a fitted PolarityModel).")
        scorers["lss"] = lss.score
    if method not in scorers:
        raise ToolkitError(f"{func}(): unknown method {method!r}; choose from {sorted(set(METHODS) - {'supervised'})}.")
    labelled = labelled.reset_index(drop=True)
    frame = labelled.assign(sent_id=np.arange(len(labelled)), turn_id=0, role="answer",
                            doc_id=labelled.get("doc_id", pd.Series(np.arange(len(labelled)))).astype(str))
    frame = frame.drop(columns=["label", "target", "note"], errors="ignore")
    return labelled.assign(score=_pick_target(labelled["target"], scorers[method](frame)))


def _method_agreement(method: str, labelled: pd.DataFrame, *, lss, random_state) -> dict:
    """``spearman, macro_f1, n`` of one method on the labelled rows (each row scored for its own target)."""
    if method == "supervised":
        metrics = fit_stance_classifier(labelled, random_state=random_state).metrics_
        return {key: metrics[key] for key in ("spearman", "macro_f1", "n")}
    return evaluate(score_labelled(labelled, method=method, lss=lss), neutral_band=_band(method, labelled))


def _pick_target(targets: pd.Series, scores: pd.DataFrame) -> pd.Series:
    """The score of validation row ``i`` (``sent_id``) for its labelled target (0 when it was not found)."""
    keyed = scores.set_index(["sent_id", "target"])["score"]
    keyed = keyed[~keyed.index.duplicated()]
    return pd.Series([keyed.get((i, t), 0.0) for i, t in enumerate(targets)], index=targets.index, dtype=float)
