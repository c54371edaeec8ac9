"""Read documents (.txt, .md, .pdf) into cleaned, chunked `LoadedDocument`s.

`load_corpus(documents_dir)` reads every manifest entry; `load_paths(paths)` reads arbitrary files or folders,
using the manifest entry when a file has one and otherwise deriving an id from the file name.
"""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from knowledge.chunking import chunk_blocks
from knowledge.cleaning import Block, clean_pages, render
from knowledge.errors import KnowledgeError
from knowledge.manifest import MANIFEST_NAME, load_manifest
from knowledge.schema import Chunk, DocumentMeta

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedDocument:
    meta: DocumentMeta
    chunks: list[Chunk]
    content_hash: str  # sha256 of the file's bytes: what changed-document detection compares
    path: Path


def content_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_pages(path: Path) -> tuple[list[str], bool]:
    """The text of a file page by page, and whether it is paginated (PDF)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise KnowledgeError(f"{path}: unsupported file type {suffix!r} (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    if suffix == ".pdf":
        from pypdf import PdfReader  # only PDFs pay for the import
        from pypdf.errors import PyPdfError

        try:
            reader = PdfReader(str(path))
            pages = [page.extract_text() or "" for page in reader.pages]
        except (OSError, PyPdfError, ValueError) as exc:
            raise KnowledgeError(f"{path}: cannot read PDF ({exc})") from exc
        if not any(p.strip() for p in pages):
            raise KnowledgeError(f"{path}: PDF has no extractable text (scanned?)")
        return pages, True
    try:
        return [path.read_text(encoding="utf-8")], False
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read as UTF-8 text ({exc})") from exc


def clean_file(path: Path) -> list[Block]:
    pages, paginated = read_pages(path)
    return clean_pages(pages, paginated=paginated)


def cleaned_text(path: Path) -> str:
    """The cleaned text of a file, as chunk texts are drawn from it (used to check eval gold phrases)."""
    return render(clean_file(path))


def load_document(meta: DocumentMeta, path: Path) -> LoadedDocument:
    blocks = clean_file(path)
    chunks = chunk_blocks(meta.id, meta.title, blocks)
    if not chunks:
        raise KnowledgeError(f"{path}: no text left after cleaning")
    return LoadedDocument(meta, chunks, content_hash(path), Path(path))


def derive_meta(path: Path) -> DocumentMeta:
    """Metadata for a file without a manifest entry: id from the file name, title from its stem."""
    path = Path(path)
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "document"
    return DocumentMeta(
        id=slug if slug[0].isalnum() else f"doc-{slug}",
        title=path.stem if len(path.stem) >= 3 else f"Document {path.stem}",
        issuer="unknown",
        date="unknown",
        language="en",
        file=path.name,
        original_file=path.name,
    )


def load_corpus(documents_dir: Path) -> list[LoadedDocument]:
    documents_dir = Path(documents_dir)
    return [load_document(meta, documents_dir / meta.file) for meta in load_manifest(documents_dir)]


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.iterdir() if f.suffix.lower() in SUPPORTED_SUFFIXES and f.is_file())
        elif p.is_file():
            files.append(p)
        else:
            raise KnowledgeError(f"{p}: no such file or directory")
    return files


def load_paths(paths: list[Path]) -> list[LoadedDocument]:
    """Load the given files (folders are expanded); a file listed in its folder's manifest keeps that entry."""
    manifests: dict[Path, dict[str, DocumentMeta]] = {}
    docs: list[LoadedDocument] = []
    ids: set[str] = set()
    for path in _expand(paths):
        folder = path.resolve().parent
        if folder not in manifests:
            manifests[folder] = (
                {m.file: m for m in load_manifest(folder)} if (folder / MANIFEST_NAME).is_file() else {}
            )
        meta = manifests[folder].get(path.name) or derive_meta(path)
        if meta.id in ids:
            raise KnowledgeError(f"{path}: document id {meta.id!r} given twice")
        ids.add(meta.id)
        docs.append(load_document(meta, path))
    return docs
