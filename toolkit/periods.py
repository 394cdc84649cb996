"""Time and group keys: ``by="month" | "quarter" | "year" | "week" | "day" | <any column>``."""
from __future__ import annotations

import pandas as pd

from ._checks import ToolkitError, require_columns

TIME_FREQUENCIES = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}


def add_period(frame: pd.DataFrame, *, by: str, func: str = "add_period", column: str = "period") -> pd.DataFrame:
    """Return a copy of ``frame`` with a ``period`` column for grouping.

    Parameters
    ----------
    frame : DataFrame
        Any toolkit table; for a time frequency it needs a ``date`` column (datetime64).
    by : str
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"`` (a ``pandas.Period`` per row,
        missing dates give ``NaT``) or the name of any column (its values are copied).
    func : str
        Name of the calling public function, used in error messages.
    column : str
        Name of the added column (default ``period``).

    Returns
    -------
    DataFrame
        The input columns plus ``period``.

    Examples
    --------
    >>> add_period(briefings, by="quarter")["period"].iloc[0]      # doctest: +SKIP
    Period('2021Q1', 'Q-DEC')
    """
    if by in TIME_FREQUENCIES:
        require_columns(frame, ["date"], func=func)
        dates = pd.to_datetime(frame["date"], errors="coerce")
        values = dates.dt.to_period(TIME_FREQUENCIES[by])
    elif isinstance(by, str) and by in frame.columns:
        values = frame[by]
    else:
        raise ToolkitError(
            f"{func}(): unknown by={by!r}; use one of {list(TIME_FREQUENCIES)} or a column of the table "
            f"({list(frame.columns)})."
        )
    return frame.assign(**{column: values})


def period_range(periods: pd.Series, *, by: str) -> pd.Index:
    """Every period from the first to the last observed one, gaps included (for explicit zero rows).

    For a column grouping (``by`` not a time frequency) the sorted distinct values are returned.
    """
    observed = periods.dropna()
    if by not in TIME_FREQUENCIES or observed.empty:
        return pd.Index(sorted(observed.unique()), name="period")
    return pd.period_range(observed.min(), observed.max(), freq=observed.iloc[0].freq, name="period")
