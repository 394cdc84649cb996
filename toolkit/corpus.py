"""Load briefings from files, folders or DataFrames into one tidy table, one row per briefing."""
from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from . import cache
from ._checks import ToolkitError, require_choice
from ._collector import collector_paused
from ._frames import str_series
from .dates import to_timestamp
from .kinds import has_turn_labels, infer_kind, normalise_kind
from .metadata import (CleanText, infer_date, infer_source, infer_spokesperson, name_pattern, spokespersons_table,
                       strip_boilerplate)
from .text import count_words, detect_lang, valid_values
from .readers import SUPPORTED_SUFFIXES, read_records
from .readers.decode import DecodeError
from .readers.tables import SCHEMAS, SchemaError, briefing_records, detect_schema, dyad_records, plain_cells
from .readers.walk import Entry, walk

BRIEFING_COLUMNS = [
    "doc_id", "date", "source", "kind", "lang", "spokesperson", "rank", "title", "url", "text", "n_words",
    "boilerplate", "date_origin",
]
REPORT_COLUMNS = ["source", "record", "action", "reason", "doc_id"]
MANIFEST_COLUMNS = {"url", "path"}
Schema = Literal["auto", "toolkit", "usc", "cmfa"]
_RECENT_LOADS: OrderedDict[str, tuple[pd.DataFrame, pd.DataFrame]] = OrderedDict()
_RECENT_LIMIT = 16


class LoadResult(NamedTuple):
    """What :func:`load_briefings` read, with ``with_report=True``: three plain tables."""

    briefings: pd.DataFrame
    load_report: pd.DataFrame
    dyads: pd.DataFrame


@collector_paused()
def load_briefings(
    source: str | Path | pd.DataFrame,
    *,
    schema: Schema = "auto",
    lang: Literal["en", "zh"] | None = None,
    strict: bool = False,
    spokespersons: pd.DataFrame | str | None = None,
    use_cache: bool = True,
    with_report: bool = False,
) -> pd.DataFrame | LoadResult:
    """Load briefings into a table with one row per briefing.

    Parameters
    ----------
    source : str, Path or DataFrame
        A file, a folder (read recursively) or a DataFrame. Files: plain text (``.txt``, a headline
        line then paragraphs), saved web pages (``.html``, ``.htm``, ``.shtml``), tables (``.csv``,
        ``.tsv``, ``.jsonl``, ``.json``, ``.xlsx``, ``.parquet``). A ``manifest.csv`` with ``url`` and
        ``path`` columns (written by :func:`toolkit.fetch_briefings`) gives the saved pages their URLs.
    schema : {"auto", "toolkit", "usc", "cmfa"}
        Table schema; ``auto`` detects it from the columns: ``question``/``answer`` → ``cmfa`` (one row
        per dyad, grouped back into briefings), ``content``/``publish_time`` → ``usc`` (US-China
        Official Diplomatic and Defense Corpus), a ``text`` column → ``toolkit``.
    lang : {"en", "zh"}, optional
        Language of every briefing; detected per briefing when omitted (CJK share).
    strict : bool
        Raise :class:`toolkit.ToolkitError` when any record is skipped or needed a warning.
    spokespersons : DataFrame or str, optional
        Your own spokesperson table (see ``toolkit/data/spokespersons.csv``).
    use_cache : bool
        Reuse a parsed copy of the same files (cache keyed by their bytes and the parsing code, see
        :mod:`toolkit.cache`; an unchanged file read before is recognised by its size, mtime and inode).
    with_report : bool
        Return a :class:`LoadResult` ``(briefings, load_report, dyads)`` instead of the briefings alone.

    Returns
    -------
    DataFrame
        One row per briefing: ``doc_id`` (stable hash of the URL, else of the text), ``date``
        (datetime64), ``source`` (``mnd``, ``mfa``), ``kind`` (``regular_press_conference``,
        ``remarks``, ``answers_to_media``, ``news_release``, ``news_report``, ``press_conference``, ``other``;
        see :mod:`toolkit.kinds`), ``lang``
        (``en``/``zh``), ``spokesperson``, ``rank``, ``title``, ``url``, ``text`` (boilerplate removed,
        one paragraph a line), ``n_words`` (words for English; CJK characters plus Latin words for
        Chinese), ``boilerplate`` (what was removed), ``date_origin`` (where the date came from),
        then every other column of the input. Briefings grouped from a dyad table (CMFA) also carry
        ``source_dyads``: the original dyad rows' own columns as JSON, which :func:`toolkit.pair_dyads`
        turns back into columns. ``attrs["load"]`` is a plain record (``load_id``, ``source``, counts of
        ``actions``).
    LoadResult
        With ``with_report=True``: ``briefings`` as above; ``load_report``, with exactly one row for every
        record read (each file, folder entry, line, row or sheet; columns ``source, record, action,
        reason, doc_id``; actions ``loaded``, ``warning`` (loaded, with the reasons to check), ``merged``
        (a duplicate, ``doc_id`` names the briefing kept) and ``skipped`` (not loaded: the reason says
        why and what fixes it), plus a ``whole file`` row for what concerns a whole table); ``dyads``, the original rows of dyad tables (``doc_id``, ``dyad_id``
        and their own columns). :func:`load_report` gives the report of a table loaded earlier.

    Examples
    --------
    >>> briefings = load_briefings("corpus/")                      # doctest: +SKIP
    >>> briefings[["date", "spokesperson", "kind", "n_words"]]      # doctest: +SKIP
    """
    require_choice(schema, SCHEMAS, func="load_briefings", arg="schema")
    require_choice(lang, (None, "en", "zh"), func="load_briefings", arg="lang")
    table = spokespersons_table(spokespersons)
    if isinstance(source, pd.DataFrame):
        records, report = _frame_records(source, schema=schema)
        result = _assemble(records, report, lang=lang, spokespersons=table)
        load_id = cache.make_key("load_briefings:frame", cache.frame_digest(source, list(source.columns)), schema,
                                 str(lang), cache.fingerprint(table))
        where = "DataFrame"
    else:
        result, load_id = _load_path(Path(source), schema=schema, lang=lang, spokespersons=table, use_cache=use_cache)
        where = str(source)
    _enforce_strict(result.load_report, strict=strict)
    _remember(load_id, result)
    cache.remember(result.briefings, load_id)        # split_turns finds its entry by this key, not by the texts
    result.briefings.attrs = {"load": {
        "load_id": load_id, "source": where,
        "actions": {k: int(v) for k, v in result.load_report["action"].value_counts().items()},
    }}
    return result if with_report else result.briefings


def load_report(briefings: pd.DataFrame) -> pd.DataFrame:
    """The load report of a table that :func:`load_briefings` returned earlier in this session.

    Parameters
    ----------
    briefings : DataFrame
        The table as ``load_briefings`` returned it (or a pandas operation that kept its ``attrs``).

    Returns
    -------
    DataFrame
        One row per record read: ``source, record, action, reason, doc_id`` (actions ``loaded``,
        ``warning``, ``merged``, ``skipped``; see :func:`load_briefings`).
    """
    load_id = (briefings.attrs.get("load") or {}).get("load_id") if isinstance(briefings, pd.DataFrame) else None
    found = _RECENT_LOADS.get(load_id) if load_id else None
    if found is None and load_id:
        stored = cache.read("briefings", load_id)
        found = (stored["load_report"], stored.get("dyads")) if stored and "load_report" in stored else None
    if found is None:
        raise ToolkitError("load_report(): argument 'briefings' carries no load record of this session (its attrs "
                           "were dropped, or it was loaded long ago); call toolkit.load_briefings(source, "
                           "with_report=True) to get the report together with the table.")
    return found[0].copy()


def _remember(load_id: str, result: LoadResult) -> None:
    _RECENT_LOADS[load_id] = (result.load_report, result.dyads)
    _RECENT_LOADS.move_to_end(load_id)
    while len(_RECENT_LOADS) > _RECENT_LIMIT:
        _RECENT_LOADS.popitem(last=False)


def _frame_records(frame: pd.DataFrame, *, schema: str) -> tuple[list[dict], list[tuple]]:
    try:
        chosen = detect_schema(frame.columns) if schema == "auto" else schema
    except SchemaError as exc:
        raise ToolkitError(f"load_briefings(): argument 'source' (a DataFrame): {exc}") from None
    builder = dyad_records if chosen == "cmfa" else briefing_records
    frame, problems = plain_cells(frame.copy())
    records = builder(frame)
    for record in records:
        record["_source"] = "DataFrame"
    return records, [("DataFrame", *problem) for problem in problems]


def _entries(path: Path) -> list[tuple[Entry, str]]:
    """Every entry of ``path`` with a digest of its bytes (or of the reason it cannot be read); an unchanged file
    read before is not read again (:func:`toolkit.cache.file_digests`)."""
    if not path.exists() and not path.is_symlink():
        raise ToolkitError(f"load_briefings(): argument 'source': {path} does not exist; give a file, a folder or a "
                           "DataFrame.")
    entries = list(walk(path))
    digests = cache.file_digests(path, [e.path for e in entries if e.problem is None])
    found = []
    for entry in entries:
        digest = digests.get(entry.path) if entry.problem is None else None
        if isinstance(digest, str):
            found.append((entry, digest))
            continue
        if isinstance(digest, OSError):
            entry = Entry(entry.path, f"cannot read the file ({digest.strerror or digest}); check its permissions")
        found.append((entry, f"!{entry.problem}"))
    return found


def _load_path(path: Path, *, schema: str, lang, spokespersons: pd.DataFrame, use_cache: bool) -> tuple[LoadResult, str]:
    entries = _entries(path)
    key = cache.make_key(
        "load_briefings", schema, str(lang), cache.fingerprint(spokespersons),
        *(f"{e.path.relative_to(path) if path.is_dir() else e.path.name}:{digest}" for e, digest in entries),
    )
    stored = cache.read("briefings", key) if use_cache else None
    if stored is not None and {"briefings", "load_report"} <= set(stored):
        return LoadResult(stored["briefings"], stored["load_report"], stored.get("dyads", pd.DataFrame())), key
    records, report = _read_files([e for e, _ in entries], schema=schema)
    result = _assemble(records, report, lang=lang, spokespersons=spokespersons)
    if use_cache:
        cache.write("briefings", key, result._asdict())
    return result, key


def _read_files(entries: list[Entry], *, schema: str) -> tuple[list[dict], list[tuple]]:
    files = [e.path for e in entries if e.problem is None]
    hints, manifests = _manifest_hints(files)
    records = []
    report = [(str(e.path), "whole file", "skipped", e.problem) for e in entries if e.problem is not None]
    for file in files:
        if file in manifests:
            report.append((str(file), "whole file", "skipped", "fetch manifest: used for the pages' URLs, not a briefing"))
            continue
        refused = hints.get(str(file.resolve()), {}).get("refused")
        if refused:
            report.append((str(file), "whole file", "skipped", refused))
            continue
        if file.suffix.lower() not in SUPPORTED_SUFFIXES:
            report.append((str(file), "whole file", "skipped", f"not a briefing format ({file.suffix or 'no suffix'}); supported: {sorted(SUPPORTED_SUFFIXES)}"))
            continue
        try:
            found, problems = read_records(file, schema=schema, hints=hints)
        except (DecodeError, SchemaError, OSError) as exc:
            report.append((str(file), "whole file", "skipped", str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one unreadable file never aborts a folder
            report.append((str(file), "whole file", "skipped", f"could not read the file ({type(exc).__name__}: "
                           f"{exc}); check that it is a valid {file.suffix or 'text'} file"))
            continue
        report.extend((str(file), *problem) for problem in problems)
        for record in found:
            record["_source"] = str(file)
        records.extend(found)
    return records, report


def _manifest_hints(files: list[Path]) -> tuple[dict[str, dict], set[Path]]:
    """What fetch manifests (``manifest.csv`` with ``url`` and ``path``) say of each saved page."""
    hints, manifests = {}, set()
    for file in files:
        if file.name != "manifest.csv":
            continue
        try:
            manifest = pd.read_csv(file, dtype=str, keep_default_na=False)
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        if not MANIFEST_COLUMNS <= set(manifest.columns):
            continue
        manifests.add(file)
        saved = manifest[manifest["path"] != ""].drop_duplicates("path", keep="last")
        for row in saved.to_dict("records"):
            fields = ("url", "listing_date", "title", "kind", "source", "lang")
            hint = {k: row[k] for k in fields if row.get(k)}
            if row.get("status", "200") not in ("200", ""):
                hint["refused"] = (f"the fetch manifest records this page with HTTP status {row['status']} (only 200 "
                                   "is a page); run the fetch again or delete the file")
            hints[str((file.parent / row["path"]).resolve())] = hint
    return hints, manifests


def _assemble(records: list[dict], report: list[tuple], *, lang, spokespersons: pd.DataFrame) -> LoadResult:
    rows, dyads, seen_ids, seen_texts = [], [], {}, {}
    names = name_pattern(spokespersons)                 # once for all briefings
    for record in records:
        where = (record.pop("_source"), record.pop("_record"))
        record_dyads = record.pop("_dyads", None)
        given_id = _value(dict(record), "doc_id") is not None
        read_warnings = record.pop("_warnings", [])
        row, warnings = _briefing_row(record, lang=lang, spokespersons=spokespersons, names=names)
        warnings = read_warnings + warnings
        if not row["text"].strip():
            report.append((*where, "skipped", "empty document: no text after removing boilerplate; check the file or its 'text' column", None))
            continue
        text_key = hashlib.sha1(_one_spaced_utf8(row["text"])).hexdigest()
        duplicate_of = seen_texts.get(text_key) or (None if given_id else seen_ids.get(row["doc_id"]))
        if duplicate_of:
            report.append((*where, "merged", f"duplicate of {duplicate_of} (identical text, or the same URL); kept the "
                                             "first", duplicate_of))
            continue
        if row["doc_id"] in seen_ids:
            warnings.append(_renamed(row, seen_ids))
        seen_ids[row["doc_id"]] = seen_texts[text_key] = row["doc_id"]
        rows.append(row)
        report.append((*where, "warning" if warnings else "loaded", "; ".join(warnings), row["doc_id"]))
        if record_dyads:
            row["source_dyads"] = json.dumps(record_dyads, ensure_ascii=False, default=str)
            dyads.extend({"doc_id": row["doc_id"], **d} for d in record_dyads)
    return _finish(rows, report, dyads)


def _renamed(row: dict, seen_ids: dict) -> str:
    """Give a second briefing with a used ``doc_id`` (same URL or id, different text) a free id ``<id>-2``, ``-3`` ..."""
    used, number = row["doc_id"], 2
    while f"{used}-{number}" in seen_ids:
        number += 1
    row["doc_id"] = f"{used}-{number}"
    return (f"doc_id {used!r} is already used by a briefing with a different text: loaded as {row['doc_id']!r}; "
            "give each briefing its own doc_id, or remove one of them")


def _finish(rows: list[dict], report: list[tuple], dyads: list[dict]) -> LoadResult:
    texts = [row.pop("text") for row in rows]          # the long column built from its UTF-8 bytes at once
    frame = pd.DataFrame(rows).assign(text=str_series(texts)) if rows else pd.DataFrame(columns=BRIEFING_COLUMNS)
    extras = [c for c in frame.columns if c not in BRIEFING_COLUMNS]
    frame = frame[BRIEFING_COLUMNS + extras]
    for column in extras:     # an input field some records lack: None, as the cache (Arrow) gives it back
        if frame[column].dtype == object:
            frame[column] = frame[column].where(frame[column].notna(), None)
    frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    frame["n_words"] = count_words(texts, frame["lang"]) if len(frame) else frame["n_words"].astype("int64")
    load_report = pd.DataFrame([r if len(r) == 5 else (*r, None) for r in report], columns=REPORT_COLUMNS)
    return LoadResult(frame, load_report, pd.DataFrame(dyads))


def _value(record: dict, field: str):
    value = record.pop(field, None)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = str(value).strip() if isinstance(value, str) else value
    return value if value != "" else None


def _valid_strings(record: dict) -> list[str]:
    """Replace unpaired surrogates and NULs in the record's strings (in place); a warning when there were any."""
    replaced = valid_values(record)
    return [f"{replaced} invalid character(s) (NUL, or unpaired UTF-16 surrogates from a broken \\ud800 escape) "
            "replaced by U+FFFD; fix the source's escapes"] if replaced else []


def _briefing_row(record: dict, *, lang, spokespersons: pd.DataFrame, names) -> tuple[dict, list[str]]:
    warnings = _valid_strings(record)
    raw_text = str(_value(record, "text") or "")
    title = _value(record, "title")
    title = str(title) if title is not None else None
    clean = _without_heading(strip_boilerplate(raw_text), title)
    url = _value(record, "url")
    url = str(url) if url is not None else None
    page_date = record.pop("page_date", None)
    lang_value = lang or _value(record, "lang") or detect_lang(clean.text or title or "")
    date, origin = _date(record, title=title, clean=clean, url=url, page_date=page_date, warnings=warnings)
    found_name, found_rank = infer_spokesperson(title=title or "", text=clean.text, removed=clean.removed,
                                                spokespersons=spokespersons, names=names)
    spokesperson = _value(record, "spokesperson") or found_name
    rank = _value(record, "rank") or (found_rank if found_name == spokesperson else None)
    kind = (normalise_kind(_value(record, "kind"))        # the text's turn labels looked for only when no kind is given
            or infer_kind(title=title or "", text=clean.text, has_labels=has_turn_labels(clean.text)))
    source = _value(record, "source") or infer_source(url=url or "", title=title or "", text=clean.text, spokesperson=spokesperson, spokespersons=spokespersons)
    doc_id = _value(record, "doc_id")
    doc_id = str(doc_id) if doc_id is not None else _make_doc_id(url, clean.text)
    row = {
        "doc_id": doc_id, "date": date, "source": source, "kind": kind, "lang": lang_value,
        "spokesperson": spokesperson, "rank": rank, "title": title, "url": url, "text": clean.text,
        "n_words": 0, "boilerplate": clean.removed, "date_origin": origin,
    }
    row.update({k: v for k, v in record.items() if k not in row})
    if date is None:
        warnings.append("no date found in the date column, title, text or URL; add a 'date' column (YYYY-MM-DD)")
    return row, warnings


def _without_heading(clean: CleanText, title: str | None) -> CleanText:
    """Move a first line that repeats the title (a page's heading, perhaps with its date) to the boilerplate."""
    first, _, rest = clean.text.partition("\n")
    heading, title_words = " ".join(first.split()).lower(), " ".join((title or "").split()).lower()
    if title_words and heading.startswith(title_words) and len(heading) < len(title_words) + 40 and not re.search(r"[.!?。]$", heading):
        return CleanText(rest, "\n".join(filter(None, [first, clean.removed])))
    return clean


def _date(record: dict, *, title, clean, url, page_date, warnings: list[str]):
    given = _value(record, "date")
    if given is not None:
        parsed = to_timestamp(given)
        if not pd.isna(parsed):
            return parsed, "column"
        warnings.append(f"date {given!r} is unparseable or outside 1677-2262; took the date from the text instead; "
                        "write dates as YYYY-MM-DD")
    found, origin = infer_date(title=title or "", text=clean.text, url=url or "", removed=clean.removed, page_date=page_date)
    return found, origin


def _make_doc_id(url: str | None, text: str) -> str:
    basis = re.sub(r"^https?://", "", url.strip().rstrip("/")).encode("utf-8") if url else _one_spaced_utf8(text)
    return hashlib.sha1(basis).hexdigest()[:16]


# white space other than single spaces and newlines: the ASCII ones (as NUL in a text's flattened bytes, see
# _one_spaced_utf8), and those beyond ASCII (str.isspace)
_FLAT_SPACES = bytes.maketrans(b"\n\t\r\x0b\x0c\x1c\x1d\x1e\x1f", b" \0\0\0\0\0\0\0\0")
_ODD_SPACES_BEYOND_ASCII = tuple(chr(c) for c in range(128, 0x3001) if chr(c).isspace())


def _one_spaced_utf8(text: str) -> bytes:
    """``" ".join(text.split())`` in UTF-8: every run of white space one space, none at the ends. A text whose only
    white space is single spaces and newlines (a cleaned briefing: stripped lines) just has its newlines replaced,
    without splitting it into words (the same result, tested): its bytes with newlines as spaces and the other
    ASCII white space as NUL hold no NUL, no space at either end and no two spaces in a row."""
    flat = text.encode("utf-8").translate(_FLAT_SPACES)
    spaces = np.frombuffer(flat, dtype=np.uint8) == 32
    if (not spaces[:1].any() and not spaces[-1:].any() and not (spaces[1:] & spaces[:-1]).any()
            and b"\0" not in flat and (text.isascii() or not any(odd in text for odd in _ODD_SPACES_BEYOND_ASCII))):
        return flat
    return " ".join(text.split()).encode("utf-8")


def _enforce_strict(report: pd.DataFrame, *, strict: bool) -> None:
    if not strict:
        return
    problems = report[report["action"].isin(["skipped", "warning"])]
    if len(problems):
        lines = "\n".join(f"  {r.source} [{r.record}]: {r.action}: {r.reason}" for r in problems.itertuples())
        raise ToolkitError(f"load_briefings(strict=True): {len(problems)} record(s) need attention:\n{lines}")
