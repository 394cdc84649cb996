"""Fetch the official briefing archives (MND and MFA, English and Chinese) into a local corpus folder.

``fetch_briefings(source, out, ...)`` is the entry point; ``SOURCES`` maps each source name to its site
adapter (one module per site: ``mnd_en``, ``mnd_zh``, ``mfa_en``, ``mfa_zh``); ``add_fetch_parser`` wires the
``toolkit fetch`` command.
"""
from __future__ import annotations

import importlib

SOURCE_NAMES = ("mfa_en", "mfa_zh", "mnd_en", "mnd_zh")   # one adapter module each
ARCHIVE_NAMES = ("wayback",)   # archives of retired pages (``archive=``), one module each
_EXPORTS = {"SOURCES": "crawl", "FetchSummary": "crawl", "fetch_briefings": "crawl", "FetchError": "http",
            "decode_html": "http", "add_fetch_parser": "cli"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    """Resolve the public names on first use, so ``toolkit fetch --help`` loads neither pandas nor lxml."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit.fetch' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
