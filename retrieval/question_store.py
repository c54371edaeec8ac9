"""The question bank in Chroma: one record per (question, chunk), in a collection of its own beside the chunks.

A separate collection keeps every chunk query, count and listing exactly as before; a record's metadata names the
chunk it votes for. Same client, same embedding model check, same error mapping as `ChromaStore`.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from knowledge.questions import AttachedQuestion
from retrieval.settings import Settings
from retrieval.store import _GET_PAGE, ChromaStore, chroma_errors

SUFFIX = "-questions"
# Several questions usually point at one chunk: ask for more records than chunks wanted.
_PER_CHUNK = 4


class QuestionStore(ChromaStore):
    @classmethod
    def collection_name(cls, settings: Settings) -> str:
        return settings.chroma_collection + SUFFIX

    def upsert_questions(self, questions: list[AttachedQuestion], embeddings: np.ndarray) -> None:
        if not questions:
            return
        with chroma_errors("upsert"):
            self._col.upsert(
                ids=[q.id for q in questions],
                embeddings=np.asarray(embeddings, dtype=np.float32),
                documents=[q.text for q in questions],
                metadatas=[{"chunk_id": q.chunk_id, "document_id": q.document_id} for q in questions],
            )

    def by_chunk(self) -> dict[str, list[str]]:
        """Chunk id -> its questions' texts (for BM25)."""
        out: dict[str, list[str]] = {}
        with chroma_errors("get"):
            total = self._col.count()
            for offset in range(0, total, _GET_PAGE):
                got = self._col.get(include=["documents", "metadatas"], limit=_GET_PAGE, offset=offset)
                for text, meta in zip(got["documents"], got["metadatas"]):
                    out.setdefault(str(meta["chunk_id"]), []).append(text)
        return {cid: sorted(qs) for cid, qs in out.items()}

    def nearest_chunks(self, embedding: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Up to `k` chunk ids, by the similarity of their nearest question to `embedding`, best first."""
        with chroma_errors("query"):
            n = min(k * _PER_CHUNK, self._col.count())
            if n <= 0:
                return []
            got: Any = self._col.query(
                query_embeddings=[np.asarray(embedding, dtype=np.float32)], n_results=n, include=["metadatas", "distances"]
            )
        best: dict[str, float] = {}
        for meta, distance in zip(got["metadatas"][0], got["distances"][0]):
            best.setdefault(str(meta["chunk_id"]), 1.0 - float(distance))  # results come nearest first
        return list(best.items())[:k]
