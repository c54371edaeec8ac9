"""Frameworks test fixtures: the real guides, the real embedding model, one recommender per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.guides import Guide, load_guides

ROOT = Path(__file__).resolve().parents[2]
GUIDES_DIR = ROOT / "knowledge" / "guides"
DOCUMENTS_DIR = ROOT / "knowledge" / "documents"
DATASET = ROOT / "evals" / "datasets" / "frameworks.jsonl"


@pytest.fixture(scope="session")
def guides() -> list[Guide]:
    return load_guides(GUIDES_DIR)


@pytest.fixture(scope="session")
def recommender(guides: list[Guide], settings):  # type: ignore[no-untyped-def]
    from retrieval.embedder import get_embedder
    from retrieval.frameworks import FrameworkRecommender

    return FrameworkRecommender(guides, get_embedder(settings))
