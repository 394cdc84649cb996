"""Argument checks shared by every public function: errors name the function, the argument and the fix."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class ToolkitError(ValueError):
    """A problem with the caller's input; the message says what to change."""


def require_columns(frame: pd.DataFrame, columns: Iterable[str], *, func: str, arg: str = "frame") -> None:
    """Raise :class:`ToolkitError` unless ``frame`` is a DataFrame holding every column in ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise ToolkitError(
            f"{func}(): argument '{arg}' must be a pandas DataFrame, got {type(frame).__name__}; "
            "build one with toolkit.load_briefings() or toolkit.split_turns()."
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ToolkitError(
            f"{func}(): argument '{arg}' lacks column(s) {missing}; it has {list(frame.columns)}. "
            "Pass a table made by toolkit.load_briefings()/split_turns()/split_sentences(), "
            "or add the column(s)."
        )


def require_choice(value, choices: Iterable, *, func: str, arg: str) -> None:
    """Raise :class:`ToolkitError` unless ``value`` is one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        raise ToolkitError(f"{func}(): unknown {arg}={value!r}; choose one of {choices}.")
