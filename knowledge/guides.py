"""Tool guides: one YAML file per framework or practical tool the corpus names.

A guide says what an instrument is, when it applies (and when it does not), to whom, at which migration stage,
and where the corpus discusses it (`mentioned_in`: a document id and an exact short quote). Guides are indexed
and cited like documents (`guide_chunks`), and the framework recommender matches situations against them.

The facet vocabularies (`Population`, `Stage`, `Harm`) are closed on purpose: the recommender reads the same
facets from a practitioner's text, so a typo in a guide must fail loudly instead of silently never matching.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from knowledge.errors import KnowledgeError
from knowledge.schema import Chunk

__all__ = [
    "Guide",
    "KnowledgeError",
    "Mention",
    "check_quotes",
    "find_quote",
    "guide_chunks",
    "load_guide",
    "load_guides",
    "normalise_ws",
    "render_guide",
]

Kind = Literal[
    "binding_treaty",  # conventions, covenants, protocols open to ratification
    "interpretive_guidance",  # treaty-body general comments and recommendations
    "declaration",
    "compact",
    "plan_of_action",
    "framework",
    "guidelines",
    "principles",
    "standards",
    "code_of_practice",
    "handbook",
    "checklist",
    "initiative",
]
Population = Literal[
    "all_migrants",
    "migrant_workers",
    "domestic_workers",
    "health_workers",
    "seafarers",
    "women",
    "children",
    "unaccompanied_children",
    "families",
    "refugees",
    "trafficking_victims",
    "smuggled_migrants",
    "undocumented",
    "stranded",
    "stateless",
    "rescued_at_sea",
    "civilians",
]
Stage = Literal[
    "departure",
    "recruitment",
    "transit",
    "at_sea",
    "border",
    "detention",
    "destination_work",
    "crisis",
    "return",
]
Harm = Literal[
    "forced_labour",
    "trafficking",
    "smuggling",
    "wage_theft",
    "document_confiscation",
    "recruitment_abuse",
    "discrimination",
    "gender_violence",
    "child_labour",
    "refoulement",
    "distress_at_sea",
    "armed_conflict",
    "disaster",
    "consular_access",
    "union_rights",
    "workplace_injury",
    "social_protection",
    "statelessness",
    "family_separation",
    "health_access",
    "arbitrary_detention",
    "labour_exploitation",
]
FacetTag = Literal[Population, Stage, Harm]  # type: ignore[valid-type]

POPULATIONS: frozenset[str] = frozenset(get_args(Population))
STAGES: frozenset[str] = frozenset(get_args(Stage))
HARMS: frozenset[str] = frozenset(get_args(Harm))

_ID = r"^[a-z0-9][a-z0-9-]*$"


class Mention(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    document_id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    quote: str = Field(min_length=12, max_length=300)


class Guide(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=3)
    aliases: list[str] = Field(default_factory=list)  # other names and abbreviations ("ICRMW", "C189")
    issuer: str = Field(min_length=2)
    year: int | None = Field(None, ge=1900, le=2100)  # year of adoption, when settled
    kind: Kind
    summary: str = Field(min_length=20)
    applies_when: list[str] = Field(min_length=1)
    populations: list[Population] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=1)
    harms: list[Harm] = Field(default_factory=list)
    key_provisions: list[str] = Field(min_length=1)
    how_to_use: str = Field(min_length=20)
    related: list[str] = Field(default_factory=list)
    not_for: list[FacetTag] = Field(default_factory=list)  # facets that contradict this guide
    mentioned_in: list[Mention] = Field(min_length=1)

    @property
    def binding(self) -> bool:
        return self.kind == "binding_treaty"

    @field_validator("related")
    @classmethod
    def _related_ids(cls, value: list[str]) -> list[str]:
        for rid in value:
            if not re.match(_ID, rid):
                raise ValueError(f"related id {rid!r} is not a guide id")
        return value

    @model_validator(mode="after")
    def _not_for_disjoint(self) -> Guide:
        # A guide that lists a facet both as its own and as a contradiction could never be recommended.
        clash = set(self.not_for) & (set(self.populations) | set(self.stages) | set(self.harms))
        if clash:
            raise ValueError(f"not_for repeats the guide's own facets: {sorted(clash)}")
        if self.id in self.related:
            raise ValueError("a guide cannot be related to itself")
        return self

    def facets(self) -> frozenset[str]:
        return frozenset(self.populations) | frozenset(self.stages) | frozenset(self.harms)


def _field_path(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "<root>"


def load_guide(path: Path) -> Guide:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path.name}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{path.name}: expected a mapping of guide fields at the top level")
    try:
        guide = Guide.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise KnowledgeError(
            f"{path.name}: field '{_field_path(first['loc'])}': {first['msg']} ({exc.error_count()} error(s))"
        ) from exc
    if guide.id != path.stem:
        raise KnowledgeError(f"{path.name}: field 'id': {guide.id!r} must match the file name {path.stem!r}")
    return guide


def load_guides(guides_dir: Path) -> list[Guide]:
    """Every `*.yaml` guide under `guides_dir`, validated, sorted by id; cross-references checked."""
    guides_dir = Path(guides_dir)
    if not guides_dir.is_dir():
        raise KnowledgeError(f"{guides_dir}: guides directory not found")
    guides = [load_guide(p) for p in sorted(guides_dir.glob("*.yaml"))]
    if not guides:
        raise KnowledgeError(f"{guides_dir}: no guide files (*.yaml)")
    ids = {g.id for g in guides}
    for g in guides:
        for rid in g.related:
            if rid not in ids:
                raise KnowledgeError(f"{g.id}.yaml: field 'related': unknown guide id {rid!r}")
    return guides


def normalise_ws(text: str) -> str:
    """Collapse whitespace so quotes survive line breaks and PDF spacing artefacts."""
    return re.sub(r"\s+", " ", text).strip()


_SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b\u2032"
_DOUBLE_QUOTES = '"\u201c\u201d\u201e\u2033'
_DASHES = "-\u2013\u2014"  # the documents mix hyphens and dashes for the same aside


def _char_pattern(c: str) -> str:
    # the cleaner straightens typographic quotes: a quote copied from the raw text must still match a chunk
    if c in _SINGLE_QUOTES:
        return f"[{_SINGLE_QUOTES}]"
    if c in _DOUBLE_QUOTES:
        return f"[{_DOUBLE_QUOTES}]"
    if c in _DASHES:
        return f"[{_DASHES}]"
    return re.escape(c)


@lru_cache(maxsize=1024)
def _quote_pattern(quote: str) -> re.Pattern[str]:
    # compiled once per quote: framework suggestions look the same quotes up on every practitioner turn
    words = normalise_ws(quote).split(" ")
    return re.compile(r"\s+".join("".join(_char_pattern(c) for c in w) for w in words), re.IGNORECASE)


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Span of `quote` in `text`, tolerant to case, whitespace, typographic-quote and dash differences."""
    m = _quote_pattern(quote).search(text)
    return (m.start(), m.end()) if m else None


def check_quotes(guides: list[Guide], documents: dict[str, str]) -> list[str]:
    """Problems (empty = all good): each `mentioned_in` quote must occur in the raw text of its document."""
    problems: list[str] = []
    for g in guides:
        for m in g.mentioned_in:
            text = documents.get(m.document_id)
            if text is None:
                problems.append(f"{g.id}: unknown document {m.document_id!r}")
            elif find_quote(text, m.quote) is None:
                problems.append(f"{g.id}: quote not found in {m.document_id}: {m.quote!r}")
    return problems


_KIND_LABEL = {k: k.replace("_", " ") for k in get_args(Kind)}


def render_guide(guide: Guide) -> str:
    """Readable plain text of a guide: what gets embedded and what a citation shows."""
    lines = [guide.name]
    if guide.aliases:
        lines.append("Also known as: " + ", ".join(guide.aliases))
    year = f", {guide.year}" if guide.year else ""
    lines.append(f"{_KIND_LABEL[guide.kind].capitalize()} by {guide.issuer}{year}.")
    lines.append(guide.summary)
    lines.append("Applies when: " + "; ".join(guide.applies_when) + ".")
    lines.append("Key provisions: " + " ".join(f"- {p}" for p in guide.key_provisions))
    lines.append("How a practitioner uses it: " + guide.how_to_use)
    return "\n".join(lines)


def guide_chunks(guides: list[Guide]) -> list[Chunk]:
    """One chunk per guide (kind="guide"); the id changes only when the rendered content changes."""
    chunks: list[Chunk] = []
    for g in sorted(guides, key=lambda x: x.id):
        text = render_guide(g)
        digest = hashlib.sha1(f"{g.id}\n{text}".encode()).hexdigest()[:16]
        chunks.append(
            Chunk(
                id=f"guide:{g.id}:{digest}",
                document_id=g.id,
                title=g.name,
                section="",
                location="tool guide",
                text=text,
                kind="guide",
                position=0,  # a guide is a single chunk
            )
        )
    return chunks
