"""Topic models (LDA by collapsed Gibbs sampling or scikit-learn, NMF) with tidy outputs, coherence,
exclusivity, choice of k, seed stability and topic prevalence over time.

Each unit of analysis takes the table it needs, made beforehand by the caller: briefings (or any finer
table) for ``unit="doc"``, turns from :func:`toolkit.split_turns` for ``"turn"``/``"answer"``, dyads
from :func:`toolkit.pair_dyads` for ``"dyad"``. Everything that depends on chance takes
``random_state``; the same value gives the same result. Plots live beside the numbers they draw.

Modules:

- ``fit``: :class:`TopicModel`, :func:`fit_topics`, the model's tidy tables and :func:`frex`.
- ``quality``: :func:`coherence` (with its core :func:`topic_coherence_scores`), :func:`exclusivity`.
- ``selection``: :func:`select_k`, :func:`plot_select_k`, :func:`topic_stability`, :class:`TopicStability`.
- ``prevalence``: :func:`topic_prevalence`, :func:`plot_topics_over_time`.
- ``gibbs``: ``GibbsLDA``, the collapsed Gibbs sampler (numba), imported only when it fits.
- ``_setup``: what fitting, choice of k and stability share: options, the table each unit needs,
  the term matrix, the estimator.

Heavy libraries (scikit-learn, numba, scipy.optimize/stats, tqdm, matplotlib) are imported by the
functions that use them, so importing this package stays light.
"""
from __future__ import annotations

from .fit import TopicModel, fit_topics, frex
from .prevalence import plot_topics_over_time, topic_prevalence
from .quality import coherence, exclusivity, topic_coherence_scores
from .selection import TopicStability, plot_select_k, select_k, topic_stability

__all__ = [
    "TopicModel", "TopicStability", "coherence", "exclusivity", "fit_topics", "frex", "plot_select_k",
    "plot_topics_over_time", "select_k", "topic_coherence_scores", "topic_prevalence", "topic_stability",
]
