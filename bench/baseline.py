"""The baseline Passage must beat: retrieval built the way the LangChain RAG tutorial builds it.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) over the raw documents, the same embedding
model, a Chroma collection, dense top-k only: no cleaning, no sections, no lexical index, no fusion.
"""
from __future__ import annotations

from pathlib import Path

import chromadb
from langchain_text_splitters import RecursiveCharacterTextSplitter


class TutorialBaseline:
    def __init__(self, documents_dir: Path, embedder) -> None:  # type: ignore[no-untyped-def]
        self.embedder = embedder
        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        texts: list[str] = []
        for path in sorted(documents_dir.glob("*.txt")):
            texts += splitter.split_text(path.read_text(encoding="utf-8"))
        client = chromadb.EphemeralClient(settings=chromadb.config.Settings(anonymized_telemetry=False))
        self.collection = client.create_collection("baseline", configuration={"hnsw": {"space": "cosine"}},
                                                   embedding_function=None)
        vectors = embedder.embed(texts)
        ids = [f"b{i}" for i in range(len(texts))]
        for start in range(0, len(texts), 256):
            self.collection.add(ids=ids[start : start + 256], documents=texts[start : start + 256],
                                embeddings=vectors[start : start + 256])
        self.size = len(texts)

    def search(self, question: str, k: int = 3) -> list[str]:
        result = self.collection.query(query_embeddings=self.embedder.embed([question]), n_results=k)
        return list(result["documents"][0])
