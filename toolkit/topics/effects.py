"""Covariate effects on topic prevalence, as R's stm ``estimateEffect`` reports them:
:func:`topic_effects` (one regression of the units' topic shares per topic) and its plot
:func:`plot_topic_effects`.
"""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd

from .._checks import ToolkitError, require_columns
from .fit import TopicModel, require_model

EFFECT_COLUMNS = ["topic", "label", "term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n_units",
                  "n_docs"]


def topic_effects(
    result: TopicModel,
    formula: str = "~ spokesperson + C(year)",
    *,
    level: float = 0.95,
    cluster: str = "doc_id",
) -> pd.DataFrame:
    """Regress every topic's share of the units on their covariates (stm's ``estimateEffect``).

    For each topic, ordinary least squares of the unit-topic shares (``result.doc_topics.weight``) on the
    right-hand side of ``formula`` (patsy syntax, as in statsmodels' formula API: ``C(year)`` is a
    categorical, the first level the baseline), with standard errors clustered by briefing
    (``cov_type="cluster"``, statsmodels' small-sample correction), since the answers of one briefing
    are not independent. stm draws the shares from their posterior (method of composition); the
    toolkit uses the fitted shares and the cluster-robust errors. A coefficient is the difference in
    mean topic share (0 to 1) against the baseline level, the others held fixed.

    Parameters
    ----------
    result : TopicModel
        From :func:`fit_topics`; its ``doc_topics`` carry the units' metadata (``date``,
        ``spokesperson`` ...).
    formula : str
        Right-hand side with or without ``~``: columns of ``result.doc_topics``; ``year`` is made from
        ``date`` when absent.
    level : float
        Confidence level of the intervals (default 0.95).
    cluster : str
        Column whose values are the clusters (default ``doc_id``: one cluster per briefing).

    Returns
    -------
    DataFrame
        One row per topic and term of the design (``Intercept`` included): ``topic, label, term,
        estimate, std_error, ci_low, ci_high, p_value, n_units, n_docs`` (units and clusters used:
        units with a missing covariate are left out).

    Examples
    --------
    >>> effects = toolkit.topic_effects(model, "~ spokesperson + C(year)")     # doctest: +SKIP
    >>> toolkit.plot_topic_effects(effects)                                    # doctest: +SKIP
    """
    import patsy
    import statsmodels.api as sm

    func = "topic_effects"
    require_model(result, func)
    if not 0 < level < 1:
        raise ToolkitError(f"{func}(): level={level!r} must be between 0 and 1, e.g. 0.95.")
    shares, meta = _wide(result, cluster, func)
    rhs = formula.split("~", 1)[-1].strip()
    try:
        design = patsy.dmatrix(rhs, meta, return_type="dataframe", NA_action="drop")
    except (patsy.PatsyError, NameError, KeyError, TypeError, ValueError) as error:   # bad formula or column
        raise ToolkitError(f"{func}(): formula {formula!r} cannot be read against the columns "
                           f"{sorted(meta.columns)} of result.doc_topics ({error}); e.g. '~ spokesperson + "
                           "C(year)'.") from None
    rows = design.index.to_numpy()
    groups = pd.factorize(meta[cluster].iloc[rows])[0]
    if len(rows) <= design.shape[1] or groups.max() < 1:
        raise ToolkitError(f"{func}(): {len(rows)} units in {groups.max() + 1} briefings cannot estimate "
                           f"{design.shape[1]} coefficients; use a simpler formula or more documents.")
    tables = []
    for topic in range(result.k):
        fit = sm.OLS(shares[rows, topic], design).fit(cov_type="cluster", cov_kwds={"groups": groups})
        low, high = fit.conf_int(alpha=1 - level).to_numpy().T
        tables.append(pd.DataFrame({"topic": topic, "term": design.columns, "estimate": fit.params.to_numpy(),
                                    "std_error": fit.bse.to_numpy(), "ci_low": low, "ci_high": high,
                                    "p_value": fit.pvalues.to_numpy()}))
    out = pd.concat(tables, ignore_index=True).assign(n_units=len(rows), n_docs=int(groups.max() + 1))
    out.insert(1, "label", out["topic"].map(result.labels.set_index("topic")["label"]))
    return out[EFFECT_COLUMNS]


def _wide(result: TopicModel, cluster: str, func: str) -> tuple[np.ndarray, pd.DataFrame]:
    """Topic shares (units x k, aligned with the model's units) and the units' metadata (with ``year``)."""
    meta = result.doc_topics[result.doc_topics["topic"] == 0].drop(columns=["topic", "weight"]).reset_index(drop=True)
    require_columns(meta, [cluster], func=func, arg="result.doc_topics")
    if "year" not in meta and "date" in meta:
        years = pd.to_datetime(meta["date"], errors="coerce").dt.year
        meta["year"] = pd.Series([None if np.isnan(y) else int(y) for y in years], index=meta.index, dtype=object)
    return result.doc_topic_, meta


def plot_topic_effects(effects: pd.DataFrame, *, terms=None, col_wrap: int = 3, ax=None) -> np.ndarray:
    """Estimates with confidence intervals, one panel per term of the design, one row per topic.

    Parameters
    ----------
    effects : DataFrame
        Output of :func:`topic_effects`.
    terms : sequence of str, optional
        Terms to draw (default every term but ``Intercept``).
    col_wrap : int
        Panels per row.
    ax : sequence of Axes, optional
        One Axes per term; a new figure when omitted.

    Returns
    -------
    ndarray of Axes
        One panel per term, in order.
    """
    import matplotlib.pyplot as plt

    func = "plot_topic_effects"
    require_columns(effects, EFFECT_COLUMNS[:7], func=func, arg="effects")
    chosen = [t for t in effects["term"].unique() if t != "Intercept"] if terms is None else list(terms)
    missing = sorted(set(chosen) - set(effects["term"]))
    if not chosen or missing:
        raise ToolkitError(f"{func}(): terms {missing or chosen} are not in effects.term "
                           f"{sorted(effects['term'].unique())}.")
    k = effects["topic"].nunique()
    if ax is None:
        n_cols = min(col_wrap, len(chosen))
        n_rows = math.ceil(len(chosen) / n_cols)
        _, grid = plt.subplots(n_rows, n_cols, figsize=(4.2 * n_cols, 0.9 + 0.28 * k * n_rows), sharey=True,
                               squeeze=False, constrained_layout=True)
        axes = grid.ravel()
        for axis in axes[len(chosen):]:
            axis.set_visible(False)
    else:
        axes = np.atleast_1d(np.asarray(ax, dtype=object)).ravel()
        if axes.size != len(chosen):
            raise ToolkitError(f"{func}(): 'ax' must hold {len(chosen)} Axes, one per term {chosen}.")
    for axis, term in zip(axes, chosen):
        part = effects[effects["term"] == term].sort_values("topic")
        y = np.arange(len(part))
        axis.errorbar(part["estimate"], y, xerr=[part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]],
                      fmt="o", markersize=3, capsize=2)
        axis.axvline(0, color="grey", linewidth=0.8)
        axis.set_yticks(y, [textwrap.shorten(f"{t}: {lab}", 32, placeholder=" …")
                            for t, lab in zip(part["topic"], part["label"])], fontsize="small")
        axis.set_title(textwrap.fill(term, 40), fontsize="small")
        axis.set_xlabel("difference in topic share")
    axes[0].invert_yaxis()
    return axes[: len(chosen)]
