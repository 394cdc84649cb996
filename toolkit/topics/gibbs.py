"""Latent Dirichlet allocation by collapsed Gibbs sampling (Griffiths & Steyvers 2004), compiled with numba.

:class:`GibbsLDA` has the scikit-learn estimator interface of ``LatentDirichletAllocation``
(``fit`` returns the estimator, ``fit_transform``, ``transform``, ``components_``,
``perplexity``) so that :func:`toolkit.fit_topics` can use it in place of variational Bayes.
The same ``random_state`` gives identical results.

numba, scipy.special and scikit-learn are imported at module level here: this module itself is
imported only when an LDA model is fitted with ``solver="gibbs"`` (``toolkit.topics._setup.estimator``).
"""
from __future__ import annotations

import numpy as np
from numba import njit
from scipy import sparse
from scipy.special import digamma, gammaln
from sklearn.utils import check_random_state

from .._checks import ToolkitError


@njit(cache=True)
def _seed(seed):
    np.random.seed(seed)


@njit(cache=True)
def _sweep(doc_of, word_of, z, ndk, nwk, nk, alpha, eta, v_eta, freeze_words):
    """One Gibbs sweep over every token; counts are updated in place. Returns nothing."""
    k = nk.shape[0]
    prob = np.empty(k)
    inv = np.empty(k)
    for t in range(k):
        inv[t] = 1.0 / (nk[t] + v_eta)
    for i in range(doc_of.shape[0]):
        d = doc_of[i]
        w = word_of[i]
        old = z[i]
        ndk[d, old] -= 1
        if not freeze_words:
            nwk[w, old] -= 1
            nk[old] -= 1
            inv[old] = 1.0 / (nk[old] + v_eta)
        total = 0.0
        for t in range(k):
            total += (ndk[d, t] + alpha[t]) * (nwk[w, t] + eta) * inv[t]
            prob[t] = total
        u = np.random.random() * total
        new = 0
        while prob[new] < u and new < k - 1:
            new += 1
        z[i] = new
        ndk[d, new] += 1
        if not freeze_words:
            nwk[w, new] += 1
            nk[new] += 1
            inv[new] = 1.0 / (nk[new] + v_eta)


@njit(cache=True)
def _initialise(doc_of, word_of, z, ndk, nwk, nk, k):
    for i in range(doc_of.shape[0]):
        t = np.random.randint(0, k)
        z[i] = t
        ndk[doc_of[i], t] += 1
        nwk[word_of[i], t] += 1
        nk[t] += 1


def _tokens(matrix) -> tuple[np.ndarray, np.ndarray]:
    """Token arrays (unit index, term index) of a checked count matrix, one entry per occurrence."""
    counts = sparse.csr_matrix(matrix)
    repeats = counts.data.astype(np.int64)
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    return np.repeat(rows, repeats).astype(np.int32), np.repeat(counts.indices, repeats).astype(np.int32)


class GibbsLDA:
    """LDA by collapsed Gibbs sampling with the scikit-learn estimator interface.

    Parameters
    ----------
    n_components : int
        Number of topics.
    doc_topic_prior : float
        Starting value of the Dirichlet prior alpha on each unit's topic shares (default 0.1).
    topic_word_prior : float
        Symmetric Dirichlet prior eta on each topic's term distribution (default 0.01, as Mallet;
        :func:`toolkit.fit_topics` passes 0.1, see ``toolkit.topics._setup.GIBBS_DEFAULTS``).
    max_iter : int
        Gibbs sweeps over all tokens (default 500).
    optimize_interval : int
        Every this many sweeps, re-estimate an asymmetric alpha (one value per topic) by Minka's
        fixed-point iteration (as Mallet and tomotopy's ``optim_interval=10`` do; Wallach et al.
        2009); 0 keeps alpha symmetric and fixed.
    n_samples : int
        Samples averaged into ``components_`` and the unit shares: the state after the last sweep and
        the ``n_samples - 1`` states before it at ``sample_lag`` sweeps apart, as many as the second
        half of the ``max_iter`` sweeps holds (the first half is burn-in; Griffiths & Steyvers 2004
        average over samples of one chain; default 1, the last state only; :func:`toolkit.fit_topics`
        passes 10).
    sample_lag : int
        Sweeps between averaged samples (default 10).
    binary : bool
        Count each term once per unit (the non-zero entries of ``X`` as 1), in :meth:`fit`,
        :meth:`transform` and :meth:`perplexity`: a story that repeats its keyword through one long
        answer then weighs as one mention (LDA itself has no burstiness; Doyle & Elkan 2009). Default
        False.
    optimize_eta : bool
        Re-estimate the symmetric ``topic_word_prior`` eta with alpha, every ``optimize_interval``
        sweeps, by Minka's fixed point (as Mallet's hyperparameter optimisation; Wallach 2008); default
        False.
    transform_iter : int
        Sweeps used to fold new units in with fixed topics (:meth:`transform`).
    random_state : int, optional
        Seed of the initial assignment and of the sampler.

    Attributes
    ----------
    components_ : ndarray, shape (n_components, n_terms)
        Topic-term counts (the mean over the averaged samples) plus eta (normalise rows for
        probabilities, as with scikit-learn).
    alpha_ : ndarray, shape (n_components,)
        The final per-topic prior alpha.
    eta_ : float
        The final topic-word prior eta (``topic_word_prior`` unless ``optimize_eta``).
    n_samples_ : int
        The number of samples averaged.
    log_likelihood_ : list of float
        ``log p(w, z)`` of the collapsed model after the random start, every tenth sweep and the last.
    """

    def __init__(self, n_components=10, *, doc_topic_prior=0.1, topic_word_prior=0.01, max_iter=500,
                 optimize_interval=10, n_samples=1, sample_lag=10, binary=False, optimize_eta=False,
                 transform_iter=50, random_state=None):
        self.n_components = n_components
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.max_iter = max_iter
        self.optimize_interval = optimize_interval
        self.n_samples = n_samples
        self.sample_lag = sample_lag
        self.binary = binary
        self.optimize_eta = optimize_eta
        self.transform_iter = transform_iter
        self.random_state = random_state

    def _seed_value(self, offset: int = 0) -> int:
        """Seed of numba's generator, drawn from ``random_state`` (int, RandomState or None)."""
        base = int(check_random_state(self.random_state).randint(0, 2**31 - 1))
        return (base + offset) % (2**31 - 1)

    def _counts(self, X) -> sparse.csr_matrix:
        """``X`` as a checked count matrix, made 0/1 when ``binary``."""
        counts = sparse.csr_matrix(X)
        if counts.nnz and (counts.data.min() < 0 or not np.allclose(counts.data, np.round(counts.data))):
            raise ToolkitError("GibbsLDA: X must hold non-negative integer counts (a document-term count matrix).")
        return (counts > 0).astype(np.int64) if self.binary else counts

    def fit_transform(self, X, y=None):
        if self.n_samples < 1 or self.sample_lag < 1 or self.max_iter < 1:
            raise ToolkitError(f"GibbsLDA: n_samples={self.n_samples}, sample_lag={self.sample_lag} and max_iter="
                               f"{self.max_iter} must be at least 1.")
        k = self.n_components
        X = self._counts(X)
        doc_of, word_of = _tokens(X)
        n_docs, n_terms = X.shape
        z = np.empty(doc_of.shape[0], dtype=np.int32)
        ndk = np.zeros((n_docs, k), dtype=np.int32)
        nwk = np.zeros((n_terms, k), dtype=np.int32)
        nk = np.zeros(k, dtype=np.int64)
        alpha, eta = np.full(k, float(self.doc_topic_prior)), float(self.topic_word_prior)
        _seed(self._seed_value())
        _initialise(doc_of, word_of, z, ndk, nwk, nk, k)
        self.log_likelihood_ = [_log_joint(ndk, nwk, nk, alpha, eta)]
        n_samples = min(self.n_samples, (self.max_iter // 2) // self.sample_lag + 1)   # the first half: burn-in
        first_sample = self.max_iter - 1 - (n_samples - 1) * self.sample_lag
        sum_nwk, sum_ndk = np.zeros(nwk.shape), np.zeros(ndk.shape)
        for sweep in range(self.max_iter):
            _sweep(doc_of, word_of, z, ndk, nwk, nk, alpha, eta, n_terms * eta, False)
            if self.optimize_interval and sweep % self.optimize_interval == self.optimize_interval - 1:
                alpha = _optimise_alpha(ndk, alpha)
                if self.optimize_eta:
                    eta = _optimise_eta(nwk, nk, eta)
            if sweep % 10 == 9 or sweep == self.max_iter - 1:
                self.log_likelihood_.append(_log_joint(ndk, nwk, nk, alpha, eta))
            if sweep >= first_sample and (sweep - first_sample) % self.sample_lag == 0:
                sum_nwk += nwk
                sum_ndk += ndk
        self.components_ = sum_nwk.T / n_samples + eta
        self.alpha_, self.eta_, self.n_samples_ = alpha, eta, n_samples
        self.n_iter_ = self.max_iter
        return _shares(sum_ndk / n_samples, alpha)

    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def transform(self, X):
        """Topic shares of new units, folded in by Gibbs sampling with the fitted topics held fixed."""
        k = self.n_components
        X = self._counts(X)
        doc_of, word_of = _tokens(X)
        z = np.empty(doc_of.shape[0], dtype=np.int32)
        ndk = np.zeros((X.shape[0], k), dtype=np.int32)
        nwk = np.round(self.components_.T - self.eta_).astype(np.int32)    # averaged samples: rounded counts
        nk = nwk.sum(axis=0).astype(np.int64)
        scratch_nwk, scratch_nk = np.zeros_like(nwk), np.zeros_like(nk)
        _seed(self._seed_value(1))
        _initialise(doc_of, word_of, z, ndk, scratch_nwk, scratch_nk, k)
        for _ in range(self.transform_iter):
            _sweep(doc_of, word_of, z, ndk, nwk, nk, self.alpha_, self.eta_, X.shape[1] * self.eta_, True)
        return _shares(ndk, self.alpha_)

    def perplexity(self, X):
        """``exp(-log p(X) / n_tokens)`` with each unit's shares from :meth:`transform` (fold-in)."""
        counts = self._counts(X)
        theta = self.transform(counts)
        phi = self.components_ / self.components_.sum(axis=1, keepdims=True)
        rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
        prob = np.einsum("ij,ij->i", theta[rows], phi[:, counts.indices].T)
        return float(np.exp(-(counts.data * np.log(prob)).sum() / counts.data.sum()))


def _optimise_alpha(ndk: np.ndarray, alpha: np.ndarray, steps: int = 5) -> np.ndarray:
    """Minka's (2000) fixed-point update of an asymmetric Dirichlet prior on the units' topic counts."""
    lengths = ndk.sum(axis=1)
    for _ in range(steps):
        total = alpha.sum()
        denominator = (digamma(lengths + total) - digamma(total)).sum()
        numerator = (digamma(ndk + alpha) - digamma(alpha)).sum(axis=0)
        alpha = np.maximum(alpha * numerator / denominator, 1e-6)
    return alpha


def _optimise_eta(nwk: np.ndarray, nk: np.ndarray, eta: float, steps: int = 5) -> float:
    """Minka's (2000) fixed-point update of a symmetric Dirichlet prior on the topics' term counts."""
    n_terms = nwk.shape[0]
    for _ in range(steps):
        numerator = (digamma(nwk + eta) - digamma(eta)).sum()
        denominator = n_terms * (digamma(nk + n_terms * eta) - digamma(n_terms * eta)).sum()
        eta = max(eta * numerator / denominator, 1e-6)
    return float(eta)


def _shares(ndk: np.ndarray, alpha) -> np.ndarray:
    smoothed = ndk + alpha
    return smoothed / smoothed.sum(axis=1, keepdims=True)


def _log_joint(ndk: np.ndarray, nwk: np.ndarray, nk: np.ndarray, alpha, eta: float) -> float:
    """``log p(w, z) = log p(w | z) + log p(z)`` of the collapsed model (Griffiths & Steyvers 2004, eq. 2-3)."""
    n_terms, k = nwk.shape
    words = (k * (gammaln(n_terms * eta) - n_terms * gammaln(eta))
             + gammaln(nwk + eta).sum() - gammaln(nk + n_terms * eta).sum())
    alpha = np.broadcast_to(np.asarray(alpha, dtype=float), (k,))
    topics = (ndk.shape[0] * (gammaln(alpha.sum()) - gammaln(alpha).sum())
              + gammaln(ndk + alpha).sum() - gammaln(ndk.sum(axis=1) + alpha.sum()).sum())
    return float(words + topics)
