"""Run a target over the datasets and record, per case, what came back. Scoring happens later, from records.

Records are plain JSON (runs/<ts>/cases.jsonl), so `compare` and `check` work on old runs without re-running.
A failing call (HTTP 503, an exception) is recorded as an error on that case, never a crash of the whole run.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from pydantic import BaseModel, Field
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from evals.datasets import ANSWERABLE, FactualRow, FrameworkRow, OfftopicRow, SafetyRow
from evals.targets import AnswerView, HitView, Target

log = logging.getLogger(__name__)

SEARCH_DEPTH = 10  # hits kept per answerable question: nDCG@10 needs ten
FRAMEWORK_K = 5


class CaseRecord(BaseModel):
    dataset: str
    id: str
    split: str
    input: str
    gold: dict[str, Any] = Field(default_factory=dict)  # the row's expectations, as written in the dataset
    answer: AnswerView | None = None
    hits: list[HitView] = Field(default_factory=list)
    frameworks: list[str] = Field(default_factory=list)  # recommender output, best first
    # Ids of every indexed chunk of a gold document containing a gold phrase (exact qrels); None = unknown,
    # scoring then pools. An empty list means the gold passage is not findable in the index at all.
    gold_chunk_ids: list[str] | None = None
    error: str | None = None
    elapsed_ms: float = 0.0


def _gold_chunk_ids(target: Target, row: FactualRow, cache: dict[str, list[HitView] | None]) -> list[str] | None:
    from evals.metrics import contains_phrase

    ids: list[str] = []
    for doc in row.gold_documents:
        if doc not in cache:
            cache[doc] = target.document_chunks(doc)
        if cache[doc] is None:
            return None
        ids += [c.chunk_id for c in cache[doc] or [] if any(contains_phrase(c.text, p) for p in row.gold_phrases)]
    return ids


def _run_case(target: Target, dataset: str, row: Any, cache: dict[str, Any]) -> CaseRecord:
    gold = row.model_dump(exclude={"id", "split", "question", "text", "situation"})
    if isinstance(row, FrameworkRow):
        record = CaseRecord(dataset=dataset, id=row.id, split=row.split, input=row.situation, gold=gold)
        record.frameworks = target.recommend(row.situation, FRAMEWORK_K)
        return record
    if isinstance(row, SafetyRow):
        record = CaseRecord(dataset=dataset, id=row.id, split=row.split, input=row.text, gold=gold)
        # The row's language is not passed: users do not declare it, so detection is part of what is tested.
        record.answer = target.ask(row.text)
        return record
    assert isinstance(row, (FactualRow, OfftopicRow))
    record = CaseRecord(dataset=dataset, id=row.id, split=row.split, input=row.question, gold=gold)
    persona = getattr(row, "persona", None)
    record.answer = target.ask(row.question, persona=persona)
    if dataset in ANSWERABLE:
        record.hits = target.search(row.question, SEARCH_DEPTH)
        record.gold_chunk_ids = _gold_chunk_ids(target, row, cache)  # type: ignore[arg-type]
    return record


def run_cases(target: Target, datasets: dict[str, list[Any]], show_progress: bool = True) -> list[CaseRecord]:
    total = sum(len(rows) for rows in datasets.values())
    records: list[CaseRecord] = []
    cache: dict[str, Any] = {}  # document id -> its chunks, listed once per run
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, disable=not show_progress, transient=False) as progress:
        task = progress.add_task("evals", total=total)
        for name, rows in datasets.items():
            progress.update(task, description=f"evals: {name}")
            for row in rows:
                start = time.perf_counter()
                try:
                    record = _run_case(target, name, row, cache)
                except Exception as exc:  # noqa: BLE001 - one broken case must not hide the other results
                    log.warning("case %s failed: %s", row.id, type(exc).__name__)
                    text = getattr(row, "question", None) or getattr(row, "text", None) or row.situation
                    record = CaseRecord(
                        dataset=name, id=row.id, split=row.split, input=text,
                        gold=row.model_dump(exclude={"id", "split", "question", "text", "situation"}),
                        error=f"{type(exc).__name__}: {exc}"[:500],
                    )
                record.elapsed_ms = round((time.perf_counter() - start) * 1000, 2)
                records.append(record)
                progress.advance(task)
    return records
