"""Request and response bodies: a JSON view of `retrieval.types.Answer` (field names are a public contract)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from retrieval.types import Answer, Citation, Escalation, FrameworkSuggestion, Hit

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LanguageCode = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[a-z]{2,3}$")]
CountryCode = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")]


class AskRequest(BaseModel):
    question: Question = Field(description="1 to 2000 characters.")
    persona: Literal["migrant", "practitioner"] | None = None
    language: LanguageCode | None = Field(None, description="ISO 639-1; detected when unset.")
    country: CountryCode | None = Field(None, description="ISO 3166-1 alpha-2, for hotlines.")


class CitationOut(BaseModel):
    n: int
    document_id: str
    title: str
    location: str
    section: str
    kind: str
    text: str
    quote: str
    score: float

    @classmethod
    def of(cls, c: Citation) -> CitationOut:
        ch = c.chunk
        return cls(
            n=c.n, document_id=ch.document_id, title=ch.title, location=ch.location, section=ch.section,
            kind=ch.kind, text=ch.text, quote=c.quote, score=round(c.score, 6),
        )


class FrameworkOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    issuer: str
    kind: str
    score: float
    why: list[str]
    key_provisions: list[str]
    citations: list[CitationOut]

    @classmethod
    def of(cls, f: FrameworkSuggestion) -> FrameworkOut:
        return cls(**f.model_dump(exclude={"citations"}), citations=[CitationOut.of(c) for c in f.citations])


class AskResponse(BaseModel):
    answer: str
    abstained: bool
    persona: str
    language: str
    country: str | None
    citations: list[CitationOut]
    frameworks: list[FrameworkOut]
    escalation: Escalation
    generated_by: str
    timings_ms: dict[str, float]

    @classmethod
    def of(cls, a: Answer) -> AskResponse:
        return cls(
            answer=a.text, abstained=a.abstained, persona=a.persona, language=a.language, country=a.country,
            citations=[CitationOut.of(c) for c in a.citations],
            frameworks=[FrameworkOut.of(f) for f in a.frameworks],
            escalation=a.escalation, generated_by=a.generated_by, timings_ms=a.timings_ms,
        )


class HitOut(BaseModel):
    id: str
    document_id: str
    title: str
    location: str
    kind: str
    text: str
    score: float
    dense_score: float | None
    lexical_score: float | None

    @classmethod
    def of(cls, h: Hit) -> HitOut:
        ch = h.chunk
        return cls(
            id=ch.id, document_id=ch.document_id, title=ch.title, location=ch.location, kind=ch.kind,
            text=ch.text, score=h.score, dense_score=h.dense_score, lexical_score=h.lexical_score,
        )


class Unavailable(BaseModel):
    """503 body: what failed, and the hotlines a person can call meanwhile."""

    detail: str
    escalation: Escalation
