"""Shared fixtures: the real corpora are found through TOOLKIT_CORPORA.

In CI (``CI`` set) a missing corpus is a failure; on a user's machine the test is skipped with a reason.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# property tests: a fixed seed and a bounded number of examples in CI; `--hypothesis-profile=thorough` locally
settings.register_profile("ci", derandomize=True, max_examples=60, print_blob=True)
settings.register_profile("thorough", max_examples=5000, print_blob=True)
settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "mnd_en_2021-01-28_wu_qian_mil-to-mil_relations_china_dprk.txt"


def _corpora_dir() -> Path:
    value = os.environ.get("TOOLKIT_CORPORA")
    reason = None
    if not value:
        reason = "TOOLKIT_CORPORA is not set (point it at the shared corpora folder)"
    elif not Path(value).is_dir():
        reason = f"TOOLKIT_CORPORA={value} is not a folder"
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"real corpora needed in CI: {reason}")
        pytest.skip(reason)
    return Path(value).resolve()


@pytest.fixture(scope="session")
def corpora() -> Path:
    """Folder of the real corpora (``../shared/corpora``)."""
    return _corpora_dir()


@pytest.fixture(scope="session")
def mfa_en_path(corpora) -> Path:
    return corpora / "mfa_fmprc_2016_2020" / "mfa_en_regular_press_conferences_2018-2020.jsonl"


@pytest.fixture(scope="session")
def mfa_zh_path(corpora) -> Path:
    return corpora / "mfa_fmprc_2016_2020" / "mfa_zh_fyrbt_press_conferences_and_remarks_2016-2020.jsonl"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED
