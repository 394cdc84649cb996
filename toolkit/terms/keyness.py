"""Keyness: terms over- and under-used in a target part of the corpus against a reference part
(:func:`keyness`), the row selections that name the parts (:func:`select_rows`), and the plot
(:func:`plot_keyness`). The formulas are in :func:`toolkit.terms._stats.keyness_scores`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_choice, require_columns
from ._plots import diverging_bars
from ._stats import CORRECTIONS, adjust_p, keyness_scores
from .matrix import TermMatrix, as_matrix, docs_with, with_provenance

MEASURES = ("g2", "log_ratio", "chi2", "pmi", "simple_maths")
_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")


def keyness(frame, *, target, reference=None,
            measure: Literal["g2", "log_ratio", "chi2", "pmi", "simple_maths"] = "g2", min_count: int = 5,
            count: Literal["tokens", "docs"] = "tokens", correction: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh",
            per: int = 10_000, smoothing: float = 1.0, unit: Literal["doc", "turn", "sentence"] = "doc",
            lang: Literal["auto", "en", "zh"] = "auto", phrases="default", stop_words="default") -> pd.DataFrame:
    """Terms over- and under-used in a target part of the corpus against a reference part.

    Parameters
    ----------
    frame : DataFrame or TermMatrix
        Briefings, turns or sentences, or a prepared ``count_terms(...)`` matrix.
    target, reference : mask, period string or dict
        A boolean array/Series aligned with the rows; a period string on ``date`` ("2020", "2019-06",
        "2018-2019", "2019-01..2019-06"); or ``{column: value or list of values}``. ``reference=None``:
        every other row.
    measure : {"g2", "log_ratio", "chi2", "pmi", "simple_maths"}
        The ``keyness`` column and sort order: ``g2`` Rayson & Garside's log-likelihood
        ``2*sum(O*ln(O/E))`` with ``E1 = c*(a+b)/(c+d)``, ``E2 = d*(a+b)/(c+d)``; ``chi2`` Pearson's
        2x2 chi-square (no continuity correction); both signed (+ when relatively more frequent in the
        target). ``log_ratio`` Hardie's ``log2((a/c)/(b/d))`` with 0.5 for a zero count; ``pmi``
        ``log2(a/E1)`` (NaN when a = 0); ``simple_maths`` Kilgarriff's ``(fpm_t + k)/(fpm_r + k)`` with
        frequencies per million and ``k = smoothing``.
    min_count : int
        Keep terms with ``n_target + n_reference >= min_count``.
    count : {"tokens", "docs"}
        ``"docs"``: the document-frequency variant (a, b = briefings containing the term, c, d = briefings).
    correction : {"fdr_bh", "bonferroni", "none"}
        Multiple-testing adjustment of ``p_value`` into ``p_adjusted`` (over the kept terms).
    per : int
        Rates per this many tokens (briefings for ``count="docs"``).
    smoothing : float
        ``k`` of ``simple_maths``.
    unit, lang, phrases, stop_words
        As in :func:`count_terms`, when ``frame`` is a table.

    Returns
    -------
    DataFrame
        ``term, n_target, n_reference, rate_target, rate_reference, keyness, effect, p_value, p_adjusted``
        sorted by ``keyness`` (descending). ``effect`` is always Hardie's log ratio; ``p_value`` comes from
        the chi-square (1 df) distribution of G2 (of Pearson's chi2 for ``measure="chi2"``). Rates are per
        ``per`` tokens (per ``per`` briefings for ``count="docs"``).

    Examples
    --------
    >>> keyness(briefings, target="2020", reference="2018-2019").head(20)      # doctest: +SKIP
    """
    func = "keyness"
    require_choice(measure, MEASURES, func=func, arg="measure")
    require_choice(count, ("tokens", "docs"), func=func, arg="count")
    require_choice(correction, CORRECTIONS, func=func, arg="correction")
    tm = as_matrix(frame, unit=unit, func=func, lang=lang, phrases=phrases, stop_words=stop_words)
    in_target, in_reference = _parts(tm.rows, target, reference, func=func)
    a, c = _totals(tm, in_target, count)
    b, d = _totals(tm, in_reference, count)
    keep = (a + b) >= min_count
    table = keyness_scores(a[keep], b[keep], c, d, measure=measure, smoothing=smoothing, per=per)
    table.insert(0, "term", tm.terms[keep])
    table["p_adjusted"] = adjust_p(table["p_value"], method=correction)
    table = table.sort_values(["keyness", "term"], ascending=[False, True], na_position="last").reset_index(drop=True)
    return with_provenance(table, tm, func, target=_describe(target), reference=_describe(reference),
                           measure=measure, min_count=min_count, count=count, correction=correction)


def _parts(rows: pd.DataFrame, target, reference, *, func: str) -> tuple[np.ndarray, np.ndarray]:
    """The target and reference masks: disjoint and neither empty."""
    in_target = select_rows(rows, target, func=func, arg="target")
    in_reference = ~in_target if reference is None else select_rows(rows, reference, func=func, arg="reference")
    if (in_target & in_reference).any():
        raise ToolkitError(f"{func}(): target and reference share {(in_target & in_reference).sum()} rows; "
                           "make them disjoint.")
    if not in_target.any() or not in_reference.any():
        empty = "target" if not in_target.any() else "reference"
        raise ToolkitError(f"{func}(): the {empty} selects no rows; check its period or values.")
    return in_target, in_reference


def _describe(selection):
    """A mask, period or column selection as recorded in provenance (a mask by its number of rows)."""
    if isinstance(selection, (str, dict)) or selection is None:
        return selection
    return f"mask of {int(np.asarray(selection).sum())} rows"


def _totals(tm: TermMatrix, mask: np.ndarray, count: str) -> tuple[np.ndarray, float]:
    """Per term, its count in the ``mask`` rows and the size of that part (tokens, or briefings)."""
    part = tm.matrix[mask]
    if count == "tokens":
        return np.asarray(part.sum(axis=0)).ravel().astype(float), float(tm.rows["n_tokens"].to_numpy()[mask].sum())
    doc_ids = tm.rows.loc[mask, "doc_id"]
    return docs_with(doc_ids, part).astype(float), float(doc_ids.nunique())


def select_rows(rows: pd.DataFrame, spec, *, func: str, arg: str) -> np.ndarray:
    """Boolean mask of ``rows`` for a mask, a period string on ``date`` or ``{column: value(s)}``."""
    if isinstance(spec, str):
        start, end = _period_bounds(spec, func=func, arg=arg)
        require_columns(rows, ["date"], func=func)
        dates = pd.to_datetime(rows["date"], errors="coerce")
        return ((dates >= start) & (dates <= end)).to_numpy()
    if isinstance(spec, dict):
        require_columns(rows, list(spec), func=func, arg=arg)
        mask = np.ones(len(rows), dtype=bool)
        for column, values in spec.items():
            values = [values] if isinstance(values, str) or not isinstance(values, Iterable) else list(values)
            mask &= rows[column].isin(values).to_numpy()
        return mask
    mask = np.asarray(spec)
    if mask.dtype != bool or mask.shape != (len(rows),):
        raise ToolkitError(f"{func}(): {arg} must be a boolean mask with one value per row ({len(rows)}), a "
                           "period string like '2020' or '2018-2019', or a dict {column: value}.")
    return mask


def _period_bounds(spec: str, *, func: str, arg: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    years = _YEAR_RANGE.match(spec)
    if years:
        first, last = years.groups()
    elif ".." in spec:
        first, last = spec.split("..", 1)
    else:
        first = last = spec
    try:
        return pd.Period(first.strip()).start_time, pd.Period(last.strip()).end_time
    except (ValueError, TypeError):
        raise ToolkitError(f"{func}(): cannot read {arg}={spec!r} as a period; use '2020', '2020-03', "
                           "'2018-2019' or '2019-01..2019-06'.") from None


def plot_keyness(data: pd.DataFrame, *, n: int = 15, ax=None):
    """Diverging bars of the ``n`` most target-key and ``n`` most reference-key terms (output of :func:`keyness`).

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_columns(data, ["term", "keyness"], func="plot_keyness", arg="data")
    return diverging_bars(keyness_plot_data(data, n=n), x="keyness", hue="side", ax=ax,
                          palette={"target": "#c0392b", "reference": "#2c7fb8"})


def keyness_plot_data(data: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """The rows :func:`plot_keyness` draws: top ``n`` positive and top ``n`` negative keyness, with ``side``."""
    ranked = data.dropna(subset=["keyness"])
    top = ranked[ranked["keyness"] > 0].nlargest(n, "keyness")
    bottom = ranked[ranked["keyness"] < 0].nsmallest(n, "keyness").iloc[::-1]
    return pd.concat([top.assign(side="target"), bottom.assign(side="reference")], ignore_index=True)
