"""The researcher's word lists: phrase lists (multiword expressions and their variants) and stop words.

Both are data files inside the package (``toolkit/data/phrases.csv``, ``toolkit/data/stopwords.csv``,
documented in ``toolkit/data/README.md``), replaceable by the user's CSV file, DataFrame or list.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .._checks import ToolkitError
from ..datafiles import read_data_table
from ..text import detect_lang

LEXICON_LANGS = ("en", "zh")
PHRASE_COLUMNS = ["canonical", "variant", "lang", "case", "note", "context", "not_context", "window"]


def load_phrases(phrases="default", *, func: str = "load_phrases") -> pd.DataFrame:
    """Read a phrase list: the packaged ``toolkit/data/phrases.csv``, a CSV path, a DataFrame or strings.

    Parameters
    ----------
    phrases : "default", str/Path, DataFrame, iterable of str, dict or None
        ``"default"``: the packaged list. A path or DataFrame with columns ``canonical, variant``
        (optional ``lang`` "en"/"zh", ``case`` "any"/"exact", ``note``, and a sense rule: ``context``,
        ``not_context``, ``window``, see :func:`_check_senses` and ``toolkit/data/README.md``). An iterable
        of strings: each string is its own canonical form. A dict: ``{variant: canonical}``. ``None``: no
        phrases.
    func : str
        The calling public function, for error messages.

    Returns
    -------
    DataFrame
        ``canonical, variant, lang, case, note, context, not_context, window`` (``window`` an int, 0 for
        a row without a sense rule); each canonical form is also one of its variants.

    Examples
    --------
    >>> load_phrases(["joint patrol"])[["canonical", "variant", "lang"]]      # doctest: +SKIP
    """
    if phrases is None:
        return pd.DataFrame(columns=PHRASE_COLUMNS)
    table = _phrase_table(phrases, func=func)
    table = table.assign(
        canonical=table["canonical"].astype(str).str.strip(),
        variant=table["variant"].astype(str).str.strip(),
        lang=table["lang"] if "lang" in table else [detect_lang(v) for v in table["variant"].astype(str)],
        case=table.get("case", "any"),
        note=table.get("note", ""),
        context=table.get("context", ""),
        not_context=table.get("not_context", ""),
    )
    bad = table.loc[~table["case"].isin(["any", "exact"]), "case"]
    if len(bad):
        raise ToolkitError(f"{func}(): phrases column 'case' must be 'any' or 'exact', found {bad.iloc[0]!r}.")
    table = _check_senses(table, func=func)
    own = table[["canonical", "lang"]].drop_duplicates().assign(variant=lambda t: t["canonical"], case="any",
                                                                note="", context="", not_context="", window=0)
    table = pd.concat([table, own[~own.set_index(["canonical", "variant"]).index.isin(
        table.set_index(["canonical", "variant"]).index)]], ignore_index=True)
    table = table[table["variant"] != ""]
    return table[PHRASE_COLUMNS].reset_index(drop=True)


def _check_senses(table: pd.DataFrame, *, func: str) -> pd.DataFrame:
    """Check the sense rule of a phrase table and return it with ``window`` as int (0 = no rule).

    A row with ``context`` (a regular expression that must match) and/or ``not_context`` (one that must
    not) applies only when the text within ``window`` words (English) or characters (Chinese) on each side
    of the hit, the hit included, satisfies them. Rows of one variant are tried in table order and the
    first that holds gives the canonical term, so only the last row of a variant may lack a rule.

    Raises
    ------
    ToolkitError
        Naming the row (canonical and variant) and the fix: a pattern that is no regular expression, a
        ``window`` that is no positive integer or has no pattern, a variant whose rows a ruleless row hides.
    """
    table = table.assign(context=table["context"].fillna("").astype(str).str.strip(),
                         not_context=table["not_context"].fillna("").astype(str).str.strip())
    windows = [_row_window(row, func=func) for row in table.itertuples()]
    ruled = (table["context"] != "") | (table["not_context"] != "")
    hidden = table[ruled.groupby([table["variant"], table["lang"]]).shift(-1).notna() & ~ruled]
    if len(hidden):
        raise ToolkitError(f"{func}(): phrases {_row_name(hidden.iloc[0])}: this row has no context rule, so the "
                           f"later rows of variant {hidden['variant'].iloc[0]!r} never apply; give it a 'context' "
                           "or 'not_context' and a 'window', or move it after the variant's other rows.")
    return table.assign(window=windows)


def _row_window(row, *, func: str) -> int:
    """The row's window as int (0 without a rule), after checking its patterns and window."""
    for column in ("context", "not_context"):
        try:
            re.compile(getattr(row, column))
        except re.error as exc:
            raise ToolkitError(f"{func}(): phrases {_row_name(row)}: {column} {getattr(row, column)!r} is not a "
                               f"regular expression ({exc}); fix the pattern or leave the cell empty.") from None
    value = getattr(row, "window", "")
    value = "" if pd.isna(value) else str(int(value) if isinstance(value, float) and value.is_integer() else value)
    value = value.strip()
    if not (row.context or row.not_context):
        if value not in ("", "0"):
            raise ToolkitError(f"{func}(): phrases {_row_name(row)}: window {value!r} without 'context' or "
                               "'not_context' has no effect; add a pattern or leave the window empty.")
        return 0
    if not value.isdigit() or int(value) < 1:
        raise ToolkitError(f"{func}(): phrases {_row_name(row)}: window {value!r} must be a positive whole number "
                           "of words (en) or characters (zh) on each side of the hit, for its context rule.")
    return int(value)


def _row_name(row) -> str:
    """``row 3 (canonical 'x', variant 'y')`` for error messages (the row's index in the table)."""
    index = row.Index if hasattr(row, "Index") else row.name
    return f"row {index} (canonical {row.canonical!r}, variant {row.variant!r})"


def _phrase_table(phrases, *, func: str) -> pd.DataFrame:
    """The phrase list as given, before checks: ``variant`` and ``canonical`` columns at least."""
    if isinstance(phrases, (str, Path, pd.DataFrame)):
        return read_data_table(phrases, default="phrases.csv", columns=["canonical", "variant"], func=func,
                               arg="phrases")
    if isinstance(phrases, dict):
        return pd.DataFrame({"variant": list(phrases), "canonical": list(phrases.values())})
    if isinstance(phrases, Iterable):
        items = [str(p) for p in phrases]
        return pd.DataFrame({"variant": items, "canonical": items})
    raise ToolkitError(f"{func}(): phrases must be 'default', a CSV path, a DataFrame, a list of strings, "
                       f"a dict or None; got {type(phrases).__name__}.")


def load_stop_words(stop_words="default", *, lang: str = "en", func: str = "load_stop_words") -> frozenset:
    """Stop words for ``lang``: the packaged ``toolkit/data/stopwords.csv``, a CSV path, a DataFrame or a list.

    Parameters
    ----------
    stop_words : "default", str/Path, DataFrame, iterable of str or None
        A CSV/DataFrame needs a ``word`` column (and optionally ``lang``, filtered to ``lang``); a list of
        strings is used as given for every language; ``None`` means no stop words.
    lang : {"en", "zh"}
        The language whose words are returned.
    func : str
        The calling public function, for error messages.

    Returns
    -------
    frozenset of str

    Examples
    --------
    >>> "the" in load_stop_words(), "的" in load_stop_words(lang="zh")       # doctest: +SKIP
    (True, True)
    """
    if stop_words is None:
        return frozenset()
    if isinstance(stop_words, str) and stop_words == "default":
        return _packaged_stop_words(lang)
    if isinstance(stop_words, (str, Path, pd.DataFrame)):
        return _words(read_data_table(stop_words, default="stopwords.csv", columns=["word"], func=func,
                                      arg="stop_words"), lang)
    if isinstance(stop_words, Iterable):
        return frozenset(str(w) for w in stop_words)
    raise ToolkitError(f"{func}(): stop_words must be 'default', a CSV path, a DataFrame, a list or None.")


def stop_words_by_lang(stop_words="default", *, func: str) -> dict[str, frozenset]:
    """``{"en": ..., "zh": ...}``: the stop words of each language (see :func:`load_stop_words`)."""
    return {lang: load_stop_words(stop_words, lang=lang, func=func) for lang in LEXICON_LANGS}


@lru_cache(maxsize=len(LEXICON_LANGS))
def _packaged_stop_words(lang: str) -> frozenset:
    """The packaged stop words of ``lang`` (read once; a frozenset, so callers cannot change the cache)."""
    table = read_data_table("default", default="stopwords.csv", columns=["word"], func="load_stop_words",
                            arg="stop_words")
    return _words(table, lang)


def _words(table: pd.DataFrame, lang: str) -> frozenset:
    """The ``word`` column of a stop-word table, limited to ``lang`` when it has a ``lang`` column."""
    if "lang" in table:
        table = table[table["lang"] == lang]
    return frozenset(table["word"].astype(str))
