from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import AssistantDep
from api.schemas import AskRequest, AskResponse, Unavailable
from retrieval.assistant import RetrievalDown

router = APIRouter(prefix="/v1", tags=["ask"])


@router.post(
    "/ask",
    response_model=AskResponse,
    responses={503: {"model": Unavailable, "description": "Search is down; the body carries hotlines."}},
)
def ask(body: AskRequest, assistant: AssistantDep) -> AskResponse | JSONResponse:
    try:
        answer = assistant.ask(body.question, persona=body.persona, language=body.language, country=body.country)
    except RetrievalDown as exc:
        payload = Unavailable(
            detail="Passage cannot search its documents right now. If you need help now, contact a hotline.",
            escalation=exc.escalation,
        )
        return JSONResponse(status_code=503, content=payload.model_dump(mode="json"))
    return AskResponse.of(answer)
