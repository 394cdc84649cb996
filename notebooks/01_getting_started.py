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

# %% [markdown]
# # Getting started: from briefing files to tidy tables
#
# A press briefing of China's Ministry of National Defense (or, the same genre, of the Ministry of
# Foreign Affairs) is a sequence of **turns**: the spokesperson's opening statements, journalists'
# questions, the spokesperson's answers. The toolkit turns a folder of briefings into pandas tables at
# four levels, every one keyed by `doc_id` so you can always join back to the briefing's date and
# spokesperson:
#
# | table | one row per |
# | --- | --- |
# | `load_briefings` | briefing |
# | `split_turns` | turn (statement, question, answer, report) |
# | `pair_dyads` | question with its answer |
# | `split_sentences` | sentence |
#
# Change `CORPUS` in the first cell to your own folder (transcripts as `.txt`, saved pages, CSV/JSONL/XLSX
# tables): see `corpus/README.md`.

# %% [markdown]
# ## 1. Briefings
# `load_briefings` reads every file it understands and infers date, spokesperson, rank and kind.

# %%
toolkit.style()  # the toolkit's figure style: Chinese labels fall back to an installed CJK font
briefings, load_report, _ = toolkit.load_briefings(CORPUS, with_report=True)
briefings[["date", "spokesperson", "rank", "kind", "lang", "n_words", "title"]].head()

# %% [markdown]
# Nothing is dropped silently: the **load report** (`with_report=True`, or `toolkit.load_report(briefings)`
# later) accounts for every record read (loaded, merged, skipped with the reason, or loaded with a
# warning such as a missing date).

# %%
load_report["action"].value_counts()

# %%
load_report[load_report["action"].isin(["skipped", "warning"])]

# %% [markdown]
# Who speaks, how often, and what kinds of briefing are there?

# %%
briefings["spokesperson"].value_counts()

# %%
briefings["kind"].value_counts()

# %%
briefings.set_index("date").resample("MS").size().plot(kind="line", marker="o", title="briefings per month");

# %% [markdown]
# ## 2. Turns: who says what
# `split_turns` recognises the labels of MND and MFA transcripts (`Question:`, `Q:`, `Reuters:`,
# `Senior Colonel Wu Qian:`, `问：` ...) and the reported speech of news reports ("Wu said that ...").
# The spokesperson's own words are the roles in `toolkit.SPOKESPERSON_ROLES`.

# %%
turns = toolkit.split_turns(briefings)
turns["role"].value_counts()

# %%
turns[["doc_id", "turn_id", "role", "speaker", "n_words", "text"]].head(10)

# %%
spokesperson = turns[turns["role"].isin(toolkit.SPOKESPERSON_ROLES)]
spokesperson.groupby("speaker")["n_words"].sum().sort_values(ascending=False).head(10)

# %% [markdown]
# ## 3. Questions and answers
# `pair_dyads` pairs every question with the answer that follows it (follow-up questions are marked).

# %%
dyads = toolkit.pair_dyads(turns)
dyads[["date", "asker", "question", "answerer", "answer", "is_follow_up"]].head()

# %% [markdown]
# Filtering is plain pandas. Which questions mention Taiwan, and who asked them?

# %%
taiwan = dyads[dyads["question"].str.contains("Taiwan", case=False)]
taiwan["asker"].value_counts().head(10)

# %% [markdown]
# ## 4. Sentences
# `split_sentences` uses an NLTK Punkt model trained on the corpus itself (abbreviations such as
# "Sr. Col." or "U.S." are learned), and Chinese sentence punctuation for Chinese text.

# %%
sentences = toolkit.split_sentences(spokesperson)
sentences[["doc_id", "turn_id", "sent_id", "text"]].head(8)

# %% [markdown]
# ## 5. Provenance
# Every result can be traced back to the exact corpus and software: the corpus hash changes when any
# document's text changes, not when rows are reordered.

# %%
toolkit.provenance(briefings, seed=SEED)

# %% [markdown]
# ## 6. Explore interactively
# Type a phrase: its rate over time with intervals, the lines it occurs in, and the spokesperson's stance
# toward the main targets over the same periods; choose the time unit, the years and the spokesperson.
# (The widget needs a live kernel: JupyterLab, or `voila notebooks/01_getting_started.ipynb`.)

# %%
toolkit.explore(turns, phrase="mil-to-mil relations", random_state=SEED)

# %% [markdown]
# Next: `02_terms_over_time` follows phrases such as "mil-to-mil relations" over time.
