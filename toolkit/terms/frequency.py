"""Term frequency over time: counts of a term per row (:func:`term_counts`), rates per period with exact or
bootstrap intervals (:func:`term_frequency`), terms rising or falling (:func:`trending_terms`), and their
plots (:func:`plot_term_trend`, :func:`plot_trending_terms`).

A term is a phrase (any listed variant finds its canonical term), a word, a word sequence, or a regular
expression (a compiled ``re.Pattern`` or ``"re:..."``, case-insensitive) matched in full against each term
of the vocabulary, the matching terms counted together. Rates are per ``per`` tokens (default 10,000):
tokens are words after phrase merging (a phrase counts as one token), stop words included; punctuation is
not a token.
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_choice, require_columns
from ..figure_style import legend_beside
from ..periods import TIME_FREQUENCIES, coverage_of, draw_periods, limit_to_full_periods, period_x, with_coverage
from ..uncertainty import bootstrap_mean
from ._plots import diverging_bars
from ._queries import as_list, as_regex, is_regex, label, term_tokens
from ._stats import CORRECTIONS, adjust_p, poisson_interval, quasi_poisson_trend
from .matrix import TermMatrix, as_matrix, docs_with, period_codes, with_provenance

SPEAKERS = {"all": None, "spokesperson": ("statement", "answer", "report"), "journalists": ("question",)}


def term_counts(tm: TermMatrix, term, *, func: str = "term_frequency") -> np.ndarray:
    """Count of ``term`` in every row of ``tm`` (phrase, word, word sequence or regular expression).

    Parameters
    ----------
    tm : TermMatrix
        A prepared matrix (:func:`count_terms`).
    term : str or re.Pattern
        As in :func:`term_frequency`; a word sequence outside the vocabulary is counted in the token text.
    func : str
        The calling public function, for error messages.

    Returns
    -------
    numpy.ndarray
        One integer count per row of ``tm.rows``.
    """
    if is_regex(term):
        pattern = as_regex(term)
        columns = [i for i, t in enumerate(tm.terms) if pattern.fullmatch(t)]
        return np.asarray(tm.csc[:, columns].sum(axis=1)).ravel().astype(np.int64)
    tokens = term_tokens(tm.analyzer, term, func=func, arg="term")
    column = tm.vocabulary.get(tokens[0]) if len(tokens) == 1 else None
    if column is not None:
        return tm.csc[:, column].toarray().ravel().astype(np.int64)
    if tm.tokens is None:
        raise ToolkitError(f"{func}(): {term!r} is not in the matrix vocabulary and the matrix keeps no token "
                           "text; build it with toolkit.count_terms().")
    return tm.count_sequence(tokens)


# ----------------------------------------------------------------------------------------- frequency
def term_frequency(frame, terms, *, by: str = "month", per: int = 10_000,
                   unit: Literal["turn", "doc", "sentence"] | None = None,
                   speaker: Literal["all", "spokesperson", "journalists"] = "all", level: float = 0.95,
                   ci: Literal["poisson", "bootstrap"] = "poisson", n_boot: int = 1000, random_state: int | None = None,
                   lang: Literal["auto", "en", "zh"] = "auto", phrases="default") -> pd.DataFrame:
    """Frequency of terms per period (or per group), with exact Poisson intervals and explicit zero rows.

    Parameters
    ----------
    frame : DataFrame or TermMatrix
        Briefings, turns or sentences, or a prepared ``count_terms(...)`` matrix (fast: use it for many
        queries). A table coarser than ``unit`` is an error: split it first.
    terms : str, re.Pattern or list of them
        Phrases ("mil-to-mil relations" or any listed variant), words, word sequences, or regular expressions
        (``re.compile(...)`` or ``"re:hegemon.*"``, matched in full against the vocabulary).
    by : str
        ``"day" | "week" | "month" | "quarter" | "year"`` or any column (``"spokesperson"``, ``"role"``).
    per : int
        Rates per this many tokens.
    unit : {"turn", "doc", "sentence"}, optional
        Row unit when ``frame`` is a table; by default the table's own (``speaker`` needs turns).
    speaker : {"all", "spokesperson", "journalists"}
        ``"spokesperson"`` keeps the spokesperson's words (roles statement, answer, report), ``"journalists"``
        the questions.
    level : float
        Confidence level of the interval.
    ci : {"poisson", "bootstrap"}
        ``"poisson"``: exact Poisson (Garwood) interval of the count - fast, but it treats every token as
        independent, so it is too narrow for bursty terms (a topic discussed at length in one briefing).
        ``"bootstrap"``: percentile bootstrap resampling whole briefings within each period
        (:func:`toolkit.uncertainty.bootstrap_mean`, ``n_boot`` replicates, ``random_state``); honest
        about burstiness, but gives [0, 0] for a period where the term never occurs.
    n_boot, random_state
        Bootstrap replicates and seed (``ci="bootstrap"``); the same seed gives the same interval.
    lang, phrases
        As in :func:`tokenize`, when ``frame`` is a table.

    Returns
    -------
    DataFrame
        ``term, period, n, n_docs, n_words, rate, ci_low, ci_high``: one row per term and per period from
        the first to the last period of the corpus (gaps included), so absent terms show ``n = 0``.
        ``n_docs`` = briefings with the term, ``n_words`` = tokens in the period, ``rate = n / n_words * per``.
        ``ci_low``/``ci_high``: by default the exact Poisson (Garwood) interval for the count,
        ``chi2.ppf(a/2, 2n)/2`` and ``chi2.ppf(1-a/2, 2n+2)/2``, scaled like the rate (see ``ci``). A period
        without any text has ``n_words = 0`` and NaN rate. Rows without a date are left out of time periods.
        Then, for a time ``by`` only (absent for a column ``by``), ``period_start, period_end, days_covered,
        partial`` (:func:`toolkit.periods.period_coverage` between the first and last date of the rows:
        ``partial`` when the corpus covers only part of the period), and always ``low_count``
        (``n < 5``: fewer than five occurrences of the term in the period).

    Examples
    --------
    >>> tm = count_terms(toolkit.split_turns(briefings), unit="turn", stop_words=None)   # doctest: +SKIP
    >>> term_frequency(tm, ["mil-to-mil relations", "re:hegemon.*"], by="quarter", speaker="spokesperson")
    ... # doctest: +SKIP
    """
    func = "term_frequency"
    require_choice(ci, ("poisson", "bootstrap"), func=func, arg="ci")
    tm = as_matrix(frame, unit=unit, func=func, lang=lang, phrases=phrases)
    keep = _speaker_mask(tm.rows, speaker, func=func)
    periods, codes = period_codes(tm, by, func=func)
    codes = np.where(keep, codes, -1)
    valid = codes >= 0
    n_words = np.bincount(codes[valid], weights=tm.rows["n_tokens"].to_numpy()[valid], minlength=len(periods))
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(n_words > 0, per / n_words, np.nan)
    docs = pd.factorize(tm.rows["doc_id"])[0]
    tables = []
    for term in as_list(terms, func=func):
        counts = term_counts(tm, term, func=func)
        n = np.bincount(codes[valid], weights=counts[valid], minlength=len(periods)).astype(np.int64)
        if ci == "poisson":
            low, high = (bound * scale for bound in poisson_interval(n, level=level))
        else:
            low, high = _bootstrap_interval(tm, counts, codes, len(periods), per=per, level=level, n_boot=n_boot,
                                            random_state=random_state)
        tables.append(pd.DataFrame({"term": label(term), "period": periods, "n": n,
                                    "n_docs": _docs_per_period(docs, counts, codes, len(periods)),
                                    "n_words": n_words.astype(np.int64), "rate": n * scale,
                                    "ci_low": low, "ci_high": high}))
    if ("coverage", by) not in tm.cache:
        tm.cache[("coverage", by)] = coverage_of(periods, by=by, dates=tm.rows.get("date"))
    table = with_coverage(pd.concat(tables, ignore_index=True), by=by, dates=tm.rows.get("date"), n="n",
                          coverage=tm.cache[("coverage", by)])
    return with_provenance(table, tm, func, by=by, per=per, speaker=speaker, level=level, ci=ci, n_boot=n_boot,
                           random_state=random_state)


def _speaker_mask(rows: pd.DataFrame, speaker: str, *, func: str) -> np.ndarray:
    """Rows of the chosen speakers (by ``role``); every row for ``speaker="all"``."""
    require_choice(speaker, SPEAKERS, func=func, arg="speaker")
    if SPEAKERS[speaker] is None:
        return np.ones(len(rows), dtype=bool)
    if "role" not in rows.columns:
        raise ToolkitError(f"{func}(): speaker={speaker!r} needs the turns' 'role' column; pass turns or "
                           "briefings with unit='turn' (or a TermMatrix built with count_terms(unit='turn')).")
    return rows["role"].isin(SPEAKERS[speaker]).to_numpy()


def _docs_per_period(docs, counts, codes, n_periods: int) -> np.ndarray:
    """Per period, the number of briefings (row codes ``docs``) whose rows (``codes`` >= 0) hold the term."""
    hit = (codes >= 0) & (counts > 0)
    pairs = np.unique(np.stack([codes[hit], docs[hit]]), axis=1) if hit.any() else np.zeros((2, 0), int)
    return np.bincount(pairs[0], minlength=n_periods)


def _bootstrap_interval(tm: TermMatrix, counts, codes, n_periods: int, *, per, level, n_boot, random_state):
    """Briefing-cluster bootstrap interval of the rate per period (NaN where a period has no text)."""
    sizes = tm.rows["n_tokens"].to_numpy()
    use = (codes >= 0) & (sizes > 0)
    table = pd.DataFrame({"code": codes[use], "doc_id": tm.rows["doc_id"].to_numpy()[use],
                          "value": counts[use] / sizes[use] * per, "weight": sizes[use]})
    result = bootstrap_mean(table, value="value", group="code", weight="weight", n_boot=n_boot, level=level,
                            random_state=random_state, func="term_frequency")
    low, high = np.full(n_periods, np.nan), np.full(n_periods, np.nan)
    low[result["code"].to_numpy()] = result["ci_low"].to_numpy()
    high[result["code"].to_numpy()] = result["ci_high"].to_numpy()
    return low, high


def plot_term_trend(data: pd.DataFrame, *, ax=None, band: bool = True):
    """Rate of each term over periods (output of :func:`term_frequency`) with CI bands; zero periods drawn.

    Partial periods (the ``partial`` column) are drawn hollow and dashed, with a dotted interval, and the
    y-limits come from the full periods only (:func:`toolkit.periods.draw_periods`).

    Returns
    -------
    matplotlib.axes.Axes
        One line per term (labelled with the term, markers at every full period, zeros included); partial
        periods add a ``_partial`` line (and ``_partial interval``).
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    require_columns(data, ["term", "period", "rate", "ci_low", "ci_high"], func="plot_term_trend", arg="data")
    ax = ax or plt.subplots(figsize=(9, 4))[1]
    table = data.assign(x=period_x(data["period"]))
    palette = sns.color_palette(n_colors=table["term"].nunique())
    for colour, (term, group) in zip(palette, table.groupby("term", sort=False)):
        draw_periods(ax, group, x="x", y="rate", interval=("ci_low", "ci_high") if band else None, label=term,
                     color=colour)
    limit_to_full_periods(ax, table, ["rate", "ci_low", "ci_high"] if band else ["rate"])
    per = data.attrs.get("provenance", {}).get("options", {}).get("per")
    ax.set(xlabel="period", ylabel=f"rate per {per:,} tokens" if per else "rate")
    if len(table):
        legend_beside(ax, title="term")
    return ax


# ----------------------------------------------------------------------------------------- trends
def trending_terms(frame, *, by: Literal["year", "quarter", "month", "week", "day"] = "year",
                   min_count: int = 20, per: int = 10_000,
                   correction: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh",
                   unit: Literal["doc", "turn", "sentence"] = "doc", lang: Literal["auto", "en", "zh"] = "auto",
                   phrases="default", stop_words="default") -> pd.DataFrame:
    """Terms whose rate rose or fell over time, with a quasi-Poisson test of the trend.

    For each term with at least ``min_count`` occurrences, a Poisson regression over the rows (briefings
    by default) ``log E[count] = log(tokens) + a + b * t``, t = the row's period index (0 for the first
    period, 1 for the next ``by`` step...), fitted by Newton-Raphson. The trend test is the quasi-Poisson
    F test of the deviance drop against the model without slope, ``F = (D0 - D1) / phi`` with
    ``phi = max(1, Pearson X2 / (rows - 2))`` (overdispersion from bursty use), on (1, rows - 2) df.

    Parameters
    ----------
    frame : DataFrame or TermMatrix
        Briefings, turns or sentences, or a prepared ``count_terms(...)`` matrix.
    by : {"year", "quarter", "month", "week", "day"}
        The time step of ``t``.
    min_count : int
        Test terms with at least this many occurrences.
    per : int
        Rates per this many tokens.
    correction : {"fdr_bh", "bonferroni", "none"}
        Multiple-testing adjustment of ``p_value`` into ``p_adjusted``.
    unit, lang, phrases, stop_words
        As in :func:`count_terms`, when ``frame`` is a table.

    Returns
    -------
    DataFrame
        ``term, n, n_docs, slope, rate_ratio, statistic, p_value, p_adjusted, rate_first, rate_last,
        direction``: ``slope`` = change of log rate per ``by`` step, ``rate_ratio = exp(slope)`` (x per step;
        it diverges - very large/small - when a term occurs only in the last or only in the first periods),
        ``statistic`` the F statistic, rates per ``per`` tokens in the first and last period, ``direction``
        "rising"/"falling". Sorted by the signed statistic: the strongest rises first, the strongest falls
        last.

    Examples
    --------
    >>> trending_terms(briefings, by="year", min_count=30).head()            # doctest: +SKIP
    """
    func = "trending_terms"
    require_choice(by, tuple(TIME_FREQUENCIES), func=func, arg="by")
    require_choice(correction, CORRECTIONS, func=func, arg="correction")
    tm = as_matrix(frame, unit=unit, func=func, lang=lang, phrases=phrases, stop_words=stop_words)
    _, codes = period_codes(tm, by, func=func)
    lengths = tm.rows["n_tokens"].to_numpy().astype(float)
    rows = (codes >= 0) & (lengths > 0)
    if len(np.unique(codes[rows])) < 2:
        raise ToolkitError(f"{func}(): the rows span fewer than two {by} periods; use a finer 'by'.")
    counts = tm.csc[rows]
    totals = np.asarray(counts.sum(axis=0)).ravel()
    keep = np.flatnonzero(totals >= min_count)
    y = counts[:, keep].toarray().T.astype(float)                      # terms x rows
    t, lengths = codes[rows].astype(float), lengths[rows]
    slope, statistic, p_value = quasi_poisson_trend(y, t, lengths)
    first, last = codes[rows] == codes[rows].min(), codes[rows] == codes[rows].max()
    table = pd.DataFrame({
        "term": tm.terms[keep], "n": totals[keep].astype(np.int64),
        "n_docs": docs_with(tm.rows.loc[rows, "doc_id"], counts[:, keep]),
        "slope": slope, "rate_ratio": np.exp(slope), "statistic": statistic, "p_value": p_value,
        "p_adjusted": adjust_p(p_value, method=correction),
        "rate_first": y[:, first].sum(axis=1) / lengths[first].sum() * per,
        "rate_last": y[:, last].sum(axis=1) / lengths[last].sum() * per,
        "direction": np.where(slope > 0, "rising", "falling"),
    })
    order = np.lexsort((table["term"].to_numpy(), -np.sign(slope) * statistic))
    return with_provenance(table.iloc[order].reset_index(drop=True), tm, func, by=by, min_count=min_count,
                           correction=correction)


def plot_trending_terms(data: pd.DataFrame, *, n: int = 10, ax=None):
    """Bars of the slopes of the ``n`` most rising and ``n`` most falling terms (output of :func:`trending_terms`).

    Returns
    -------
    matplotlib.axes.Axes
    """
    require_columns(data, ["term", "slope", "direction"], func="plot_trending_terms", arg="data")
    table = pd.concat([data.nlargest(n, "slope"), data.nsmallest(n, "slope").iloc[::-1]]).drop_duplicates("term")
    return diverging_bars(table, x="slope", hue="direction", ax=ax)
