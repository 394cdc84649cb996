"""Stamped paper outputs (toolkit.paper) and the notebooks' corpus helpers (toolkit.notebooks)."""
from __future__ import annotations

import json
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from PIL import Image

import toolkit
from toolkit.notebooks import REAL_CORPORA, SHIPPED_CORPUS, default_corpus, load_stance_validation


@pytest.fixture(scope="module")
def stamp(seed_path):
    return toolkit.provenance(toolkit.load_briefings(seed_path), seed=42, by="quarter")


def test_table_as_csv_and_latex_with_the_stamp(stamp, tmp_path):
    table = pd.DataFrame({"term": ["mil-to-mil relations", "R&D_50%"], "rate": [0.123456, 2.0]})
    csv_path, tex_path = toolkit.save_table(table, tmp_path / "tables" / "t1", stamp=stamp, caption="Rates & 5%")
    assert (csv_path.name, tex_path.name) == ("t1.csv", "t1.tex")
    pd.testing.assert_frame_equal(pd.read_csv(csv_path, comment="#"), table)      # full precision kept
    csv_head = csv_path.read_text().splitlines()[:3]
    assert csv_head[0] == f"# provenance: corpus {stamp['corpus_hash']} (1 docs) | toolkit 0.1.0 | pandas " \
                          f"{stamp['versions']['pandas']} | scikit-learn {stamp['versions']['scikit-learn']} | seed 42"
    assert json.loads(csv_head[1].removeprefix("# versions: ")) == stamp["versions"]
    assert json.loads(csv_head[2].removeprefix("# parameters: ")) == {"seed": 42, "by": "quarter"}
    tex = tex_path.read_text()
    assert tex.startswith(f"% provenance: corpus {stamp['corpus_hash']}")
    assert r"R\&D\_50\%" in tex and "0.123" in tex and r"\caption{Rates \& 5\%" in tex
    assert r"\label{tab:t1}" in tex


def test_figure_png_carries_the_stamp(stamp, tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    path = toolkit.save_figure(ax, tmp_path / "figures" / "f1", stamp=stamp)
    assert path.suffix == ".png"
    assert json.loads(Image.open(path).info["Description"])["corpus_hash"] == stamp["corpus_hash"]
    assert len(fig.texts) == 0                       # the footer is removed again from the live figure
    plt.close(fig)


def test_provenance_json_and_listing(stamp, tmp_path):
    path = toolkit.write_provenance(stamp, tmp_path / "tables")
    assert json.loads(path.read_text())["parameters"] == {"seed": 42, "by": "quarter"}
    assert toolkit.paper_outputs(tmp_path) == [path]


def test_a_missing_stamp_is_a_clear_error(tmp_path):
    with pytest.raises(toolkit.ToolkitError, match=r"save_table\(\): stamp must be .*toolkit.provenance"):
        toolkit.save_table(pd.DataFrame({"a": [1]}), tmp_path / "t", stamp={"seed": 0})


def test_default_corpus_follows_toolkit_corpora(monkeypatch, tmp_path, corpora):
    monkeypatch.delenv("TOOLKIT_CORPORA", raising=False)
    assert default_corpus() == SHIPPED_CORPUS
    monkeypatch.setenv("TOOLKIT_CORPORA", str(corpora))
    assert default_corpus() == corpora / REAL_CORPORA["mfa_en"]
    assert default_corpus("mfa_zh").is_file()
    monkeypatch.setenv("TOOLKIT_CORPORA", str(tmp_path))
    with pytest.raises(toolkit.ToolkitError, match=r"default_corpus\(\): TOOLKIT_CORPORA=.* holds no"):
        default_corpus()
    with pytest.raises(toolkit.ToolkitError, match="name"):
        default_corpus("mnd")


def test_stance_validation_needs_the_corpora(monkeypatch, corpora):
    monkeypatch.delenv("TOOLKIT_CORPORA", raising=False)
    with pytest.raises(toolkit.ToolkitError, match="set TOOLKIT_CORPORA"):
        load_stance_validation()
    monkeypatch.setenv("TOOLKIT_CORPORA", str(corpora))
    labels = load_stance_validation()
    assert len(labels) == 218 and set(labels["label"]) <= {-2, -1, 0, 1, 2}
    assert labels["text"].str.len().eq(labels["length"]).all()


def _texts_at_save(figure) -> list:
    """Window extents of every visible, non-empty text of ``figure`` as it is saved (footer included)."""
    from matplotlib.text import Text

    boxes, save = [], figure.savefig

    def recording(*args, **kwargs):
        figure.draw_without_rendering()                  # legends and ticks laid out as in the file
        renderer = figure.canvas.get_renderer()
        boxes.extend((t.get_text(), t.get_window_extent(renderer)) for t in figure.findobj(Text)
                     if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible()))
        return save(*args, **kwargs)

    figure.savefig = recording
    return boxes


def _overlapping(boxes) -> list[tuple[str, str]]:
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:]
            if box_a.width and box_b.width and box_a.shrunk(0.98, 0.9).overlaps(box_b.shrunk(0.98, 0.9))]


@pytest.fixture(scope="module")
def paper_figures(mfa_en_path):
    """The three figures of notebooks/06_paper.py, drawn as the notebook draws them (fewer bootstrap runs)."""
    briefings = toolkit.load_briefings(mfa_en_path)
    turns = toolkit.split_turns(briefings)
    trend = toolkit.term_frequency(toolkit.count_terms(turns, unit="turn", stop_words=None), "mil-to-mil relations",
                                   by="quarter")
    sentences = toolkit.split_sentences(turns[turns["role"].isin(toolkit.SPOKESPERSON_ROLES)])
    stance = toolkit.stance_over_time(toolkit.score_stance(sentences), by="quarter",
                                      target=["United States", "Taiwan", "Japan", "DPRK"], n_boot=50, random_state=0)
    model = toolkit.fit_topics(turns, k=8, method="nmf", unit="answer", random_state=0)
    prevalence = toolkit.topic_prevalence(model, by="quarter", n_boot=50, random_state=0)
    stamp = toolkit.provenance(briefings, seed=0)
    with toolkit.style():
        yield stamp, {"figure1": lambda: toolkit.plot_term_trend(trend).figure,
                      "figure2": lambda: toolkit.plot_stance_over_time(stance).figure,
                      "figure3": lambda: toolkit.plot_topics_over_time(prevalence)[0].figure}
    plt.close("all")


@pytest.mark.parametrize("name", ["figure1", "figure2", "figure3"])
def test_no_text_overlaps_in_the_saved_paper_figures(paper_figures, name, tmp_path):
    stamp, draw = paper_figures
    figure = draw[name]()
    boxes = _texts_at_save(figure)
    toolkit.save_figure(figure, tmp_path / name, stamp=stamp)
    footer = toolkit.stamp_line(stamp)
    assert any(text == footer for text, _ in boxes)                      # the stamp was there when saved
    assert _overlapping(boxes) == []
    ticks = [t.get_text() for ax in figure.axes if ax.get_visible() for t in ax.get_xticklabels()
             if t.get_text() and t.get_visible()]
    assert ticks and all(re.fullmatch(r"\d{4}Q[1-4]", t) for t in ticks)   # periods as the tables print them
    plt.close(figure)


def test_the_overlap_check_finds_a_stamp_on_the_tick_labels(stamp):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [1, 0])
    fig.text(0.5, 0.06, "stamp over the tick labels", ha="center", fontsize=6)   # where the old footer went
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    from matplotlib.text import Text

    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in fig.findobj(Text) if t.get_text().strip()]
    assert _overlapping(boxes)
    plt.close(fig)
