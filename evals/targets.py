"""What evals talks to: the Assistant in-process, or the HTTP API of a running server.

Both are reduced to the same flat views (the API's JSON shape), so scoring never depends on how a run was made.
In-process reads only `retrieval.types`; over HTTP only the documented JSON.
"""
from __future__ import annotations

from typing import Any, Protocol

import httpx
from pydantic import BaseModel, Field

from retrieval.types import Answer, FrameworkSuggestion, Hit

WEAKENINGS: dict[str, dict[str, Any]] = {
    # Deliberately worse settings for `compare` demos and for proving the metrics notice a regression.
    "dense-only": {"search_mode": "dense"},
    "lexical-only": {"search_mode": "lexical"},
    "rrf": {"search_fusion": "rrf"},  # the rank-only fusion that score fusion replaced
}


class CitationView(BaseModel):
    n: int
    document_id: str
    chunk_id: str = ""
    location: str = ""
    text: str = ""  # the cited chunk's text
    quote: str = ""
    score: float = 0.0


class AnswerView(BaseModel):
    text: str = ""
    abstained: bool = False
    level: str = "none"
    reasons: list[str] = Field(default_factory=list)
    escalation_message: str = ""  # hotline text appended to a referral; not part of the cited answer
    language: str = ""
    persona: str = ""
    generated_by: str = ""
    citations: list[CitationView] = Field(default_factory=list)
    frameworks: list[str] = Field(default_factory=list)  # suggested guide ids, best first
    timings_ms: dict[str, float] = Field(default_factory=dict)


class HitView(BaseModel):
    chunk_id: str
    document_id: str
    text: str
    score: float = 0.0


class Target(Protocol):
    def ask(self, question: str, persona: str | None = None, language: str | None = None) -> AnswerView: ...
    def search(self, q: str, k: int) -> list[HitView]: ...
    def recommend(self, situation: str, k: int) -> list[str]: ...
    def document_chunks(self, document_id: str) -> list[HitView] | None: ...
    def close(self) -> None: ...


def view_answer(answer: Answer) -> AnswerView:
    return AnswerView(
        text=answer.text,
        abstained=answer.abstained,
        level=answer.escalation.level,
        reasons=list(answer.escalation.reasons),
        escalation_message=answer.escalation.message,
        language=answer.language,
        persona=answer.persona,
        generated_by=answer.generated_by,
        citations=[
            CitationView(
                n=c.n, document_id=c.chunk.document_id, chunk_id=c.chunk.id, location=c.chunk.location,
                text=c.chunk.text, quote=c.quote, score=c.score,
            )
            for c in answer.citations
        ],
        frameworks=[f.id for f in answer.frameworks],
        timings_ms=dict(answer.timings_ms),
    )


def view_hit(hit: Hit) -> HitView:
    return HitView(chunk_id=hit.chunk.id, document_id=hit.chunk.document_id, text=hit.chunk.text, score=hit.score)


class InProcessTarget:
    """The Assistant built once from Settings, optionally weakened (`WEAKENINGS`)."""

    def __init__(self, weaken: str | None = None, assistant: Any | None = None) -> None:
        """Build the Assistant from `get_settings()` (weakened if asked), or wrap one already built."""
        if assistant is None:
            from retrieval.assistant import Assistant
            from retrieval.settings import get_settings

            settings = get_settings()
            if weaken:
                settings = settings.model_copy(update=WEAKENINGS[weaken])
            assistant = Assistant.from_settings(settings)
        self.assistant = assistant

    def ask(self, question: str, persona: str | None = None, language: str | None = None) -> AnswerView:
        return view_answer(self.assistant.ask(question, persona=persona, language=language))  # type: ignore[arg-type]

    def search(self, q: str, k: int) -> list[HitView]:
        return [view_hit(h) for h in self.assistant.search(q, k=k)]

    def recommend(self, situation: str, k: int) -> list[str]:
        recommender = getattr(self.assistant, "frameworks", None)
        if recommender is None:
            # No recommender (no guides): fall back to what a practitioner's answer suggests.
            return self.ask(situation, persona="practitioner").frameworks[:k]
        suggestions: list[FrameworkSuggestion] = recommender.recommend(situation, k=k)
        return [s.id for s in suggestions]

    def document_chunks(self, document_id: str) -> list[HitView] | None:
        """Every chunk of a document, for exact qrels; None when the index cannot list them."""
        index = getattr(self.assistant, "index", None)
        lister = getattr(index, "document_chunks", None)
        if lister is None:
            return None
        return [HitView(chunk_id=c.id, document_id=c.document_id, text=c.text) for c in lister(document_id)]

    def close(self) -> None:
        close = getattr(self.assistant, "close", None)
        if close:
            close()


def _citation_from_json(c: dict[str, Any]) -> CitationView:
    chunk = c.get("chunk") or {}
    return CitationView(
        n=int(c.get("n", 0)),
        document_id=c.get("document_id") or chunk.get("document_id", ""),
        chunk_id=c.get("chunk_id") or c.get("id") or chunk.get("id", ""),
        location=c.get("location") or chunk.get("location", ""),
        text=c.get("text") or chunk.get("text", ""),
        quote=c.get("quote", ""),
        score=float(c.get("score") or 0.0),
    )


def answer_from_json(data: dict[str, Any]) -> AnswerView:
    """The `POST /v1/ask` JSON view of an Answer."""
    escalation = data.get("escalation") or {}
    return AnswerView(
        text=data.get("answer") or data.get("text") or "",
        abstained=bool(data.get("abstained")),
        level=escalation.get("level", "none"),
        reasons=list(escalation.get("reasons") or []),
        escalation_message=escalation.get("message") or "",
        language=data.get("language", ""),
        persona=data.get("persona", ""),
        generated_by=data.get("generated_by", ""),
        citations=[_citation_from_json(c) for c in data.get("citations") or []],
        frameworks=[f["id"] for f in data.get("frameworks") or [] if isinstance(f, dict) and "id" in f],
        timings_ms={k: float(v) for k, v in (data.get("timings_ms") or {}).items()},
    )


def hits_from_json(data: Any) -> list[HitView]:
    """`GET /v1/search`: a list of hits, or {"hits"|"results": [...]}; each hit flat or with a nested chunk."""
    items = (data.get("hits") or data.get("results") or []) if isinstance(data, dict) else data
    out = []
    for item in items:
        chunk = item.get("chunk") or item
        out.append(
            HitView(
                chunk_id=chunk.get("id") or item.get("chunk_id", ""),
                document_id=chunk.get("document_id", ""),
                text=chunk.get("text", ""),
                score=float(item.get("score") or 0.0),
            )
        )
    return out


class HttpTarget:
    """A running API (`python -m evals run --url http://127.0.0.1:8000`)."""

    def __init__(self, url: str, timeout_s: float = 30.0) -> None:
        self.client = httpx.Client(base_url=url.rstrip("/"), timeout=timeout_s)

    def _json(self, response: httpx.Response) -> Any:
        response.raise_for_status()
        return response.json()

    def ask(self, question: str, persona: str | None = None, language: str | None = None) -> AnswerView:
        body = {"question": question, "persona": persona, "language": language}
        body = {k: v for k, v in body.items() if v is not None}
        return answer_from_json(self._json(self.client.post("/v1/ask", json=body)))

    def search(self, q: str, k: int) -> list[HitView]:
        return hits_from_json(self._json(self.client.get("/v1/search", params={"q": q, "k": k})))

    def recommend(self, situation: str, k: int) -> list[str]:
        data = self._json(self.client.post("/v1/frameworks", json={"situation": situation, "k": k}))
        return [f["id"] for f in data.get("frameworks", [])][:k]

    def document_chunks(self, document_id: str) -> list[HitView] | None:
        return None  # the API does not list chunks: scoring falls back to pooling

    def close(self) -> None:
        self.client.close()
