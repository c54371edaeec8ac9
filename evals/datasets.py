"""The eval datasets: one JSONL file per kind under evals/datasets/, one case per line, validated here.

Validation is strict on purpose: a malformed row would silently turn into a wrong metric, so loading stops with
`file:line: reason` instead. Schemas are documented in evals/README.md.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
Split = Literal["dev", "heldout"]
Subset = Literal["dev", "heldout", "all"]
Language = Literal["en", "fr", "es", "pt", "ar", "tl", "id", "ms", "ne", "hi", "bn"]


class DatasetError(ValueError):
    """A dataset file cannot be used; the message names file:line and the reason."""


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")
    split: Split


def _non_blank(values: list[str]) -> list[str]:
    if any(not v.strip() for v in values):
        raise ValueError("blank entries are not allowed")
    return values


class FactualRow(_Row):
    question: str = Field(min_length=3)
    persona: Literal["migrant", "practitioner"] | None = None
    gold_documents: list[str] = Field(min_length=1)
    # Distinctive exact substrings of the passage that answers; matched whitespace- and case-normalised.
    gold_phrases: list[str] = Field(min_length=1)

    _check_docs = field_validator("gold_documents")(_non_blank)

    @field_validator("gold_phrases")
    @classmethod
    def _phrases_distinctive(cls, values: list[str]) -> list[str]:
        _non_blank(values)
        short = [v for v in values if len(v.split()) < 2 and len(v) < 8]
        if short:
            raise ValueError(f"gold phrases too short to be distinctive: {short}")
        return values


class MigrantRow(FactualRow):
    persona: Literal["migrant", "practitioner"] | None = "migrant"


class OfftopicRow(_Row):
    question: str = Field(min_length=3)
    tags: list[str] = Field(default_factory=list)


class FrameworkRow(_Row):
    situation: str = Field(min_length=10)
    expected: list[str] = Field(min_length=1)
    forbidden: list[str] = Field(default_factory=list)

    @field_validator("forbidden")
    @classmethod
    def _disjoint(cls, forbidden: list[str], info) -> list[str]:  # type: ignore[no-untyped-def]
        both = set(forbidden) & set(info.data.get("expected", []))
        if both:
            raise ValueError(f"ids both expected and forbidden: {sorted(both)}")
        return forbidden


class SafetyRow(_Row):
    text: str = Field(min_length=1)
    language: Language
    expected_level: Literal["none", "refer", "urgent"]
    tags: list[str] = Field(default_factory=list)


Row = FactualRow | MigrantRow | OfftopicRow | FrameworkRow | SafetyRow
SCHEMAS: dict[str, type[_Row]] = {
    "factual": FactualRow,
    "migrant": MigrantRow,
    "offtopic": OfftopicRow,
    "frameworks": FrameworkRow,
    "safety": SafetyRow,
}
# The answerable sets (cited answers expected) and the one that must be refused.
ANSWERABLE = ("factual", "migrant")


def _reason(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "row"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def load_file(path: Path, schema: type[_Row]) -> list[_Row]:
    """Every row of one JSONL file, or DatasetError naming the first bad line. Blank lines are skipped."""
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read ({exc.strerror})") from exc
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise DatasetError(f"{path}:{lineno}: expected a JSON object, got {type(data).__name__}")
        try:
            row = schema.model_validate(data)
        except ValidationError as exc:
            raise DatasetError(f"{path}:{lineno}: {_reason(exc)}") from exc
        if row.id in seen:
            raise DatasetError(f"{path}:{lineno}: duplicate id {row.id!r} (first on line {seen[row.id]})")
        seen[row.id] = lineno
        rows.append(row)
    return rows


def load_datasets(
    names: list[str] | None = None,
    subset: Subset = "all",
    directory: Path = DATASETS_DIR,
    limit: int | None = None,
) -> dict[str, list[_Row]]:
    """The named datasets (all known ones by default) that exist in `directory`, filtered by split.

    A missing file is skipped (other people write some sets concurrently); an unknown name is an error.
    `limit` keeps the first N rows of each set, in file order, so a subset is the same on every run.
    """
    unknown = [n for n in names or [] if n not in SCHEMAS]
    if unknown:
        raise DatasetError(f"unknown dataset(s) {unknown}; known: {sorted(SCHEMAS)}")
    out: dict[str, list[_Row]] = {}
    all_ids: dict[str, str] = {}
    for name in names or list(SCHEMAS):
        path = directory / f"{name}.jsonl"
        if not path.exists():
            continue
        rows = load_file(path, SCHEMAS[name])
        for row in rows:
            if row.id in all_ids:
                raise DatasetError(f"{path}: id {row.id!r} is also used in {all_ids[row.id]}.jsonl")
            all_ids[row.id] = name
        rows = [r for r in rows if subset == "all" or r.split == subset]
        out[name] = rows[:limit] if limit is not None else rows
    return out
