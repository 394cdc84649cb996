"""An interactive explorer for JupyterLab (ipywidgets): type a phrase, see its trend, its contexts and the stance.

``toolkit.explore(turns)`` (turns from :func:`toolkit.split_turns`) returns an :class:`Explorer`: a phrase
box, the time unit, a range of years and a spokesperson (their own turns); below, the phrase's rate over time with
exact Poisson intervals (:func:`toolkit.term_frequency`), the spokesperson's stance by target over the same periods
with bootstrap intervals (:func:`toolkit.stance_over_time`; in the turns using the phrase, or in all turns) and
every keyword-in-context line (:func:`toolkit.kwic`) with its speaker and role, a page at a time. The tables
behind the display are attributes (``trend``, ``stance``, ``kwic_lines``), so what you see can be taken on with
pandas. ipywidgets and
matplotlib are imported when an explorer is built, not with this module.
"""
from __future__ import annotations

import html
import re
from typing import Literal

import numpy as np
import pandas as pd

from ._checks import ToolkitError, require_choice, require_columns
from .turns import SPOKESPERSON_ROLES
from .report.build import phrase_matrix, spokesperson_scores
from .report.figures import png
from .stance import STANCE_TARGETS, plot_stance_over_time, stance_over_time
from .terms import kwic, plot_term_trend, term_counts, term_frequency

ALL = "(all)"
SCOPES = {"turns with the phrase": "phrase", "all spokesperson turns": "all"}
TIME_UNITS = ("month", "quarter", "year")
IMAGE_DPI = 80


class Explorer:
    """The explorer (built by :func:`explore`); display it in a notebook or a Voilà page.

    It displays as its ipywidgets box ``widget`` (the object itself is the last line of a cell).

    Attributes
    ----------
    widget : ipywidgets.VBox
        The controls, the summary line, the two images, the KWIC table and its pager.
    phrase, by, years, spokesperson, scope : ipywidgets
        The controls (``phrase.value = "South China Sea"`` updates everything, as typing does);
        ``spokesperson`` keeps the turns that spokesperson speaks (the turn's ``speaker``), not every turn
        of their briefings.
    previous, next : ipywidgets.Button
        Page through ``kwic_lines``, ``n_kwic`` lines a page (as :meth:`show_page` does).
    trend : DataFrame
        :func:`toolkit.term_frequency` of the phrase for the current selection (``term, period, n, n_docs,
        n_words, rate, ci_low, ci_high, period_start, period_end, days_covered, partial, low_count``; the
        coverage is that of the selection's first and last date).
    stance : DataFrame
        :func:`toolkit.stance_over_time` (``period, target, score, ci_low, ci_high, n, n_clusters`` and the
        same period columns).
    kwic_lines : DataFrame
        Every :func:`toolkit.kwic` line of the phrase in the selection, in text order (``doc_id, date,
        spokesperson, turn_id, role, speaker, ..., left, match, right``); the table shows the page ``page``.
    page : int
        The page of ``kwic_lines`` shown (0 = the first ``n_kwic`` lines).
    error : str or None
        The message shown when the phrase cannot be searched (the tables, images and lines are then emptied,
        so nothing of the previous phrase stays on screen).
    axes : dict
        ``{"trend": Axes, "stance": Axes}``: the matplotlib Axes behind the two images (the stance chart shares
        the trend's x-axis; targets keep their colours, :func:`toolkit.figure_style.target_colours`).
    """

    def __init__(self, turns: pd.DataFrame, matrix, scores: pd.DataFrame, *, phrase: str, by: str,
                 targets: tuple[str, ...], n_kwic: int, n_boot: int, random_state: int | None):
        self._turns, self._matrix, self._scores = turns, matrix, scores
        self._targets, self._n_kwic, self._n_boot, self._seed = targets, n_kwic, n_boot, random_state
        self.trend = self.stance = self.kwic_lines = pd.DataFrame()
        self.error, self.page, self.axes = None, 0, {}
        self.widget = self._build_widgets(phrase=phrase, by=by)
        for control in (self.phrase, self.by, self.years, self.spokesperson, self.scope):
            control.observe(self._on_change, names="value")
        self.update()

    def _build_widgets(self, *, phrase: str, by: str):
        """Create the controls and displays (as attributes) and return the box that lays them out."""
        import ipywidgets as widgets

        years = sorted(int(y) for y in pd.to_datetime(self._turns["date"], errors="coerce").dt.year.dropna().unique())
        spoken = self._turns["role"].isin(SPOKESPERSON_ROLES)
        names = sorted(self._turns.loc[spoken, "speaker"].dropna().unique())
        label = {"style": {"description_width": "initial"}}          # the whole label, never cut
        self.phrase = widgets.Text(value=phrase, description="phrase", continuous_update=False,
                                   placeholder="a word, a phrase or re:<regex>", **label)
        self.by = widgets.Dropdown(options=TIME_UNITS, value=by, description="per", **label)
        self.years = widgets.SelectionRangeSlider(options=years or [0], index=(0, max(len(years) - 1, 0)),
                                                  description="years", **label)
        self.spokesperson = widgets.Dropdown(options=[ALL, *names], value=ALL, description="spokesperson", **label)
        self.scope = widgets.Dropdown(options=SCOPES, value="phrase", description="stance in", **label)
        self.summary, self.kwic_table, self.pager = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self.trend_image, self.stance_image = widgets.Image(format="png"), widgets.Image(format="png")
        self.previous = widgets.Button(description="previous lines")
        self.next = widgets.Button(description="next lines")
        self.previous.on_click(lambda _: self.show_page(self.page - 1))
        self.next.on_click(lambda _: self.show_page(self.page + 1))
        for widget, name in ((self.phrase, "phrase"), (self.summary, "summary"), (self.trend_image, "trend"),
                             (self.stance_image, "stance"), (self.kwic_table, "kwic"), (self.pager, "pager"),
                             (self.previous, "previous"), (self.next, "next")):
            widget.add_class(f"toolkit-{name}")
        return widgets.VBox([widgets.HBox([self.phrase, self.by, self.years]),
                             widgets.HBox([self.spokesperson, self.scope]), self.summary,
                             widgets.HBox([self.trend_image, self.stance_image]),
                             widgets.HBox([self.previous, self.next, self.pager]), self.kwic_table])

    def _repr_mimebundle_(self, **kwargs):
        """Display as the widget box (Jupyter, Voilà)."""
        return self.widget._repr_mimebundle_(**kwargs)

    def _on_change(self, change) -> None:
        self.update()

    def _selection(self) -> np.ndarray:
        """Rows of the term matrix (= turns) in the chosen years and spoken by the chosen spokesperson."""
        rows = self._matrix.rows
        first, last = self.years.value
        year = pd.to_datetime(rows["date"], errors="coerce").dt.year
        keep = year.between(first, last).to_numpy() if first else np.ones(len(rows), dtype=bool)
        if self.spokesperson.value != ALL:
            keep = keep & (rows["speaker"] == self.spokesperson.value).to_numpy()
        return keep

    def update(self) -> None:
        """Recompute the tables and redraw for the current controls."""
        phrase = self.phrase.value.strip()
        keep = self._selection()
        try:
            matrix = self._matrix.select(keep)
            self.trend = term_frequency(matrix, phrase, by=self.by.value)
            hits = self._hits(matrix, phrase, keep)
        except (ToolkitError, re.error) as exc:
            self._clear(str(exc))
            return
        self.error = None
        turns = self._turns[keep][hits]
        self.kwic_lines = kwic(turns, phrase, window=8) if len(turns) else pd.DataFrame()
        self.stance = self._stance(turns, keep)
        self._draw(phrase)

    def _clear(self, error: str) -> None:
        """Show ``error`` and nothing of the previous phrase: empty tables, images, lines and pager."""
        self.error, self.page = error, 0
        self.trend = self.stance = self.kwic_lines = pd.DataFrame()
        self.axes = {}
        self.trend_image.value = self.stance_image.value = b""
        self.kwic_table.value = self.pager.value = ""
        self.previous.disabled = self.next.disabled = True
        self.summary.value = f'<p class="error" style="color:#b00">{html.escape(error)}</p>'

    def _hits(self, matrix, phrase: str, keep: np.ndarray) -> np.ndarray:
        """Which selected turns use the phrase (regular expressions: matched in the running text)."""
        if phrase.startswith("re:"):
            texts = self._turns.loc[keep, "text"].astype(str)
            return texts.str.contains(re.compile(phrase[3:], re.IGNORECASE)).to_numpy()
        return term_counts(matrix, phrase, func="explore") > 0

    def _stance(self, turns: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
        """Stance over time in the turns using the phrase, or in all selected turns (``scope``)."""
        chosen = turns if self.scope.value == "phrase" else self._turns[keep]
        key = ["doc_id", "turn_id"]
        scores = self._scores[pd.MultiIndex.from_frame(self._scores[key]).isin(pd.MultiIndex.from_frame(chosen[key]))]
        present = [t for t in self._targets if t in set(scores["target"])]
        if not present:
            return pd.DataFrame()
        return stance_over_time(scores, by=self.by.value, target=present, n_boot=self._n_boot,
                                random_state=self._seed)

    def _draw(self, phrase: str) -> None:
        """Redraw the images and the KWIC table, then the summary line (last: it marks the update done)."""
        from matplotlib.figure import Figure

        from .figure_style import style

        with style():
            figure = Figure(figsize=(6.5, 3.4), layout="constrained")
            trend = plot_term_trend(self.trend, ax=figure.subplots())
            trend.set_title(f"{phrase} per 10,000 tokens")
            self.trend_image.value = png(figure, dpi=IMAGE_DPI)
            figure = Figure(figsize=(6.5, 3.4), layout="constrained")
            stance = figure.subplots()
            if len(self.stance):
                plot_stance_over_time(self.stance, ax=stance)
            stance.set(xlim=trend.get_xlim(), ylabel="stance (-1 hostile .. +1 cooperative)",
                       title="stance by target " + ("(turns with the phrase)" if self.scope.value == "phrase"
                                                    else "(all spokesperson turns)"))
            self.stance_image.value = png(figure, dpi=IMAGE_DPI)
        self.axes = {"trend": trend, "stance": stance}
        self.show_page(0)
        total = self.trend[["n", "n_words"]].sum()
        rate = total["n"] / total["n_words"] * 10_000 if total["n_words"] else float("nan")
        n_docs = self.kwic_lines["doc_id"].nunique() if len(self.kwic_lines) else 0
        self.summary.value = (f"<p><b>{html.escape(phrase)}</b>: <span class='n'>{int(total['n'])}</span> "
                              f"occurrences, {rate:.2f} per 10,000 tokens; {len(self.kwic_lines)} lines "
                              f"from {n_docs} briefings; stance: {len(self.stance)} period x target rows.</p>")

    def show_page(self, page: int) -> None:
        """Show page ``page`` (0-based, kept within the pages) of ``kwic_lines``, ``n_kwic`` lines a page."""
        last = max(0, -(-len(self.kwic_lines) // self._n_kwic) - 1)
        self.page = min(max(page, 0), last)
        first = self.page * self._n_kwic
        shown = self.kwic_lines.iloc[first:first + self._n_kwic]
        self.kwic_table.value = _kwic_html(shown)
        span = f"lines {first + 1}-{first + len(shown)} of {len(self.kwic_lines)}" if len(shown) else "no line"
        self.pager.value = f"<span>{span}</span>"
        self.previous.disabled, self.next.disabled = self.page == 0, self.page == last


def _day(date) -> str:
    return "(no date)" if pd.isna(date) else f"{date:%Y-%m-%d}"


def _kwic_html(lines: pd.DataFrame) -> str:
    if lines.empty:
        return '<table class="kwic"><tr><td>no occurrence in this selection</td></tr></table>'
    rows = "".join(
        f"<tr><td>{_day(row.date)}</td><td>{_text(row.speaker)}</td><td>{_text(row.role)}</td>"
        f"<td style='text-align:right'>{html.escape(row.left)}</td><td><b>{html.escape(row.match)}</b></td>"
        f"<td>{html.escape(row.right)}</td></tr>"
        for row in lines.itertuples())
    return ('<table class="kwic" style="font-size:85%"><tr><th>date</th><th>speaker</th><th>role</th><th>left</th>'
            f"<th>match</th><th>right</th></tr>{rows}</table>")


def _text(value) -> str:
    return "" if pd.isna(value) else html.escape(str(value))


def explore(turns: pd.DataFrame, *, phrase: str = "mil-to-mil relations",
            by: Literal["month", "quarter", "year"] = "quarter", targets: tuple[str, ...] = STANCE_TARGETS,
            n_kwic: int = 40, n_boot: int = 200, random_state: int | None = None) -> Explorer:
    """Open the interactive explorer on turns.

    Parameters
    ----------
    turns : DataFrame
        Turns (:func:`toolkit.split_turns` of :func:`toolkit.load_briefings`).
    phrase : str
        The phrase shown first (a word, a listed phrase with its variants, or ``"re:<regex>"``).
    by : {"month", "quarter", "year"}
        The first time unit.
    targets : tuple of str
        Stance targets drawn (those present).
    n_kwic : int
        KWIC lines a page (the ``previous``/``next`` buttons page through all of them).
    n_boot : int
        Bootstrap replicates of the stance intervals.
    random_state : int, optional
        Seed of the stance intervals; ``None`` draws fresh randomness at every update.

    Returns
    -------
    Explorer
        Displays as an ipywidgets box; its ``trend``, ``stance`` and ``kwic_lines`` tables follow the controls.

    Examples
    --------
    >>> turns = toolkit.split_turns(toolkit.load_briefings("corpus/"))    # doctest: +SKIP
    >>> toolkit.explore(turns, random_state=0)                            # doctest: +SKIP
    """
    func = "explore"
    require_columns(turns, ["doc_id", "turn_id", "role", "speaker", "date", "text", "spokesperson"], func=func,
                    arg="turns")
    require_choice(by, TIME_UNITS, func=func, arg="by")
    turns = turns.reset_index(drop=True)
    return Explorer(turns, phrase_matrix(turns), spokesperson_scores(turns), phrase=phrase, by=by,
                    targets=tuple(targets), n_kwic=n_kwic, n_boot=n_boot, random_state=random_state)
