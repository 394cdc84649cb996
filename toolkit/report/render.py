"""The report as files: ``report.html`` (Jinja2 template ``templates/report.html.j2``) and ``tables/*.csv``.

:func:`render_html` fills the template with the report's tables (pandas HTML) and figures (base64 PNG);
:func:`write_report` writes the page and one CSV per table; :func:`make_report` builds, draws and writes.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

TEMPLATE = "report.html.j2"
MAX_ROWS = 60                 # rows of a table shown in the page; the CSV holds them all
TABLES = ("overview", "by_month", "spokespersons", "kinds", "load_report", "load_problems", "phrases",
          "phrase_totals", "phrase_examples", "keyness", "askers", "speakers", "stance", "stance_totals", "topics",
          "topic_labels")
PAGE_TABLES = ("overview", "spokespersons", "kinds", "load_report", "load_problems", "phrase_totals", "keyness",
               "askers", "speakers", "stance_totals", "topic_labels")
COMPARISON_TITLES = {"spokespersons": "{a} and {b}: their own turns", "questions_answers": "Questions and answers"}
COMPARISON_SHOWN = 10         # terms of each side shown in the page
OVER_TIME = ("phrases", "stance", "topics")      # period tables whose partial periods are named under their figures
EXAMPLE_SHOWN = ["date", "speaker", "role", "left", "match", "right"]


def render_html(report) -> str:
    """The report as one self-contained HTML page (figures as base64 PNG, no external resource).

    Parameters
    ----------
    report : Report
        Tables and figures (:func:`toolkit.report.build_report`, :func:`toolkit.report.report_figures`).

    Returns
    -------
    str
        The page: sections ``notes`` (when any), ``overview``, ``phrases`` (under each key-phrase figure
        the latest lines of its phrases and the partial periods), ``keyness``, ``who-speaks``, ``groups``
        (each comparison's scatter, a link to its interactive page and its most typical terms), ``stance``,
        ``topics``, ``provenance``.
    """
    import jinja2

    from .build import partial_note
    from .translation import translation_html

    environment = jinja2.Environment(loader=jinja2.PackageLoader("toolkit.report", "templates"),
                                     autoescape=True, keep_trailing_newline=True)
    prov = report.provenance
    parameters = prov.get("parameters", {})
    shown = {name: getattr(report, name) for name in PAGE_TABLES}
    shown.update(_provenance_tables(prov, report.seconds))
    shown.update({f"compare_{name}": _extremes(table) for name, table in report.comparisons.items()})
    overview = dict(zip(report.overview["measure"], report.overview["value"]))
    return environment.get_template(TEMPLATE).render(
        title=Path(report.corpus).name or report.corpus, corpus=report.corpus, notes=report.notes,
        figures=report.figures, tables={name: _table(frame, name) for name, frame in shown.items()},
        examples=_examples(report), comparisons=_comparisons(report),
        known_askers=overview.get("questions with a known asker", "none"), partial={name: partial_note(getattr(report, name)) for name in OVER_TIME},
        corpus_hash=prov.get("corpus_hash", ""), n_docs=prov.get("n_docs", ""),
        seed=parameters.get("random_state", ""), written=f"{pd.Timestamp.now():%Y-%m-%d %H:%M}",
        translation=translation_html(report.translation))


def _examples(report) -> list[dict]:
    """Each key phrase (in the report's order) with its latest KWIC lines as a shown table (None: no line)."""
    lines = report.phrase_examples
    if "term" not in lines.columns:
        return []
    shown = lines.assign(date=lines["date"].dt.strftime("%Y-%m-%d"))[EXAMPLE_SHOWN]
    return [{"term": term, "table": _table(shown[lines["term"] == term], "kwic")}
            for term in report.phrase_totals["term"]]


def _comparisons(report) -> list[dict]:
    """Each comparison's title, figure, interactive page and table names."""
    return [{"title": _comparison_title(name, table), "figure": f"compare_{name}", "html": f"compare_{name}.html",
             "table": f"compare_{name}"} for name, table in report.comparisons.items()]


def comparison_pages(report) -> dict[str, str]:
    """The interactive scatter of each two-group comparison (:func:`toolkit.terms.compare.compare_groups_page`).

    Parameters
    ----------
    report : Report
        Tables of :func:`toolkit.report.build_report`.

    Returns
    -------
    dict
        Comparison name → one self-contained HTML page (written as ``compare_<name>.html``).
    """
    from ..terms.compare import compare_groups_page

    return {name: compare_groups_page(table, title=_comparison_title(name, table))
            for name, table in report.comparisons.items()}


def _comparison_title(name: str, table: pd.DataFrame) -> str:
    return COMPARISON_TITLES.get(name, name).format(**table.attrs.get("groups", {}))


def _extremes(table: pd.DataFrame) -> pd.DataFrame:
    """The ``COMPARISON_SHOWN`` terms most typical of each group (largest and smallest G2)."""
    ordered = table.sort_values("g2", ascending=False)
    return pd.concat([ordered.head(COMPARISON_SHOWN), ordered.tail(COMPARISON_SHOWN)]).drop_duplicates("term")


def _provenance_tables(prov: dict, seconds: dict) -> dict[str, pd.DataFrame]:
    parameters = prov.get("parameters", {})
    return {"parameters": pd.DataFrame({"parameter": list(parameters), "value": [str(v) for v in parameters.values()]}),
            "versions": pd.DataFrame(list(prov.get("versions", {}).items()), columns=["package", "version"]),
            "seconds": pd.DataFrame(list(seconds.items()), columns=["step", "seconds"])}


def _table(frame: pd.DataFrame | None, name: str) -> dict | None:
    """pandas' HTML of a table's first ``MAX_ROWS`` rows (escaped by pandas, so marked safe) and the rows left out."""
    from markupsafe import Markup

    if frame is None or frame.empty:
        return None
    markup = frame.head(MAX_ROWS).to_html(index=False, classes=name, float_format=lambda v: f"{v:.3g}", na_rep="")
    return {"html": Markup(markup), "more": max(0, len(frame) - MAX_ROWS)}


def write_report(report, out: str | Path) -> Path:
    """Write ``out/report.html`` (self-contained), ``out/tables/<table>.csv`` and the interactive scatter of each
    two-group comparison, ``out/compare_<name>.html`` (self-contained too).

    Parameters
    ----------
    report : Report
        Tables of :func:`toolkit.report.build_report`; its figures and interactive pages are made first when it
        has none.
    out : path
        Output folder (created).

    Returns
    -------
    Path
        The HTML page written.
    """
    from .figures import report_figures

    folder = Path(out)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    if not report.figures:
        report.figures = report_figures(report)
    for name, table in [*((name, getattr(report, name)) for name in TABLES), *report.translation.items()]:
        if table is not None and not table.empty:
            table.to_csv(folder / "tables" / f"{name}.csv", index=False)
    pages = report.pages or comparison_pages(report)
    for name, table in report.comparisons.items():
        table.to_csv(folder / "tables" / f"compare_{name}.csv", index=False)
        (folder / f"compare_{name}.html").write_text(pages[name], encoding="utf-8")
    path = folder / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def make_report(source, *, out: str | Path, **options):
    """Build the report of ``source``, draw its figures and write it under ``out``.

    Parameters
    ----------
    source : path or DataFrame
        Anything :func:`toolkit.load_briefings` reads.
    out : path
        Output folder: ``report.html`` and ``tables/*.csv``.
    **options
        Passed to :func:`toolkit.report.build_report` (``random_state``, ``phrases``, ``targets``, ``k``,
        ``n_boot``, ``progress``); pass ``random_state`` for identical tables on the next run.

    Returns
    -------
    (Report, Path)
        The tables and the path of ``report.html``.

    Examples
    --------
    >>> report, path = make_report("corpus/", out="report/", random_state=0)       # doctest: +SKIP
    """
    from .build import build_report

    report = build_report(source, draw=True, **options)     # each section's figures drawn as soon as it is done
    return report, write_report(report, out)
