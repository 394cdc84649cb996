"""Validate the stance methods against the hand-labelled MFA sentences in tests/data/stance_validation.csv.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/validate_stance.py [--quick]
Prints a markdown table: Spearman rank correlation with the -2..+2 labels and 3-class macro-F1 per method,
overall and per language. ``--quick`` skips LSS and the supervised classifier.

The labelled set (tests/data/stance_validation.csv: ``source_url, offset, length, lang, target, label, note``)
holds 218 spokesperson sentences (169 English, 49 Chinese) drawn at random, stratified by target (21 targets),
from the MFA corpora; questions were excluded. Each was labelled once, by reading, before any stance lexicon
existed: the spokesperson's stance toward that target in that sentence, -2 hostile (protest, opposition,
accusations of smear/interference/hypocrisy), -1 critical (urging, concern, warnings, sarcasm), 0 neutral
(facts, procedure, principles restated), +1 cooperative (cooperation, consensus, support), +2 warm (friendship,
praise, condolences). A target that is only the object of a criticism of someone else is labelled for what the
sentence says about it (Russia as China's partner in a rebuttal of the US is +1). Texts stay in the corpora;
the CSV references them by character offset into the JSONL ``text`` field.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

from toolkit.stance import (
    METHODS,
    fit_polarity,
    read_referenced_annotations,
    validate,
)

REPO = Path(__file__).resolve().parents[1]
VALIDATION = REPO / "tests" / "data" / "stance_validation.csv"


def corpus_files(corpora: Path) -> list[Path]:
    folder = corpora / "mfa_fmprc_2016_2020"
    return [folder / "mfa_en_regular_press_conferences_2018-2020.jsonl",
            folder / "mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl"]


def lss_sentences(corpora: Path) -> pd.DataFrame:
    """Unlabelled spokesperson sentences of both MFA corpora (English and Chinese) for fit_polarity()."""
    import toolkit

    parts = []
    for path in corpus_files(corpora):
        sentences = toolkit.split_sentences(toolkit.split_turns(toolkit.load_briefings(path)))
        part = sentences.loc[sentences["role"] != "question", ["doc_id", "text"]]
        part.attrs = {}  # the load report in attrs is not needed (and pandas compares attrs on concat)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def main(quick: bool = False) -> pd.DataFrame:
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    labelled = read_referenced_annotations(VALIDATION, sources=corpus_files(corpora))
    methods = ("lexicon", "keywords", "vader") if quick else METHODS
    lss = None if quick else fit_polarity(lss_sentences(corpora), random_state=0)
    tables = []
    for name, part in [("all", labelled), ("en", labelled[labelled["lang"] == "en"]),
                       ("zh", labelled[labelled["lang"] == "zh"])]:
        chosen = tuple(m for m in methods if not (name != "all" and m == "supervised"))
        tables.append(validate(part, methods=chosen, lss=lss, random_state=0).assign(subset=name))
    table = pd.concat(tables)
    print(markdown(table, [m for m in METHODS if m in methods], counts=labelled["lang"].value_counts()))
    return table


def markdown(table: pd.DataFrame, methods: list[str], *, counts: pd.Series) -> str:
    """Markdown table: one row per method, Spearman and macro-F1 for all / en / zh."""
    subsets = [("all", len(counts) and counts.sum()), ("en", counts.get("en", 0)), ("zh", counts.get("zh", 0))]
    head = "| method | " + " | ".join(f"Spearman {s} (n={n}) | macro-F1 {s}" for s, n in subsets) + " |"
    lines = [head, "|---" * (1 + 2 * len(subsets)) + "|"]
    for method in methods:
        cells = []
        for subset, _ in subsets:
            row = table[(table["method"] == method) & (table["subset"] == subset)]
            cells += ["–", "–"] if row.empty else [f"{row['spearman'].iloc[0]:.3f}", f"{row['macro_f1'].iloc[0]:.3f}"]
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
