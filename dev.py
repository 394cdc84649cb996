#!/usr/bin/env python3
"""One-step set-up and tasks for a fresh clone (only Python and the package index needed).

    python3 dev.py report     # the main job: toolkit report corpus/ --out report/ (HTML report)
    python3 dev.py test       # the whole test suite
    python3 dev.py exercises  # students' copy of notebooks/05_classroom.ipynb -> build/05_classroom_exercises.ipynb

The first run creates .venv/ and installs the package with its test dependencies; later runs
reinstall only when pyproject.toml changed.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_environment() -> None:
    """Create .venv and install the project (with the ``test`` extra) when missing or out of date."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    print("installing the toolkit and its dependencies into .venv (first run takes a few minutes) ...", flush=True)
    subprocess.run(pip + ["-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    task = argv[0] if argv else "help"
    if task not in {"report", "test", "exercises"}:
        print(__doc__)
        return 2
    ensure_environment()
    if task == "test":
        return subprocess.call([str(BIN / "python"), "-m", "pytest", *argv[1:]], cwd=ROOT)
    if task == "exercises":
        return subprocess.call([str(BIN / "python"), str(ROOT / "notebooks" / "make_exercises.py"), *argv[1:]], cwd=ROOT)
    return subprocess.call([str(BIN / "toolkit"), "report", str(ROOT / "corpus"), "--out", str(ROOT / "report"), *argv[1:]],
                           cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
