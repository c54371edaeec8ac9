"""The question bank: for each document, questions its passages answer, tied to the answer by quoted words.

Search embeds these questions and lets the nearest ones vote for the passage that holds their anchor: document
expansion by likely questions ("doc2query", Nogueira et al. 2019). It helps most when people ask in their own
words ("can my agency keep my passport") about a passage written in policy language ("withholding workers'
travel and employment documents").

Anchors are quoted text, not chunk ids, so re-chunking or an edit elsewhere in the document keeps a question
attached to its passage. A question whose anchor no longer occurs is dropped and counted, never guessed.

File: `knowledge/questions/<document_id>.jsonl`, one object per line:
    {"anchor": "<6-25 words copied from the passage>", "question": "...", "asker": "practitioner"|"migrant"}
A document without a file simply has no questions.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.errors import KnowledgeError
from knowledge.guides import find_quote
from knowledge.schema import Chunk


class BankQuestion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    anchor: str = Field(min_length=10, max_length=400)
    question: str = Field(min_length=5, max_length=500)
    asker: Literal["practitioner", "migrant"]


@dataclass(frozen=True)
class AttachedQuestion:
    """A bank question resolved to the chunk that holds its anchor; `id` changes when either changes."""

    id: str
    chunk_id: str
    document_id: str
    text: str


def load_bank_file(path: Path) -> list[BankQuestion]:
    out: list[BankQuestion] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(f"{path}: cannot read ({exc})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append(BankQuestion.model_validate(json.loads(line)))
        except (ValueError, ValidationError) as exc:
            raise KnowledgeError(f"{path}:{number}: not a bank question ({exc})") from exc
    return out


def load_bank(questions_dir: Path, document_ids: set[str]) -> dict[str, list[BankQuestion]]:
    """The bank files of the given documents that exist under `questions_dir` (none at all is fine)."""
    questions_dir = Path(questions_dir)
    return {
        doc_id: load_bank_file(questions_dir / f"{doc_id}.jsonl")
        for doc_id in sorted(document_ids)
        if (questions_dir / f"{doc_id}.jsonl").is_file()
    }


def attach(chunks: list[Chunk], bank: list[BankQuestion]) -> tuple[list[AttachedQuestion], int]:
    """Each question goes to every chunk of its document whose text holds its anchor (two, when the anchor sits
    in the overlap between neighbours). Returns the attached questions and how many anchors were not found."""
    attached: list[AttachedQuestion] = []
    unresolved = 0
    lowered = [c.text.lower() for c in chunks]
    for q in bank:
        # a plain substring test first: the tolerant regex on every chunk for every question was most of an
        # unchanged re-ingest (2,392 questions x ~80 chunks)
        key = max(re.findall(r"[a-z0-9]+", q.anchor.lower()), key=len, default="")
        # the same tolerant match as the tool guides' quotes: case, line breaks and typographic quotes do not matter
        holders = [c for c, low in zip(chunks, lowered) if key in low and find_quote(c.text, q.anchor)]
        unresolved += not holders
        for c in holders:
            qid = "q-" + hashlib.sha256(f"{c.id}\n{q.question}".encode()).hexdigest()[:24]
            attached.append(AttachedQuestion(qid, c.id, c.document_id, q.question))
    return list({a.id: a for a in attached}.values()), unresolved
