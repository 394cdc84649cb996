"""Turns of talk: who speaks, in what role, in every label style of the MND and MFA transcripts."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from . import cache
from ._checks import require_columns
from ._collector import collector_paused
from ._frames import repeat_rows, str_series
from .kinds import infer_kind
from .metadata import name_pattern, spokespersons_table
from .text import count_words, plain_texts

SPOKESPERSON_ROLES = ("statement", "answer", "report")
TURN_COLUMNS = ["turn_id", "role", "speaker", "label", "text", "n_words"]
_DOC_ONLY = ("text", "n_words", "boilerplate")
_TURN_INPUTS = ["text", "kind", "lang", "spokesperson"]  # the briefing columns that decide its turns

_QUESTION_WORDS = re.compile(r"^(?:Q|Question|Questions|Journalist|Journalists|Reporter|Reporters|Follow-up|Follow up|Followup)\b", re.I)
_ANSWER_WORDS = re.compile(r"^(?:A|Answer|Spokesperson|Spokesman|Spokeswoman)$", re.I)
_EXPLICIT_ANSWER = re.compile(r"^(?:A|Answer|答)\s*[:：]", re.I)
_STATEMENT_WORDS = re.compile(r"^(?:Announcement|Opening remarks|Opening statement)\b", re.I)
_RANK_PREFIX = re.compile(r"^(?:(?:Senior|Sr\.?)\s+Col(?:onel|\.)|Colonel|Col\.|Spokes(?:man|person|woman)|Defense Ministry Spokesperson|MND Spokesperson|Major General|Rear Admiral)\s+", re.I)
_NOT_SPEAKERS = re.compile(
    r"^(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|finally|last(?:ly)?|note|notes|ps|update|background|"
    r"time|venue|date|dates|source|sources|editor|photo|photos|link|links|attachment|video|tel|fax|email|"
    r"address|title|subject|topic|location|theme|summary|keywords?|related|in other words|for example|that is|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)$",
    re.I,
)
_FUNCTION_WORDS = {"of", "the", "and", "de", "for", "on", "&", "du", "des", "la", "le", "del", "di", "y", "und", "news"}
_EN_LABEL = re.compile(r"^(?P<label>[^:：\n]{1,60}?)\s*[:：](?![0-9/])\s*")
_ZH_LABEL = re.compile(r"^(?P<label>[^:：\n。，,；;？?！!“”\"]{1,24})[:：]\s*")
# a label inline after a sentence: the end mark and the space before the label (the mark stays with its
# sentence); the pattern starts with the marks, so only they are tried (not every position, as a look-behind is)
_INLINE = re.compile(
    r"[.?!。？！\"”]\s*(?=(?:Q|A|Question|Answer|Journalist|Reporter|Follow-up)\s*\d*\s*[:：]|(?:问|答|追问)[:：])"
)
_HAS_CJK_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
_HAS_DIGIT = re.compile(r"\d")
_ENDS_SENTENCE = re.compile(r"[.?!。？！\"”…)）]\s*$")
_ASKED = re.compile(r"\b(?:was|were|been|being) asked\b|\bwhen asked\b|\basked (?:about|whether|if|to|for)\b|记者问|有记者问|提问", re.I)
_SPEECH_VERBS = r"(?:said|says|mentioned|stressed|noted|added|continued|pointed out|emphasized|emphasised|stated|told|urged|called on|expressed|reiterated|explained|remarked|warned|revealed|responded|replied|announced|introduced|underlined|elaborated|believed|asserted|maintained|affirmed)"
_ZH_SPEECH = r"(?:表示|说|指出|强调|介绍|称|回应|透露|宣布|答|重申|提出|认为)"


@dataclass
class _Turn:
    role: str
    speaker: str | None
    label: str
    parts: list[str]


@collector_paused()
def split_turns(
    briefings: pd.DataFrame, *, spokespersons: pd.DataFrame | str | None = None, use_cache: bool = True
) -> pd.DataFrame:
    """Split each briefing's text into turns of talk.

    Recognises the label styles of MND transcripts (``Question:``/``Answer:``, ``Q:``/``A:``,
    ``Senior Colonel Wu Qian:``, ``Colonel <Name>:``, ``Spokesman <Name>:``, bare ``<Name>:``,
    ``Journalist:``, ``Reporter:``, ``Question 1:``, ``Announcement 1:``, a label alone on its line,
    no space after the colon, labels inline after a sentence), of MFA transcripts (``Q:``/``A:``,
    ``<Outlet>:`` such as ``Reuters:``, ``Follow-up:``, ``<Spokesperson>:``) and Chinese ones
    (``问：``/``答：``/``记者：``/``<媒体>记者：``/``追问：``/``<发言人>：``). Unlabelled paragraphs before the
    first label, and the spokesperson's labelled words before the first question, are the opening
    ``statement``; later unlabelled paragraphs continue the current turn.
    News reports (kind ``news_report``, or no labels but reported speech) become ``report`` turns for
    paragraphs attributed to the spokesperson (``Wu said that ...``, ``He mentioned that ...``),
    ``question`` for ``... was asked ...`` paragraphs and ``context`` for the writer's background.
    Consecutive turns of one speaker are kept apart (pair_dyads joins them); a label followed directly
    by another label gives an empty turn, kept so that no label is lost.

    Parameters
    ----------
    briefings : DataFrame
        Output of :func:`toolkit.load_briefings` (needs ``doc_id`` and ``text``; uses ``kind``,
        ``spokesperson`` when present).
    spokespersons : DataFrame or str, optional
        Your own spokesperson table; defaults to ``toolkit/data/spokespersons.csv``.
    use_cache : bool
        Reuse turns computed before for the same texts (see :mod:`toolkit.cache`).

    Returns
    -------
    DataFrame
        One row per turn: the briefing's columns (its ``text``, ``n_words`` and ``boilerplate`` replaced
        by the turn's) plus ``turn_id`` (0-based within the briefing), ``role`` (``statement``,
        ``question``, ``answer``, ``report``, ``context``), ``speaker`` (the spokesperson's name, the
        asking outlet, or missing), ``label`` (the label as printed, e.g. ``"Q:"``; empty when none),
        ``text`` and ``n_words``. The spokesperson's words are the roles in ``SPOKESPERSON_ROLES``.
        A briefing without text (empty, blank, None or NaN) has no turn; an empty corpus gives an empty table
        with the same columns. Lone surrogates in a text become U+FFFD (:func:`toolkit.text.plain_texts`).
        ``source_dyads``, when present, is a Categorical: one copy per briefing, shared by its turns.

    Examples
    --------
    >>> turns = split_turns(load_briefings("corpus/"))            # doctest: +SKIP
    >>> turns.groupby("role").size()                              # doctest: +SKIP
    """
    require_columns(briefings, ["doc_id", "text"], func="split_turns", arg="briefings")
    table = spokespersons_table(spokespersons)
    names = cache.fingerprint(table)
    key = cache.make_key(cache.fingerprint(briefings, _TURN_INPUTS), "split_turns", names)

    def build() -> pd.DataFrame:
        plain = briefings.reindex(columns=_TURN_INPUTS).assign(text=plain_texts(briefings["text"]))
        return _turn_rows(plain, table)

    turns_table = cache.memoized("turns", key, build, use_cache=use_cache)
    result = _with_briefing_columns(briefings, turns_table)
    result.attrs = dict(briefings.attrs)
    cache.remember(result, cache.make_key("split_turns:table", cache.fingerprint(briefings), names))
    return result


def _turn_rows(briefings: pd.DataFrame, spokespersons: pd.DataFrame) -> pd.DataFrame:
    """The turns of every briefing: ``row`` (the briefing's position) and the :data:`TURN_COLUMNS`."""
    names, variants = name_pattern(spokespersons)
    rows = []
    for row, doc in enumerate(briefings.to_dict("records")):
        lang = doc["lang"] if isinstance(doc["lang"], str) and doc["lang"] else "en"
        for turn_id, turn in enumerate(_split_document(doc, names, variants)):
            rows.append((row, turn_id, turn.role, turn.speaker, turn.label, "\n".join(turn.parts).strip(), lang))
    row, turn_id, role, speaker, label, text, lang = (list(column) for column in zip(*rows)) if rows else [[]] * 7
    return pd.DataFrame({"row": np.array(row, dtype=np.int64), "turn_id": np.array(turn_id, dtype=np.int64),
                         **{name: str_series(values) for name, values in
                            (("role", role), ("speaker", speaker), ("label", label), ("text", text))},
                         "n_words": count_words(text, np.array(lang, dtype=object))})      # the Python strings


def _with_briefing_columns(briefings: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """Each turn with its briefing's columns (but the briefing's own ``text``, ``n_words``, ``boilerplate``).

    ``source_dyads`` (a whole briefing's dyads as JSON) becomes a Categorical, and the other string columns
    share one string object per briefing (:func:`toolkit._frames.repeat_rows`), so each turn refers to the
    briefing's one copy instead of holding its own.
    """
    metadata = briefings.drop(columns=[c for c in (*_DOC_ONLY, *TURN_COLUMNS) if c in briefings.columns])
    if "source_dyads" in metadata.columns:
        metadata = metadata.astype({"source_dyads": "category"})
    repeated = repeat_rows(metadata, turns["row"].to_numpy())
    return pd.concat([repeated, turns.drop(columns="row").reset_index(drop=True)], axis=1)


def _split_document(doc: dict, names: re.Pattern, variants: dict) -> list[_Turn]:
    text = doc["text"]
    spokesperson = doc.get("spokesperson") if isinstance(doc.get("spokesperson"), str) else None
    paragraphs = [p.strip() for line in text.splitlines() for p in _inline_split(line) if p.strip()]
    labelled = [_parse_label(p, i, names, variants, spokesperson) for i, p in enumerate(paragraphs)]
    has_labels = any(role for _, role, _, _ in labelled)
    kind = doc.get("kind") if isinstance(doc.get("kind"), str) else infer_kind(title="", text=text, has_labels=has_labels)
    if kind == "news_report" and not has_labels:
        return _report_turns(paragraphs, spokesperson, names, variants)
    return _labelled_turns(labelled, spokesperson)


def _inline_split(line: str) -> list[str]:
    """``line`` cut before labels that follow a sentence inline, the space between dropped (a label ends in a
    colon: only the line up to its last colon is searched)."""
    last_colon = max(line.rfind(":"), line.rfind("："))
    if last_colon < 0:
        return [line]
    pieces, start = [], 0
    for m in _INLINE.finditer(line, 0, last_colon + 1):
        pieces.append(line[start:m.start() + 1])
        start = m.end()
    pieces.append(line[start:])
    return pieces


def _labelled_turns(labelled: list[tuple], spokesperson: str | None) -> list[_Turn]:
    turns: list[_Turn] = []
    last_asker, asked = None, False
    for label, role, speaker, rest in labelled:
        if role is None:
            if turns:
                turns[-1].parts.append(rest)
            else:
                turns.append(_Turn("statement", spokesperson, "", [rest]))
            continue
        if role == "question":
            speaker = last_asker if speaker == "follow-up" else speaker
            last_asker, asked = speaker, True
        elif speaker is None:
            speaker = spokesperson
        if role == "answer" and not asked and not _EXPLICIT_ANSWER.match(label):
            role = "statement"  # the spokesperson's named words before any question: opening remarks
        turns.append(_Turn(role, speaker, label, [rest] if rest else []))
    return turns


def _parse_label(paragraph: str, index: int, names: re.Pattern, variants: dict, spokesperson: str | None):
    """Return (label, role, speaker, rest); role None when the paragraph has no speaker label."""
    if ":" not in paragraph and "：" not in paragraph:         # both label patterns end in a colon
        return "", None, None, paragraph
    for pattern in (_ZH_LABEL, _EN_LABEL):
        m = pattern.match(paragraph)
        if not m:
            continue
        role, speaker = _classify(m.group("label").strip(), names, variants, spokesperson)
        rest = paragraph[m.end():]
        if role and index == 0 and rest and role == "answer" and not _ENDS_SENTENCE.search(rest) and len(rest) < 200:
            return "", None, None, paragraph  # a headline such as "Tan Kefei: Defense Ministry urges ..."
        if role:
            return paragraph[: m.end()].strip(), role, speaker, rest.strip()
    return "", None, None, paragraph


def _classify(label: str, names: re.Pattern, variants: dict, spokesperson: str | None) -> tuple[str | None, str | None]:
    """Role and speaker of a label, or (None, None) when it is not a speaker label."""
    if _HAS_CJK_IDEOGRAPH.search(label):
        return _classify_zh(label, names, variants)
    bare = _RANK_PREFIX.sub("", label).strip()
    if _QUESTION_WORDS.match(label):
        return "question", "follow-up" if label.lower().startswith("follow") else None
    if _ANSWER_WORDS.match(label):
        return "answer", None
    if _STATEMENT_WORDS.match(label):
        return "statement", None
    known = names.fullmatch(bare)
    if known or (spokesperson and bare and (bare == spokesperson or bare == spokesperson.split()[0])):
        return "answer", variants.get(bare, spokesperson)
    if bare != label and _looks_like_name(bare):
        return "answer", bare  # a rank or "Spokesman" before an unknown name
    if _looks_like_name(label):
        return "question", label.strip()  # an outlet such as "Reuters" or "The Globe and Mail"
    return None, None


def _looks_like_name(label: str) -> bool:
    words = label.split()
    if not 1 <= len(words) <= 7 or _NOT_SPEAKERS.match(label) or _HAS_DIGIT.search(label):
        return False
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in _FUNCTION_WORDS for w in words)


_ZH_ASKER_ENDINGS = ("记者提问", "记者问", "记者")    # 总台央视记者提问：, 路透社记者问：, 法新社记者：


def _classify_zh(label: str, names: re.Pattern, variants: dict) -> tuple[str | None, str | None]:
    if label in {"问", "追问", "记者", "提问"} or label.endswith(_ZH_ASKER_ENDINGS) or "问及" in label:
        outlet = next((label[: -len(end)].strip() for end in _ZH_ASKER_ENDINGS if label.endswith(end)), "")
        return "question", "follow-up" if label == "追问" else (outlet if outlet else None)
    if label == "答":
        return "answer", None
    known = names.search(label)
    if known and re.search(r"宣布|通报|介绍", label):
        return "statement", variants[known.group(0)]
    if known:
        return "answer", variants[known.group(0)]
    return None, None


def _report_turns(paragraphs: list[str], spokesperson: str | None, names: re.Pattern, variants: dict) -> list[_Turn]:
    current = spokesperson
    turns: list[_Turn] = []
    for paragraph in paragraphs:
        named = names.search(paragraph)
        if named:
            current = variants[named.group(0)]
        attributed = _attribution(current, names.pattern).search(paragraph)
        if attributed:
            role = "report"
        elif _ASKED.search(paragraph):
            role = "question"
        elif turns and turns[-1].role == "report" and paragraph[:1] in "\"“":
            role = "report"
        else:
            role = "context"
        speaker = current if role == "report" else None
        turns.append(_Turn(role, speaker, "", [paragraph]))
    return turns


@lru_cache(maxsize=64)
def _attribution(spokesperson: str | None, known_names: str) -> re.Pattern:
    """Reported speech of the spokesperson: ``Wu said``, ``He mentioned that``, ``said Senior Colonel Wu Qian``, ``吴谦表示``."""
    subjects = [r"[Hh]e", r"[Ss]he", r"(?:[Tt]he|[Aa]) (?:defense )?(?:ministry )?spokes(?:person|man|woman)"]
    if spokesperson:
        subjects += [re.escape(spokesperson), re.escape(spokesperson.split()[0])]
    subject = "(?:" + "|".join(subjects) + ")"
    return re.compile(
        rf"(?:^|[.,;\"”–—-]\s*){subject}\b(?:\s+[\w'’-]+){{0,8}}?\s+{_SPEECH_VERBS}\b"
        rf"|{_SPEECH_VERBS}\s+(?:(?:Senior\s+)?Colonel\s+|Sr\.\s+Col\.\s+)?{subject}\b"
        rf"|(?:他|她|发言人|{known_names})\S{{0,6}}?{_ZH_SPEECH}"
    )


def pair_dyads(turns: pd.DataFrame) -> pd.DataFrame:
    """Pair each question with the spokesperson's answer (one row per dyad, CMFA PressCon style).

    A question opens a dyad; the answer is every following ``answer``/``statement``/``report`` turn
    up to the next question. Questions asked back to back with no answer between them (several
    outlets asking at once) share one dyad, their texts joined. ``Follow-up:`` questions open their
    own dyad, flagged. When the briefings came from a dyad table (CMFA), the original dyad columns
    (kept in the briefings' ``source_dyads`` column) are joined back by ``doc_id`` and ``dyad_id``.

    Parameters
    ----------
    turns : DataFrame
        Output of :func:`split_turns`.

    Returns
    -------
    DataFrame
        One row per dyad: the briefing columns, ``dyad_id`` (0-based within the briefing),
        ``question_turn_id``, ``asker``, ``question``, ``answerer``, ``answer`` (empty when the
        question went unanswered), ``n_questions`` (questions merged into the dyad),
        ``is_follow_up``; plus the original dyad columns when there are any.

    Examples
    --------
    >>> dyads = pair_dyads(split_turns(load_briefings("corpus/")))   # doctest: +SKIP
    """
    require_columns(turns, ["doc_id", "turn_id", "role", "speaker", "label", "text"], func="pair_dyads", arg="turns")
    ordered = turns.sort_values(["doc_id", "turn_id"], kind="stable")
    rows = _dyad_rows(ordered[["doc_id", "turn_id", "role", "speaker", "label", "text"]].itertuples(index=False))
    dyads = pd.DataFrame(rows, columns=["doc_id", "dyad_id", "question_turn_id", "asker", "question", "answerer", "answer", "n_questions", "is_follow_up"])
    metadata = turns.drop(columns=[c for c in (*TURN_COLUMNS, "sent_id") if c in turns.columns]).drop_duplicates("doc_id")
    result = metadata.merge(dyads, on="doc_id", how="inner")
    if "source_dyads" in result.columns:
        result = _with_source_dyads(result)
    return result


def _with_source_dyads(dyads: pd.DataFrame) -> pd.DataFrame:
    """Join the original dyad rows' columns (the JSON ``source_dyads`` column of a CMFA load) by ``dyad_id``."""
    documents = dyads[["doc_id", "source_dyads"]].drop_duplicates("doc_id").dropna()
    original = pd.DataFrame([{"doc_id": doc_id, **row} for doc_id, text in documents.itertuples(index=False)
                             for row in json.loads(text)])
    result = dyads.drop(columns="source_dyads")
    if original.empty:
        return result
    extra = original.drop(columns=[c for c in original.columns if c in result.columns and c not in ("doc_id", "dyad_id")])
    return result.merge(extra, on=["doc_id", "dyad_id"], how="left")


def _dyad_rows(turns) -> list[list]:
    """Walk turns in (doc_id, turn_id) order; a dyad row is [doc_id, dyad_id, question_turn_id, asker,
    question, answerer, answer, n_questions, is_follow_up, answered]."""
    dyads: list[list] = []
    current, doc, n_in_doc = None, None, 0
    for turn in turns:
        if turn.doc_id != doc:
            current, doc, n_in_doc = None, turn.doc_id, 0
        if turn.role == "question":
            follow_up = _is_follow_up(turn.label)
            if current is not None and not current[9] and not follow_up:
                current[4] = f"{current[4]}\n{turn.text}".strip()
                current[7] += 1
                continue
            current = [doc, n_in_doc, turn.turn_id, turn.speaker, turn.text, None, "", 1, follow_up, False]
            dyads.append(current)
            n_in_doc += 1
        elif current is not None and turn.role in SPOKESPERSON_ROLES:
            current[5] = current[5] or turn.speaker
            current[6] = f"{current[6]}\n{turn.text}".strip()
            current[9] = True
    return [row[:9] for row in dyads]


def _is_follow_up(label: str) -> bool:
    return bool(re.match(r"^(?:Follow|追问)", label or "", re.I))
