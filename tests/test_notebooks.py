"""The notebooks: paired with their .py, committed without outputs, executed on the real corpora.

Every notebook runs top to bottom with nbclient in a fresh kernel on the MFA corpus (through
TOOLKIT_CORPORA, which ``toolkit.default_corpus()`` in each parameters cell reads), in a scratch folder,
with a per-cell time limit; an error in any cell fails the test.
"""
from __future__ import annotations

import re
import runpy
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from toolkit.notebooks import make_exercises

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01_getting_started", "02_terms_over_time", "03_stance", "04_topics", "05_classroom", "06_paper",
         "07_translation", "explorer"]
CELL_TIMEOUT = 120  # seconds per cell; the whole set runs in about two minutes on two cores


def _read(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def test_every_notebook_is_listed():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_paired_with_py_and_committed_without_outputs(name):
    book = _read(name)
    paired = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert [(c.cell_type, c.source) for c in book.cells] == [(c.cell_type, c.source) for c in paired.cells], \
        f"{name}.ipynb and {name}.py differ: run `jupytext --sync notebooks/{name}.py`"
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in book.cells if c.cell_type == "code")
    assert "py:percent" in book.metadata["jupytext"]["formats"]


@pytest.mark.parametrize("name", NAMES)
def test_first_cell_is_parameters_from_the_library(name):
    first = _read(name).cells[0]
    assert first.cell_type == "code" and first.metadata.get("tags") == ["parameters"]
    assert "CORPUS = toolkit.default_corpus()" in first.source and "SEED = " in first.source


@pytest.mark.parametrize("name", NAMES)
def test_cells_only_call_the_library(name):
    """No function, class or loop defined in a notebook: logic belongs to toolkit/."""
    for cell in _read(name).cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                assert not line.lstrip().startswith(("def ", "class ", "for ", "while ", "lambda")), (name, line)


def test_exercise_version_drops_the_solutions_and_the_teachers_notes(tmp_path):
    teacher = _read("05_classroom")
    solutions = [c for c in teacher.cells if "solution" in c.metadata.get("tags", [])]
    notes = [c for c in teacher.cells if "teacher" in c.metadata.get("tags", [])]
    assert len(solutions) == 7 and len(notes) == 2
    assert any("Answer key" in c.source for c in notes) and any("dev.py exercises" in c.source for c in notes)
    out = make_exercises(NOTEBOOKS / "05_classroom.ipynb", tmp_path / "ex.ipynb")
    student = nbformat.read(out, as_version=4)
    assert len(student.cells) == len(teacher.cells) - len(notes)
    sources = [c.source for c in student.cells]
    assert not any(s.source in sources for s in solutions + notes)
    assert not any("Answer key" in s or "Teacher" in s for s in sources)
    assert sum(c.source == "# Your answer here" for c in student.cells) == len(solutions)
    assert [c.source for c in student.cells if c.cell_type == "markdown"] == \
        [c.source for c in teacher.cells if c.cell_type == "markdown" and c not in notes]


def test_the_class_plan_keeps_twenty_minutes_for_discussion():
    plan = _read("05_classroom").cells[1].source
    rows = re.findall(r"^\| (\d+)-(\d+) \| (.+?) \|$", plan, flags=re.MULTILINE)
    minutes = [int(end) - int(start) for start, end, _ in rows]
    assert int(rows[0][0]) == 0 and int(rows[-1][1]) == 90 and sum(minutes) == 90     # contiguous, 90 minutes
    assert all(int(rows[i][1]) == int(rows[i + 1][0]) for i in range(len(rows) - 1))
    assert dict(zip((what for _, _, what in rows), minutes))["discussion (questions at the end)"] == 20


def test_exercise_two_key_states_the_share_of_known_askers(mfa_en_path):
    """The answer key's numbers, recomputed: the top five outlets' share is of the questions with a known asker."""
    import toolkit

    dyads = toolkit.pair_dyads(toolkit.split_turns(toolkit.load_briefings(mfa_en_path)))
    known = dyads["asker"].notna() & ~dyads["asker"].isin(["", "follow-up"])
    top5 = dyads.loc[known, "asker"].value_counts().head(5).sum()
    key = next(c.source for c in _read("05_classroom").cells if "Answer key" in c.source)
    assert f"{known.sum():,} of {len(dyads):,} questions ({known.mean():.1%}".replace("%", " %") in key
    assert f"{top5 / known.sum():.1%} of the questions with a known asker".replace("%", " %") in key
    assert f"{top5 / len(dyads):.1%} of all questions".replace("%", " %") in key


def test_dev_py_exercises_runs_with_the_projects_environment(tmp_path):
    """``python3 dev.py exercises`` (the README's command) calls the script with .venv's Python."""
    import subprocess
    import sys

    dev = runpy.run_path(str(NOTEBOOKS.parent / "dev.py"), run_name="dev")
    calls = []
    dev["main"].__globals__["ensure_environment"] = lambda: None
    dev["main"].__globals__["BIN"] = Path(sys.executable).parent
    dev["main"].__globals__["subprocess"] = type("S", (), {"call": staticmethod(lambda cmd, cwd: calls.append(cmd)
                                                                                or subprocess.call(cmd, cwd=cwd))})
    out = tmp_path / "students.ipynb"
    assert dev["main"](["exercises", str(NOTEBOOKS / "05_classroom.ipynb"), str(out)]) == 0
    assert calls[0][1].endswith("notebooks/make_exercises.py") and out.is_file()


def test_make_exercises_script(tmp_path, capsys):
    script = runpy.run_path(str(NOTEBOOKS / "make_exercises.py"), run_name="make_exercises")
    out = tmp_path / "students.ipynb"
    assert script["main"]([str(NOTEBOOKS / "05_classroom.ipynb"), str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert sum("solution" in c.metadata.get("tags", []) for c in nbformat.read(out, as_version=4).cells) == 0
    assert script["main"](["only-one-argument"]) == 2


def _execute(name: str, folder: Path) -> nbformat.NotebookNode:
    book = _read(name)
    client = NotebookClient(book, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}})
    client.execute()
    return book


def _outputs_text(book) -> str:
    return "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                     for c in book.cells if c.cell_type == "code" for o in c.outputs)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_the_real_corpus(name, corpora, tmp_path, monkeypatch):
    monkeypatch.setenv("TOOLKIT_CORPORA", str(Path(corpora).resolve()))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    folder = tmp_path / "notebooks"          # run where JupyterLab runs them: in notebooks/, one level down
    folder.mkdir()
    book = _execute(name, folder)
    text = _outputs_text(book)
    assert "Traceback" not in text
    if name == "01_getting_started":
        assert "'n_docs': 500" in text          # the 500 MFA English briefings were loaded
    if name == "06_paper":
        written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
        assert written == ["figures/figure1_phrase_trend.png", "figures/figure2_stance.png",
                           "figures/figure3_topics.png", "tables/provenance.json",
                           "tables/table1_corpus.csv", "tables/table1_corpus.tex", "tables/table2_keyness.csv",
                           "tables/table2_keyness.tex", "tables/table3_stance.csv", "tables/table3_stance.tex",
                           "tables/table4_topics.csv", "tables/table4_topics.tex"]
        table1 = pd.read_csv(tmp_path / "tables" / "table1_corpus.csv", comment="#")
        assert table1["briefings"].sum() == 500
        header = (tmp_path / "tables" / "table3_stance.tex").read_text().splitlines()[0]
        assert header.startswith("% provenance: corpus ") and "seed 0" in header


def test_getting_started_runs_on_the_shipped_corpus(tmp_path, monkeypatch):
    """A fresh clone without the real corpora: the first notebook opens corpus/ (one MND briefing)."""
    monkeypatch.delenv("TOOLKIT_CORPORA", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    text = _outputs_text(_execute("01_getting_started", tmp_path))
    assert "'n_docs': 1" in text and "Wu Qian" in text
