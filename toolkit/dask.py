"""The pipeline on a Dask cluster, or out of core on one machine (optional extra ``toolkit[dask]``).

The per-briefing steps run partition by partition as ``dask.dataframe`` tasks, with the very functions of the
serial path, so the results are identical to it (tested on a two-worker ``LocalCluster``):

- :func:`read_briefings`: one partition per file (or per Parquet partition) through :func:`toolkit.load_briefings`;
- :func:`split_turns`, :func:`split_sentences` (Punkt trained once, on the same first 200,000 characters of
  English text as the serial path), :func:`score_stance`: lazy Dask DataFrames, which ``.compute()`` gives
  back as one pandas table or ``.to_parquet(folder)`` writes as partitioned Parquet without ever holding
  the whole corpus;
- :func:`count_terms`: the texts are tokenized on the workers, the sparse matrix assembled in this process
  (a :class:`toolkit.TermMatrix`, so ``term_frequency``, ``keyness`` ... work on it unchanged).

Which machines do the work is Dask's choice: the active ``dask.distributed.Client`` (``Client()`` for a local
cluster, ``Client("tcp://scheduler:8786")`` for an existing one), else Dask's default local scheduler; with
``dask.config.set(scheduler="synchronous")`` the partitions go one at a time through this process (out of core).

Not the same as the serial path: duplicates are merged within a file only (each file is loaded on its own),
and ``attrs`` (the load record, per-call provenance) are not carried by Dask DataFrames.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import corpus, sentences, turns
from .stance import scoring
from .terms import matrix
from .text import langs_of, plain_texts


def read_briefings(paths: Iterable[str | Path], **options):
    """A Dask DataFrame of briefings, one partition per file, each read by :func:`toolkit.load_briefings`.

    Parameters
    ----------
    paths : iterable of str or Path
        Files (JSONL, CSV, Parquet, text ... anything ``load_briefings`` reads), or folders, one partition each.
    **options
        Passed to :func:`toolkit.load_briefings` (``schema``, ``lang``, ``spokespersons``, ``use_cache``).

    Returns
    -------
    dask.dataframe.DataFrame
        The columns of :func:`toolkit.load_briefings` for the first file: a later file's own extra input
        columns are left out, a column it lacks is missing in its rows (None in an object column, as in the serial path).

    Examples
    --------
    >>> briefings = toolkit.dask.read_briefings(sorted(Path("corpus").glob("*.jsonl")))   # doctest: +SKIP
    """
    import dask
    import dask.dataframe as dd

    paths = [str(p) for p in paths]
    meta = _load(paths[0], options=options, dtypes=None).iloc[:0]
    with dask.config.set({"dataframe.convert-string": False}):      # keep pandas' own string dtype, as serial
        return dd.from_map(_load, paths, options=options, dtypes=meta.dtypes.to_dict(), meta=meta)


def _load(path: str, *, options: dict, dtypes: dict | None) -> pd.DataFrame:
    table = corpus.load_briefings(path, **options)
    table.attrs = {}
    if dtypes is None:
        return table
    lacking = [name for name, dtype in dtypes.items() if name not in table.columns and dtype in (object, bool)]
    table = table.reindex(columns=list(dtypes))
    for name in lacking:                        # an input field this file lacks: None, as load_briefings gives it
        table[name] = pd.Series([None] * len(table), index=table.index, dtype=object)
    return table


def split_turns(briefings, **options):
    """:func:`toolkit.split_turns` on every partition of a Dask DataFrame of briefings (same columns)."""
    return _per_partition(briefings, turns.split_turns, options)


def split_sentences(frame, *, params=None, **options):
    """:func:`toolkit.split_sentences` on every partition, with one Punkt model for all of them.

    Without ``params``, Punkt is trained (:func:`toolkit.train_punkt`) on the first 200,000 characters of
    English text of the leading partitions, as :func:`toolkit.split_sentences` trains on the whole table's.
    """
    if params is None:
        params = sentences.train_punkt(_english_head(frame, sentences.TRAINING_CHARS))
    return _per_partition(frame, sentences.split_sentences, {"params": params, **options})


def score_stance(frame, **options):
    """:func:`toolkit.score_stance` on every partition (the default per-row unit; ``unit`` coarser than the rows
    is summed within a partition, which is exact when each briefing lies in one partition)."""
    return _per_partition(frame, scoring.score_stance, options)


def count_terms(frame, *, unit="doc", lang="auto", phrases="default", stop_words="default", lowercase=True,
                stem=None, min_df=1, max_df=1.0):
    """The :class:`toolkit.TermMatrix` of a Dask DataFrame, identical to :func:`toolkit.count_terms` on it.

    Every partition's texts are tokenized on the workers (``int32`` token ids and a per-partition vocabulary);
    this process merges the vocabularies and assembles the sparse matrix. The options are those of
    :func:`toolkit.count_terms`.
    """
    import dask

    func = "count_terms"
    analyzer = matrix.TermAnalyzer(lang=lang, phrases=phrases, stop_words=stop_words, lowercase=lowercase,
                                   stem=stem, func=func)
    tokenize = dask.delayed(_tokenize_partition, pure=True)
    parts = dask.compute(*[tokenize(analyzer, part) for part in frame.to_delayed()])
    local = pd.concat([rows for _, rows, _ in parts], ignore_index=True)
    texts = pd.concat([texts for _, _, texts in parts], ignore_index=True)
    matrix.require_unit(local.assign(text=""), unit, func=func)
    return matrix.matrix_from_tokens([block for block, _, _ in parts], local, analyzer, corpus=texts, unit=unit,
                                     lang=lang, lowercase=lowercase, stem=stem, min_df=min_df, max_df=max_df)


def _tokenize_partition(analyzer, part: pd.DataFrame):
    """A partition's tokens (:func:`toolkit.terms.matrix.tokenize_block`), its rows without ``text``, and its
    ``doc_id`` and ``text`` (for the corpus hash)."""
    return (matrix.tokenize_block(analyzer, part["text"].tolist()), part.drop(columns=["text"]),
            part[["doc_id", "text"]])


def _per_partition(frame, function, options: dict):
    """``function(partition, **options)`` on every partition; the output's schema from the first partition."""
    def apply(part: pd.DataFrame) -> pd.DataFrame:
        result = function(part, **options)
        result.attrs = {}
        return result

    import dask

    sample = apply(frame.partitions[0].compute())
    with dask.config.set({"dataframe.convert-string": False}):
        return frame.map_partitions(apply, meta=sample.iloc[:0], align_dataframes=False)


def _english_head(frame, max_chars: int) -> list[str]:
    """The English texts of the first partitions, in order, until ``max_chars`` characters."""
    found, size = [], 0
    for i in range(frame.npartitions):
        part = frame.partitions[i].compute()
        texts = plain_texts(part["text"])
        for text in texts[langs_of(part.assign(text=texts)) != "zh"]:
            found.append(text)
            size += len(text)
            if size >= max_chars:
                return found
    return found
