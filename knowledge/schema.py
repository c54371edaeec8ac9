"""Schemas shared by everything that reads the corpus.

`Chunk` is the unit that is embedded, searched and cited. It lives here (not in `retrieval/`) because the loaders
in `knowledge/` produce it and `knowledge/` imports nothing of the project; `retrieval.types` re-exports it.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChunkKind = Literal["document", "guide"]


class DocumentMeta(BaseModel):
    """One manifest entry: a document of the corpus."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=3)
    issuer: str
    date: str  # ISO date or year, as precise as the source allows
    language: str = Field(pattern=r"^[a-z]{2}$")
    file: str  # file name under knowledge/documents/
    original_file: str  # the seed's file name


class Chunk(BaseModel):
    """A citable passage: which document, where in it a human can find it, and its text."""

    model_config = ConfigDict(frozen=True)

    id: str  # stable: derived from document id and content
    document_id: str
    title: str  # document (or guide) title
    section: str = ""  # section heading the passage sits under
    location: str  # human-findable: "§ Rescue at sea, para. 3" or "p. 4"
    text: str
    kind: ChunkKind = "document"
    position: int = 0  # order within the document, for display and context

