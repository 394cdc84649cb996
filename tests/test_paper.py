"""Stamped paper outputs (toolkit.paper) and the notebooks' corpus helpers (toolkit.notebooks)."""
from __future__ import annotations

import json

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
