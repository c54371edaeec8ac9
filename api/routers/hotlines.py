"""GET /v1/hotlines: the hotline directory, filtered for a country, topic and language."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from api.deps import AssistantDep
from knowledge.hotlines import TOPICS

router = APIRouter(prefix="/v1", tags=["hotlines"])


@router.get("/hotlines")
def list_hotlines(
    assistant: AssistantDep,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. PH")
    ] = None,
    topic: Annotated[str | None, Query(description=f"one of {', '.join(sorted(TOPICS))}")] = None,
    language: Annotated[
        str | None, Query(pattern=r"^[a-z]{2}$", description="ISO 639-1; ranks, never hides")
    ] = None,
) -> dict[str, Any]:
    if topic is not None and topic not in TOPICS:
        raise HTTPException(status_code=422, detail=f"unknown topic {topic!r}; known: {sorted(TOPICS)}")
    code = country.upper() if country else None
    hotlines = assistant.hotlines(code, topic, language)
    directory = getattr(assistant, "directory", None)
    emergency = directory.emergency_number(code) if directory is not None else None
    known = directory.knows(code) if directory is not None else any(h.country == code for h in hotlines)
    note = None
    if code and not known:
        note = (
            f"No national entries for {code} in this directory: showing global options. "
            "Call the local emergency number if anyone is in danger."
        )
    return {
        "country": code,
        "topic": topic,
        "emergency_number": emergency,
        "hotlines": [h.model_dump(mode="json") for h in hotlines],
        "note": note,
    }
