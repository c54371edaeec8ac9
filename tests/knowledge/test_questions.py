"""The question bank: strict files, anchors resolved to the chunk that holds them, never guessed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError
from knowledge.loader import load_corpus
from knowledge.questions import attach, load_bank
from knowledge.schema import Chunk

ROOT = Path(__file__).resolve().parents[2]


def chunk(cid: str, text: str) -> Chunk:
    return Chunk(id=cid, document_id="doc", title="Doc", location="para. 1", text=text)


def write_bank(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_anchor_finds_its_chunk_whatever_the_quotes_case_and_line_breaks() -> None:
    chunks = [
        chunk("a", "Recruitment agencies should not charge fees from migrant workers."),
        chunk("b", "Forbidding agencies from withholding workers’ travel and\nemployment documents."),
    ]
    bank = load_rows([{"anchor": "withholding workers' travel and employment documents", "question": "can my agency keep my passport",
                       "asker": "migrant"}])
    attached, unresolved = attach(chunks, bank)
    assert unresolved == 0
    assert [(a.chunk_id, a.text) for a in attached] == [("b", "can my agency keep my passport")]


def test_an_anchor_with_a_hyphen_finds_the_same_aside_written_with_a_dash() -> None:
    chunks = [chunk("a", "Benchmarks for the next years – a kind of goals."), chunk("b", "Nothing here.")]
    bank = load_rows([{"anchor": "for the next years - a kind of goals", "question": "what goals?", "asker": "practitioner"}])
    assert [a.chunk_id for a in attach(chunks, bank)[0]] == ["a"]


def test_an_anchor_no_longer_in_the_document_is_counted_not_attached() -> None:
    bank = load_rows([{"anchor": "a sentence that was edited away later", "question": "what was said?", "asker": "practitioner"}])
    attached, unresolved = attach([chunk("a", "Something else entirely.")], bank)
    assert attached == [] and unresolved == 1


def test_question_ids_follow_the_chunk_so_an_edited_chunk_moves_its_questions() -> None:
    row = {"anchor": "should not charge fees from migrant workers", "question": "can they charge me a fee", "asker": "migrant"}
    before, _ = attach([chunk("a1", "Agencies should not charge fees from migrant workers.")], load_rows([row]))
    after, _ = attach([chunk("a2", "Recruiters should not charge fees from migrant workers.")], load_rows([row]))
    assert before[0].id != after[0].id and after[0].chunk_id == "a2"


def load_rows(rows: list[dict]):  # type: ignore[no-untyped-def]
    from knowledge.questions import BankQuestion

    return [BankQuestion.model_validate(r) for r in rows]


@pytest.mark.parametrize(
    "line",
    [
        '{"anchor": "too short", "question": "what?", "asker": "migrant"}',
        '{"anchor": "a long enough anchor here", "question": "a question?", "asker": "robot"}',
        '{"anchor": "a long enough anchor here", "question": "a question?", "asker": "migrant", "x": 1}',
        "not json",
    ],
)
def test_a_malformed_line_is_refused_with_its_place(tmp_path: Path, line: str) -> None:
    (tmp_path / "doc.jsonl").write_text('{"anchor": "a long enough anchor here", "question": "fine?", "asker": "migrant"}\n'
                                        + line + "\n")
    with pytest.raises(KnowledgeError, match=r"doc\.jsonl:2"):
        load_bank(tmp_path, {"doc"})


def test_documents_without_a_file_and_a_missing_directory_have_no_questions(tmp_path: Path) -> None:
    write_bank(tmp_path / "doc.jsonl", [{"anchor": "a long enough anchor here", "question": "fine?", "asker": "migrant"}])
    assert set(load_bank(tmp_path, {"doc", "other"})) == {"doc"}
    assert load_bank(tmp_path / "missing", {"doc"}) == {}


def test_every_shipped_question_finds_its_passage() -> None:
    """The shipped bank must stay in step with the shipped documents and their chunking."""
    docs = load_corpus(ROOT / "knowledge" / "documents")
    bank = load_bank(ROOT / "knowledge" / "questions", {d.meta.id for d in docs})
    assert set(bank) == {d.meta.id for d in docs}
    for doc in docs:
        attached, unresolved = attach(doc.chunks, bank[doc.meta.id])
        assert unresolved == 0, doc.meta.id
        assert len({a.chunk_id for a in attached}) >= len(doc.chunks) // 2  # most passages have questions
