"""Nothing crashes, nothing is lost: the loader defects of issue 17, each reproduced as found.

Every input gives a table plus a load report in which each file, line, row and folder entry has a row
(loaded / merged / skipped / warning) with its reason.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import toolkit

T = "Q: What is your comment on the drills?\nA: China firmly opposes them."


@pytest.fixture(autouse=True)
def no_cache(monkeypatch):
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", "off")


def _load(source):
    return toolkit.load_briefings(source, with_report=True)


def _deny(monkeypatch, owner, name: str, denied: str) -> None:
    """Make ``owner.name(path)`` raise PermissionError for a path whose last part is ``denied``."""
    real = getattr(owner, name)

    def guarded(path, *args, **kwargs):
        if Path(path).name == denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(owner, name, guarded)


def _reasons(report: pd.DataFrame, action: str) -> str:
    return " | ".join(report.loc[report["action"] == action, "reason"].astype(str))


def test_1_date_out_of_range_is_a_warning_not_a_crash(tmp_path):
    briefings, report, _ = _load(pd.DataFrame({"text": ["Q: a?\nA: b."], "date": ["2999-12-31"]}))
    assert briefings["date"].isna().all() and "outside 1677-2262" in _reasons(report, "warning")
    (tmp_path / "a.jsonl").write_text('{"text": "Q: a?\\nA: b.", "date": "2999-12-31"}\n{"text": "Q: c?\\nA: d."}\n')
    assert len(toolkit.load_briefings(tmp_path)) == 2


def test_6_unreadable_file_is_reported(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(T)
    (tmp_path / "locked.txt").write_text(T + " Again.")
    _deny(monkeypatch, Path, "read_bytes", "locked.txt")        # the runner is root: chmod would not stop it
    briefings, report, _ = _load(tmp_path)
    assert len(briefings) == 1 and "Permission denied" in _reasons(report, "skipped")


def test_7_parquet_with_list_cells(tmp_path):
    pd.DataFrame({"text": [["Q: a?", "A: b."]], "title": ["t"]}).to_parquet(tmp_path / "x.parquet")
    briefings, report, _ = _load(tmp_path / "x.parquet")
    assert briefings["text"].tolist() == ["Q: a?\nA: b."] and "holds lists" in _reasons(report, "warning")


def test_8_lone_surrogates(tmp_path):
    frame = pd.DataFrame({"text": pd.Series(["Q: a\ud800?\nA: b."], dtype=object)})
    briefings, report, _ = _load(frame)
    assert briefings["text"].tolist() == ["Q: a\ufffd?\nA: b."] and "U+FFFD" in _reasons(report, "warning")
    (tmp_path / "s.jsonl").write_text('{"text": "Q: a\\ud800?\\nA: b."}\n{"text": "Q: c?\\nA: d."}\n')
    assert len(toolkit.load_briefings(tmp_path / "s.jsonl")) == 2


def test_9_jsonl_line_that_is_no_object(tmp_path):
    (tmp_path / "n.jsonl").write_text('[1,2]\n42\nnull\n{"text": "Q: c?\\nA: d."}\n')
    briefings, report, _ = _load(tmp_path / "n.jsonl")
    skipped = report[report["action"] == "skipped"]
    assert len(briefings) == 1 and skipped["record"].tolist() == ["line 1", "line 2", "line 3"]
    assert skipped["reason"].str.contains("not an object").all()


def test_10_csv_row_with_more_fields_than_the_header(tmp_path):
    (tmp_path / "c.csv").write_text("text,date\nQ: a?,2024-01-01,extra,extra\nQ: b?\n")
    briefings, report, _ = _load(tmp_path / "c.csv")
    assert briefings["text"].tolist() == ["Q: b?"]
    row = report[report["action"] == "skipped"].iloc[0]
    assert row["record"] == "line 2" and "4 fields but the header has 2" in row["reason"]


def test_10_csv_quoted_multiline_fields_keep_their_line_numbers(tmp_path):
    (tmp_path / "q.csv").write_text('text,date\n"Q: a?\nA: b, c.",2024-01-01\n"Q: d?",2024-01-02\n')
    briefings, report, _ = _load(tmp_path / "q.csv")
    assert briefings["text"].tolist() == ["Q: a?\nA: b, c.", "Q: d?"]
    assert report.loc[report["action"] == "loaded", "record"].tolist() == ["line 2", "line 4"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_11_utf16_without_bom(tmp_path, encoding):
    (tmp_path / "u.txt").write_bytes(T.encode(encoding))
    assert toolkit.load_briefings(tmp_path / "u.txt")["text"].tolist() == [T]


def test_11_stray_nul_bytes_are_removed_with_a_warning(tmp_path):
    (tmp_path / "n.txt").write_bytes(T.encode() + b"\x00")
    briefings, report, _ = _load(tmp_path / "n.txt")
    assert "\x00" not in briefings["text"].iloc[0] and "NUL" in _reasons(report, "warning")


def test_12_deeply_nested_html(tmp_path):
    body = "<div>" * 300 + "<p>Q: What is your comment on the drills?</p><p>A: China firmly opposes them.</p>" + "</div>" * 300
    (tmp_path / "deep.html").write_text(f"<html><head><title>t</title></head><body>{body}</body></html>")
    briefings, report, _ = _load(tmp_path / "deep.html")
    assert briefings["text"].tolist() == [T] and "every visible line" in _reasons(report, "warning")


def test_13_same_doc_id_different_texts_both_kept():
    briefings, report, _ = _load(pd.DataFrame({"doc_id": ["x", "x"], "text": ["Q: a?\nA: b.", "Q: c?\nA: d."]}))
    assert briefings["doc_id"].tolist() == ["x", "x-2"] and "already used" in _reasons(report, "warning")
    same, report, _ = _load(pd.DataFrame({"doc_id": ["x", "y"], "text": ["Q: a?\nA: b."] * 2}))
    assert same["doc_id"].tolist() == ["x"] and (report["action"] == "merged").sum() == 1


def test_19_every_folder_entry_has_a_report_row(tmp_path):
    (tmp_path / "good.txt").write_text(T)
    (tmp_path / ".hidden.txt").write_text(T + " Hidden.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(T)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "elsewhere").symlink_to(tmp_path / ".git", target_is_directory=True)
    briefings, report, _ = _load(tmp_path)
    assert len(briefings) == 1
    reasons = dict(zip(report["source"].map(lambda s: Path(s).name), report["reason"].astype(str)))
    assert reasons[".hidden.txt"].startswith("hidden file") and reasons[".git"].startswith("hidden folder")
    assert reasons["dangling.txt"].startswith("broken symbolic link") and "FIFO" in reasons["pipe.txt"]
    assert reasons["elsewhere"].startswith("symbolic link to a folder")


def test_19_unlistable_folder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(T)
    (tmp_path / "closed").mkdir()
    _deny(monkeypatch, os, "scandir", "closed")
    briefings, report, _ = _load(tmp_path)
    assert len(briefings) == 1 and "cannot list the folder" in _reasons(report, "skipped")


def test_every_sheet_of_a_workbook_is_read_or_reported(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"text": ["Q: a?\nA: b."], "date": ["2020-01-02"]}).to_excel(writer, sheet_name="2020", index=False)
        pd.DataFrame({"text": ["Q: c?\nA: d."], "date": ["2021-01-02"]}).to_excel(writer, sheet_name="2021", index=False)
        pd.DataFrame({"text": []}).to_excel(writer, sheet_name="notes", index=False)
    briefings, report, _ = _load(path)
    assert briefings["date"].dt.year.tolist() == [2020, 2021]
    assert report["record"].tolist() == ["sheet 'notes'", "sheet '2020' row 2", "sheet '2021' row 2"]


def test_one_report_row_per_record(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": "Q: a?\\nA: b."}\n{"text": "Q: a?\\nA: b."}\n{broken\n'
                                      '{"text": "Q: c?\\nA: d.", "date": "2020-01-01"}\n')
    _, report, _ = _load(tmp_path)
    assert report["record"].tolist() == ["line 3", "line 1", "line 2", "line 4"]
    assert report["action"].tolist() == ["skipped", "warning", "merged", "loaded"]


def test_csv_field_longer_than_the_csv_module_default(tmp_path):
    long_text = "Q: a?\nA: " + "China firmly opposes it. " * 8000          # 200 KB, over csv's 128 KB default
    pd.DataFrame({"text": [long_text], "date": ["2020-01-01"]}).to_csv(tmp_path / "long.csv", index=False)
    assert toolkit.load_briefings(tmp_path / "long.csv")["text"].str.len().iloc[0] > 190_000


def test_page_the_manifest_records_as_not_ok_is_not_loaded(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.html").write_text(f"<html><body><p>{T}</p></body></html>")
    (tmp_path / "raw" / "b.html").write_text("<html><body><p>Q: Other?</p><p>A: Yes.</p></body></html>")
    pd.DataFrame({"url": ["http://x/a", "http://x/b"], "path": ["raw/a.html", "raw/b.html"],
                  "status": ["200", "299"]}).to_csv(tmp_path / "manifest.csv", index=False)
    briefings, report, _ = _load(tmp_path)
    assert briefings["url"].tolist() == ["http://x/a"] and "HTTP status 299" in _reasons(report, "skipped")
