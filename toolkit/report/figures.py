"""The report's figures, drawn from its tables, and the one PNG helper of the toolkit's displays.

:func:`png` turns a matplotlib figure into PNG bytes (the explorer's images, the report's embedded
figures through :func:`png_base64`). matplotlib and the toolkit's plotting modules are imported inside
the functions that draw, so importing this module loads neither.
"""
from __future__ import annotations

import base64
import io

import pandas as pd

KEYNESS_COLUMNS = 4           # panels per row of the keyness figure


def png(figure, *, dpi: int = 90) -> bytes:
    """A matplotlib figure as PNG bytes (tight bounding box); a pyplot figure is closed afterwards.

    Parameters
    ----------
    figure : matplotlib Figure
    dpi : int
        Resolution.

    Returns
    -------
    bytes
        The PNG file's content.
    """
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def png_base64(figure, *, dpi: int = 90) -> str:
    """:func:`png` as base64 text, for an ``<img src="data:image/png;base64,...">``."""
    return base64.b64encode(png(figure, dpi=dpi)).decode("ascii")


def report_figures(report, tables=None) -> dict[str, str]:
    """Draw the report's figures from its tables.

    Drawn in :func:`toolkit.style` (Latin text in matplotlib's default font, Chinese text falling back to an
    installed CJK font; a glyph still missing warns).

    Parameters
    ----------
    report : Report
        Tables of :func:`toolkit.report.build_report`.
    tables : iterable of str, optional
        Draw only the figures of these tables of the report (``by_month``, ``phrases``, ``keyness``,
        ``comparisons``, ``stance``, ``topics``; other names are ignored), as the report's builder does when a
        section is done; default all.

    Returns
    -------
    dict
        Section name (``by_month``, ``first_phrase``, ``phrases``, ``keyness``, ``compare_<name>`` of each
        comparison, ``stance``, ``topics``) → base64 PNG; sections without data are left out.
    """
    from ..figure_style import style

    wanted = [(name, draw) for name, draw in _DRAWN_FROM if tables is None or name in tables]
    if not wanted:
        return {}
    with style():
        drawn = {}
        for name, draw in wanted:
            drawn.update({key: png_base64(figure) for key, figure in draw(getattr(report, name)).items()})
        return drawn


def _n_periods(table: pd.DataFrame) -> int:
    return table["period"].nunique() if "period" in table else 0


def _by_month(by_month: pd.DataFrame) -> dict:
    import matplotlib.pyplot as plt

    if by_month.empty:
        return {}
    fig, ax = plt.subplots(figsize=(9, 3))
    labels = by_month["period"].astype(str)
    ax.bar(labels, by_month["n_briefings"], color="#4c72b0")
    step = max(1, len(labels) // 24)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=90, fontsize="small")
    ax.set(xlabel="month", ylabel="briefings", title="Briefings by month")
    return {"by_month": fig}


def _phrases(phrases: pd.DataFrame) -> dict:
    """The first key phrase alone (it leads the report), then the others together."""
    from ..terms import plot_term_trend

    if _n_periods(phrases) < 2:
        return {}
    first = phrases["term"].iloc[0]
    panels = {"first_phrase": (phrases[phrases["term"] == first],
                               f"{first!r} per 10,000 tokens (95% exact Poisson interval)"),
              "phrases": (phrases[phrases["term"] != first], "Other key phrases per 10,000 tokens")}
    figures = {}
    for name, (data, title) in panels.items():
        if len(data):
            ax = plot_term_trend(data)
            ax.set_title(title)
            figures[name] = ax.figure
    return figures


def _keyness(table: pd.DataFrame) -> dict:
    """One keyness panel per year, of the terms the table keeps for that year: G2 bars, the log ratio beside each."""
    import matplotlib.pyplot as plt

    from ..terms import plot_keyness

    if table.empty:
        return {}
    years = sorted(table["year"].unique())
    n_cols = min(KEYNESS_COLUMNS, len(years))
    n_rows = -(-len(years) // n_cols)
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(3.6 * n_cols, 3.6 * n_rows), squeeze=False)
    for ax in axes.ravel()[len(years):]:
        ax.set_visible(False)
    for ax, year in zip(axes.ravel(), years):
        panel = table[table["year"] == year].rename(columns={"g2": "keyness"})
        plot_keyness(panel, n=len(panel), ax=ax)             # the table holds each year's top terms only
        for y, row in enumerate(panel.sort_values("keyness", ascending=False).itertuples()):
            ax.annotate(f"LR {row.log_ratio:.1f}", (row.keyness, y), xytext=(2, 0), textcoords="offset points",
                        va="center", fontsize="x-small")
        ax.margins(x=0.25)
        ax.set(title=str(year), ylabel="", xlabel="G2 (LR: log ratio)")
        if ax.get_legend():
            ax.get_legend().remove()
    fig.tight_layout()
    return {"keyness": fig}


def _comparisons(comparisons: dict) -> dict:
    """The scatter of each two-group comparison (rate in A against rate in B, extremes labelled)."""
    from ..terms.compare import plot_compare_groups

    return {f"compare_{name}": plot_compare_groups(table).figure for name, table in comparisons.items()}


def _stance(stance: pd.DataFrame) -> dict:
    import matplotlib.pyplot as plt

    from ..stance import plot_stance_over_time

    if _n_periods(stance) < 2:
        return {}
    fig, ax = plt.subplots(figsize=(9, 4))
    plot_stance_over_time(stance, ax=ax)
    return {"stance": fig}


def _topics(topics: pd.DataFrame) -> dict:
    from ..topics import plot_topics_over_time

    if topics.empty:
        return {}
    return {"topics": plot_topics_over_time(topics)[0].figure}


_DRAWN_FROM = (("by_month", _by_month), ("phrases", _phrases), ("keyness", _keyness), ("comparisons", _comparisons),
               ("stance", _stance), ("topics", _topics))          # table of the report -> the function drawing it
