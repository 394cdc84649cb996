"""Bilingual briefings: the English and Chinese versions of one briefing paired, their exchanges aligned, and
what the translation changes (omitted exchanges, softened cues, unnamed targets).

- :mod:`~toolkit.bilingual.evidence`: language-neutral anchors (numbers, dates, targets, glossary terms);
- :mod:`~toolkit.bilingual.align`: :func:`align_briefings`, :func:`align_dyads`;
- :mod:`~toolkit.bilingual.shifts`: :func:`translation_shifts`, :func:`exchange_topics`,
  :func:`summarise_shifts`, :func:`shifts_over_time`, :func:`plot_translation_shifts`.
"""
from .align import align_briefings, align_dyads
from .evidence import load_bilingual_terms
from .shifts import (
    exchange_topics,
    plot_translation_shifts,
    shifts_over_time,
    summarise_shifts,
    translation_shifts,
)

__all__ = ["align_briefings", "align_dyads", "exchange_topics", "load_bilingual_terms", "plot_translation_shifts",
           "shifts_over_time", "summarise_shifts", "translation_shifts"]
