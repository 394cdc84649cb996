"""Choose the supervised stance model's settings and the ensemble's weights by grouped cross-validation, by a
fixed rule, and write them into ``toolkit/data/stance_model_settings.csv``.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/cv_stance.py [--gold-dir DIR] [--dry-run]
       [--table grid.csv] [--jobs 2]

Reads the train and dev splits of the gold set (never test), the project set
(``tests/data/stance_validation.csv``, all in train-split briefings) and the English CMFA training rows
(:func:`train_stance_model.read_training`) and runs 5-fold cross-validation grouped by briefing (``GroupKFold``
on ``source_url``; ``cmfa:<date>`` for a CMFA row). For each language and grid point (:data:`BLOCKS` x
:data:`GRID`: feature blocks, the value of the target-name feature, penalty ``C``, class weights) it fits
:func:`toolkit.stance.linear.fit_blocks` + :func:`toolkit.stance.linear.classifier` on four folds and scores the
fifth (the folds in ``--jobs`` processes; along ``C`` each fit starts from the previous one), then blends the out-of-fold model scores with the lexicon score of the cued rows
(``w * lexicon + (1 - w) * model``) for each ``w`` in :data:`ENSEMBLE_WEIGHTS`.

**The rule.** Per language, the grid point and ``w`` with the highest out-of-fold Spearman of the ensemble
(rounded to 3 decimals), ties to the simpler model: fewer n-gram blocks (earlier in :data:`BLOCKS`), then the
smaller name scale (less weight on the target's identity), then the smaller ``C``, then no class weights, then the smaller ``w``. The neutral bands (3-class macro-F1: scores
within ``±band`` are neutral) are the :data:`BANDS` with the best out-of-fold macro-F1 of the chosen model
alone and of the chosen ensemble, ties to the band nearest 0.2. The choice and its out-of-fold figures go into
``toolkit/data/stance_model_settings.csv`` (``--dry-run``: only print); then refit the shipped model with
``bench/train_stance_model.py``. ``--table`` writes every grid point's figures. Prints the run time.

**Candidate improvements of the ensemble (written and committed 2026-11-30 before any was run).**
``--candidates`` evaluates, at the chosen settings of ``stance_model_settings.csv`` only (no grid), on the
same rows and the same grouped folds:

- C0, the current ensemble: one ``w`` per language (reference figures: the settings file's
  ``cv_spearman_ensemble``, 0.826 English, 0.831 Chinese);
- C1, a weight per amount of evidence: ``w1`` for rows with one counted cue, ``w2`` for rows with two or
  more (each in 0, 0.1 .. 0.8), the model alone elsewhere;
- C2, a linear stacker: least squares of the label on (1, model score, lexicon score, cued), fitted on the
  out-of-fold predictions, the model alone's ranking unchanged within the uncued rows;
- C3, the lexicon's evidence as features of the linear model: dense columns appended to the TF-IDF matrix,
  each multiplied by ``lexicon_scale`` (0.3 or 1): the lexicon score for the row's target, cued (0/1),
  log(1 + count) of its hostile, critical and cooperative cues, log(1 + P) (the summed cooperative weight:
  warmth), and six role flags of the target (admonished, co-agent, victim, object of pressure, venue,
  authority; :meth:`toolkit.stance.lexicon.Matcher.roles_of`); the ensemble on top with ``w`` in
  :data:`ENSEMBLE_WEIGHTS`.

Not run: LSS (``fit_polarity``) as a member (it needs a corpus fit of minutes per fold and was the weakest
held-out method, ρ 0.63). **Decision rule.** Every candidate's combiner parameters (``w``, ``w1``/``w2``, the
stacker's coefficients, ``lexicon_scale`` with ``w``) are chosen *nested*: on the out-of-fold predictions of
the other four folds, then applied to the fifth; its figure is the Spearman of the pooled nested
predictions (C0's nested figure is reported too). A candidate is adopted in a language only if its nested
out-of-fold ensemble Spearman, rounded to 3 decimals, is at least the current figure + 0.005 (0.831
English, 0.836 Chinese) and at least each single method's out-of-fold Spearman (the lexicon's and its own
model's); among adopted ones the highest wins, ties to the simplest (C1 < C2 < C3). Every candidate's
figures (Spearman and macro-F1 at its best band, model alone and ensemble, nested and not) are printed and
reported, rejected ones too. If none is adopted the default stays as it is.

Round 1 (``--candidates --jobs 2``, 24 s; 1,835 English, 1,177 Chinese rows; ρ / macro-F1 at the best band;
"nested": the combiner chosen on the other folds):

=====================================  ===============  ===============  ===============  =====================
candidate                              en model         en ensemble      en nested        zh model / ens / nested
=====================================  ===============  ===============  ===============  =====================
C0 current (w 0.2 / 0.4)               0.817 / 0.792    0.826 / 0.795    0.826 / 0.795    0.805 / 0.831 / 0.828
C1 w by cues (en 0.2/0.2, zh 0.3/0.4)  0.817 / 0.792    0.826 / 0.795    0.824 / 0.794    0.805 / 0.831 / 0.826
C2 linear stacker                      0.817 / 0.792    0.827 / 0.788    0.826 / 0.785    0.805 / 0.832 / 0.831
C3 lexicon evidence (scale 0.3, w 0)   0.826 / 0.814    0.826 / 0.814    0.826 / 0.814    0.821 / 0.821 / 0.818
=====================================  ===============  ===============  ===============  =====================

(Chinese F1: C0 0.760 / 0.787 / 0.785, C1 0.783 / 0.782, C2 0.773 / 0.773, C3 0.790 / 0.790 / 0.791.)
None reaches 0.831 English / 0.836 Chinese nested: none adopted. C3 raises the model alone (English
0.817 → 0.826, Chinese 0.805 → 0.821) but the blend on top then chooses ``w`` = 0 (the lexicon is already
inside), and in Chinese it stays below the current blend.

**Round 2 (written and committed after round 1, before it was run; post hoc, so a pass here carries the
extra comparisons).** Same rule and threshold, nested the same way:

- C4, C2's stacker over C3's model (``lexicon_scale`` 0.3, round 1's choice in both languages): least
  squares of the label on (1, C3 model score, lexicon score, cued);
- C5, a richer stacker over the current model: (1, model, lexicon, cued, model x cued, lexicon x
  log(1 + number of cues)): the lexicon's weight may grow with its evidence and the model's differ between
  cued and uncued rows.

Round 2 (36 s with round 1; same rows and folds; model / ensemble / nested ρ, nested F1):

- C4: English 0.826 / 0.827 / 0.826 (F1 0.817), Chinese 0.821 / 0.820 / 0.817 (0.791); the stacker gives
  the lexicon a small negative weight on top of C3's model (English −0.32, Chinese −0.13);
- C5: English 0.817 / 0.825 / 0.824 (0.777), Chinese 0.805 / 0.833 / 0.831 (0.763).

Neither reaches the threshold: **no candidate adopted; the default ensemble stays** (one ``w`` per language).
``--candidates`` also prints each candidate's nested gain over C0 on 1,000 resamples of the briefings (mean,
sd; 63 s in all): C2 English −0.000 ± 0.001, Chinese +0.002 ± 0.002; C3 −0.000 ± 0.005, −0.010 ± 0.006.

**Learning curve** (``--learning-curve``, writes nothing): the out-of-fold Spearman of the model alone and of
the ensemble (the settings file's ``w``) when each fold's model is fitted on a random share
(:data:`CURVE_FRACTIONS`) of the other folds' briefings, averaged over :data:`CURVE_REPEATS` draws
(``random_state`` 0). On 2026-11-30, before the second train supplements: English model 0.764 / 0.788 /
0.807 / 0.817 and ensemble 0.785 / 0.804 / 0.818 / 0.826 with 40 / 60 / 80 / 100 % of the briefings; Chinese
model 0.753 / 0.776 / 0.796 / 0.805, ensemble 0.806 / 0.816 / 0.826 / 0.831: still rising, so the next
improvement is more labelled training rows, not more rules. After the fourth train supplements and the CMFA rows (6,352
English, 4,653 Chinese rows; 640 s): English model 0.821 / 0.838 / 0.849 / 0.858, ensemble 0.826 / 0.842 /
0.852 / 0.860; Chinese model 0.822 / 0.836 / 0.842 / 0.849, ensemble 0.827 / 0.840 / 0.845 / 0.851: still
rising, by less per row.
"""
from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from train_stance_model import DATA, REPO, gold_dir, read_training

FOLDS = 5
BLOCKS = {  # candidate feature blocks per language, simplest first
    "en": [{"word_ngrams": (1, 2), "char_analyzer": "char_wb", "char_ngrams": (2, 5)}],
    "zh": [{"word_ngrams": None, "char_analyzer": "char", "char_ngrams": (1, 3)}],
}
GRID = {"name_scale": (0.1, 0.3, 1.0), "C": (3.0, 10.0, 30.0, 100.0), "class_weight": (None, "balanced")}
# C 100 added 2026-11-30, before the refit on the fourth train supplements: Chinese had chosen 30, the edge of the grid
ENSEMBLE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
BANDS = (0.1, 0.15, 0.2, 0.25, 0.3)
LEXICON_BAND = 0.2
MIN_TARGET_ROWS = 15  # targets with at least this many rows enter the within-target Spearman
CURVE_FRACTIONS = (0.4, 0.6, 0.8, 1.0)
CURVE_REPEATS = 2


def lexicon_scores(labelled: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's lexicon score for its labelled target and whether the row has cues for it."""
    from toolkit import score_stance

    frame = labelled.assign(sent_id=np.arange(len(labelled)), turn_id=0, role="answer",
                            doc_id=np.arange(len(labelled)).astype(str))
    frame = frame.drop(columns=["label", "target", "note", "marked", "split", "group"], errors="ignore")
    scored = score_stance(frame, method="lexicon").set_index(["sent_id", "target"])
    scored = scored[~scored.index.duplicated()]
    score = np.array([scored["score"].get((i, t), 0.0) for i, t in enumerate(labelled["target"])], float)
    cued = np.array([scored["source"].get((i, t), "none") == "lexicon" for i, t in enumerate(labelled["target"])])
    return score, cued


def oof_models(rows: pd.DataFrame, blocks: dict, jobs: int = 2) -> dict[tuple, np.ndarray]:
    """Out-of-fold model scores in [-1, 1] (expected label / 2) for each (name_scale, C, class_weight) of
    :data:`GRID`,
    with the feature ``blocks``; the folds run in ``jobs`` processes."""
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold

    texts, y = rows["marked"].tolist(), rows["label"].astype(int).to_numpy()
    folds = list(GroupKFold(n_splits=FOLDS).split(texts, y, rows["source_url"]))
    done = Parallel(n_jobs=jobs)(delayed(fold_scores)([texts[i] for i in fit], y[fit], [texts[i] for i in test],
                                                      blocks) for fit, test in folds)
    out = {}
    for (_, test_idx), scores in zip(folds, done):
        for point, values in scores.items():
            out.setdefault(point, np.zeros(len(rows)))[test_idx] = values
    return out


def fold_scores(fit_texts: list[str], fit_y: np.ndarray, test_texts: list[str], blocks: dict) -> dict:
    """One fold: the matrices built once (the name block, last, rescaled per ``name_scale``), then the
    logistic regression for each name scale and class weight along the increasing ``C`` of :data:`GRID`, each
    fit starting from the previous solution (``warm_start``: the same optimum up to the solver's tolerance, in
    fewer iterations)."""
    from scipy.sparse import diags

    from toolkit.stance.linear import classifier, fit_blocks, transform_blocks

    fitted, train_x = fit_blocks(fit_texts, {**blocks, "name_scale": 1.0})
    test_x = transform_blocks(fitted, test_texts)
    n_names = len(fitted[-1][1].vocabulary_)
    out = {}
    for scale in GRID["name_scale"]:
        rescale = diags(np.r_[np.ones(train_x.shape[1] - n_names), np.full(n_names, scale)])
        scaled_train, scaled_test = (train_x @ rescale).tocsr(), (test_x @ rescale).tocsr()
        for cw in GRID["class_weight"]:
            model = classifier({"C": GRID["C"][0], "class_weight": cw}).set_params(warm_start=True)
            for c in sorted(GRID["C"]):
                model.set_params(C=c).fit(scaled_train, fit_y)
                probabilities = model.predict_proba(scaled_test)
                out[scale, c, cw] = np.clip(probabilities @ model.classes_.astype(float) / 2, -1, 1)
    return out


ROLE_FLAGS = ("admonished", "coagent", "victim", "object", "venue", "authority")
EVIDENCE_WEIGHTS = tuple(np.round(np.arange(0, 0.81, 0.1), 1))   # C1's w1, w2
LEXICON_SCALES = (0.3, 1.0)   # C3
BOOTSTRAP = 1000   # resamples of the briefings for the candidates' gains over C0


def lexicon_evidence(labelled: pd.DataFrame) -> pd.DataFrame:
    """Per row, the lexicon's evidence for its labelled target (candidate C3; C1 uses ``n_cues``): ``score``,
    ``cued``, ``n_hostile, n_critical, n_cooperative``, ``n_cues`` (their sum), ``pos`` (P, the summed
    positive cue weights) and a 0/1 column per role of :data:`ROLE_FLAGS`."""
    import re

    from toolkit import score_stance
    from toolkit.stance.lexicon import (
        load_stance_lexicon,
        load_stance_roles,
        load_targets,
        match_units,
        matchers,
    )

    frame = labelled.assign(sent_id=np.arange(len(labelled)), turn_id=0, role="answer",
                            doc_id=np.arange(len(labelled)).astype(str))
    frame = frame.drop(columns=["label", "target", "note", "marked", "split", "group"], errors="ignore")
    scored = score_stance(frame, method="lexicon").set_index(["sent_id", "target"])
    scored = scored[~scored.index.duplicated()]
    keys = list(zip(range(len(labelled)), labelled["target"]))
    found = scored.reindex(keys)
    out = pd.DataFrame({"score": found["score"].fillna(0.0).to_numpy(float),
                        **{c: found[c].fillna(0).to_numpy(int) for c in ("n_hostile", "n_critical", "n_cooperative")}})
    out["n_cues"] = out[["n_hostile", "n_critical", "n_cooperative"]].sum(axis=1)
    out["cued"] = (out["n_cues"] > 0).astype(int)
    weight = re.compile(r"\(([+-][0-9.e+-]+)\)(?:; |$)")
    out["pos"] = [sum(max(float(v), 0.0) for v in weight.findall(c)) if isinstance(c, str) else 0.0
                  for c in found["cues"]]
    compiled = matchers(load_targets(), load_stance_lexicon(), load_stance_roles())
    flags = np.zeros((len(labelled), len(ROLE_FLAGS)), int)
    for i, (text, lang, target) in enumerate(zip(labelled["text"], labelled["lang"], labelled["target"])):
        units = match_units(str(text), lang)
        spans = compiled[lang].spans(units, str(text))
        lowered = tuple(map(str.lower, units)) if lang == "en" else units
        for _, role, _, _ in compiled[lang].roles_of(lowered, spans).get(target, ()):
            if role in ROLE_FLAGS:
                flags[i, ROLE_FLAGS.index(role)] = 1
    return out.assign(**{f"role_{r}": flags[:, j] for j, r in enumerate(ROLE_FLAGS)})


def evidence_matrix(evidence: pd.DataFrame) -> np.ndarray:
    """C3's dense columns (before ``lexicon_scale``): score, cued, log(1 + counts), log(1 + P), role flags."""
    logs = np.log1p(evidence[["n_hostile", "n_critical", "n_cooperative", "pos"]].to_numpy(float))
    return np.column_stack([evidence["score"], evidence["cued"], logs,
                            evidence[[f"role_{r}" for r in ROLE_FLAGS]].to_numpy(float)])


def fold_ids(rows: pd.DataFrame) -> np.ndarray:
    """Each row's fold (0-4) under the grouped folds of :func:`oof_models`."""
    from sklearn.model_selection import GroupKFold

    out = np.zeros(len(rows), int)
    for k, (_, test) in enumerate(GroupKFold(n_splits=FOLDS).split(rows, rows["label"], rows["source_url"])):
        out[test] = k
    return out


def oof_chosen(rows: pd.DataFrame, settings: dict, dense: np.ndarray | None = None, scale: float = 1.0,
               jobs: int = 1) -> np.ndarray:
    """Out-of-fold model scores at the chosen ``settings`` (one grid point), with ``dense`` columns x ``scale``
    appended to the matrix when given (C3)."""
    from joblib import Parallel, delayed

    folds = fold_ids(rows)
    done = Parallel(n_jobs=jobs)(delayed(_fold_chosen)(rows, folds == k, settings, dense, scale)
                                 for k in range(FOLDS))
    out = np.zeros(len(rows))
    for k, values in enumerate(done):
        out[folds == k] = values
    return out


def _fold_chosen(rows, test, settings, dense, scale):
    from scipy.sparse import csr_matrix, hstack

    from toolkit.stance.linear import classifier, fit_blocks, transform_blocks

    texts, y = rows["marked"].tolist(), rows["label"].to_numpy(int)
    fitted, train_x = fit_blocks([t for t, out in zip(texts, test) if not out], settings)
    test_x = transform_blocks(fitted, [t for t, out in zip(texts, test) if out])
    if dense is not None:
        train_x = hstack([train_x, csr_matrix(dense[~test] * scale)]).tocsr()
        test_x = hstack([test_x, csr_matrix(dense[test] * scale)]).tocsr()
    model = classifier(settings).fit(train_x, y[~test])
    return np.clip(model.predict_proba(test_x) @ model.classes_.astype(float) / 2, -1, 1)


def learning_curve(rows: pd.DataFrame, lexicon: np.ndarray, cued: np.ndarray, settings: dict,
                   random_state: int = 0) -> pd.DataFrame:
    """Out-of-fold Spearman of the model and the ensemble when each fold's model sees only a share of the other
    folds' briefings.

    Returns
    -------
    DataFrame
        ``fraction`` (share of the training briefings), ``rho_model``, ``rho_ensemble`` (means over
        :data:`CURVE_REPEATS` draws; one at 1.0).
    """
    rng = np.random.default_rng(random_state)
    y, folds, urls = rows["label"].to_numpy(int), fold_ids(rows), rows["source_url"].to_numpy()
    w = settings["ensemble_weight"]
    records = []
    for fraction in CURVE_FRACTIONS:
        figures = []
        for _ in range(CURVE_REPEATS if fraction < 1 else 1):
            scores = np.zeros(len(rows))
            for k in range(FOLDS):
                test = folds == k
                pool = np.unique(urls[~test])
                kept = np.isin(urls, rng.choice(pool, round(fraction * len(pool)), replace=False))
                used = test | kept
                scores[test] = _fold_chosen(rows[used].reset_index(drop=True), test[used], settings, None, 1.0)
            ensemble = np.where(cued, w * lexicon + (1 - w) * scores, scores)
            figures.append((spearmanr(y, scores).statistic, spearmanr(y, ensemble).statistic))
        records.append((fraction, *np.mean(figures, axis=0)))
    return pd.DataFrame(records, columns=["fraction", "rho_model", "rho_ensemble"])


def nested(y, folds, candidates: dict) -> tuple[np.ndarray, list]:
    """Nested choice among ``candidates`` (``{key: scores}``, keys in order of simplicity): for each fold, the
    key with the best Spearman (3 decimals; ties to the earlier key) on the other folds, its scores on this
    fold. Returns the pooled scores and the key chosen per fold."""
    out, picked = np.zeros(len(y)), []
    keys = list(candidates)
    for k in range(FOLDS):
        rest = folds != k
        rho = [round(spearmanr(y[rest], candidates[key][rest]).statistic, 3) for key in keys]
        key = keys[int(np.argmax(rho))]
        out[folds == k] = candidates[key][folds == k]
        picked.append(key)
    return out, picked


def stacked(y, folds, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """C2, C4, C5: least squares of the label on the columns of ``x`` fitted on the other folds' out-of-fold
    predictions, applied to each fold; also the coefficients fitted on all rows."""
    out = np.zeros(len(y))
    for k in range(FOLDS):
        beta = np.linalg.lstsq(x[folds != k], y[folds != k], rcond=None)[0]
        out[folds == k] = x[folds == k] @ beta
    return out, np.linalg.lstsq(x, y, rcond=None)[0]


def candidate_table(rows: pd.DataFrame, evidence: pd.DataFrame, settings: dict, jobs: int = 1) -> pd.DataFrame:
    """One language's candidates C0-C3 (see the module docstring): out-of-fold Spearman and macro-F1 (best band)
    of the model alone and of the ensemble, chosen on all out-of-fold predictions ("in-sample") and nested."""
    y, folds = rows["label"].to_numpy(int), fold_ids(rows)
    lexicon, cued, n_cues = (evidence["score"].to_numpy(float), evidence["cued"].to_numpy(bool),
                             evidence["n_cues"].to_numpy(int))
    blend = (lambda model, w: np.where(cued, w * lexicon + (1 - w) * model, model))
    records, pooled = [], []

    def record(name, model, insample, nested_scores, choice):
        rho = (lambda s: spearmanr(y, s).statistic)
        records.append({"candidate": name, "rho_model": rho(model), "f1_model": best_band(y, model)[1],
                        "rho_ensemble": rho(insample), "f1_ensemble": best_band(y, insample)[1],
                        "rho_nested": rho(nested_scores), "f1_nested": best_band(y, nested_scores)[1],
                        "choice": choice})
        pooled.append(nested_scores)

    model = oof_chosen(rows, settings, jobs=jobs)
    per_w = {w: blend(model, w) for w in ENSEMBLE_WEIGHTS}
    scores, picked = nested(y, folds, per_w)
    record("C0 current (one w)", model, per_w[settings["ensemble_weight"]], scores,
           f"w={settings['ensemble_weight']:g}; nested w per fold {picked}")
    per_pair = {(float(w1), float(w2)): np.where(n_cues == 1, w1 * lexicon + (1 - w1) * model,
                                   np.where(n_cues > 1, w2 * lexicon + (1 - w2) * model, model))
                for w1 in EVIDENCE_WEIGHTS for w2 in EVIDENCE_WEIGHTS}
    scores, picked = nested(y, folds, per_pair)
    best = max(per_pair, key=lambda key: round(spearmanr(y, per_pair[key]).statistic, 3))
    record("C1 w by cues (1 / 2+)", model, per_pair[best], scores, f"all rows: w1,w2={best}; nested {picked}")
    one = np.ones(len(y))
    x = np.column_stack([one, model, lexicon, cued])
    scores, beta = stacked(y, folds, x)
    record("C2 linear stacker", model, x @ beta, scores, f"beta(1, model, lexicon, cued)={np.round(beta, 3)}")
    x = np.column_stack([one, model, lexicon, cued, model * cued, lexicon * np.log1p(n_cues)])
    scores, beta = stacked(y, folds, x)
    record("C5 richer stacker", model, x @ beta, scores,
           f"beta(1, model, lexicon, cued, model*cued, lexicon*log1p(n))={np.round(beta, 3)}")
    dense = evidence_matrix(evidence)
    options = {}
    for scale in LEXICON_SCALES:
        featured = oof_chosen(rows, settings, dense, scale, jobs=jobs)
        options.update({(scale, w): blend(featured, w) for w in ENSEMBLE_WEIGHTS})
        print(f"  C3 scale {scale}: model alone rho {spearmanr(y, featured).statistic:.3f}", flush=True)
    scores, picked = nested(y, folds, options)
    best = max(options, key=lambda key: round(spearmanr(y, options[key]).statistic, 3))
    record("C3 lexicon evidence as features", options[best[0], 0.0], options[best], scores,
           f"all rows: scale,w={best}; nested {picked}")
    featured = options[LEXICON_SCALES[0], 0.0]
    x = np.column_stack([one, featured, lexicon, cued])
    scores, beta = stacked(y, folds, x)
    record("C4 stacker over C3's model", featured, x @ beta, scores,
           f"scale {LEXICON_SCALES[0]}; beta(1, model, lexicon, cued)={np.round(beta, 3)}")
    gains = bootstrap_gains(y, rows["source_url"].to_numpy(), pooled)
    table = pd.DataFrame(records).assign(gain_mean=gains.mean(axis=0), gain_sd=gains.std(axis=0))
    return table[[c for c in table.columns if c != "choice"] + ["choice"]]


def bootstrap_gains(y, groups, scores: list[np.ndarray], n: int = BOOTSTRAP, seed: int = 0) -> np.ndarray:
    """``n`` x candidates: the nested Spearman of each candidate minus the first one's (C0) on resamples of
    the briefings (``groups``) with replacement: how much of a difference is noise."""
    rng = np.random.default_rng(seed)
    members = pd.Series(np.arange(len(y))).groupby(groups).agg(list).tolist()
    out = np.zeros((n, len(scores)))
    for i in range(n):
        pick = np.concatenate([members[j] for j in rng.integers(len(members), size=len(members))])
        rho = [spearmanr(y[pick], s[pick]).statistic for s in scores]
        out[i] = np.array(rho) - rho[0]
    return out


def macro_f1(labels, scores, band: float) -> float:
    from sklearn.metrics import f1_score

    classes = np.sign(np.asarray(labels, int))
    predicted = np.where(scores > band, 1, np.where(scores < -band, -1, 0))
    return float(f1_score(classes, predicted, average="macro"))


def best_band(labels, scores) -> tuple[float, float]:
    """The band of :data:`BANDS` with the best macro-F1 (ties to the one nearest 0.2) and that F1."""
    f1 = {band: round(macro_f1(labels, scores, band), 3) for band in BANDS}
    band = max(BANDS, key=lambda b: (f1[b], -abs(b - 0.2)))
    return band, f1[band]


def within_target(labels, scores, targets) -> float:
    """Spearman within each target with at least :data:`MIN_TARGET_ROWS` rows, averaged weighted by rows:
    how well the scores order sentences about the same target (the target's prior does not help here)."""
    pairs = []
    for target in np.unique(targets):
        mask = targets == target
        if mask.sum() >= MIN_TARGET_ROWS and len(np.unique(labels[mask])) > 1:
            pairs.append((mask.sum(), spearmanr(labels[mask], scores[mask]).statistic))
    weights, values = np.array(pairs).T
    return float((weights * values).sum() / weights.sum())


def grid_table(rows: pd.DataFrame, lexicon: np.ndarray, cued: np.ndarray, jobs: int = 2) -> pd.DataFrame:
    """One language's grid: per (blocks, C, class_weight, w) the out-of-fold Spearman and macro-F1 (at the best
    band) of the model alone and the ensemble, and the within-target Spearman."""
    y, targets = rows["label"].to_numpy(int), rows["target"].to_numpy()
    records = []
    for b, blocks in enumerate(BLOCKS[rows["lang"].iloc[0]]):
        for (scale, c, cw), model in oof_models(rows, blocks, jobs).items():
            model_band, model_f1 = best_band(y, model)
            for w in ENSEMBLE_WEIGHTS:
                ensemble = np.where(cued, w * lexicon + (1 - w) * model, model)
                band, f1 = best_band(y, ensemble)
                records.append({"blocks": b, **blocks, "name_scale": scale, "C": c, "class_weight": cw or "none", "ensemble_weight": w,
                                "rho_model": spearmanr(y, model).statistic, "f1_model": model_f1,
                                "band_model": model_band, "rho_ensemble": spearmanr(y, ensemble).statistic,
                                "f1_ensemble": f1, "band_ensemble": band,
                                "within_model": within_target(y, model, targets),
                                "within_ensemble": within_target(y, ensemble, targets)})
    return pd.DataFrame(records)


def choose(grid: pd.DataFrame) -> pd.Series:
    """The rule: best ensemble Spearman (3 decimals), ties to fewer blocks, the smaller name scale (less
    weight on the target's identity), smaller C, no class weights, smaller ensemble weight."""
    key = grid.assign(_rho=-grid["rho_ensemble"].round(3), _cw=grid["class_weight"] != "none")
    order = key.sort_values(["_rho", "blocks", "name_scale", "C", "_cw", "ensemble_weight"], kind="stable")
    return grid.loc[order.index[0]]


def settings_row(lang: str, chosen: pd.Series, n: int, lexicon: dict) -> dict:
    """The ``stance_model_settings.csv`` row of one language (ranges as ``low-high``)."""
    span = (lambda r: "" if r is None or (isinstance(r, float) and np.isnan(r)) else f"{r[0]}-{r[1]}")
    return {"language": lang, "word_ngrams": span(chosen["word_ngrams"]), "char_analyzer": chosen["char_analyzer"],
            "char_ngrams": span(chosen["char_ngrams"]), "C": f"{chosen['C']:g}",
            "class_weight": chosen["class_weight"], "name_scale": f"{chosen['name_scale']:g}",
            "ensemble_weight": f"{chosen['ensemble_weight']:g}", "band_model": f"{chosen['band_model']:g}",
            "band_ensemble": f"{chosen['band_ensemble']:g}", "cv_rows": n,
            "cv_spearman_model": f"{chosen['rho_model']:.3f}", "cv_f1_model": f"{chosen['f1_model']:.3f}",
            "cv_spearman_ensemble": f"{chosen['rho_ensemble']:.3f}",
            "cv_f1_ensemble": f"{chosen['f1_ensemble']:.3f}", "cv_spearman_lexicon": f"{lexicon['rho']:.3f}",
            "cv_f1_lexicon": f"{lexicon['f1']:.3f}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold-dir")
    parser.add_argument("--dry-run", action="store_true", help="print the choice, do not write the settings")
    parser.add_argument("--table", help="write every grid point's figures to this CSV")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the folds (default 2)")
    parser.add_argument("--candidates", action="store_true",
                        help="evaluate the candidate ensembles C0-C3 at the chosen settings (writes nothing)")
    parser.add_argument("--learning-curve", action="store_true",
                        help="print the learning curve at the chosen settings (writes nothing)")
    args = parser.parse_args()
    start = time.perf_counter()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    rows = read_training(corpora=corpora, folder=gold_dir(args.gold_dir), name_token=True)
    if args.candidates:
        return run_candidates(rows, args.jobs, start)
    lex, cued = lexicon_scores(rows)
    if args.learning_curve:
        return run_learning_curve(rows, lex, cued, start)
    chosen, grids = [], []
    for lang in ("en", "zh"):
        part = (rows["lang"] == lang).to_numpy()
        sub = rows[part].reset_index(drop=True)
        y = sub["label"].to_numpy(int)
        lexicon = {"rho": spearmanr(y, lex[part]).statistic, "f1": macro_f1(y, lex[part], LEXICON_BAND)}
        grid = grid_table(sub, lex[part], cued[part], args.jobs).assign(language=lang)
        best = choose(grid)
        chosen.append(settings_row(lang, best, len(sub), lexicon))
        grids.append(grid)
        with pd.option_context("display.width", 200, "display.max_columns", 30):
            top = grid.loc[grid.groupby(["blocks", "name_scale", "C", "class_weight"])["rho_ensemble"].idxmax()]
            print(f"\n## {lang}: n={len(sub)}, briefings={sub['source_url'].nunique()}, lexicon Spearman "
                  f"{lexicon['rho']:.3f} (F1 {lexicon['f1']:.3f} at ±{LEXICON_BAND}, within target "
                  f"{within_target(y, lex[part], sub['target'].to_numpy()):.3f}); best w per grid point:")
            print(top.drop(columns=["language", "word_ngrams", "char_analyzer"]).round(3).to_string(index=False))
        print("chosen:", chosen[-1], flush=True)
    table = pd.DataFrame(chosen)
    if args.table:
        pd.concat(grids, ignore_index=True).to_csv(args.table, index=False)
    if not args.dry_run:
        table.to_csv(DATA / "stance_model_settings.csv", index=False)
        print(f"wrote {DATA / 'stance_model_settings.csv'}; now run bench/train_stance_model.py")
    print(f"run time {time.perf_counter() - start:.0f} s")


def run_candidates(rows: pd.DataFrame, jobs: int, start: float) -> None:
    """Print the candidates' table per language (``--candidates``); nothing is written."""
    from toolkit.stance.linear import load_model_settings

    evidence = lexicon_evidence(rows)
    for lang in ("en", "zh"):
        part = (rows["lang"] == lang).to_numpy()
        sub, ev = rows[part].reset_index(drop=True), evidence[part].reset_index(drop=True)
        y = sub["label"].to_numpy(int)
        print(f"\n## {lang}: n={len(sub)}, lexicon rho {spearmanr(y, ev['score']).statistic:.3f} "
              f"F1 {macro_f1(y, ev['score'].to_numpy(), LEXICON_BAND):.3f}; cued {ev['cued'].mean():.2f}, "
              f"2+ cues {(ev['n_cues'] > 1).mean():.2f}; role flags {ev.filter(like='role_').sum().to_dict()}",
              flush=True)
        table = candidate_table(sub, ev, load_model_settings()[lang], jobs)
        with pd.option_context("display.width", 250, "display.max_colwidth", 120):
            print(table.round(3).to_string(index=False), flush=True)
    print(f"run time {time.perf_counter() - start:.0f} s")


def run_learning_curve(rows: pd.DataFrame, lexicon: np.ndarray, cued: np.ndarray, start: float) -> None:
    """Print the learning curve per language (``--learning-curve``); nothing is written."""
    from toolkit.stance.linear import load_model_settings

    for lang, settings in load_model_settings().items():
        part = (rows["lang"] == lang).to_numpy()
        curve = learning_curve(rows[part].reset_index(drop=True), lexicon[part], cued[part], settings)
        print(f"\n## {lang}: n={part.sum()}\n{curve.round(3).to_string(index=False)}", flush=True)
    print(f"run time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
