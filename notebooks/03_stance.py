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
BY = "quarter"
TARGETS = ["United States", "Taiwan", "Japan", "DPRK"]
N_BOOT = 300  # bootstrap replicates of the intervals (1000 for a paper)

# %% [markdown]
# # Stance toward the United States, Taiwan, Japan and the DPRK
#
# How hostile or cooperative is the spokesperson toward each target, and does it change? Each sentence
# of the spokesperson is searched for target mentions (`toolkit/data/targets.csv`) and stance cues
# (`toolkit/data/stance_lexicon.csv`: "firmly oppose", "so-called", "friendly cooperation" ...); cues
# attach to the targets of their clause, and the lexicon score is `(P - N) / (P + N + 2)`, between
# -1 (hostile) and +1 (cooperative). The default `method="ensemble"` blends it with a supervised n-gram
# model shipped with the toolkit (`toolkit/data/stance_model.csv`); a sentence without any cue gets the
# model's score, and the `source` column says which: `lexicon` (cues found, blended) or `model` (no cue).
# `method="lexicon"` and `method="model"` give the single methods. Intervals resample whole briefings.
#
# The validation section reads the hand-labelled sentences from the MFA corpora (`TOOLKIT_CORPORA`).

# %%
toolkit.style()  # the toolkit's figure style: Chinese labels fall back to an installed CJK font
briefings = toolkit.load_briefings(CORPUS)
turns = toolkit.split_turns(briefings)
sentences = toolkit.split_sentences(turns[turns["role"].isin(toolkit.SPOKESPERSON_ROLES)])
scores = toolkit.score_stance(sentences)
scores["target"].value_counts().head(12)

# %%
scores["source"].value_counts()

# %% [markdown]
# ## 1. Stance over time

# %%
over_time = toolkit.stance_over_time(scores, by=BY, target=TARGETS, n_boot=N_BOOT, random_state=SEED)
over_time.head()

# %%
toolkit.plot_stance_over_time(over_time);

# %% [markdown]
# ## 2. The cues behind a score
# Every lexicon score is explained: `cues` lists each cue with its modifier and weight; `model_score` is
# the supervised model's part. The most hostile sentences about the first target:

# %%
first = scores[scores["target"] == TARGETS[0]]
first.nsmallest(5, "score")[["date", "spokesperson", "score", "source", "cues", "model_score", "text"]]

# %% [markdown]
# ...and the most cooperative ones:

# %%
first.nlargest(5, "score")[["date", "spokesperson", "score", "source", "cues", "model_score", "text"]]

# %% [markdown]
# ## 3. Do spokespersons differ?

# %%
toolkit.stance_by_spokesperson(scores, target=TARGETS[:2], n_boot=N_BOOT, random_state=SEED)

# %% [markdown]
# ## 4. How good are the methods? Validation against hand labels
# 218 spokesperson sentences were labelled (-2 .. +2) before the lexicon was written. Spearman
# correlation and 3-class macro-F1 of each method. The supervised model (and so the ensemble) was fitted
# on these sentences too, so its figures here are in-sample: the held-out figures (cross-validation
# grouped by briefing and the locked test split of the gold set) are in the README's stance table.

# %%
labels = toolkit.load_stance_validation()
toolkit.validate(labels, methods=("ensemble", "lexicon", "model", "keywords", "vader"), random_state=SEED)

# %% [markdown]
# ## 5. Changing the lexicon
# The lexicon is a table: read it, change it with pandas, pass it back. Here we drop the "so-called"
# scare-quote cues and see how much the picture for the first target moves.

# %%
lexicon = toolkit.load_stance_lexicon()
lexicon[lexicon["category"] == "hostile"].head()

# %%
without_so_called = lexicon[~lexicon["cue"].str.startswith("so-called") & ~lexicon["cue"].str.startswith("so called")]
rescored = toolkit.score_stance(sentences, lexicon=without_so_called)
toolkit.stance_over_time(rescored, by="year", target=TARGETS[0], n_boot=N_BOOT, random_state=SEED)

# %%
toolkit.stance_over_time(scores, by="year", target=TARGETS[0], n_boot=N_BOOT, random_state=SEED)
