"""Terms: tokens and phrases, the document-term matrix, and term statistics (frequency over time, keyness,
collocations, keyword in context, dispersion, trends).

Modules, in pipeline order (each ``plot_*`` lives beside the numbers it draws):

- :mod:`~toolkit.terms.lexicons`: phrase lists and stop words (``load_phrases``, ``load_stop_words``);
- :mod:`~toolkit.terms.tokens`: English and Chinese phrase matchers, ``TermAnalyzer``, ``tokenize``;
- :mod:`~toolkit.terms.matrix`: ``TermMatrix`` and ``count_terms`` (prepare once, query many times);
- :mod:`~toolkit.terms.memo`: the bounded memo of matrices counted for term functions given a table
  (``clear_memo``, ``set_memo_limit``, ``memo_usage``);
- :mod:`~toolkit.terms.frequency`: ``term_counts``, ``term_frequency``, ``trending_terms`` and their plots;
- :mod:`~toolkit.terms.keyness`: ``keyness``, ``plot_keyness``;
- :mod:`~toolkit.terms.context`: ``kwic``, ``collocations``, ``dispersion`` and their plots;
- :mod:`~toolkit.terms.phrases`: ``suggest_phrases``;
- :mod:`~toolkit.terms.audit`: ``phrase_audit`` (``PhraseAudit``): the evidence beside a phrase's counts;
- private: ``_stats`` (the formulas: Poisson intervals, p-value adjustment, association, keyness,
  dispersion, trend test), ``_queries`` (how a term is named), ``_units`` (doc/turn/sentence rows),
  ``_plots`` (shared drawing helpers).

Every statistic takes a table (briefings, turns or sentences) or a prepared :class:`TermMatrix`; a table is
counted once per session and options (:mod:`~toolkit.terms.memo`). A table
coarser than the ``unit`` asked for is an error: split it first with ``toolkit.split_turns`` /
``toolkit.split_sentences``. Importing this package loads no scikit-learn, matplotlib, seaborn, NLTK or
jieba: each is imported by the function that needs it.
"""
from __future__ import annotations

from ._stats import adjust_p, association, dispersion_scores, keyness_scores, poisson_interval, quasi_poisson_trend
from .audit import PhraseAudit, phrase_audit
from .context import collocations, dispersion, kwic, plot_collocations, plot_dispersion
from .frequency import plot_term_trend, plot_trending_terms, term_counts, term_frequency, trending_terms
from .keyness import keyness, plot_keyness, select_rows
from .lexicons import load_phrases, load_stop_words
from .matrix import TermMatrix, count_terms
from .memo import clear_memo, memo_usage, set_memo_limit
from .phrases import suggest_phrases
from .tokens import TermAnalyzer, tokenize

__all__ = [
    # tokens and the matrix
    "TermAnalyzer", "TermMatrix", "count_terms", "load_phrases", "load_stop_words", "suggest_phrases", "tokenize",
    # the memo of matrices counted for term functions given a table
    "clear_memo", "memo_usage", "set_memo_limit",
    # statistics and plots
    "collocations", "dispersion", "keyness", "kwic", "plot_collocations", "plot_dispersion", "plot_keyness",
    "plot_term_trend", "plot_trending_terms", "select_rows", "term_counts", "term_frequency", "trending_terms",
    # checking a phrase before trusting its counts
    "PhraseAudit", "phrase_audit",
    # the formulas (numbers or arrays in, arrays out)
    "adjust_p", "association", "dispersion_scores", "keyness_scores", "poisson_interval", "quasi_poisson_trend",
]
