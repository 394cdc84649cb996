"""The statistics behind the term tables, as plain formulas: numbers or arrays in, arrays out.

- :func:`poisson_interval`: exact (Garwood) Poisson interval of a count (``term_frequency``);
- :func:`adjust_p`: Benjamini-Hochberg or Bonferroni adjusted p-values (``keyness``, ``trending_terms``);
- :func:`association`: 2x2 association measures of a pair, NLTK's formulas (``collocations``,
  ``suggest_phrases``);
- :func:`keyness_scores`: log-likelihood, chi-square, log ratio, PMI, simple maths (``keyness``);
- :func:`dispersion_scores`: Juilland's D and Gries' DP (``dispersion``);
- :func:`quasi_poisson_trend`: Poisson regression slope with a quasi-Poisson F test (``trending_terms``).

scipy.stats is imported inside the functions that need it.
"""
from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .._checks import require_choice

CORRECTIONS = ("fdr_bh", "bonferroni", "none")
_SMALL = 1e-20


def poisson_interval(n, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval for counts ``n``: chi2(a/2, 2n)/2 .. chi2(1-a/2, 2n+2)/2."""
    from scipy import stats

    n = np.asarray(n, dtype=float)
    alpha = 1 - level
    low = np.where(n > 0, stats.chi2.ppf(alpha / 2, 2 * n) / 2, 0.0)
    high = stats.chi2.ppf(1 - alpha / 2, 2 * n + 2) / 2
    return low, high


def adjust_p(p_values, *, method: Literal["fdr_bh", "bonferroni", "none"] = "fdr_bh") -> np.ndarray:
    """Benjamini-Hochberg FDR (``scipy.stats.false_discovery_control``) or Bonferroni adjusted p-values.

    NaN stays NaN and is not counted as a test.
    """
    require_choice(method, CORRECTIONS, func="adjust_p", arg="correction")
    p = np.asarray(p_values, dtype=float)
    ok = ~np.isnan(p)
    if method == "none" or not ok.any():
        return p.copy()
    out = np.full(p.shape, np.nan)
    if method == "bonferroni":
        out[ok] = np.minimum(p[ok] * ok.sum(), 1.0)
    else:
        from scipy.stats import false_discovery_control

        out[ok] = false_discovery_control(p[ok], method="bh")
    return out


def association(n_ii, n_ix, n_xi, n_xx) -> dict:
    """Association measures of a pair from its 2x2 contingency counts (NLTK's formulas, vectorised).

    ``n_ii`` joint count, ``n_ix`` count of the first item, ``n_xi`` of the second, ``n_xx`` total.
    Returns a dict of arrays: ``llr`` (Dunning's G2, natural log), ``pmi`` (log2), ``t`` (Church et al.
    t-score), ``dice``, ``expected``.
    """
    n_ii, n_ix, n_xi, n_xx = (np.asarray(x, dtype=float) for x in (n_ii, n_ix, n_xi, n_xx))
    n_oi, n_io = n_xi - n_ii, n_ix - n_ii
    n_oo = n_xx - n_ii - n_oi - n_io
    observed = (n_ii, n_oi, n_io, n_oo)
    row = (n_ii + n_io, n_oi + n_oo)          # first item present / absent
    col = (n_ii + n_oi, n_io + n_oo)          # second item present / absent
    expected = (row[0] * col[0] / n_xx, row[1] * col[0] / n_xx, row[0] * col[1] / n_xx, row[1] * col[1] / n_xx)
    with np.errstate(divide="ignore", invalid="ignore"):
        llr = 2 * sum(o * np.log(o / (e + _SMALL) + _SMALL) for o, e in zip(observed, expected))
        pmi = np.log2(n_ii * n_xx) - np.log2(n_ix * n_xi)
        t = (n_ii - expected[0]) / np.sqrt(n_ii + _SMALL)
        dice = 2 * n_ii / (n_ix + n_xi)
    return {"llr": llr, "pmi": pmi, "t": t, "dice": dice, "expected": expected[0]}


def keyness_scores(a, b, c: float, d: float, *, measure: str = "g2", smoothing: float = 1.0,
                   per: int = 10_000) -> pd.DataFrame:
    """Keyness statistics from counts ``a`` (target), ``b`` (reference) and corpus sizes ``c``, ``d``.

    Returns
    -------
    DataFrame
        ``n_target, n_reference, rate_target, rate_reference, keyness, effect, p_value`` (see
        :func:`toolkit.terms.keyness` for the formulas).
    """
    from scipy import stats

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    total = c + d
    e1, e2 = c * (a + b) / total, d * (a + b) / total
    sign = np.sign(a / c - b / d)
    with np.errstate(divide="ignore", invalid="ignore"):
        g2 = 2 * (xlogx_over(a, e1) + xlogx_over(b, e2))
        chi2 = total * (a * (d - b) - b * (c - a)) ** 2 / ((a + b) * (total - a - b) * c * d)
        effect = np.log2((np.where(a > 0, a, 0.5) / c) / (np.where(b > 0, b, 0.5) / d))
        scores = {
            "g2": sign * g2,
            "chi2": sign * chi2,
            "log_ratio": effect,
            "pmi": np.where(a > 0, np.log2(a / e1), np.nan),
            "simple_maths": (a / c * 1e6 + smoothing) / (b / d * 1e6 + smoothing),
        }
    p_value = stats.chi2.sf(chi2 if measure == "chi2" else g2, 1)
    return pd.DataFrame({"n_target": a.astype(np.int64), "n_reference": b.astype(np.int64),
                         "rate_target": a / c * per, "rate_reference": b / d * per,
                         "keyness": scores[measure], "effect": effect, "p_value": p_value})


def dispersion_scores(counts, sizes) -> tuple[float, float, float]:
    """``(juilland_d, dp, dp_norm)`` from a term's counts per part and the part sizes.

    Gries' ``DP = 0.5 * sum |f_i/f - S_i|``, ``dp_norm = DP / (1 - min S_i)``, Juilland's
    ``D = 1 - V / sqrt(k - 1)`` (see :func:`toolkit.terms.dispersion`); NaN for a term that never occurs.
    """
    f, s = np.asarray(counts, dtype=float), np.asarray(sizes, dtype=float)
    if f.sum() == 0 or len(f) < 2:
        return np.nan, np.nan, np.nan
    shares = s / s.sum()
    dp = 0.5 * np.abs(f / f.sum() - shares).sum()
    relative = f / s
    d = 1 - (relative.std() / relative.mean()) / np.sqrt(len(f) - 1)
    return float(d), float(dp), float(dp / (1 - shares.min()))


def quasi_poisson_trend(y: np.ndarray, t: np.ndarray, exposure: np.ndarray, *, iterations: int = 50
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Slope, F statistic and p-value of ``log E[y] = log(exposure) + a + b t`` for each row of ``y``.

    Newton-Raphson on the Poisson log-likelihood, vectorised over terms (rows of ``y``); the test is the
    quasi-Poisson F test described in :func:`toolkit.terms.trending_terms`.
    """
    from scipy import stats

    y = np.atleast_2d(y)
    offset = np.log(exposure)
    n_obs = y.shape[1]
    a = np.log(y.sum(axis=1) / exposure.sum())
    b = np.zeros(len(y))
    spread = max(np.ptp(t), 1.0)
    for _ in range(iterations):
        mu = np.exp(a[:, None] + b[:, None] * t + offset)
        resid = y - mu
        g0, g1 = resid.sum(axis=1), (resid * t).sum(axis=1)
        h00, h01, h11 = mu.sum(axis=1), (mu * t).sum(axis=1), (mu * t * t).sum(axis=1)
        det = h00 * h11 - h01 ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            step_b = np.nan_to_num((h00 * g1 - h01 * g0) / det)
        step_b = np.clip(step_b, -3 / spread, 3 / spread)
        b = b + step_b
        a = np.log(y.sum(axis=1)) - np.log((np.exp(b[:, None] * t + offset)).sum(axis=1))   # exact given b
        if np.abs(step_b).max() * spread < 1e-10:
            break
    mu = np.exp(a[:, None] + b[:, None] * t + offset)
    mu0 = y.sum(axis=1, keepdims=True) * exposure / exposure.sum()
    deviance = 2 * (xlogx_over(y, mu) - (y - mu)).sum(axis=1)
    deviance0 = 2 * (xlogx_over(y, mu0) - (y - mu0)).sum(axis=1)
    phi = np.maximum(((y - mu) ** 2 / mu).sum(axis=1) / (n_obs - 2), 1.0)
    statistic = np.maximum(deviance0 - deviance, 0.0) / phi
    return b, statistic, stats.f.sf(statistic, 1, n_obs - 2)


def xlogx_over(observed, expected):
    """``observed * ln(observed / expected)``, 0 where ``observed`` is 0 (the terms of G2 and deviance)."""
    return np.where(observed > 0, observed * np.log(np.where(observed > 0, observed, 1) / expected), 0.0)
