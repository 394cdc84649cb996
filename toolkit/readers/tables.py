"""Tables of briefings (CSV, TSV, JSONL, JSON, XLSX, Parquet) in the three schemas the toolkit knows.

- ``toolkit``: one row per briefing with a ``text`` column (also the MFA JSONL files with
  ``source_url``/``doc_type``, and the Zenodo "US-China Official Diplomatic and Defense Corpus"
  files with ``publish_time, type, title, content, source_url``: ``usc``).
- ``cmfa``: CMFA PressCon, one row per question/answer dyad (``question, answer, link, date,
  spokesperson`` ...), and the dyad files of the US-China corpus (``title, question, answer,
  source_url``). Dyads are grouped back into briefings whose text carries ``Q:``/``A:`` labels;
  the original dyad rows are kept for :func:`toolkit.pair_dyads`.

Column names may be Chinese (an assumption for the early ``国防部_*.xlsx`` backups of the US-China
corpus, whose headers were not seen): ``发布时间, 类型, 标题, 内容, 链接`` and ``问题``/``回答`` are
aliases of ``publish_time, type, title, content, source_url`` and ``question``/``answer``
(:data:`ALIASES`). A table without a kind column, or a row with an empty one, takes the kind its file
name names (``mod_special_press_conferences.csv`` → ``press_conference``; see :mod:`toolkit.kinds`).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..kinds import kind_from_label
from ..text import valid_values
from .decode import DecodeError, decode_bytes

TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".xlsx", ".xls", ".parquet"}
SCHEMAS = ("auto", "toolkit", "usc", "cmfa")
ALIASES = {
    "text": ("text", "content", "body", "full_text", "内容", "正文"),
    "title": ("title", "headline", "标题"),
    "date": ("date", "publish_time", "published", "pub_date", "publish_date", "发布时间", "日期", "时间"),
    "url": ("url", "source_url", "link", "链接", "网址", "来源链接"),
    "kind": ("kind", "doc_type", "type", "类型"),
    "question": ("question", "问题", "提问"),
    "answer": ("answer", "回答", "答复"),
}
USC_COLUMNS = ({"content", "publish_time"}, {"内容", "发布时间"})


class SchemaError(ValueError):
    """A table whose columns match none of the known schemas."""


def read_table(path: Path) -> tuple[pd.DataFrame, list[tuple]]:
    """Read a table file into a DataFrame with a ``_record`` column naming each row's place in the file.

    Rows that cannot be read (invalid JSON, a JSON line that is no object, a CSV line with more fields
    than the header) are reported as problems, never fatal; cells holding lists or mappings become text,
    with a warning.
    """
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xls"}:
        frame, problems = _read_sheets(path)
    elif suffix == ".parquet":
        frame, problems = pd.read_parquet(path), []
        frame["_record"] = [f"row {i}" for i in range(len(frame))]
    else:
        text, encoding = decode_bytes(path.read_bytes(), where=str(path))
        reader = _read_csv if suffix in {".csv", ".tsv"} else _read_json if suffix == ".json" else _read_jsonl
        frame, problems = reader(text, sep="\t" if suffix == ".tsv" else ",")
        if "removed" in encoding:
            problems.append(("whole file", "warning", f"the file held NUL bytes ({encoding}); check its encoding"))
    frame, cell_problems = plain_cells(frame)
    return frame, problems + cell_problems


def _read_sheets(path: Path) -> tuple[pd.DataFrame, list[tuple]]:
    """Every sheet of a workbook, its rows labelled ``row N`` (one sheet) or ``sheet S row N``; empty sheets reported."""
    sheets = pd.read_excel(path, dtype=str, sheet_name=None)
    parts, problems = [], []
    for name, sheet in sheets.items():
        where = f"sheet {name!r} " if len(sheets) > 1 else ""
        if sheet.dropna(how="all").empty:
            problems.append((f"sheet {name!r}", "skipped", "the sheet has no rows"))
            continue
        parts.append(sheet.assign(_record=[f"{where}row {i + 2}" for i in range(len(sheet))]))
    return (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["_record"])), problems


def _read_csv(text: str, *, sep: str) -> tuple[pd.DataFrame, list[tuple]]:
    """Rows of a CSV/TSV text as strings; a row with more fields than the header is reported, not shifted.

    Fields may be as long as the text itself (the csv module's default limit, 128 KB, would drop a long
    transcript).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header, rows, labels, problems, start = None, [], [], [], 1
    limit = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    try:
        for fields in reader:
            where, start = f"line {start}", reader.line_num + 1
            header = _add_row(fields, where, header, rows, labels, problems, sep)
    finally:
        csv.field_size_limit(limit)
    frame = pd.DataFrame(rows, columns=_unique(header or []), dtype=object)
    return frame.assign(_record=labels), problems


def _add_row(fields: list[str], where: str, header, rows: list, labels: list, problems: list, sep: str):
    """File one CSV row: the header, a row (padded to the header's width) or a reported line; returns the header."""
    if header is None:
        return fields
    if len(fields) > len(header):
        problems.append((where, "skipped", f"{len(fields)} fields but the header has {len(header)}: a field holding "
                                           f"'{sep}' must be quoted (\"...\"); fix the line and load again"))
    elif any(f.strip() for f in fields):
        rows.append(fields + [""] * (len(header) - len(fields)))
        labels.append(where)
    return header


def _unique(names: list[str]) -> list[str]:
    """Header names made unique (``text``, ``text.1``) as pandas does."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        out.append(f"{name}.{seen[name]}" if name in seen else name)
        seen[name] = seen.get(name, 0) + 1
    return out


def _read_json(text: str, *, sep: str) -> tuple[pd.DataFrame, list[tuple]]:
    """A JSON file: a list of objects (one per briefing) or an object of columns."""
    data = json.loads(text)
    if isinstance(data, list):
        return _objects(((f"record {i + 1}", item) for i, item in enumerate(data)))
    if isinstance(data, dict):
        frame = _uniform(pd.DataFrame(data))
        return frame.assign(_record=[f"row {i}" for i in range(len(frame))]), []
    raise SchemaError(f"the JSON file holds a {type(data).__name__}; write a list of objects, one per briefing")


def _read_jsonl(text: str, *, sep: str) -> tuple[pd.DataFrame, list[tuple]]:
    """One JSON object per line; invalid lines and lines that hold no object are reported."""
    items, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((f"line {number}", json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append((f"line {number}", "skipped", f"invalid JSON ({exc.msg} at column {exc.colno}); fix or delete the line"))
    frame, more = _objects(items)
    return frame, problems + more


def _objects(items) -> tuple[pd.DataFrame, list[tuple]]:
    rows, labels, problems = [], [], []
    for where, item in items:
        if isinstance(item, dict):
            rows.append(_valid_values(item, where, problems))
            labels.append(where)
        else:
            problems.append((where, "skipped", f"valid JSON but a {type(item).__name__}, not an object; write one "
                                               "object {\"text\": ...} per briefing"))
    return _uniform(pd.DataFrame(rows)).assign(_record=labels), problems


def _valid_values(item: dict, where: str, problems: list) -> dict:
    """The object's string values with NULs and unpaired surrogates (broken ``\\ud800`` escapes) as U+FFFD."""
    replaced = valid_values(item)
    if replaced:
        problems.append((where, "warning", f"{replaced} invalid character(s) (NUL, or unpaired UTF-16 surrogates "
                                           "from a broken \\u escape) replaced by U+FFFD; fix the escapes in the file"))
    return item


def plain_cells(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple]]:
    """Cells holding lists, arrays or mappings become text (list items one a line, mappings as JSON)."""
    problems = []
    for column in frame.columns:
        if frame[column].dtype != object:
            continue
        nested = frame[column].map(lambda v: isinstance(v, (list, tuple, dict, np.ndarray)))
        if nested.any():
            frame[column] = pd.Series([_as_text(v) for v in frame[column]], index=frame.index, dtype=object)
            problems.append(("whole file", "warning", f"column {column!r} holds lists or mappings in {int(nested.sum())} "
                                                      "row(s): list items were joined one a line, mappings kept as JSON"))
    return frame, problems


def _as_text(value):
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, (list, tuple, np.ndarray)):
        return "\n".join(str(_as_text(v)) for v in value)
    return value


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
    fields = cols | set(_renames(columns).values())
    if {"question", "answer"} <= fields:
        return "cmfa"
    if any(names <= cols for names in USC_COLUMNS):
        return "usc"
    if "text" in fields:
        return "toolkit"
    raise SchemaError(
        f"columns {sorted(cols)} match no known schema: a briefing table needs a 'text' (or 'content') "
        "column, a dyad table 'question' and 'answer' columns; rename a column or pass schema=..."
    )


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``_record`` column (``row i`` for a DataFrame; files set their own line/row numbers)."""
    return frame if "_record" in frame.columns else frame.assign(_record=[f"row {i}" for i in range(len(frame))])


def _renames(columns) -> dict:
    """The first alias found of each known field (not already present), mapped to the toolkit's name."""
    lower = {str(c).lower(): c for c in columns}
    renames = {}
    for field, names in ALIASES.items():
        if field in lower.values():
            continue
        for name in names:
            if name in lower and lower[name] not in renames:
                renames[lower[name]] = field
                break
    return renames


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Rename the first alias found of each known field to the toolkit's name (other columns kept)."""
    return frame.rename(columns=_renames(frame.columns))


def briefing_records(frame: pd.DataFrame) -> list[dict]:
    """One record per row of a briefing table (toolkit/usc schema)."""
    return _canonical(_labelled(frame)).to_dict("records")


def dyad_records(frame: pd.DataFrame) -> list[dict]:
    """Group dyad rows (CMFA schema) into briefing records with ``Q:``/``A:`` labelled text.

    Rows are grouped by ``url`` (``link``/``source_url``), else by ``title`` and ``date``; columns
    constant within every group become briefing columns, the others stay with the dyads
    (``_dyads``, a list of dicts with ``dyad_id``).
    """
    frame = _canonical(_labelled(frame)).reset_index(drop=True).rename(columns={"_record": "_row"})
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
    chosen = detect_schema([c for c in frame.columns if c != "_record"]) if schema == "auto" else schema
    records = dyad_records(frame) if chosen == "cmfa" else briefing_records(frame)
    return _with_kind_hint(records, kind_from_label(path.stem)), problems


def _with_kind_hint(records: list[dict], hint: str | None) -> list[dict]:
    """Records without a kind take ``hint``, the kind their file's name names (when it names one)."""
    if hint:
        for record in records:
            if not _clean_cell(record.get("kind")):
                record["kind"] = hint
    return records
