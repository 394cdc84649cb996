"""Row units of a table: which one a table holds (``doc``, ``turn``, ``sentence``), their key columns, and
the check that a table is fine enough for the unit a function was asked for.

Nothing is split here: a table coarser than the unit asked for raises an error that names the
``toolkit.split_turns`` / ``toolkit.split_sentences`` call to make first; a finer table is used as it is
(its rows are summed up to the unit by :func:`toolkit.terms.count_terms`).
"""
from __future__ import annotations

import pandas as pd

from .._checks import ToolkitError

UNITS = ("doc", "turn", "sentence")
UNIT_KEYS = {"doc": ["doc_id"], "turn": ["doc_id", "turn_id"], "sentence": ["doc_id", "turn_id", "sent_id"]}
_TABLES = {"doc": "briefings", "turn": "turns", "sentence": "sentences"}
_SPLITS = {
    ("doc", "turn"): "call toolkit.split_turns(briefings) first and pass the turns",
    ("doc", "sentence"): "call toolkit.split_sentences(toolkit.split_turns(briefings)) first and pass the sentences",
    ("turn", "sentence"): "call toolkit.split_sentences(turns) first and pass the sentences",
}


def frame_unit(frame: pd.DataFrame) -> str:
    """The unit of ``frame``'s rows: ``"sentence"`` (a ``sent_id`` column), ``"turn"`` (``turn_id``) or ``"doc"``."""
    if "sent_id" in frame.columns:
        return "sentence"
    return "turn" if "turn_id" in frame.columns else "doc"


def require_unit(frame: pd.DataFrame, unit: str, *, func: str, arg: str = "frame") -> None:
    """Raise :class:`~toolkit.ToolkitError` when ``frame``'s rows are coarser than ``unit``.

    The message names the function, the argument and the split to call first, e.g. ``count_terms():
    unit='turn' needs turns, but argument 'frame' holds briefings (no 'turn_id' column); call
    toolkit.split_turns(briefings) first and pass the turns, or use unit='doc'.``
    """
    have = frame_unit(frame)
    if UNITS.index(have) < UNITS.index(unit):
        raise ToolkitError(f"{func}(): unit={unit!r} needs {_TABLES[unit]}, but argument '{arg}' holds "
                           f"{_TABLES[have]} (no '{UNIT_KEYS[unit][-1]}' column); {_SPLITS[have, unit]}, "
                           f"or use unit={have!r}.")
