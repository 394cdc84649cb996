"""Language-neutral anchors of a text: what an English passage and its Chinese original share without translation.

An anchor is a short key that both languages produce for the same thing:

- ``n:<digits>``: a number written in digits (``1,000`` and ``1000`` are ``n:1000``); small numbers 0-9 are
  left out (English spells them as words);
- ``d:<MM-DD>``: a day of a month (``June 4``, ``4 June``, ``6月4日``);
- ``t:<target>``: a stance target of the gazetteer ``toolkit/data/targets.csv`` (``美方`` and ``the US``; its
  blockers, such as 印度洋, claim their span; a Chinese day word such as 4日 or 近日 is no alias, so "近日美方" does
  not name Japan through 日美);
- ``g:<term>``: a term of the bilingual glossary ``toolkit/data/bilingual_terms.csv`` (outlets, places,
  organisations, people, recurring topics: ``Reuters`` / ``路透社``, ``Hong Kong`` / ``香港``);
- ``p:<term>``: a phrase pair of ``toolkit/data/phrases.csv``: a Chinese canonical term whose note opens with an
  English canonical term (``两军关系`` "mil-to-mil relations: ..."), matched by any of their variants.

:func:`anchors` gives the anchor counts of each text; :func:`load_bilingual_terms` the glossary.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .._checks import ToolkitError
from ..datafiles import read_data_table
from ..text import literal_trie

TERM_COLUMNS = ["term", "alias", "language", "kind"]
_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")], start=1) for m in names}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_EN_DATE = re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})\b(?!\s*(?:%|percent))|\b(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}\b",
                      re.IGNORECASE)
_ZH_DATE = re.compile(r"(?P<month>\d{1,2})月(?P<day>\d{1,2})[日号]")
_ZH_DAY = re.compile(r"(?:\d{1,2}|[今昨近次连当同每翌前])日")
_NUMBER = re.compile(r"\d[\d,，]*(?:\.\d+)?")


def load_bilingual_terms(terms: str | Path | pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the bilingual glossary: the packaged ``bilingual_terms.csv`` or the user's file/DataFrame.

    Parameters
    ----------
    terms : path or DataFrame, optional
        Columns ``term`` (the shared key), ``alias`` (one way of writing it), ``language`` (``en``/``zh``),
        ``kind`` (``outlet``, ``place``, ``organisation``, ``person``, ``topic``) and optionally ``note``.

    Returns
    -------
    DataFrame
        ``term, alias, language, kind, note``.

    Examples
    --------
    >>> load_bilingual_terms().query("term == 'Reuters'")["alias"].tolist()     # doctest: +SKIP
    ['Reuters', '路透社']
    """
    table = read_data_table(terms, columns=TERM_COLUMNS, default="bilingual_terms.csv",
                            func="load_bilingual_terms", arg="terms")
    table = table.assign(**{c: table[c].fillna("").astype(str).str.strip() for c in TERM_COLUMNS})
    bad = table.index[(table["term"] == "") | (table["alias"] == "") | ~table["language"].isin(["en", "zh"])]
    if len(bad):
        raise ToolkitError(f"load_bilingual_terms(): rows {bad.tolist()} need a term, an alias and language 'en' or "
                           "'zh'; fix or delete them.")
    return table.assign(note=table["note"] if "note" in table.columns else "")[[*TERM_COLUMNS, "note"]]


def phrase_pairs(phrases: pd.DataFrame) -> pd.DataFrame:
    """Pairs of ``phrases.csv`` canonical terms: a Chinese canonical whose note opens with an English canonical.

    Returns ``term, alias, language`` rows (``term`` the English canonical) for every variant of both sides.
    """
    notes = phrases[(phrases["lang"] == "zh") & (phrases["note"].fillna("") != "")]
    english = sorted(set(phrases.loc[phrases["lang"] == "en", "canonical"]), key=len, reverse=True)
    rows = []
    for zh_term, note in notes[["canonical", "note"]].itertuples(index=False):
        opening = note.lower()
        en_term = next((t for t in english if opening.startswith(t.lower()) and
                        (len(opening) == len(t) or not opening[len(t)].isalnum())), None)
        if en_term is None:
            continue
        for lang, term in (("en", en_term), ("zh", zh_term)):
            variants = phrases.loc[(phrases["lang"] == lang) & (phrases["canonical"] == term), "variant"]
            rows += [(en_term, variant, lang) for variant in variants]
    return pd.DataFrame(rows, columns=["term", "alias", "language"]).drop_duplicates()


@lru_cache(maxsize=4)
def _patterns(rows: tuple) -> dict[str, tuple[re.Pattern, dict]]:
    """One alternation per language (longest alias first) and the alias → anchor keys of each (an alias such as
    美方 is both a target and a phrase pair)."""
    compiled = {}
    for lang in ("en", "zh"):
        keys: dict[str, tuple] = {}
        for key, alias, language in rows:
            if language == lang:
                keys[alias] = (*keys.get(alias, ()), key)
        folded: dict[str, tuple] = {}
        for alias, found in keys.items():
            if not alias.isupper():
                folded[alias.lower()] = (*folded.get(alias.lower(), ()), *found)
        body = literal_trie({alias.lower() if lang == "en" else alias for alias in keys})
        # English: whole words, searched case-insensitively; an acronym (all capitals) must be written so
        pattern = re.compile(rf"(?<![\w-])(?:{body})(?!\w)", re.IGNORECASE) if lang == "en" else re.compile(body)
        compiled[lang] = (pattern, keys, folded)
    return compiled


@lru_cache(maxsize=2)
def _default_rows() -> tuple:
    from ..stance import load_targets
    from ..terms import load_phrases

    targets = load_targets()
    rows = [(f"t:{t}" if t else "", a, lang)  # an empty target is a blocker: it claims its span ("印度洋")
            for t, a, lang in targets[["target", "alias", "language"]].itertuples(index=False)]
    terms = load_bilingual_terms()
    rows += [(f"g:{t}", a, lang) for t, a, lang in terms[["term", "alias", "language"]].itertuples(index=False)]
    pairs = phrase_pairs(load_phrases())
    rows += [(f"p:{t}", a, lang) for t, a, lang in pairs.itertuples(index=False)]
    return tuple(rows)


def anchors(text: str, lang: str, *, rows: tuple | None = None) -> Counter:
    """The anchors of one text (see the module docstring) with their counts.

    ``rows`` are ``(key, alias, language)`` triples of the gazetteers; the packaged targets, glossary and
    phrase pairs by default. English acronyms (all capitals, ``US``, ``WHO``) match case-sensitively, other
    English aliases case-insensitively; Chinese aliases as substrings, longest first.

    Examples
    --------
    >>> sorted(anchors("Reuters: On June 4, the US side said 1,200 people ...", "en"))
    ['d:06-04', 'g:Reuters', 'n:1200', 'p:US side', 't:United States']
    >>> sorted(anchors("路透社记者：6月4日美方称有1200人……", "zh"))
    ['d:06-04', 'g:Reuters', 'n:1200', 'p:US side', 't:United States']
    """
    text = text if isinstance(text, str) else ""
    found: Counter = Counter()
    date_pattern = _ZH_DATE if lang == "zh" else _EN_DATE
    spans = []
    for m in date_pattern.finditer(text):
        month = m.group("month") or m.group("month2")
        day = m.group("day") or m.group("day2")
        month_number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        if 1 <= month_number <= 12 and 1 <= int(day) <= 31:
            found[f"d:{month_number:02d}-{int(day):02d}"] += 1
            spans.append(m.span())
    for start, end in spans:  # a date is no number
        text = text[:start] + " " * (end - start) + text[end:]
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"[,，]", "", m.group(0)).rstrip(".")
        if len(digits) > 1 or digits not in "0123456789":
            found[f"n:{digits}"] += 1
    pattern, keys, folded = _patterns(rows if rows is not None else _default_rows())[lang]
    if lang == "zh":  # a day word is no alias: "4日美方", "近日美台" hold 日美 (Japan-US) only by accident
        text = _ZH_DAY.sub(lambda m: " " * len(m.group(0)), text)
    for m in pattern.finditer(text):
        for key in keys.get(m.group(0)) or folded.get(m.group(0).lower(), ()):
            if key:
                found[key] += 1
    return found


def anchor_table(texts, langs) -> list[Counter]:
    """:func:`anchors` of each text."""
    rows = _default_rows()
    return [anchors(text, lang, rows=rows) for text, lang in zip(texts, langs)]
