"""Choose the supervised stance model's settings and the ensemble weights by grouped cross-validation.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/cv_stance.py [--gold-dir DIR] [--quick]

Reads the train and dev splits of the gold set (never test) and the project set
(``tests/data/stance_validation.csv``, all in train-split briefings), and runs 5-fold cross-validation grouped
by briefing (``GroupKFold`` on ``source_url``): for each language and setting (feature blocks, penalty ``C``,
class weights, the target-name token, multinomial expected value vs ridge regression on the label) it
fits on four folds and scores the fifth. Prints the out-of-fold Spearman of the model alone and of the ensemble
(``w * lexicon + (1 - w) * model`` on cued rows, the model on the others) for each lexicon weight ``w``, and
the macro-F1 at each neutral band. The chosen settings go into :mod:`toolkit.stance.linear` (``FEATURES``,
``C``, ``NAME_TOKEN``) and :data:`toolkit.stance.scoring.ENSEMBLE_WEIGHT`.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from train_stance_model import REPO, gold_dir, read_training

FOLDS = 5
WEIGHTS_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
BAND_GRID = (0.1, 0.15, 0.2, 0.25, 0.3)


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


def features(lang: str, setting: dict):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    blocks = []
    for analyzer, ngrams in setting["blocks"]:
        options = {"token_pattern": r"(?u)\b\w+\b|\?"} if analyzer == "word" else {}
        blocks.append(TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True, min_df=2,
                                      lowercase=True, **options))
    return make_union(*blocks)


def oof_model(rows: pd.DataFrame, lang: str, setting: dict) -> np.ndarray:
    """Out-of-fold model scores in [-1, 1] (expected label / 2, or ridge prediction / 2)."""
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.model_selection import GroupKFold

    texts = rows["marked"].tolist()
    if not setting["name"]:  # the marked texts end in the name token (NAME_TOKEN); drop it
        texts = [t.rsplit(" xt", 1)[0] for t in texts]
    y = rows["label"].astype(int).to_numpy()
    out = np.zeros(len(rows))
    for fit_idx, test_idx in GroupKFold(n_splits=FOLDS).split(texts, y, rows["source_url"]):
        vec = features(lang, setting)
        train_x = vec.fit_transform([texts[i] for i in fit_idx])
        test_x = vec.transform([texts[i] for i in test_idx])
        if setting["model"] == "ridge":
            pred = Ridge(alpha=1.0 / setting["C"]).fit(train_x, y[fit_idx]).predict(test_x)
        else:
            clf = LogisticRegression(C=setting["C"], max_iter=5000, class_weight=setting.get("cw"))
            clf.fit(train_x, y[fit_idx])
            pred = clf.predict_proba(test_x) @ clf.classes_.astype(float)
        out[test_idx] = np.clip(pred / 2, -1, 1)
    return out


def macro_f1(labels, scores, band: float) -> float:
    from sklearn.metrics import f1_score

    classes = np.sign(np.asarray(labels, int))
    predicted = np.where(scores > band, 1, np.where(scores < -band, -1, 0))
    return f1_score(classes, predicted, average="macro")


def settings(lang: str, quick: bool) -> list[dict]:
    """The grid: feature blocks x penalty x name token (logistic), ridge, balanced class weights."""
    if lang == "en":
        blocks = {"w12": [("word", (1, 2))], "w12+c25": [("word", (1, 2)), ("char_wb", (2, 5))],
                  "w12+c35": [("word", (1, 2)), ("char_wb", (3, 5))], "w13": [("word", (1, 3))]}
    else:
        blocks = {"c13": [("char", (1, 3))], "c14": [("char", (1, 4))], "c24": [("char", (2, 4))]}
    out = []
    for name, block in blocks.items():
        for c in (3.0, 10.0, 30.0):
            for name_token in (True, False):
                out.append({"id": f"{name} C={c:g} logit name={name_token}", "blocks": block, "C": c,
                            "model": "logit", "name": name_token})
            out.append({"id": f"{name} C={c:g} logit name=True balanced", "blocks": block, "C": c,
                        "model": "logit", "cw": "balanced", "name": True})
        for c in (0.3, 1.0, 3.0):
            out.append({"id": f"{name} ridge alpha={1 / c:.3g} name=True", "blocks": block, "C": c,
                        "model": "ridge", "name": True})
    return out[:3] if quick else out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold-dir")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    rows = read_training(corpora=corpora, folder=gold_dir(args.gold_dir))
    lex, cued = lexicon_scores(rows)
    for lang in ("en", "zh"):
        part = rows["lang"] == lang
        sub, lex_l, cued_l = rows[part].reset_index(drop=True), lex[part.to_numpy()], cued[part.to_numpy()]
        y = sub["label"].to_numpy(int)
        print(f"\n## {lang}: n={len(sub)}, briefings={sub['source_url'].nunique()}, "
              f"lexicon Spearman {spearmanr(y, lex_l)[0]:.3f}")
        for setting in settings(lang, args.quick):
            model = oof_model(sub, lang, setting)
            ens = {w: np.where(cued_l, w * lex_l + (1 - w) * model, model) for w in WEIGHTS_GRID}
            rho = {w: spearmanr(y, s)[0] for w, s in ens.items()}
            best = max(rho, key=rho.get)
            f1 = {b: macro_f1(y, ens[best], b) for b in BAND_GRID}
            print(f"{setting['id']:40s} model {rho[0.0]:.3f} | ensemble "
                  + " ".join(f"{w:g}:{r:.3f}" for w, r in rho.items())
                  + f" | F1@band(w={best:g}) " + " ".join(f"{b:g}:{v:.3f}" for b, v in f1.items()), flush=True)


if __name__ == "__main__":
    main()
