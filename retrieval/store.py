"""The Chroma collection holding chunk texts, metadata and embeddings.

Embedded `PersistentClient` by default; a Chroma server (`chroma run`) when `settings.chroma_url` is set, with the
same code. Embeddings are always passed in: the collection has no embedding function, so nothing downloads.
Every chromadb error leaves this module as `IndexUnavailable`.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self
from urllib.parse import urlparse

import numpy as np

from knowledge.schema import Chunk
from retrieval.errors import IndexUnavailable
from retrieval.settings import Settings

log = logging.getLogger(__name__)
_GET_PAGE = 1000  # chroma caps the size of one get; page through larger collections
# Chroma's default beam (100) made the tail of a 30-nearest query differ from one process to the next (measured:
# two answers alternating over 8 runs), and a filtered query can miss near neighbours. Passage's collections hold
# hundreds to a few thousand records, so a beam this wide makes search exact and repeatable at no visible cost.
EF_SEARCH = 1000


@contextmanager
def chroma_errors(action: str) -> Iterator[None]:
    try:
        yield
    except IndexUnavailable:
        raise
    except Exception as exc:  # chromadb raises many unrelated types (ValueError, httpx errors, its own)
        raise IndexUnavailable(f"chroma {action} failed: {type(exc).__name__}: {exc}") from exc


def chunk_metadata(chunk: Chunk, content_hash: str) -> dict[str, Any]:
    return {
        "document_id": chunk.document_id,
        "title": chunk.title,
        "section": chunk.section,
        "location": chunk.location,
        "kind": chunk.kind,
        "position": chunk.position,
        "content_hash": content_hash,
    }


def chunk_from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        document_id=meta["document_id"],
        title=meta.get("title", ""),
        section=meta.get("section", ""),
        location=meta.get("location", ""),
        text=text,
        kind=meta.get("kind", "document"),
        position=int(meta.get("position", 0)),
    )


def make_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    with chroma_errors("connect"):
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


class ChromaStore:
    def __init__(self, client: Any, collection_name: str, embedding_model: str, create: bool = True) -> None:
        self._client = client
        self.name = collection_name
        with chroma_errors("open collection"):
            if create:
                self._col = client.get_or_create_collection(
                    collection_name,
                    configuration={"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}},
                    metadata={"embedding_model": embedding_model},
                    embedding_function=None,
                )
            else:
                self._col = client.get_collection(collection_name, embedding_function=None)
            hnsw = (self._col.configuration or {}).get("hnsw") or {}
            if hnsw.get("ef_search", EF_SEARCH) < EF_SEARCH:  # built before the beam was widened
                self._col.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
        stored_model = (self._col.metadata or {}).get("embedding_model")
        if stored_model and stored_model != embedding_model:
            raise IndexUnavailable(
                f"collection {collection_name!r} was built with {stored_model}, not {embedding_model}: re-ingest"
            )

    @classmethod
    def collection_name(cls, settings: Settings) -> str:
        return settings.chroma_collection

    @classmethod
    def from_settings(cls, settings: Settings, embedding_model: str, create: bool = True) -> Self:
        return cls(make_client(settings), cls.collection_name(settings), embedding_model, create=create)

    def count(self) -> int:
        with chroma_errors("count"):
            return int(self._col.count())

    def upsert(self, chunks: list[Chunk], embeddings: np.ndarray, content_hashes: dict[str, str]) -> None:
        self._upsert(
            [c.id for c in chunks],
            embeddings,
            [c.text for c in chunks],
            [chunk_metadata(c, content_hashes.get(c.document_id, "")) for c in chunks],
        )

    def _upsert(self, ids: list[str], embeddings: np.ndarray, documents: list[str], metadatas: list[dict]) -> None:
        if not ids:
            return
        with chroma_errors("upsert"):
            self._col.upsert(
                ids=ids, embeddings=np.asarray(embeddings, dtype=np.float32), documents=documents, metadatas=metadatas
            )

    def update_metadata(self, chunks: list[Chunk], content_hashes: dict[str, str]) -> None:
        """Refresh location/position/hash of chunks whose text (and so embedding) did not change."""
        if not chunks:
            return
        with chroma_errors("update"):
            self._col.update(
                ids=[c.id for c in chunks],
                metadatas=[chunk_metadata(c, content_hashes.get(c.document_id, "")) for c in chunks],
            )

    def delete(self, ids: list[str]) -> None:
        if not ids:
            return
        with chroma_errors("delete"):
            for start in range(0, len(ids), _GET_PAGE):
                self._col.delete(ids=list(ids[start : start + _GET_PAGE]))

    def metadata(self) -> dict[str, dict[str, Any]]:
        """Every chunk id with its metadata (no texts, no vectors)."""
        out: dict[str, dict[str, Any]] = {}
        with chroma_errors("get"):
            total = self._col.count()
            for offset in range(0, total, _GET_PAGE):
                got = self._col.get(include=["metadatas"], limit=_GET_PAGE, offset=offset)
                out.update(zip(got["ids"], got["metadatas"]))
        return out

    def ids(self) -> set[str]:
        return set(self.metadata())

    def all_chunks(self, where: dict[str, Any] | None = None) -> list[Chunk]:
        chunks: list[Chunk] = []
        with chroma_errors("get"):
            total = self._col.count()
            for offset in range(0, total, _GET_PAGE):
                got = self._col.get(include=["documents", "metadatas"], where=where, limit=_GET_PAGE, offset=offset)
                chunks += [chunk_from_record(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        return sorted(chunks, key=lambda c: (c.kind, c.document_id, c.position))

    def get(self, ids: list[str]) -> list[Chunk]:
        """Chunks by id, in the order asked; unknown ids are skipped."""
        if not ids:
            return []
        with chroma_errors("get"):
            got = self._col.get(ids=list(ids), include=["documents", "metadatas"])
        found = {i: chunk_from_record(i, t, m) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])}
        return [found[i] for i in ids if i in found]

    def query(self, embedding: np.ndarray, k: int, where: dict[str, Any] | None = None) -> list[tuple[Chunk, float]]:
        """Nearest chunks with their cosine similarity (1.0 = same direction)."""
        if k <= 0:
            return []
        with chroma_errors("query"):
            # Chroma 1.x returns what it has when asked for more (also from an empty collection), so no count()
            # round trip per query
            got = self._col.query(
                query_embeddings=[np.asarray(embedding, dtype=np.float32)],
                n_results=k,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
        return [
            (chunk_from_record(i, t, m), 1.0 - float(d))
            for i, t, m, d in zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0])
        ]

    def drop(self) -> None:
        with chroma_errors("delete collection"):
            self._client.delete_collection(self.name)
