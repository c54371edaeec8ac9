"""The shared vocabulary: the only types that cross rooms (faces, evals, retrieval).

The API's JSON schema is a view of `Answer`; keep field names stable (clients depend on them).
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from knowledge.hotlines import Hotline
from knowledge.schema import Chunk

__all__ = [
    "Answer",
    "Chunk",
    "Citation",
    "Escalation",
    "EscalationLevel",
    "FrameworkSuggestion",
    "Hit",
    "Hotline",
    "Persona",
]

Persona = Literal["migrant", "practitioner"]
EscalationLevel = Literal["none", "refer", "urgent"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Hit(_Frozen):
    """A chunk found by search, with the scores from each retriever and the fused score.

    Ranks are 1-based; `None` means that retriever did not return the chunk.
    """

    chunk: Chunk
    score: float  # fused (reciprocal rank fusion)
    dense_score: float | None = None  # cosine similarity, 1.0 = identical
    lexical_score: float | None = None  # BM25
    dense_rank: int | None = None
    lexical_rank: int | None = None
    question_score: float | None = None  # cosine similarity of the nearest bank question that points here


class Citation(_Frozen):
    """Citation `n` in an answer: `[n]` markers in the answer text refer to it."""

    n: int
    chunk: Chunk
    quote: str  # the exact span of chunk.text the answer relies on
    score: float

    @property
    def document_id(self) -> str:
        return self.chunk.document_id

    @property
    def title(self) -> str:
        return self.chunk.title

    @property
    def location(self) -> str:
        return self.chunk.location


class Escalation(_Frozen):
    level: EscalationLevel = "none"
    reasons: list[str] = Field(default_factory=list)  # signals that fired, never the user's text
    topics: list[str] = Field(default_factory=list)  # hotline topics matched (trafficking, sea_rescue, ...)
    hotlines: list[Hotline] = Field(default_factory=list)
    emergency_number: str | None = None  # for the user's country, when known
    message: str = ""  # the hotline reply, in the user's language
    handoff_available: bool = False  # a live operator can take over


class FrameworkSuggestion(_Frozen):
    id: str
    name: str
    issuer: str
    kind: str
    score: float
    why: list[str] = Field(default_factory=list)  # facets that matched: "population: child", ...
    key_provisions: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class Answer(_Frozen):
    text: str
    citations: list[Citation] = Field(default_factory=list)
    frameworks: list[FrameworkSuggestion] = Field(default_factory=list)
    escalation: Escalation = Field(default_factory=Escalation)
    abstained: bool = False
    persona: Persona = "migrant"
    language: str = "en"
    country: str | None = None
    generated_by: Literal["extractive", "llm", "escalation", "escalation+extractive", "abstention"] = "extractive"
    timings_ms: dict[str, float] = Field(default_factory=dict)  # triage, search, compose, total
