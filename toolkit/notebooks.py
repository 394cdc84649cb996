"""Helpers for the notebooks in ``notebooks/``: which corpus to open, the labelled stance set, exercise copies.

The notebooks' first cell (tagged ``parameters``) calls :func:`default_corpus`: the shipped one-briefing
``corpus/`` on a fresh clone, the real corpora when ``TOOLKIT_CORPORA`` points at them (as in CI).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import pandas as pd

from ._checks import ToolkitError, require_choice

REPO = Path(__file__).resolve().parents[1]
SHIPPED_CORPUS = REPO / "corpus"
STANCE_VALIDATION = REPO / "tests" / "data" / "stance_validation.csv"
REAL_CORPORA = {
    "mfa_en": "mfa_fmprc_2016_2020/mfa_en_regular_press_conferences_2018-2020.jsonl",
    "mfa_zh": "mfa_fmprc_2016_2020/mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl",
    "cmfa": "cmfa_presscon_sample/ukraine_dataset_combined.jsonl",
}
SOLUTION_TAG = "solution"
TEACHER_TAG = "teacher"           # teacher's notes and answer key: left out of the students' copy
EXERCISE_PLACEHOLDER = "# Your answer here\n"


def default_corpus(name: Literal["mfa_en", "mfa_zh", "cmfa"] = "mfa_en") -> Path:
    """The corpus a notebook opens by default.

    Parameters
    ----------
    name : {"mfa_en", "mfa_zh", "cmfa"}
        Which real corpus to use when ``TOOLKIT_CORPORA`` is set (MFA English press conferences
        2018-2020, MFA Chinese 2016-2020, the CMFA PressCon sample).

    Returns
    -------
    Path
        ``$TOOLKIT_CORPORA/<file of name>`` when the environment variable is set, otherwise the shipped
        ``corpus/`` folder (one MND briefing; replace it with your own files or pass any path).

    Examples
    --------
    >>> briefings = toolkit.load_briefings(toolkit.default_corpus())     # doctest: +SKIP
    """
    func = "default_corpus"
    require_choice(name, REAL_CORPORA, func=func, arg="name")
    root = os.environ.get("TOOLKIT_CORPORA")
    if root:
        path = Path(root) / REAL_CORPORA[name]
        if not path.is_file():
            raise ToolkitError(f"{func}(): TOOLKIT_CORPORA={root} holds no {REAL_CORPORA[name]}; point the "
                               "variable at the shared corpora folder or unset it to use the shipped corpus/.")
        return path
    if not SHIPPED_CORPUS.is_dir():
        raise ToolkitError(f"{func}(): the shipped corpus {SHIPPED_CORPUS} is missing (installed without the "
                           "repository?); set TOOLKIT_CORPORA or pass your own path to load_briefings().")
    return SHIPPED_CORPUS


def load_stance_validation(path: str | Path | None = None) -> pd.DataFrame:
    """The hand-labelled stance sentences (218 MFA spokesperson sentences), texts taken from the MFA corpora.

    The CSV references sentences by ``source_url, offset, length`` (see
    :func:`toolkit.read_referenced_annotations`), so the texts come from the corpora under
    ``TOOLKIT_CORPORA``.

    Returns
    -------
    DataFrame
        ``source_url, offset, length, lang, target, label, note, text, doc_id, date``; ``label`` in -2..+2.
    """
    from .stance import read_referenced_annotations

    root = os.environ.get("TOOLKIT_CORPORA")
    if not root:
        raise ToolkitError("load_stance_validation(): the labelled sentences are read from the MFA corpora; set "
                           "TOOLKIT_CORPORA to the shared corpora folder.")
    sources = [Path(root) / REAL_CORPORA["mfa_en"], Path(root) / REAL_CORPORA["mfa_zh"]]
    return read_referenced_annotations(path or STANCE_VALIDATION, sources=sources)


def make_exercises(notebook: str | Path, out: str | Path) -> Path:
    """Write the exercise version of a notebook: every cell tagged ``solution`` becomes an empty answer cell and
    every cell tagged ``teacher`` (notes, answer key) is left out.

    Parameters
    ----------
    notebook : path
        A ``.ipynb`` notebook with solution cells (e.g. ``notebooks/05_classroom.ipynb``).
    out : path
        Where to write the exercise notebook (``.ipynb``); its folder is created.

    Returns
    -------
    Path
        ``out``. The copy has no outputs, no teacher cell, and each solution cell is replaced by a code cell
        holding ``# Your answer here`` (tagged ``answer``).
    """
    import nbformat

    func = "make_exercises"
    source = Path(notebook)
    if not source.is_file():
        raise ToolkitError(f"{func}(): notebook {str(source)!r} does not exist; give an .ipynb file.")
    book = nbformat.read(source, as_version=4)
    cells = []
    for cell in book.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if TEACHER_TAG in tags:
            continue
        if SOLUTION_TAG in tags:
            cells.append(nbformat.v4.new_code_cell(EXERCISE_PLACEHOLDER.rstrip("\n"), metadata={"tags": ["answer"]}))
            continue
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    book.cells = cells
    book.metadata.pop("jupytext", None)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(book, target)
    return target
