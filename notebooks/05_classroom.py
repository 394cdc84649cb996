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
# Seven exercises, about ten minutes each, then a discussion. Every exercise is a question you answer
# with one or two calls of the toolkit and pandas; the solutions are in the teacher's version. The
# student version (solutions removed) is made with
#
# ```bash
# python notebooks/make_exercises.py          # writes build/05_classroom_exercises.ipynb
# ```
#
# Setup (run it, nothing to change):

# %%
briefings = toolkit.load_briefings(CORPUS)
turns = toolkit.split_turns(briefings)
dyads = toolkit.pair_dyads(turns)
matrix = toolkit.count_terms(turns, unit="turn", stop_words=None)
len(briefings), len(turns), len(dyads)

# %% [markdown]
# ## Exercise 1 (10 min): who speaks?
# How many briefings did each spokesperson hold, and over which dates? *Hint: `groupby` on
# `spokesperson`, aggregate `date` with `min` and `max`.*

# %% tags=["solution"]
briefings.groupby("spokesperson")["date"].agg(["count", "min", "max"]).sort_values("count", ascending=False)

# %% [markdown]
# ## Exercise 2 (10 min): who asks?
# Which outlets ask the most questions (`asker` in the dyads table)? What share of all questions do the
# top five ask?

# %% tags=["solution"]
askers = dyads["asker"].value_counts(normalize=True)
askers.head(5), askers.head(5).sum()

# %% [markdown]
# ## Exercise 3 (15 min): a phrase over time
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
# ## Exercise 5 (15 min): stance toward Japan
# Score the spokesperson's sentences and compare the mean stance toward Japan of the spokespersons.
# Do their intervals overlap? *Hint: `toolkit.split_sentences`, `toolkit.score_stance`,
# `toolkit.stance_by_spokesperson`.*

# %% tags=["solution"]
spoken = toolkit.split_sentences(turns[turns["role"].isin(toolkit.SPOKESPERSON_ROLES)])
toolkit.stance_by_spokesperson(toolkit.score_stance(spoken), target="Japan", n_boot=N_BOOT, random_state=SEED)

# %% [markdown]
# ## Exercise 6 (15 min): what was new in 2020?
# Which terms are most over-used in 2020 compared with 2018-2019? Which of them are about the pandemic,
# which about something else? *Hint: `toolkit.keyness(..., target="2020", reference="2018-2019")`.*

# %% tags=["solution"]
toolkit.keyness(toolkit.count_terms(turns, unit="doc"), target="2020", reference="2018-2019").head(20)

# %% [markdown]
# ## Exercise 7 (10 min): a question of your own
# Pick a phrase you noticed in the KWIC lines and follow it by spokesperson (`by="spokesperson"`,
# `speaker="spokesperson"`). What would you need to check before writing "spokesperson X uses it more"?

# %% tags=["solution"]
toolkit.term_frequency(matrix, "Cold War mentality", by="spokesperson", speaker="spokesperson")

# %% [markdown]
# ## Discussion (remaining time)
# - A rate went up: is it the phrase, or did the number of briefings (the denominator) change?
# - The stance lexicon was written by people: whose reading of "so-called" does it encode?
# - MFA briefings stand in for MND briefings here: what differs between the two ministries' genres?
