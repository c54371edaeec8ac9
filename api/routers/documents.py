from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from api.deps import AssistantDep
from retrieval.errors import PassageError

router = APIRouter(prefix="/v1", tags=["documents"])


@router.get("/documents")
def documents(assistant: AssistantDep) -> list[dict[str, Any]]:
    """The manifest, with how many chunks of each document the index holds."""
    try:
        return assistant.documents()
    except PassageError as exc:
        raise HTTPException(503, str(exc)) from exc
