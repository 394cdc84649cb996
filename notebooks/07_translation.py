# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
import toolkit

CORPUS = toolkit.default_corpus()  # the English briefings: the MFA English corpus when TOOLKIT_CORPORA is set
CORPUS_ZH = toolkit.default_corpus("mfa_zh")  # their Chinese originals (same dates)
SEED = 0
BY = "quarter"
TARGETS = ["United States", "Japan", "United Kingdom", "Australia"]
N_BOOT = 300  # bootstrap replicates of the intervals (1000 for a paper)

# %% [markdown]
# # What the English version changes: omitted exchanges, softened criticism, unnamed targets
#
# The foreign ministry publishes each press conference in Chinese (authoritative) and in English (its
# translation). We pair the two versions of each briefing, align their question/answer exchanges without
# machine translation (shared numbers, dates, targets, outlets and glossary terms; `toolkit/data/targets.csv`,
# `bilingual_terms.csv`, the phrase pairs of `phrases.csv`), and compare the spokesperson's stance in the two
# answers with the same bilingual lexicon. Three questions: which exchanges are missing from the English, on
# which topics, and does the English soften criticism, and of whom?

# %%
en = toolkit.load_briefings(CORPUS)
zh = toolkit.load_briefings(CORPUS_ZH)
pairs = toolkit.align_briefings(en, zh)
pairs.groupby(["status", "en_kind"], dropna=False).size()

# %% [markdown]
# Every English briefing is either paired or listed with the reason (a Chinese page of that date that fits
# another English briefing better, no Chinese page of that date ...). Unpaired English briefings:

# %%
pairs.loc[pairs["status"] == "only_en", ["date", "en_title", "score", "reason"]]

# %% [markdown]
# ## 1. Align the exchanges of each pair
# A monotone alignment per briefing (1-1, 2-1 and 1-2 steps, gaps): a 2-1 step is one Chinese exchange against
# two English ones, usually a turn label missing on one side rather than a translation choice.

# %%
en_dyads = toolkit.pair_dyads(toolkit.split_turns(en[en["doc_id"].isin(pairs["en_doc_id"])]))
zh_dyads = toolkit.pair_dyads(toolkit.split_turns(zh[zh["doc_id"].isin(pairs["zh_doc_id"])]))
aligned = toolkit.align_dyads(pairs, en_dyads, zh_dyads)
aligned.groupby(["status", "link"]).size()

# %% [markdown]
# ## 2. Which exchanges are missing from the English version, and on which topics?
# `only_zh`: an exchange of the Chinese transcript with no counterpart in the English one; `only_en` the
# reverse. Read the rows before trusting a count: a gap is often a turn label that the splitter missed on one
# side (a Chinese page whose questions are labelled `总台央视记者提问：` has no dyads at all, so every English
# exchange of that day is `only_en`).

# %%
missing = aligned[aligned["status"] == "only_zh"]
missing[["date", "zh_asker", "similarity", "confidence", "zh_question"]]

# %%
topics = toolkit.exchange_topics(aligned)
omitted = topics.groupby("topic")["status"].value_counts().unstack(fill_value=0)
omitted = omitted.reindex(columns=["matched", "only_zh", "only_en"], fill_value=0)
omitted[omitted["only_zh"] + omitted["only_en"] > 0].sort_values(["only_zh", "only_en"], ascending=False)

# %% [markdown]
# ## 3. Does the English soften criticism, and of whom?
# Per answer and target: the lexicon stance in each language, the hostility of the cues (坚决反对 weighs 3,
# "oppose" 2) and the targets named in one language only. `score_diff > 0` and `share_milder > share_harsher`
# mean the English is milder than the Chinese original.

# %%
shifts = toolkit.translation_shifts(aligned)
summary = toolkit.summarise_shifts(shifts, n_boot=N_BOOT, random_state=SEED)
summary.round(2).head(15)

# %% [markdown]
# The answers behind the largest drops in hostility toward the first target (read them before citing a number):

# %%
first = shifts[(shifts["target"] == TARGETS[0]) & (shifts["named_in"] == "both")]
first.nsmallest(5, "hostility_diff")[["date", "hostility_en", "hostility_zh", "cues_en", "cues_zh"]]

# %% [markdown]
# Targets named in the Chinese answer but not in its English translation (and the reverse). Check the compounds
# the gazetteer covers before reading these as omissions: 朝美 / 朝韩 ("DPRK-US", "inter-Korean") are not aliases
# of `targets.csv`, so the DPRK and the ROK look "named in English only" where the Chinese used them.

# %%
shifts.groupby("target")["named_in"].value_counts().unstack(fill_value=0).reindex(
    columns=["both", "zh", "en"], fill_value=0).sort_values("zh", ascending=False).head(10)

# %% [markdown]
# ## 4. Over time

# %%
over_time = toolkit.shifts_over_time(shifts, by=BY, target=TARGETS, n_boot=N_BOOT, random_state=SEED)
toolkit.plot_translation_shifts(over_time);

# %%
by_year = toolkit.shifts_over_time(shifts, by="year", target=TARGETS, n_boot=N_BOOT, random_state=SEED)
by_year[["period", "target", "score_diff", "ci_low", "ci_high", "n", "partial"]].round(3)
