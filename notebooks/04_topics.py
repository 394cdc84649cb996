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
FORMULA = "~ spokesperson + C(year)"  # covariates of topic prevalence (columns of model.doc_topics)

# %% [markdown]
# # Topics: what do the spokesperson's answers talk about, and when?
#
# A topic model groups words that occur together. The default unit is one turn of the spokesperson's own
# words (`unit="answer"`; briefings are split into turns for it), so the topics are what the spokesperson
# says, not what journalists ask. Words of the genre are left out by default: turn labels (`Q:`), outlets
# printed as labels, boilerplate ("I'm not aware of", "refer you to the competent authorities") and terms in
# more than half of the briefings (`toolkit/data/briefing_stopwords.csv`, `genre_stop_words=None` keeps them).
# Three questions before trusting a model: how many topics (coherence, exclusivity), are they stable
# across seeds, and what are they (read the top and FREX terms and the most typical answers).
#
# The turns are counted once into a term matrix, which every fit below reuses.

# %%
briefings = toolkit.load_briefings(CORPUS)
sample = briefings.sample(n=min(N_BRIEFINGS, len(briefings)), random_state=SEED)
turns = toolkit.split_turns(sample)
matrix = toolkit.count_terms(turns, unit="turn")
len(sample), len(turns)

# %% [markdown]
# ## 1. Choosing k

# %%
choice = toolkit.select_k(matrix, ks=KS, method=METHOD, random_state=SEED, progress=False, **MODEL_OPTIONS)
choice

# %%
toolkit.plot_select_k(choice);

# %% [markdown]
# ## 2. The topics

# %%
model = toolkit.fit_topics(matrix, k=K, method=METHOD, random_state=SEED, **MODEL_OPTIONS)
model.labels

# %% [markdown]
# Read the three most typical answers of each topic (the highest share of the topic) before naming it.

# %%
model.representative_docs

# %% [markdown]
# Coherence: do a topic's top terms occur together in the same briefings (NPMI from -1 to 1)? Counted over the
# whole briefings, and over sliding windows of 10 tokens (gensim's `c_npmi`).

# %%
quality = toolkit.coherence(model, reference=sample).merge(toolkit.exclusivity(model), on=["topic", "label"])
quality.assign(npmi_window_10=toolkit.coherence(model, reference=sample, window=10)["coherence"])

# %% [markdown]
# ## 3. Are they stable?
# The same model with other seeds; topics are matched to the first run (Hungarian algorithm on cosine
# similarity). A topic with low stability is an artefact of the seed, not a finding. (This is why the
# NMF starts from a random initialisation here: with the deterministic default every seed gives the same
# model and the check would prove nothing.)

# %%
stability = toolkit.topic_stability(matrix, k=K, seeds=SEEDS, method=METHOD, progress=False, **MODEL_OPTIONS)
stability.topics

# %% [markdown]
# ## 4. Topics over time
# Mean topic share per period with briefing-cluster bootstrap intervals.

# %%
prevalence = toolkit.topic_prevalence(model, by=BY, n_boot=N_BOOT, random_state=SEED)
toolkit.plot_topics_over_time(prevalence);

# %% [markdown]
# ## 5. Who talks about what: covariate effects
# As stm's `estimateEffect`: each topic's share of the answers regressed on covariates (OLS, standard errors
# clustered by briefing). An estimate is the difference in mean topic share against the baseline level
# (the first spokesperson, the first year), the other covariates held fixed.

# %%
effects = toolkit.topic_effects(model, FORMULA)
effects[effects["term"] != "Intercept"].sort_values("p_value").head(10)

# %%
toolkit.plot_topic_effects(effects);
