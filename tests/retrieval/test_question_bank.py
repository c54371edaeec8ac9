"""The question bank in the index: reconciled like chunks (idempotent, incremental) and voting in search."""
from __future__ import annotations

import json
from pathlib import Path

from retrieval import ingest as ingest_module
from retrieval.index import Index
from retrieval.ingest import run_ingest
from retrieval.settings import Settings
from tests.retrieval.index_helpers import make_corpus, make_settings

LAWYER = {"anchor": "a lawyer joins them on Tuesday afternoons", "asker": "migrant",
          "question": "is there someone who can help me with legal stuff for free"}
# Deliberately unrelated to its anchor: only the bank can bring this passage up for this question.
ODD = {"anchor": "The regional hotline answers in Arabic, French and English", "asker": "practitioner",
       "question": "what colour is the lighthouse at the harbour entrance"}


def bank_settings(tmp_path: Path, rows: list[dict]) -> Settings:
    docs_dir = make_corpus(tmp_path, documents=())
    questions = tmp_path / "questions"
    questions.mkdir(exist_ok=True)
    (questions / "shelters.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return make_settings(tmp_path, docs_dir, questions_dir=questions)


def test_bank_questions_are_added_once_then_removed_and_moved_with_their_passage(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = bank_settings(tmp_path, [LAWYER, ODD])
    first = run_ingest(settings, progress=False)
    assert (first.questions, first.questions_added, first.questions_removed) == (2, 2, 0)

    def no_model():  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged corpus and bank must not load the embedding model")

    with monkeypatch.context() as m:
        m.setattr(ingest_module, "_embedder", no_model)
        again = run_ingest(settings, progress=False)
    assert (again.questions, again.questions_added, again.questions_removed) == (2, 0, 0)

    (settings.questions_dir / "shelters.jsonl").write_text(json.dumps(LAWYER) + "\n")
    fewer = run_ingest(settings, progress=False)
    assert (fewer.questions, fewer.questions_added, fewer.questions_removed) == (1, 0, 1)

    # an edit to the passage gives it a new chunk id: its question follows it, the old record goes
    doc = settings.documents_dir / "shelters.txt"
    doc.write_text(doc.read_text().replace("Nobody has to talk", "No one has to talk"))
    moved = run_ingest(settings, progress=False)
    assert (moved.questions, moved.questions_added, moved.questions_removed) == (1, 1, 1)
    index = Index.open(settings)
    [(question_chunk, _)] = index.questions.by_chunk.items()  # type: ignore[union-attr]
    assert "a lawyer joins them" in index.store.get([question_chunk])[0].text

    # and an anchor edited away is reported, never attached to a guess
    doc.write_text(doc.read_text().replace("a lawyer joins them", "a solicitor comes"))
    gone = run_ingest(settings, progress=False)
    assert (gone.questions, gone.questions_unresolved) == (0, 1)


def test_a_bank_question_brings_up_its_passage_and_says_how_close_it_was(tmp_path: Path) -> None:
    settings = bank_settings(tmp_path, [ODD])
    run_ingest(settings, progress=False)
    index = Index.open(settings)
    hits = index.search(ODD["question"], 3)
    voted = [h for h in hits if "regional hotline" in h.chunk.text]
    assert voted and voted[0].question_score is not None and voted[0].question_score > 0.99
    # its words are in BM25 too, so lexical search alone finds the passage as well
    assert any("regional hotline" in h.chunk.text for h in index.search("lighthouse harbour entrance", 1, mode="lexical"))

    index.searcher.questions = None
    assert all(h.question_score is None for h in index.search(ODD["question"], 3))


def test_without_a_bank_search_works_as_before(tmp_path: Path) -> None:
    settings = bank_settings(tmp_path, [])
    report = run_ingest(settings, progress=False)
    assert report.questions == 0
    index = Index.open(settings)
    assert index.questions is None
    assert index.search("lawyer on Tuesday", 1)[0].chunk.document_id == "shelters"


def test_a_bank_that_cannot_be_read_leaves_search_working_without_it(tmp_path: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from retrieval.errors import IndexUnavailable
    from retrieval.question_store import QuestionStore

    settings = bank_settings(tmp_path, [LAWYER, ODD])
    run_ingest(settings, progress=False)

    def broken(self):  # type: ignore[no-untyped-def]
        raise IndexUnavailable("chroma get failed: corrupted segment")

    monkeypatch.setattr(QuestionStore, "load", broken)
    index = Index.open(settings)
    assert index.questions is None and "searching without it" in caplog.text
    assert index.search("lawyer on Tuesday", 1)[0].chunk.document_id == "shelters"
