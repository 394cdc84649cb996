"""MND Discourse Toolkit: press briefings in, tidy pandas tables out.

Each capability is one module; the public names are re-exported here.
"""
from ._checks import ToolkitError
from .provenance import corpus_hash, provenance, versions
from .topics import (TopicModel, TopicStability, coherence, exclusivity, fit_topics, plot_select_k,
                     plot_topics_over_time, select_k, topic_prevalence, topic_stability)

__version__ = "0.1.0"
from .corpus import load_briefings
from .tokens import TermMatrix, count_terms, load_phrases, load_stop_words, suggest_phrases, tokenize
