"""``toolkit.explore``: the tables behind the widget follow the controls, and a real browser drives it.

The browser test serves a notebook calling ``toolkit.explore`` with Voilà on 127.0.0.1, opens it in
Debian's Chromium (headless, through chromedriver and Selenium), types a phrase and checks that the
trend image, the summary and the KWIC table update. Without Chromium it is skipped with the reason on a
user's machine and fails in CI (``CI`` set), like the corpus fixtures.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit.explorer import explore
from toolkit.report.build import phrase_matrix
from toolkit.terms import term_frequency

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1800"]


# ----------------------------------------------------------------------------------------- tables
@pytest.fixture(scope="module")
def seed_explorer(seed_path):
    return explore(toolkit.split_turns(toolkit.load_briefings(seed_path)), by="month", random_state=0)


def test_seed_briefing_trend_kwic_and_stance(seed_explorer):
    app = seed_explorer
    assert app.trend["n"].sum() == 3 and list(app.trend["period"].astype(str)) == ["2021-01"]
    # the three variants as written in the seed text (counted by hand)
    assert list(app.kwic_lines["match"]) == ["Mil-to-mil relations", "mil-to-mil relationship", "mil-to-mil relations"]
    assert "<b>mil-to-mil relations</b>: <span class='n'>3</span>" in app.summary.value
    assert app.kwic_table.value.count("<tr>") == 1 + 3               # header + lines
    assert list(app.kwic_lines["role"]) == ["report", "question", "report"] and "<th>role</th>" in app.kwic_table.value
    # stance only in the turns using the phrase: the DPRK is the target of those sentences
    assert set(app.stance["target"]) == {"DPRK"}


def test_typing_another_phrase_updates_every_table(seed_explorer):
    app = seed_explorer
    before = app.trend_image.value
    app.phrase.value = "Korean Peninsula"
    assert app.trend["n"].sum() == 2 and len(app.kwic_lines) == 2
    assert set(app.kwic_lines["match"]) == {"Korean Peninsula"}
    assert app.trend_image.value != before
    app.phrase.value = "re:friend\\w*"                                 # friendly, friendship ... in the running text
    assert set(app.kwic_lines["match"].str.lower()) == {"friendly", "friendship"}
    app.phrase.value = "re:(("
    assert app.error and "error" in app.summary.value
    app.phrase.value = "mil-to-mil ties"                             # a variant finds its canonical phrase
    assert app.error is None and app.trend["n"].sum() == 3


def test_an_error_clears_the_previous_phrase(seed_path):
    app = explore(toolkit.split_turns(toolkit.load_briefings(seed_path)), by="month", random_state=0)
    assert len(app.kwic_lines) == 3 and app.trend_image.value and app.axes
    app.phrase.value = "re:(("
    assert app.error and "error" in app.summary.value
    assert app.trend.empty and app.stance.empty and app.kwic_lines.empty and not app.axes
    assert app.trend_image.value == b"" and app.stance_image.value == b""
    assert app.kwic_table.value == "" and app.pager.value == "" and app.next.disabled and app.previous.disabled
    app.phrase.value = "mil-to-mil relations"
    assert app.error is None and len(app.kwic_lines) == 3 and app.trend_image.value


def test_stance_gaps_over_empty_periods_and_fixed_target_colours():
    from matplotlib.colors import to_hex

    from toolkit.figure_style import target_colours

    periods = pd.PeriodIndex(["2019Q1", "2019Q3", "2019Q1", "2019Q2", "2019Q3"], freq="Q")
    table = pd.DataFrame({"period": periods, "target": ["Japan", "Japan", "Taiwan", "Taiwan", "Taiwan"],
                          "score": [0.1, 0.3, -0.2, -0.1, -0.3]})
    table = table.assign(ci_low=table["score"] - 0.1, ci_high=table["score"] + 0.1)
    ax = toolkit.plot_stance_over_time(table)
    lines = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    japan = lines["Japan"].get_ydata()
    assert len(japan) == 3 and np.isnan(japan[1]) and list(japan[[0, 2]]) == [0.1, 0.3]   # a gap in 2019Q2
    alone = toolkit.plot_stance_over_time(table[table["target"] == "Japan"])   # drawn alone: the same colour
    colours = {to_hex(lines[t].get_color()) for t in ("Japan", "Taiwan")}
    assert to_hex(alone.get_lines()[0].get_color()) == to_hex(lines["Japan"].get_color()) == target_colours(["Japan"])["Japan"]
    assert len(colours) == 2
    legend = ax.get_legend().get_window_extent(ax.figure.canvas.get_renderer())
    assert legend.x0 >= ax.get_window_extent().x1                              # beside the points, not on them
    plt.close("all")


def test_pages_through_every_line(seed_path):
    app = explore(toolkit.split_turns(toolkit.load_briefings(seed_path)), by="month", n_kwic=2, random_state=0)
    assert len(app.kwic_lines) == 3 and app.kwic_table.value.count("<tr>") == 1 + 2      # all lines, one page shown
    assert "lines 1-2 of 3" in app.pager.value and app.previous.disabled and not app.next.disabled
    app.next.click()
    assert app.page == 1 and app.kwic_table.value.count("<tr>") == 1 + 1 and "lines 3-3 of 3" in app.pager.value
    assert "<b>mil-to-mil relations</b>" in app.kwic_table.value and app.next.disabled
    app.next.click()                                                   # past the last page: stays there
    assert app.page == 1
    app.phrase.value = "Korean Peninsula"                              # a new phrase starts at its first page
    assert app.page == 0 and "lines 1-2 of 2" in app.pager.value and app.next.disabled


def test_spokesperson_keeps_their_own_turns(seed_path):
    app = explore(toolkit.split_turns(toolkit.load_briefings(seed_path)), by="month", random_state=0)
    assert list(app.spokesperson.options) == ["(all)", "Wu Qian"]
    app.spokesperson.value = "Wu Qian"          # the journalist's question in Wu Qian's briefing is left out
    assert list(app.kwic_lines["match"]) == ["Mil-to-mil relations", "mil-to-mil relations"]
    assert set(app.kwic_lines["speaker"]) == {"Wu Qian"} and app.trend["n"].sum() == 2


def test_undated_briefings_show_in_the_kwic_lines(seed_path):
    briefings = toolkit.load_briefings(seed_path).assign(date=pd.NaT)
    app = explore(toolkit.split_turns(briefings), random_state=0)
    assert app.trend.empty or app.trend["n"].sum() == 0               # no period without a date ...
    assert len(app.kwic_lines) == 3 and "(no date)" in app.kwic_table.value   # ... but the lines are there


@pytest.fixture(scope="module")
def mfa_explorer(mfa_en_path):
    briefings = toolkit.load_briefings(mfa_en_path)
    turns = toolkit.split_turns(briefings)
    return explore(turns, phrase="South China Sea", by="year", n_kwic=1000, random_state=0), briefings


def test_briefings_need_splitting_first(seed_path):
    with pytest.raises(toolkit.ToolkitError, match=r"explore\(\): argument 'turns' lacks .*'turn_id', 'role'"):
        explore(toolkit.load_briefings(seed_path))


def test_spokesperson_selection_partitions_the_counts(mfa_explorer):
    app, briefings = mfa_explorer
    turns = toolkit.split_turns(briefings)
    app.spokesperson.value = "(all)"
    total = app.trend["n"].sum()
    per_person = {}
    for name in app.spokesperson.options[1:]:
        app.spokesperson.value = name
        per_person[name] = app.trend["n"].sum()
        assert set(app.kwic_lines["speaker"]) == {name}                 # their own turns only
        assert set(app.kwic_lines["role"]) <= set(toolkit.SPOKESPERSON_ROLES)
    app.spokesperson.value = "(all)"
    assert set(per_person) == set(briefings["spokesperson"].dropna())
    others = turns[~turns["speaker"].isin(per_person)]                   # journalists' questions and the rest
    rest = term_frequency(phrase_matrix(others), "South China Sea", by="year")["n"].sum()
    assert sum(per_person.values()) + rest == total and rest > 0
    assert len(app.kwic_lines) == app.trend["n"].sum()               # every occurrence has its KWIC line


def test_stance_shares_the_trend_axis_and_keeps_colours_across_phrases(mfa_explorer):
    from matplotlib.colors import to_hex

    from toolkit.figure_style import target_colours

    app, _ = mfa_explorer
    seen = {}
    for phrase in ("South China Sea", "Taiwan", "trade war"):
        app.phrase.value = phrase
        assert app.axes["stance"].get_xlim() == app.axes["trend"].get_xlim()
        for line in app.axes["stance"].get_lines():
            if not line.get_label().startswith("_"):
                seen.setdefault(line.get_label(), set()).add(to_hex(line.get_color()))
    assert len(seen) >= 2 and all(len(colours) == 1 for colours in seen.values())
    assert {name: colours.pop() for name, colours in seen.items()} == target_colours(seen)
    app.phrase.value = "South China Sea"


def test_years_and_time_unit_restrict_the_periods(mfa_explorer):
    app, _ = mfa_explorer
    app.by.value = "quarter"
    app.years.value = (2019, 2019)
    assert [str(p) for p in app.trend["period"]] == ["2019Q1", "2019Q2", "2019Q3", "2019Q4"]
    assert (app.kwic_lines["date"].dt.year == 2019).all()
    assert set(app.stance["period"].astype(str)) <= {"2019Q1", "2019Q2", "2019Q3", "2019Q4"}
    with_phrase = app.stance.set_index(["period", "target"])["n"]
    app.scope.value = "all"
    everywhere = app.stance.set_index(["period", "target"])["n"]
    assert (with_phrase <= everywhere.reindex(with_phrase.index)).all()   # a subset of the sentences
    app.years.value = (2018, 2020)
    app.by.value = "year"
    app.scope.value = "phrase"


# ----------------------------------------------------------------------------------------- browser
def _chromium_or_skip() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        reason = f"{', '.join(missing)} not found (Debian: apt-get install chromium chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(f"browser test needs Chromium in CI: {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def voila_page(mfa_en_path, tmp_path):
    """A Voilà server on loopback serving notebooks/explorer.ipynb (the app alone) on the MFA English corpus."""
    shutil.copy(Path(__file__).resolve().parents[1] / "notebooks" / "explorer.ipynb", tmp_path / "explorer.ipynb")
    port = _free_port()
    log = open(tmp_path / "voila.log", "w")  # noqa: SIM115  (closed after the server stops)
    server = subprocess.Popen([sys.executable, "-m", "voila", "explorer.ipynb", "--no-browser", f"--port={port}",
                               "--Voila.ip=127.0.0.1", "--show_tracebacks=True"], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=log,
                              env={**os.environ, "TOOLKIT_CORPORA": str(mfa_en_path.parents[1])})
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "static/", timeout=2)
            break
        except urllib.error.HTTPError:        # the server answers (a 404 for the folder is fine)
            break
        except OSError:
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture
def browser(tmp_path):
    _chromium_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tmp_path / 'chromium-profile'}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def test_browser_types_a_phrase_and_the_plot_and_kwic_update(voila_page, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException

    browser.get(voila_page)
    # widgets re-render while the kernel answers: look elements up afresh and retry on stale references
    wait = WebDriverWait(browser, 180, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
    wait.until(lambda d: "mil-to-mil relations" in d.find_element(By.CSS_SELECTOR, ".toolkit-summary").text)
    trend = browser.find_element(By.CSS_SELECTOR, "img.toolkit-trend")
    first_image = trend.get_attribute("src")
    assert first_image and browser.execute_script("return arguments[0].naturalWidth", trend) > 100
    first_lines = browser.find_elements(By.CSS_SELECTOR, ".toolkit-kwic table.kwic tr td b")
    assert first_lines and all("mil" in b.text.lower() for b in first_lines)

    box = browser.find_element(By.CSS_SELECTOR, ".toolkit-phrase input")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys("South China Sea", Keys.ENTER)
    wait.until(lambda d: "South China Sea" in d.find_element(By.CSS_SELECTOR, ".toolkit-summary").text)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, "img.toolkit-trend").get_attribute("src") != first_image)
    matches = browser.find_elements(By.CSS_SELECTOR, ".toolkit-kwic table.kwic tr td b")   # updated before the summary
    assert len(matches) == 40 and {b.text for b in matches} == {"South China Sea"}         # n_kwic lines a page
    count = int(browser.find_element(By.CSS_SELECTOR, ".toolkit-summary .n").text)
    assert count == 283                      # the report test checks this count against the JSONL text
    assert "lines 1-40 of 283" in browser.find_element(By.CSS_SELECTOR, ".toolkit-pager").text
    first_page = browser.find_element(By.CSS_SELECTOR, ".toolkit-kwic").text
    browser.find_element(By.CSS_SELECTOR, "button.toolkit-next").click()
    wait.until(lambda d: "lines 41-80 of 283" in d.find_element(By.CSS_SELECTOR, ".toolkit-pager").text)
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".toolkit-kwic").text != first_page)

    person = next(s for s in browser.find_elements(By.CSS_SELECTOR, ".widget-dropdown select")
                  if "Hua Chunying" in s.text)
    Select(person).select_by_visible_text("Hua Chunying")
    wait.until(lambda d: int(d.find_element(By.CSS_SELECTOR, ".toolkit-summary .n").text) < count)
    wait.until(lambda d: all("Hua Chunying" in row.text
                             for row in d.find_elements(By.CSS_SELECTOR, ".toolkit-kwic table.kwic tr")[1:]))
    assert len(browser.find_elements(By.CSS_SELECTOR, ".toolkit-kwic table.kwic tr")) > 1
    header = [th.text for th in browser.find_elements(By.CSS_SELECTOR, ".toolkit-kwic table.kwic th")]
    assert header[:3] == ["date", "speaker", "role"]                     # who speaks, in what role
    roles = {row.find_elements(By.TAG_NAME, "td")[2].text
             for row in browser.find_elements(By.CSS_SELECTOR, ".toolkit-kwic table.kwic tr")[1:]}
    assert roles and roles <= set(toolkit.SPOKESPERSON_ROLES)           # her own turns, no journalist's question

    # an invalid regular expression: the error shows, and nothing of the previous phrase stays on screen
    box = browser.find_element(By.CSS_SELECTOR, ".toolkit-phrase input")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys("re:((", Keys.ENTER)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".toolkit-summary .error"))
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".toolkit-kwic table.kwic tr"))
    assert browser.find_element(By.CSS_SELECTOR, ".toolkit-pager").text == ""
    for name in ("trend", "stance"):
        image = browser.find_element(By.CSS_SELECTOR, f"img.toolkit-{name}")
        assert browser.execute_script("return arguments[0].naturalWidth", image) == 0
