"""The runner against a stand-in target returning real `Answer` objects: records carry what came back, and a
case whose call raises becomes an error record instead of stopping the run."""
from __future__ import annotations

from evals.datasets import FactualRow, FrameworkRow, OfftopicRow, SafetyRow
from evals.runner import run_cases
from evals.targets import AnswerView, HitView, view_answer
from retrieval.types import Answer, Chunk, Citation, Escalation

CHUNK = Chunk(id="c1", document_id="mfa", title="T", location="p. 2",
              text="Recruitment agencies should not charge fees from migrant workers.")


class StandIn:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str | None]] = []

    def ask(self, question: str, persona: str | None = None, language: str | None = None) -> AnswerView:
        self.asked.append((question, persona))
        if "boom" in question:
            raise RuntimeError("index exploded")
        level = "urgent" if "help" in question else "none"
        return view_answer(Answer(text=f"{CHUNK.text} [1]", citations=[Citation(n=1, chunk=CHUNK, quote="q", score=1)],
                                  escalation=Escalation(level=level)))

    def search(self, q: str, k: int) -> list[HitView]:
        return [HitView(chunk_id="c1", document_id="mfa", text=CHUNK.text, score=1.0)][:k]

    def recommend(self, situation: str, k: int) -> list[str]:
        return ["crc", "cpms"][:k]

    def document_chunks(self, document_id: str) -> list[HitView] | None:
        return [HitView(chunk_id="c1", document_id="mfa", text=CHUNK.text)] if document_id == "mfa" else []

    def close(self) -> None:
        pass


def test_records_capture_answers_hits_frameworks_and_errors() -> None:
    target = StandIn()
    sets = {
        "migrant": [FactualRow(id="m1", split="dev", question="fees?", persona="migrant", gold_documents=["mfa"],
                               gold_phrases=["should not charge fees"])],
        "offtopic": [OfftopicRow(id="o1", split="dev", question="boom recipe")],
        "safety": [SafetyRow(id="s1", split="dev", text="help me", language="en", expected_level="urgent")],
        "frameworks": [FrameworkRow(id="w1", split="dev", situation="a child alone at the border", expected=["crc"])],
    }
    records = {r.id: r for r in run_cases(target, sets, show_progress=False)}
    assert records["m1"].hits[0].chunk_id == "c1"
    assert records["m1"].gold_chunk_ids == ["c1"]
    assert records["m1"].answer.citations[0].text == CHUNK.text
    assert ("fees?", "migrant") in target.asked
    assert records["o1"].error == "RuntimeError: index exploded"
    assert records["o1"].answer is None
    assert records["s1"].answer.level == "urgent"
    assert records["s1"].gold == {"language": "en", "expected_level": "urgent", "tags": []}
    assert records["w1"].frameworks == ["crc", "cpms"]


def test_http_json_views_match_the_api_shape() -> None:
    from evals.targets import answer_from_json, hits_from_json

    data = {
        "answer": "Fees are not allowed. [1]", "abstained": False, "persona": "migrant", "language": "en",
        "citations": [{"n": 1, "document_id": "mfa", "title": "T", "location": "p. 2", "text": CHUNK.text,
                       "quote": "should not charge", "score": 0.4}],
        "frameworks": [{"id": "ilo-c181", "name": "C181"}],
        "escalation": {"level": "refer", "reasons": ["labour"], "hotlines": [], "message": "Call 123."},
        "timings_ms": {"triage": 1, "search": 20, "compose": 3, "total": 24},
    }
    view = answer_from_json(data)
    assert (view.text, view.level, view.escalation_message) == ("Fees are not allowed. [1]", "refer", "Call 123.")
    assert view.citations[0].document_id == "mfa" and view.citations[0].text == CHUNK.text
    assert view.frameworks == ["ilo-c181"]
    assert view.timings_ms["search"] == 20.0
    flat = [{"id": "c1", "document_id": "mfa", "text": "t", "score": 0.5}]
    nested = {"hits": [{"chunk": {"id": "c1", "document_id": "mfa", "text": "t"}, "score": 0.5}]}
    assert hits_from_json(flat) == hits_from_json(nested)
    assert hits_from_json(flat)[0].chunk_id == "c1"
