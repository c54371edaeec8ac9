"""The index a running process searches: embedder + Chroma store + BM25, opened once per process."""
from __future__ import annotations

import logging
from collections import Counter

from knowledge.schema import Chunk
from retrieval.embedder import MODEL_NAME, Embedder, get_embedder
from retrieval.errors import IndexUnavailable
from retrieval.lexical import LexicalIndex, fingerprint, questions_fingerprint
from retrieval.question_store import LoadedQuestions, QuestionStore
from retrieval.search import Fusion, HybridSearcher, SearchMode
from retrieval.settings import Settings
from retrieval.store import ChromaStore
from retrieval.types import Hit

log = logging.getLogger(__name__)


def ensure_lexical(
    settings: Settings, store: ChromaStore, bank: dict[str, list[str]] | None = None, force: bool = False
) -> LexicalIndex:
    """The persisted BM25 index, rebuilt from the store when missing or built over other chunks or bank questions
    (`bank`: chunk id -> its questions)."""
    lexical = None if force else LexicalIndex.load(settings.lexical_path)
    bank = bank or {}
    if (
        lexical is None
        or lexical.fingerprint != fingerprint(store.ids())
        or lexical.questions_fingerprint != questions_fingerprint(bank)
    ):
        log.info("building the lexical index from the store")
        lexical = LexicalIndex.build(store.all_chunks(), settings.lexical_path, questions=bank)
    return lexical


def open_questions(settings: Settings) -> LoadedQuestions | None:
    """The question bank, loaded, or None when there is none or it cannot be read: search then works without
    it, as it did before the bank existed, rather than refusing every question."""
    try:
        loaded = QuestionStore.from_settings(settings, MODEL_NAME, create=False).load()
    except IndexUnavailable as exc:
        if "does not exist" not in str(exc):
            log.warning("question bank not loaded, searching without it: %s", exc)
        return None
    return loaded if len(loaded) else None


class Index:
    def __init__(
        self,
        embedder: Embedder,
        store: ChromaStore,
        lexical: LexicalIndex,
        questions: LoadedQuestions | None = None,
        fusion: Fusion = "scores",
    ) -> None:
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self.questions = questions
        self.searcher = HybridSearcher(embedder, store, lexical, questions=questions, fusion=fusion)

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> Index:
        """Open the built index; `IndexUnavailable` if it is missing, empty or unreachable."""
        try:
            store = ChromaStore.from_settings(settings, MODEL_NAME, create=False)
        except IndexUnavailable as exc:
            raise IndexUnavailable(f"no index yet ({exc}); run `python -m retrieval.ingest`") from exc
        if store.count() == 0:
            raise IndexUnavailable("the index is empty; run `python -m retrieval.ingest`")
        questions = open_questions(settings)
        lexical = ensure_lexical(settings, store, questions.by_chunk if questions else None)
        return cls(embedder or get_embedder(settings), store, lexical, questions, fusion=settings.search_fusion)

    def search(self, query: str, k: int = 5, mode: SearchMode = "hybrid", kind: str | None = None) -> list[Hit]:
        return self.searcher.search(query, k, mode=mode, kind=kind)

    def count(self) -> int:
        return self.store.count()

    def documents(self) -> dict[str, int]:
        """Document id -> number of chunks, for documents only (tool guides are counted by `kinds`)."""
        meta = self.store.metadata().values()
        return dict(sorted(Counter(m["document_id"] for m in meta if m.get("kind") == "document").items()))

    def kinds(self) -> dict[str, int]:
        return dict(Counter(m.get("kind", "document") for m in self.store.metadata().values()))

    def chunks_by_ids(self, ids: list[str]) -> list[Chunk]:
        return self.store.get(ids)

    def chunks_of_kind(self, kind: str) -> list[Chunk]:
        """Every chunk of a kind, e.g. all tool-guide chunks for the frameworks helper."""
        return self.store.all_chunks(where={"kind": kind})

    def document_chunks(self, document_id: str) -> list[Chunk]:
        return self.store.all_chunks(where={"document_id": document_id})
