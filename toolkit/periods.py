"""Time and group keys: ``by="month" | "quarter" | "year" | "week" | "day" | <any column>``.

Also the one place for what a period table says about its periods (:func:`with_coverage`: dates, days
covered, partial, low count) and for how the plots over periods show it (:func:`draw_periods`,
:func:`limit_to_full_periods`: partial periods hollow and dashed, y-limits from the full periods).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import ToolkitError, require_columns

TIME_FREQUENCIES = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}
LOW_COUNT = 5                 # an estimate resting on fewer units or occurrences is flagged ``low_count``
COVERAGE_COLUMNS = ["period_start", "period_end", "days_covered", "partial", "low_count"]   # with_coverage()
Y_MARGIN = 0.05               # y-limits: the full periods' range plus this fraction of it on each side
MAX_PERIOD_TICKS = 8          # period labels on a time axis


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


def period_coverage(periods: pd.Series, *, first, last) -> pd.DataFrame:
    """How much of each time period the corpus covers, from the corpus' first and last dates.

    Parameters
    ----------
    periods : Series of pandas.Period
        The ``period`` column of a period table (one frequency).
    first, last : Timestamp
        The corpus' first and last dates (NaT when it has none).

    Returns
    -------
    DataFrame
        On the index of ``periods``: ``period_start`` and ``period_end`` (the first and last day of the
        period), ``days_covered`` (days of the period from ``first`` to ``last``, both included; 0 outside
        them) and ``partial`` (True when the corpus covers only part of the period: ``first`` or ``last``
        falls inside it, e.g. 2020Q3 for a corpus ending 2020-07-03, with ``days_covered = 3``).

    Examples
    --------
    >>> period_coverage(pd.Series(pd.period_range("2020Q2", "2020Q3", freq="Q")),
    ...                 first=pd.Timestamp("2020-04-01"), last=pd.Timestamp("2020-07-03"))["days_covered"].tolist()
    [91, 3]
    """
    periods = pd.Series(periods)
    start = periods.dt.start_time.dt.normalize()
    end = periods.dt.end_time.dt.normalize()
    first, last = pd.to_datetime(pd.Series([first, last])).dt.normalize()
    covered = end.where(end < last, last) - start.where(start > first, first)
    days = (covered.dt.days + 1).clip(lower=0).fillna(0).astype("int64")
    return pd.DataFrame({"period_start": start, "period_end": end, "days_covered": days,
                         "partial": (days > 0) & (days < (end - start).dt.days + 1)})


def coverage_of(periods, *, by: str, dates: pd.Series) -> pd.DataFrame | None:
    """:func:`period_coverage` of the distinct ``periods`` (indexed by period), or ``None`` for a column ``by``.

    Computed once, it can be handed to :func:`with_coverage` for any number of tables over the same periods
    (a prepared term matrix keeps it, so repeated queries do not recompute it).
    """
    if by not in TIME_FREQUENCIES:
        return None
    dates = pd.to_datetime(dates, errors="coerce")
    distinct = pd.Series(pd.unique(pd.Series(periods, dtype=pd.PeriodDtype(TIME_FREQUENCIES[by]))))
    return period_coverage(distinct, first=dates.min(), last=dates.max()).set_axis(pd.PeriodIndex(distinct))


def with_coverage(table: pd.DataFrame, *, by: str, dates: pd.Series, n: str,
                  coverage: pd.DataFrame | None = None) -> pd.DataFrame:
    """``table`` (a ``period`` column) plus its coverage (time ``by`` only) and ``low_count``.

    Parameters
    ----------
    table : DataFrame
        A period table with a ``period`` column.
    by : str
        The grouping it was made with: for a time frequency the columns of :func:`period_coverage` are
        appended, for a column grouping they are absent.
    dates : Series
        The dates of the corpus behind the table (its first and last date bound the coverage).
    n : str
        The count column behind each estimate; ``low_count`` is ``table[n] < LOW_COUNT``.
    coverage : DataFrame, optional
        :func:`coverage_of` for these periods, when the caller has it already.

    Returns
    -------
    DataFrame
        The input columns, then ``period_start, period_end, days_covered, partial`` (time ``by``), then
        ``low_count``.
    """
    if by in TIME_FREQUENCIES:
        periods = table["period"].astype(pd.PeriodDtype(TIME_FREQUENCIES[by]))    # also without any dated row
        coverage = coverage if coverage is not None else coverage_of(periods, by=by, dates=dates)
        table = pd.concat([table, coverage.reindex(pd.PeriodIndex(periods)).set_axis(table.index)], axis=1)
    return table.assign(low_count=table[n] < LOW_COUNT)


# ----------------------------------------------------------------------------------------- plots
def period_x(periods: pd.Series) -> pd.Series:
    """Plot positions of periods: a time period's first instant, any other group value as text."""
    if isinstance(periods.dtype, pd.PeriodDtype):
        return periods.dt.to_timestamp()
    return periods.astype(str)


def partial_mask(table: pd.DataFrame) -> np.ndarray:
    """The table's ``partial`` column as booleans; all False without one (a column grouping)."""
    if "partial" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return table["partial"].fillna(False).to_numpy(dtype=bool)


def draw_periods(ax, part: pd.DataFrame, *, x: str, y: str, interval: tuple[str, str] | None = ("ci_low", "ci_high"),
                 label=None, color=None, marker: str | None = "o") -> None:
    """Draw one series over periods; partial periods (``partial`` column) hollow, dashed and without band.

    Parameters
    ----------
    ax : matplotlib Axes
    part : DataFrame
        One series: the ``x`` and ``y`` columns, ``interval`` columns and optionally ``partial``.
    x, y : str
        Columns of the plot positions (:func:`period_x`) and of the estimate.
    interval : (str, str) or None
        Columns of the interval, drawn as a band over the full periods and a dotted bar at a partial one.
    label, color, marker
        Legend label, colour (default: the next of the Axes' cycle) and marker of the full periods.

    Notes
    -----
    The x ticks are the periods drawn on ``ax`` (every series so far), labelled as tables print periods.
    The labelled line holds the full periods (NaN at partial ones); when a period is partial a second line
    ``_partial`` (dashed, open markers at the partial periods) and a dotted ``_partial interval`` follow.
    """
    part = part.sort_values(x)
    partial, xs, ys = partial_mask(part), part[x].to_numpy(), part[y].to_numpy(dtype=float)
    (line,) = ax.plot(xs, np.where(partial, np.nan, ys), marker=marker, color=color, label=label)
    colour = line.get_color()
    if interval:
        low, high = (np.where(partial, np.nan, part[c].to_numpy(dtype=float)) for c in interval)
        ax.fill_between(xs, low, high, color=colour, alpha=0.2, linewidth=0)
    if partial.any():
        _draw_partial(ax, xs, ys, partial, bounds=part[list(interval)].to_numpy(dtype=float) if interval else None,
                      color=colour, marker=marker or "o")
    _label_periods(ax, part)


def _label_periods(ax, part: pd.DataFrame) -> None:
    """Ticks at the periods drawn so far on ``ax``, labelled as the tables print them (2018Q2, 2018-04, 2018),
    at most ``MAX_PERIOD_TICKS`` of them."""
    if "period" not in part or not isinstance(part["period"].dtype, pd.PeriodDtype):
        return
    drawn = pd.PeriodIndex(part["period"].dropna().unique())
    periods = drawn.union(getattr(ax, "_toolkit_periods", drawn[:0])).sort_values()
    ax._toolkit_periods = periods
    shown = periods[::-(-len(periods) // MAX_PERIOD_TICKS)]
    ax.set_xticks(shown.to_timestamp(), [str(p) for p in shown])


def _draw_partial(ax, xs, ys, partial: np.ndarray, *, bounds, color, marker: str) -> None:
    """The dashed line with open markers at the partial periods, and their intervals (``bounds``) dotted."""
    ax.plot(xs, ys, linestyle="--", marker=marker, markevery=list(np.flatnonzero(partial)), markerfacecolor="none",
            color=color, label="_partial")
    if bounds is not None:
        gaps = np.full((int(partial.sum()), 1), np.nan)
        ax.plot(np.repeat(xs[partial], 3), np.hstack([bounds[partial], gaps]).ravel(), linestyle=":", color=color,
                label="_partial interval")


def limit_to_full_periods(ax, table: pd.DataFrame, columns: list[str]) -> None:
    """Set the y-limits from the full periods' values of ``columns`` when some periods are partial.

    The limits are the range of the finite values of the full periods plus ``Y_MARGIN`` of it on each side,
    so a partial period's wide interval does not flatten the others; nothing changes without a partial
    period or without a finite full value.
    """
    partial = partial_mask(table)
    values = table.loc[~partial, columns].to_numpy(dtype=float)
    values = values[np.isfinite(values)]
    if not partial.any() or not values.size:
        return
    low, high = values.min(), values.max()
    pad = (high - low) * Y_MARGIN or 0.5
    ax.set_ylim(low - pad, high + pad)
