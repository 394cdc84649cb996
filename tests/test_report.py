"""``toolkit report CORPUS --out DIR``: the numbers and sections of the HTML report, not its pixels.

Expected numbers are computed here independently of the toolkit: by reading the JSONL records and the
seed text directly, with regular expressions built from the phrase list, and from the definitions
(a topic's mean shares sum to 1 over the topics of a period).
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import toolkit
from toolkit.cli import main
from toolkit.report import build_report, make_report

PHRASES_CSV = Path(toolkit.__file__).parent / "data" / "phrases.csv"


def _phrase_counts(text: str) -> dict[str, int]:
    """Occurrences of each canonical phrase, the longest listed variant winning where variants overlap.

    A regex alternation over every English variant of the phrase list (longest first, so "South China Sea
    arbitration" is taken before "South China Sea"), case-insensitive unless the list says ``exact``;
    a space or a hyphen between words are the same ("Cold-War mentality"). A variant listed with context
    rules takes the first row whose ``context`` matches (and ``not_context`` does not) within ``window`` words
    of the hit in its paragraph, else it counts for nothing.
    """
    table = pd.read_csv(PHRASES_CSV, keep_default_na=False).query("lang == 'en'")
    table = table.assign(length=table["variant"].str.len()).sort_values("length", ascending=False, kind="stable")
    alternatives = [(re.escape(v) if case == "exact" else f"(?i:{re.escape(v)})").replace(r"\ ", "-").replace(r"\-", "-")
                    .replace("-", r"[\s-]+")
                    for v, case in zip(table["variant"], table["case"])]
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")
    senses = {}
    for row in table.sort_index().itertuples():
        senses.setdefault(_words(row.variant), []).append(row)
    found = [_sense(senses[_words(m.group(0))], paragraph, m)
             for paragraph in text.split("\n") for m in pattern.finditer(paragraph)]
    return pd.Series([f for f in found if f], dtype=object).value_counts().to_dict()


def _sense(rows, paragraph: str, match: re.Match) -> str | None:
    for row in rows:
        if not row.context and not row.not_context:
            return row.canonical
        window = int(row.window)
        left = re.findall(r"\w+(?:['-]\w+)*", paragraph[:match.start()])[-window:] if window else []
        right = re.findall(r"\w+(?:['-]\w+)*", paragraph[match.end():])[:window]
        around = " ".join([*left, match.group(0), *right])
        if (not row.context or re.search(row.context, around)) and not (row.not_context and re.search(row.not_context, around)):
            return row.canonical
    return None


def _words(phrase: str) -> str:
    return " ".join(phrase.replace("-", " ").split()).lower()


def _images(page: str) -> list[str]:
    return re.findall(r'<img id="fig-([a-z_]+)"[^>]* src="data:image/png;base64,[A-Za-z0-9+/=]{200,}"', page)


def _self_contained(page: str) -> bool:
    """No resource from elsewhere (links to the report's own interactive pages beside it allowed)."""
    return not re.search(r'(?:src|href)="(?!data:|compare_[a-z_]+\.html")|<link\b|<script\b', page)


# ----------------------------------------------------------------------------------------- shipped corpus
def test_cli_on_the_shipped_corpus_explains_how_to_add_data(seed_path, tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["report", str(seed_path.parent), "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert f"report written to {out / 'report.html'}" in printed
    assert "briefings: 1 " in printed and "To add data" in printed and "toolkit fetch" in printed
    page = (out / "report.html").read_text(encoding="utf-8")
    for section in ("notes", "overview", "phrases", "keyness", "stance", "topics", "provenance"):
        assert f'<section id="{section}">' in page
    assert _self_contained(page)
    assert _images(page) == ["by_month"]                                     # one month: no trend figure ...
    assert "trends over time need at least two periods" in page              # ... and the report says why
    seed_text = seed_path.read_text(encoding="utf-8")
    totals = pd.read_csv(out / "tables" / "phrase_totals.csv")
    assert totals["term"].iloc[0] == "mil-to-mil relations"
    assert totals["n"].iloc[0] == _phrase_counts(seed_text)["mil-to-mil relations"] == 3
    overview = dict(pd.read_csv(out / "tables" / "overview.csv").values)
    assert overview["briefings"] == "1" and overview["first date"] == "2021-01-28"
    assert dict(pd.read_csv(out / "tables" / "load_report.csv").values) == {"loaded": 1, "skipped": 1}  # + README.md
    assert "at least 5 dated briefings in each of two years" in page         # keyness skipped, said why
    assert "at least 40 are needed" in page                                  # topics skipped, said why


def test_progress_bar_counts_the_steps(seed_path, capsys):
    from toolkit.report.build import STEPS

    report = build_report(seed_path.parent, progress=True)
    assert f"{len(STEPS)}/{len(STEPS)}" in capsys.readouterr().err
    assert list(report.seconds) == ["load", "turns", "overview", "term matrix", "key phrases", "keyness", "who speaks",
                                    "groups", "stance", "topics", "translation"]


def test_own_phrases_and_seed_reach_the_provenance(seed_path, tmp_path):
    report, path = make_report(seed_path, out=tmp_path, phrases=("friendly exchanges", "Korean Peninsula"),
                               random_state=7, progress=False)
    assert list(report.phrase_totals["term"]) == ["friendly exchanges", "Korean Peninsula"]
    assert list(report.phrase_totals["n"]) == [2, 2]     # counted by hand in the seed briefing
    assert report.provenance["parameters"]["random_state"] == 7
    assert report.provenance["corpus_hash"] == toolkit.corpus_hash(toolkit.load_briefings(seed_path))
    page = path.read_text(encoding="utf-8")
    assert f'<code id="corpus-hash">{report.provenance["corpus_hash"]}</code>' in page
    assert '<code id="seed">7</code>' in page


# four briefings from 20 January to 6 March 2020: January (12 of 31 days) and March (6 of 31 days) are partial
SMALL = pd.DataFrame({
    "date": pd.to_datetime(["2020-01-20", "2020-02-10", "2020-03-05", "2020-03-06"]),
    "spokesperson": ["Wu Qian", "Wu Qian", "Ren Guoqiang", "Ren Guoqiang"],
    "title": ["briefing"] * 4,
    "text": ["Wu Qian: Mil-to-mil relations are stable.\nQuestion: What about mil-to-mil relations with Japan?",
             "Wu Qian: The mil-to-mil relationship grows. Mil-to-mil ties matter.",
             "Ren Guoqiang: Mil-to-mil relations deepen. Military-to-military relations too.",
             "Ren Guoqiang: Mil-to-mil relations again."],
})


def test_latest_lines_and_partial_periods_on_a_small_corpus(tmp_path):
    report, path = make_report(SMALL, out=tmp_path, phrases=("mil-to-mil relations", "Cold War mentality"),
                               random_state=0, progress=False)
    examples = report.phrase_examples
    assert list(examples.columns) == ["term", "date", "speaker", "role", "spokesperson", "left", "match", "right",
                                      "doc_id", "turn_id"]
    # the five most recent of the seven lines, newest first, text order within a briefing; no Cold War line
    assert list(examples["match"]) == ["Mil-to-mil relations", "Mil-to-mil relations", "Military-to-military relations",
                                       "mil-to-mil relationship", "Mil-to-mil ties"]
    assert examples["date"].dt.strftime("%m-%d").tolist() == ["03-06", "03-05", "03-05", "02-10", "02-10"]
    assert list(examples["speaker"]) == ["Ren Guoqiang"] * 3 + ["Wu Qian"] * 2
    assert set(examples["role"]) == {"statement"} and set(examples["term"]) == {"mil-to-mil relations"}
    written = pd.read_csv(tmp_path / "tables" / "phrase_examples.csv")
    assert list(written["match"]) == list(examples["match"])
    phrases = report.phrases[report.phrases["term"] == "mil-to-mil relations"]
    assert phrases["days_covered"].tolist() == [12, 29, 6] and phrases["partial"].tolist() == [True, False, True]
    note = "2020-01 (12 of 31 days), 2020-03 (6 of 31 days)."
    assert any(note in line for line in report.notes)
    page = path.read_text(encoding="utf-8")
    figure = page.index('id="fig-first_phrase"')
    assert page.index('<p class="partial">', figure) < page.index("Latest lines: mil-to-mil relations", figure)
    assert note in page[figure:] and "<th>speaker</th>" in page and "<td>Ren Guoqiang</td>" in page
    assert "Latest lines: Cold War mentality</h4><p>No occurrence in this corpus.</p>" in page


def test_corpus_without_briefings_is_a_clear_error(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("not a briefing")
    with pytest.raises(toolkit.ToolkitError, match=r"build_report\(\).*holds no briefing.*To add data"):
        build_report(empty, progress=False)
    assert main(["report", str(empty), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert "toolkit report: build_report()" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------- real corpus
@pytest.fixture(scope="module")
def mfa_report(mfa_en_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("mfa_report")
    report, path = make_report(mfa_en_path, out=out, random_state=0, n_boot=200, progress=False)
    records = [json.loads(line) for line in mfa_en_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return report, path, pd.DataFrame(records)


def test_overview_matches_the_jsonl_records(mfa_report):
    report, _, records = mfa_report
    overview = dict(zip(report.overview["measure"], report.overview["value"]))
    dates = pd.to_datetime(records["date"]).dropna()
    assert overview["briefings"] == len(records) == 500
    assert overview["first date"] == f"{dates.min():%Y-%m-%d}" and overview["last date"] == f"{dates.max():%Y-%m-%d}"
    assert overview["briefings without a date"] == records["date"].isna().sum() == 2
    months = pd.period_range(dates.min(), dates.max(), freq="M")
    assert list(report.by_month["period"]) == list(months)
    assert list(report.by_month["n_briefings"]) == list(dates.dt.to_period("M").value_counts().reindex(months,
                                                                                                         fill_value=0))
    expected = records["spokesperson"].value_counts()
    assert dict(zip(report.spokespersons["spokesperson"], report.spokespersons["n_briefings"])) == expected.to_dict()
    assert dict(zip(report.kinds["kind"], report.kinds["n_briefings"])) == {"regular_press_conference": 472,
                                                                             "remarks": 28}


def test_key_phrases_match_an_independent_count(mfa_report):
    report, _, records = mfa_report
    assert report.phrase_totals["term"].iloc[0] == "mil-to-mil relations"
    expected = _phrase_counts("\n".join(records["text"]))
    for term in ("mil-to-mil relations", "South China Sea", "Cold War mentality"):
        n = report.phrase_totals.set_index("term").loc[term, "n"]
        assert n == expected[term], term
        assert report.phrases.query("term == @term")["n"].sum() <= n            # undated briefings have no period
    first = report.phrases[report.phrases["term"] == "mil-to-mil relations"]
    assert list(first["period"].astype(str)) == [str(p) for p in pd.period_range("2018Q2", "2020Q3", freq="Q")]
    assert ((first["ci_low"] <= first["rate"]) & (first["rate"] <= first["ci_high"])).all()


def test_keyness_by_year(mfa_report):
    report, _, _ = mfa_report
    assert sorted(report.keyness["year"].unique()) == [2018, 2019, 2020]
    assert (report.keyness.groupby("year").size() == 10).all()
    assert (report.keyness["g2"] > 0).all() and (report.keyness["p_adjusted"] < 0.05).all()
    assert (report.keyness["log_ratio"] > 0).all()                          # effect size beside G2
    genre = set(pd.read_csv(Path(toolkit.__file__).parent / "data" / "briefing_stopwords.csv")["word"])
    assert {"two", "relevant"} <= genre and not genre & set(report.keyness["term"])
    assert not set(report.keyness["term"]) & toolkit.load_stop_words()
    assert "COVID-19" in set(report.keyness.query("year == 2020")["term"])     # the word did not exist before
    assert "COVID-19" not in set(report.keyness.query("year != 2020")["term"])


def test_stance_and_topics_sections(mfa_report):
    report, path, _ = mfa_report
    assert set(report.stance["target"]) == {"United States", "Taiwan", "Japan", "DPRK"}
    stance = report.stance
    banded = stance["n_clusters"] >= 2          # one briefing in a period: no interval (NaN), not a zero width
    assert stance.loc[~banded, ["ci_low", "ci_high"]].isna().all().all()
    stance = stance[banded]
    assert ((stance["ci_low"] <= stance["score"]) & (stance["score"] <= stance["ci_high"])).all()
    assert (stance["score"].abs() < 1).all()
    assert report.topics["topic"].nunique() == report.provenance["parameters"]["k"] == 10
    filled = report.topics.dropna(subset=["prevalence"])
    sums = filled.groupby("period")["prevalence"].sum()
    assert sums.round(6).eq(1.0).all()                                        # mean shares sum to one per period
    page = path.read_text(encoding="utf-8")
    assert _self_contained(page)
    assert _images(page) == ["by_month", "first_phrase", "phrases", "keyness", "compare_spokespersons",
                             "compare_questions_answers", "stance", "topics"]
    assert report.provenance["corpus_hash"] in page and "scikit-learn" in page
    written = sorted(p.stem for p in (path.parent / "tables").glob("*.csv"))
    assert written == sorted(["overview", "by_month", "spokespersons", "kinds", "load_report", "load_problems",
                              "phrases", "phrase_totals", "phrase_examples", "keyness", "askers", "speakers",
                              "compare_spokespersons", "compare_questions_answers", "stance", "stance_totals",
                              "topics", "topic_labels"])


def test_partial_quarters_and_latest_lines_of_every_key_phrase(mfa_report):
    report, path, records = mfa_report
    # the corpus runs from 11 May 2018 to 3 July 2020
    for table in (report.phrases, report.stance, report.topics):
        partial = table.loc[table["partial"], ["period", "days_covered"]].drop_duplicates()
        assert dict(zip(partial["period"].astype(str), partial["days_covered"])) == {"2018Q2": 51, "2020Q3": 3}
    note = "2018Q2 (51 of 91 days), 2020Q3 (3 of 92 days)."
    assert any(note in line for line in report.notes)
    page = path.read_text(encoding="utf-8")
    assert page.count(f"{note}</p>") == 1 + 2 + 2        # the notes, under both phrase figures, stance and topics
    examples = report.phrase_examples
    texts = records.assign(date=pd.to_datetime(records["date"]))
    for term in report.phrase_totals.query("n >= 5")["term"]:
        lines = examples[examples["term"] == term]
        assert len(lines) == 5 and lines["date"].is_monotonic_decreasing, term
        latest = texts[texts["text"].map(lambda text: _phrase_counts(text).get(term, 0) > 0)]["date"].max()
        assert lines["date"].iloc[0] == latest, term                 # the newest briefing using the phrase
        assert f"Latest lines: {term}</h4>" in page


def test_key_phrase_figure_limits_come_from_full_quarters(mfa_report):
    report, _, _ = mfa_report
    first = report.phrases[report.phrases["term"] == "mil-to-mil relations"]
    ax = toolkit.plot_term_trend(first)
    full = first.loc[~first["partial"], ["rate", "ci_low", "ci_high"]].to_numpy()
    low, high = full.min(), full.max()
    assert ax.get_ylim() == pytest.approx((low - 0.05 * (high - low), high + 0.05 * (high - low)))
    q3 = first[first["period"].astype(str) == "2020Q3"].iloc[0]
    assert q3["n_words"] < 10_000 and ax.get_ylim()[1] < q3["ci_high"]    # 3 days: a wide interval, cut off


def test_same_seed_gives_identical_tables(mfa_report, mfa_en_path, monkeypatch):
    """Also whether the stance and the topics run in forked processes (the fixture: 9,000 turns) or here."""
    from toolkit.report import build

    report, _, _ = mfa_report
    assert build._can_fork(toolkit.split_turns(toolkit.load_briefings(mfa_en_path)))
    monkeypatch.setattr(build, "CONCURRENT_TURNS", math.inf)
    again = build_report(mfa_en_path, random_state=0, n_boot=200, progress=False, draw=True)
    for name in ("overview", "phrases", "keyness", "stance", "stance_totals", "topics", "topic_labels"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(report, name), obj=name)
    assert again.provenance == report.provenance
    assert again.notes == report.notes and set(again.figures) == set(report.figures)
    assert list(again.seconds) == list(report.seconds)


def test_every_section_reads_one_term_matrix(mfa_en_path, monkeypatch):
    """The report tokenises the corpus once: key phrases, keyness, the comparisons and the topic model share the
    turn matrix (tokenized by a process pool on a large corpus: n_jobs is the only extra option)."""
    from toolkit.report import build
    from toolkit.terms import matrix
    from toolkit.topics import _setup as topic_setup

    built = []

    def counting(frame, **options):
        built.append(options)
        return real(frame, **options)

    real = matrix.count_terms
    monkeypatch.setattr(build, "count_terms", counting)
    monkeypatch.setattr(matrix, "count_terms", counting)        # as_matrix(): a table given instead of a matrix
    monkeypatch.setattr(topic_setup, "count_terms", counting)   # fit_topics given a table
    report = build_report(mfa_en_path, random_state=0, n_boot=20, progress=False)
    assert [{k: v for k, v in options.items() if k != "n_jobs"} for options in built] == [
        {"unit": "turn", "stop_words": None}]
    assert len(report.keyness) and set(report.comparisons) == {"spokespersons", "questions_answers"}


def test_who_speaks_counts_the_known_askers(mfa_report):
    report, path, records = mfa_report
    overview = dict(zip(report.overview["measure"], report.overview["value"]))
    known, total = map(int, re.match(r"(\d+) of (\d+) \(", overview["questions with a known asker"]).groups())
    dyads = toolkit.pair_dyads(toolkit.split_turns(toolkit.load_briefings(report.corpus)))
    assert total == len(dyads) and known == (dyads["asker"].notna() & ~dyads["asker"].isin(["", "follow-up"])).sum()
    assert 0 < known < total and report.askers["n_questions"].sum() <= known
    assert report.askers["share_of_known"].iloc[0] == pytest.approx(report.askers["n_questions"].iloc[0] / known)
    assert report.askers["share_of_all"].iloc[0] == pytest.approx(report.askers["n_questions"].iloc[0] / total)
    assert f"{known} of {total} questions" in " ".join(report.notes)
    speakers = report.speakers
    assert set(speakers["spokesperson"]) == set(records["spokesperson"].dropna())
    assert speakers["share_of_tokens"].sum() == pytest.approx(1) and speakers["n_tokens"].is_monotonic_decreasing
    page = path.read_text(encoding="utf-8")
    assert '<section id="who-speaks">' in page and "<td>Reuters</td>" in page


# ----------------------------------------------------------------------------------------- two groups, fonts
TWO_GROUPS = pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "speaker": ["A", "A", "B"],
                           "text": ["apple apple banana", "apple cherry", "banana banana cherry cherry cherry date"]})


def test_compare_groups_matches_hand_computed_rates_and_g2():
    from toolkit.terms.compare import compare_groups

    table = compare_groups(TWO_GROUPS, by="speaker", a="A", b="B", min_count=1).set_index("term")
    n_a, n_b = 5, 6                                          # tokens of each group
    counts = {"apple": (3, 0), "banana": (1, 2), "cherry": (1, 3), "date": (0, 1)}
    for term, (a, b) in counts.items():
        e_a, e_b = n_a * (a + b) / (n_a + n_b), n_b * (a + b) / (n_a + n_b)     # Rayson & Garside
        g2 = 2 * sum(o * math.log(o / e) for o, e in ((a, e_a), (b, e_b)) if o)
        row = table.loc[term]
        assert (row["n_a"], row["n_b"]) == (a, b)
        assert row["rate_a"] == pytest.approx(a / n_a * 10_000) and row["rate_b"] == pytest.approx(b / n_b * 10_000)
        assert row["g2"] == pytest.approx(g2 if a / n_a > b / n_b else -g2)
        assert row["log_ratio"] == pytest.approx(math.log2((max(a, 0.5) / n_a) / (max(b, 0.5) / n_b)))
    assert table["g2"].iloc[0] == pytest.approx(6 * math.log(2.2))            # apple: 2*3*ln(3/(15/11))
    assert list(table.index) == ["apple", "banana", "cherry", "date"]       # by G2: most typical of A first
    with pytest.raises(toolkit.ToolkitError, match=r"compare_groups\(\): group a='C' selects no row"):
        compare_groups(TWO_GROUPS, by="speaker", a="C")


def test_interactive_scatter_needs_no_network(tmp_path):
    from html.parser import HTMLParser

    from toolkit.terms.compare import compare_groups, compare_groups_html

    path = compare_groups_html(compare_groups(TWO_GROUPS, by="speaker", a="A", min_count=1), tmp_path / "c.html")
    external = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            external.extend(v for k, v in attrs if k in ("src", "href") and v and not v.startswith(("data:", "#")))

    page = path.read_text(encoding="utf-8")
    Links().feed(page)
    assert not external and "<script" in page and '"apple"' in page      # Bokeh inlined, the data embedded
    browser = _headless_chromium(tmp_path)
    if browser is None:
        return
    browser.get(path.as_uri())
    browser.implicitly_wait(0)
    import time as clock

    deadline = clock.monotonic() + 30
    while clock.monotonic() < deadline and not browser.execute_script(
            "return window.Bokeh !== undefined && Bokeh.documents.length > 0"):
        clock.sleep(0.2)
    assert browser.execute_script("return Bokeh.documents.length") == 1          # the plot rendered offline
    requested = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert [url for url in requested if not url.startswith(("file:", "data:", "blob:"))] == []
    browser.quit()


def _headless_chromium(tmp_path):
    """Chromium through chromedriver, None when not installed (a failure in CI)."""
    import os
    import shutil

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not chromium or not driver:
        assert not os.environ.get("CI"), "the offline check needs Chromium in CI (apt-get install chromium-driver)"
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver), options=options)


def _glyph_warnings(draw) -> list[str]:
    import io
    import warnings

    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_xticks([0, 1], ["两军关系", "台独"])
        ax.set_title("South China Sea 南海")
        draw(fig)
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_chinese_tick_labels_have_their_glyphs_in_the_style(monkeypatch):
    import matplotlib
    from matplotlib import font_manager

    from toolkit.figure_style import cjk_fonts, style

    if not cjk_fonts():
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk; .ci/run installs it)")

    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        assert _glyph_warnings(lambda fig: None)                     # without the style: boxes, and a warning
        with style():
            assert matplotlib.rcParams["font.family"] == ["sans-serif", *cjk_fonts()]
            assert _glyph_warnings(lambda fig: None) == []
        assert matplotlib.rcParams["font.family"] == ["DejaVu Sans"]       # the context gives the settings back
    # a stale font list (the CJK font installed after matplotlib's cache was written): the style finds it
    known = list(font_manager.fontManager.ttflist)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [f for f in known if "CJK" not in f.name])
    assert "Noto Sans CJK SC" in cjk_fonts()


def test_chinese_report_figures_show_chinese_glyphs(tmp_path):
    import warnings

    from toolkit.figure_style import cjk_fonts

    if not cjk_fonts():
        pytest.skip("no CJK font installed (Debian: apt-get install fonts-noto-cjk; .ci/run installs it)")
    zh = pd.DataFrame({"date": pd.to_datetime(["2020-01-10", "2020-02-10", "2020-03-10"]),
                       "spokesperson": ["耿爽"] * 3, "title": ["例行记者会"] * 3,
                       "text": [f"耿爽：两军关系稳定发展{i}。\n问：南海问题？\n耿爽：南海和平稳定。" for i in "一二三"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report, _ = make_report(zh, out=tmp_path, phrases=("两军关系", "南海"), random_state=0, progress=False)
    assert {"first_phrase", "phrases"} <= set(report.figures)
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert not any("CJK font" in note for note in report.notes)
