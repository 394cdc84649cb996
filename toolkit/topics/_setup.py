"""Set-up shared by :func:`fit_topics`, :func:`select_k` and :func:`topic_stability`.

What lives here: the options and their defaults, the table each ``unit`` needs (checked, never
made behind the caller's back), the document-term matrix of the units and the unfitted estimator.
This is the package's one use of the term counter (``count_terms``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse

from .._checks import ToolkitError, require_choice, require_columns
from ..provenance import provenance
from ..terms import count_terms
from ..turns import SPOKESPERSON_ROLES

Unit = Literal["doc", "turn", "dyad", "answer"]
Method = Literal["lda", "nmf"]

UNITS = ("doc", "turn", "dyad", "answer")
METHODS = ("lda", "nmf")
TERM_DEFAULTS = {"min_df": 2, "max_df": 0.9}
# LDA solvers: "gibbs" (default) = collapsed Gibbs sampling (toolkit.topics.gibbs.GibbsLDA, numba), alpha=0.1
# re-estimated (asymmetric) every 10 sweeps, eta=0.01, 500 sweeps (NPMI levels off after 200-300 sweeps on the MFA
# answers, fit time within gensim's, bench/bench_topics.py); "vb" = scikit-learn's
# online variational Bayes with gensim's step-size schedule (offset 1, decay 0.5), 10 passes in chunks of 2,000
LDA_SOLVERS = ("gibbs", "vb")
GIBBS_DEFAULTS = {"doc_topic_prior": 0.1, "topic_word_prior": 0.01, "max_iter": 500, "optimize_interval": 10}
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
        The caller's rows kept as units, with ``text`` (dyads: question and answer joined).
    key : str or None
        The unit's key column below ``doc_id`` (``turn_id``, ``dyad_id``; None for briefings).
    term_matrix : TermMatrix
        The units' document-term counts.
    terms : dict
        The term options used, defaults filled in.
    """

    unit: str
    units: pd.DataFrame
    key: str | None
    term_matrix: object
    terms: dict

    def provenance(self, *, k: int, method: str, random_state, model_options: dict) -> dict:
        """The JSON-safe record of a model fitted on these units (:func:`toolkit.provenance`)."""
        return provenance(self.units, k=k, method=method, unit=self.unit, random_state=random_state,
                          terms=self.terms, model_options=model_options)


def prepare(frame: pd.DataFrame, *, unit: str, method: str, ks, terms: dict | None, func: str) -> Setup:
    """Check the options and the table, then count the units' terms (see :class:`Setup`)."""
    require_choice(method, METHODS, func=func, arg="method")
    for k in ks:
        check_k(k, func)
    units, key = unit_table(frame, unit, func)
    options = {**TERM_DEFAULTS, **(terms or {})}
    return Setup(unit=unit, units=units, key=key, term_matrix=term_matrix(units, key, options), terms=options)


def check_k(k, func: str) -> None:
    """Raise :class:`ToolkitError` unless ``k`` is an integer of at least 2."""
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise ToolkitError(f"{func}(): k={k!r} must be an integer of at least 2 (the number of topics).")


def unit_table(frame: pd.DataFrame, unit: str, func: str, arg: str = "frame") -> tuple[pd.DataFrame, str | None]:
    """The units to model (with ``text``) and their key column below ``doc_id`` (None for briefings).

    ``unit="doc"`` takes any table with ``doc_id`` and ``text`` (finer rows are summed up to
    briefings by the term counter); ``"turn"`` and ``"answer"`` need turns (``turn_id``, and
    ``role`` for answers), ``"dyad"`` needs dyads (``question``, ``answer``). Anything else raises
    :class:`ToolkitError` naming the call that makes the right table.
    """
    require_choice(unit, UNITS, func=func, arg="unit")
    require_columns(frame, [], func=func, arg=arg)
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
