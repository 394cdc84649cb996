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
OUT = ".."  # figures/ and tables/ go here: the repository root when the notebook runs in notebooks/
BY = "quarter"
PHRASE = "mil-to-mil relations"
TARGETS = ["United States", "Taiwan", "Japan", "DPRK"]
TARGET_PERIOD, REFERENCE_PERIOD = "2020", "2018-2019"
K = 8
N_BOOT = 500

# %% [markdown]
# # Reproducing the paper: "Military relations talk and stance in Chinese official briefings"
#
# Every figure and table of the (short) paper, end to end, with a fixed seed. Each file is stamped with
# the corpus hash, the package versions and the seed (`toolkit.provenance`): the figure's footer and PNG
# metadata, comment lines on top of each CSV and LaTeX table, and `tables/provenance.json`. Re-running on the
# same corpus with the same seed gives identical tables.

# %%
toolkit.style()  # the toolkit's figure style: Chinese labels fall back to an installed CJK font
briefings = toolkit.load_briefings(CORPUS)
turns = toolkit.split_turns(briefings)
stamp = toolkit.provenance(briefings, seed=SEED, by=BY, phrase=PHRASE, targets=TARGETS, k=K, n_boot=N_BOOT)
toolkit.write_provenance(stamp, f"{OUT}/tables")

# %% [markdown]
# ## Table 1: the corpus

# %%
table1 = briefings.groupby("spokesperson").agg(briefings=("doc_id", "size"), words=("n_words", "sum"),
                                               first=("date", "min"), last=("date", "max")).reset_index()
toolkit.save_table(table1, f"{OUT}/tables/table1_corpus", stamp=stamp, caption="Briefings by spokesperson.")
table1

# %% [markdown]
# ## Figure 1: "mil-to-mil relations" over time

# %%
trend = toolkit.term_frequency(toolkit.count_terms(turns, unit="turn", stop_words=None), PHRASE, by=BY)
figure1 = toolkit.plot_term_trend(trend)
toolkit.save_figure(figure1, f"{OUT}/figures/figure1_phrase_trend", stamp=stamp)

# %% [markdown]
# ## Table 2: what was new in the target period (keyness)

# %%
key = toolkit.keyness(toolkit.count_terms(turns, unit="doc"), target=TARGET_PERIOD, reference=REFERENCE_PERIOD)
table2 = key.head(20)[["term", "n_target", "n_reference", "keyness", "effect", "p_adjusted"]]
toolkit.save_table(table2, f"{OUT}/tables/table2_keyness", stamp=stamp,
                   caption=f"Terms over-used in {TARGET_PERIOD} against {REFERENCE_PERIOD} (G2).")
table2

# %% [markdown]
# ## Figure 2 and Table 3: stance by target over time

# %%
sentences = toolkit.split_sentences(turns[turns["role"].isin(toolkit.SPOKESPERSON_ROLES)])
stance = toolkit.stance_over_time(toolkit.score_stance(sentences), by=BY, target=TARGETS, n_boot=N_BOOT,
                                  random_state=SEED)
toolkit.save_figure(toolkit.plot_stance_over_time(stance), f"{OUT}/figures/figure2_stance", stamp=stamp)
toolkit.save_table(stance, f"{OUT}/tables/table3_stance", stamp=stamp,
                   caption="Mean stance per period and target, 95% briefing-cluster bootstrap interval.")

# %% [markdown]
# ## Figure 3 and Table 4: topics of the spokesperson's answers over time

# %%
model = toolkit.fit_topics(turns, k=K, method="nmf", unit="answer", random_state=SEED)
prevalence = toolkit.topic_prevalence(model, by=BY, n_boot=N_BOOT, random_state=SEED)
toolkit.save_figure(toolkit.plot_topics_over_time(prevalence)[0], f"{OUT}/figures/figure3_topics", stamp=stamp)
toolkit.save_table(model.labels, f"{OUT}/tables/table4_topics", stamp=stamp, caption="NMF topics (top and FREX terms).")
model.labels

# %% [markdown]
# ## What was written

# %%
[str(path) for path in toolkit.paper_outputs(f"{OUT}/figures") + toolkit.paper_outputs(f"{OUT}/tables")]
