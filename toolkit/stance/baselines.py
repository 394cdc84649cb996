"""Baselines to compare :func:`toolkit.score_stance` with: general sentiment (VADER) and an unweighted keyword count.

- :func:`score_vader`: VADER compound (general-purpose English sentiment, Hutto & Gilbert 2014);
- :func:`keyword_lexicon` / :func:`score_keywords`: the stance lexicon as an unweighted keyword count (no
  weights, no modifiers).

Both return the :func:`toolkit.score_stance` shape.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ._shared import CUE_CATEGORIES, score_per_target
from .lexicon import load_stance_lexicon
from .scoring import score_stance


def score_vader(
    frame: pd.DataFrame,
    *,
    targets: str | Path | pd.DataFrame | None = None,
    include_questions: bool = False,
    untargeted: Literal["drop", "keep"] = "drop",
) -> pd.DataFrame:
    """General-sentiment baseline: VADER compound score of each row's text, copied to each of its targets.

    VADER (``vaderSentiment`` package, lexicon shipped in the wheel) is target-blind and English-only;
    Chinese rows score 0.

    Parameters
    ----------
    frame : DataFrame
        As for :func:`toolkit.score_stance`.
    targets, include_questions, untargeted
        As for :func:`toolkit.score_stance`.

    Returns
    -------
    DataFrame
        ``doc_id, turn_id, sent_id, target, score`` (compound, -1..1), ``n_hostile, n_critical,
        n_cooperative`` (NaN), ``cues`` ("vader compound"), then the input's other columns;
        ``attrs["provenance"]``.

    Examples
    --------
    >>> score_vader(sentences)                                           # doctest: +SKIP
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()

    def compound(texts, langs):
        scores = [analyzer.polarity_scores(t)["compound"] if lang == "en" else 0.0 for t, lang in zip(texts, langs)]
        return scores, ["vader compound"] * len(scores)

    return score_per_target(frame, compound, method="vader", targets=targets, include_questions=include_questions,
                            untargeted=untargeted, func="score_vader")


def keyword_lexicon(lexicon: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """The stance lexicon reduced to a keyword list: cue weights become -1/+1, modifiers are removed.

    Returns
    -------
    DataFrame
        ``cue, weight`` (-1.0, 0.0 or +1.0), ``category`` (hostile, critical, cooperative or neutral),
        ``language, note``.
    """
    table = load_stance_lexicon(lexicon)
    table = table[table["category"].isin([*CUE_CATEGORIES, "neutral"])]
    return table.assign(weight=np.sign(table["weight"]))


def score_keywords(frame: pd.DataFrame, **options) -> pd.DataFrame:
    """Keyword-count baseline: :func:`toolkit.score_stance` with :func:`keyword_lexicon` (same options).

    Returns
    -------
    DataFrame
        The :func:`toolkit.score_stance` columns; ``cues`` weights are -1 or +1.
    """
    lexicon = options.pop("lexicon", None)
    return score_stance(frame, lexicon=keyword_lexicon(lexicon), method="lexicon", **options)
