from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from api.deps import AssistantDep
from api.schemas import HitOut
from retrieval.errors import RetrievalUnavailable

router = APIRouter(prefix="/v1", tags=["search"])


@router.get("/search", response_model=list[HitOut])
def search(
    assistant: AssistantDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="Search text.")],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[HitOut]:
    if not q.strip():
        raise HTTPException(422, "q must not be blank")
    try:
        return [HitOut.of(h) for h in assistant.search(q.strip(), k)]
    except RetrievalUnavailable as exc:
        raise HTTPException(503, f"search is unavailable: {exc}") from exc
