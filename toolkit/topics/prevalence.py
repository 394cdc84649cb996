"""Topic prevalence over time: :func:`topic_prevalence` (mean shares per period with bootstrap
intervals) and its plot :func:`plot_topics_over_time`.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from ..periods import (
    COVERAGE_COLUMNS,
    add_period,
    draw_periods,
    limit_to_full_periods,
    period_range,
    period_x,
    with_coverage,
)
from ..uncertainty import bootstrap_mean
from .fit import TopicModel, require_model


def topic_prevalence(
    result: TopicModel,
    *,
    by: str = "quarter",
    group: str | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Mean topic share per period (and group) with document-cluster bootstrap intervals.

    A topic's prevalence in a period is the mean of its share over the units of that period;
    the interval resamples whole briefings (:func:`toolkit.uncertainty.bootstrap_mean`).
    Every period from the first to the last one appears: a period (or period x group) without
    any unit is a row with NaN prevalence and ``n_units = 0`` (a gap, not a zero).

    Parameters
    ----------
    result : TopicModel
        From :func:`fit_topics`.
    by : str
        ``"day"``, ``"week"``, ``"month"``, ``"quarter"``, ``"year"`` or a column of
        ``result.doc_topics`` such as ``"spokesperson"`` (prevalence by spokesperson).
    group : str, optional
        A further column to split by (for example ``"spokesperson"`` with ``by="year"``).
    n_boot, level : int, float
        Bootstrap replicates and interval coverage.
    random_state : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        ``topic, label, period, [group], prevalence, ci_low, ci_high, n_units, n_docs``; then, for a time
        ``by`` only (absent for a column ``by``), ``period_start, period_end, days_covered, partial``
        (:func:`toolkit.periods.period_coverage` between the first and last date of ``result.doc_topics``:
        ``partial`` when the corpus covers only part of the period), and always ``low_count``
        (``n_units < 5``: the mean rests on fewer than five units).
    """
    func = "topic_prevalence"
    require_model(result, func)
    shares = add_period(result.doc_topics, by=by, func=func)
    groups = ["topic", "period"] + ([group] if group else [])
    require_columns(shares, groups, func=func, arg="result.doc_topics")
    estimates = bootstrap_mean(shares, value="weight", group=groups, cluster="doc_id", n_boot=n_boot,
                               level=level, random_state=random_state, func=func)
    grid = _grid(shares, by=by, group=group, k=result.k)
    out = grid.merge(estimates, on=groups, how="left")
    out[["n", "n_clusters"]] = out[["n", "n_clusters"]].fillna(0).astype(int)
    out = out.rename(columns={"estimate": "prevalence", "n": "n_units", "n_clusters": "n_docs"})
    out.insert(1, "label", out["topic"].map(result.labels.set_index("topic")["label"]))
    return with_coverage(out, by=by, dates=result.doc_topics.get("date"), n="n_units")


def _grid(shares: pd.DataFrame, *, by: str, group: str | None, k: int) -> pd.DataFrame:
    """Every topic x period (first..last, gaps included) [x group value] combination."""
    axes = {"topic": np.arange(k), "period": period_range(shares["period"], by=by)}
    if group:
        axes[group] = sorted(shares[group].dropna().unique())
    index = pd.MultiIndex.from_product(list(axes.values()), names=list(axes))
    return index.to_frame(index=False)


def plot_topics_over_time(
    prevalence: pd.DataFrame,
    *,
    topics=None,
    col_wrap: int = 4,
    ax=None,
) -> np.ndarray:
    """Small multiples of topic prevalence over time with confidence bands.

    One panel per topic (line = ``prevalence``, band = ``ci_low``..``ci_high``); with a group
    column (from ``topic_prevalence(group=...)``) one line per group value in each panel. Periods
    without units are NaN and show as breaks in the line and band. Partial periods (the ``partial``
    column) are drawn hollow and dashed, and the shared y-limits come from the full periods only
    (:func:`toolkit.periods.draw_periods`).

    Parameters
    ----------
    prevalence : DataFrame
        Output of :func:`topic_prevalence`.
    topics : sequence of int, optional
        Topics to draw (default all).
    col_wrap : int
        Panels per row of the grid.
    ax : matplotlib Axes, optional
        Draw every selected topic into this one Axes instead (one line per topic; not with a group).

    Returns
    -------
    ndarray of Axes
        The grid's panels, one per topic in order (a one-element array holding ``ax`` when given).
        Titles are ``"topic: label"`` wrapped to two lines of at most 30 characters (shortened with
        "…" beyond), so neighbouring titles never overlap; the y axes read "mean topic share".
    """
    import matplotlib.pyplot as plt

    func = "plot_topics_over_time"
    base = ["topic", "label", "period", "prevalence", "ci_low", "ci_high", "n_units", "n_docs"]
    require_columns(prevalence, base, func=func, arg="prevalence")
    extra = [c for c in prevalence.columns if c not in base + COVERAGE_COLUMNS]
    selected = sorted(prevalence["topic"].unique()) if topics is None else list(topics)
    data = prevalence[prevalence["topic"].isin(selected)].assign(x=period_x(prevalence["period"]))
    if ax is not None:
        if extra:
            raise ToolkitError(f"{func}(): a single 'ax' cannot show the group column {extra[0]!r}; omit ax.")
        for topic, part in data.groupby("topic"):
            draw_periods(ax, part, x="x", y="prevalence", label=panel_title(topic, part["label"].iloc[0], lines=1),
                         marker=None)
        limit_to_full_periods(ax, data, ["prevalence", "ci_low", "ci_high"])
        ax.set_ylabel("mean topic share")
        ax.legend(fontsize="small")
        return np.array([ax])
    n_rows = math.ceil(len(selected) / col_wrap)
    n_cols = min(col_wrap, len(selected))
    _, grid = plt.subplots(n_rows, n_cols, figsize=(3.2 * n_cols, 2.6 * n_rows), sharex=True, sharey=True,
                             squeeze=False, constrained_layout=True)
    panels = grid.ravel()
    for axis, topic in zip(panels, selected):
        part = data[data["topic"] == topic]
        for name, line in (part.groupby(extra[0]) if extra else [(None, part)]):
            draw_periods(axis, line, x="x", y="prevalence", label=name, marker=None)
        axis.set_title(panel_title(topic, part["label"].iloc[0]), fontsize="small")
        axis.tick_params(axis="x", labelrotation=45, labelsize="small")
    for axis in grid[:, 0]:
        axis.set_ylabel("mean topic share")
    for axis in panels[len(selected):]:
        axis.set_visible(False)
    limit_to_full_periods(panels[0], data, ["prevalence", "ci_low", "ci_high"])      # the panels share y
    if extra:
        panels[0].legend(fontsize="x-small", title=extra[0])
    return panels[: len(selected)]


def panel_title(topic, label: str, *, width: int = 30, lines: int = 2) -> str:
    """``"topic: label"`` in at most ``lines`` lines of ``width`` characters (shortened with "…")."""
    return "\n".join(textwrap.wrap(f"{topic}: {label}", width, max_lines=lines, placeholder=" …"))
