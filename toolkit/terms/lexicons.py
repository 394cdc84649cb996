"""The researcher's word lists: phrase lists (multiword expressions and their variants) and stop words.

Both are data files inside the package (``toolkit/data/phrases.csv``, ``toolkit/data/stopwords.csv``,
documented in ``toolkit/data/README.md``), replaceable by the user's CSV file, DataFrame or list.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .._checks import ToolkitError
from ..datafiles import read_data_table
from ..text import detect_lang

LEXICON_LANGS = ("en", "zh")
PHRASE_COLUMNS = ["canonical", "variant", "lang", "case", "note"]


def load_phrases(phrases="default", *, func: str = "load_phrases") -> pd.DataFrame:
    """Read a phrase list: the packaged ``toolkit/data/phrases.csv``, a CSV path, a DataFrame or strings.

    Parameters
    ----------
    phrases : "default", str/Path, DataFrame, iterable of str, dict or None
        ``"default"``: the packaged list. A path or DataFrame with columns ``canonical, variant``
        (optional ``lang`` "en"/"zh", ``case`` "any"/"exact", ``note``). An iterable of strings: each
        string is its own canonical form. A dict: ``{variant: canonical}``. ``None``: no phrases.
    func : str
        The calling public function, for error messages.

    Returns
    -------
    DataFrame
        ``canonical, variant, lang, case, note``; each canonical form is also one of its variants.

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
    )
    bad = table.loc[~table["case"].isin(["any", "exact"]), "case"]
    if len(bad):
        raise ToolkitError(f"{func}(): phrases column 'case' must be 'any' or 'exact', found {bad.iloc[0]!r}.")
    own = table[["canonical", "lang"]].drop_duplicates().assign(variant=lambda t: t["canonical"], case="any",
                                                                note="")
    table = pd.concat([table, own[~own.set_index(["canonical", "variant"]).index.isin(
        table.set_index(["canonical", "variant"]).index)]], ignore_index=True)
    table = table[table["variant"] != ""]
    return table[PHRASE_COLUMNS].reset_index(drop=True)


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
