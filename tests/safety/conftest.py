"""Shared safety fixtures."""

from __future__ import annotations

import pytest

from retrieval.safety import Triage


@pytest.fixture(scope="module")
def triage() -> Triage:
    return Triage()  # rules and the n-gram layer: what a person gets when the embedding model is unavailable
