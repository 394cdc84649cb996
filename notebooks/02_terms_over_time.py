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
BY = "quarter"  # time unit of the trends: "month", "quarter", "year"
PHRASES = ["mil-to-mil relations", "South China Sea", "Taiwan independence", "Cold War mentality", "re:hegemon.*"]
TARGET_PERIOD = "2020"  # keyness: this period ...
REFERENCE_PERIOD = "2018-2019"  # ... against this one

# %% [markdown]
# # Terms over time: "mil-to-mil relations" and its neighbours
#
# How often does the spokesperson speak of *mil-to-mil relations*, and when? Phrases come in many
# variants ("military-to-military ties", "mil-to-mil relationship"); the packaged phrase list
# (`toolkit/data/phrases.csv`, yours to edit) merges them into one canonical term. Rates are per
# 10,000 tokens with exact Poisson intervals, and periods without any occurrence are explicit zeros.
#
# Needs a corpus spanning the two keyness periods (the MFA corpus covers 2018-2020).

# %%
toolkit.style()  # the toolkit's figure style: Chinese labels fall back to an installed CJK font
briefings = toolkit.load_briefings(CORPUS)
turns = toolkit.split_turns(briefings)
matrix = toolkit.count_terms(turns, unit="turn", stop_words=None)  # prepare once, query in milliseconds
matrix.matrix.shape  # turns x terms

# %% [markdown]
# ## 1. Frequency over time

# %%
trend = toolkit.term_frequency(matrix, PHRASES, by=BY)
trend.head(10)

# %%
toolkit.plot_term_trend(trend[trend["term"] == PHRASES[0]]);

# %%
toolkit.plot_term_trend(trend[trend["term"] != PHRASES[0]], band=False);

# %% [markdown]
# ## 2. Who says it? By spokesperson, in the spokesperson's own words only

# %%
toolkit.term_frequency(matrix, PHRASES[:3], by="spokesperson", speaker="spokesperson")

# %% [markdown]
# Is the phrase used evenly across briefings, or in bursts? Gries' DP (0 = even, towards 1 = clumped)
# and Juilland's D (1 = even).

# %%
toolkit.dispersion(matrix, PHRASES, parts="doc_id")

# %% [markdown]
# ## 3. Keyword in context
# The numbers only mean something once you have read the lines. Sorted by the left context.

# %%
lines = toolkit.kwic(turns, PHRASES[0], window=8, sort="left")
lines[["date", "speaker", "left", "match", "right"]].head(20)

# %% [markdown]
# Which words keep it company? Log-likelihood collocates within five words.

# %%
neighbours = toolkit.collocations(turns, PHRASES[0], window=5, min_count=3)
toolkit.plot_collocations(neighbours, n=15);

# %% [markdown]
# ## 4. Check a phrase before trusting its trend
# A canonical term folds several variants into one count. `phrase_audit` puts the evidence beside each
# variant's count: how often and in how many briefings it occurs, its log-likelihood collocates, which
# gazetteer targets (the US, Taiwan ...) stand within the same five-word window, and a seeded random sample
# of its concordance lines. If one variant carries most of the count and keeps different company, the trend
# may mix two meanings.

# %%
audit = toolkit.phrase_audit(turns, PHRASES[0], window=5, n_lines=3, random_state=SEED)
audit.variants

# %%
audit.collocates[["variant", "collocate", "n", "llr"]]

# %% [markdown]
# Share of each variant's hits with a target within the window (targets never near any hit left out):

# %%
audit.targets.query("n_near > 0").pivot_table(index="target", columns="variant", values="share")

# %%
audit.lines[["date", "speaker", "left", "match", "right", "near_targets"]]

# %% [markdown]
# ## 5. What is new? Keyness between periods
# Terms over-used in the target period against the reference period (log-likelihood G2 with
# Benjamini-Hochberg adjusted p-values; `effect` is Hardie's log ratio).

# %%
documents = toolkit.count_terms(turns, unit="doc")  # stop words left out for keyness
key = toolkit.keyness(documents, target=TARGET_PERIOD, reference=REFERENCE_PERIOD)
key.head(15)

# %%
toolkit.plot_keyness(key, n=12);

# %% [markdown]
# ## 6. Rising and falling terms
# A quasi-Poisson regression of each term's rate on time: the strongest rises first, the strongest falls
# last.

# %%
trending = toolkit.trending_terms(documents, by=BY, min_count=30)
toolkit.plot_trending_terms(trending, n=10);
