"""Figures and tables for a paper, stamped with where they came from (corpus hash, versions, seed).

Every file written here carries the stamp of :func:`toolkit.provenance`: a figure gets a footer line and
PNG metadata, a table gets ``#`` comment lines on top of its CSV (read it back with
``pd.read_csv(path, comment="#")``) and ``%`` comment lines on top of its LaTeX, and
:func:`write_provenance` writes the full record as JSON next to them.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ._checks import ToolkitError

FOOTER_GAP = 0.08             # inches between the lowest label of a figure and its provenance footer


def stamp_line(stamp: dict) -> str:
    """One line summarising a provenance record: corpus hash, documents, toolkit version, seed."""
    _check_stamp(stamp, func="stamp_line")
    versions = stamp.get("versions", {})
    seed = stamp.get("parameters", {}).get("seed", stamp.get("parameters", {}).get("random_state", "none"))
    return (f"corpus {stamp['corpus_hash']} ({stamp['n_docs']} docs) | toolkit "
            f"{versions.get('mnd-discourse-toolkit', '?')} | pandas {versions.get('pandas', '?')} | "
            f"scikit-learn {versions.get('scikit-learn', '?')} | seed {seed}")


def _check_stamp(stamp, *, func: str) -> None:
    if not isinstance(stamp, dict) or "corpus_hash" not in stamp:
        raise ToolkitError(f"{func}(): stamp must be the record of toolkit.provenance(briefings, seed=...), "
                           f"got {type(stamp).__name__}.")


def save_figure(figure, path: str | Path, *, stamp: dict, dpi: int = 200) -> Path:
    """Save a matplotlib Figure (or the figure of an Axes) as PNG with the stamp as footer and metadata.

    The footer goes below everything drawn (tick and axis labels, legends), right-aligned with the rightmost
    of them, so it never covers a label.

    Parameters
    ----------
    figure : matplotlib Figure or Axes
    path : path
        Target file (``.png``); folders are created.
    stamp : dict
        ``toolkit.provenance(briefings, seed=SEED, ...)``.

    Returns
    -------
    Path
        The PNG written; its ``Description`` metadata holds the full provenance record as JSON.
    """
    _check_stamp(stamp, func="save_figure")
    figure = getattr(figure, "figure", figure)
    target = Path(path).with_suffix(".png")
    target.parent.mkdir(parents=True, exist_ok=True)
    box = figure.get_tightbbox(figure.canvas.get_renderer())       # inches: everything drawn so far
    footer = figure.text(box.x1 / figure.get_figwidth(), (box.y0 - FOOTER_GAP) / figure.get_figheight(),
                         stamp_line(stamp), ha="right", va="top", fontsize=6, color="grey")
    figure.savefig(target, dpi=dpi, bbox_inches="tight",
                   metadata={"Description": json.dumps(stamp, default=str), "Software": "mnd-discourse-toolkit"})
    footer.remove()
    return target


def save_table(table: pd.DataFrame, path: str | Path, *, stamp: dict, caption: str = "",
               float_format: str = "{:.3f}") -> tuple[Path, Path]:
    """Write a table as CSV and LaTeX, both headed by the stamp as comment lines.

    Parameters
    ----------
    table : DataFrame
    path : path
        Target without suffix (``tables/table1``); ``.csv`` and ``.tex`` are written, folders created.
    stamp : dict
        ``toolkit.provenance(briefings, seed=SEED, ...)``.
    caption : str
        Caption as plain text (LaTeX special characters are escaped); the stamp line is appended to it.
    float_format : str
        Format of floats in the LaTeX table (the CSV keeps full precision).

    Returns
    -------
    (Path, Path)
        The CSV (read back with ``pd.read_csv(path, comment="#")``) and the ``.tex`` file.
    """
    _check_stamp(stamp, func="save_table")
    base = Path(path).with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    header = [f"provenance: {stamp_line(stamp)}", f"versions: {json.dumps(stamp.get('versions', {}))}",
              f"parameters: {json.dumps(stamp.get('parameters', {}), default=str)}"]
    csv_path, tex_path = base.with_suffix(".csv"), base.with_suffix(".tex")
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(f"# {line}\n" for line in header))
        table.to_csv(handle, index=False)
    latex = table.to_latex(index=False, escape=True, caption=f"{_tex(caption)} \\footnotesize{{{_tex(stamp_line(stamp))}}}",
                           label=f"tab:{base.name}", float_format=float_format.format)
    tex_path.write_text("".join(f"% {line}\n" for line in header) + latex, encoding="utf-8")
    return csv_path, tex_path


def _tex(text: str) -> str:
    for char, escaped in (("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("_", r"\_"), ("#", r"\#"),
                          ("|", r"\textbar{}")):
        text = text.replace(char, escaped)
    return text


def write_provenance(stamp: dict, folder: str | Path) -> Path:
    """Write the full provenance record as ``folder/provenance.json``; return its path."""
    _check_stamp(stamp, func="write_provenance")
    target = Path(folder) / "provenance.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(stamp, indent=2, default=str), encoding="utf-8")
    return target


def paper_outputs(folder: str | Path) -> list[Path]:
    """Every file written under ``folder`` (figures, tables, provenance.json), sorted."""
    return sorted(path for path in Path(folder).rglob("*") if path.is_file())
