"""The numbers of the report, as tables: :func:`build_report` runs the analyses and returns a :class:`Report`.

Sections (``SECTIONS``: a step name and a function filling the report from the shared :class:`Inputs`; add a
section by adding a pair): corpus overview (briefings by month, spokespersons, kinds, the load report), key
phrases over time ("mil-to-mil relations" first), keyness by year, who speaks (askers by outlet, the
spokespersons' shares), two-group comparisons (two spokespersons; questions against answers), stance by target
over time, topics over time, translation shifts (when English and Chinese versions are loaded), provenance
(corpus hash, versions, seed), and notes that say what could not be
computed on a small corpus and how to add data. The corpus is tokenised once: every section reads the one term
matrix of :class:`Inputs`. The explorer (:mod:`toolkit.explorer`) shares the term matrix and
stance scores prepared here (:func:`phrase_matrix`, :func:`spokesperson_scores`).
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

import pandas as pd

from .._checks import ToolkitError
from ..corpus import load_briefings
from ..provenance import provenance
from ..sentences import split_sentences
from ..stance import STANCE_TARGETS, score_stance, stance_over_time
from ..terms import count_terms, keyness, kwic, term_counts, term_frequency
from ..terms.compare import compare_groups, content_terms
from ..terms.tokens import TermAnalyzer
from ..topics import fit_topics, topic_prevalence
from ..turns import SPOKESPERSON_ROLES, pair_dyads, split_turns
from .translation import translation_tables

KEY_PHRASES = {
    "en": ("mil-to-mil relations", "Taiwan independence", "South China Sea", "Cold War mentality", "hegemonism",
           "core interests", "win-win cooperation"),
    "zh": ("两军关系", "台独", "南海", "冷战思维", "霸权主义", "核心利益", "合作共赢"),
}
MIN_TOPIC_UNITS = 40          # spokesperson turns needed before topics are modelled
MIN_KEYNESS_DOCS = 5          # briefings a year needs to be compared with the others
SMALL_CORPUS = 30             # below this many briefings the report adds the "how to add data" note
KEYNESS_TOP = 10
EXAMPLES = 5                  # latest KWIC lines shown under each key phrase
EXAMPLE_COLUMNS = ["term", "date", "speaker", "role", "spokesperson", "left", "match", "right", "doc_id", "turn_id"]
KEYNESS_COLUMNS = ["year", "term", "n_target", "n_reference", "rate_target", "rate_reference", "g2", "log_ratio",
                   "p_adjusted"]
ASKERS_TOP = 20               # outlets listed in the askers table
MIN_GROUP_TOKENS = 2_000      # tokens each group needs before two groups are compared
POOL_TURNS = 5_000            # from this many turns the term matrix is tokenized in a process pool
CONCURRENT_TURNS = 5_000      # from this many turns the CONCURRENT sections run in forked processes
CONCURRENT = {"stance": False, "topics": True, "keyness": True}   # section -> whether it reads the term matrix
# (then it starts once the matrix is ready): each reads only the Inputs, never another section's tables

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
        ``action, n_records`` (loaded / merged / skipped / warning) of the load report
        (:func:`toolkit.load_briefings` with ``with_report=True``).
    load_problems : DataFrame
        The load report's skipped and warning rows (``source, record, action, reason``).
    phrases : DataFrame
        :func:`toolkit.term_frequency` of the key phrases (``term, period, n, n_docs, n_words, rate,
        ci_low, ci_high, period_start, period_end, days_covered, partial, low_count``), rates per 10,000
        tokens.
    phrase_totals : DataFrame
        ``term, n, n_docs, rate`` over the whole corpus, in the order of the key phrases.
    phrase_examples : DataFrame
        ``term, date, speaker, role, spokesperson, left, match, right, doc_id, turn_id``: the ``EXAMPLES``
        most recent keyword-in-context lines (:func:`toolkit.kwic`, 8 tokens each side) of each key phrase
        in the turns, newest first (text order within a briefing), in the order of the key phrases.
    keyness : DataFrame
        ``year, term, n_target, n_reference, rate_target, rate_reference, g2, log_ratio, p_adjusted``: the
        ``KEYNESS_TOP`` terms most over-used in each year against all other years, by G2, with their effect
        size (Hardie's log ratio) beside it; stop words and the genre stop list
        (:func:`toolkit.terms.compare.genre_stop_words`) left out.
    askers : DataFrame
        ``asker, n_questions, share_of_known, share_of_all``: the ``ASKERS_TOP`` outlets asking most, among
        the questions whose asker the transcript names (``overview`` gives that share of all questions).
    speakers : DataFrame
        ``spokesperson, n_briefings, n_turns, n_tokens, share_of_turns, share_of_tokens``: each spokesperson's
        own turns (statements, answers, reports) and their share of all the spokespersons' turns and tokens.
    comparisons : dict
        Name → :func:`toolkit.terms.compare.compare_groups` table: ``spokespersons`` (the two who speak most,
        their own turns) and ``questions_answers`` (questions against the spokespersons' turns).
    stance : DataFrame
        :func:`toolkit.stance_over_time` per period and target (``period, target, score, ci_low, ci_high,
        n, n_clusters`` and the period columns as in ``phrases``).
    stance_totals : DataFrame
        ``target, n_sentences, n_briefings, mean_score`` over the whole corpus.
    topics : DataFrame
        :func:`toolkit.topic_prevalence` (``topic, label, period, prevalence, ci_low, ci_high, n_units,
        n_docs`` and the period columns as in ``phrases``).
    topic_labels : DataFrame
        ``topic, label, top_terms, frex_terms``.
    provenance : dict
        Corpus hash, number of documents, versions and every parameter (seed included).
    notes : list of str
        What was left out and why, how to add data when the corpus is small, and which periods of the key
        phrases are partial (:func:`partial_note`).
    translation : dict
        :func:`toolkit.report.translation.translation_tables` (empty unless English and Chinese briefings).
    figures : dict
        Section name → base64 PNG.
    pages : dict
        Comparison name → the HTML of its interactive scatter (:func:`toolkit.report.render.comparison_pages`).
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
    phrase_examples: pd.DataFrame = field(default_factory=pd.DataFrame)
    keyness: pd.DataFrame = field(default_factory=pd.DataFrame)
    askers: pd.DataFrame = field(default_factory=pd.DataFrame)
    speakers: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparisons: dict = field(default_factory=dict)
    stance: pd.DataFrame = field(default_factory=pd.DataFrame)
    stance_totals: pd.DataFrame = field(default_factory=pd.DataFrame)
    topics: pd.DataFrame = field(default_factory=pd.DataFrame)
    topic_labels: pd.DataFrame = field(default_factory=pd.DataFrame)
    provenance: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    translation: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------------------- building
def build_report(
    source,
    *,
    random_state: int | None = None,
    phrases: tuple[str, ...] | None = None,
    targets: tuple[str, ...] = STANCE_TARGETS,
    k: int | None = None,
    n_boot: int = 500,
    progress: bool = True,
    draw: bool = False,
) -> Report:
    """Run the analyses of the report on a corpus and return its tables.

    Parameters
    ----------
    source : path or DataFrame
        Anything :func:`toolkit.load_briefings` reads (a folder, a file, a briefings table).
    random_state : int, optional
        Seed of the bootstrap intervals and of the topic model; ``None`` draws fresh randomness
        (the ``toolkit report`` command passes ``--seed``, default 0).
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
    draw : bool
        Also draw the figures (:func:`toolkit.report.report_figures`) and the comparisons' interactive pages,
        each section's as soon as its tables are ready (:func:`toolkit.report.make_report` passes True).

    Returns
    -------
    Report
        Tables (see :class:`Report`); ``notes`` explains every section left empty; ``figures`` and ``pages``
        are empty unless ``draw`` (:func:`toolkit.report.make_report` or :func:`toolkit.report.write_report` draw
        them otherwise). From ``CONCURRENT_TURNS`` turns on (where processes can be forked) the sections of
        ``CONCURRENT`` run in their own processes beside the others, the stance from the start, keyness and
        topics once the term matrix is ready: the same tables, faster on two cores (``bench/bench_report.py``).

    Examples
    --------
    >>> report = build_report("corpus/", random_state=0)        # doctest: +SKIP
    >>> report.phrase_totals                                     # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    with tqdm(total=len(STEPS), desc="report", disable=not progress, file=sys.stderr, unit="step") as bar:
        clock = _Clock(bar)
        with clock("load"):
            briefings, load_report, _ = load_briefings(source, with_report=True)
        if briefings.empty:
            raise ToolkitError(f"build_report(): {source!s} holds no briefing (see the load report: "
                               f"{_problem_summary(load_report)}). {ADD_DATA}")
        with clock("turns"):
            turns = split_turns(briefings)
            dyads = pair_dyads(turns)
        with clock("overview"):
            report = _overview(briefings, turns, dyads, load_report,
                               corpus="DataFrame" if isinstance(source, pd.DataFrame) else str(source))
        inputs = Inputs(briefings=briefings, turns=turns, dyads=dyads, matrix=None, by=_time_unit(briefings["date"]),
                        phrases=tuple(phrases or KEY_PHRASES.get(_main_lang(briefings), KEY_PHRASES["en"])),
                        targets=tuple(targets), k=k, n_boot=n_boot, random_state=random_state, draw=draw)
        report.figures, _, figure_seconds = _draw(report, inputs, ["by_month"])   # before any fork: the processes
        forked = _can_fork(turns)                                                   # share matplotlib's fonts
        runs = {step: _forked(step, report, inputs) for step, reads_matrix in CONCURRENT.items()
                if forked and not reads_matrix}
        with clock("term matrix"):
            inputs.matrix = phrase_matrix(turns)
        runs.update({step: _forked(step, report, inputs) for step, reads_matrix in CONCURRENT.items()
                     if forked and reads_matrix})
        notes = _corpus_notes(briefings)
        figure_seconds += _analyses(report, inputs, runs, clock, notes)
    report.notes = notes
    report.seconds = {**{step: clock.seconds[step] for step in STEPS},
                      **({"figures": round(figure_seconds, 2)} if draw else {})}
    report.provenance = provenance(briefings, random_state=random_state, phrases=list(inputs.phrases),
                                   targets=list(targets), k=inputs.k, n_boot=n_boot, time_unit=inputs.by)
    return report


@dataclass
class Inputs:
    """What every section of the report reads: the briefings, turns, their dyads and the one term matrix.

    ``matrix`` is :func:`phrase_matrix` of the turns (one row per turn, every token kept; None until it is
    built): key phrases count in it, keyness, the group comparisons and the topics read it without the stop
    words (:func:`toolkit.terms.compare.content_terms`), so the corpus is tokenised once. ``draw``: each
    section draws its figures.
    """

    briefings: pd.DataFrame
    turns: pd.DataFrame
    dyads: pd.DataFrame
    matrix: object
    by: str | None
    phrases: tuple
    targets: tuple
    k: int | None
    n_boot: int
    random_state: int | None
    draw: bool = False


def _analyses(report: Report, inputs: Inputs, runs: dict, clock: _Clock, notes: list[str]) -> float:
    """Fill the report's sections: those of ``runs`` (step -> the wait for its forked process) are running
    already, the others run here in the order of ``SECTIONS``; then every section's tables, figures and notes
    are taken into ``report`` and ``notes`` in that order. Returns the seconds spent drawing."""
    sections = dict(SECTIONS)
    done = {step: _run(step, report, inputs) for step in sections if step not in runs}
    figure_seconds = 0.0
    for step in sections:
        result = done[step] if step in done else runs[step]()
        for name, value in result["filled"].items():
            setattr(report, name, value)
        for name, value in result["inputs"].items():
            setattr(inputs, name, value)
        report.figures.update(result["figures"])
        report.pages.update(result["pages"])
        notes.extend(result["notes"])
        clock.add(step, result["seconds"])
        figure_seconds += result["figure_seconds"]
    return figure_seconds


def _run(step: str, report: Report, inputs: Inputs) -> dict:
    """Run one section (and draw its figures when ``inputs.draw``): the report's tables and the inputs it set
    (``filled``, ``inputs``), its ``figures``, ``pages``, ``notes``, ``seconds`` and ``figure_seconds``."""
    before, given = dict(vars(report)), dict(vars(inputs))
    notes: list[str] = []
    start = time.perf_counter()
    dict(SECTIONS)[step](report, inputs, notes)
    seconds = time.perf_counter() - start
    filled = {name: value for name, value in vars(report).items() if value is not before[name]}
    figures, pages, figure_seconds = _draw(report, inputs, filled)
    return {"filled": filled, "inputs": {name: value for name, value in vars(inputs).items()
                                         if value is not given[name]},
            "figures": figures, "pages": pages, "notes": notes, "seconds": round(seconds, 2), "figure_seconds": figure_seconds}


def _draw(report: Report, inputs: Inputs, tables) -> tuple[dict, dict, float]:
    """The figures of ``tables`` and, with ``comparisons`` among them, the interactive pages (none unless
    ``inputs.draw``), and the seconds making them took."""
    from .figures import report_figures
    from .render import comparison_pages

    if not inputs.draw:
        return {}, {}, 0.0
    start = time.perf_counter()
    figures = report_figures(report, tables=tables)
    pages = comparison_pages(report) if "comparisons" in tables else {}
    return figures, pages, time.perf_counter() - start


def _can_fork(turns: pd.DataFrame) -> bool:
    import multiprocessing

    return len(turns) >= CONCURRENT_TURNS and "fork" in multiprocessing.get_all_start_methods()


def _forked(step: str, report: Report, inputs: Inputs):
    """Start the section ``step`` in a forked process (:func:`_run` on a copy of ``report`` and ``inputs``);
    returns the function that waits for its result (its error raised here)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, step, report, inputs), daemon=True)
    process.start()
    send.close()

    def wait() -> dict:
        try:
            result = receive.recv()
        except EOFError:
            result = ToolkitError(f"build_report(): the {step} section's process ended without a result (exit code "
                                  f"{process.exitcode}); run it again, or free memory.")
        process.join()
        if isinstance(result, BaseException):
            raise result
        return result

    return wait


def _child(send, step: str, report: Report, inputs: Inputs) -> None:
    """The forked process of a section: its result, or its error, sent back through the pipe."""
    import pickle
    import traceback

    try:
        result = _run(step, report, inputs)
    except BaseException as error:              # noqa: BLE001 - raised again in the parent
        result = error
        try:
            pickle.dumps(error)
        except Exception:                       # noqa: BLE001
            result = ToolkitError(f"build_report(): the {step} section failed:\n{traceback.format_exc()}")
    send.send(result)
    send.close()


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
        self.add(self.step, round(time.perf_counter() - self.start, 2))

    def add(self, step: str, seconds: float) -> None:
        self.seconds[step] = seconds
        self.bar.update(1)


def _time_unit(dates: pd.Series) -> str | None:
    """Month for a corpus spanning up to about a year, quarter beyond; None without dates."""
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    if dates.empty:
        return None
    return "month" if (dates.max() - dates.min()).days <= 400 else "quarter"


def _main_lang(briefings: pd.DataFrame) -> str:
    return briefings["lang"].mode().iloc[0] if briefings["lang"].notna().any() else "en"


def _corpus_notes(briefings: pd.DataFrame) -> list[str]:
    """Notes on a small corpus, a single month and missing CJK fonts."""
    from ..figure_style import cjk_fonts

    notes = [] if len(briefings) >= SMALL_CORPUS else [
        f"This corpus holds {len(briefings)} briefing(s): the numbers below are a demonstration, not a result. "
        + ADD_DATA]
    n_months = briefings["date"].dt.to_period("M").nunique()
    if n_months < 2:
        notes.append(f"The briefings fall in {n_months} month(s): trends over time need at least two periods, "
                     "so the figures over time are left out and the tables show the counts.")
    if (briefings["lang"] == "zh").any() and not cjk_fonts():
        notes.append("Chinese labels in the figures need a CJK font, and none is installed (Debian: apt-get "
                     "install fonts-noto-cjk); the tables are complete.")
    return notes


def _problem_summary(load_report: pd.DataFrame) -> str:
    if load_report.empty:
        return "no file read"
    return "; ".join(f"{r.source}: {r.reason}" for r in load_report.itertuples() if r.action == "skipped")[:500]


def _overview(briefings: pd.DataFrame, turns: pd.DataFrame, dyads: pd.DataFrame, load_report: pd.DataFrame, *,
              corpus: str) -> Report:
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
    actions = load_report["action"].value_counts().rename_axis("action").reset_index(name="n_records")
    problems = load_report.loc[load_report["action"].isin(["skipped", "warning"]),
                               ["source", "record", "action", "reason"]]
    return Report(corpus=corpus, overview=overview, by_month=by_month, spokespersons=people, kinds=kinds,
                  load_report=actions, load_problems=problems.reset_index(drop=True))


# ----------------------------------------------------------------------------------------- shared with the explorer
def phrase_matrix(turns: pd.DataFrame):
    """The turns' term matrix with every token kept (stop words too), for phrase rates and KWIC.

    Parameters
    ----------
    turns : DataFrame
        Turns of :func:`toolkit.split_turns`; each becomes a row of the matrix.

    Returns
    -------
    TermMatrix
        ``count_terms(turns, unit="turn", stop_words=None)``, tokenized by one process per CPU from
        ``POOL_TURNS`` turns on (identical to one process; the MFA Chinese turns: 9.9 s -> 4.9 s on two cores).
    """
    pooled = len(turns) >= POOL_TURNS
    if pooled and (turns["lang"] == "zh").any():     # jieba's dictionary loaded once, before the pool forks
        _ = TermAnalyzer(stop_words=None, func="phrase_matrix").matchers["zh"].tokenizer   # (KWIC uses it too)
    return count_terms(turns, unit="turn", stop_words=None, n_jobs=-1 if pooled else 1)


def spokesperson_scores(turns: pd.DataFrame) -> pd.DataFrame:
    """Stance scores of the spokesperson's sentences (statement, answer and report turns).

    Parameters
    ----------
    turns : DataFrame
        Turns of :func:`toolkit.split_turns`, of every role (the spokesperson's are kept).

    Returns
    -------
    DataFrame
        :func:`toolkit.score_stance` of :func:`toolkit.split_sentences` of the spokesperson's turns (one row
        per sentence and target); with no spokesperson turn, an empty table with ``doc_id, turn_id, target,
        score, date``.
    """
    spoken = turns[turns["role"].isin(SPOKESPERSON_ROLES)]
    if spoken.empty:
        return pd.DataFrame(columns=["doc_id", "turn_id", "target", "score", "date"])
    return score_stance(split_sentences(spoken))


def _phrases(report: Report, inputs: Inputs, notes: list[str]) -> None:
    matrix, phrases, turns = inputs.matrix, inputs.phrases, inputs.turns
    report.phrases = term_frequency(matrix, list(phrases), by=inputs.by or "month")
    notes.extend(filter(None, [partial_note(report.phrases)]))
    n_words = matrix.rows["n_tokens"].sum()
    counts = [term_counts(matrix, phrase, func="build_report") for phrase in phrases]
    report.phrase_totals = pd.DataFrame({
        "term": list(phrases), "n": [int(c.sum()) for c in counts],
        "n_docs": [matrix.rows.loc[c > 0, "doc_id"].nunique() for c in counts],
        "rate": [c.sum() / n_words * 10_000 if n_words else float("nan") for c in counts]})
    report.phrase_examples = pd.concat([_latest_lines(turns, c, phrase) for phrase, c in zip(phrases, counts)],
                                       ignore_index=True)


def _latest_lines(turns: pd.DataFrame, counts, phrase: str) -> pd.DataFrame:
    """The ``EXAMPLES`` most recent KWIC lines of ``phrase`` (``EXAMPLE_COLUMNS``), ``counts`` its occurrences in
    each turn: only the latest turns holding ``EXAMPLES`` occurrences are read again for their contexts."""
    order = ["date", "doc_id", "turn_id"]
    used = turns.assign(_n=counts)[counts > 0].sort_values(order, ascending=[False, True, True], na_position="last")
    latest = used[used["_n"].cumsum().shift(fill_value=0) < EXAMPLES].drop(columns="_n")
    lines = kwic(latest, phrase, window=8).assign(term=phrase).sort_values(
        [*order, "start"], ascending=[False, True, True, True], na_position="last")
    return lines.head(EXAMPLES)[EXAMPLE_COLUMNS]


def partial_note(table: pd.DataFrame) -> str | None:
    """The sentence naming a period table's partial periods, with their days covered; None when none is.

    Parameters
    ----------
    table : DataFrame
        A period table with the columns of :func:`toolkit.periods.with_coverage` (``phrases``, ``stance``,
        ``topics`` of a :class:`Report`).

    Returns
    -------
    str or None
        For example "Partial periods ...: 2018Q2 (51 of 91 days), 2020Q3 (3 of 92 days)."
    """
    if "partial" not in table.columns or not table["partial"].any():
        return None
    rows = table[table["partial"]].drop_duplicates("period").sort_values("period")
    listed = ", ".join(f"{row.period} ({row.days_covered} of {(row.period_end - row.period_start).days + 1} days)"
                       for row in rows.itertuples())
    return (f"Partial periods (the corpus covers only part of them, so their estimates rest on fewer days; drawn "
            f"hollow and dashed, and left out of the y-axis range): {listed}.")


def _keyness(report: Report, inputs: Inputs, notes: list[str]) -> None:
    """The terms most over-used in each year against the other years, genre stop list left out."""
    matrix = content_terms(inputs.matrix)
    years = pd.to_datetime(matrix.rows["date"], errors="coerce").dt.year
    sizes = matrix.rows.groupby(years)["doc_id"].nunique()
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
    report.keyness = pd.concat(tables, ignore_index=True).rename(columns={"keyness": "g2", "effect": "log_ratio"})[
        KEYNESS_COLUMNS]


def _who_speaks(report: Report, inputs: Inputs, notes: list[str]) -> None:
    """Askers by outlet (where the transcript names one) and the spokespersons' shares of the answers."""
    dyads, turns = inputs.dyads, inputs.turns
    asked = dyads["asker"].where(~dyads["asker"].isin(["", "follow-up"])).dropna() if len(dyads) else pd.Series()
    share = len(asked) / len(dyads) if len(dyads) else float("nan")
    report.overview = pd.concat([report.overview, pd.DataFrame({
        "measure": ["questions with a known asker"],
        "value": [f"{len(asked)} of {len(dyads)} ({share:.1%})" if len(dyads) else "no question"]})],
        ignore_index=True)
    if len(asked):
        counts = asked.value_counts()
        report.askers = pd.DataFrame({"asker": counts.index, "n_questions": counts.to_numpy(),
                                      "share_of_known": counts.to_numpy() / len(asked),
                                      "share_of_all": counts.to_numpy() / len(dyads)}).head(ASKERS_TOP)
    if len(dyads):
        notes.append(f"Askers: {len(asked)} of {len(dyads)} questions ({share:.1%}) name the asker's outlet; the "
                     "askers table gives each outlet's share of those (share_of_known) and of all questions "
                     "(share_of_all).")
    spoken = turns[turns["role"].isin(SPOKESPERSON_ROLES)]
    words = inputs.matrix.rows.loc[turns["role"].isin(SPOKESPERSON_ROLES).to_numpy(), "n_tokens"]
    per = (spoken.assign(n_tokens=words.to_numpy(), speaker=spoken["speaker"].fillna("(unknown)"))
           .groupby("speaker").agg(n_briefings=("doc_id", "nunique"), n_turns=("turn_id", "size"),
                                   n_tokens=("n_tokens", "sum")))
    if len(per):
        report.speakers = (per.assign(share_of_turns=per["n_turns"] / per["n_turns"].sum(),
                                      share_of_tokens=per["n_tokens"] / per["n_tokens"].sum())
                           .sort_values("n_tokens", ascending=False).rename_axis("spokesperson").reset_index())


def _groups(report: Report, inputs: Inputs, notes: list[str]) -> None:
    """The two spokespersons who speak most compared term by term; the questions against the answers."""
    matrix = content_terms(inputs.matrix)
    roles = matrix.rows["role"]
    spoken = roles.isin(SPOKESPERSON_ROLES).to_numpy()
    comparisons = {}
    if len(report.speakers) >= 2 and (report.speakers["n_tokens"].iloc[:2] >= MIN_GROUP_TOKENS).all():
        first, second = report.speakers["spokesperson"].iloc[:2]
        comparisons["spokespersons"] = compare_groups(matrix.select(spoken), by="speaker", a=first, b=second)
    else:
        notes.append(f"Comparing spokespersons needs two with at least {MIN_GROUP_TOKENS:,} tokens each.")
    asked = (roles == "question").to_numpy()
    n_asked = int(matrix.rows["n_tokens"].to_numpy()[asked].sum())
    if n_asked >= MIN_GROUP_TOKENS and spoken.any():
        comparisons["questions_answers"] = compare_groups(
            matrix.select(asked | spoken), by="role", a="question", b=list(SPOKESPERSON_ROLES))
    else:
        notes.append(f"Comparing questions with answers needs {MIN_GROUP_TOKENS:,} tokens of questions "
                     f"(this corpus: {n_asked:,}).")
    report.comparisons = comparisons


def _stance(report: Report, inputs: Inputs, notes: list[str]) -> None:
    targets, by = inputs.targets, inputs.by
    scores = spokesperson_scores(inputs.turns)
    present = [t for t in targets if t in set(scores["target"].dropna())]
    if not present or by is None:
        notes.append(f"Stance: none of the targets {list(targets)} is mentioned in the spokesperson's words"
                     if not present else "Stance over time needs dated briefings.")
        return
    scores = scores[scores["target"].isin(present)]
    report.stance = stance_over_time(scores, by=by, target=present, n_boot=inputs.n_boot,
                                     random_state=inputs.random_state)
    totals = scores.groupby("target").agg(n_sentences=("score", "size"), n_briefings=("doc_id", "nunique"),
                                          mean_score=("score", "mean"))
    report.stance_totals = totals.reindex(present).reset_index()
    missing = [t for t in targets if t not in present]
    if missing:
        notes.append(f"Stance: {', '.join(missing)} not mentioned in the spokesperson's words.")


def _topics(report: Report, inputs: Inputs, notes: list[str]) -> None:
    """Fit the topics and their prevalence over time; ``inputs.k`` becomes the number used (None: skipped)."""
    turns, by = inputs.turns, inputs.by
    n_units = int(turns["role"].isin(SPOKESPERSON_ROLES).sum())
    if n_units < MIN_TOPIC_UNITS or by is None:
        notes.append(f"Topics are modelled on the spokesperson's turns: at least {MIN_TOPIC_UNITS} are needed "
                     f"(this corpus: {n_units}).")
        inputs.k = None
        return
    inputs.k = inputs.k or int(min(10, max(2, n_units // 100)))
    model = fit_topics(content_terms(inputs.matrix), k=inputs.k, unit="answer", method="nmf",
                       random_state=inputs.random_state)           # the answers' rows of the one matrix
    report.topics = topic_prevalence(model, by=by, n_boot=inputs.n_boot, random_state=inputs.random_state)
    report.topic_labels = model.labels


def _translation(report: Report, inputs: Inputs, notes: list[str]) -> None:
    """English and Chinese versions of the same briefings compared (empty unless both languages are loaded)."""
    report.translation = translation_tables(inputs.briefings, inputs.dyads, n_boot=inputs.n_boot,
                                            random_state=inputs.random_state, notes=notes)


SECTIONS = (("key phrases", _phrases), ("keyness", _keyness), ("who speaks", _who_speaks),
            ("groups", _groups), ("stance", _stance), ("topics", _topics), ("translation", _translation))
STEPS = ("load", "turns", "overview", "term matrix", *(step for step, _ in SECTIONS))
