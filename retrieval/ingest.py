"""Build or refresh the index from knowledge/: `python -m retrieval.ingest [PATHS...]`.

Chunk ids are content-derived, so an ingest is a reconciliation: embed and add the wanted chunks the store lacks,
delete the stored chunks nobody wants any more, refresh metadata that moved (a location after an edit above it),
then rebuild BM25 from the store and write the state file. Each step is safe to repeat, so an ingest killed at any
point leaves an index the next run repairs: what was upserted is simply "already present".
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from knowledge.errors import KnowledgeError
from knowledge.loader import LoadedDocument, load_corpus, load_paths
from knowledge.questions import AttachedQuestion, attach, load_bank
from knowledge.schema import Chunk
from retrieval.embedder import MODEL_NAME, Embedder
from retrieval.errors import IndexUnavailable, IngestError
from retrieval.index import ensure_lexical
from retrieval.question_store import QuestionStore
from retrieval.settings import Settings
from retrieval.store import ChromaStore, chunk_metadata

log = logging.getLogger(__name__)
S = TypeVar("S", bound=ChromaStore)
T = TypeVar("T")
STATE_FILE = "ingest_state.json"
# test hook: a file that gets one line ("chunks 8", "questions 32") per upserted batch, so a test can kill mid-ingest
BATCH_MARKER_ENV = "PASSAGE_INGEST_BATCH_MARKER"


@dataclass(frozen=True)
class IngestReport:
    documents: int
    guides: int
    chunks: int  # chunks in the store after the run
    added: int
    unchanged: int
    updated: int  # same text, metadata refreshed
    removed: int
    seconds: float
    questions: int = 0  # bank questions in the store after the run
    questions_added: int = 0
    questions_removed: int = 0
    questions_unresolved: int = 0  # anchors no longer found in their document: skipped

    def summary(self) -> str:
        return (
            f"{self.documents} documents, {self.guides} guides: {self.chunks} chunks "
            f"({self.added} added, {self.unchanged} unchanged, {self.updated} relocated, {self.removed} removed); "
            f"{self.questions} bank questions ({self.questions_added} added, {self.questions_removed} removed"
            + (f", {self.questions_unresolved} unresolved" if self.questions_unresolved else "")
            + f") in {self.seconds:.1f}s"
        )


def embedding_text(chunk: Chunk) -> str:
    """What the dense model sees. Prefixing the section heading was tried and lost on the factual dev set (the
    headings are long and generic, e.g. "Practical Example"); BM25 does index the heading."""
    return chunk.text


def _guide_chunks(settings: Settings) -> list[Chunk]:
    guides_dir = Path(settings.guides_dir)
    try:
        from knowledge.guides import guide_chunks, load_guides
    except ImportError:
        log.info("knowledge.guides not available: no tool guides indexed")
        return []
    if not guides_dir.is_dir():
        log.info("no guides directory at %s: no tool guides indexed", guides_dir)
        return []
    return guide_chunks(load_guides(guides_dir))


def _wanted(settings: Settings, paths: list[Path] | None) -> tuple[list[LoadedDocument], list[Chunk], dict[str, str]]:
    try:
        docs = load_corpus(settings.documents_dir) if paths is None else load_paths(paths)
        guides = _guide_chunks(settings)
    except (KnowledgeError, ValueError) as exc:  # guides may raise their own ValueError subclass
        raise IngestError(str(exc)) from exc
    hashes = {d.meta.id: d.content_hash for d in docs}
    for g in guides:
        hashes[g.document_id] = hashlib.sha256(g.text.encode()).hexdigest()
    clash = {d.meta.id for d in docs} & {g.document_id for g in guides}
    if clash:
        raise IngestError(f"ids used by both a document and a guide: {sorted(clash)}")
    return docs, guides, hashes


def _wanted_questions(settings: Settings, docs: list[LoadedDocument]) -> tuple[list[AttachedQuestion], int]:
    """The bank questions of `docs`, each attached to the chunk holding its anchor; and how many found none."""
    try:
        bank = load_bank(settings.questions_dir, {d.meta.id for d in docs})
    except KnowledgeError as exc:
        raise IngestError(str(exc)) from exc
    attached: list[AttachedQuestion] = []
    unresolved = 0
    for doc in docs:
        found, missing = attach(doc.chunks, bank.get(doc.meta.id, []))
        attached += found
        unresolved += missing
        if missing:
            log.warning("%d bank questions of %s no longer find their anchor: skipped", missing, doc.meta.id)
    return attached, unresolved


def _open_store(settings: Settings, kind: type[S]) -> S:
    try:
        return kind.from_settings(settings, MODEL_NAME, create=True)
    except IndexUnavailable as exc:
        if "was built with" not in str(exc):
            raise
        log.warning("%s; rebuilding the collection", exc)
        from retrieval.store import chroma_errors, make_client

        with chroma_errors("delete collection"):
            make_client(settings).delete_collection(kind.collection_name(settings))
        return kind.from_settings(settings, MODEL_NAME, create=True)


def _write_state(settings: Settings, hashes: dict[str, str], chunks: int, fp: str) -> None:
    path = Path(settings.data_dir) / STATE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        json.dumps(
            {
                "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "embedding_model": MODEL_NAME,
                "documents": hashes,
                "chunks": chunks,
                "fingerprint": fp,
            },
            indent=2,
        )
    )
    tmp.replace(path)


def read_state(settings: Settings) -> dict | None:
    """The state of the last ingest that finished, or None (never ran, or was interrupted before the end)."""
    try:
        return json.loads((Path(settings.data_dir) / STATE_FILE).read_text())
    except (OSError, ValueError):
        return None


def run_ingest(
    settings: Settings,
    paths: list[Path] | None = None,
    progress: bool = True,
    embedder: Embedder | None = None,
) -> IngestReport:
    """Bring the index in line with the corpus (default) or with the given files, plus the tool guides.

    With `paths`, only the chunks of those documents (and of the guides) are reconciled; other documents stay.
    The embedding model is loaded only when something new must be embedded.
    """
    started = time.perf_counter()
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    docs, guides, hashes = _wanted(settings, paths)
    wanted = {c.id: c for d in docs for c in d.chunks} | {c.id: c for c in guides}
    store = _open_store(settings, ChromaStore)
    existing = store.metadata()
    in_scope = (lambda m: True) if paths is None else (lambda m: m.get("document_id") in hashes)

    new = [c for cid, c in wanted.items() if cid not in existing]
    stale = [cid for cid, meta in existing.items() if cid not in wanted and in_scope(meta)]
    moved = [
        c for cid, c in wanted.items() if cid in existing and existing[cid] != chunk_metadata(c, hashes[c.document_id])
    ]
    if new:
        embedder = embedder or _embedder(settings)
        _embed_in_batches(
            new, embedding_text, lambda part, vectors: store.upsert(part, vectors, hashes), embedder,
            settings.embedding_batch_size, progress, "chunks",
        )
    store.delete(stale)
    store.update_metadata(moved, hashes)
    # The bank goes after the chunks it points at; a run killed in between leaves chunks without some of their
    # questions, which the next run adds (question ids are content-derived, like chunk ids).
    questions, unresolved = _wanted_questions(settings, docs)
    qstore = _open_store(settings, QuestionStore)
    q_wanted = {q.id: q for q in questions}
    q_existing = qstore.metadata()
    q_new = [q for qid, q in q_wanted.items() if qid not in q_existing]
    q_stale = [qid for qid, meta in q_existing.items() if qid not in q_wanted and in_scope(meta)]
    if q_new:
        embedder = embedder or _embedder(settings)
        _embed_in_batches(
            q_new, lambda q: q.text, qstore.upsert_questions, embedder, settings.embedding_batch_size, progress,
            "questions",
        )
    qstore.delete(q_stale)
    lexical = ensure_lexical(settings, store, qstore.load().by_chunk, force=True)
    total = store.count()
    _write_state(settings, {k: hashes[k] for k in sorted(hashes)}, total, lexical.fingerprint)
    report = IngestReport(
        documents=len(docs),
        guides=len(guides),
        chunks=total,
        added=len(new),
        unchanged=len(wanted) - len(new),
        updated=len(moved),
        removed=len(stale),
        seconds=round(time.perf_counter() - started, 2),
        questions=qstore.count(),
        questions_added=len(q_new),
        questions_removed=len(q_stale),
        questions_unresolved=unresolved,
    )
    log.info("ingest: %s", report.summary())
    return report


def _embedder(settings: Settings) -> Embedder:
    from retrieval.embedder import get_embedder

    return get_embedder(settings, threads=os.cpu_count())


def _embed_in_batches(
    items: list[T],
    text: Callable[[T], str],
    upsert: Callable[[list[T], Any], None],
    embedder: Embedder,
    batch: int,
    progress: bool,
    desc: str,
) -> None:
    """Embed and upsert batch by batch under a progress bar: what is upserted stays, so a killed run loses at
    most one batch."""
    from tqdm import tqdm

    marker = os.environ.get(BATCH_MARKER_ENV)
    batch = max(1, batch)
    with tqdm(total=len(items), desc=desc, unit="item", disable=not progress, file=sys.stderr) as bar:
        for start in range(0, len(items), batch):
            part = items[start : start + batch]
            upsert(part, embedder.embed([text(item) for item in part]))
            bar.update(len(part))
            if marker:
                with open(marker, "a") as fh:
                    fh.write(f"{desc} {start + len(part)}\n")


def main(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders (.txt, .md, .pdf); default: the manifest corpus."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Index the manifest corpus (default) or the given files/folders, plus the tool guides."""
    from retrieval.errors import PassageError
    from retrieval.settings import get_settings

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        report = run_ingest(get_settings(), paths=paths or None, progress=not quiet)
    except PassageError as exc:
        typer.echo(f"ingest failed: {exc}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(report.summary())


if __name__ == "__main__":
    typer.run(main)
