"""BM25 over the same chunk ids as the vector store (bm25s, English stop words, Snowball stemming).

The index is a derived artefact: ingest rebuilds it from the store's contents at the end of every run, and
`Index.open` rebuilds it when it is missing or its fingerprint (a hash of the chunk ids, which are content-derived)
no longer matches the store, e.g. after an ingest that was killed before it finished.
"""
from __future__ import annotations

import hashlib
import json
import logging
import shutil
import threading
from pathlib import Path

from knowledge.schema import Chunk

log = logging.getLogger(__name__)
_IDS_FILE = "chunk_ids.json"


def fingerprint(ids: list[str] | set[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def questions_fingerprint(questions: dict[str, list[str]]) -> str:
    pairs = sorted(f"{cid}\t{q}" for cid, qs in questions.items() for q in qs)
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()


def lexical_text(chunk: Chunk, questions: list[str] | None = None) -> str:
    """What BM25 sees: the section heading and the bank questions carry words the passage may not use."""
    parts = [chunk.section, chunk.text, *(questions or [])]
    return "\n".join(p for p in parts if p)


def _bm25s():  # type: ignore[no-untyped-def]
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets itself to DEBUG on import
    return bm25s


def _tokenizer():  # type: ignore[no-untyped-def]
    import Stemmer

    bm25s = _bm25s()

    return bm25s.tokenization.Tokenizer(stemmer=Stemmer.Stemmer("english"), stopwords="en", lower=True)


class LexicalIndex:
    def __init__(self, retriever, tokenizer, ids: list[str], fp: str, questions_fp: str = "") -> None:  # type: ignore[no-untyped-def]
        self._retriever = retriever
        self._tokenizer = tokenizer
        self.ids = ids
        self.fingerprint = fp
        self.questions_fingerprint = questions_fp
        self._lock = threading.Lock()  # the tokenizer keeps per-call state

    @classmethod
    def build(
        cls, chunks: list[Chunk], path: Path | None = None, questions: dict[str, list[str]] | None = None
    ) -> LexicalIndex:
        """Index `chunks` (each with its bank `questions`, by chunk id); with `path`, persist atomically (a
        half-written index never replaces a good one)."""
        bm25s = _bm25s()

        chunks = sorted(chunks, key=lambda c: c.id)
        ids = [c.id for c in chunks]
        tokenizer = _tokenizer()
        retriever = bm25s.BM25()
        if chunks:
            texts = [lexical_text(c, (questions or {}).get(c.id)) for c in chunks]
            tokens = tokenizer.tokenize(texts, return_as="tuple", show_progress=False)
            retriever.index(tokens, show_progress=False)
        index = cls(retriever, tokenizer, ids, fingerprint(ids), questions_fingerprint(questions or {}))
        if path is not None and chunks:
            index._save(Path(path))
        return index

    def _save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        self._retriever.save(str(tmp))
        self._tokenizer.save_vocab(str(tmp))
        self._tokenizer.save_stopwords(str(tmp))
        # written last: a directory without it is incomplete and is never loaded
        (tmp / _IDS_FILE).write_text(json.dumps(
            {"fingerprint": self.fingerprint, "questions_fingerprint": self.questions_fingerprint, "ids": self.ids}
        ))
        old = path.with_name(path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if path.exists():
            path.rename(old)
        tmp.rename(path)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, path: Path) -> LexicalIndex | None:
        """The persisted index, or None when it is missing or unreadable (the caller rebuilds it)."""
        bm25s = _bm25s()

        path = Path(path)
        try:
            meta = json.loads((path / _IDS_FILE).read_text())
            retriever = bm25s.BM25.load(str(path))
            tokenizer = _tokenizer()
            tokenizer.load_vocab(str(path))
            tokenizer.load_stopwords(str(path))
        except (OSError, ValueError, KeyError) as exc:
            log.info("lexical index not loadable (%s): will rebuild", type(exc).__name__)
            return None
        return cls(
            retriever, tokenizer, list(meta["ids"]), str(meta["fingerprint"]), str(meta.get("questions_fingerprint", ""))
        )

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Chunk ids with BM25 scores, best first; chunks sharing no term with the query are left out."""
        if not self.ids or not query.strip():
            return []
        with self._lock:
            tokens = self._tokenizer.tokenize([query], update_vocab=False, return_as="ids", show_progress=False)
        if not tokens or not tokens[0]:
            return []
        # n_threads=0: in this thread; any other value starts a thread pool on every query
        docs, scores = self._retriever.retrieve(tokens, k=min(k, len(self.ids)), show_progress=False, n_threads=0)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
