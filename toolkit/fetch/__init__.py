"""Fetch the official briefing archives (MND and MFA, English and Chinese) into a local corpus folder.

``fetch_briefings(source, out, ...)`` is the entry point; ``SOURCES`` maps each source name to its site
adapter (one module per site: ``mnd_en``, ``mnd_zh``, ``mfa_en``, ``mfa_zh``); ``add_fetch_parser`` wires the
``toolkit fetch`` command.
"""
from .cli import add_fetch_parser
from .crawl import SOURCES, FetchSummary, fetch_briefings
from .http import FetchError, decode_html

__all__ = ["SOURCES", "FetchError", "FetchSummary", "add_fetch_parser", "decode_html", "fetch_briefings"]
