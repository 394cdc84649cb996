"""What several stance modules use: the rows that are scored, the per-target output shape, agreement metrics.

- :func:`spokesperson_rows`: the rows to score (the spokesperson's, unless questions are included), with
  their language in ``_lang``;
- :func:`expand_targets` / :func:`order_columns`: one output row per input row and mentioned target, in the
  column order of :func:`toolkit.score_stance`;
- :func:`score_per_target`: the whole shape for a scorer that gives one score per text (the baselines and
  the learned models);
- :func:`three_class` / :func:`agreement`: labels to classes by sign; Spearman and 3-class macro-F1.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from ..provenance import provenance
from ..text import langs_of, plain_texts
from ..turns import SPOKESPERSON_ROLES
from .lexicon import LANGUAGES, target_mentions

CUE_CATEGORIES = ("hostile", "critical", "cooperative")
ID_COLUMNS = ["doc_id", "turn_id", "sent_id"]
SCORE_COLUMNS = ["target", "score", "n_hostile", "n_critical", "n_cooperative", "cues", "source", "model_score"]


def spokesperson_rows(frame: pd.DataFrame, *, include_questions: bool, func: str) -> pd.DataFrame:
    """Keep the spokesperson's rows, role in ``SPOKESPERSON_ROLES`` (all rows with ``include_questions=True``:
    questions, and the journalist's ``context`` of a news report), and add ``_lang``: the ``lang`` column where
    it is ``en`` or ``zh``, else :func:`toolkit.text.detect_lang` of the text. Rows without text are left out;
    the other texts become ``str`` (:func:`toolkit.text.plain_texts`)."""
    require_columns(frame, ["doc_id", "text"], func=func)
    if not include_questions:
        if "role" not in frame.columns:
            raise ToolkitError(
                f"{func}(): the table has no 'role' column, so journalists' questions cannot be excluded; "
                "pass toolkit.split_turns(...) or split_sentences(...) output, or include_questions=True."
            )
        frame = frame[frame["role"].isin(SPOKESPERSON_ROLES)]
    frame = frame[frame["text"].notna()]
    frame = frame.assign(text=plain_texts(frame["text"]))
    known = frame.assign(lang=frame["lang"].where(frame["lang"].isin(LANGUAGES))) if "lang" in frame else frame
    return frame.assign(_lang=langs_of(known)).reset_index(drop=True)


def expand_targets(frame: pd.DataFrame, mentions: list, values: dict, *, untargeted: str) -> pd.DataFrame:
    """One row per input row and mentioned target (``target`` NaN for untargeted rows if kept).

    ``values`` maps output column names to per-row lists of ``{target: value}`` dicts or scalars.
    """
    index, names = [], []
    for i, found in enumerate(mentions):
        row_targets = list(dict.fromkeys(t for _, ts in found for t in ts))
        if not row_targets and untargeted == "keep":
            row_targets = [np.nan]
        index.extend([i] * len(row_targets))
        names.extend(row_targets)
    out = frame.iloc[index].reset_index(drop=True).assign(target=names)
    for column, per_row in values.items():
        out[column] = [per_row[i].get(t, per_row[i].get(None)) if isinstance(per_row[i], dict) else per_row[i]
                       for i, t in zip(index, names)]
    return out


def order_columns(out: pd.DataFrame, frame_columns: list[str]) -> pd.DataFrame:
    """``doc_id, turn_id, sent_id`` (NA where missing), the score columns present, then the input's other
    columns (private ``_`` columns dropped)."""
    for column in ID_COLUMNS:
        if column not in out.columns:
            out[column] = pd.NA
    rest = [c for c in frame_columns if c not in ID_COLUMNS + SCORE_COLUMNS and not c.startswith("_")]
    score_columns = [c for c in SCORE_COLUMNS if c in out.columns]
    return out[ID_COLUMNS + score_columns + rest]


def score_per_target(frame: pd.DataFrame, score_texts: Callable, *, method: str, targets, include_questions: bool,
                     untargeted: str, func: str) -> pd.DataFrame:
    """Score each row's text once and copy the score to each target the row mentions.

    ``score_texts(texts, langs)`` returns the scores and the ``cues`` explanations, one per text. The result
    has the :func:`toolkit.score_stance` columns, ``n_*`` NaN, and ``attrs["provenance"]`` naming ``method``.
    """
    rows = spokesperson_rows(frame, include_questions=include_questions, func=func)
    texts = rows["text"].astype(str)
    mentions = target_mentions(texts, rows["_lang"], targets)
    scores, cues = score_texts(texts, rows["_lang"])
    missing = [np.nan] * len(rows)
    out = expand_targets(rows, mentions, {"score": list(scores), "cues": list(cues),
                                          **{f"n_{c}": missing for c in CUE_CATEGORIES}}, untargeted=untargeted)
    out = order_columns(out, list(frame.columns))
    out.attrs = {"provenance": provenance(rows, method=method, targets=targets, include_questions=include_questions,
                                          untargeted=untargeted)}
    return out


def three_class(values) -> np.ndarray:
    """-1, 0 or +1 by sign (labels -2..+2 to hostile/critical, neutral, cooperative/warm)."""
    return np.sign(np.asarray(values, dtype=float)).astype(int)


def agreement(labels, scores, predicted) -> dict:
    """``spearman`` (scores vs the -2..+2 labels), ``macro_f1`` (predicted classes vs the labels' classes), ``n``."""
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score

    return {"spearman": float(spearmanr(labels, scores).statistic),
            "macro_f1": float(f1_score(three_class(labels), predicted, average="macro")), "n": len(labels)}
