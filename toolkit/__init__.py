"""MND Discourse Toolkit: press briefings in, tidy pandas tables out.

The package face is lazy (PEP 562): ``import toolkit`` loads nothing heavy, and each public name
imports its module on first use (``toolkit.fit_topics`` loads scikit-learn and numba only then).
Names are listed here in pipeline order, each with the module that defines it.
"""
from __future__ import annotations

import importlib

# bound here because a submodule of the same name would otherwise shadow the function once imported
from .provenance import corpus_hash as corpus_hash
from .provenance import provenance as provenance
from .provenance import versions as versions

__version__ = "0.1.0"

_EXPORTS = {
    # checks, provenance
    "ToolkitError": "_checks",
    # briefings, turns, dyads, sentences
    "load_briefings": "corpus", "load_report": "corpus", "LoadResult": "corpus",
    "SPOKESPERSON_ROLES": "turns", "pair_dyads": "turns", "split_turns": "turns",
    "split_sentences": "sentences", "train_punkt": "sentences",
    "FetchSummary": "fetch", "fetch_briefings": "fetch",
    "detect_lang": "text",
    # tokens and term statistics
    "TermMatrix": "terms", "count_terms": "terms", "load_phrases": "terms", "load_stop_words": "terms",
    "suggest_phrases": "terms", "tokenize": "terms", "phrase_audit": "terms", "PhraseAudit": "terms",
    "collocations": "terms", "dispersion": "terms", "keyness": "terms", "kwic": "terms",
    "plot_collocations": "terms", "plot_dispersion": "terms", "plot_keyness": "terms", "plot_term_trend": "terms",
    "plot_trending_terms": "terms", "term_frequency": "terms", "trending_terms": "terms",
    "clear_memo": "terms", "memo_usage": "terms", "set_memo_limit": "terms",
    "compare_groups": "terms.compare", "compare_groups_html": "terms.compare", "plot_compare_groups": "terms.compare",
    # stance
    "load_stance_lexicon": "stance", "load_stance_model": "stance", "load_stance_roles": "stance",
    "load_targets": "stance", "plot_stance_over_time": "stance",
    "score_stance": "stance", "stance_by_spokesperson": "stance", "stance_over_time": "stance",
    "PolarityModel": "stance", "StanceClassifier": "stance", "evaluate": "stance", "fit_polarity": "stance",
    "fit_stance_classifier": "stance", "read_annotations": "stance", "read_referenced_annotations": "stance",
    "sample_for_annotation": "stance", "score_keywords": "stance", "score_labelled": "stance", "score_vader": "stance",
    "validate": "stance",
    # topics
    "TopicModel": "topics", "TopicStability": "topics", "coherence": "topics", "exclusivity": "topics",
    "fit_topics": "topics", "plot_select_k": "topics", "plot_topics_over_time": "topics", "select_k": "topics",
    "topic_prevalence": "topics", "topic_stability": "topics", "topic_effects": "topics",
    "plot_topic_effects": "topics",
    # bilingual briefings: pairing, alignment, translation shifts
    "align_briefings": "bilingual", "align_dyads": "bilingual", "exchange_topics": "bilingual",
    "load_bilingual_terms": "bilingual", "plot_translation_shifts": "bilingual", "shifts_over_time": "bilingual",
    "summarise_shifts": "bilingual", "translation_shifts": "bilingual",
    # report, explorer, notebooks and papers
    "Report": "report", "build_report": "report", "make_report": "report",
    "Explorer": "explorer", "explore": "explorer",
    "default_corpus": "notebooks", "load_stance_validation": "notebooks", "make_exercises": "notebooks",
    "style": "figure_style", "target_colours": "figure_style",
    "paper_outputs": "paper", "save_figure": "paper", "save_table": "paper", "stamp_line": "paper",
    "write_provenance": "paper",
}
__all__ = sorted([*_EXPORTS, "corpus_hash", "provenance", "versions"])


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
