"""The ``bench/`` scripts loaded as modules for the tests that check their rules (draws, splits, choices)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "bench"


def bench_module(name: str):
    """``bench/<name>.py`` loaded as a module (``bench/`` on the path while it loads, for its sibling imports)."""
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module
