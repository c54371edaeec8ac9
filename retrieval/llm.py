"""Optional generation: an LLM (LangChain `init_chat_model`) writes the answer from the retrieved chunks.

Nothing it writes reaches a person unchecked: each sentence must cite a passage it was given, and the passage
must contain the sentence's content words (the same support check the evals use). Unsupported sentences are
dropped; if nothing survives, or the LLM is unreachable, slow or malformed, the extractive answer stands.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from retrieval.compose import Composition
from retrieval.errors import GenerationUnavailable
from retrieval.settings import Settings
from retrieval.textutil import cited_numbers, content_terms, overlap, sentence_spans, sentences, strip_markers
from retrieval.types import Citation, Hit, Persona

log = logging.getLogger(__name__)

# A sentence is supported when this share of its content words occurs in the passage it cites.
SUPPORT_THRESHOLD = 0.6
PASSAGES = 5

_SYSTEM = (
    "You answer questions about the rights and protection of migrants using ONLY the numbered passages given. "
    "End every sentence with the marker of the passage that supports it, like [1]. Do not add facts that are "
    "not in the passages. If the passages do not answer the question, say that you cannot answer from them. "
    "{style}"
)
_STYLE = {
    "migrant": "Write two or three short, plain sentences for a migrant, without jargon.",
    "practitioner": "Write a precise answer of up to five sentences for a caseworker, naming the documents.",
}


@dataclass(frozen=True)
class Generated:
    text: str
    citations: list[Citation]
    generated_by: Literal["llm", "extractive"]


def supported(sentence: str, passage: str) -> bool:
    terms = set(content_terms(strip_markers(sentence)))
    return bool(terms) and overlap(terms, passage) >= SUPPORT_THRESHOLD


def _best_quote(sentence: str, passage: str) -> str:
    terms = set(content_terms(strip_markers(sentence)))
    spans = sentence_spans(passage)
    if not spans:
        return passage
    start, end = max(spans, key=lambda s: overlap(terms, passage[s[0] : s[1]]))
    return passage[start:end]


def check(reply: str, hits: list[Hit]) -> tuple[str, list[Citation]]:
    """Keep the reply's sentences that cite a given passage which supports them; renumber citations 1..m."""
    kept: list[str] = []
    renumber: dict[int, int] = {}
    citations: list[Citation] = []
    for sentence in sentences(reply):
        marks = [n for n in cited_numbers(sentence) if 1 <= n <= len(hits)]
        if not marks or not any(supported(sentence, hits[n - 1].chunk.text) for n in marks):
            continue
        n = next(m for m in marks if supported(sentence, hits[m - 1].chunk.text))
        if n not in renumber:
            renumber[n] = len(renumber) + 1
            hit = hits[n - 1]
            citations.append(
                Citation(n=renumber[n], chunk=hit.chunk, quote=_best_quote(sentence, hit.chunk.text), score=hit.score)
            )
        kept.append(f"{strip_markers(sentence)} [{renumber[n]}]")
    return " ".join(kept), citations


def chat_model(settings: Settings) -> Any:
    """The configured chat model: deterministic, bounded by LLM_TIMEOUT_S, no hidden retries."""
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"temperature": 0, "timeout": settings.llm_timeout_s, "max_retries": 0}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    if settings.llm_api_key is not None:
        kwargs["api_key"] = settings.llm_api_key.get_secret_value()
    return init_chat_model(settings.llm_model, model_provider=settings.llm_provider, **kwargs)


class Generator:
    def __init__(self, model: Any) -> None:
        self.model = model

    @classmethod
    def from_settings(cls, settings: Settings) -> Generator:
        return cls(chat_model(settings))

    def _complete(self, question: str, hits: list[Hit], persona: Persona) -> str:
        passages = "\n\n".join(
            f"[{i}] {h.chunk.title} ({h.chunk.location}):\n{h.chunk.text}" for i, h in enumerate(hits, 1)
        )
        messages = [
            ("system", _SYSTEM.format(style=_STYLE[persona])),
            ("human", f"Passages:\n\n{passages}\n\nQuestion: {question}"),
        ]
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:  # any provider/network failure means the same thing here
            raise GenerationUnavailable(type(exc).__name__) from exc
        content = getattr(reply, "content", None)
        if not isinstance(content, str) or not content.strip():
            raise GenerationUnavailable("empty or non-text reply")
        return content

    def generate(self, question: str, hits: list[Hit], persona: Persona, fallback: Composition) -> Generated:
        top = hits[:PASSAGES]
        try:
            text, citations = check(self._complete(question, top, persona), top)
        except GenerationUnavailable as exc:
            log.warning("LLM unavailable, using the extractive answer: %s", exc)
            return Generated(fallback.text, fallback.citations, "extractive")
        if not citations:
            log.info("LLM reply had no supported sentence; using the extractive answer")
            return Generated(fallback.text, fallback.citations, "extractive")
        return Generated(text, citations, "llm")
