"""Chunks: sized on paragraph/sentence boundaries, located, with ids stable across runs and local to edits."""
from __future__ import annotations

import re
from pathlib import Path

from knowledge.chunking import CHUNK_SIZE, chunk_blocks, qualified_headings
from knowledge.cleaning import Block
from knowledge.loader import clean_file, cleaned_text, load_corpus

DOCS = Path(__file__).resolve().parents[2] / "knowledge" / "documents"


def test_corpus_chunks_are_sized_located_and_end_on_sentence_boundaries() -> None:
    docs = load_corpus(DOCS)
    assert len(docs) == 5
    for doc in docs:
        assert doc.chunks, doc.meta.id
        for chunk in doc.chunks:
            assert chunk.document_id == doc.meta.id and chunk.title == doc.meta.title
            assert 0 < len(chunk.text) <= CHUNK_SIZE
            assert chunk.location and (chunk.location.startswith("§") or chunk.location.startswith("para."))
            assert chunk.id.startswith(f"{doc.meta.id}:")
        # chunks start at a paragraph or a sentence (or, rarely, a clause), never inside a word
        cleaned = cleaned_text(DOCS / doc.meta.file)
        starts = [_boundary_before(cleaned, c.text) for c in doc.chunks]
        assert all(s in ("", "\n\n") or re.fullmatch(r"[.!?;:,\"')\]] ", s) for s in starts), starts
        assert sum(s in ("", "\n\n") or s[0] in ".!?" for s in starts) / len(starts) > 0.9
        assert [c.position for c in doc.chunks] == list(range(len(doc.chunks)))
        assert len({c.id for c in doc.chunks}) == len(doc.chunks)
    rt32 = next(d for d in docs if d.meta.id == "gfmd-2012-rt32-background")
    mexico = next(c for c in rt32.chunks if "appointed 68 Child Protection Officers" in c.text)
    assert mexico.location == "§ Border management and the protection of unaccompanied… › Practical Example, para. 1"
    note = next(c for c in rt32.chunks if "Article 98, 1982 United Nations Convention on the Law of the Sea" in c.text)
    assert note.section == "Notes" and note.location.startswith("§ Notes, note ")


def _boundary_before(text: str, chunk: str) -> str:
    """The two characters before the best-placed occurrence of `chunk` in `text` ("" at the very start)."""
    found = [m.start() for m in re.finditer(re.escape(chunk[:80]), text)]
    assert found, chunk[:80]
    befores = [text[max(0, i - 2) : i] for i in found]
    return next((b for b in befores if b in ("", "\n\n") or b[:1] in ".!?"), befores[0])


def test_chunks_cut_inside_a_paragraph_end_at_a_sentence() -> None:
    cut = []
    for name in ("gfmd-2020-rt4-gaps-background.txt", "gfmd-2012-rt32-background.txt",
                 "mfa-2013-asia-pacific-recommendations.txt"):
        cleaned = cleaned_text(DOCS / name)
        for c in chunk_blocks("doc", "Doc", clean_file(DOCS / name)):
            end = cleaned.find(c.text) + len(c.text)
            if cleaned[end : end + 2] not in ("\n\n", ""):  # the chunk stops inside a paragraph
                cut.append(c.text.rstrip()[-1])
    assert len(cut) >= 10
    # only a sentence longer than a whole chunk may be cut at a clause
    assert sum(e in '.?!:;"' for e in cut) / len(cut) > 0.85, cut


def test_an_abbreviation_is_not_a_sentence_end() -> None:
    """rt32 cut "its General Comment No." from "6, that this should be understood...": no chunk may start there."""
    starts = [c.text[:3] for d in load_corpus(DOCS) for c in d.chunks]
    assert "6, " not in starts
    text = "A" * 560 + ". The Committee, in its General Comment No. 6, says more. " + "B" * 300 + "."
    chunks = chunk_blocks("doc", "Doc", [Block("paragraph", text)])
    assert not any(c.text.startswith("6,") for c in chunks)


def test_chunk_ids_are_stable_across_runs_and_change_only_where_the_text_changed() -> None:
    first = load_corpus(DOCS)
    second = load_corpus(DOCS)
    assert [c.id for d in first for c in d.chunks] == [c.id for d in second for c in d.chunks]

    blocks = clean_file(DOCS / "gfmd-2012-ws3b-report.txt")
    before = chunk_blocks("ws3b", "WS", blocks)
    edited = [
        Block(b.kind, b.text.replace("Lampedusa model", "Lampedusa pilot model"), b.page, b.number) for b in blocks
    ]
    after = chunk_blocks("ws3b", "WS", edited)
    changed = {c.id for c in before} ^ {c.id for c in after}
    assert len(changed) == 2  # one chunk out, its replacement in
    assert all("Lampedusa" in c.text for c in before + after if c.id in changed)


def test_duplicate_passages_get_distinct_ids() -> None:
    blocks = [Block("heading", "Part A"), Block("paragraph", "Same words."), Block("heading", "Part A"),
              Block("paragraph", "Same words.")]
    chunks = chunk_blocks("doc", "Doc", blocks)
    assert len(chunks) == 2 and len({c.id for c in chunks}) == 2
    assert [c.section for c in chunks] == ["Part A (1)", "Part A (2)"]


def test_repeated_headings_are_qualified_by_their_part() -> None:
    assert qualified_headings(["Rescue at Sea", "Practical Example", "Case Study: X", "Guiding Questions",
                               "Labour", "Practical Example", "Guiding Questions"]) == [
        "Rescue at Sea", "Rescue at Sea › Practical Example", "Case Study: X", "Rescue at Sea › Guiding Questions",
        "Labour", "Labour › Practical Example", "Labour › Guiding Questions"]


def test_paginated_chunks_carry_their_page() -> None:
    blocks = [Block("heading", "Rescue at sea", 3), Block("paragraph", "Ships must assist.", 3),
              Block("paragraph", "States must coordinate. " * 50, 4)]
    chunks = chunk_blocks("pdf-doc", "A PDF", blocks)
    assert chunks[0].location == "p. 3, § Rescue at sea"
    assert chunks[-1].location == "p. 4, § Rescue at sea"
