"""What the translation changes: stance per target in each language, cue intensity, unnamed targets, topics.

- :func:`translation_shifts`: per aligned exchange and target, the lexicon stance of the spokesperson's answer in
  English and in Chinese (:func:`toolkit.score_stance`, the same bilingual lexicon and gazetteer for both), their
  difference, the hostility of the cues, targets named in one language only, the length ratio;
- :func:`summarise_shifts`: per target, the mean difference with a briefing-cluster bootstrap interval, how often
  the English is milder or harsher, and how often a target is named in one language only;
- :func:`exchange_topics`: the targets and glossary terms each exchange names (what the omitted exchanges are about);
- :func:`shifts_over_time` / :func:`plot_translation_shifts`: the mean English - Chinese difference per period.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._checks import require_columns
from ..provenance import provenance
from .evidence import anchor_table

SHIFT_COLUMNS = ["en_doc_id", "zh_doc_id", "date", "step", "status", "target", "named_in", "score_en", "score_zh",
                 "score_diff", "hostility_en", "hostility_zh", "hostility_diff", "n_intensified_en",
                 "n_intensified_zh", "cues_en", "cues_zh", "length_ratio"]
_STEP_KEYS = ["en_doc_id", "zh_doc_id", "step"]
_WEIGHT = re.compile(r"\((-?\d+(?:\.\d+)?)\)$")


def translation_shifts(aligned: pd.DataFrame, *, targets: str | Path | pd.DataFrame | None = None,
                       lexicon: str | Path | pd.DataFrame | None = None, smoothing: float = 2.0) -> pd.DataFrame:
    """Compare the spokesperson's answer in English and in Chinese, per aligned exchange and target.

    Each answer is scored with :func:`toolkit.score_stance` (``method="lexicon"``, unit: the whole answer; the
    same lexicon and gazetteer, which hold English and Chinese cues and aliases, so a difference is a difference
    of cues, not of two per-language models). A target mentioned in one language only gets a
    score on that side and NaN on the other (``named_in``); an exchange present in one language only
    (``status`` ``only_en`` / ``only_zh``) has scores on its own side only.

    Parameters
    ----------
    aligned : DataFrame
        Output of :func:`align_dyads`.
    targets, lexicon : path or DataFrame, optional
        Passed to :func:`toolkit.score_stance` (the packaged ``targets.csv`` and ``stance_lexicon.csv``).
    smoothing : float
        ``k`` of the stance score.

    Returns
    -------
    DataFrame
        One row per step and target: ``en_doc_id, zh_doc_id, date, step, status, target, named_in`` (``both``,
        ``en``, ``zh``), ``score_en, score_zh`` (in (-1, 1)), ``score_diff`` (English - Chinese: > 0 the
        English is milder or warmer), ``hostility_en, hostility_zh`` (sum of the absolute weights of the
        critical and hostile cues attached to the target: 坚决反对 (-3) against "oppose" (-2) is a difference of
        -1), ``hostility_diff`` (English - Chinese), ``n_intensified_en, n_intensified_zh`` (cues with an
        intensifier such as "firmly"/坚决), ``cues_en, cues_zh`` (the explanations of the scores),
        ``length_ratio`` (English words per Chinese character of the answer; NaN when a side is missing).
        Steps whose answers name no target have one row with ``target`` NaN.

    Examples
    --------
    >>> shifts = translation_shifts(align_dyads(pairs, en_dyads, zh_dyads))     # doctest: +SKIP
    >>> shifts.query("named_in == 'zh'")["target"].value_counts()                # doctest: +SKIP
    """
    from ..stance import load_stance_lexicon, score_stance

    require_columns(aligned, [*_STEP_KEYS, "date", "status", "en_answer", "zh_answer"], func="translation_shifts",
                    arg="aligned")
    steps = aligned.reset_index(drop=True).assign(_key=lambda t: t.index.astype(str))
    intensifiers = _intensifiers(load_stance_lexicon(lexicon))
    sides = {}
    for lang in ("en", "zh"):
        rows = pd.DataFrame({"doc_id": steps["_key"], "text": steps[f"{lang}_answer"].fillna(""), "lang": lang,
                             "role": "answer"})
        scored = score_stance(rows[rows["text"] != ""], targets=targets, lexicon=lexicon, smoothing=smoothing,
                              method="lexicon")    # cue by cue in both languages, not the per-language model
        sides[lang] = pd.DataFrame({
            "_key": scored["doc_id"], "target": scored["target"], f"score_{lang}": scored["score"],
            f"cues_{lang}": scored["cues"], f"hostility_{lang}": scored["cues"].map(_hostility),
            f"n_intensified_{lang}": [_n_intensified(cues, intensifiers[lang]) for cues in scored["cues"]]})
    both = sides["en"].merge(sides["zh"], on=["_key", "target"], how="outer")
    both["named_in"] = np.select([both["score_en"].notna() & both["score_zh"].notna(), both["score_en"].notna()],
                                 ["both", "en"], "zh")
    out = steps[["_key", *_STEP_KEYS, "date", "status", "en_n_words", "zh_n_chars"]].merge(both, on="_key", how="left")
    out["score_diff"] = out["score_en"] - out["score_zh"]
    out["hostility_diff"] = out["hostility_en"] - out["hostility_zh"]
    out.loc[out["target"].isna(), "named_in"] = pd.NA
    ratio = out["en_n_words"] / out["zh_n_chars"].where(out["zh_n_chars"] > 0)
    out["length_ratio"] = ratio.where(out["en_n_words"] > 0)
    out = out[SHIFT_COLUMNS].sort_values([*_STEP_KEYS, "target"], kind="stable").reset_index(drop=True)
    texts = pd.DataFrame({"doc_id": steps["en_doc_id"].astype(str), "text": steps["en_answer"] + steps["zh_answer"]})
    out.attrs = {"provenance": provenance(texts, method="translation_shifts", smoothing=smoothing, targets=targets,
                                          lexicon=lexicon)}
    return out


def _hostility(cues: str) -> float:
    """Sum of the absolute negative weights in a ``cues`` explanation ("firmly+oppose(-3); so-called(-1.5)")."""
    weights = [float(m.group(1)) for cue in cues.split("; ") if (m := _WEIGHT.search(cue))] if cues else []
    return float(-sum(w for w in weights if w < 0))


def _intensifiers(lexicon: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """The intensifier cues of each language, lower case (a trailing ``*`` dropped: matched as a prefix)."""
    rows = lexicon[lexicon["category"] == "intensifier"]
    return {lang: tuple(c.lower().rstrip("*") for c in rows.loc[rows["language"] == lang, "cue"])
            for lang in ("en", "zh")}


def _n_intensified(cues: str, intensifiers: tuple[str, ...]) -> int:
    """Cues of an explanation whose modifiers (before ``+``) include an intensifier."""
    count = 0
    for cue in cues.split("; ") if cues else []:
        modifiers = [part.lower() for part in cue.split("+")[:-1]]
        count += any(m.startswith(intensifiers) for m in modifiers) if intensifiers else 0
    return count


def summarise_shifts(shifts: pd.DataFrame, *, min_n: int = 10, n_boot: int = 1000, level: float = 0.95,
                     random_state: int | None = None) -> pd.DataFrame:
    """Per target: does the English translation soften (or sharpen) what the Chinese answer says about it?

    Parameters
    ----------
    shifts : DataFrame
        Output of :func:`translation_shifts`.
    min_n : int
        Keep targets named in both languages in at least this many answers.
    n_boot, level, random_state
        Bootstrap of the mean ``score_diff`` (clusters: English briefings; :func:`toolkit.uncertainty.bootstrap_mean`).

    Returns
    -------
    DataFrame
        One row per target, most answers first: ``target``, ``n`` (answers naming it in both languages),
        ``score_en, score_zh`` (means), ``score_diff`` (mean English - Chinese; > 0 the English is milder),
        ``ci_low, ci_high``, ``hostility_en, hostility_zh`` (mean absolute weight of critical and hostile cues),
        ``share_milder`` / ``share_harsher`` (answers whose English hostility is lower / higher than the
        Chinese), ``n_intensified_en, n_intensified_zh`` (intensified cues, "firmly"/坚决, in all), ``n_only_zh``
        / ``n_only_en`` (answers naming the target in one language only).

    Examples
    --------
    >>> summarise_shifts(shifts, random_state=0).head()      # doctest: +SKIP
    """
    from ..uncertainty import bootstrap_mean

    require_columns(shifts, ["en_doc_id", "target", "named_in", "score_en", "score_zh", "score_diff", "hostility_en",
                             "hostility_zh", "hostility_diff", "n_intensified_en", "n_intensified_zh"],
                    func="summarise_shifts", arg="shifts")
    both = shifts[shifts["named_in"] == "both"].assign(doc_id=lambda t: t["en_doc_id"].astype(str),
                                                        milder=lambda t: t["hostility_diff"] < 0,
                                                        harsher=lambda t: t["hostility_diff"] > 0)
    table = both.groupby("target").agg(
        n=("score_diff", "size"), score_en=("score_en", "mean"), score_zh=("score_zh", "mean"),
        hostility_en=("hostility_en", "mean"), hostility_zh=("hostility_zh", "mean"), share_milder=("milder", "mean"),
        share_harsher=("harsher", "mean"), n_intensified_en=("n_intensified_en", "sum"),
        n_intensified_zh=("n_intensified_zh", "sum")).reset_index().astype({"n_intensified_en": int, "n_intensified_zh": int})
    table = table[table["n"] >= min_n]
    columns = ["target", "n", "score_en", "score_zh", "score_diff", "ci_low", "ci_high", "hostility_en", "hostility_zh",
               "share_milder", "share_harsher", "n_intensified_en", "n_intensified_zh", "n_only_zh", "n_only_en"]
    if table.empty:
        return pd.DataFrame(columns=columns)
    interval = bootstrap_mean(both[both["target"].isin(table["target"])], value="score_diff", group=["target"],
                              n_boot=n_boot, level=level, random_state=random_state, func="summarise_shifts")
    one_side = shifts[shifts["named_in"].isin(["en", "zh"])].groupby(["target", "named_in"]).size().unstack()
    one_side = one_side.reindex(columns=["zh", "en"]).fillna(0).astype(int).add_prefix("n_only_").reset_index()
    out = table.merge(interval.rename(columns={"estimate": "score_diff"})[["target", "score_diff", "ci_low", "ci_high"]],
                      on="target").merge(one_side, on="target", how="left")
    out[["n_only_zh", "n_only_en"]] = out[["n_only_zh", "n_only_en"]].fillna(0).astype(int)
    return out[columns].sort_values("n", ascending=False, kind="stable").reset_index(drop=True)


def exchange_topics(aligned: pd.DataFrame, *, kinds: tuple[str, ...] = ("t", "g")) -> pd.DataFrame:
    """The targets, glossary terms and phrase pairs each aligned exchange names (question and answer, both sides).

    Parameters
    ----------
    aligned : DataFrame
        Output of :func:`align_dyads`.
    kinds : tuple of str
        Anchor kinds to keep: ``t`` targets, ``g`` glossary terms (outlets excluded), ``p`` phrase pairs
        (left out by default: 中方 / "the Chinese side" says nothing of the topic).

    Returns
    -------
    DataFrame
        One row per step and topic: ``en_doc_id, zh_doc_id, date, step, status, topic`` (the anchor name without
        its kind prefix), ``kind`` (``target``, ``term``, ``phrase``).

    Examples
    --------
    >>> exchange_topics(aligned.query("status == 'only_zh'"))["topic"].value_counts()     # doctest: +SKIP
    """
    from .evidence import load_bilingual_terms

    require_columns(aligned, [*_STEP_KEYS, "date", "status", "en_question", "en_answer", "zh_question", "zh_answer"],
                    func="exchange_topics", arg="aligned")
    outlets = set(load_bilingual_terms().query("kind == 'outlet'")["term"])
    names = {"t": "target", "g": "term", "p": "phrase"}
    found = []
    for lang in ("en", "zh"):
        texts = (aligned[f"{lang}_question"].fillna("") + "\n" + aligned[f"{lang}_answer"].fillna("")).tolist()
        found.append(anchor_table(texts, [lang] * len(texts)))
    rows = []
    for record, en_keys, zh_keys in zip(aligned[[*_STEP_KEYS, "date", "status"]].itertuples(index=False), *found):
        for key in sorted(set(en_keys) | set(zh_keys)):
            kind, _, topic = key.partition(":")
            if kind in kinds and not (kind == "g" and topic in outlets):
                rows.append((*record, topic, names[kind]))
    return pd.DataFrame(rows, columns=[*_STEP_KEYS, "date", "status", "topic", "kind"])


def shifts_over_time(shifts: pd.DataFrame, *, by: str = "quarter", target: str | list[str] | None = None,
                     n_boot: int = 1000, level: float = 0.95, random_state: int | None = None) -> pd.DataFrame:
    """Mean English - Chinese stance difference per period and target, with briefing-cluster bootstrap intervals.

    Only targets named in both languages count (``named_in == "both"``); the means and intervals are those of
    :func:`toolkit.stance_over_time` applied to ``score_diff`` (clusters: the English briefings).

    Parameters
    ----------
    shifts : DataFrame
        Output of :func:`translation_shifts`.
    by, target, n_boot, level, random_state
        As in :func:`toolkit.stance_over_time`.

    Returns
    -------
    DataFrame
        ``period, target, score_diff`` (mean; > 0: the English is milder), ``ci_low, ci_high, n, n_clusters``,
        the period coverage columns for a time ``by``, and ``low_count``.

    Examples
    --------
    >>> shifts_over_time(shifts, by="year", target="United States", random_state=0)     # doctest: +SKIP
    """
    from ..stance import stance_over_time

    require_columns(shifts, ["en_doc_id", "date", "target", "named_in", "score_diff"], func="shifts_over_time",
                    arg="shifts")
    both = shifts[shifts["named_in"] == "both"]
    scores = both.assign(doc_id=both["en_doc_id"].astype(str), score=both["score_diff"])
    table = stance_over_time(scores, by=by, target=target, n_boot=n_boot, level=level, random_state=random_state)
    return table.rename(columns={"score": "score_diff"})


def plot_translation_shifts(over_time: pd.DataFrame, *, ax=None):
    """Draw the mean English - Chinese stance difference per target over periods; returns the Axes.

    Above zero the English translation is milder (or warmer) than the Chinese original. Partial periods are drawn
    hollow (:func:`toolkit.periods.draw_periods`).

    Parameters
    ----------
    over_time : DataFrame
        Output of :func:`shifts_over_time`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    from ..periods import draw_periods, limit_to_full_periods, period_x

    require_columns(over_time, ["period", "target", "score_diff", "ci_low", "ci_high"],
                    func="plot_translation_shifts", arg="over_time")
    ax = ax or plt.subplots(figsize=(9, 4))[1]
    data = over_time.assign(_x=period_x(over_time["period"]))
    palette = sns.color_palette(n_colors=max(data["target"].nunique(), 1))
    for colour, (name, part) in zip(palette, data.groupby("target", sort=True)):
        draw_periods(ax, part, x="_x", y="score_diff", label=name, color=colour)
    ax.axhline(0, color="grey", linewidth=0.8)
    limit_to_full_periods(ax, data, ["score_diff", "ci_low", "ci_high"])
    ax.set(xlabel="period", ylabel="English - Chinese stance (> 0: English milder)")
    ax.legend(title="target")
    return ax
