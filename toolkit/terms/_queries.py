"""How a user names terms: a word, a phrase (any listed variant), a word sequence, or a regular expression
(a compiled ``re.Pattern`` or a string starting with ``"re:"``, case-insensitive); the label a term gets in
output tables; and finding a token sequence in a token list.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .._checks import ToolkitError


def is_regex(term) -> bool:
    """Whether ``term`` is a regular expression: a compiled pattern or a string starting with ``"re:"``."""
    return isinstance(term, re.Pattern) or (isinstance(term, str) and term.startswith("re:"))


def as_regex(term) -> re.Pattern:
    """The compiled pattern of a regular-expression term (``"re:..."`` compiles case-insensitive)."""
    return term if isinstance(term, re.Pattern) else re.compile(term[3:], re.IGNORECASE)


def label(term) -> str:
    """The ``term`` column value of a term: the string itself, ``"re:<pattern>"`` for a compiled pattern."""
    return f"re:{term.pattern}" if isinstance(term, re.Pattern) else str(term)


def as_list(terms, *, func: str) -> list:
    """``terms`` as a non-empty list (a single string or pattern becomes a list of one)."""
    if isinstance(terms, (str, re.Pattern)):
        return [terms]
    if not isinstance(terms, Iterable) or not list(terms):
        raise ToolkitError(f"{func}(): terms must be a string, a regular expression or a non-empty list of them, "
                           f"got {terms!r}.")
    return list(terms)


def term_tokens(analyzer, term, *, func: str, arg: str) -> list[str]:
    """The tokens of a word or phrase term as ``analyzer`` makes them (a listed variant gives its canonical; a
    canonical term names itself, even when its own variant counts only in some contexts)."""
    if not isinstance(term, str):
        raise ToolkitError(f"{func}(): {arg} must be a word, a phrase or a regular expression (compiled or "
                           f"'re:<regex>'), got {term!r}.")
    if term.strip() in analyzer.canonicals:
        return [term.strip()]
    tokens = analyzer.tokens(term)
    if not tokens:
        raise ToolkitError(f"{func}(): {arg} {term!r} holds no word; give a word, a phrase or 're:<regex>'.")
    return tokens


def find_sequence(tokens: list[str], wanted: list[str]) -> list[int]:
    """Start positions of every occurrence of the token sequence ``wanted`` in ``tokens``."""
    first, length = wanted[0], len(wanted)
    return [i for i, token in enumerate(tokens) if token == first and tokens[i:i + length] == wanted]
