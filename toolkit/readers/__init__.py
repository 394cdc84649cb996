"""Readers turn one input file into raw briefing records (plain dicts) for :func:`toolkit.load_briefings`.

Each reader returns ``(records, problems)``: ``records`` are dicts with any of the briefing fields
(``text``, ``title``, ``date``, ``url``, ``spokesperson`` ...) plus ``_record`` (row or part of the
file it came from); ``problems`` are ``(record, action, reason)`` tuples for the load report.
"""
from __future__ import annotations

from pathlib import Path

from .decode import decode_bytes
from .html import extract_html
from .tables import TABLE_SUFFIXES, read_table_records
from .text import read_text_record

HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
TEXT_SUFFIXES = {".txt"}
SUPPORTED_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | TABLE_SUFFIXES


def read_records(path: Path, *, schema: str, hints: dict[str, dict]) -> tuple[list[dict], list[tuple]]:
    """Read one file into briefing records, choosing the reader by the file's suffix.

    A file read as one record carries its reader's warnings in ``_warnings`` (so the file keeps one report
    row); a table reports problems of lines or of the whole table in ``problems``.

    ``hints`` maps a saved page's resolved path to what a fetch manifest knows of it (``url``,
    ``listing_date``, ``title``, ``kind``, ``source``, ``lang``): the page's own text comes first,
    the manifest fills the gaps.
    """
    if path.suffix.lower() in TABLE_SUFFIXES:
        return read_table_records(path, schema=schema)
    raw, warnings = path.read_bytes(), []
    if path.suffix.lower() in HTML_SUFFIXES:
        hint = hints.get(str(path.resolve()), {})
        record = extract_html(raw, url=hint.get("url"))
        record["title"] = record["title"] or hint.get("title")
        record["page_date"] = hint.get("listing_date") or record["page_date"]
        record.update({k: hint[k] for k in ("kind", "source", "lang") if hint.get(k)})
        if record.pop("whole_page") and record["text"]:
            warnings.append("no main text found by trafilatura: took every visible line of the page (check for "
                            "navigation lines in the text)")
    else:
        text, encoding = decode_bytes(raw, where=str(path))
        record = read_text_record(text)
        if "removed" in encoding:
            warnings.append(f"the file held NUL bytes ({encoding}); check its encoding")
    record.update(_record="whole file", _warnings=warnings)
    return [record], []


__all__ = ["extract_html", "read_records", "SUPPORTED_SUFFIXES", "decode_bytes"]
