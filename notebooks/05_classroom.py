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

CORPUS = toolkit.default_corpus()  # corpus/ (one MND briefing), the MFA corpus when TOOLKIT_CORPORA is set, or any path
SEED = 0
N_BOOT = 200

# %% [markdown]
# # Class: reading official discourse with numbers (90 minutes)
#
# Six exercises in 65 minutes, then 20 minutes of discussion; a seventh exercise is for home. Every
# exercise is a question you answer with one or two calls of the toolkit and pandas.
#
# | time | what |
# | --- | --- |
# | 0-5 | setup: run the first cells |
# | 5-10 | exercise 1: who speaks? |
# | 10-20 | exercise 2: who asks? |
# | 20-30 | exercise 3: a phrase over time |
# | 30-45 | exercise 4: read the lines |
# | 45-55 | exercise 5: stance toward Japan |
# | 55-65 | exercise 6: what was new in 2020? |
# | 65-70 | buffer (the slowest group catches up) |
# | 70-90 | discussion (questions at the end) |
# | home | exercise 7: a question of your own |
#
# Setup (run it, nothing to change):

# %% [markdown] tags=["teacher"]
# **Teacher's notes** (left out of the students' copy). Make the students' copy, without the solutions,
# these notes and the answer key, with `python3 dev.py exercises` (writes
# `build/05_classroom_exercises.ipynb`). The answer key at the end gives the numbers of the MFA English
# corpus (500 briefings, 2018-2020).

# %%
toolkit.style()  # the toolkit's figure style: Chinese labels fall back to an installed CJK font
briefings = toolkit.load_briefings(CORPUS)
turns = toolkit.split_turns(briefings)
dyads = toolkit.pair_dyads(turns)
matrix = toolkit.count_terms(turns, unit="turn", stop_words=None)
len(briefings), len(turns), len(dyads)

# %% [markdown]
# ## Exercise 1 (5 min): who speaks?
# How many briefings did each spokesperson hold, and over which dates? *Hint: `groupby` on
# `spokesperson`, aggregate `date` with `min` and `max`.*

# %% tags=["solution"]
briefings.groupby("spokesperson")["date"].agg(["count", "min", "max"]).sort_values("count", ascending=False)

# %% [markdown]
# ## Exercise 2 (10 min): who asks?
# Which outlets ask the most questions (`asker` in the dyads table)? Careful: most transcripts do not name
# the asker. What share of the questions has a known asker, and what share do the top five outlets ask,
# of the questions with a known asker and of all questions?

# %% tags=["solution"]
known = dyads["asker"].notna() & ~dyads["asker"].isin(["", "follow-up"])
top = dyads.loc[known, "asker"].value_counts()
{"share of questions with a known asker": known.mean(),
 "top five, share of known": top.head(5).sum() / known.sum(),
 "top five, share of all questions": top.head(5).sum() / len(dyads)}, top.head(5)

# %% [markdown]
# ## Exercise 3 (10 min): a phrase over time
# How often per 10,000 tokens does "win-win cooperation" occur in each year? Is the change larger than
# the confidence interval? *Hint: `toolkit.term_frequency(matrix, ..., by="year")`.*

# %% tags=["solution"]
toolkit.term_frequency(matrix, "win-win cooperation", by="year")

# %% [markdown]
# ## Exercise 4 (15 min): read the lines
# Who is accused of a "Cold War mentality"? Read twenty KWIC lines and name the most frequent target.
# *Hint: `toolkit.kwic(turns, ...)`, look at the `left` and `right` columns.*

# %% tags=["solution"]
toolkit.kwic(turns, "Cold War mentality", window=10)[["date", "left", "match", "right"]].head(20)

# %% [markdown]
# ## Exercise 5 (10 min): stance toward Japan
# Score the spokesperson's sentences and compare the mean stance toward Japan of the spokespersons.
# Do their intervals overlap? *Hint: `toolkit.split_sentences`, `toolkit.score_stance`,
# `toolkit.stance_by_spokesperson`.*

# %% tags=["solution"]
spoken = toolkit.split_sentences(turns[turns["role"].isin(toolkit.SPOKESPERSON_ROLES)])
toolkit.stance_by_spokesperson(toolkit.score_stance(spoken), target="Japan", n_boot=N_BOOT, random_state=SEED)

# %% [markdown]
# ## Exercise 6 (10 min): what was new in 2020?
# Which terms are most over-used in 2020 compared with 2018-2019? Which of them are about the pandemic,
# which about something else? *Hint: `toolkit.keyness(..., target="2020", reference="2018-2019")`.*

# %% tags=["solution"]
toolkit.keyness(toolkit.count_terms(turns, unit="doc"), target="2020", reference="2018-2019").head(20)

# %% [markdown]
# ## Discussion (20 min)
# - A rate went up: is it the phrase, or did the number of briefings (the denominator) change?
# - Five outlets ask a third of the questions whose asker is known, but only about one question in six has
#   a known asker: what can we say about who asks, and what not?
# - The stance lexicon was written by people: whose reading of "so-called" does it encode?
# - MFA briefings stand in for MND briefings here: what differs between the two ministries' genres?

# %% [markdown]
# ## Exercise 7 (at home): a question of your own
# Pick a phrase you noticed in the KWIC lines and follow it by spokesperson (`by="spokesperson"`,
# `speaker="spokesperson"`). What would you need to check before writing "spokesperson X uses it more"?

# %% tags=["solution"]
toolkit.term_frequency(matrix, "Cold War mentality", by="spokesperson", speaker="spokesperson")

# %% [markdown] tags=["teacher"]
# ## Answer key (teacher)
# Numbers of the MFA English corpus (500 briefings, 11 May 2018 - 3 July 2020).
# 1. Geng Shuang 238 briefings (May 2018 - June 2020), Hua Chunying 121, Lu Kang 89 (until July 2019),
#    Zhao Lijian 50 (from February 2020).
# 2. 727 of 4,572 questions (15.9 %) have a known asker. Reuters 72, AFP 55, CCTV 52, The Paper 47,
#    Shenzhen TV 41: the top five ask 36.7 % of the questions with a known asker, 5.8 % of all questions.
#    "36.7 % of all questions" is the mistake to look for.
# 3. 1.63 (2018), 1.76 (2019), 0.49 (2020) per 10,000 tokens; the 2020 interval (0.26-0.83) lies below
#    the others: a real fall (and 2020 covers only half a year, dominated by the pandemic).
# 4. The United States in most lines (71 lines in all; "We urge the US to abandon the outdated Cold War
#    mentality"); also Japan's defence white paper and "relevant parties/individuals".
# 5. The intervals overlap widely (when this key was written: Geng 0.16, Hua 0.16, Lu 0.21, Zhao 0.06, every
#    interval including 0.10-0.20): no spokesperson can be said to be warmer toward Japan.
# 6. COVID-19, epidemic, health, WHO, pandemic, virus, medical, outbreak ...: nearly all the pandemic; among
#    the top 20 "global", "public" are the exceptions worth reading in context.
# 7. Rates per spokesperson differ (Zhao Lijian highest), but each spoke in different years: the period,
#    the topics of the day and the number of briefings confound the comparison.
