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
N_BRIEFINGS = 200  # a random sample keeps the notebook fast; use len(briefings) for a study
KS = (4, 8, 12)  # numbers of topics compared
K = 8  # the number of topics kept
SEEDS = (0, 1, 2)  # seeds of the stability check
METHOD = "nmf"  # "nmf" (fast) or "lda"
MODEL_OPTIONS = {"init": "random"}  # to the scikit-learn NMF: a random start, so seeds matter; {} for LDA
BY = "quarter"
N_BOOT = 300

# %% [markdown]
# # Topics: what do the spokesperson's answers talk about, and when?
#
# A topic model groups words that occur together. The unit here is one turn of the spokesperson's own
# words (`unit="answer"`), so the topics are what the spokesperson says, not what journalists ask.
# Three questions before trusting a model: how many topics (coherence, exclusivity), are they stable
# across seeds, and what are they (read the top and FREX terms).

# %%
briefings = toolkit.load_briefings(CORPUS)
sample = briefings.sample(n=min(N_BRIEFINGS, len(briefings)), random_state=SEED)
turns = toolkit.split_turns(sample)
len(sample), len(turns)

# %% [markdown]
# ## 1. Choosing k

# %%
choice = toolkit.select_k(turns, ks=KS, method=METHOD, unit="answer", random_state=SEED, progress=False, **MODEL_OPTIONS)
choice

# %%
toolkit.plot_select_k(choice);

# %% [markdown]
# ## 2. The topics

# %%
model = toolkit.fit_topics(turns, k=K, method=METHOD, unit="answer", random_state=SEED, **MODEL_OPTIONS)
model.labels

# %%
toolkit.coherence(model).merge(toolkit.exclusivity(model), on=["topic", "label"])

# %% [markdown]
# ## 3. Are they stable?
# The same model with other seeds; topics are matched to the first run (Hungarian algorithm on cosine
# similarity). A topic with low stability is an artefact of the seed, not a finding. (This is why the
# NMF starts from a random initialisation here: with the deterministic default every seed gives the same
# model and the check would prove nothing.)

# %%
stability = toolkit.topic_stability(turns, k=K, seeds=SEEDS, method=METHOD, unit="answer", progress=False,
                                    **MODEL_OPTIONS)
stability.topics

# %% [markdown]
# ## 4. Topics over time
# Mean topic share per period with briefing-cluster bootstrap intervals.

# %%
prevalence = toolkit.topic_prevalence(model, by=BY, n_boot=N_BOOT, random_state=SEED)
toolkit.plot_topics_over_time(prevalence);
