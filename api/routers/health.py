from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import AssistantDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (escalation works even when the index is not)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(assistant: AssistantDep) -> Any:
    state = assistant.ready()
    return state if state["ready"] else JSONResponse(status_code=503, content=state)
