#!/usr/bin/env python3
"""Write the students' version of the classroom notebook: cells tagged ``solution`` become empty answers,
cells tagged ``teacher`` (notes, answer key) are left out.

    python3 dev.py exercises                                 # -> build/05_classroom_exercises.ipynb
    python3 dev.py exercises NOTEBOOK.ipynb OUT.ipynb
(``dev.py`` runs this script with the project's .venv, where the toolkit is installed.)
"""
from __future__ import annotations

import sys
from pathlib import Path

from toolkit.notebooks import make_exercises

HERE = Path(__file__).resolve().parent
DEFAULT_IN = HERE / "05_classroom.ipynb"
DEFAULT_OUT = HERE.parent / "build" / "05_classroom_exercises.ipynb"


def main(argv: list[str]) -> int:
    if len(argv) not in (0, 2):
        print(__doc__)
        return 2
    source, target = (Path(argv[0]), Path(argv[1])) if argv else (DEFAULT_IN, DEFAULT_OUT)
    print(f"exercise notebook written to {make_exercises(source, target)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
