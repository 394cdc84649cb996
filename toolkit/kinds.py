"""The one kind table: what sort of briefing a title, a dataset label or a text's shape announces.

Kinds: ``regular_press_conference``, ``answers_to_media``, ``remarks``, ``press_conference`` (also the
special press conferences, 专题记者会), ``news_release`` (the spokesperson's regular news releases, 例行新闻发布),
``news_report`` and ``other``. The loader (:func:`infer_kind`, :func:`normalise_kind`) and the
fetcher's listings (:func:`kind_from_title`) both read :data:`KIND_RULES`, first match wins.
Dataset labels (a ``type`` column, a file name such as ``mod_special_press_conferences`` or
``国防部_专题记者会``) go through :data:`ALIASES` first; an alias of ``None`` names a label that covers
several kinds (``发言人谈话和答记者问``: remarks and answers), so that the title decides.
"""
from __future__ import annotations

import re
from itertools import islice

from .dates import DATELINE

KINDS = ("regular_press_conference", "answers_to_media", "remarks", "press_conference", "news_release", "news_report",
         "other")
KIND_RULES = (
    ("news_release", re.compile(r"例行新闻发布|regular news (?:release|briefing)", re.I)),
    ("regular_press_conference", re.compile(
        r"regular (?:press conference|press briefing|press transcript|news conference)|monthly press|例行记者会",
        re.I)),
    ("answers_to_media", re.compile(
        r"answers? to (?:media|reporters|journalists)|answers? (?:media|reporters'?|journalists'?) quer|"
        r"media quer(?:y|ies)|questions? (?:from|of|by) (?:the )?(?:media|reporters|journalists)|\bQ\s*&\s*A\b|"
        r"答记者问|答问|回答记者", re.I)),
    ("remarks", re.compile(r"remarks|statement|comments? on|发言人表态|谈话|声明|表态", re.I)),
    ("press_conference", re.compile(r"press conference|记者会|news conference|press briefing|新闻发布", re.I)),
    ("remarks", re.compile(r"spokes(?:person|man|woman)|发言人", re.I)),      # "Spokesperson X's Daily Briefing Online"
)
ALIASES = {
    "spokesperson remarks": "remarks",
    "answers to reporters": "answers_to_media",
    "例行记者会": "regular_press_conference",
    "答记者问": "answers_to_media",
    "spokesperson remarks qna": None,
    "发言人谈话和答记者问": None,
}
_LABEL_PREFIX = re.compile(r"^(?:mod|国防部)[\s_]+", re.I)
HAS_TURN_LABELS = re.compile(
    r"^\s*(?:Q|A|Question|Answer|Journalist|Reporter|Follow-up|问|答|记者|追问)\s*\d*\s*[:：]", re.M
)
_REPORTED_SPEECH = re.compile(
    r"\b(?:said|mentioned|stressed|noted|added|continued|pointed out|emphasized|stated|told)\b(?: that)?", re.I
)


def kind_from_title(title: str | None) -> str | None:
    """The kind a title names, or ``None`` when no rule of :data:`KIND_RULES` matches.

    Examples
    --------
    >>> kind_from_title("Defense Ministry's Regular Press Conference on Nov. 28")
    'regular_press_conference'
    >>> kind_from_title("国防部新闻发言人就有关问题答记者问")
    'answers_to_media'
    """
    for name, pattern in KIND_RULES:
        if pattern.search(title or ""):
            return name
    return None


def _label_key(label: str) -> str:
    """A label as :data:`ALIASES` spells it: no ``mod_``/``国防部_`` prefix, spaces for ``_``, lower case."""
    return _LABEL_PREFIX.sub("", label.strip()).replace("_", " ").lower()


def kind_from_label(label) -> str | None:
    """The kind a dataset label or file name names, or ``None`` when unknown or covering several kinds.

    Examples
    --------
    >>> kind_from_label("mod_special_press_conferences")
    'press_conference'
    >>> kind_from_label("国防部_例行记者会实录")
    'regular_press_conference'
    >>> kind_from_label("国防部_发言人谈话和答记者问") is None
    True
    """
    if not isinstance(label, str) or not label.strip():
        return None
    key = _label_key(label)
    return ALIASES[key] if key in ALIASES else kind_from_title(key)


def normalise_kind(kind) -> str | None:
    """Map a dataset's own label (``spokesperson_remarks``, ``答记者问`` ...) onto the toolkit's kinds.

    An unknown label is kept (lower case, ``_`` for spaces); a label of several kinds gives ``None``.
    """
    known = kind_from_label(kind)
    if known or not isinstance(kind, str) or not kind.strip() or _label_key(kind) in ALIASES:
        return known
    return kind.strip().lower().replace(" ", "_")


def has_turn_labels(text: str) -> bool:
    """Whether ``text`` has at least two lines that open with a question or answer label."""
    return next(islice(HAS_TURN_LABELS.finditer(text), 1, None), None) is not None     # stops at the second


def infer_kind(*, title: str, text: str, has_labels: bool) -> str:
    """Kind of briefing from its title, else from its shape (dateline and reported speech → news report)."""
    named = kind_from_title(title)
    looks_reported = not has_labels and DATELINE.search(text[:600]) is not None
    if named == "press_conference" and looks_reported:
        return "news_report"
    if named:
        return named
    if looks_reported or (not has_labels and len(_REPORTED_SPEECH.findall(text)) >= 2):
        return "news_report"
    return "press_conference" if has_labels else "other"
