"""Tables of briefings (CSV, TSV, JSONL, JSON, XLSX, Parquet) in the three schemas the toolkit knows.

- ``toolkit``: one row per briefing with a ``text`` column (also the MFA JSONL files with
  ``source_url``/``doc_type``, and the Zenodo "US-China Official Diplomatic and Defense Corpus"
  files with ``publish_time, type, title, content, source_url``: ``usc``).
- ``cmfa``: CMFA PressCon, one row per question/answer dyad (``question, answer, link, date,
  spokesperson`` ...), and the dyad files of the US-China corpus (``title, question, answer,
  source_url``). Dyads are grouped back into briefings whose text carries ``Q:``/``A:`` labels;
  the original dyad rows are kept for :func:`toolkit.pair_dyads`.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from .decode import DecodeError, decode_bytes

TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".xlsx", ".xls", ".parquet"}
SCHEMAS = ("auto", "toolkit", "usc", "cmfa")
ALIASES = {
    "text": ("text", "content", "body", "full_text"),
    "title": ("title", "headline"),
    "date": ("date", "publish_time", "published", "pub_date", "publish_date"),
    "url": ("url", "source_url", "link"),
    "kind": ("kind", "doc_type", "type"),
}


class SchemaError(ValueError):
    """A table whose columns match none of the known schemas."""


def read_table(path: Path) -> tuple[pd.DataFrame, list[tuple]]:
    """Read a table file into a DataFrame of strings; bad JSON lines are reported, not fatal."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xls"}:
        return pd.read_excel(path, dtype=str), []
    if suffix == ".parquet":
        return pd.read_parquet(path), []
    text, _ = decode_bytes(path.read_bytes(), where=str(path))
    if suffix in {".csv", ".tsv"}:
        return pd.read_csv(io.StringIO(text), sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False), []
    if suffix == ".json":
        return _uniform(pd.DataFrame(json.loads(text))), []
    rows, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append((f"line {number}", "skipped", f"invalid JSON ({exc.msg} at column {exc.colno}); fix or delete the line"))
    return _uniform(pd.DataFrame(rows)), problems


def _uniform(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns mixing strings with numbers (``"1723_2"`` beside ``1723``) become strings throughout."""
    for column in frame.columns:
        values = frame[column].dropna()
        if frame[column].dtype == object and values.map(type).nunique() > 1 and values.map(lambda v: isinstance(v, str)).any():
            frame[column] = frame[column].map(lambda v: v if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
    return frame


def detect_schema(columns) -> str:
    """Return ``"cmfa"`` (dyad rows), ``"toolkit"`` or ``"usc"`` from a table's columns."""
    cols = {str(c).lower() for c in columns}
    if {"question", "answer"} <= cols:
        return "cmfa"
    if "content" in cols and "publish_time" in cols:
        return "usc"
    if cols & set(ALIASES["text"]):
        return "toolkit"
    raise SchemaError(
        f"columns {sorted(cols)} match no known schema: a briefing table needs a 'text' (or 'content') "
        "column, a dyad table 'question' and 'answer' columns; rename a column or pass schema=..."
    )


def _row_label(path: Path, i: int) -> str:
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv"}:
        return f"line {i + 2}"
    if suffix in {".jsonl", ".ndjson"}:
        return f"record {i + 1}"
    if suffix in {".xlsx", ".xls"}:
        return f"row {i + 2}"
    return f"row {i}"


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Rename the first alias found of each known field to the toolkit's name (other columns kept)."""
    lower = {str(c).lower(): c for c in frame.columns}
    renames = {}
    for field, names in ALIASES.items():
        if field in frame.columns:
            continue
        for name in names:
            if name in lower and lower[name] not in renames:
                renames[lower[name]] = field
                break
    return frame.rename(columns=renames)


def briefing_records(frame: pd.DataFrame, *, path: Path) -> list[dict]:
    """One record per row of a briefing table (toolkit/usc schema)."""
    frame = _canonical(frame)
    records = frame.to_dict("records")
    for i, record in enumerate(records):
        record["_record"] = _row_label(path, i)
    return records


def dyad_records(frame: pd.DataFrame, *, path: Path) -> list[dict]:
    """Group dyad rows (CMFA schema) into briefing records with ``Q:``/``A:`` labelled text.

    Rows are grouped by ``url`` (``link``/``source_url``), else by ``title`` and ``date``; columns
    constant within every group become briefing columns, the others stay with the dyads
    (``_dyads``, a list of dicts with ``dyad_id``).
    """
    frame = _canonical(frame).reset_index(drop=True)
    frame["_row"] = [_row_label(path, i) for i in range(len(frame))]
    keys = [k for k in ("url",) if k in frame.columns] or [k for k in ("title", "date") if k in frame.columns]
    if not keys:
        raise SchemaError("dyad table: needs a 'link'/'url'/'source_url' or 'title'/'date' column to group dyads into briefings")
    grouped = frame.groupby(keys, sort=False, dropna=False)
    constant = [c for c in frame.columns if c not in {"question", "answer", "_row"} and (grouped[c].nunique(dropna=False) <= 1).all()]
    records = []
    for _, part in grouped:
        record = {c: part[c].iloc[0] for c in constant}
        record["text"] = "\n".join(_dyad_text(q, a) for q, a in zip(part["question"], part["answer"]))
        dyads = part.drop(columns=constant).reset_index(drop=True)
        record["_dyads"] = dyads.assign(dyad_id=range(len(dyads))).drop(columns="_row").to_dict("records")
        record["_record"] = f"{part['_row'].iloc[0]} .. {part['_row'].iloc[-1]} ({len(part)} dyads)"
        records.append(record)
    return records


def _clean_cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() in {"", "-"}:
        return ""
    return " ".join(str(value).split())


def _dyad_text(question, answer) -> str:
    return f"Q: {_clean_cell(question)}\nA: {_clean_cell(answer)}"


def read_table_records(path: Path, *, schema: str) -> tuple[list[dict], list[tuple]]:
    """Read a table file into briefing records, detecting its schema unless ``schema`` names it."""
    try:
        frame, problems = read_table(path)
    except DecodeError:
        raise
    except Exception as exc:  # pandas/openpyxl/pyarrow raise many types for a broken file
        raise SchemaError(f"cannot read the table ({type(exc).__name__}: {exc}); check that the file is a valid {path.suffix} file") from exc
    if frame.empty:
        return [], problems + [("whole file", "skipped", "the table has no rows")]
    chosen = detect_schema(frame.columns) if schema == "auto" else schema
    if chosen == "cmfa":
        return dyad_records(frame, path=path), problems
    return briefing_records(frame, path=path), problems
