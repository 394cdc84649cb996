"""Collapsed Gibbs sampler for LDA (toolkit.topics.gibbs.GibbsLDA) and its use as fit_topics' default LDA solver."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import LatentDirichletAllocation

import toolkit
from toolkit._checks import ToolkitError
from toolkit.topics.gibbs import GibbsLDA, _log_joint, _optimise_alpha

N_TOPICS, WORDS_PER_TOPIC = 3, 8


def planted_counts(n_docs: int = 90, length: int = 40, seed: int = 0):
    """Units drawn from 3 topics with disjoint vocabularies (terms 0-7, 8-15, 16-23), 90 % one topic each."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n_docs) % N_TOPICS
    rows = np.zeros((n_docs, N_TOPICS * WORDS_PER_TOPIC), dtype=np.int64)
    for d, label in enumerate(labels):
        topics = np.where(rng.random(length) < 0.9, label, rng.integers(0, N_TOPICS, length))
        words = topics * WORDS_PER_TOPIC + rng.integers(0, WORDS_PER_TOPIC, length)
        np.add.at(rows[d], words, 1)
    return sparse.csr_matrix(rows), labels


@pytest.fixture(scope="module")
def planted():
    return planted_counts()


@pytest.fixture(scope="module")
def fitted(planted):
    counts, _ = planted
    model = GibbsLDA(N_TOPICS, max_iter=100, random_state=0)
    return model, model.fit_transform(counts)


def test_recovers_planted_topics(planted, fitted):
    _, labels = planted
    model, shares = fitted
    # each learned topic puts (nearly) all its mass on one planted vocabulary block, a different one each
    mass = model.components_.reshape(N_TOPICS, N_TOPICS, WORDS_PER_TOPIC).sum(axis=2)
    mass /= mass.sum(axis=1, keepdims=True)
    rows, blocks = linear_sum_assignment(mass, maximize=True)
    assert mass[rows, blocks].min() > 0.95
    # and every unit's dominant topic is its planted one
    learned_to_planted = dict(zip(rows, blocks))
    assert np.array_equal([learned_to_planted[t] for t in shares.argmax(axis=1)], labels)
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_log_likelihood_increases_from_the_random_start(fitted):
    model, _ = fitted
    trace = np.array(model.log_likelihood_)
    assert len(trace) == 1 + 10  # the start, then every tenth of 100 sweeps
    assert trace[-1] > trace[0] + 1000
    assert trace[-5:].std() < 0.01 * (trace[-1] - trace[0])  # settled at the end


def test_log_joint_equals_the_polya_urn_chain_rule():
    """log p(w, z) by the gamma-function formula = the product of sequential Pólya-urn predictions."""
    docs = [[(0, 1), (2, 0), (0, 1)], [(1, 0), (1, 1), (2, 1), (0, 0)]]  # (word, topic) per token
    k, n_terms, alpha, eta = 2, 3, np.array([0.3, 0.7]), 0.05
    ndk, nwk, nk = np.zeros((2, k), int), np.zeros((n_terms, k), int), np.zeros(k, int)
    chain = 0.0
    for d, tokens in enumerate(docs):
        for w, t in tokens:
            chain += math.log((ndk[d, t] + alpha[t]) / (ndk[d].sum() + alpha.sum()))
            chain += math.log((nwk[w, t] + eta) / (nk[t] + n_terms * eta))
            ndk[d, t] += 1
            nwk[w, t] += 1
            nk[t] += 1
    assert _log_joint(ndk, nwk, nk, alpha, eta) == pytest.approx(chain, rel=1e-12)


def test_alpha_fixed_point_recovers_a_known_dirichlet():
    """Minka's estimate from many units' topic counts drawn with a known asymmetric alpha."""
    rng = np.random.default_rng(0)
    truth = np.array([0.05, 0.2, 0.5, 1.0])
    shares = rng.dirichlet(truth, size=4000)
    ndk = np.array([rng.multinomial(60, p) for p in shares])
    estimate = _optimise_alpha(ndk, np.full(4, 0.1), steps=200)
    assert estimate == pytest.approx(truth, rel=0.1)


def test_same_seed_identical_other_seed_different(planted):
    counts, _ = planted
    first = GibbsLDA(N_TOPICS, max_iter=20, random_state=3).fit(counts)
    second = GibbsLDA(N_TOPICS, max_iter=20, random_state=3).fit(counts)
    other = GibbsLDA(N_TOPICS, max_iter=20, random_state=4).fit(counts)
    assert np.array_equal(first.components_, second.components_)
    assert np.array_equal(first.transform(counts), second.transform(counts))
    assert not np.array_equal(first.components_, other.components_)


def test_components_are_counts_plus_prior(planted, fitted):
    counts, _ = planted
    model, _ = fitted
    assert model.components_.shape == (N_TOPICS, counts.shape[1])
    assert model.components_.sum() == pytest.approx(counts.sum() + model.components_.size * 0.01)


def test_transform_folds_in_new_units(planted, fitted):
    model, shares = fitted
    new_counts, new_labels = planted_counts(n_docs=30, seed=1)
    new_shares = model.transform(new_counts)
    learned = shares.argmax(axis=1)
    # the topic a planted label was learned as
    mapping = {label: np.bincount(learned[planted[1] == label]).argmax() for label in range(N_TOPICS)}
    assert np.array_equal(new_shares.argmax(axis=1), [mapping[label] for label in new_labels])


def test_perplexity_between_one_and_the_vocabulary(planted, fitted):
    model, _ = fitted
    held_out, _ = planted_counts(n_docs=30, seed=2)
    # the planted model's perplexity: ~8 equally likely words per unit (9 with the 10 % noise)
    assert 7 < model.perplexity(held_out) < 12 < held_out.shape[1]


def test_rejects_non_counts():
    with pytest.raises(ToolkitError, match="non-negative integer counts"):
        GibbsLDA(2).fit(sparse.csr_matrix(np.array([[0.5, 1.0], [1.0, 0.0]])))


def test_fit_topics_solvers(planted):
    counts, labels = planted
    terms = [f"term{chr(97 + i)}" for i in range(counts.shape[1])]  # terma, termb ...
    frame = _frame_of(counts, terms)
    gibbs = toolkit.fit_topics(frame, k=3, unit="doc", random_state=0, max_iter=50)
    vb = toolkit.fit_topics(frame, k=3, unit="doc", random_state=0, solver="vb", max_iter=20)
    assert isinstance(gibbs.model_, GibbsLDA)
    assert gibbs.model_.optimize_interval == 10 and gibbs.model_.alpha_.shape == (3,)
    dominant = gibbs.doc_topics.loc[gibbs.doc_topics.groupby("doc_id")["weight"].idxmax(), ["doc_id", "topic"]]
    planted_label = dominant["doc_id"].str[1:].astype(int).map(dict(enumerate(labels)))
    assert len(set(zip(planted_label, dominant["topic"]))) == N_TOPICS  # one learned topic per planted topic
    assert isinstance(vb.model_, LatentDirichletAllocation)
    with pytest.raises(ToolkitError, match="solver"):
        toolkit.fit_topics(frame, k=3, unit="doc", random_state=0, solver="em")


def _frame_of(counts, terms):
    texts = [" ".join(t for t, n in zip(terms, row) for _ in range(n)) for row in counts.toarray()]
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "text": texts})
