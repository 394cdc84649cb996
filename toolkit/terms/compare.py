"""Two groups of speakers compared term by term, in the manner of scattertext (Kessler 2017):
:func:`compare_groups` (rates in each group, log ratio, G2), :func:`plot_compare_groups` (static scatter of the
rates with the extremes labelled) and :func:`compare_groups_html` (the same scatter, interactive, as one HTML
file with Bokeh's JavaScript inlined: it opens without network; its text: :func:`compare_groups_page`).
:func:`content_terms` drops the stop words and
the genre stop list (``toolkit/data/briefing_stopwords.csv``, shared with the topic model) from a matrix counted with every token.
"""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from ..datafiles import read_data_table
from .lexicons import stop_words_by_lang
from .matrix import TermMatrix, as_matrix

COLUMNS = ["term", "n_a", "n_b", "rate_a", "rate_b", "log_ratio", "g2", "p_value", "p_adjusted"]
GENRE_STOP_WORDS = "briefing_stopwords.csv"   # the topic model's genre stop list too


def genre_stop_words() -> pd.DataFrame:
    """The packaged stop words plus the genre stop list (formulae of press briefings), as ``word, lang``.

    Pass it as ``stop_words=`` to :func:`toolkit.count_terms` (or any function taking ``stop_words``) to leave
    out the words every briefing uses: turn labels, outlets, procedural formulae and diplomatic hedges ("two",
    "relevant", "the Chinese side", 有关, 表示 ...).
    """
    packaged = pd.concat([pd.DataFrame({"word": sorted(words), "lang": lang})
                          for lang, words in stop_words_by_lang("default", func="genre_stop_words").items()])
    genre = read_data_table("default", default=GENRE_STOP_WORDS, columns=["word", "lang"], func="genre_stop_words",
                            arg="stop_words")[["word", "lang"]]
    return pd.concat([packaged, genre], ignore_index=True).drop_duplicates(ignore_index=True)


def content_terms(tm: TermMatrix) -> TermMatrix:
    """``tm`` without the columns of :func:`genre_stop_words` (rows, ``n_tokens`` and token texts unchanged).

    For a matrix counted with ``stop_words=None`` (every token, as the report's one matrix): its rates keep
    every token in the denominator, its term statistics leave the function words and formulae out.
    """
    stop = set(genre_stop_words()["word"].str.lower())
    keep = np.array([term.lower() not in stop for term in tm.terms], dtype=bool)
    return TermMatrix(tm.matrix[:, np.flatnonzero(keep)].tocsr(), tm.terms[keep], tm.rows, tm.vectorizer, tm.unit,
                      tm.tokens, provenance={**tm.provenance, "stop_words": "genre"})


def compare_groups(frame, *, by: str, a, b=None, min_count: int = 5, per: int = 10_000) -> pd.DataFrame:
    """Terms used more by one group than by another: rates in each group, log ratio and G2.

    Parameters
    ----------
    frame : DataFrame or TermMatrix
        Turns (or briefings, sentences), or a prepared :func:`toolkit.count_terms` matrix. A table is counted
        with :func:`genre_stop_words` left out; a matrix is used as it is (see :func:`content_terms`).
    by : str
        The column naming the groups (``"spokesperson"``, ``"speaker"``, ``"role"`` ...).
    a, b : value or list of values
        The rows of group A (``frame[by]`` equal to ``a`` or in it) and of group B (default: every other row
        with a value in ``by``).
    min_count : int
        Keep terms used at least this often in both groups together.
    per : int
        Rates per this many tokens (each group's tokens, stop words included).

    Returns
    -------
    DataFrame
        ``term, n_a, n_b, rate_a, rate_b, log_ratio, g2, p_value, p_adjusted``, sorted by ``g2`` (most typical
        of A first, of B last). ``log_ratio`` is Hardie's ``log2((n_a/N_a)/(n_b/N_b))`` with 0.5 for a zero
        count; ``g2`` the log-likelihood ``2*sum(O*ln(O/E))`` (Rayson & Garside), + when the term is relatively
        more frequent in A; ``p_adjusted`` Benjamini-Hochberg over the kept terms. ``attrs["groups"]`` holds
        ``by``, the names of A and B and their token counts.

    Examples
    --------
    >>> compare_groups(turns, by="spokesperson", a="Hua Chunying", b="Geng Shuang").head(20)   # doctest: +SKIP
    """
    from .keyness import keyness

    func = "compare_groups"
    require_columns(frame.rows if isinstance(frame, TermMatrix) else frame, [by], func=func, arg="frame")
    tm = as_matrix(frame, unit=None, func=func, stop_words=genre_stop_words())
    in_a = tm.rows[by].isin(_values(a)).to_numpy()
    in_b = (tm.rows[by].notna().to_numpy() & ~in_a) if b is None else tm.rows[by].isin(_values(b)).to_numpy()
    if not in_a.any() or not in_b.any():
        empty, value = ("a", a) if not in_a.any() else ("b", b)
        raise ToolkitError(f"{func}(): group {empty}={value!r} selects no row of column {by!r}; choose among "
                           f"{sorted(map(str, tm.rows[by].dropna().unique()))[:10]}.")
    table = keyness(tm, target=in_a, reference=in_b, measure="g2", min_count=min_count, per=per)
    table = table.rename(columns={"n_target": "n_a", "n_reference": "n_b", "rate_target": "rate_a",
                                  "rate_reference": "rate_b", "effect": "log_ratio", "keyness": "g2"})[COLUMNS]
    tokens = tm.rows["n_tokens"].to_numpy()
    table.attrs["groups"] = {"by": by, "a": _name(a), "b": _name(b) if b is not None else f"other {by}",
                             "tokens_a": int(tokens[in_a].sum()), "tokens_b": int(tokens[in_b].sum())}
    return table


def _values(value) -> list:
    return list(value) if isinstance(value, (list, tuple, set)) else [value]


def _name(value) -> str:
    return " + ".join(map(str, _values(value)))


def _scatter_data(table: pd.DataFrame, n_labels: int) -> pd.DataFrame:
    """Rates with zeros put at half the smallest positive rate (log axes), and the extremes to label."""
    require_columns(table, ["term", "rate_a", "rate_b", "g2"], func="plot_compare_groups", arg="table")
    rates = table[["rate_a", "rate_b"]]
    floor = rates[rates > 0].min().min() / 2 if (rates > 0).any().any() else 1.0
    data = table.assign(x=table["rate_b"].where(table["rate_b"] > 0, floor),
                        y=table["rate_a"].where(table["rate_a"] > 0, floor))
    ordered = data.sort_values("g2")
    labelled = set(ordered["term"].head(n_labels)) | set(ordered["term"].tail(n_labels))
    return data.assign(labelled=data["term"].isin(labelled), side=np.where(data["g2"] > 0, "a", "b"))


def plot_compare_groups(table: pd.DataFrame, *, n_labels: int = 8, ax=None):
    """Scatter of each term's rate in group A against its rate in group B (log axes), extremes labelled.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`compare_groups`.
    n_labels : int
        Label the ``n_labels`` terms most typical of A (largest G2) and of B (smallest).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Terms above the diagonal are more frequent in A; zeros sit at half the smallest positive rate.
    """
    import matplotlib.pyplot as plt

    groups = table.attrs.get("groups", {"a": "A", "b": "B"})
    data = _scatter_data(table, n_labels)
    ax = ax or plt.subplots(figsize=(7, 7))[1]
    colours = np.where(data["labelled"], np.where(data["side"] == "a", "#1f77b4", "#d62728"), "#bbbbbb")
    ax.scatter(data["x"], data["y"], s=10, c=colours, linewidths=0)
    low, high = min(data["x"].min(), data["y"].min()), max(data["x"].max(), data["y"].max())
    ax.plot([low, high], [low, high], color="grey", linewidth=0.8)
    ax.set(xscale="log", yscale="log", xlabel=f"{groups['b']}: rate per 10,000 tokens",
           ylabel=f"{groups['a']}: rate per 10,000 tokens")
    for row in data[data["labelled"]].itertuples():
        ax.annotate(str(row.term), (row.x, row.y), fontsize=7, xytext=(3, 3 if row.side == "a" else -9),
                    textcoords="offset points", color="#1f77b4" if row.side == "a" else "#d62728")
    return ax


def compare_groups_html(table: pd.DataFrame, path: str | Path, *, n_labels: int = 8, title: str = "") -> Path:
    """The scatter of :func:`plot_compare_groups` as an interactive page (hover a point: term, rates, log ratio,
    G2; zoom and pan), Bokeh's JavaScript inlined so it opens without network.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`compare_groups`.
    path : path
        The ``.html`` file to write (folders created).
    n_labels : int
        Terms most typical of each group drawn with their label.
    title : str
        Page and plot title.

    Returns
    -------
    Path
        The file written (:func:`compare_groups_page`).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(compare_groups_page(table, n_labels=n_labels, title=title), encoding="utf-8")
    return target


def compare_groups_page(table: pd.DataFrame, *, n_labels: int = 8, title: str = "") -> str:
    """The HTML text of :func:`compare_groups_html` (the report makes it while other sections run).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`compare_groups`.
    n_labels : int
        Terms most typical of each group drawn with their label.
    title : str
        Page and plot title.

    Returns
    -------
    str
        One self-contained HTML page.
    """
    from bokeh.embed import file_html
    from bokeh.models import ColumnDataSource, HoverTool, LabelSet, Slope
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    groups = table.attrs.get("groups", {"a": "A", "b": "B"})
    data = _scatter_data(table, n_labels)
    data = data.assign(colour=np.where(data["side"] == "a", "#1f77b4", "#d62728"))
    source = ColumnDataSource(data[["term", "x", "y", "n_a", "n_b", "rate_a", "rate_b", "log_ratio", "g2",
                                    "colour"]].to_dict("list"))
    plot = figure(width=800, height=800, x_axis_type="log", y_axis_type="log", title=title,
                  x_axis_label=f"{groups['b']}: rate per 10,000 tokens",
                  y_axis_label=f"{groups['a']}: rate per 10,000 tokens", tools="pan,wheel_zoom,box_zoom,reset")
    points = plot.scatter("x", "y", source=source, size=6, color="colour", alpha=0.6)
    plot.add_layout(Slope(gradient=1, y_intercept=0, line_color="grey"))
    plot.add_layout(LabelSet(x="x", y="y", text="term", source=ColumnDataSource(data.loc[data["labelled"], ["x", "y", "term"]]
                                                                       .to_dict("list")),
                             text_font_size="9pt", x_offset=3, y_offset=3))
    plot.add_tools(HoverTool(renderers=[points], tooltips=[
        ("term", "@term"), (f"{groups['a']}", "@n_a (@rate_a{0.00} per 10,000)"),
        (f"{groups['b']}", "@n_b (@rate_b{0.00} per 10,000)"), ("log ratio", "@log_ratio{0.00}"),
        ("G2", "@g2{0.0}")]))
    return file_html(plot, resources=INLINE, title=html.escape(title or "compare groups"))
