"""One command, one self-contained HTML report: ``toolkit report CORPUS --out DIR``.

:func:`build_report` runs the toolkit's analyses on a corpus and keeps every number as a table
(:class:`Report`); :func:`write_report` renders them as one HTML file with the figures embedded
(base64 PNG) plus a CSV per table; :func:`make_report` does both.

Sections: corpus overview (briefings by month, spokespersons, kinds, the load report), key phrases
over time ("mil-to-mil relations" first), keyness by year, stance by target over time, topics over
time, provenance (corpus hash, versions, seed), and notes that say what could not be computed on a
small corpus and how to add data.
"""
from __future__ import annotations

import base64
import html
import io
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ._checks import ToolkitError
from .corpus import load_briefings
from .provenance import provenance
from .sentences import split_sentences
from .stance import STANCE_TARGETS, plot_stance_over_time, score_stance, stance_over_time
from .terms import keyness, plot_keyness, plot_term_trend, term_counts, term_frequency
from .tokens import count_terms
from .topics import fit_topics, plot_topics_over_time, topic_prevalence
from .turns import SPOKESPERSON_ROLES, pair_dyads, split_turns

KEY_PHRASES = {
    "en": ("mil-to-mil relations", "Taiwan independence", "South China Sea", "Cold War mentality", "hegemonism",
           "core interests", "win-win cooperation"),
    "zh": ("两军关系", "台独", "南海", "冷战思维", "霸权主义", "核心利益", "合作共赢"),
}
MIN_TOPIC_UNITS = 40          # spokesperson turns needed before topics are modelled
MIN_KEYNESS_DOCS = 5          # briefings a year needs to be compared with the others
SMALL_CORPUS = 30             # below this many briefings the report adds the "how to add data" note
KEYNESS_TOP = 10
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Arial Unicode MS")
STEPS = ("load", "turns", "overview", "key phrases", "keyness", "stance", "topics")

ADD_DATA = (
    "To add data: put briefings into a folder (plain-text transcripts with a headline line, saved web pages "
    "(.html), or tables (.csv, .jsonl, .xlsx, .parquet) with a text column, the CMFA PressCon or the US-China "
    "Official Diplomatic and Defense Corpus schemas; see corpus/README.md), or download the official archive "
    "with `toolkit fetch mnd_en --out corpus/mnd_en --since 2024-01-01`, then run "
    "`toolkit report FOLDER --out report/` again."
)


@dataclass
class Report:
    """Everything a report shows, as tables (returned by :func:`build_report`).

    Attributes
    ----------
    corpus : str
        What was analysed (path or ``"DataFrame"``).
    overview : DataFrame
        ``measure, value``: briefings, turns, dyads, words, first and last date, spokespersons, languages.
    by_month : DataFrame
        ``period, n_briefings`` (every month from the first to the last, zeros included).
    spokespersons : DataFrame
        ``spokesperson, n_briefings, first_date, last_date``.
    kinds : DataFrame
        ``kind, n_briefings``.
    load_report : DataFrame
        ``action, n_records`` (loaded / merged / skipped / warning) of ``briefings.attrs["load_report"]``.
    load_problems : DataFrame
        The load report's skipped and warning rows (``source, record, action, reason``).
    phrases : DataFrame
        :func:`toolkit.term_frequency` of the key phrases (``term, period, n, n_docs, n_words, rate,
        ci_low, ci_high``), rates per 10,000 tokens.
    phrase_totals : DataFrame
        ``term, n, n_docs, rate`` over the whole corpus, in the order of the key phrases.
    keyness : DataFrame
        ``year, term, n_target, n_reference, rate_target, rate_reference, keyness, effect, p_adjusted``:
        the ``KEYNESS_TOP`` terms most over-used in each year against all other years (G2).
    stance : DataFrame
        :func:`toolkit.stance_over_time` per period and target (``period, target, score, ci_low, ci_high,
        n, n_clusters``).
    stance_totals : DataFrame
        ``target, n_sentences, n_briefings, mean_score`` over the whole corpus.
    topics : DataFrame
        :func:`toolkit.topic_prevalence` (``topic, label, period, prevalence, ci_low, ci_high, n_units,
        n_docs``).
    topic_labels : DataFrame
        ``topic, label, top_terms, frex_terms``.
    provenance : dict
        Corpus hash, number of documents, versions and every parameter (seed included).
    notes : list of str
        What was left out and why, and how to add data when the corpus is small.
    figures : dict
        Section name → base64 PNG.
    seconds : dict
        Step → wall-clock seconds.
    """

    corpus: str
    overview: pd.DataFrame
    by_month: pd.DataFrame
    spokespersons: pd.DataFrame
    kinds: pd.DataFrame
    load_report: pd.DataFrame
    load_problems: pd.DataFrame
    phrases: pd.DataFrame = field(default_factory=pd.DataFrame)
    phrase_totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    keyness: pd.DataFrame = field(default_factory=pd.DataFrame)
    stance: pd.DataFrame = field(default_factory=pd.DataFrame)
    stance_totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    topics: pd.DataFrame = field(default_factory=pd.DataFrame)
    topic_labels: pd.DataFrame = field(default_factory=pd.DataFrame)
    provenance: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------------------- building
def build_report(
    source,
    *,
    random_state: int = 0,
    phrases: tuple[str, ...] | None = None,
    targets: tuple[str, ...] = STANCE_TARGETS,
    k: int | None = None,
    n_boot: int = 500,
    progress: bool = True,
) -> Report:
    """Run the analyses of the report on a corpus and return its tables and figures.

    Parameters
    ----------
    source : path or DataFrame
        Anything :func:`toolkit.load_briefings` reads (a folder, a file, a briefings table).
    random_state : int
        Seed of the bootstrap intervals and of the topic model.
    phrases : tuple of str, optional
        Key phrases followed over time; default ``KEY_PHRASES`` of the corpus' main language
        ("mil-to-mil relations" first).
    targets : tuple of str
        Stance targets shown (those present in the corpus).
    k : int, optional
        Number of topics; default grows with the number of spokesperson turns (2 to 10).
    n_boot : int
        Bootstrap replicates of the stance and topic intervals.
    progress : bool
        Show a tqdm progress bar of the steps on stderr.

    Returns
    -------
    Report
        Tables (see :class:`Report`); ``notes`` explains every section left empty.
    """
    from tqdm.auto import tqdm

    bar = tqdm(total=len(STEPS), desc="report", disable=not progress, file=sys.stderr, unit="step")
    clock = _Clock(bar)
    with clock("load"):
        briefings = load_briefings(source)
    if briefings.empty:
        bar.close()
        raise ToolkitError(f"build_report(): {source!s} holds no briefing (see the load report: "
                           f"{_problem_summary(briefings)}). {ADD_DATA}")
    with clock("turns"):
        turns = split_turns(briefings)
        dyads = pair_dyads(turns)
    unit = _time_unit(briefings["date"])
    notes = [] if len(briefings) >= SMALL_CORPUS else [
        f"This corpus holds {len(briefings)} briefing(s): the numbers below are a demonstration, not a result. "
        + ADD_DATA]
    n_months = briefings["date"].dt.to_period("M").nunique()
    if n_months < 2:
        notes.append(f"The briefings fall in {n_months} month(s): trends over time need at least two periods, "
                     "so the figures over time are left out and the tables show the counts.")
    with clock("overview"):
        report = _overview(briefings, turns, dyads, corpus=str(source) if not isinstance(source, pd.DataFrame)
                           else "DataFrame")
    lang = briefings["lang"].mode().iloc[0] if briefings["lang"].notna().any() else "en"
    phrases = tuple(phrases or KEY_PHRASES.get(lang, KEY_PHRASES["en"]))
    if (briefings["lang"] == "zh").any() and not cjk_fonts():
        notes.append("Chinese labels in the figures need a CJK font, and none is installed (Debian: apt-get "
                     "install fonts-noto-cjk); the tables are complete.")
    with clock("key phrases"):
        _phrases(report, turns, phrases=phrases, by=unit or "month")
    with clock("keyness"):
        _keyness(report, turns, notes)
    with clock("stance"):
        _stance(report, turns, targets=targets, by=unit, n_boot=n_boot, random_state=random_state, notes=notes)
    with clock("topics"):
        k = _topics(report, turns, k=k, by=unit, n_boot=n_boot, random_state=random_state, notes=notes)
    bar.close()
    report.notes = notes
    report.seconds = clock.seconds
    report.provenance = provenance(briefings, random_state=random_state, phrases=list(phrases),
                                   targets=list(targets), k=k, n_boot=n_boot, time_unit=unit)
    return report


class _Clock:
    """Times each step and advances the progress bar."""

    def __init__(self, bar):
        self.bar, self.seconds = bar, {}

    def __call__(self, step: str):
        self.step = step
        self.bar.set_postfix_str(step)
        return self

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.seconds[self.step] = round(time.perf_counter() - self.start, 2)
        self.bar.update(1)


def _time_unit(dates: pd.Series) -> str | None:
    """Month for a corpus spanning up to about a year, quarter beyond; None without dates."""
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    if dates.empty:
        return None
    return "month" if (dates.max() - dates.min()).days <= 400 else "quarter"


def _problem_summary(briefings: pd.DataFrame) -> str:
    report = briefings.attrs.get("load_report", pd.DataFrame())
    if report.empty:
        return "no file read"
    return "; ".join(f"{r.source}: {r.reason}" for r in report.itertuples() if r.action == "skipped")[:500]


def _overview(briefings: pd.DataFrame, turns: pd.DataFrame, dyads: pd.DataFrame, *, corpus: str) -> Report:
    dates = briefings["date"].dropna()
    overview = pd.DataFrame({"measure": ["briefings", "turns", "question/answer dyads", "words", "first date",
                                         "last date", "briefings without a date", "spokespersons", "languages"],
                             "value": [len(briefings), len(turns), len(dyads), int(briefings["n_words"].sum()),
                                       f"{dates.min():%Y-%m-%d}" if len(dates) else "none",
                                       f"{dates.max():%Y-%m-%d}" if len(dates) else "none",
                                       int(briefings["date"].isna().sum()), briefings["spokesperson"].nunique(),
                                       ", ".join(sorted(briefings["lang"].dropna().unique()))]})
    months = dates.dt.to_period("M")
    by_month = (months.value_counts().reindex(pd.period_range(months.min(), months.max(), freq="M"), fill_value=0)
                .rename_axis("period").reset_index(name="n_briefings")) if len(dates) else \
        pd.DataFrame(columns=["period", "n_briefings"])
    people = (briefings.assign(spokesperson=briefings["spokesperson"].fillna("(unknown)"))
              .groupby("spokesperson").agg(n_briefings=("doc_id", "size"), first_date=("date", "min"),
                                           last_date=("date", "max"))
              .sort_values("n_briefings", ascending=False).reset_index())
    kinds = briefings["kind"].fillna("(unknown)").value_counts().rename_axis("kind").reset_index(name="n_briefings")
    log = briefings.attrs.get("load_report", pd.DataFrame(columns=["source", "record", "action", "reason"]))
    actions = log["action"].value_counts().rename_axis("action").reset_index(name="n_records")
    problems = log.loc[log["action"].isin(["skipped", "warning"]), ["source", "record", "action", "reason"]]
    return Report(corpus=corpus, overview=overview, by_month=by_month, spokespersons=people, kinds=kinds,
                  load_report=actions, load_problems=problems.reset_index(drop=True))


def _phrases(report: Report, turns: pd.DataFrame, *, phrases: tuple[str, ...], by: str) -> None:
    matrix = count_terms(turns, unit="turn", stop_words=None)
    report.phrases = term_frequency(matrix, list(phrases), by=by)
    n_words = matrix.rows["n_tokens"].sum()
    counts = [term_counts(matrix, phrase, func="build_report") for phrase in phrases]
    report.phrase_totals = pd.DataFrame({
        "term": list(phrases), "n": [int(c.sum()) for c in counts],
        "n_docs": [matrix.rows.loc[c > 0, "doc_id"].nunique() for c in counts],
        "rate": [c.sum() / n_words * 10_000 if n_words else float("nan") for c in counts]})


def _keyness(report: Report, turns: pd.DataFrame, notes: list[str]) -> None:
    matrix = count_terms(turns, unit="doc")
    years = pd.to_datetime(matrix.rows["date"], errors="coerce").dt.year
    sizes = years.value_counts()
    usable = sorted(int(y) for y in sizes[sizes >= MIN_KEYNESS_DOCS].index)
    if len(usable) < 2:
        notes.append(f"Keyness by year compares each year with the others: it needs at least {MIN_KEYNESS_DOCS} "
                     f"dated briefings in each of two years (this corpus: "
                     f"{', '.join(f'{int(y)}: {n}' for y, n in sizes.sort_index().items()) or 'no dates'}).")
        return
    tables = []
    for year in usable:
        table = keyness(matrix, target=(years == year).to_numpy(), reference=(years != year).to_numpy()
                        & years.notna().to_numpy())
        top = table[table["keyness"] > 0].head(KEYNESS_TOP)
        tables.append(top.assign(year=year))
    columns = ["year", "term", "n_target", "n_reference", "rate_target", "rate_reference", "keyness", "effect",
               "p_adjusted"]
    report.keyness = pd.concat(tables, ignore_index=True)[columns]


def _stance(report: Report, turns: pd.DataFrame, *, targets, by, n_boot: int, random_state: int,
            notes: list[str]) -> None:
    spoken = turns[turns["role"].isin(SPOKESPERSON_ROLES)]
    scores = score_stance(split_sentences(spoken)) if len(spoken) else pd.DataFrame(columns=["target"])
    present = [t for t in targets if t in set(scores["target"].dropna())]
    if not present or by is None:
        notes.append(f"Stance: none of the targets {list(targets)} is mentioned in the spokesperson's words"
                     if not present else "Stance over time needs dated briefings.")
        return
    scores = scores[scores["target"].isin(present)]
    report.stance = stance_over_time(scores, by=by, target=present, n_boot=n_boot, random_state=random_state)
    totals = scores.groupby("target").agg(n_sentences=("score", "size"), n_briefings=("doc_id", "nunique"),
                                          mean_score=("score", "mean"))
    report.stance_totals = totals.reindex(present).reset_index()
    missing = [t for t in targets if t not in present]
    if missing:
        notes.append(f"Stance: {', '.join(missing)} not mentioned in the spokesperson's words.")


def _topics(report: Report, turns: pd.DataFrame, *, k, by, n_boot: int, random_state: int,
            notes: list[str]) -> int | None:
    """Fit the topics and their prevalence over time; return the number of topics used (None: skipped)."""
    n_units = int(turns["role"].isin(SPOKESPERSON_ROLES).sum())
    if n_units < MIN_TOPIC_UNITS or by is None:
        notes.append(f"Topics are modelled on the spokesperson's turns: at least {MIN_TOPIC_UNITS} are needed "
                     f"(this corpus: {n_units}).")
        return None
    k = k or int(min(10, max(2, n_units // 100)))
    model = fit_topics(turns, k=k, unit="answer", method="nmf", random_state=random_state)
    report.topics = topic_prevalence(model, by=by, n_boot=n_boot, random_state=random_state)
    report.topic_labels = model.labels
    return k


# ----------------------------------------------------------------------------------------- figures
def _n_periods(table: pd.DataFrame) -> int:
    return table["period"].nunique() if "period" in table else 0


def _png(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def cjk_fonts() -> list[str]:
    """The installed fonts of ``CJK_FONTS`` (for Chinese labels in figures), in order of preference."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed]


def report_figures(report: Report) -> dict[str, str]:
    """Draw the report's figures from its tables; section name → base64 PNG (sections without data left out).

    Latin text uses matplotlib's default font, Chinese text falls back to an installed CJK font.
    """
    import matplotlib

    fonts = [*matplotlib.rcParams["font.sans-serif"][:1], *cjk_fonts(), *matplotlib.rcParams["font.sans-serif"][1:]]
    with matplotlib.rc_context({"font.sans-serif": fonts}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        return _draw_figures(report)


def _draw_figures(report: Report) -> dict[str, str]:
    import matplotlib.pyplot as plt

    figures = {}
    if len(report.by_month):
        fig, ax = plt.subplots(figsize=(9, 3))
        labels = report.by_month["period"].astype(str)
        ax.bar(labels, report.by_month["n_briefings"], color="#4c72b0")
        step = max(1, len(labels) // 24)
        ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=90, fontsize="small")
        ax.set(xlabel="month", ylabel="briefings", title="Briefings by month")
        figures["by_month"] = _png(fig)
    if _n_periods(report.phrases) > 1:
        first = report.phrases["term"].iloc[0]
        for name, data in (("first_phrase", report.phrases[report.phrases["term"] == first]),
                           ("phrases", report.phrases[report.phrases["term"] != first])):
            if len(data):
                ax = plot_term_trend(data)
                ax.set_title(f"{first!r} per 10,000 tokens (95% exact Poisson interval)" if name == "first_phrase"
                             else "Other key phrases per 10,000 tokens")
                figures[name] = _png(ax.figure)
    if len(report.keyness):
        years = sorted(report.keyness["year"].unique())
        n_cols = min(4, len(years))
        n_rows = -(-len(years) // n_cols)
        fig, axes = plt.subplots(n_rows, n_cols, figsize=(3.6 * n_cols, 3.6 * n_rows), squeeze=False)
        for ax in axes.ravel()[len(years):]:
            ax.set_visible(False)
        for ax, year in zip(axes.ravel(), years):
            plot_keyness(report.keyness[report.keyness["year"] == year], n=KEYNESS_TOP, ax=ax)
            ax.set(title=str(year), ylabel="")
            if ax.get_legend():
                ax.get_legend().remove()
        fig.tight_layout()
        figures["keyness"] = _png(fig)
    if _n_periods(report.stance) > 1:
        fig, ax = plt.subplots(figsize=(9, 4))
        plot_stance_over_time(report.stance, ax=ax)
        figures["stance"] = _png(fig)
    if len(report.topics):
        panels = plot_topics_over_time(report.topics)
        figures["topics"] = _png(panels[0].figure)
    return figures


# ----------------------------------------------------------------------------------------- HTML
CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{border-bottom:2px solid #c0392b;overflow-wrap:anywhere} h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0} th,td{border:1px solid #ddd;padding:2px 6px}
th{background:#f4f4f4} img{max-width:100%} .note{background:#fff6e0;border-left:4px solid #e0a800;padding:.5em 1em}
code{background:#f4f4f4;padding:0 3px}
"""


def _table(frame: pd.DataFrame, name: str, *, max_rows: int = 60) -> str:
    if frame is None or frame.empty:
        return ""
    shown = frame.head(max_rows)
    more = f"<p>{len(frame) - max_rows} more rows in <code>tables/{name}.csv</code>.</p>" if len(frame) > max_rows else ""
    return shown.to_html(index=False, classes=name, float_format=lambda v: f"{v:.3g}", na_rep="") + more


def _image(report: Report, name: str, alt: str) -> str:
    data = report.figures.get(name)
    return f'<img id="fig-{name}" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">' if data else ""


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (figures as base64 PNG, no external resource)."""
    prov = report.provenance
    parameters = prov.get("parameters", {})
    versions = pd.DataFrame(list(prov.get("versions", {}).items()), columns=["package", "version"])
    notes = "".join(f'<p class="note">{html.escape(n)}</p>' for n in report.notes)
    empty = "<p>Not computed for this corpus (see the notes above).</p>"
    sections = [
        f"<h1>Briefings report: {html.escape(Path(report.corpus).name or report.corpus)}</h1>",
        f'<p>Corpus: <code>{html.escape(report.corpus)}</code></p>',
        f'<section id="notes">{notes}</section>' if notes else "",
        '<section id="overview"><h2>Corpus overview</h2>', _table(report.overview, "overview"),
        _image(report, "by_month", "briefings by month"),
        "<h3>Spokespersons</h3>", _table(report.spokespersons, "spokespersons"),
        "<h3>Kinds of briefing</h3>", _table(report.kinds, "kinds"),
        "<h3>Load report</h3>", _table(report.load_report, "load_report"),
        _table(report.load_problems, "load_problems"), "</section>",
        '<section id="phrases"><h2>Key phrases over time</h2>',
        "<p>Rates per 10,000 tokens of all turns, phrase variants merged (toolkit/data/phrases.csv).</p>",
        _table(report.phrase_totals, "phrase_totals"), _image(report, "first_phrase", "first key phrase over time"),
        _image(report, "phrases", "key phrases over time"), "</section>",
        '<section id="keyness"><h2>Keyness by year</h2>',
        "<p>Terms most over-used in each year against all other years (log-likelihood G2, "
        "Benjamini-Hochberg adjusted p).</p>" + (_table(report.keyness, "keyness") or empty),
        _image(report, "keyness", "keyness by year"), "</section>",
        '<section id="stance"><h2>Stance by target over time</h2>',
        "<p>Mean lexicon stance score of the spokesperson's sentences mentioning each target (-1 hostile .. +1 "
        "cooperative), 95% briefing-cluster bootstrap interval.</p>" + (_table(report.stance_totals,
                                                                                "stance_totals") or empty),
        _image(report, "stance", "stance over time"), "</section>",
        '<section id="topics"><h2>Topics over time</h2>',
        "<p>NMF topics of the spokesperson's turns; prevalence = mean topic share per period.</p>"
        + (_table(report.topic_labels, "topic_labels") or empty),
        _image(report, "topics", "topics over time"), "</section>",
        '<section id="provenance"><h2>Provenance</h2>',
        (f"<p>Corpus hash <code id=\"corpus-hash\">{prov.get('corpus_hash', '')}</code>, "
         f"{prov.get('n_docs', '')} documents, seed <code id=\"seed\">{parameters.get('random_state', '')}</code>, "
         f"written {pd.Timestamp.now():%Y-%m-%d %H:%M}.</p>"),
        _table(pd.DataFrame({"parameter": list(parameters), "value": [str(v) for v in parameters.values()]}),
               "parameters"),
        _table(versions, "versions"),
        _table(pd.DataFrame(list(report.seconds.items()), columns=["step", "seconds"]), "seconds"), "</section>",
    ]
    body = "\n".join(s for s in sections if s)
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Briefings report</title>"
            f"<style>{CSS}</style></head><body>\n{body}\n</body></html>\n")


TABLES = ("overview", "by_month", "spokespersons", "kinds", "load_report", "load_problems", "phrases",
          "phrase_totals", "keyness", "stance", "stance_totals", "topics", "topic_labels")


def write_report(report: Report, out: str | Path) -> Path:
    """Write ``out/report.html`` (self-contained) and ``out/tables/<table>.csv``; return the HTML path."""
    folder = Path(out)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    if not report.figures:
        report.figures = report_figures(report)
    for name in TABLES:
        table = getattr(report, name)
        if table is not None and not table.empty:
            table.to_csv(folder / "tables" / f"{name}.csv", index=False)
    path = folder / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def make_report(source, *, out: str | Path, **options) -> tuple[Report, Path]:
    """Build the report of ``source`` (see :func:`build_report` for ``options``) and write it under ``out``.

    Returns
    -------
    (Report, Path)
        The tables and the path of ``report.html``.

    Examples
    --------
    >>> report, path = make_report("corpus/", out="report/")       # doctest: +SKIP
    """
    report = build_report(source, **options)
    start = time.perf_counter()
    report.figures = report_figures(report)
    report.seconds["figures"] = round(time.perf_counter() - start, 2)
    return report, write_report(report, out)


# ----------------------------------------------------------------------------------------- command line
def add_report_parser(subparsers):
    """Add the ``report`` subcommand to an argparse ``subparsers`` object; its handler is ``args.func(args)``."""
    parser = subparsers.add_parser(
        "report", help="analyse a corpus and write a self-contained HTML report",
        description="Load a corpus, analyse it (overview, key phrases over time, keyness by year, stance by "
                    "target, topics) and write DIR/report.html (figures embedded) and DIR/tables/*.csv.")
    parser.add_argument("corpus", type=Path, help="a file or folder of briefings (e.g. corpus/)")
    parser.add_argument("--out", type=Path, default=Path("report"), help="output folder (default report/)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap and topic model (default 0)")
    parser.add_argument("--topics", type=int, default=None, help="number of topics (default: from the corpus size)")
    parser.add_argument("--phrase", action="append", dest="phrases", metavar="PHRASE",
                        help="key phrase to follow (repeatable; default: mil-to-mil relations and six more)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=run_report)
    return parser


def run_report(args) -> int:
    """Run the ``report`` subcommand: write the report, print where it is and what it found."""
    try:
        report, path = make_report(args.corpus, out=args.out, random_state=args.seed, k=args.topics,
                                   phrases=tuple(args.phrases) if args.phrases else None,
                                   progress=not args.no_progress)
    except ToolkitError as exc:
        print(f"toolkit report: {exc}", file=sys.stderr)
        return 2
    overview = dict(zip(report.overview["measure"], report.overview["value"]))
    print(f"report written to {path}  ({sum(report.seconds.values()):.1f} s)")
    print(f"briefings: {overview['briefings']}  turns: {overview['turns']}  words: {overview['words']:,}  "
          f"dates: {overview['first date']} .. {overview['last date']}")
    if len(report.phrase_totals):
        print("key phrases: " + ", ".join(f"{r.term} {r.n}" for r in report.phrase_totals.itertuples()))
    print(f"corpus hash: {report.provenance['corpus_hash']}  seed: {args.seed}")
    for note in report.notes:
        print(f"note: {note}")
    return 0
