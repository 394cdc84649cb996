"""Checking a phrase before trusting its counts: :func:`phrase_audit` puts, beside each listed variant's count,
its collocates, the gazetteer targets near its hits and a random sample of its concordance lines.

One window serves every part of the audit: the collocates are counted within ``window`` tokens of a hit
(:func:`toolkit.terms.collocations`), a target is *near* a hit when one of its aliases
(:func:`toolkit.load_targets`) occurs in the hit's left or right context of ``window`` tokens
(:func:`_near_targets`, the one place of that rule), and the sampled lines show that same context
(:func:`toolkit.terms.kwic`), so a reader sees exactly the words behind the numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_choice, require_columns
from ..provenance import jsonable, provenance
from ._queries import is_regex, term_tokens
from ._units import UNITS, frame_unit, require_unit
from .context import COLLOCATION_COLUMNS, collocations, kwic
from .matrix import TermMatrix
from .memo import prepared
from .tokens import TermAnalyzer

VARIANT_COLUMNS = ["term", "variant", "listed", "n", "n_docs", "share"]
COLLOCATE_COLUMNS = ["term", "variant", *COLLOCATION_COLUMNS[1:]]
NEAR_COLUMNS = ["term", "variant", "target", "n_hits", "n_near", "share"]


@dataclass
class PhraseAudit:
    """The evidence behind a phrase's counts (returned by :func:`phrase_audit`): four tidy tables.

    Attributes
    ----------
    terms : list of str
        The audited terms (canonical forms), in the order given.
    variants : DataFrame
        ``term, variant, listed, n, n_docs, share``: one row per variant of each term.
    collocates : DataFrame
        ``term, variant, collocate, n, n_left, n_right, n_node, n_collocate, expected, llr, pmi, t, dice``.
    targets : DataFrame
        ``term, variant, target, n_hits, n_near, share``: one row per variant and gazetteer target.
    lines : DataFrame
        The sampled concordance lines: :func:`kwic`'s columns plus ``near_targets``.

    Every table carries ``attrs["provenance"]`` (plain JSON); see :func:`phrase_audit` for the columns.
    """

    terms: list[str]
    variants: pd.DataFrame = field(repr=False)
    collocates: pd.DataFrame = field(repr=False)
    targets: pd.DataFrame = field(repr=False)
    lines: pd.DataFrame = field(repr=False)


def phrase_audit(frame: pd.DataFrame, phrase, *, window: int = 5, n_lines: int = 5, n_collocates: int = 10,
                 min_count: int = 3, unit: Literal["doc", "turn", "sentence"] = "turn", targets=None,
                 stop_words="default", random_state: int | None = None, lang: Literal["auto", "en", "zh"] = "auto",
                 phrases="default") -> PhraseAudit:
    """Audit phrases before trusting their counts: per variant, its count, collocates, nearby targets and lines.

    A phrase is named by its canonical form or any listed variant ("military ties" audits "mil-to-mil
    relations" with all its variants); an unlisted word sequence (a :func:`suggest_phrases` candidate) is
    its own single variant. Hits are the lines :func:`kwic` finds, so every count equals the number of
    ``kwic(frame, phrase)`` lines of that variant.

    Parameters
    ----------
    frame : DataFrame
        Turns or sentences (``doc_id``, ``text``). The audit reads the running text (variants as written,
        context lines), so a :class:`TermMatrix` is not enough: pass the table it was counted from.
    phrase : str or list of str
        Phrases or word sequences (regular expressions are not audited: read them with :func:`kwic`).
    window : int
        Tokens on each side of a hit: the collocation window, the "near a target" window and the context
        shown in ``lines``.
    n_lines : int
        Concordance lines sampled per variant (all of them when a variant has fewer).
    n_collocates : int
        Collocates kept per variant, the highest log-likelihood first.
    min_count : int
        Keep collocates seen at least this often near the variant (as in :func:`collocations`).
    unit : {"doc", "turn", "sentence"}
        The coarsest rows accepted. Windows never cross a row of ``frame``; with the default ``"turn"`` a
        table of briefings is an error (call ``toolkit.split_turns`` first), so a window never joins a
        journalist's question to the spokesperson's answer.
    targets : path or DataFrame, optional
        The target gazetteer (:func:`toolkit.load_targets`; the packaged one by default).
    stop_words : "default", None, path, DataFrame or list
        Collocates left out (as in :func:`collocations`).
    random_state : int, optional
        Seed of the line sample; the same seed gives the same lines.
    lang, phrases
        As in :func:`tokenize`.

    Returns
    -------
    PhraseAudit
        With the tables (each ``attrs["provenance"]`` records the corpus and the options):

        - ``variants``: ``term`` (canonical), ``variant`` (as listed in the phrase list; the term itself
          when unlisted), ``listed`` (bool), ``n`` (hits), ``n_docs`` (briefings with a hit), ``share``
          (``n`` / hits of the term, NaN without hits). Every listed variant has a row, zeros included.
        - ``collocates``: ``term, variant`` and :func:`collocations`' columns without ``node``
          (``collocate, n, n_left, n_right, n_node, n_collocate, expected, llr, pmi, t, dice``): the top
          ``n_collocates`` of each variant by ``llr``, ``window`` tokens on both sides. Each variant is its
          own node here, so ``n_node`` is its hits x 2 x ``window``.
        - ``targets``: ``term, variant, target, n_hits, n_near, share``: for every variant and every target
          of the gazetteer, the variant's hits (``n_hits``), those near the target (``n_near``: an alias in the
          hit's left or right context of ``window`` tokens) and ``share = n_near / n_hits`` (NaN without hits).
        - ``lines``: up to ``n_lines`` random hits per variant, in variant then text order, with
          :func:`kwic`'s columns (the input columns except ``text``, then ``left, match, right, term,
          variant, start``; ``variant`` filled with the term when unlisted) and ``near_targets`` (the
          targets near the hit, sorted, joined by ``"; "``).

    Examples
    --------
    >>> audit = phrase_audit(turns, "mil-to-mil relations", random_state=0)          # doctest: +SKIP
    >>> audit.variants                                                               # doctest: +SKIP
    >>> audit.targets.pivot_table(index="variant", columns="target", values="share")  # doctest: +SKIP
    >>> phrase_audit(turns, suggest_phrases(turns).head(10)["phrase"], random_state=0)  # doctest: +SKIP
    """
    func = "phrase_audit"
    _check_options(frame, unit=unit, window=window, n_lines=n_lines, func=func)
    analyzer = TermAnalyzer(lang=lang, phrases=phrases, stop_words=None, func=func)
    listed = _listed_variants(analyzer, _as_phrases(phrase, func=func), func=func)
    hits = pd.concat([_hits(frame, term, window=window, lang=lang, phrases=phrases) for term in listed],
                     ignore_index=True)
    hits["near_targets"] = pd.Series(_near_targets(hits, targets=targets, lang=lang), index=hits.index, dtype=object)
    variants = _variant_counts(hits, listed)
    record = jsonable({**provenance(frame, phrase=list(listed), window=window, n_lines=n_lines,
                                    n_collocates=n_collocates, min_count=min_count, unit=unit, targets=targets,
                                    stop_words=stop_words, random_state=random_state, lang=lang, phrases=phrases),
                       "function": func})
    tables = {"variants": variants,
              "collocates": _collocates(frame, variants, analyzer, window=window, n_collocates=n_collocates,
                                        min_count=min_count, stop_words=stop_words, lang=lang),
              "targets": _near_shares(hits, variants, targets),
              "lines": _sample_lines(hits, variants, n_lines=n_lines, random_state=random_state)}
    for table in tables.values():
        table.attrs["provenance"] = record
    return PhraseAudit(list(listed), **tables)


def _check_options(frame, *, unit: str, window, n_lines, func: str) -> None:
    """Errors for a matrix instead of a table, a table coarser than ``unit`` and non-positive sizes."""
    if isinstance(frame, TermMatrix):
        raise ToolkitError(f"{func}(): argument 'frame' is a TermMatrix, which keeps no running text; the audit "
                           "reads variants as written and context lines, so pass the turns or sentences the "
                           "matrix was counted from.")
    require_columns(frame, ["doc_id", "text"], func=func)
    require_choice(unit, UNITS, func=func, arg="unit")
    require_unit(frame, unit, func=func)
    for name, value, least in (("window", window, 1), ("n_lines", n_lines, 0)):
        if not isinstance(value, (int, np.integer)) or value < least:
            raise ToolkitError(f"{func}(): {name} must be an integer >= {least}, got {value!r}.")


def _as_phrases(phrase, *, func: str) -> list[str]:
    """``phrase`` as a non-empty list of strings (regular expressions refused)."""
    items = [phrase] if isinstance(phrase, (str, re.Pattern)) else list(phrase)
    if not items or not all(isinstance(p, str) and not is_regex(p) for p in items):
        raise ToolkitError(f"{func}(): phrase must be a phrase or word sequence, or a non-empty list of them "
                           f"(regular expressions are not audited: read them with toolkit.kwic), got {phrase!r}.")
    return items


def _listed_variants(analyzer: TermAnalyzer, items: list[str], *, func: str) -> dict[str, list[str]]:
    """Canonical term -> its variants in phrase-list order (empty for an unlisted word sequence)."""
    table = analyzer.phrases
    listed = {}
    for item in items:
        term = " ".join(term_tokens(analyzer, item, func=func, arg="phrase"))
        listed[term] = table.loc[table["canonical"] == term, "variant"].drop_duplicates().tolist()
    return listed


def _hits(frame: pd.DataFrame, term: str, *, window: int, lang, phrases) -> pd.DataFrame:
    """Every :func:`kwic` line of ``term`` with ``window`` tokens of context; unlisted variants named by the term."""
    lines = kwic(frame, term, window=window, lang=lang, phrases=phrases)
    return lines.assign(variant=lines["variant"].fillna(term))


def _near_targets(lines: pd.DataFrame, *, targets=None, lang: Literal["auto", "en", "zh"] = "auto") -> list[str]:
    """The gazetteer targets near each concordance line: the one rule of "near" in a phrase audit.

    A target is near a hit when one of its aliases occurs in the line's ``left`` or ``right`` context, that
    is within the window the lines were made with (never in the match itself, never across a row).
    Aliases are matched as :func:`toolkit.score_stance` matches them (case-sensitive "US", blockers such
    as "Indian Ocean").

    Parameters
    ----------
    lines : DataFrame
        :func:`kwic` output (``left``, ``match``, ``right``).
    targets : path or DataFrame, optional
        The gazetteer (:func:`toolkit.load_targets`).
    lang : {"auto", "en", "zh"}
        Language of the lines; ``"auto"`` detects it per line (:func:`toolkit.detect_lang`).

    Returns
    -------
    list of str
        Per line, the target names sorted and joined by ``"; "`` (``""`` when none).
    """
    from ..stance.lexicon import target_mentions
    from ..text import detect_lang

    left, match, right = (lines[c].astype(str).tolist() for c in ("left", "match", "right"))
    langs = [lang if lang != "auto" else detect_lang(" ".join(parts)) for parts in zip(left, match, right)]
    sides = [target_mentions(texts, langs, targets) for texts in (left, right)]
    return ["; ".join(sorted({name for _, names in before + after for name in names}))
            for before, after in zip(*sides)]


def _variant_counts(hits: pd.DataFrame, listed: dict[str, list[str]]) -> pd.DataFrame:
    """The ``variants`` table: every listed variant (zeros included) and any unlisted one found."""
    keys = [(term, variant, True) for term, variants in listed.items() for variant in variants]
    keys += [(term, term, False) for term, variants in listed.items() if not variants]
    table = pd.DataFrame(keys, columns=["term", "variant", "listed"])
    grouped = hits.groupby(["term", "variant"])
    counts = pd.DataFrame({"n": grouped.size(), "n_docs": grouped["doc_id"].nunique()})
    table = table.join(counts, on=["term", "variant"]).fillna({"n": 0, "n_docs": 0})
    table = table.astype({"n": np.int64, "n_docs": np.int64})
    totals = table.groupby("term")["n"].transform("sum")
    return table.assign(share=table["n"] / totals.where(totals > 0))[VARIANT_COLUMNS]


def _collocates(frame, variants: pd.DataFrame, analyzer: TermAnalyzer, *, window: int, n_collocates: int,
                min_count: int, stop_words, lang) -> pd.DataFrame:
    """Top collocates of each variant with hits, each listed variant counted as a term of its own."""
    found = variants[variants["n"] > 0]
    if found.empty:
        return pd.DataFrame(columns=COLLOCATE_COLUMNS)
    table = analyzer.phrases
    apart = table.assign(canonical=table["canonical"].where(~table["canonical"].isin(found["term"]),
                                                            table["variant"]))
    tm = prepared(frame, unit=frame_unit(frame), lang=lang, phrases=apart, stop_words=None)
    tables = []
    for term, variant, is_listed in found[["term", "variant", "listed"]].itertuples(index=False):
        node = re.compile(re.escape(variant)) if is_listed else term
        top = collocations(tm, node, window=window, min_count=min_count, stop_words=stop_words).head(n_collocates)
        tables.append(top.drop(columns="node").assign(term=term, variant=variant))
    return pd.concat(tables, ignore_index=True)[COLLOCATE_COLUMNS]


def _near_shares(hits: pd.DataFrame, variants: pd.DataFrame, targets) -> pd.DataFrame:
    """The ``targets`` table: per variant and gazetteer target, hits near the target and their share."""
    from ..stance import load_targets

    names = [t for t in load_targets(targets)["target"].drop_duplicates() if t]
    near = hits["near_targets"].str.split("; ")
    rows = []
    for term, variant, n_hits in variants[["term", "variant", "n"]].itertuples(index=False):
        mine = near[(hits["term"] == term) & (hits["variant"] == variant)]
        rows += [(term, variant, name, n_hits, int(sum(name in found for found in mine))) for name in names]
    table = pd.DataFrame(rows, columns=NEAR_COLUMNS[:-1]).astype({"n_hits": np.int64, "n_near": np.int64})
    return table.assign(share=table["n_near"] / table["n_hits"].where(table["n_hits"] > 0))


def _sample_lines(hits: pd.DataFrame, variants: pd.DataFrame, *, n_lines: int, random_state) -> pd.DataFrame:
    """Up to ``n_lines`` hits per variant drawn without replacement (seeded), kept in text order per variant."""
    rng = np.random.default_rng(random_state)
    chosen = []
    for term, variant in variants[["term", "variant"]].itertuples(index=False):
        rows = np.flatnonzero(((hits["term"] == term) & (hits["variant"] == variant)).to_numpy())
        chosen += sorted(rng.choice(rows, size=min(n_lines, len(rows)), replace=False).tolist())
    return hits.iloc[chosen].reset_index(drop=True)
