"""Set-up shared by :func:`fit_topics`, :func:`select_k` and :func:`topic_stability` (and so by the report,
which calls them).

What lives here: the options and their defaults, the table each ``unit`` needs (briefings are split into
turns for the turn units, anything else is checked), the document-term matrix of the units with the genre
stop list of press briefings and the document-frequency limits applied (to a table counted here or to a
:class:`~toolkit.TermMatrix` the caller counted), and the unfitted estimator. This is the package's one use
of the term counter (``count_terms``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .._checks import ToolkitError, require_choice, require_columns
from ..datafiles import DATA
from ..provenance import jsonable, provenance
from ..terms import TermMatrix, count_terms, load_stop_words
from ..terms.matrix import docs_with
from ..turns import SPOKESPERSON_ROLES, split_turns

Unit = Literal["answer", "doc", "turn", "dyad"]
Method = Literal["lda", "nmf"]

UNITS = ("answer", "doc", "turn", "dyad")
METHODS = ("lda", "nmf")
# min_df 2 units: a term of one unit tells nothing about co-occurrence; max_df counts briefings, whatever the
# unit (restrict): 0.5, a term in more than half of the briefings ("cooperation", "US",
# "development" in the MFA briefings) belongs to the genre, not to one topic. Measured on the answers as a share
# of the answers instead, 0.5 kept so many common words that the top terms lost coherence (NPMI over the
# briefings 0.128 vs 0.20, k=20, README); a lower share drops the main subject of a focused corpus
TERM_DEFAULTS = {"min_df": 2, "max_df": 0.5}
DF_OPTIONS = ("min_df", "max_df")
MIN_DOCS_FOR_MAX_DF = 10
GENRE_STOP_WORDS = DATA / "briefing_stopwords.csv"
# LDA solvers: "gibbs" (default) = collapsed Gibbs sampling (toolkit.topics.gibbs.GibbsLDA, numba), alpha=0.1
# re-estimated (asymmetric) every 10 sweeps, eta=0.1, 500 sweeps (NPMI levels off after 200-300 sweeps on the MFA
# answers, fit time within gensim's, bench/bench_topics.py). eta=0.1 is Griffiths & Steyvers' (2004) value: on
# answers of a few dozen words, Mallet's eta=0.01 lets terms seen in a handful of answers into the top lists.
# The topics are the posterior mean of the last 10 samples, 10 sweeps apart (n_samples, sample_lag), not one
# sample, and a term counts once per answer (binary: a story repeating its keyword through one long answer weighs
# as one mention). Each chosen on the 2018-2019 MFA briefings and held out on 2020 (tuning table:
# bench/bench_topics.py --tune, README "How the defaults were chosen"); "vb" = scikit-learn's
# online variational Bayes with gensim's step-size schedule (offset 1, decay 0.5), 10 passes in chunks of 2,000
LDA_SOLVERS = ("gibbs", "vb")
GIBBS_DEFAULTS = {"doc_topic_prior": 0.1, "topic_word_prior": 0.1, "max_iter": 500, "optimize_interval": 10,
                  "n_samples": 10, "binary": True}
LDA_DEFAULTS = {"learning_method": "online", "batch_size": 2000, "learning_offset": 1.0, "learning_decay": 0.5,
                "max_iter": 10}
NMF_DEFAULTS = {"init": "nndsvda", "max_iter": 400}

# per unit: the columns the caller's table needs, what such a table is, and the call that makes one
_TABLES = {
    "doc": (("doc_id", "text"), "a table of briefings (or of turns or sentences)",
            "toolkit.load_briefings(path) and pass the briefings"),
    "turn": (("doc_id", "turn_id", "text"), "a turns table",
             "toolkit.split_turns(briefings) and pass the turns"),
    "answer": (("doc_id", "turn_id", "role", "text"), "a turns table",
               "toolkit.split_turns(briefings) and pass the turns"),
    "dyad": (("doc_id", "question", "answer"), "a dyads table",
             "toolkit.pair_dyads(turns) on the turns of toolkit.split_turns(briefings) and pass the dyads"),
}


@dataclass
class Setup:
    """The units of one call, ready to fit: what :func:`prepare` returns.

    Attributes
    ----------
    unit : str
        The unit of analysis.
    units : DataFrame
        The rows kept as units: the caller's rows with ``text`` (dyads: question and answer joined), or
        the rows of a given TermMatrix (no ``text``).
    key : str or None
        The unit's key column below ``doc_id`` (``turn_id``, ``dyad_id``; None for briefings).
    term_matrix : TermMatrix
        The units' document-term counts, genre stop words and too rare or too common terms left out.
    terms : dict
        The term options used, defaults filled in, with ``genre_stop_words``.
    """

    unit: str
    units: pd.DataFrame
    key: str | None
    term_matrix: object
    terms: dict

    def provenance(self, *, k: int, method: str, random_state, model_options: dict) -> dict:
        """The JSON-safe record of a model fitted on these units (:func:`toolkit.provenance`)."""
        parameters = {"k": k, "method": method, "unit": self.unit, "random_state": random_state,
                      "terms": self.terms, "model_options": model_options}
        if "text" in self.units:
            return provenance(self.units, **parameters)
        counted = self.term_matrix.provenance        # a TermMatrix given by the caller: its corpus record
        return {**{key: counted[key] for key in ("corpus_hash", "n_docs", "versions") if key in counted},
                "parameters": jsonable({**parameters, "term_matrix": counted.get("parameters", {})})}


def prepare(data, *, unit: str, method: str, ks, terms: dict | None, genre_stop_words, func: str) -> Setup:
    """Check the options and the data, then count the units' terms (see :class:`Setup`).

    ``data`` is a table (briefings, turns or dyads, see :func:`unit_table`) or a :class:`TermMatrix`
    (see :func:`matrix_units`); either way the genre stop list and ``min_df``/``max_df`` are applied here,
    by :func:`restrict`.
    """
    require_choice(method, METHODS, func=func, arg="method")
    for k in ks:
        check_k(k, func)
    options = {**TERM_DEFAULTS, **(terms or {})}
    df_limits = {name: options[name] for name in DF_OPTIONS}
    if isinstance(data, TermMatrix):
        others = sorted(set(options) - set(DF_OPTIONS))
        if others:
            raise ToolkitError(f"{func}(): terms={others} cannot change a TermMatrix that is already counted; pass "
                               "only min_df/max_df with a TermMatrix, or pass the table and these term options.")
        matrix, unit, key = matrix_units(data, unit, func)
        units = matrix.rows
    else:
        units, key = unit_table(data, unit, func)
        counting = {name: value for name, value in options.items() if name not in DF_OPTIONS}
        matrix = term_matrix(units, key, counting)
    matrix = restrict(matrix, genre_stop_words=genre_stop_words, func=func, **df_limits)
    return Setup(unit=unit, units=units, key=key, term_matrix=matrix,
                 terms={**options, "genre_stop_words": genre_stop_words})


def check_k(k, func: str) -> None:
    """Raise :class:`ToolkitError` unless ``k`` is an integer of at least 2."""
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ToolkitError(f"{func}(): k={k!r} must be an integer of at least 2 (the number of topics).")


def unit_table(frame: pd.DataFrame, unit: str, func: str, arg: str = "data") -> tuple[pd.DataFrame, str | None]:
    """The units to model (with ``text``) and their key column below ``doc_id`` (None for briefings).

    ``unit="doc"`` takes any table with ``doc_id`` and ``text`` (finer rows are summed up to
    briefings by the term counter); ``"turn"`` and ``"answer"`` take turns (``turn_id``, and
    ``role`` for answers) or briefings, which are split here with :func:`toolkit.split_turns` (its
    defaults); ``"dyad"`` needs dyads (``question``, ``answer``). Anything else raises
    :class:`ToolkitError` naming the call that makes the right table.
    """
    require_choice(unit, UNITS, func=func, arg="unit")
    require_columns(frame, [], func=func, arg=arg)
    if unit in ("turn", "answer") and "turn_id" not in frame.columns and {"doc_id", "text"} <= set(frame.columns):
        frame = split_turns(frame)
    columns, table, call = _TABLES[unit]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ToolkitError(f"{func}(): unit={unit!r} needs {table} as '{arg}' (it lacks {missing}); call {call}.")
    if unit == "doc":
        return frame, None
    if unit == "dyad":
        question = frame["question"].fillna("").astype(str)
        return frame.assign(text=question.str.cat(frame["answer"].fillna("").astype(str), sep="\n")), "dyad_id"
    if unit == "answer":
        frame = frame[frame["role"].isin(SPOKESPERSON_ROLES)]
    return frame, "turn_id"


def term_matrix(units: pd.DataFrame, key: str | None, options: dict):
    """Count terms with :func:`toolkit.count_terms` (``options`` as given): one matrix row per briefing,
    turn or dyad."""
    unit = "turn" if key == "turn_id" else "doc"  # a dyads table has no turn_id: one row per dyad
    return count_terms(units, unit=unit, **options)


def matrix_units(tm: TermMatrix, unit: str, func: str) -> tuple[TermMatrix, str, str | None]:
    """The rows of a caller's :class:`TermMatrix` that are units, the unit and its key column.

    Its rows are the units: a matrix of briefings (``count_terms(briefings)``) fits ``unit="doc"``, a
    matrix of turns (``count_terms(turns, unit="turn")``) ``"turn"`` or ``"answer"`` (the rows whose
    ``role`` is a spokesperson role). Any other pairing raises :class:`ToolkitError`.
    """
    require_choice(unit, UNITS, func=func, arg="unit")
    wanted = {"doc": "doc", "turn": "turn", "answer": "turn"}.get(unit)
    if tm.unit != wanted:
        call = "count_terms(turns, unit='turn')" if wanted == "turn" else "count_terms(briefings)"
        raise ToolkitError(f"{func}(): unit={unit!r} needs a TermMatrix of {wanted or 'dyad'} rows, but 'data' "
                           f"counts {tm.unit} rows; build it with toolkit.{call}, pass the table itself, or set "
                           f"unit={'answer' if tm.unit == 'turn' else tm.unit!r}.")
    if unit == "answer":
        if "role" not in tm.rows.columns:
            raise ToolkitError(f"{func}(): unit='answer' needs the 'role' of every row of the TermMatrix (count the "
                               "turns of toolkit.split_turns); or set unit='turn' to model every row.")
        tm = tm.select(tm.rows["role"].isin(SPOKESPERSON_ROLES).to_numpy())
    return tm, unit, (None if unit == "doc" else "turn_id")


def genre_stop_list(genre_stop_words="default", *, func: str) -> frozenset:
    """The genre stop words of every language: the packaged ``briefing_stopwords.csv`` (``"default"``), a
    CSV path or DataFrame with a ``word`` column, a list of words, or None (none)."""
    if isinstance(genre_stop_words, str) and genre_stop_words == "default":
        genre_stop_words = GENRE_STOP_WORDS
    if isinstance(genre_stop_words, (list, tuple, set, frozenset)) or genre_stop_words is None:
        return load_stop_words(genre_stop_words, func=func)
    return load_stop_words(genre_stop_words, lang="en", func=func) | load_stop_words(genre_stop_words, lang="zh",
                                                                                    func=func)


def restrict(tm: TermMatrix, *, genre_stop_words, min_df, max_df, func: str) -> TermMatrix:
    """``tm`` without the columns of genre stop words (compared in lower case), of numbers (terms without a
    letter), of terms in fewer than ``min_df`` units and of terms in more than ``max_df`` briefings.

    ``min_df`` counts units (rows), as scikit-learn does; ``max_df`` counts briefings (``doc_id``) whatever
    the unit, so one rule serves answers and briefings alike: an int is a number of briefings, a float a
    share of them, not applied to fewer than ``MIN_DOCS_FOR_MAX_DF`` briefings (a share of 3 briefings says
    nothing about the genre). The vectorizer is refitted to the kept terms.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    stop = [w.lower() for w in genre_stop_list(genre_stop_words, func=func)]
    terms = np.asarray(tm.terms, dtype=object)
    matrix = sparse.csr_matrix(tm.matrix)
    n_docs = tm.rows["doc_id"].nunique()
    low = min_df if isinstance(min_df, (int, np.integer)) else np.ceil(min_df * matrix.shape[0])
    high = max_df if isinstance(max_df, (int, np.integer)) else (
        np.floor(max_df * n_docs) if n_docs >= MIN_DOCS_FOR_MAX_DF else n_docs)
    units = matrix.getnnz(axis=0)
    df = docs_with(tm.rows["doc_id"].to_numpy(), matrix)
    names = pd.Series(terms, dtype=object)
    keep = ((units >= low) & (df <= high) & ~names.str.lower().isin(stop).to_numpy()
            & names.str.contains(r"[^\W\d_]").to_numpy())           # a number ("000", "2019") is no topic
    if not keep.any():
        raise ToolkitError(f"{func}(): no term is left after the genre stop words and min_df={min_df}, "
                           f"max_df={max_df} (briefings) in {n_docs} briefings; relax terms={{'min_df': 1, "
                           "'max_df': 1.0}} or pass more documents.")
    kept = terms[keep]
    vectorizer = CountVectorizer(analyzer=tm.analyzer, lowercase=False,
                                 vocabulary={t: i for i, t in enumerate(kept)}).fit([])
    return TermMatrix(matrix[:, np.flatnonzero(keep)], kept, tm.rows, vectorizer, tm.unit,
                      tm.tokens, provenance=tm.provenance)


def nonempty(tm) -> tuple[sparse.csr_matrix, pd.DataFrame]:
    """Rows of the term matrix holding at least one term, with their metadata."""
    matrix = sparse.csr_matrix(tm.matrix)
    keep = np.flatnonzero(matrix.getnnz(axis=1) > 0)
    return matrix[keep], tm.rows.iloc[keep].reset_index(drop=True)


def estimator(method: str, k: int, random_state, model_options: dict, func: str):
    """The unfitted estimator: :class:`~toolkit.topics.gibbs.GibbsLDA` (LDA, ``solver="gibbs"``, the default),
    scikit-learn's ``LatentDirichletAllocation`` (``solver="vb"``) or ``NMF``, defaults filled in."""
    if method == "nmf":
        from sklearn.decomposition import NMF

        return NMF(n_components=k, random_state=random_state, **{**NMF_DEFAULTS, **model_options})
    options = dict(model_options)
    solver = options.pop("solver", "gibbs")
    require_choice(solver, LDA_SOLVERS, func=func, arg="solver")
    if solver == "gibbs":
        from .gibbs import GibbsLDA

        return GibbsLDA(n_components=k, random_state=random_state, **{**GIBBS_DEFAULTS, **options})
    from sklearn.decomposition import LatentDirichletAllocation

    return LatentDirichletAllocation(n_components=k, random_state=random_state, **{**LDA_DEFAULTS, **options})
