"""MND Discourse Toolkit: press briefings in, tidy pandas tables out.

Each capability is one module; the public names are re-exported here, in pipeline order.
"""
from ._checks import ToolkitError
from .provenance import corpus_hash, provenance, versions

# briefings, turns, dyads, sentences
from .corpus import load_briefings
from .turns import SPOKESPERSON_ROLES, pair_dyads, split_turns
from .sentences import split_sentences, train_punkt
from .fetch import FetchSummary, fetch_briefings

# tokens and term statistics
from .tokens import TermMatrix, count_terms, load_phrases, load_stop_words, suggest_phrases, tokenize
from .terms import (collocations, dispersion, keyness, kwic, plot_collocations, plot_dispersion, plot_keyness,
                    plot_term_trend, plot_trending_terms, term_frequency, trending_terms)

# stance
from .stance import (load_stance_lexicon, load_targets, plot_stance_over_time, score_stance, stance_by_spokesperson,
                     stance_over_time)
from .stance_models import (PolarityModel, StanceClassifier, evaluate, fit_polarity, fit_stance_classifier,
                            read_annotations, read_referenced_annotations, sample_for_annotation, score_keywords,
                            score_vader, validate)

# topics
from .topics import (TopicModel, TopicStability, coherence, exclusivity, fit_topics, plot_select_k,
                     plot_topics_over_time, select_k, topic_prevalence, topic_stability)

# report, explorer, notebooks and papers
from .report import Report, build_report, make_report
from .explore import Explorer, explore
from .notebooks import default_corpus, load_stance_validation, make_exercises
from .paper import paper_outputs, save_figure, save_table, stamp_line, write_provenance

__version__ = "0.1.0"
