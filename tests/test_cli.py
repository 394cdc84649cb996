"""The ``toolkit`` command on user errors: one line on stderr and exit status 2, checked before any download or
computation; ``--debug`` shows the traceback. Servers are loopback servers started here; nothing is computed."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import toolkit
from toolkit.cli import main

from fetch_server import LoopbackServer

REPO = Path(__file__).resolve().parents[1]
LISTING = "http://eng.chinamil.com.cn/VOICES/index.html"


def _run(argv: list[str], capsys) -> tuple[int, str]:
    """Exit status and stderr of ``toolkit ARGV`` run in this process (argparse's own exit included)."""
    try:
        status = main(argv)
    except SystemExit as exc:
        status = exc.code
    return status, capsys.readouterr().err


def _one_line(err: str, command: str) -> str:
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith(f"toolkit {command}"), err
    return err


@pytest.fixture
def no_report(monkeypatch):
    """make_report must not run: the options are refused before any computation."""
    import toolkit.report.render as render

    def refuse(*args, **kwargs):
        raise AssertionError("make_report ran although the options are wrong")
    monkeypatch.setattr(render, "make_report", refuse)


@pytest.fixture
def server():
    """A loopback server that answers nothing but 404: the tests check it was never asked."""
    with LoopbackServer({}) as running:
        yield running


def _fetch_argv(server, out, *options) -> list[str]:
    return ["fetch", "mnd_en", "--out", str(out), "--base-url", server.url, "--start-url", LISTING,
            "--delay", "0", "--retries", "0", "--no-progress", *options]


# ---------------------------------------------------------------- outputs


def test_report_out_an_existing_file_is_refused_before_loading(seed_path, tmp_path, capsys, no_report):
    out = tmp_path / "report.html"
    out.write_text("an earlier report")
    status, err = _run(["report", str(seed_path.parent), "--out", str(out), "--no-progress"], capsys)
    assert status == 2
    assert str(out) in _one_line(err, "report") and "is a file, not a folder" in err
    assert out.read_text() == "an earlier report"


def test_report_out_below_a_file_is_refused(seed_path, tmp_path, capsys, no_report):
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "report"
    status, err = _run(["report", str(seed_path.parent), "--out", str(out), "--no-progress"], capsys)
    assert status == 2 and "cannot create the folder" in _one_line(err, "report") and str(out) in err


def test_report_out_folder_is_created(seed_path, tmp_path, capsys, monkeypatch):
    import toolkit.report.render as render

    made = []

    def stop(source, *, out, **options):
        made.append(out)
        raise toolkit.ToolkitError("build_report(): stop here")
    monkeypatch.setattr(render, "make_report", stop)
    status, err = _run(["report", str(seed_path.parent), "--out", str(tmp_path / "new" / "out")], capsys)
    assert status == 2 and "toolkit report: build_report(): stop here" in err
    assert made == [tmp_path / "new" / "out"] and (tmp_path / "new" / "out" / "tables").is_dir()


def _unprivileged() -> list[str]:
    """A command prefix that drops root (root may write anywhere); nothing for an ordinary user."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: cannot test an unwritable folder")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def test_unwritable_out_folder_is_refused_in_one_line(seed_path):
    parent = Path(tempfile.mkdtemp(prefix="toolkit-cli-"))
    try:
        parent.chmod(0o755)  # reachable by 'nobody'
        locked = parent / "locked"
        locked.mkdir(mode=0o555)
        locked.chmod(0o555)
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONDONTWRITEBYTECODE": "1"}
        for argv in (["report", str(seed_path.parent)], ["fetch", "mnd_en"]):
            done = subprocess.run([*_unprivileged(), sys.executable, "-m", "toolkit.cli", *argv, "--out", str(locked)],
                                  capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
            assert done.returncode == 2, done.stderr
            assert f"{locked} is not writable" in _one_line(done.stderr, argv[0])
    finally:
        shutil.rmtree(parent)


def test_fetch_out_an_existing_file_is_refused_before_any_request(server, tmp_path, capsys):
    out = tmp_path / "corpus.csv"
    out.write_text("keep me")
    status, err = _run(_fetch_argv(server, out), capsys)
    assert status == 2 and str(out) in _one_line(err, "fetch") and "is a file, not a folder" in err
    assert sum(server.hits.values()) == 0 and out.read_text() == "keep me"


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize("options, words", [
    (["--delay", "-1"], "delay=-1.0 must be >= 0"),
    (["--delay", "nan"], "delay=nan must be >= 0"),
    (["--timeout", "0"], "timeout=0.0 must be > 0"),
    (["--retries", "-1"], "retries=-1 must be >= 0"),
    (["--concurrency", "0"], "concurrency=0 must be >= 1"),
    (["--max-pages", "0"], "max_pages=0 must be >= 1"),
    (["--since", "2024-13-45"], "'since'='2024-13-45' is not a date"),
    (["--since", "2024-05-01", "--until", "2024-01-31"], "since=2024-05-01 is after until=2024-01-31"),
    (["--start-url", "VOICES/index.html"], "start_urls: 'VOICES/index.html' is not an http(s) address"),
    (["--delay", "soon"], "argument --delay: invalid float value: 'soon'"),
])
def test_bad_fetch_options_are_one_line_and_exit_2_before_any_request(server, tmp_path, capsys, options, words):
    status, err = _run(_fetch_argv(server, tmp_path / "out", *options), capsys)
    assert status == 2 and words in _one_line(err, "fetch")
    assert sum(server.hits.values()) == 0 and not (tmp_path / "out" / "manifest.csv").exists()


@pytest.mark.parametrize("options, words", [
    (["--topics", "1"], "argument --topics: 1 is not an integer >= 2"),
    (["--topics", "many"], "argument --topics: 'many' is not an integer >= 2"),
    (["--seed", "-1"], "argument --seed: -1 is not an integer from 0 to 4294967295"),
])
def test_bad_report_options_are_one_line_and_exit_2(seed_path, tmp_path, capsys, no_report, options, words):
    status, err = _run(["report", str(seed_path.parent), "--out", str(tmp_path), *options], capsys)
    assert status == 2 and words in _one_line(err, "report")


@pytest.mark.parametrize("argv, command", [([], "toolkit"), (["report"], "report"), (["sumary", "x"], "toolkit")])
def test_usage_errors_are_one_line(capsys, argv, command):
    status, err = _run(argv, capsys)
    assert status == 2 and "Traceback" not in err and err.count("\n") == 1 and "--help" in err
    assert err.startswith("toolkit" if command == "toolkit" else f"toolkit {command}: ")


def test_report_of_a_missing_corpus_creates_no_output(tmp_path, capsys, no_report):
    status, err = _run(["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")], capsys)
    assert status == 2 and "argument 'corpus'" in _one_line(err, "report") and "does not exist" in err
    assert not (tmp_path / "out").exists()


def test_interrupted_command_is_one_line(tmp_path, capsys, monkeypatch):
    import toolkit.fetch.crawl as crawl

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(crawl, "fetch_briefings", interrupted)
    status, err = _run(["fetch", "mnd_en", "--out", str(tmp_path)], capsys)
    assert status == 130 and "interrupted" in _one_line(err, "fetch")


def test_summary_of_a_missing_path_is_one_line(tmp_path, capsys):
    status, err = _run(["summary", str(tmp_path / "nowhere")], capsys)
    assert status == 2 and "does not exist" in _one_line(err, "summary")


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(toolkit.ToolkitError, match="does not exist"):
        main(["--debug", "summary", str(tmp_path / "nowhere")])
    with pytest.raises(toolkit.ToolkitError, match="is a file, not a folder"):
        main(["fetch", "mnd_en", "--out", __file__, "--debug"])


@pytest.mark.parametrize("module", ["toolkit.cli", "toolkit.fetch"])
def test_commands_in_a_fresh_process_end_in_one_line(tmp_path, module):
    """The console script and ``python -m toolkit.fetch``: no traceback, exit status 2."""
    out = tmp_path / "file"
    out.write_text("x")
    argv = ["fetch", "mnd_en"] if module == "toolkit.cli" else ["mnd_en"]
    done = subprocess.run([sys.executable, "-m", module, *argv, "--out", str(out)], capture_output=True, text=True,
                          cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert "is a file, not a folder" in _one_line(done.stderr, "fetch")
