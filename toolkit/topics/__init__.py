"""Topic models (LDA by collapsed Gibbs sampling or scikit-learn, NMF) with tidy outputs, labels and
typical answers, coherence, exclusivity, choice of k, seed stability, topic prevalence over time and
covariate effects.

Defaults suit press briefings: the unit is the spokesperson's answer (briefings are split into turns
for it); a genre stop list (``toolkit/data/briefing_stopwords.csv``) and ``max_df=0.5`` (a share of
the briefings) leave out labels, boilerplate and terms of most briefings. Briefings (or any finer table) serve ``unit="doc"``,
dyads from :func:`toolkit.pair_dyads` ``"dyad"``; a :class:`toolkit.TermMatrix` counted beforehand
serves every fit. Everything that depends on chance takes
``random_state``; the same value gives the same result. Plots live beside the numbers they draw.

Modules:

- ``fit``: :class:`TopicModel`, :func:`fit_topics`, the model's tidy tables and :func:`frex`.
- ``quality``: :func:`coherence` (with its core :func:`topic_coherence_scores`), :func:`exclusivity`.
- ``selection``: :func:`select_k`, :func:`plot_select_k`, :func:`topic_stability`, :class:`TopicStability`.
- ``prevalence``: :func:`topic_prevalence`, :func:`plot_topics_over_time`.
- ``effects``: :func:`topic_effects` (stm's ``estimateEffect``: OLS with briefing-clustered errors),
  :func:`plot_topic_effects`.
- ``gibbs``: ``GibbsLDA``, the collapsed Gibbs sampler (numba), imported only when it fits.
- ``_setup``: what fitting, choice of k and stability share: options, the table each unit needs,
  the term matrix with the genre stop list and document-frequency limits, the estimator.

Heavy libraries (scikit-learn, numba, scipy.optimize/stats, statsmodels, tqdm, matplotlib) are imported by the
functions that use them, so importing this package stays light.
"""
from __future__ import annotations

from .effects import plot_topic_effects, topic_effects
from .fit import TopicModel, fit_topics, frex
from .prevalence import plot_topics_over_time, topic_prevalence
from .quality import coherence, exclusivity, topic_coherence_scores
from .selection import TopicStability, plot_select_k, select_k, topic_stability

__all__ = [
    "TopicModel", "TopicStability", "coherence", "exclusivity", "fit_topics", "frex", "plot_select_k",
    "plot_topic_effects", "plot_topics_over_time", "select_k", "topic_coherence_scores", "topic_effects",
    "topic_prevalence", "topic_stability",
]
