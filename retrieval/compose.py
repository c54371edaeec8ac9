"""The offline answer composer: pick the sentences of the top chunks that best answer the question and cite each.

Every sentence of the answer is an exact sentence of a retrieved chunk followed by its `[n]` marker, so nothing
is said that a reader cannot check. Migrants get two or three plain sentences; practitioners get a fuller answer
that names the documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.textutil import content_terms, overlap, sentence_spans
from retrieval.types import Citation, Hit, Persona

# Sentences shorter than this are headings or fragments; longer ones are run-on extraction artefacts.
_MIN_CHARS, _MAX_CHARS = 40, 600


_BRACKET_NUMBER = re.compile(r"\[\d+\]")
_URL = re.compile(r"https?://|www\.")
# Where a run-on sentence (a numbered recommendation of 600+ characters) may be cut into quotable clauses.
_CLAUSE_END = re.compile(r"[;:](?=\s)|,(?=\s+(?:including|in particular|and|or|as well as|such as)\b)")


def clause_spans(text: str, start: int, end: int, limit: int = _MAX_CHARS) -> list[tuple[int, int]]:
    """A sentence longer than `limit` as consecutive clauses of at most `limit` characters (exact spans of
    `text`, so a quote stays checkable); a shorter sentence unchanged."""
    if end - start <= limit:
        return [(start, end)]
    cuts = [m.end() for m in _CLAUSE_END.finditer(text, start, end)] + [end]
    spans: list[tuple[int, int]] = []
    left = previous = start
    for cut in cuts:
        if cut - left > limit and previous > left:  # the window is full: close it at the previous clause
            spans.append((left, previous))
            left = previous
        previous = cut
    spans.append((left, end))  # a single clause over the limit stays whole; the caller filters it
    return [(s + len(text[s:e]) - len(text[s:e].lstrip()), e) for s, e in spans]


def _answers(sentence: str) -> bool:
    """A question (the corpus has lists of guiding questions) answers nothing, and a bracketed number in the
    corpus (reference lists) would read like one of our citation markers."""
    return not sentence.rstrip().endswith("?") and not _BRACKET_NUMBER.search(sentence) and not _URL.search(sentence)


@dataclass(frozen=True)
class Composition:
    text: str
    citations: list[Citation]


@dataclass(frozen=True)
class _Candidate:
    hit_rank: int
    start: int
    end: int
    score: float


def _candidates(question_terms: set[str], hits: list[Hit]) -> list[_Candidate]:
    out: list[_Candidate] = []
    for rank, hit in enumerate(hits):
        text = hit.chunk.text
        for start, end in (c for s, e in sentence_spans(text) for c in clause_spans(text, s, e)):
            sentence = text[start:end]
            if not _MIN_CHARS <= end - start <= _MAX_CHARS or not _answers(sentence):
                continue
            # Lexical fit of the sentence, discounted by how far down the fused ranking its chunk sits.
            fit = overlap(question_terms, text[start:end])
            out.append(_Candidate(rank, start, end, fit + 1.0 / (rank + 2)))
    return out


def select(question: str, hits: list[Hit], persona: Persona) -> list[tuple[int, int, int]]:
    """Chosen (hit index, start, end) spans, in the order they should be read.

    The top hit always contributes its best sentence first: fusion ranked it highest, and readers check the
    first citation first.
    """
    # One sentence per passage: several passages give a reader more to check than two sentences of one.
    budget = 3 if persona == "migrant" else 4
    per_chunk = 1
    terms = set(content_terms(question))
    pool = sorted(_candidates(terms, hits), key=lambda c: -c.score)
    chosen: list[_Candidate] = []
    first = next((c for c in pool if c.hit_rank == 0), None)
    if first is not None:
        chosen.append(first)
    for cand in pool:
        if len(chosen) >= budget:
            break
        if cand in chosen or sum(c.hit_rank == cand.hit_rank for c in chosen) >= per_chunk:
            continue
        if cand.score - 1.0 / (cand.hit_rank + 2) <= 0 and chosen:
            continue  # shares no content word with the question: padding, not evidence
        chosen.append(cand)
    chosen.sort(key=lambda c: (c.hit_rank, c.start))
    return [(c.hit_rank, c.start, c.end) for c in chosen]


def compose(question: str, hits: list[Hit], persona: Persona) -> Composition:
    spans = select(question, hits, persona)
    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    sentences: list[str] = []
    for hit_rank, start, end in spans:
        hit = hits[hit_rank]
        if hit_rank not in numbers:
            numbers[hit_rank] = len(numbers) + 1
            citations.append(
                Citation(n=numbers[hit_rank], chunk=hit.chunk, quote=hit.chunk.text[start:end], score=hit.score)
            )
        n = numbers[hit_rank]
        sentence = hit.chunk.text[start:end].rstrip()
        if persona == "practitioner" and (len(sentences) == 0 or citations[n - 1].quote == sentence):
            sentence = f"{hit.chunk.title} ({hit.chunk.location}): {sentence}"
        sentences.append(f"{sentence} [{n}]")
    return Composition(text=" ".join(sentences), citations=citations)
