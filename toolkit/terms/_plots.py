"""Shared drawing helpers of the term plots (each ``plot_*`` lives beside the numbers it draws).

matplotlib and seaborn are imported inside the functions.
"""
from __future__ import annotations

import pandas as pd


def bar_axes(ax, *, n_bars: int, width: float):
    """``ax``, or the Axes of a new figure ``width`` inches wide and tall enough for ``n_bars`` bars."""
    import matplotlib.pyplot as plt

    return ax or plt.subplots(figsize=(width, max(3, 0.28 * n_bars)))[1]


def diverging_bars(table: pd.DataFrame, *, x: str, hue: str, ax=None, palette=None):
    """Horizontal bars of ``x`` per ``term``, coloured by ``hue``, around a zero line; returns the Axes."""
    import seaborn as sns

    ax = bar_axes(ax, n_bars=len(table), width=7)
    sns.barplot(data=table, x=x, y="term", hue=hue, dodge=False, orient="h", ax=ax, palette=palette)
    ax.axvline(0, color="black", linewidth=0.8)
    return ax
