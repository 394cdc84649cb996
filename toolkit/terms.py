"""Term statistics over time: frequency with exact intervals, keyness, collocations, KWIC, dispersion, trends.

Every function takes a table (briefings, turns or sentences) or a prepared :class:`~toolkit.tokens.TermMatrix`
(``count_terms(...)``; prepare once, query many times: a query on a prepared matrix takes milliseconds).
Terms are phrases from the phrase list ("mil-to-mil ties" finds the canonical "mil-to-mil relations"),
single words, any word sequence, or regular expressions: a compiled ``re.Pattern`` or a string starting
with ``"re:"`` (case-insensitive) is matched in full against each term of the vocabulary (words and
canonical phrases), and the matching terms are counted together. :func:`kwic` matches such a regular
expression against the running text instead.

Rates are per ``per`` tokens (default 10,000). Tokens are words after phrase merging (a phrase counts as
one token), stop words included; punctuation is not a token.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from ._checks import ToolkitError, require_choice, require_columns
from .periods import TIME_FREQUENCIES, add_period, period_range
from .tokens import (
    ROW_BREAK,
    SEP,
    TermAnalyzer,
    TermMatrix,
    association,
    count_terms,
)
from .uncertainty import bootstrap_mean

SPEAKERS = {"all": None, "spokesperson": ("statement", "answer", "report"), "journalists": ("question",)}
MEASURES = ("g2", "log_ratio", "chi2", "pmi", "simple_maths")
COLLOCATION_MEASURES = ("llr", "pmi", "t", "dice")
CORRECTIONS = ("fdr_bh", "bonferroni", "none")


# ----------------------------------------------------------------------------------------- helpers
def _prepare(frame, *, unit: str, func: str, lang="auto", phrases="default", stop_words=None) -> TermMatrix:
    if isinstance(frame, TermMatrix):
        return frame
    require_columns(frame, ["doc_id", "text"], func=func)
    return count_terms(frame, unit=unit, lang=lang, phrases=phrases, stop_words=stop_words)


def _is_regex(term) -> bool:
    return isinstance(term, re.Pattern) or (isinstance(term, str) and term.startswith("re:"))


def _compile(term) -> re.Pattern:
    return term if isinstance(term, re.Pattern) else re.compile(term[3:], re.IGNORECASE)


def _label(term) -> str:
    return f"re:{term.pattern}" if isinstance(term, re.Pattern) else str(term)


def term_counts(tm: TermMatrix, term, *, func: str = "term_frequency") -> np.ndarray:
    """Count of ``term`` in every row of ``tm`` (phrase, word, word sequence or regular expression)."""
    if _is_regex(term):
        pattern = _compile(term)
        columns = [i for i, t in enumerate(tm.terms) if pattern.fullmatch(t)]
        return np.asarray(tm.csc[:, columns].sum(axis=1)).ravel().astype(np.int64)
    if not isinstance(term, str):
        raise ToolkitError(f"{func}(): a term must be a string or a compiled regular expression, got {term!r}.")
    tokens = tm.analyzer.tokens(term)
    if not tokens:
        raise ToolkitError(f"{func}(): term {term!r} holds no word; give a word, a phrase or 're:<regex>'.")
    column = tm.vocabulary.get(tokens[0]) if len(tokens) == 1 else None
    if column is not None:
        return tm.csc[:, column].toarray().ravel().astype(np.int64)
    if tm.token_text is None:
        raise ToolkitError(f"{func}(): {term!r} is not in the matrix vocabulary and the matrix keeps no token "
                           "text; build it with toolkit.count_terms().")
    needle = re.compile(re.escape(SEP + SEP.join(tokens)) + f"(?={SEP})")
    return np.fromiter((len(needle.findall(text)) for text in tm.token_text), np.int64, len(tm.token_text))


def _as_list(terms, *, func: str) -> list:
    if isinstance(terms, (str, re.Pattern)):
        return [terms]
    if not isinstance(terms, Iterable) or not list(terms):
        raise ToolkitError(f"{func}(): terms must be a string, a regular expression or a non-empty list of them, "
                           f"got {terms!r}.")
    return list(terms)


def _speaker_mask(rows: pd.DataFrame, speaker: str, *, func: str) -> np.ndarray:
    require_choice(speaker, SPEAKERS, func=func, arg="speaker")
    if SPEAKERS[speaker] is None:
        return np.ones(len(rows), dtype=bool)
    if "role" not in rows.columns:
        raise ToolkitError(f"{func}(): speaker={speaker!r} needs the turns' 'role' column; pass turns or "
                           "briefings with unit='turn' (or a TermMatrix built with count_terms(unit='turn')).")
    return rows["role"].isin(SPEAKERS[speaker]).to_numpy()


def _doc_codes(rows: pd.DataFrame) -> np.ndarray:
    return pd.factorize(rows["doc_id"])[0]


def poisson_interval(n, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval for counts ``n``: chi2(a/2, 2n)/2 .. chi2(1-a/2, 2n+2)/2."""
    n = np.asarray(n, dtype=float)
    alpha = 1 - level
    low = np.where(n > 0, stats.chi2.ppf(alpha / 2, 2 * n) / 2, 0.0)
    high = stats.chi2.ppf(1 - alpha / 2, 2 * n + 2) / 2
    return low, high


def adjust_p(p_values, *, method: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh") -> np.ndarray:
    """Benjamini-Hochberg FDR or Bonferroni adjusted p-values (NaN stays NaN, not counted as a test)."""
    require_choice(method, CORRECTIONS, func="adjust_p", arg="correction")
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = ok.sum()
    if method == "none" or m == 0:
        return p.copy()
    if method == "bonferroni":
        out[ok] = np.minimum(p[ok] * m, 1.0)
        return out
    values = p[ok]
    order = np.argsort(values)
    scaled = values[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(scaled[::-1])[::-1]
    result = np.empty(m)
    result[order] = np.minimum(adjusted, 1.0)
    out[ok] = result
    return out


# ----------------------------------------------------------------------------------------- frequency
def term_frequency(frame, terms, *, by: str = "month", per: int = 10_000,
                   unit: Literal["turn", "doc", "sentence"] = "turn",
                   speaker: Literal["all", "spokesperson", "journalists"] = "all", level: float = 0.95,
                   ci: Literal["poisson", "bootstrap"] = "poisson", n_boot: int = 1000, random_state: int | None = None,
                   lang: Literal["auto", "en", "zh"] = "auto", phrases="default") -> pd.DataFrame:
    """Frequency of terms per period (or per group), with exact Poisson intervals and explicit zero rows.

    Parameters
    ----------
    frame : DataFrame or TermMatrix
        Briefings/turns/sentences, or a prepared ``count_terms(...)`` matrix (fast: use it for many queries).
    terms : str, re.Pattern or list of them
        Phrases ("mil-to-mil relations" or any listed variant), words, word sequences, or regular expressions
        (``re.compile(...)`` or ``"re:hegemon.*"``, matched in full against the vocabulary).
    by : str
        ``"day" | "week" | "month" | "quarter" | "year"`` or any column (``"spokesperson"``, ``"role"``).
    per : int
        Rates per this many tokens.
    unit : {"turn", "doc", "sentence"}
        Row unit when ``frame`` is a table (``speaker`` needs turns).
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

    Returns
    -------
    DataFrame
        ``term, period, n, n_docs, n_words, rate, ci_low, ci_high``: one row per term and per period from
        the first to the last period of the corpus (gaps included), so absent terms show ``n = 0``.
        ``n_docs`` = briefings with the term, ``n_words`` = tokens in the period, ``rate = n / n_words * per``.
        ``ci_low``/``ci_high``: by default the exact Poisson (Garwood) interval for the count,
        ``chi2.ppf(a/2, 2n)/2`` and ``chi2.ppf(1-a/2, 2n+2)/2``, scaled like the rate (see ``ci``). A period without any text has ``n_words = 0``
        and NaN rate. Rows without a date are left out of time periods.

    Examples
    --------
    >>> tm = count_terms(briefings, unit="turn", stop_words=None)                        # doctest: +SKIP
    >>> term_frequency(tm, ["mil-to-mil relations", "re:hegemon.*"], by="quarter", speaker="spokesperson")
    ... # doctest: +SKIP
    """
    func = "term_frequency"
    require_choice(ci, ("poisson", "bootstrap"), func=func, arg="ci")
    tm = _prepare(frame, unit=unit, func=func, lang=lang, phrases=phrases)
    keep = _speaker_mask(tm.rows, speaker, func=func)
    periods, codes = _period_codes(tm, by, func=func)
    codes = np.where(keep, codes, -1)
    valid = codes >= 0
    n_periods = len(periods)
    n_words = np.bincount(codes[valid], weights=tm.rows["n_tokens"].to_numpy()[valid], minlength=n_periods)
    docs = _doc_codes(tm.rows)
    tables = []
    for term in _as_list(terms, func=func):
        counts = term_counts(tm, term, func=func)
        n = np.bincount(codes[valid], weights=counts[valid], minlength=n_periods).astype(np.int64)
        hit = valid & (counts > 0)
        pairs = np.unique(np.stack([codes[hit], docs[hit]]), axis=1) if hit.any() else np.zeros((2, 0), int)
        n_docs = np.bincount(pairs[0], minlength=n_periods)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(n_words > 0, per / n_words, np.nan)
        if ci == "poisson":
            low, high = poisson_interval(n, level=level)
            low, high = low * scale, high * scale
        else:
            low, high = _bootstrap_interval(tm, counts, codes, valid, n_periods, per=per, level=level,
                                            n_boot=n_boot, random_state=random_state)
        tables.append(pd.DataFrame({"term": _label(term), "period": periods, "n": n, "n_docs": n_docs,
                                    "n_words": n_words.astype(np.int64), "rate": n * scale,
                                    "ci_low": low, "ci_high": high}))
    return _with_provenance(pd.concat(tables, ignore_index=True), tm, func, by=by, per=per, speaker=speaker,
                            level=level, ci=ci, n_boot=n_boot, random_state=random_state)


def _bootstrap_interval(tm: TermMatrix, counts, codes, valid, n_periods: int, *, per, level, n_boot, random_state):
    """Briefing-cluster bootstrap interval of the rate per period (NaN where a period has no text)."""
    sizes = tm.rows["n_tokens"].to_numpy()
    use = valid & (sizes > 0)
    table = pd.DataFrame({"code": codes[use], "doc_id": tm.rows["doc_id"].to_numpy()[use],
                          "value": counts[use] / sizes[use] * per, "weight": sizes[use]})
    result = bootstrap_mean(table, value="value", group="code", weight="weight", n_boot=n_boot, level=level,
                            random_state=random_state, func="term_frequency")
    low, high = np.full(n_periods, np.nan), np.full(n_periods, np.nan)
    low[result["code"].to_numpy()] = result["ci_low"].to_numpy()
    high[result["code"].to_numpy()] = result["ci_high"].to_numpy()
    return low, high


def _with_provenance(table: pd.DataFrame, tm: TermMatrix, func: str, **parameters) -> pd.DataFrame:
    """``table`` with ``attrs["provenance"]``: the matrix's record plus this call's function and options."""
    table.attrs["provenance"] = {**tm.provenance, "function": func, "options": parameters}
    return table


def _period_codes(tm: TermMatrix, by: str, *, func: str) -> tuple[pd.Index, np.ndarray]:
    """All periods (gaps included) and each row's period position (-1: no date). Cached on the matrix."""
    cache = tm.cache
    if ("period", by) not in cache:
        with_period = add_period(tm.rows, by=by, func=func)["period"]
        periods = period_range(with_period, by=by)
        codes = periods.get_indexer(with_period) if len(periods) else np.full(len(with_period), -1)
        cache[("period", by)] = (periods, np.asarray(codes, dtype=np.int64))
    return cache[("period", by)]


def plot_term_trend(data: pd.DataFrame, *, ax=None, band: bool = True):
    """Rate of each term over periods (output of :func:`term_frequency`) with CI bands; zero periods drawn.

    Returns the matplotlib Axes; one line (markers at every period, zeros included) per term.
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    require_columns(data, ["term", "period", "rate", "ci_low", "ci_high"], func="plot_term_trend", arg="data")
    ax = ax or plt.subplots(figsize=(9, 4))[1]
    table = data.assign(x=_plot_x(data["period"]))
    sns.lineplot(data=table, x="x", y="rate", hue="term", marker="o", estimator=None, errorbar=None, ax=ax)
    if band:
        for term, group in table.groupby("term", sort=False):
            ax.fill_between(group["x"], group["ci_low"], group["ci_high"], alpha=0.2)
    per = data.attrs.get("provenance", {}).get("options", {}).get("per")
    ax.set(xlabel="period", ylabel=f"rate per {per:,} tokens" if per else "rate")
    return ax


def _plot_x(periods: pd.Series):
    if isinstance(periods.dtype, pd.PeriodDtype):
        return periods.dt.to_timestamp()
    return periods.astype(str)


# ----------------------------------------------------------------------------------------- keyness
def keyness(frame, *, target, reference=None,
            measure: Literal["g2", "log_ratio", "chi2", "pmi", "simple_maths"] = "g2", min_count: int = 5,
            count: Literal["tokens", "docs"] = "tokens", correction: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh",
            per: int = 10_000, smoothing: float = 1.0, unit: Literal["doc", "turn", "sentence"] = "doc",
            lang: Literal["auto", "en", "zh"] = "auto", phrases="default", stop_words="default") -> pd.DataFrame:
    """Terms over- and under-used in a target part of the corpus against a reference part.

    Parameters
    ----------
    frame : DataFrame or TermMatrix
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

    Returns
    -------
    DataFrame
        ``term, n_target, n_reference, rate_target, rate_reference, keyness, effect, p_value, p_adjusted``
        sorted by ``keyness`` (descending). ``effect`` is always Hardie's log ratio; ``p_value`` comes from
        the chi-square (1 df) distribution of G2 (of Pearson's chi2 for ``measure="chi2"``). Rates are per
        ``per`` tokens (per ``per`` briefings for ``count="docs"``).
    """
    func = "keyness"
    require_choice(measure, MEASURES, func=func, arg="measure")
    require_choice(count, ("tokens", "docs"), func=func, arg="count")
    require_choice(correction, CORRECTIONS, func=func, arg="correction")
    tm = _prepare(frame, unit=unit, func=func, lang=lang, phrases=phrases, stop_words=stop_words)
    in_target = select_rows(tm.rows, target, func=func, arg="target")
    in_reference = ~in_target if reference is None else select_rows(tm.rows, reference, func=func, arg="reference")
    if (in_target & in_reference).any():
        raise ToolkitError(f"{func}(): target and reference share {(in_target & in_reference).sum()} rows; "
                           "make them disjoint.")
    if not in_target.any() or not in_reference.any():
        empty = "target" if not in_target.any() else "reference"
        raise ToolkitError(f"{func}(): the {empty} selects no rows; check its period or values.")
    a, c = _totals(tm, in_target, count)
    b, d = _totals(tm, in_reference, count)
    keep = (a + b) >= min_count
    table = keyness_scores(a[keep], b[keep], c, d, measure=measure, smoothing=smoothing, per=per)
    table.insert(0, "term", tm.terms[keep])
    table["p_adjusted"] = adjust_p(table["p_value"], method=correction)
    table = table.sort_values(["keyness", "term"], ascending=[False, True], na_position="last").reset_index(drop=True)
    return _with_provenance(table, tm, func, target=_describe(target), reference=_describe(reference),
                            measure=measure, min_count=min_count, count=count, correction=correction)


def _describe(selection):
    """A mask, period or column selection as recorded in provenance (a mask by its number of rows)."""
    if isinstance(selection, (str, dict)) or selection is None:
        return selection
    return f"mask of {int(np.asarray(selection).sum())} rows"


def _totals(tm: TermMatrix, mask: np.ndarray, count: str) -> tuple[np.ndarray, float]:
    part = tm.matrix[mask]
    if count == "tokens":
        return np.asarray(part.sum(axis=0)).ravel().astype(float), float(tm.rows["n_tokens"].to_numpy()[mask].sum())
    docs = pd.factorize(tm.rows.loc[mask, "doc_id"])[0]
    indicator = sp.csr_matrix((np.ones(len(docs)), (docs, np.arange(len(docs)))), shape=(docs.max() + 1, len(docs)))
    present = (indicator @ (part > 0).astype(np.int64)) > 0
    return np.asarray(present.sum(axis=0)).ravel().astype(float), float(docs.max() + 1)


def keyness_scores(a, b, c: float, d: float, *, measure: str = "g2", smoothing: float = 1.0,
                   per: int = 10_000) -> pd.DataFrame:
    """Keyness statistics from counts ``a`` (target), ``b`` (reference) and corpus sizes ``c``, ``d``.

    Returns ``n_target, n_reference, rate_target, rate_reference, keyness, effect, p_value`` (see
    :func:`keyness` for the formulas).
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    total = c + d
    e1, e2 = c * (a + b) / total, d * (a + b) / total
    sign = np.sign(a / c - b / d)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (_xlogx_over(a, e1) + _xlogx_over(b, e2))
        chi2 = total * (a * (d - b) - b * (c - a)) ** 2 / ((a + b) * (total - a - b) * c * d)
        effect = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
        scores = {
            "g2": sign * g2,
            "chi2": sign * chi2,
            "log_ratio": effect,
            "pmi": np.where(a > 0, np.log2(a / e1), np.nan),
            "simple_maths": (a / c * 1e6 + smoothing) / (b / d * 1e6 + smoothing),
        }
    p_value = stats.chi2.sf(chi2 if measure == "chi2" else g2, 1)
    return pd.DataFrame({"n_target": a.astype(np.int64), "n_reference": b.astype(np.int64),
                         "rate_target": a / c * per, "rate_reference": b / d * per,
                         "keyness": scores[measure], "effect": effect, "p_value": p_value})


def _xlogx_over(observed, expected):
    return np.where(observed > 0, observed * np.log(np.where(observed > 0, observed, 1) / expected), 0.0)


_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")


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
    """Diverging bars of the ``n`` most target-key and ``n`` most reference-key terms (output of :func:`keyness`)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    require_columns(data, ["term", "keyness"], func="plot_keyness", arg="data")
    table = keyness_plot_data(data, n=n)
    ax = ax or plt.subplots(figsize=(7, max(3, 0.28 * len(table))))[1]
    sns.barplot(data=table, x="keyness", y="term", hue="side", dodge=False, orient="h", ax=ax,
                palette={"target": "#c0392b", "reference": "#2c7fb8"})
    ax.axvline(0, color="black", linewidth=0.8)
    return ax


def keyness_plot_data(data: pd.DataFrame, *, n: int = 15) -> pd.DataFrame:
    """The rows :func:`plot_keyness` draws: top ``n`` positive and top ``n`` negative keyness, with ``side``."""
    ranked = data.dropna(subset=["keyness"])
    top = ranked[ranked["keyness"] > 0].nlargest(n, "keyness")
    bottom = ranked[ranked["keyness"] < 0].nsmallest(n, "keyness").iloc[::-1]
    return pd.concat([top.assign(side="target"), bottom.assign(side="reference")], ignore_index=True)


# ----------------------------------------------------------------------------------------- collocations
def collocations(frame, node, *, window: int = 5, side: Literal["both", "left", "right"] = "both",
                 measure: Literal["llr", "pmi", "t", "dice"] = "llr", min_count: int = 3, stop_words="default",
                 lang: Literal["auto", "en", "zh"] = "auto", phrases="default") -> pd.DataFrame:
    """Words and phrases that occur near ``node`` more often than chance.

    Windows never cross a row (turn/sentence/briefing) of ``frame``. For each collocate c:
    ``n`` = occurrences of c within ``window`` tokens of the node (left/right per ``side``), ``n_node`` =
    node frequency x window slots (``window`` per side), ``n_collocate`` = frequency of c, and N = all tokens.
    The 2x2 table (n, n_node, n_collocate, N) gives NLTK's ``BigramAssocMeasures`` formulas: ``llr``
    (likelihood ratio, natural log), ``pmi`` (log2), ``t`` (t-score), ``dice``. With ``window=1`` and
    ``side="right"`` the scores equal ``BigramCollocationFinder.from_words(tokens).score_ngram(measure,
    node, c)`` on the same tokens.

    Parameters
    ----------
    frame : DataFrame or TermMatrix
    node : str or re.Pattern
        A word, phrase (any listed variant) or ``"re:..."`` / compiled pattern matched against single tokens.
    stop_words : "default", None, path, DataFrame or list
        Collocates left out of the output (they still count in N and in the windows).

    Returns
    -------
    DataFrame
        ``node, collocate, n, n_left, n_right, n_node, n_collocate, expected, llr, pmi, t, dice`` sorted by
        ``measure`` (descending), collocates with ``n >= min_count``.
    """
    func = "collocations"
    require_choice(side, ("both", "left", "right"), func=func, arg="side")
    require_choice(measure, COLLOCATION_MEASURES, func=func, arg="measure")
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ToolkitError(f"{func}(): window must be a positive integer, got {window!r}.")
    analyzer, segments = _segments(frame, func=func, lang=lang, phrases=phrases)
    is_node = _node_matcher(analyzer, node, func=func)
    left, right, freq = Counter(), Counter(), Counter()
    n_node = 0
    for tokens in segments:
        freq.update(tokens)
        for i, length in is_node(tokens):
            n_node += 1
            if side != "right":
                left.update(tokens[max(0, i - window):i])
            if side != "left":
                right.update(tokens[i + length:i + length + window])
    total = sum(freq.values())
    together = left + right
    stop = set(_stop_list(stop_words, func=func))
    names = [c for c, k in together.items() if k >= min_count and c not in stop]
    columns = ["node", "collocate", "n", "n_left", "n_right", "n_node", "n_collocate", "expected",
               *COLLOCATION_MEASURES]
    if not names:
        return pd.DataFrame(columns=columns)
    slots = window * (2 if side == "both" else 1)
    n = np.array([together[c] for c in names], dtype=float)
    n_collocate = np.array([freq[c] for c in names], dtype=float)
    scores = association(n, n_node * slots, n_collocate, total)
    table = pd.DataFrame({"node": _label(node), "collocate": names, "n": n.astype(np.int64),
                          "n_left": [left[c] for c in names], "n_right": [right[c] for c in names],
                          "n_node": n_node * slots, "n_collocate": n_collocate.astype(np.int64),
                          "expected": scores["expected"], **{m: scores[m] for m in COLLOCATION_MEASURES}})
    return table[columns].sort_values([measure, "collocate"], ascending=[False, True]).reset_index(drop=True)


def _segments(frame, *, func: str, lang, phrases) -> tuple[TermAnalyzer, list[list[str]]]:
    """Token lists (stop words kept) per row, split at merged-row breaks."""
    if isinstance(frame, TermMatrix):
        texts = frame.token_text
        segments = [part.strip(SEP).split(SEP) for text in texts for part in text.split(ROW_BREAK)]
        return frame.analyzer, [s for s in segments if s != [""]]
    require_columns(frame, ["doc_id", "text"], func=func)
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=None, func=func)
    return analyzer, [analyzer.tokens(text) for text in frame["text"].to_numpy()]


def _node_matcher(analyzer: TermAnalyzer, node, *, func: str):
    """Function tokens -> [(start, length)] of the node's occurrences."""
    if _is_regex(node):
        pattern = _compile(node)
        return lambda tokens: [(i, 1) for i, t in enumerate(tokens) if pattern.fullmatch(t)]
    if not isinstance(node, str) or not analyzer.tokens(node):
        raise ToolkitError(f"{func}(): node must be a word, a phrase or 're:<regex>', got {node!r}.")
    wanted = analyzer.tokens(node)
    first, length = wanted[0], len(wanted)
    return lambda tokens: [(i, length) for i, t in enumerate(tokens)
                           if t == first and tokens[i:i + length] == wanted]


def _stop_list(stop_words, *, func: str) -> frozenset:
    from .tokens import load_stop_words

    return load_stop_words(stop_words, lang="en", func=func) | load_stop_words(stop_words, lang="zh", func=func)


def plot_collocations(data: pd.DataFrame, *, measure: str = "llr", n: int = 20, ax=None):
    """Horizontal bars of the top ``n`` collocates by ``measure`` (output of :func:`collocations`)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    require_columns(data, ["collocate", measure], func="plot_collocations", arg="data")
    table = data.nlargest(n, measure)
    ax = ax or plt.subplots(figsize=(6, max(3, 0.28 * len(table))))[1]
    sns.barplot(data=table, x=measure, y="collocate", orient="h", color="#4c72b0", ax=ax)
    if "node" in data and len(data):
        ax.set_title(f"collocates of {data['node'].iloc[0]!r}")
    return ax


# ----------------------------------------------------------------------------------------- kwic
def kwic(frame: pd.DataFrame, pattern, *, window: int = 10,
         sort: Literal["position", "left", "right", "match"] = "position", lang: Literal["auto", "en", "zh"] = "auto", phrases="default") -> pd.DataFrame:
    """Keyword in context: every occurrence of a word, phrase or regular expression with its context.

    Parameters
    ----------
    frame : DataFrame
        Briefings, turns or sentences (``doc_id``, ``text``).
    pattern : str or re.Pattern
        A word or phrase (a listed phrase finds all its variants: "mil-to-mil relations" also finds
        "Mil-to-mil relationship" and "military-to-military ties"), or a regular expression
        (``re.compile(...)``, or ``"re:..."`` case-insensitive) matched against the running text.
    window : int
        Context size in tokens on each side.
    sort : {"position", "left", "right", "match"}
        Text order, or alphabetical by the left context read leftwards from the match (as concordancers
        do), by the right context, or by the match.

    Returns
    -------
    DataFrame
        The input columns except ``text`` (doc_id, date, spokesperson, speaker, role, ...), then ``left,
        match, right, term, variant, start``: ``match`` as written in the text, ``term`` the canonical
        term (or the pattern), ``variant`` the phrase-list variant found (None for words and regexes),
        ``start`` the character offset of the match in ``text``.
    """
    func = "kwic"
    require_columns(frame, ["doc_id", "text"], func=func)
    require_choice(sort, ("position", "left", "right", "match"), func=func, arg="sort")
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=None, func=func)
    regex = _compile(pattern) if _is_regex(pattern) else None
    wanted = None if regex is not None else analyzer.tokens(pattern) if isinstance(pattern, str) else None
    if regex is None and not wanted:
        raise ToolkitError(f"{func}(): pattern must be a word, a phrase or a regular expression, got {pattern!r}.")
    records = []
    for row, text in enumerate(frame["text"].to_numpy()):
        if not isinstance(text, str) or not text:
            continue
        spans = analyzer.matchers[analyzer.language(text)].token_spans(text)
        starts, ends = [s[1] for s in spans], [s[2] for s in spans]
        hits = _regex_hits(regex, text) if regex is not None else _token_hits(spans, wanted)
        for start, end, term, variant in hits:
            first = bisect.bisect_left(ends, start + 1)       # first token overlapping the match
            after = bisect.bisect_left(starts, end)           # first token after the match
            left = text[starts[max(0, first - window)]:start] if first > 0 else ""
            right = text[end:ends[min(len(ends), after + window) - 1]] if after < len(ends) else ""
            records.append((row, " ".join(left.split()), text[start:end], " ".join(right.split()),
                            term if regex is None else _label(pattern), variant, start))
    table = pd.DataFrame(records, columns=["row", "left", "match", "right", "term", "variant", "start"])
    meta = frame.drop(columns=["text"]).iloc[table["row"].to_numpy()].reset_index(drop=True)
    table = pd.concat([meta, table.drop(columns="row")], axis=1)
    if sort == "left":
        key = table["left"].map(lambda s: " ".join(reversed(s.lower().split())))
        table = table.iloc[np.argsort(key.to_numpy(), kind="stable")]
    elif sort in ("right", "match"):
        table = table.iloc[np.argsort(table[sort].str.lower().to_numpy(), kind="stable")]
    return table.reset_index(drop=True)


def _regex_hits(regex: re.Pattern, text: str):
    return [(m.start(), m.end(), None, None) for m in regex.finditer(text) if m.end() > m.start()]


def _token_hits(spans, wanted: list[str]):
    length = len(wanted)
    tokens = [s[0] for s in spans]
    return [(spans[i][1], spans[i + length - 1][2], " ".join(wanted) if length > 1 else wanted[0], spans[i][3])
            for i, t in enumerate(tokens) if t == wanted[0] and tokens[i:i + length] == wanted]


# ----------------------------------------------------------------------------------------- dispersion
def dispersion(frame, terms, *, parts: str = "doc_id", unit: Literal["doc", "turn", "sentence"] = "doc",
               lang: Literal["auto", "en", "zh"] = "auto", phrases="default") -> pd.DataFrame:
    """How evenly terms spread over the corpus parts (briefings by default).

    Parameters
    ----------
    frame : DataFrame or TermMatrix
    terms : str, re.Pattern or list of them
    parts : str
        Column whose values are the parts (``"doc_id"``, ``"spokesperson"``) or a time frequency
        (``"month"``, ``"year"``).

    Returns
    -------
    DataFrame
        ``term, n, n_parts, n_parts_with, juilland_d, dp, dp_norm``. With part sizes s_i (tokens, as shares
        S_i of the corpus) and counts f_i (total f): Gries' ``DP = 0.5 * sum |f_i/f - S_i|`` (0 = even,
        towards 1 = clumped), ``dp_norm = DP / (1 - min S_i)`` (Lijffijt & Gries 2012); Juilland's
        ``D = 1 - V / sqrt(k - 1)`` with V the coefficient of variation (population SD / mean) of the
        relative frequencies f_i/s_i over the k parts (1 = even). NaN for a term that never occurs.
    """
    func = "dispersion"
    tm = _prepare(frame, unit=unit, func=func, lang=lang, phrases=phrases)
    periods, codes = (_period_codes(tm, parts, func=func) if parts in TIME_FREQUENCIES
                      else _column_codes(tm.rows, parts, func=func))
    valid = codes >= 0
    sizes = np.bincount(codes[valid], weights=tm.rows["n_tokens"].to_numpy()[valid], minlength=len(periods))
    present = sizes > 0
    sizes = sizes[present]
    records = []
    for term in _as_list(terms, func=func):
        counts = term_counts(tm, term, func=func)
        f = np.bincount(codes[valid], weights=counts[valid], minlength=len(periods))[present]
        records.append((_label(term), int(f.sum()), len(f), int((f > 0).sum()), *dispersion_scores(f, sizes)))
    table = pd.DataFrame(records, columns=["term", "n", "n_parts", "n_parts_with", "juilland_d", "dp", "dp_norm"])
    return _with_provenance(table, tm, func, parts=parts)


def _column_codes(rows: pd.DataFrame, column: str, *, func: str) -> tuple[pd.Index, np.ndarray]:
    require_columns(rows, [column], func=func, arg="parts")
    codes, uniques = pd.factorize(rows[column])
    return pd.Index(uniques), codes


def dispersion_scores(counts, sizes) -> tuple[float, float, float]:
    """``(juilland_d, dp, dp_norm)`` from a term's counts per part and the part sizes (see :func:`dispersion`)."""
    f, s = np.asarray(counts, dtype=float), np.asarray(sizes, dtype=float)
    if f.sum() == 0 or len(f) < 2:
        return np.nan, np.nan, np.nan
    shares = s / s.sum()
    dp = 0.5 * np.abs(f / f.sum() - shares).sum()
    relative = f / s
    d = 1 - (relative.std() / relative.mean()) / np.sqrt(len(f) - 1)
    return float(d), float(dp), float(dp / (1 - shares.min()))


def plot_dispersion(data: pd.DataFrame, *, measure: Literal["dp", "dp_norm", "juilland_d"] = "dp", ax=None):
    """Frequency (log scale) against dispersion for each term (output of :func:`dispersion`), labelled."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    require_columns(data, ["term", "n", measure], func="plot_dispersion", arg="data")
    ax = ax or plt.subplots(figsize=(6, 4))[1]
    sns.scatterplot(data=data, x="n", y=measure, ax=ax)
    for term, x, y in zip(data["term"], data["n"], data[measure]):
        ax.annotate(str(term), (x, y), fontsize=8, xytext=(3, 3), textcoords="offset points")
    if (data["n"] > 0).all() and len(data):
        ax.set_xscale("log")
    ax.set(xlabel="frequency", ylabel=measure)
    return ax


# ----------------------------------------------------------------------------------------- trends
def trending_terms(frame, *, by: Literal["year", "quarter", "month", "week", "day"] = "year",
                   min_count: int = 20, per: int = 10_000, correction: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh",
                   unit: Literal["doc", "turn", "sentence"] = "doc", lang: Literal["auto", "en", "zh"] = "auto",
                   phrases="default", stop_words="default") -> pd.DataFrame:
    """Terms whose rate rose or fell over time, with a quasi-Poisson test of the trend.

    For each term with at least ``min_count`` occurrences, a Poisson regression over the rows (briefings
    by default) ``log E[count] = log(tokens) + a + b * t``, t = the row's period index (0 for the first
    period, 1 for the next ``by`` step...), fitted by Newton-Raphson. The trend test is the quasi-Poisson
    F test of the deviance drop against the model without slope, ``F = (D0 - D1) / phi`` with
    ``phi = max(1, Pearson X2 / (rows - 2))`` (overdispersion from bursty use), on (1, rows - 2) df.

    Returns
    -------
    DataFrame
        ``term, n, n_docs, slope, rate_ratio, statistic, p_value, p_adjusted, rate_first, rate_last,
        direction``: ``slope`` = change of log rate per ``by`` step, ``rate_ratio = exp(slope)`` (x per step;
        it diverges - very large/small - when a term occurs only in the last or only in the first periods),
        ``statistic`` the F statistic, rates per ``per`` tokens in the first and last period, ``direction``
        "rising"/"falling". Sorted by the signed statistic: the strongest rises first, the strongest falls
        last.
    """
    func = "trending_terms"
    require_choice(by, tuple(TIME_FREQUENCIES), func=func, arg="by")
    require_choice(correction, CORRECTIONS, func=func, arg="correction")
    tm = _prepare(frame, unit=unit, func=func, lang=lang, phrases=phrases, stop_words=stop_words)
    _, codes = _period_codes(tm, by, func=func)
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
        "n_docs": _docs_with(tm.rows[rows], counts[:, keep]),
        "slope": slope, "rate_ratio": np.exp(slope), "statistic": statistic, "p_value": p_value,
        "p_adjusted": adjust_p(p_value, method=correction),
        "rate_first": y[:, first].sum(axis=1) / lengths[first].sum() * per,
        "rate_last": y[:, last].sum(axis=1) / lengths[last].sum() * per,
        "direction": np.where(slope > 0, "rising", "falling"),
    })
    order = np.lexsort((table["term"].to_numpy(), -np.sign(slope) * statistic))
    return _with_provenance(table.iloc[order].reset_index(drop=True), tm, func, by=by, min_count=min_count,
                            correction=correction)


def _docs_with(rows: pd.DataFrame, counts) -> np.ndarray:
    docs = pd.factorize(rows["doc_id"])[0]
    indicator = sp.csr_matrix((np.ones(len(docs)), (docs, np.arange(len(docs)))), shape=(docs.max() + 1, len(docs)))
    return np.asarray(((indicator @ (counts > 0).astype(np.int64)) > 0).sum(axis=0)).ravel()


def quasi_poisson_trend(y: np.ndarray, t: np.ndarray, exposure: np.ndarray, *, iterations: int = 50
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slope, F statistic and p-value of ``log E[y] = log(exposure) + a + b t`` for each row of ``y``.

    Newton-Raphson on the Poisson log-likelihood, vectorised over terms (rows of ``y``); the test is the
    quasi-Poisson F test described in :func:`trending_terms`.
    """
    y = np.atleast_2d(y)
    offset = np.log(exposure)
    n_obs = y.shape[1]
    a = np.log(y.sum(axis=1) / exposure.sum())
    b = np.zeros(len(y))
    spread = max(np.ptp(t), 1.0)
    for _ in range(iterations):
        mu = np.exp(a[:, None] + b[:, None] * t + offset)
        resid = y - mu
        g0, g1 = resid.sum(axis=1), (resid * t).sum(axis=1)
        h00, h01, h11 = mu.sum(axis=1), (mu * t).sum(axis=1), (mu * t * t).sum(axis=1)
        det = h00 * h11 - h01 ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            step_b = np.nan_to_num((h00 * g1 - h01 * g0) / det)
        step_b = np.clip(step_b, -3 / spread, 3 / spread)
        b = b + step_b
        a = np.log(y.sum(axis=1)) - np.log((np.exp(b[:, None] * t + offset)).sum(axis=1))   # exact given b
        if np.abs(step_b).max() * spread < 1e-10:
            break
    mu = np.exp(a[:, None] + b[:, None] * t + offset)
    mu0 = y.sum(axis=1, keepdims=True) * exposure / exposure.sum()
    deviance = 2 * (_xlogx_over(y, mu) - (y - mu)).sum(axis=1)
    deviance0 = 2 * (_xlogx_over(y, mu0) - (y - mu0)).sum(axis=1)
    phi = np.maximum(((y - mu) ** 2 / mu).sum(axis=1) / (n_obs - 2), 1.0)
    statistic = np.maximum(deviance0 - deviance, 0.0) / phi
    return b, statistic, stats.f.sf(statistic, 1, n_obs - 2)


def plot_trending_terms(data: pd.DataFrame, *, n: int = 10, ax=None):
    """Bars of the slopes of the ``n`` most rising and ``n`` most falling terms (output of :func:`trending_terms`)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    require_columns(data, ["term", "slope", "direction"], func="plot_trending_terms", arg="data")
    table = pd.concat([data.nlargest(n, "slope"), data.nsmallest(n, "slope").iloc[::-1]]).drop_duplicates("term")
    ax = ax or plt.subplots(figsize=(7, max(3, 0.28 * len(table))))[1]
    sns.barplot(data=table, x="slope", y="term", hue="direction", dodge=False, orient="h", ax=ax)
    ax.axvline(0, color="black", linewidth=0.8)
    return ax
