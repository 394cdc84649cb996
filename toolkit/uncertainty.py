"""Uncertainty for grouped means: a cluster (document-level) percentile bootstrap."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ._checks import ToolkitError, require_columns


def bootstrap_mean(
    frame: pd.DataFrame,
    *,
    value: str,
    group: str | list[str],
    cluster: str = "doc_id",
    weight: str | None = None,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = None,
    func: str = "bootstrap_mean",
) -> pd.DataFrame:
    """Mean of ``value`` per group with a percentile bootstrap interval that resamples whole clusters.

    Rows of one briefing are not independent, so the bootstrap draws clusters (documents by
    default) with replacement inside each group, and recomputes the (optionally weighted) mean
    as ``sum(weight * value) / sum(weight)`` over the drawn clusters.

    Parameters
    ----------
    frame : DataFrame
        One row per observation, with the ``value``, ``group`` and ``cluster`` columns.
    value : str
        Numeric column to average.
    group : str or list of str
        Column(s) defining the groups (for example ``["period", "target"]``).
    cluster : str
        Column identifying resampling units (default ``doc_id``).
    weight : str, optional
        Column of non-negative weights; equal weights when omitted.
    n_boot : int
        Number of bootstrap replicates (default 1000).
    level : float
        Coverage of the interval (default 0.95).
    random_state : int, optional
        Seed; the same seed gives the same intervals.
    func : str
        Name of the calling public function, for error messages.

    Returns
    -------
    DataFrame
        One row per group: the group column(s), ``estimate``, ``ci_low``, ``ci_high``, ``n`` (rows),
        ``n_clusters``.
    """
    groups = [group] if isinstance(group, str) else list(group)
    require_columns(frame, [value, cluster, *groups] + ([weight] if weight else []), func=func)
    if not 0 < level < 1:
        raise ToolkitError(f"{func}(): level={level!r} must be between 0 and 1, e.g. 0.95.")
    rng = np.random.default_rng(random_state)
    data = frame.assign(_w=frame[weight].astype(float) if weight else 1.0)
    data = data.assign(_wv=data["_w"] * data[value].astype(float))
    rows = []
    for key, part in data.groupby(groups, sort=True, observed=True, dropna=True):
        per_cluster = part.groupby(cluster, observed=True)[["_wv", "_w"]].sum()
        sums, weights = per_cluster["_wv"].to_numpy(), per_cluster["_w"].to_numpy()
        estimate = sums.sum() / weights.sum() if weights.sum() > 0 else np.nan
        draws = rng.integers(0, len(sums), size=(n_boot, len(sums)))
        with np.errstate(invalid="ignore", divide="ignore"):
            replicates = sums[draws].sum(axis=1) / weights[draws].sum(axis=1)
        low, high = np.nanquantile(replicates, [(1 - level) / 2, (1 + level) / 2])
        key = key if isinstance(key, tuple) else (key,)
        rows.append((*key, estimate, low, high, len(part), len(sums)))
    return pd.DataFrame(rows, columns=[*groups, "estimate", "ci_low", "ci_high", "n", "n_clusters"])
