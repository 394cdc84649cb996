"""The report's translation section: when a corpus holds English and Chinese briefings, what the English changes.

:func:`translation_tables` pairs the two languages' briefings, aligns their exchanges and compares the answers
(:mod:`toolkit.bilingual`); :func:`translation_html` renders the tables and the figure as one HTML section, so
the report's builder and template each need one line for it.
"""
from __future__ import annotations

import pandas as pd

MIN_SHIFT_ANSWERS = 5  # answers naming a target in both languages before it enters the per-target table
GAP_COLUMNS = ["date", "status", "en_asker", "zh_asker", "en_question", "zh_question", "similarity", "confidence"]


def translation_tables(briefings: pd.DataFrame, dyads: pd.DataFrame, *, n_boot: int, random_state: int | None,
                       notes: list[str]) -> dict[str, pd.DataFrame]:
    """The translation section's tables, or ``{}`` when the corpus does not hold both languages.

    Parameters
    ----------
    briefings : DataFrame
        The report's briefings (``lang`` column).
    dyads : DataFrame
        :func:`toolkit.pair_dyads` of their turns.
    n_boot, random_state
        Bootstrap of the per-target differences (:func:`toolkit.summarise_shifts`).
    notes : list of str
        The report's notes; a line is added when the section is left out or finds no pair.

    Returns
    -------
    dict
        ``translation_pairs`` (``status, n_briefings``: paired, only_en, only_zh), ``translation_steps``
        (``status, link, n``), ``translation_gaps`` (the exchanges found in one language only: date, status,
        askers, questions, similarity, confidence), ``translation_shifts`` (:func:`toolkit.summarise_shifts`) and
        ``translation_over_time`` (:func:`toolkit.shifts_over_time` by quarter).
    """
    from ..bilingual import (
        align_briefings,
        align_dyads,
        shifts_over_time,
        summarise_shifts,
        translation_shifts,
    )

    langs = set(briefings["lang"].dropna()) if "lang" in briefings.columns else set()
    if not {"en", "zh"} <= langs:
        return {}
    pairs = align_briefings(briefings[briefings["lang"] == "en"], briefings[briefings["lang"] == "zh"])
    if not (pairs["status"] == "paired").any():
        notes.append("Translation: the corpus holds English and Chinese briefings, but none of the same date and "
                     "content could be paired (see toolkit.align_briefings for the reasons).")
        return {}
    aligned = align_dyads(pairs, dyads[dyads["lang"] == "en"], dyads[dyads["lang"] == "zh"])
    shifts = translation_shifts(aligned)
    return {
        "translation_pairs": pairs.groupby("status").size().rename("n_briefings").reset_index(),
        "translation_steps": aligned.groupby(["status", "link"]).size().rename("n").reset_index(),
        "translation_gaps": aligned.loc[aligned["status"] != "matched", GAP_COLUMNS].reset_index(drop=True),
        "translation_shifts": summarise_shifts(shifts, min_n=MIN_SHIFT_ANSWERS, n_boot=n_boot,
                                               random_state=random_state),
        "translation_over_time": shifts_over_time(shifts, by="quarter", n_boot=n_boot, random_state=random_state),
    }


def translation_html(tables: dict[str, pd.DataFrame]) -> str:
    """The section as HTML (tables escaped, the figure as a base64 PNG), or ``""`` without tables."""
    from markupsafe import Markup

    from ..bilingual import plot_translation_shifts
    from .figures import png_base64

    if not tables:
        return Markup("")
    shifts = tables["translation_shifts"]
    over_time = tables["translation_over_time"]
    shown = over_time[over_time["target"].isin(shifts["target"].head(4))]
    figure = ""
    if not shown.empty:
        image = png_base64(plot_translation_shifts(shown).figure)
        figure = f'<img alt="translation shifts over time" src="data:image/png;base64,{image}">'
    parts = [
        '<section id="translation"><h2>English and Chinese versions</h2>',
        ("<p>Briefings of the same date paired, their exchanges aligned (shared numbers, dates, targets, outlets; no "
         "machine translation) and the spokesperson's answers compared with the same bilingual lexicon. "
         "score_diff &gt; 0: the English is milder than the Chinese original.</p>"),
        tables["translation_pairs"].to_html(index=False), tables["translation_steps"].to_html(index=False),
        "<h3>Exchanges found in one language only</h3>",
        tables["translation_gaps"].head(60).to_html(index=False) if len(tables["translation_gaps"]) else
        "<p>None.</p>",
        "<h3>Per target</h3>", shifts.round(3).to_html(index=False), figure, "</section>",
    ]
    return Markup("\n".join(parts))
