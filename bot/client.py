"""How the bot reaches the Assistant: in-process (default, off the event loop) or over the API's HTTP.

Both raise `AssistantUnavailable` carrying hotlines when no answer can be given, so a person is never left
with only an error.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Protocol, runtime_checkable

import httpx
from pydantic import TypeAdapter, ValidationError

from knowledge.schema import Chunk
from retrieval.errors import PassageError
from retrieval.types import Answer, Citation, Escalation, FrameworkSuggestion, Hotline

log = logging.getLogger(__name__)

_hotlines = TypeAdapter(list[Hotline])


class AssistantUnavailable(Exception):
    def __init__(self, hotlines: list[Hotline] | None = None) -> None:
        super().__init__("assistant unavailable")
        self.hotlines = hotlines or []


@runtime_checkable
class AssistantClient(Protocol):
    async def ask(self, question: str, persona: str | None = None, language: str | None = None,
                  country: str | None = None) -> Answer: ...

    async def hotlines(self, country: str | None = None, topic: str | None = None,
                       language: str | None = None) -> list[Hotline]: ...

    async def aclose(self) -> None: ...


class InProcessClient:
    """Wraps a `retrieval.assistant.Assistant` (sync, CPU-bound) so calls run in a worker thread."""

    def __init__(self, assistant: Any, owned: bool = False) -> None:
        self.assistant = assistant
        self.owned = owned  # close the Assistant with the bot (python -m bot), not when it is shared

    async def ask(self, question: str, persona: str | None = None, language: str | None = None,
                  country: str | None = None) -> Answer:
        try:
            return await asyncio.to_thread(self.assistant.ask, question, persona=persona, language=language,
                                           country=country)
        except PassageError as exc:
            log.warning("assistant failed: %s", type(exc).__name__)
            escalation = getattr(exc, "escalation", None)  # retrieval.assistant.RetrievalDown carries hotlines
            hotlines = list(escalation.hotlines) if escalation is not None else []
            raise AssistantUnavailable(hotlines or await self.hotlines(country, None, language)) from exc

    async def hotlines(self, country: str | None = None, topic: str | None = None,
                       language: str | None = None) -> list[Hotline]:
        try:
            return list(await asyncio.to_thread(self.assistant.hotlines, country=country, topic=topic,
                                                 language=language))
        except (PassageError, LookupError, ValueError) as exc:  # the last resort must not crash a reply
            log.error("hotline lookup failed: %s", type(exc).__name__)
            return []

    async def aclose(self) -> None:
        close = getattr(self.assistant, "close", None)
        if close is not None and self.owned:
            await asyncio.to_thread(close)


class LocalSafety:
    """Triage and the hotline directory, in the bot's own process: no embedding model, no index, no API.

    Used only when the API cannot answer, so that a person in danger still gets the hotline reply.
    """

    def __init__(self, directory: Any, operators_available: bool) -> None:
        from retrieval.safety import Triage

        self.directory = directory
        # rules and the n-gram layer: nothing here may depend on the embedding model
        self.triage = Triage(None)
        self.triage.warm()  # fit now: the API is already down when this is first needed
        self.operators_available = operators_available

    @classmethod
    def from_settings(cls, settings: Any) -> LocalSafety:
        from retrieval.safety import HotlineDirectory

        return cls(HotlineDirectory.load(settings.hotlines_file), settings.operators_available)

    def urgent_answer(self, question: str, language: str | None, country: str | None) -> Answer | None:
        from retrieval.safety import build_escalation

        result = self.triage.assess(question, language)
        escalation = build_escalation(result, self.directory, country, self.operators_available)
        if escalation.level != "urgent":
            return None
        return Answer(text=escalation.message, escalation=escalation, generated_by="escalation",
                      language=language or result.language, country=country)

    def hotlines(self, country: str | None, topic: str | None, language: str | None) -> list[Hotline]:
        return self.directory.find(country, [topic] if topic else None, language)


class HttpClient:
    """The API over HTTP (PASSAGE_API_URL): POST /v1/ask, GET /v1/hotlines. A 503 carries hotlines."""

    def __init__(self, base_url: str, timeout_s: float = 30.0, transport: httpx.AsyncBaseTransport | None = None,
                 safety: LocalSafety | None = None):
        self._http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=timeout_s, transport=transport)
        self._safety = safety

    async def ask(self, question: str, persona: str | None = None, language: str | None = None,
                  country: str | None = None) -> Answer:
        body = {"question": question, "persona": persona, "language": language, "country": country}
        try:
            response = await self._http.post("/v1/ask", json={k: v for k, v in body.items() if v is not None})
        except httpx.HTTPError as exc:
            log.warning("API unreachable: %s", type(exc).__name__)
            return await self._without_api(question, language, country, exc)
        if response.status_code == 200:
            try:
                return answer_from_api(response.json())
            except (ValueError, ValidationError) as exc:
                return await self._without_api(question, language, country, exc)
        log.warning("API answered %s", response.status_code)
        hotlines = _hotlines_in(_json(response))
        if self._safety is not None:
            urgent = self._safety.urgent_answer(question, language, country)
            if urgent is not None:
                return urgent
        raise AssistantUnavailable(hotlines or await self.hotlines(country, None, language))

    async def _without_api(self, question: str, language: str | None, country: str | None,
                           cause: Exception) -> Answer:
        """The API is gone: a crisis is still recognised and answered here, from rules and the directory."""
        if self._safety is not None:
            urgent = self._safety.urgent_answer(question, language, country)
            if urgent is not None:
                return urgent
        raise AssistantUnavailable(await self.hotlines(country, None, language)) from cause

    async def hotlines(self, country: str | None = None, topic: str | None = None,
                       language: str | None = None) -> list[Hotline]:
        params = {k: v for k, v in {"country": country, "topic": topic, "language": language}.items() if v}
        try:
            response = await self._http.get("/v1/hotlines", params=params)
            if response.status_code == 200:
                return _hotlines_in(response.json())
        except (httpx.HTTPError, ValueError):
            pass
        return self._safety.hotlines(country, topic, language) if self._safety is not None else []

    async def aclose(self) -> None:
        await self._http.aclose()


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _hotlines_in(payload: Any) -> list[Hotline]:
    """Finds a hotline list in an API body: a bare list, {"hotlines": [...]}, or FastAPI's {"detail": {...}}."""
    if isinstance(payload, dict):
        for key in ("hotlines", "detail", "escalation"):
            if key in payload:
                found = _hotlines_in(payload[key])
                if found:
                    return found
        return []
    if isinstance(payload, list):
        try:
            return _hotlines.validate_python(payload)
        except ValidationError:
            return []
    return []


def _citation(c: dict[str, Any]) -> Citation:
    chunk = Chunk(id=c.get("id") or f"{c['document_id']}#{c['n']}", document_id=c["document_id"], title=c["title"],
                  section=c.get("section", ""), location=c.get("location", ""), text=c.get("text", ""),
                  kind=c.get("kind", "document"))
    return Citation(n=c["n"], chunk=chunk, quote=c.get("quote", ""), score=c.get("score", 0.0))


def answer_from_api(data: dict[str, Any]) -> Answer:
    """The API's AskResponse (api.schemas) back into the shared `Answer` the renderer knows."""
    if "answer" not in data:
        return Answer.model_validate(data)
    frameworks = [
        FrameworkSuggestion(**{k: v for k, v in f.items() if k != "citations"},
                            citations=[_citation(c) for c in f.get("citations", [])])
        for f in data.get("frameworks", [])
    ]
    return Answer(
        text=data["answer"], citations=[_citation(c) for c in data.get("citations", [])], frameworks=frameworks,
        escalation=Escalation.model_validate(data.get("escalation") or {}), abstained=data.get("abstained", False),
        persona=data.get("persona", "migrant"), language=data.get("language", "en"), country=data.get("country"),
        generated_by=data.get("generated_by", "extractive"), timings_ms=data.get("timings_ms", {}),
    )


def as_client(assistant: Any) -> AssistantClient:
    if isinstance(assistant, AssistantClient):  # has async ask/hotlines/aclose already
        return assistant
    return InProcessClient(assistant)
