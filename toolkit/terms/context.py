"""Where terms occur: keyword in context (:func:`kwic`), words near a node (:func:`collocations`) and how
evenly a term spreads over the corpus (:func:`dispersion`), with their plots (:func:`plot_collocations`,
:func:`plot_dispersion`). The association and dispersion formulas are in :mod:`toolkit.terms._stats`.
"""
from __future__ import annotations

import bisect
from collections import Counter
from functools import partial
from typing import Literal

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_choice, require_columns
from ..periods import TIME_FREQUENCIES
from ._plots import bar_axes
from ._queries import as_list, as_regex, find_sequence, is_regex, label, term_tokens
from ._stats import association, dispersion_scores
from ._units import frame_unit
from .frequency import term_counts
from .lexicons import stop_words_by_lang
from .matrix import TermMatrix, as_matrix, period_codes, with_provenance
from .memo import prepared
from .tokens import TermAnalyzer

COLLOCATION_MEASURES = ("llr", "pmi", "t", "dice")
COLLOCATION_COLUMNS = ["node", "collocate", "n", "n_left", "n_right", "n_node", "n_collocate", "expected",
                       *COLLOCATION_MEASURES]


# ----------------------------------------------------------------------------------------- kwic
def kwic(frame: pd.DataFrame, pattern, *, window: int = 10,
         sort: Literal["position", "left", "right", "match"] = "position", lang: Literal["auto", "en", "zh"] = "auto",
         phrases="default") -> pd.DataFrame:
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
    lang, phrases
        As in :func:`tokenize`.

    Returns
    -------
    DataFrame
        The input columns except ``text`` (doc_id, date, spokesperson, speaker, role, ...), then ``left,
        match, right, term, variant, start``: ``match`` as written in the text, ``term`` the canonical
        term (or the pattern), ``variant`` the phrase-list variant found (None for words and regexes),
        ``start`` the character offset of the match in ``text``.

    Examples
    --------
    >>> kwic(turns, "Cold War mentality", window=8, sort="left")[["left", "match", "right"]]   # doctest: +SKIP
    """
    func = "kwic"
    require_columns(frame, ["doc_id", "text"], func=func)
    require_choice(sort, ("position", "left", "right", "match"), func=func, arg="sort")
    texts = frame["text"].to_numpy()
    if is_regex(pattern):
        analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=None, func=func)
        regex = as_regex(pattern)
        find = partial(_regex_hits, regex=regex, term=label(pattern))
        candidates = (row for row, text in enumerate(texts) if isinstance(text, str) and regex.search(text))
    else:
        tm = _prepared(frame, lang=lang, phrases=phrases)
        analyzer = tm.analyzer if tm is not None else TermAnalyzer(lang=lang, phrases=phrases, stop_words=None,
                                                                   func=func)
        wanted = term_tokens(analyzer, pattern, func=func, arg="pattern")
        find = partial(_token_hits, wanted=wanted)
        candidates = range(len(texts)) if tm is None else _rows_with(tm, wanted)
    records = []
    for row in candidates:
        text = texts[row]
        if isinstance(text, str) and text:
            spans = analyzer.matchers[analyzer.language(text)].token_spans(text)
            records += [(row, *line) for line in _lines(text, spans, find(text, spans), window)]
    table = pd.DataFrame(records, columns=["row", "left", "match", "right", "term", "variant", "start"])
    meta = frame.drop(columns=["text"]).iloc[table["row"].to_numpy()].reset_index(drop=True)
    return _sorted_lines(pd.concat([meta, table.drop(columns="row")], axis=1), sort)


def _prepared(frame: pd.DataFrame, *, lang, phrases) -> TermMatrix | None:
    """The memo's matrix of ``frame`` at its own unit with every token (None when no row has a term)."""
    try:
        return prepared(frame, unit=frame_unit(frame), lang=lang, phrases=phrases, stop_words=None)
    except ToolkitError:
        return None


def _rows_with(tm: TermMatrix, wanted: list[str]) -> list[int]:
    """The rows whose tokens hold the sequence ``wanted`` (counted in the matrix's token store)."""
    return np.flatnonzero(tm.count_sequence(wanted)).tolist()


def _regex_hits(text: str, spans, *, regex, term: str) -> list[tuple[int, int, str, None]]:
    """``(start, end, term, None)`` of every non-empty match of ``regex`` in ``text``."""
    return [(m.start(), m.end(), term, None) for m in regex.finditer(text) if m.end() > m.start()]


def _token_hits(text: str, spans, *, wanted: list[str]) -> list[tuple[int, int, str, str | None]]:
    """``(start, end, term, listed variant)`` of every occurrence of the token sequence ``wanted``."""
    length = len(wanted)
    term = " ".join(wanted) if length > 1 else wanted[0]
    return [(spans[i][1], spans[i + length - 1][2], term, spans[i][3])
            for i in find_sequence([s[0] for s in spans], wanted)]


def _lines(text: str, spans, hits, window: int) -> list[tuple]:
    """``(left, match, right, term, variant, start)`` per hit, ``window`` tokens of context each side."""
    starts, ends = [s[1] for s in spans], [s[2] for s in spans]
    lines = []
    for start, end, term, variant in hits:
        first = bisect.bisect_left(ends, start + 1)       # first token overlapping the match
        after = bisect.bisect_left(starts, end)           # first token after the match
        left = text[starts[max(0, first - window)]:start] if first > 0 else ""
        right = text[end:ends[min(len(ends), after + window) - 1]] if after < len(ends) else ""
        lines.append((" ".join(left.split()), text[start:end], " ".join(right.split()), term, variant, start))
    return lines


def _sorted_lines(table: pd.DataFrame, sort: str) -> pd.DataFrame:
    """Concordance lines in text order, or by the left context read leftwards, the right context or the match."""
    if sort == "left":
        key = table["left"].map(lambda s: " ".join(reversed(s.lower().split())))
        table = table.iloc[np.argsort(key.to_numpy(), kind="stable")]
    elif sort in ("right", "match"):
        table = table.iloc[np.argsort(table[sort].str.lower().to_numpy(), kind="stable")]
    return table.reset_index(drop=True)


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
        Briefings, turns or sentences, or a prepared ``count_terms(...)`` matrix (its token text).
    node : str or re.Pattern
        A word, phrase (any listed variant) or ``"re:..."`` / compiled pattern matched against single tokens.
    window : int
        Tokens on each side (per ``side``) that count as near.
    side : {"both", "left", "right"}
    measure : {"llr", "pmi", "t", "dice"}
        Sort order.
    min_count : int
        Keep collocates with ``n >= min_count``.
    stop_words : "default", None, path, DataFrame or list
        Collocates left out of the output (they still count in N and in the windows).
    lang, phrases
        As in :func:`tokenize`, when ``frame`` is a table.

    Returns
    -------
    DataFrame
        ``node, collocate, n, n_left, n_right, n_node, n_collocate, expected, llr, pmi, t, dice`` sorted by
        ``measure`` (descending), collocates with ``n >= min_count``.

    Examples
    --------
    >>> collocations(turns, "Cold War mentality", window=5, min_count=3).head()    # doctest: +SKIP
    """
    func = "collocations"
    require_choice(side, ("both", "left", "right"), func=func, arg="side")
    require_choice(measure, COLLOCATION_MEASURES, func=func, arg="measure")
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ToolkitError(f"{func}(): window must be a positive integer, got {window!r}.")
    analyzer, segments, freq = _segments(frame, node, func=func, lang=lang, phrases=phrases)
    left, right, counted, n_node = _window_counts(segments, _node_matcher(analyzer, node, func=func), window=window,
                                                  side=side)
    freq = counted if freq is None else freq
    together = left + right
    stop = frozenset().union(*stop_words_by_lang(stop_words, func=func).values())
    names = [c for c, k in together.items() if k >= min_count and c not in stop]
    if not names:
        return pd.DataFrame(columns=COLLOCATION_COLUMNS)
    slots = window * (2 if side == "both" else 1)
    n = np.array([together[c] for c in names], dtype=float)
    n_collocate = np.array([freq[c] for c in names], dtype=float)
    scores = association(n, n_node * slots, n_collocate, sum(freq.values()))
    table = pd.DataFrame({"node": label(node), "collocate": names, "n": n.astype(np.int64),
                          "n_left": [left[c] for c in names], "n_right": [right[c] for c in names],
                          "n_node": n_node * slots, "n_collocate": n_collocate.astype(np.int64),
                          "expected": scores["expected"], **{m: scores[m] for m in COLLOCATION_MEASURES}})
    return table[COLLOCATION_COLUMNS].sort_values([measure, "collocate"], ascending=[False, True]
                                                  ).reset_index(drop=True)


def _segments(frame, node, *, func: str, lang, phrases) -> tuple[TermAnalyzer, list[list[str]], Counter | None]:
    """The analyzer, the token lists (stop words kept) of the rows to read, merged rows split apart, and the
    frequency of every token when it is known without reading them all (else None: count the lists).

    Given a table, the memo's matrix of every token answers the frequencies, and only the rows holding the node
    are read (no window lies elsewhere)."""
    if isinstance(frame, TermMatrix):
        return frame.analyzer, frame.segments(), None
    require_columns(frame, ["doc_id", "text"], func=func)
    tm = _prepared(frame, lang=lang, phrases=phrases)
    if tm is None:
        analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=None, func=func)
        return analyzer, [analyzer.tokens(text) for text in frame["text"].to_numpy()], None
    if is_regex(node):
        pattern = as_regex(node)
        columns = [i for i, term in enumerate(tm.terms) if pattern.fullmatch(term)]
        rows = np.flatnonzero(np.asarray(tm.csc[:, columns].sum(axis=1)).ravel()).tolist()
    else:
        rows = _rows_with(tm, term_tokens(tm.analyzer, node, func=func, arg="node"))
    segments = tm.tokens.take(np.asarray(rows, dtype=np.int64)).segment_tokens()
    freq = Counter(dict(zip(tm.terms.tolist(), np.asarray(tm.matrix.sum(axis=0)).ravel().tolist())))
    return tm.analyzer, segments, freq


def _node_matcher(analyzer: TermAnalyzer, node, *, func: str):
    """Function tokens -> [(start, length)] of the node's occurrences."""
    if is_regex(node):
        pattern = as_regex(node)
        return lambda tokens: [(i, 1) for i, t in enumerate(tokens) if pattern.fullmatch(t)]
    wanted = term_tokens(analyzer, node, func=func, arg="node")
    return lambda tokens: [(i, len(wanted)) for i in find_sequence(tokens, wanted)]


def _window_counts(segments, is_node, *, window: int, side: str) -> tuple[Counter, Counter, Counter, int]:
    """Counts of tokens left and right of the node, of every token, and the number of node occurrences."""
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
    return left, right, freq, n_node


def plot_collocations(data: pd.DataFrame, *, measure: str = "llr", n: int = 20, ax=None):
    """Horizontal bars of the top ``n`` collocates by ``measure`` (output of :func:`collocations`).

    Returns
    -------
    matplotlib.axes.Axes
    """
    import seaborn as sns

    require_columns(data, ["collocate", measure], func="plot_collocations", arg="data")
    table = data.nlargest(n, measure)
    ax = bar_axes(ax, n_bars=len(table), width=6)
    sns.barplot(data=table, x=measure, y="collocate", orient="h", color="#4c72b0", ax=ax)
    if "node" in data and len(data):
        ax.set_title(f"collocates of {data['node'].iloc[0]!r}")
    return ax


# ----------------------------------------------------------------------------------------- dispersion
def dispersion(frame, terms, *, parts: str = "doc_id", unit: Literal["doc", "turn", "sentence"] = "doc",
               lang: Literal["auto", "en", "zh"] = "auto", phrases="default") -> pd.DataFrame:
    """How evenly terms spread over the corpus parts (briefings by default).

    Parameters
    ----------
    frame : DataFrame or TermMatrix
        Briefings, turns or sentences, or a prepared ``count_terms(...)`` matrix.
    terms : str, re.Pattern or list of them
        As in :func:`term_frequency`.
    parts : str
        Column whose values are the parts (``"doc_id"``, ``"spokesperson"``) or a time frequency
        (``"month"``, ``"year"``).
    unit, lang, phrases
        As in :func:`count_terms`, when ``frame`` is a table.

    Returns
    -------
    DataFrame
        ``term, n, n_parts, n_parts_with, juilland_d, dp, dp_norm``. With part sizes s_i (tokens, as shares
        S_i of the corpus) and counts f_i (total f): Gries' ``DP = 0.5 * sum |f_i/f - S_i|`` (0 = even,
        towards 1 = clumped), ``dp_norm = DP / (1 - min S_i)`` (Lijffijt & Gries 2012); Juilland's
        ``D = 1 - V / sqrt(k - 1)`` with V the coefficient of variation (population SD / mean) of the
        relative frequencies f_i/s_i over the k parts (1 = even). NaN for a term that never occurs.

    Examples
    --------
    >>> dispersion(tm, ["Cold War mentality", "hegemony"], parts="month")      # doctest: +SKIP
    """
    func = "dispersion"
    tm = as_matrix(frame, unit=unit, func=func, lang=lang, phrases=phrases)
    names, codes = (period_codes(tm, parts, func=func) if parts in TIME_FREQUENCIES
                    else _column_codes(tm.rows, parts, func=func))
    valid = codes >= 0
    sizes = np.bincount(codes[valid], weights=tm.rows["n_tokens"].to_numpy()[valid], minlength=len(names))
    present = sizes > 0
    sizes = sizes[present]
    records = []
    for term in as_list(terms, func=func):
        counts = term_counts(tm, term, func=func)
        f = np.bincount(codes[valid], weights=counts[valid], minlength=len(names))[present]
        records.append((label(term), int(f.sum()), len(f), int((f > 0).sum()), *dispersion_scores(f, sizes)))
    table = pd.DataFrame(records, columns=["term", "n", "n_parts", "n_parts_with", "juilland_d", "dp", "dp_norm"])
    return with_provenance(table, tm, func, parts=parts)


def _column_codes(rows: pd.DataFrame, column: str, *, func: str) -> tuple[pd.Index, np.ndarray]:
    """The values of ``column`` and each row's position among them."""
    require_columns(rows, [column], func=func, arg="parts")
    codes, uniques = pd.factorize(rows[column])
    return pd.Index(uniques), codes


def plot_dispersion(data: pd.DataFrame, *, measure: Literal["dp", "dp_norm", "juilland_d"] = "dp", ax=None):
    """Frequency (log scale) against dispersion for each term (output of :func:`dispersion`), labelled.

    Returns
    -------
    matplotlib.axes.Axes
    """
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
