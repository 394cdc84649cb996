"""Fit the supervised stance model on the train and dev splits of the gold set and the project set; write it as
package data.

Usage: TOOLKIT_CORPORA=../shared/corpora .venv/bin/python bench/train_stance_model.py [--gold-dir DIR] [--check]

Reads ``stance_gold_en.csv`` and ``stance_gold_zh.csv`` (``source_url, offset, length, lang, target, label,
split, note``; texts are sliced from the MFA JSONL corpora) from ``--gold-dir`` (default: the
``STANCE_GOLD_DIR`` environment variable, else ``tests/data``), keeps the **train** and **dev** rows (the test and test2
rows are never read), adds the project set ``tests/data/stance_validation.csv`` (218 rows, all in train-split
briefings) and the CMFA training rows (English answers of 2002-2023 CMFA PressCon dyads: the two draws of
``tests/data/stance_train_cmfa_en.csv`` and the outside sets' rows on retired briefing dates;
``bench/sample_stance_outside.py``), marks each sentence's target (:func:`toolkit.stance.linear.marked_texts`) and fits
:func:`toolkit.stance.linear.fit_stance_model` (TF-IDF n-grams + multinomial logistic regression, deterministic lbfgs). Writes
``toolkit/data/stance_model.csv`` (one row per n-gram: ``language, block, feature, idf, w-2 .. w+2``) and
``toolkit/data/stance_model_info.csv`` (``key, value``: the SHA-256 of the labelled rows it reads (the gold
files' header and train/dev lines, so appended test rows leave it unchanged; the whole project set), row counts, penalties,
scikit-learn / numpy / pandas versions, and the provenance hash of the model as read back, ``model_sha``, with
its ``model_content_key``, so a process need not write the table as CSV to hash it). ``--check`` refits and compares with the shipped files instead of
writing. The features, penalty and class weights per language, the ensemble weight and the neutral bands
were chosen by 5-fold cross-validation
grouped by briefing over the same rows (``bench/cv_stance.py``), which writes them into
``toolkit/data/stance_model_settings.csv``; this script reads them from there (run it after ``cv_stance.py``).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sample_stance_outside import CMFA_TRAIN, OUTSIDE, read_cmfa_train

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "toolkit" / "data"
LANGS = ("en", "zh")
FIT_SPLITS = ("train", "dev")
PROJECT_SET = REPO / "tests" / "data" / "stance_validation.csv"


def corpus_files(corpora: Path) -> list[Path]:
    folder = corpora / "mfa_fmprc_2016_2020"
    return [folder / "mfa_en_regular_press_conferences_2018-2020.jsonl",
            folder / "mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl"]


def gold_dir(given: str | None = None) -> Path:
    return Path(given or os.environ.get("STANCE_GOLD_DIR") or REPO / "tests" / "data")


def gold_file(lang: str, folder: Path) -> Path:
    return folder / f"stance_gold_{lang}.csv"


def read_gold(splits: tuple[str, ...], *, corpora: Path, folder: Path, name_token: bool | None = None) -> pd.DataFrame:
    """The labelled gold rows of ``splits`` in both languages, texts attached and targets marked (``marked``;
    ``name_token``: see :func:`toolkit.stance.linear.mark_targets`)."""
    from toolkit.stance import read_referenced_annotations
    from toolkit.stance.lexicon import load_stance_lexicon, load_targets, matchers
    from toolkit.stance.linear import marked_texts

    parts = [read_referenced_annotations(gold_file(lang, folder), sources=corpus_files(corpora), splits=splits)
             for lang in LANGS]
    gold = pd.concat(parts, ignore_index=True)
    compiled = matchers(load_targets(), load_stance_lexicon())
    return gold.assign(marked=marked_texts(gold["text"], gold["lang"], gold["target"], compiled,
                                           name_token=name_token))


def read_training(*, corpora: Path, folder: Path, name_token: bool | None = None) -> pd.DataFrame:
    """The rows the shipped model is fitted on: the gold train and dev splits, the project set (``split``
    "project") and the CMFA train draw (``split`` "cmfa"), targets marked."""
    from toolkit.stance import read_referenced_annotations
    from toolkit.stance.lexicon import load_stance_lexicon, load_targets, matchers
    from toolkit.stance.linear import marked_texts

    gold = read_gold(FIT_SPLITS, corpora=corpora, folder=folder, name_token=name_token)
    project = read_referenced_annotations(PROJECT_SET, sources=corpus_files(corpora)).assign(split="project")
    cmfa = read_cmfa_train(corpora).assign(split="cmfa")
    extra = pd.concat([project, cmfa], ignore_index=True)
    compiled = matchers(load_targets(), load_stance_lexicon())
    extra = extra.assign(marked=marked_texts(extra["text"], extra["lang"], extra["target"], compiled,
                                             name_token=name_token))
    return pd.concat([gold, extra], ignore_index=True)


def sha256(path: Path) -> str:
    """SHA-256 of what a fit reads from ``path``: for a labelled file with a ``split`` column (the gold sets), its
    header and its train and dev lines in file order, so that held-out rows (test, test2) can be appended without
    changing the fingerprint of the fitted model; for any other file, all its bytes."""
    lines = path.read_bytes().splitlines(keepends=True)
    header = next(csv.reader([lines[0].decode("utf-8")])) if lines else []
    if "split" not in header:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    column = header.index("split")
    kept = [lines[0]] + [line for line in lines[1:]
                         if next(csv.reader([line.decode("utf-8")]))[column] in FIT_SPLITS]
    return hashlib.sha256(b"".join(kept)).hexdigest()


def fit(corpora: Path, folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    import sklearn

    from toolkit.stance.linear import fit_stance_model, load_model_settings

    train = read_training(corpora=corpora, folder=folder)
    weights = fit_stance_model(train)
    info = {**{f"gold_{lang}_sha256": sha256(gold_file(lang, folder)) for lang in LANGS},
            "project_sha256": sha256(PROJECT_SET), "cmfa_train_sha256": sha256(CMFA_TRAIN),
            "outside_sha256": hashlib.sha256(OUTSIDE.read_bytes()).hexdigest(),  # its rows on retired dates train
            **{f"n_train_{lang}": int((train["lang"] == lang).sum()) for lang in LANGS},
            **{f"C_{lang}": load_model_settings()[lang]["C"] for lang in LANGS},
            "settings_sha256": sha256(DATA / "stance_model_settings.csv"),
            "sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__}
    return weights, pd.DataFrame({"key": list(info), "value": [str(v) for v in info.values()]})


def written_model_hashes(path: Path) -> pd.DataFrame:
    """``model_content_key`` and ``model_sha`` of the model as the toolkit reads it back from ``path``: the
    provenance hash recorded, so a process need not write the table as CSV again to compute it."""
    from toolkit.stance.linear import _read_model
    from toolkit.stance.scoring import content_key

    table = _read_model(path)
    sha = hashlib.sha256(table.to_csv(index=False).encode()).hexdigest()[:16]
    return pd.DataFrame({"key": ["model_content_key", "model_sha"], "value": [content_key(table), sha]})


def same_model(shipped: pd.DataFrame, refit: pd.DataFrame) -> bool:
    """Same n-grams in the same order and weights equal up to the 10 significant digits written."""
    from toolkit.stance.linear import WEIGHTS

    return (len(shipped) == len(refit) and (shipped["feature"].tolist() == refit["feature"].fillna("").tolist())
            and np.allclose(shipped[WEIGHTS].to_numpy(float), refit[WEIGHTS].to_numpy(float), rtol=1e-8, atol=1e-8))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold-dir")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    corpora = Path(os.environ.get("TOOLKIT_CORPORA", REPO.parent / "shared" / "corpora"))
    weights, info = fit(corpora, gold_dir(args.gold_dir))
    if args.check:
        from toolkit.stance.linear import load_stance_model

        shipped = load_stance_model()
        same = same_model(shipped, weights)
        print("shipped model reproduced" if same else "shipped model differs from the refit")
        sys.exit(0 if same else 1)
    weights.to_csv(DATA / "stance_model.csv", index=False, float_format="%.10g")
    info = pd.concat([info, written_model_hashes(DATA / "stance_model.csv")], ignore_index=True)
    info.to_csv(DATA / "stance_model_info.csv", index=False)
    print(f"wrote {len(weights)} weights;", dict(zip(info["key"], info["value"])))


if __name__ == "__main__":
    main()
