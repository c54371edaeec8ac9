"""The one facade every face uses: `Assistant.ask(question, ...) -> Answer`.

A turn: triage (rules first; needs no model) -> escalation -> hybrid search under a deadline -> abstention or a
cited answer (extractive, or an LLM's checked against its citations) -> framework suggestions for practitioners.
A crisis never waits on retrieval: an urgent message is answered from the hotline directory before any search,
and if search fails or hangs the caller still gets the hotlines (`RetrievalUnavailable.escalation`).
"""
from __future__ import annotations

import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from retrieval import abstain
from retrieval.compose import Composition, compose
from retrieval.errors import ConfigError, PassageError, RetrievalUnavailable
from retrieval.facets import describes_case
from retrieval.frameworks import is_framework_question
from retrieval.persona import infer_persona
from retrieval.safety import HotlineDirectory, Triage, build_escalation, hotline_text, model_raised
from retrieval.settings import Settings
from retrieval.types import Answer, Citation, Escalation, FrameworkSuggestion, Hit, Hotline, Persona

log = logging.getLogger(__name__)
# When only a classifier saw danger, the cited answer after the hotlines may wait this long for search, no more.
URGENT_ANSWER_DEADLINE_S = 1.0


class RetrievalDown(RetrievalUnavailable):
    """Search failed for a non-urgent question; `escalation` still carries the hotlines to show."""

    def __init__(self, message: str, escalation: Escalation) -> None:
        super().__init__(message)
        self.escalation = escalation


@dataclass
class _Clock:
    start: float = field(default_factory=time.perf_counter)
    marks: dict[str, float] = field(default_factory=dict)
    _last: float = field(default=0.0)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.marks[name] = round((now - (self._last or self.start)) * 1000, 2)
        self._last = now

    def done(self) -> dict[str, float]:
        self.marks["total"] = round((time.perf_counter() - self.start) * 1000, 2)
        return dict(self.marks)


class Assistant:
    def __init__(
        self,
        settings: Settings,
        *,
        directory: Any,
        triage: Any,
        index: Any | None,
        recommender: Any | None = None,
        generator: Any | None = None,
        index_error: str | None = None,
    ) -> None:
        self.settings = settings
        self.directory = directory
        self.triage = triage
        self.index = index
        self.frameworks = recommender
        self.generator = generator
        self.index_error = index_error
        # Searches run here so a hung Chroma cannot hold the caller past the deadline.
        self._pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="search")

    @classmethod
    def from_settings(cls, settings: Settings) -> Assistant:
        """Build every heavy object once. Only a broken hotline directory is fatal: without it no one is safe."""
        directory = HotlineDirectory.load(settings.hotlines_file)
        embedder = index = recommender = generator = None
        index_error = None
        try:
            from retrieval.embedder import get_embedder, set_threads

            set_threads(settings.torch_threads)
            embedder = get_embedder(settings)
        except PassageError as exc:
            index_error = f"embedder: {exc}"
            log.error("embedding model unavailable: %s", type(exc).__name__)
        triage = Triage(embedder)
        triage.warm()  # fit the classifiers now, not on a person's first message
        triage.assess("warm-up")  # and load the language identifier
        if embedder is not None:
            try:
                from retrieval.index import Index

                index = Index.open(settings, embedder=embedder)
                _warm_sentences(index)
            except PassageError as exc:
                index_error = f"index: {exc}"
                log.error("index unavailable: %s", exc)
            recommender = _build_recommender(settings, embedder, index)
        if settings.llm_model:
            from retrieval.llm import Generator

            generator = Generator.from_settings(settings)
        return cls(
            settings,
            directory=directory,
            triage=triage,
            index=index,
            recommender=recommender,
            generator=generator,
            index_error=index_error,
        )

    # -- the turn -------------------------------------------------------------------------------------------

    def ask(
        self,
        question: str,
        persona: Persona | None = None,
        language: str | None = None,
        country: str | None = None,
    ) -> Answer:
        clock = _Clock()
        question = question.strip()
        country = country.upper() if country else None
        persona = persona or infer_persona(question)
        # A practitioner describing a case is not the person in danger, unless the danger is happening now.
        result = self.triage.assess(question, language, persona=persona)
        lang = language or result.language
        escalation = build_escalation(result, self.directory, country, self.settings.operators_available)
        clock.lap("triage")
        common = {"persona": persona, "language": lang, "country": country, "escalation": escalation}
        if escalation.level == "urgent":
            # The hotline reply comes first: nothing may come before the number.
            if not model_raised(escalation.reasons):
                return Answer(text=escalation.message, generated_by="escalation", timings_ms=clock.done(), **common)
            # Only a classifier saw danger, and classifiers also fire on rights questions ("can they detain a
            # child?"): after the hotlines, the cited answer, when search gives one in time.
            return self._urgent_with_answer(question, persona, escalation, clock, common)

        try:
            # Answers quote the corpus itself; guides (our summaries) reach people through `frameworks`.
            hits = self._search_within_deadline(question, k=8, kind="document")
        except RetrievalUnavailable as exc:
            raise RetrievalDown(str(exc), self._fallback_escalation(escalation, country, lang)) from exc
        clock.lap("search")

        verdict = abstain.decide(question, hits)
        frameworks = self._frameworks(question, persona) if not verdict.abstain else []
        if verdict.abstain and not frameworks:
            text = _with_escalation(abstain.refusal_text(lang), escalation)
            if escalation.level == "none" and not abstain.has_refusal(lang):
                # The refusal is in English; who can help is at least said in the person's language.
                text = f"{text}\n\n{self._people_who_help(country, lang)}"
            clock.lap("compose")
            return Answer(
                text=text, abstained=True, generated_by="abstention", timings_ms=clock.done(), **common
            )

        # A case description may match no passage well and still name the frameworks that apply.
        composition = compose(question, hits, persona) if not verdict.abstain else Composition("", [])
        text, citations, generated_by = composition.text, composition.citations, "extractive"
        if self.generator is not None and composition.citations:
            generated = self.generator.generate(question, hits, persona, fallback=composition)
            text, citations, generated_by = generated.text, generated.citations, generated.generated_by
        if frameworks:
            # A described case is answered by the instruments that apply; a direct question ("which article
            # guarantees...") by the passage that answers it, with the instruments named after it.
            lead = describes_case(question) or not citations
            text, citations = _name_frameworks(text, citations, frameworks, lead=lead)
        clock.lap("compose")
        return Answer(
            text=_with_escalation(text, escalation),
            citations=citations,
            frameworks=frameworks,
            generated_by=generated_by,
            timings_ms=clock.done(),
            **common,
        )

    def _urgent_with_answer(
        self, question: str, persona: Persona, escalation: Escalation, clock: _Clock, common: dict[str, Any]
    ) -> Answer:
        citations: list[Citation] = []
        text = escalation.message
        try:
            # a short deadline: the numbers must not wait on a slow search
            deadline = min(URGENT_ANSWER_DEADLINE_S, self.settings.retrieval_deadline_s)
            hits = self._search_within_deadline(question, k=8, kind="document", deadline_s=deadline)
            if not abstain.decide(question, hits).abstain:
                composition = compose(question, hits, persona)
                if composition.citations:
                    text, citations = f"{escalation.message}\n\n{composition.text}", composition.citations
        except Exception as exc:  # noqa: BLE001 — nothing may stand between a person in danger and the numbers
            log.warning("urgent reply without a cited answer: %s", type(exc).__name__)
        clock.lap("search")
        generated_by = "escalation+extractive" if citations else "escalation"
        return Answer(
            text=text, citations=citations, generated_by=generated_by, timings_ms=clock.done(), **common
        )

    # -- the other things faces need ------------------------------------------------------------------------

    def search(self, q: str, k: int = 5) -> list[Hit]:
        return self._search_within_deadline(q, k)

    def documents(self) -> list[dict[str, Any]]:
        from knowledge.errors import KnowledgeError
        from knowledge.manifest import load_manifest

        counts = self._index().documents() if self.index is not None else {}
        try:
            manifest = load_manifest(self.settings.documents_dir)
        except KnowledgeError as exc:
            raise ConfigError(str(exc)) from exc
        entries = [{**meta.model_dump(), "chunks": counts.get(meta.id, 0)} for meta in manifest]
        known = {e["id"] for e in entries}
        entries += [{"id": doc_id, "chunks": n} for doc_id, n in counts.items() if doc_id not in known]
        return entries

    def ready(self) -> dict[str, Any]:
        if self.index is None:
            return {"ready": False, "chunks": 0, "error": self.index_error or "index not loaded"}
        try:
            chunks = self.index.count()
        except PassageError as exc:
            return {"ready": False, "chunks": 0, "error": str(exc)}
        return {"ready": chunks > 0, "chunks": chunks, "llm": bool(self.generator)}

    def hotlines(
        self, country: str | None = None, topic: str | None = None, language: str | None = None
    ) -> list[Hotline]:
        return self.directory.find(country, [topic] if topic else None, language)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- internals ------------------------------------------------------------------------------------------

    def _index(self) -> Any:
        if self.index is None:
            raise RetrievalUnavailable(self.index_error or "the index is not loaded")
        return self.index

    def _search_within_deadline(
        self, q: str, k: int, kind: str | None = None, deadline_s: float | None = None
    ) -> list[Hit]:
        index = self._index()
        deadline_s = deadline_s or self.settings.retrieval_deadline_s
        future = self._pool.submit(index.search, q, k, self.settings.search_mode, kind)
        try:
            return future.result(timeout=deadline_s)
        except FutureTimeout as exc:
            future.cancel()
            raise RetrievalUnavailable(f"search missed its {deadline_s}s deadline") from exc
        except PassageError as exc:
            raise RetrievalUnavailable(str(exc)) from exc
        except Exception as exc:  # a library error that escaped the index boundary must not reach a person
            log.exception("search failed")
            raise RetrievalUnavailable(type(exc).__name__) from exc

    def _people_who_help(self, country: str | None, language: str) -> str:
        found = self.directory.find(country, None, language)[:3]
        return hotline_text(Escalation(hotlines=found), language)

    def _fallback_escalation(self, escalation: Escalation, country: str | None, language: str) -> Escalation:
        if escalation.hotlines:
            return escalation
        return escalation.model_copy(update={"hotlines": self.directory.find(country, None, language)})

    def _frameworks(self, question: str, persona: Persona) -> list[FrameworkSuggestion]:
        if persona != "practitioner" or self.frameworks is None:
            return []
        if not is_framework_question(question):
            return []
        return self.frameworks.recommend(question, k=5)


def _warm_sentences(index: Any) -> None:
    """Segment every passage once at start-up (a few seconds) instead of during a person's first questions."""
    from retrieval.textutil import sentence_spans

    for chunk in index.chunks_of_kind("document"):
        sentence_spans(chunk.text)


def _build_recommender(settings: Settings, embedder: Any, index: Any) -> Any | None:
    try:
        from knowledge.guides import load_guides
        from retrieval.frameworks import FrameworkRecommender

        return FrameworkRecommender(load_guides(settings.guides_dir), embedder, index)
    except (ImportError, ValueError, PassageError) as exc:
        log.error("framework recommender unavailable: %s", exc)
        return None


def _with_escalation(text: str, escalation: Escalation) -> str:
    if escalation.level == "refer" and escalation.message:
        return f"{text}\n\n{escalation.message}"
    return text


def _readable_reasons(why: list[str]) -> str:
    """'population: domestic_workers' -> 'domestic workers'; score lines are for the API, not for prose."""
    facets = [w.split(": ", 1)[-1].replace("_", " ") for w in why if not w.startswith(("scores:", "penalised"))]
    return ", ".join(facets[:3])


def _name_frameworks(
    text: str, citations: list[Citation], frameworks: list[FrameworkSuggestion], lead: bool
) -> tuple[str, list[Citation]]:
    """One cited sentence per suggested framework, before the answer (`lead`) or after it; markers renumbered."""
    named: list[Citation] = []
    sentences: list[str] = []
    first = 1 if lead else len(citations) + 1
    for fw in frameworks[:3]:
        marks = ""
        for cit in fw.citations[:1]:
            named.append(cit.model_copy(update={"n": first + len(named)}))
            marks = f" [{first + len(named) - 1}]"
        reasons = _readable_reasons(fw.why)
        sentences.append(f"{fw.name} applies here ({reasons}).{marks}" if reasons else f"{fw.name} applies.{marks}")
    names = " ".join(sentences)
    if not lead:
        return (f"{text}\n\n{names}" if text else names), citations + named
    shift = len(named)
    body = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", text)
    moved = [c.model_copy(update={"n": c.n + shift}) for c in citations]
    return names + (f"\n\n{body}" if body else ""), named + moved
