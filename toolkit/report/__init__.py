"""One command, one self-contained HTML report: ``toolkit report CORPUS --out DIR``.

:func:`build_report` runs the toolkit's analyses on a corpus and keeps every number as a table
(:class:`Report`, in ``build.py``); :func:`report_figures` draws the figures (``figures.py``);
:func:`write_report` renders them as one HTML page from a Jinja2 template plus a CSV per table
(``render.py``); :func:`make_report` does all three. The ``report`` subcommand lives in ``cli.py``.

The names load their module on first use (PEP 562), so the command line's ``--help`` imports no
analysis library.
"""
from __future__ import annotations

import importlib

_EXPORTS = {"Report": "build", "build_report": "build", "report_figures": "figures", "make_report": "render",
            "render_html": "render", "write_report": "render"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'toolkit.report' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
