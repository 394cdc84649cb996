"""Stance toward targets (the US, Taiwan, Japan ...): lexicon scores, baselines, learned models, validation.

Where things live:

- :mod:`.lexicon`: the gazetteer, stance lexicon and target roles (:func:`load_targets`,
  :func:`load_stance_lexicon`, :func:`load_stance_roles`, :data:`STANCE_TARGETS`) and their match indexes;
- :mod:`.scoring`: :func:`score_stance`, the target-aware lexicon score (cues, modifiers, clause attachment,
  target roles), the supervised model's score or their ensemble;
- :mod:`.linear`: the supervised model shipped as data (:func:`load_stance_model`, target marking, fitting);
- :mod:`.over_time`: :func:`stance_over_time`, :func:`stance_by_spokesperson`, :func:`plot_stance_over_time`;
- :mod:`.baselines`: :func:`score_vader`, :func:`score_keywords` (:func:`keyword_lexicon`);
- :mod:`.models`: Latent Semantic Scaling (:func:`fit_polarity`, :class:`PolarityModel`) and the supervised
  :func:`fit_stance_classifier` (:class:`StanceClassifier`);
- :mod:`.validation`: annotation files (:func:`sample_for_annotation`, :func:`read_annotations`,
  :func:`read_referenced_annotations`) and agreement with hand labels (:func:`evaluate`, :func:`validate`);
- :mod:`._shared`: the rows to score, the per-target output shape and the agreement metrics they share.

Importing the package loads only numpy, pandas and toolkit modules; scikit-learn, scipy, jieba, VADER,
matplotlib and seaborn are imported by the functions that need them.
"""
from __future__ import annotations

from .baselines import keyword_lexicon, score_keywords, score_vader
from .lexicon import (
    STANCE_TARGETS,
    load_stance_lexicon,
    load_stance_roles,
    load_targets,
)
from .linear import load_stance_model
from .models import (
    DEFAULT_SEEDS,
    PolarityModel,
    StanceClassifier,
    fit_polarity,
    fit_stance_classifier,
)
from .over_time import plot_stance_over_time, stance_by_spokesperson, stance_over_time
from .scoring import score_stance
from .validation import (
    METHODS,
    evaluate,
    read_annotations,
    read_referenced_annotations,
    sample_for_annotation,
    score_labelled,
    validate,
)

__all__ = [
    "DEFAULT_SEEDS", "METHODS", "STANCE_TARGETS", "PolarityModel", "StanceClassifier", "evaluate", "fit_polarity",
    "fit_stance_classifier", "keyword_lexicon", "load_stance_lexicon", "load_stance_model", "load_stance_roles",
    "load_targets", "plot_stance_over_time",
    "read_annotations", "read_referenced_annotations", "sample_for_annotation", "score_keywords", "score_labelled",
    "score_stance",
    "score_vader", "stance_by_spokesperson", "stance_over_time", "validate",
]
