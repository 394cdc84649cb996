"""Stance over time and across spokespersons: bootstrap means of scores per period or column, and their plot.

- :func:`stance_over_time`: mean score per period (or any column) and target, document-cluster bootstrap
  intervals (``toolkit.uncertainty.bootstrap_mean``);
- :func:`stance_by_spokesperson`: the same per spokesperson;
- :func:`plot_stance_over_time`: one line and confidence band per target.
"""
from __future__ import annotations

import pandas as pd

from .._checks import ToolkitError, require_columns
from ..figure_style import legend_beside, target_colours
from ..periods import add_period, draw_periods, limit_to_full_periods, period_x, with_coverage
from ..uncertainty import bootstrap_mean

MIN_CLUSTERS = 2  # briefings a period needs for a bootstrap interval


def stance_over_time(
    scores: pd.DataFrame,
    *,
    by: str = "quarter",
    target: str | list[str] | None = None,
    group: str | list[str] = "target",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Mean stance per period (or any column) and target, with document-cluster bootstrap intervals.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`score_stance` (or a baseline with the same shape); needs ``date`` for a time
        ``by``.
    by : str
        "day", "week", "month", "quarter", "year" or a column such as "spokesperson".
    target : str or list of str, optional
        Keep only these targets.
    group : str or list of str
        Columns that split each period; default "target". Use
        ``["target", "spokesperson"]`` to compare spokespersons over time.
    n_boot, level, random_state
        Bootstrap replicates, interval coverage, seed (see ``toolkit.uncertainty.bootstrap_mean``).

    Returns
    -------
    DataFrame
        ``period``, the ``group`` columns, ``score`` (mean), ``ci_low``, ``ci_high`` (NaN when the period
        holds fewer than two briefings: resampling one cluster cannot measure uncertainty), ``n`` (units),
        ``n_clusters`` (briefings); then, for a time ``by`` only (absent for a column ``by``),
        ``period_start, period_end, days_covered, partial`` (:func:`toolkit.periods.period_coverage`
        between the first and last date of ``scores``: ``partial`` when the corpus covers only part of the
        period), and always ``low_count`` (``n < 5``: the mean rests on fewer than five scored units).

    Examples
    --------
    >>> stance_over_time(score_stance(sentences), by="year", target="Japan", random_state=0)  # doctest: +SKIP
    """
    func = "stance_over_time"
    groups = [group] if isinstance(group, str) else list(group)
    require_columns(scores, ["doc_id", "score", *groups], func=func, arg="scores")
    data = scores[scores["target"].notna()] if "target" in scores.columns else scores
    if target is not None:
        wanted = [target] if isinstance(target, str) else list(target)
        unknown = sorted(set(wanted) - set(data["target"]))
        if unknown:
            raise ToolkitError(f"{func}(): target(s) {unknown} not in the scores; present: "
                               f"{sorted(data['target'].unique())[:30]}.")
        data = data[data["target"].isin(wanted)]
    data = add_period(data, by=by, func=func)
    table = bootstrap_mean(data, value="score", group=["period", *groups], n_boot=n_boot, level=level,
                           random_state=random_state, func=func)
    single = table["n_clusters"] < MIN_CLUSTERS  # one briefing: resampling it gives a zero-width interval
    table.loc[single, ["ci_low", "ci_high"]] = float("nan")
    return with_coverage(table.rename(columns={"estimate": "score"}), by=by, dates=scores.get("date"), n="n")


def stance_by_spokesperson(
    scores: pd.DataFrame,
    *,
    target: str | list[str] | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Compare spokespersons: mean stance per spokesperson and target with bootstrap intervals.

    :func:`stance_over_time` with ``by="spokesperson"``: ``scores`` (:func:`score_stance` output or a
    baseline's) needs a ``spokesperson`` column; ``target, n_boot, level, random_state`` are as there.

    Returns
    -------
    DataFrame
        ``spokesperson, target, score, ci_low, ci_high, n, n_clusters, low_count`` (``n < 5``);
        non-overlapping intervals of two spokespersons on one target indicate a difference beyond
        resampling noise.
    """
    require_columns(scores, ["spokesperson"], func="stance_by_spokesperson", arg="scores")
    table = stance_over_time(scores, by="spokesperson", target=target, n_boot=n_boot, level=level,
                             random_state=random_state)
    return table.rename(columns={"period": "spokesperson"})


def plot_stance_over_time(over_time: pd.DataFrame, *, ax=None):
    """Draw one line per target with its confidence band; returns the matplotlib Axes.

    Partial periods (the ``partial`` column) are drawn hollow and dashed, with a dotted interval; a period
    without an interval (``ci_low`` NaN: fewer than two briefings) is a point without band; the y-limits come
    from the full periods only (:func:`toolkit.periods.draw_periods`). A period without sentences on a target
    leaves a gap in its line; each target keeps its colour (:func:`toolkit.figure_style.target_colours`); the
    legend stands beside the axes.

    Parameters
    ----------
    over_time : DataFrame
        Output of :func:`stance_over_time` (``period, target, score, ci_low, ci_high``).
    ax : matplotlib Axes, optional
        Draw here; a new figure by default.

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt

    require_columns(over_time, ["period", "target", "score", "ci_low", "ci_high"], func="plot_stance_over_time",
                    arg="over_time")
    ax = ax or plt.subplots(figsize=(9, 4))[1]
    data = _with_gaps(over_time)
    data = data.assign(_x=period_x(data["period"]))
    colours = target_colours(data["target"].unique())
    for name, part in data.groupby("target", sort=True):
        draw_periods(ax, part, x="_x", y="score", label=name, color=colours[name])
    ax.axhline(0, color="grey", linewidth=0.8)
    limit_to_full_periods(ax, data, ["score", "ci_low", "ci_high"])
    ax.set(xlabel="period", ylabel="mean stance score (-1 hostile .. +1 cooperative)")
    legend_beside(ax, title="target")
    return ax


def _with_gaps(over_time: pd.DataFrame) -> pd.DataFrame:
    """Every period from the first to the last for every target, NaN where a target has no sentence (a gap in
    the line, not a line across the empty periods)."""
    if over_time.empty or not isinstance(over_time["period"].dtype, pd.PeriodDtype):
        return over_time
    periods = pd.period_range(over_time["period"].min(), over_time["period"].max(), freq=over_time["period"].dt.freq)
    full = pd.MultiIndex.from_product([periods, over_time["target"].unique()], names=["period", "target"])
    return over_time.set_index(["period", "target"]).reindex(full).reset_index()
