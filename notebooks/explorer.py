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
# # Explorer
#
# Type a phrase: its rate over time, the spokesperson's stance in the turns using it, and every line in
# context with its speaker and role. Serve this page alone with `voila notebooks/explorer.ipynb`.

# %%
toolkit.explore(toolkit.split_turns(toolkit.load_briefings(CORPUS)), by="quarter", random_state=SEED)
