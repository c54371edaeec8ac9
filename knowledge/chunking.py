"""Cut cleaned blocks into citable chunks: within a section, on paragraph then sentence boundaries.

Each chunk knows its section heading and a location a person can find in the source ("§ Rescue at sea, para. 3",
or "p. 4, § ..." for paginated sources). Ids are derived from the document id and the chunk's content, so
re-ingesting unchanged text yields the same ids and an edit changes only the ids of the chunks it touches.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from langchain_text_splitters import RecursiveCharacterTextSplitter

from knowledge.cleaning import Block
from knowledge.schema import Chunk, ChunkKind

# tuned on the factual dev set (hit@1 of hybrid search): 500-1000 tried, 650 best; differences are a few questions
CHUNK_SIZE = 650
CHUNK_OVERLAP = 100
NOTES_SECTION = "Notes"
# paragraph, line, sentence end, clause, word: the splitter tries them in order and only cuts mid-sentence when a
# single sentence is longer than a chunk. "No. 6" and "Art. 3" are not sentence ends.
_NOT_AFTER = r"(?<!\bNo\.)(?<!\bNos\.)(?<!\bArt\.)(?<!\bpara\.)(?<!\bp\.)(?<!\bpp\.)"
SEPARATORS = ["\n\n", "\n", _NOT_AFTER + r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9•])", r"(?<=[;:])\s+", r"(?<=,)\s+", r"\s+", ""]


@dataclass
class _Section:
    heading: str
    paragraphs: list[tuple[str, int | None, int]] = field(default_factory=list)  # text, page, number


def _short(heading: str, limit: int = 60) -> str:
    heading = heading.split(" – ")[0]
    if len(heading) <= limit:
        return heading
    return heading[:limit].rsplit(" ", 1)[0] + "…"


def qualified_headings(headings: list[str]) -> list[str]:
    """Make repeated headings ("Practical Example" in every part) findable: prefix the part they belong to.

    The part is the nearest earlier heading that occurs once and is not a case study.
    """
    counts = Counter(headings)
    out, parent = [], ""
    for heading in headings:
        if counts[heading] == 1:
            if not heading.startswith("Case Study"):
                parent = heading
            out.append(heading)
        else:
            out.append(f"{_short(parent)} › {heading}" if parent else heading)
    seen: Counter[str] = Counter()
    totals = Counter(out)
    for i, name in enumerate(out):  # still ambiguous (same part, or parts alike when shortened): number them
        seen[name] += 1
        if totals[name] > 1:
            out[i] = f"{name} ({seen[name]})"
    return out


def _sections(blocks: list[Block]) -> list[_Section]:
    sections = [_Section("")]
    notes = _Section(NOTES_SECTION)
    names = iter(qualified_headings([b.text for b in blocks if b.kind == "heading"]))
    for block in blocks:
        if block.kind == "heading":
            sections.append(_Section(next(names)))
        elif block.kind == "note":
            notes.paragraphs.append((f"[{block.number}] {block.text}", block.page, block.number or 0))
        else:
            current = sections[-1]
            current.paragraphs.append((block.text, block.page, len(current.paragraphs) + 1))
    return [s for s in sections + [notes] if s.paragraphs]


def chunk_id(document_id: str, kind: str, section: str, text: str) -> str:
    digest = hashlib.sha1(f"{kind}\x1f{section}\x1f{text}".encode()).hexdigest()[:16]
    return f"{document_id}:{digest}"


def _location(section: str, number: int, page: int | None) -> str:
    unit = "note" if section == NOTES_SECTION else "para."
    if page is not None:
        return f"p. {page}, § {section}" if section else f"p. {page}"
    return f"§ {section}, {unit} {number}" if section else f"{unit} {number}"


def chunk_blocks(
    document_id: str,
    title: str,
    blocks: list[Block],
    *,
    kind: ChunkKind = "document",
    chunk_size: int = CHUNK_SIZE,
    chunk_overlap: int = CHUNK_OVERLAP,
) -> list[Chunk]:
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",  # separators are whitespace after a sentence or clause: it stays with the left part
        add_start_index=True,
    )
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for section in _sections(blocks):
        text = ""
        starts: list[int] = []
        for para, _, _ in section.paragraphs:
            if text:
                text += "\n\n"
            starts.append(len(text))
            text += para
        for doc in splitter.create_documents([text]):
            piece = doc.page_content.strip()
            if not piece:
                continue
            start = doc.metadata.get("start_index", 0)
            _, page, number = section.paragraphs[max(0, bisect_right(starts, max(start, 0)) - 1)]
            cid = chunk_id(document_id, kind, section.heading, piece)
            seen[cid] = seen.get(cid, 0) + 1
            if seen[cid] > 1:  # the same passage twice in a document: position tells them apart
                cid = f"{cid}-{seen[cid]}"
            chunks.append(
                Chunk(
                    id=cid,
                    document_id=document_id,
                    title=title,
                    section=section.heading,
                    location=_location(section.heading, number, page),
                    text=piece,
                    kind=kind,
                    position=len(chunks),
                )
            )
    return chunks
