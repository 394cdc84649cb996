"""Choose the supervised stance model's settings and the ensemble's weights by grouped cross-validation, by a
fixed rule, and write them into ``toolkit/data/stance_model_settings.csv``.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/cv_stance.py [--gold-dir DIR] [--dry-run]
       [--table grid.csv] [--jobs 2]

Reads the train and dev splits of the gold set (never test) and the project set
(``tests/data/stance_validation.csv``, all in train-split briefings) and runs 5-fold cross-validation grouped
by briefing (``GroupKFold`` on ``source_url``). For each language and grid point (:data:`BLOCKS` x
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
GRID = {"name_scale": (0.1, 0.3, 1.0), "C": (3.0, 10.0, 30.0), "class_weight": (None, "balanced")}
ENSEMBLE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
BANDS = (0.1, 0.15, 0.2, 0.25, 0.3)
LEXICON_BAND = 0.2
MIN_TARGET_ROWS = 15  # targets with at least this many rows enter the within-target Spearman


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
    args = parser.parse_args()
    start = time.perf_counter()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    rows = read_training(corpora=corpora, folder=gold_dir(args.gold_dir), name_token=True)
    lex, cued = lexicon_scores(rows)
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


if __name__ == "__main__":
    main()
