"""The Chroma store itself: exact search on the small collections Passage keeps."""
from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from retrieval.store import EF_SEARCH, ChromaStore


def test_an_index_built_with_chromas_default_beam_is_widened_on_open(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(path=str(tmp_path), settings=ChromaSettings(anonymized_telemetry=False))
    client.create_collection("old", configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)
    store = ChromaStore(client, "old", "model", create=False)
    assert store._col.configuration["hnsw"]["ef_search"] == EF_SEARCH
    fresh = ChromaStore(client, "new", "model", create=True)
    assert fresh._col.configuration["hnsw"]["ef_search"] == EF_SEARCH


def test_nearest_neighbours_are_the_exact_ones(tmp_path: Path) -> None:
    """Clustered 384-d vectors, about as many as the question bank, and a filter like search's `kind`: with
    Chroma's default beam (100) this missed 5 of 600 true neighbours; with EF_SEARCH none."""
    from knowledge.schema import Chunk

    client = chromadb.PersistentClient(path=str(tmp_path), settings=ChromaSettings(anonymized_telemetry=False))
    store = ChromaStore(client, "exact", "model", create=True)
    rng = np.random.default_rng(1)
    n = 1400
    centers = rng.normal(size=(8, 384))
    vectors = centers[rng.integers(0, 8, n)] + 0.6 * rng.normal(size=(n, 384))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    kinds = ["document" if i % 8 else "guide" for i in range(n)]
    chunks = [Chunk(id=f"c{i}", document_id="d", title="t", location="l", text=f"text {i}", kind=kinds[i])  # type: ignore[arg-type]
              for i in range(n)]
    for start in range(0, n, 500):
        store.upsert(chunks[start : start + 500], vectors[start : start + 500], {})
    documents = np.array([k == "document" for k in kinds])
    missed = 0
    for q in range(20):
        query = vectors[q] + vectors[q + 50]
        query /= np.linalg.norm(query)
        sims = np.where(documents, vectors @ query, -9.0)
        exact = {f"c{i}" for i in np.argsort(-sims)[:30]}
        missed += len(exact - {c.id for c, _ in store.query(query, 30, where={"kind": "document"})})
    assert missed == 0
