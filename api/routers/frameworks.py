"""Which framework applies: rank tool guides for a described situation, list and read the guides."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, field_validator

from api.deps import AssistantDep
from api.schemas import FrameworkOut
from knowledge.guides import Guide
from retrieval.errors import PassageError

router = APIRouter(prefix="/v1", tags=["frameworks"])
MAX_SITUATION_CHARS = 2000


class FrameworksRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    situation: str = Field(description=f"The case or situation, 1 to {MAX_SITUATION_CHARS} characters.")
    k: int = Field(5, ge=1, le=10, description="How many frameworks to return.")

    @field_validator("situation")
    @classmethod
    def _situation(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("situation must not be empty or only whitespace")
        if len(value) > MAX_SITUATION_CHARS:
            raise ValueError(f"situation must be at most {MAX_SITUATION_CHARS} characters (got {len(value)})")
        return value


class FrameworksResponse(BaseModel):
    frameworks: list[FrameworkOut]


class GuideSummary(BaseModel):
    id: str
    name: str
    issuer: str
    year: int | None
    kind: str


def _recommender(assistant: Any) -> Any:
    recommender = getattr(assistant, "frameworks", None)
    if recommender is None:
        raise HTTPException(
            503, "the framework recommender is unavailable (embedding model or guides not loaded)"
        )
    return recommender


def _guides(assistant: Any) -> list[Guide]:
    guides = getattr(assistant, "guides", None)
    if guides is None:
        guides = _recommender(assistant).guides
    return list(guides)


@router.post("/frameworks", response_model=FrameworksResponse)
def recommend(body: FrameworksRequest, assistant: AssistantDep) -> FrameworksResponse:
    try:
        suggestions = _recommender(assistant).recommend(body.situation, k=body.k)
    except PassageError as exc:
        raise HTTPException(503, f"framework ranking is unavailable: {type(exc).__name__}") from exc
    return FrameworksResponse(frameworks=[FrameworkOut.of(s) for s in suggestions])


@router.get("/frameworks", response_model=list[GuideSummary])
def list_guides(assistant: AssistantDep) -> list[GuideSummary]:
    return [
        GuideSummary(id=g.id, name=g.name, issuer=g.issuer, year=g.year, kind=g.kind)
        for g in _guides(assistant)
    ]


@router.get("/frameworks/{guide_id}", response_model=Guide)
def get_guide(guide_id: str, assistant: AssistantDep) -> Guide:
    for g in _guides(assistant):
        if g.id == guide_id:
            return g
    raise HTTPException(404, "unknown framework id; GET /v1/frameworks lists them")
