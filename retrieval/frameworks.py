"""Which framework applies: rank the tool guides for a practitioner's description of a situation.

Three signals, fused by a pure, separately testable scoring function:
- facets (who / which stage / what harm) read from the text by rules and matched against each guide's declared
  facets, weighted by rarity (a facet every guide shares tells little);
- dense similarity of the situation to the guide's name, summary and each "applies when" line (best wins);
- BM25 over the rendered guide text (bm25s), for exact terms such as "kafala" or "SOLAS".
A guide whose `not_for` facets appear in the situation is dropped, or halved if it also matches something
specific. `why` spells out matched facets, names and every score component, so a ranking can be argued with.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.guides import Guide, Mention, find_quote, render_guide
from knowledge.schema import Chunk
from retrieval.errors import PassageError
from retrieval.facets import is_framework_question, read_facets
from retrieval.framework_scoring import (
    GuideProfile,
    ScoreBreakdown,
    Weights,
    explain,
    rank_guides,
    score_guide,
)
from retrieval.types import Citation, FrameworkSuggestion

__all__ = [
    "FrameworkRecommender",
    "GuideProfile",
    "ScoreBreakdown",
    "Weights",
    "is_framework_question",
    "rank_guides",
    "score_guide",
]

log = logging.getLogger(__name__)
_DOCUMENTS_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "documents"


def _alias_pattern(names: list[str]) -> re.Pattern[str] | None:
    parts = []
    for n in names:
        n = n.strip()
        if len(n) < 3:
            continue
        body = r"\s+".join(re.escape(x) for x in n.split())
        # short upper-case abbreviations (CAT, SAR, CRC) only count written in capitals
        flags = "" if (len(n) <= 6 and n.isupper()) else "(?i:"
        parts.append(rf"\b{flags}{body}{')' if flags else ''}(?!\w)")
    return re.compile("|".join(parts)) if parts else None


class FrameworkRecommender:
    def __init__(
        self,
        guides: list[Guide],
        embedder: Any,
        index: Any | None = None,
        weights: Weights = Weights(),
        documents_dir: Path | None = None,
    ) -> None:
        if not guides:
            raise ValueError("FrameworkRecommender needs at least one guide")
        self.guides = sorted(guides, key=lambda g: g.id)
        self._by_id = {g.id: g for g in self.guides}
        self.embedder = embedder
        self.index = index
        self.weights = weights
        self._profiles = [GuideProfile.of(g) for g in self.guides]
        self._aliases = [_alias_pattern([g.name, *g.aliases]) for g in self.guides]
        self._titles = _document_titles(documents_dir or _DOCUMENTS_DIR)
        self._doc_chunks: dict[str, list[Chunk] | None] = {}
        self._lock = threading.Lock()  # the bm25s tokenizer keeps per-call state; API calls run in threads
        self._build_dense()
        self._build_lexical()

    # -- indexes over the guides ------------------------------------------------------------------------

    def _build_dense(self) -> None:
        texts: list[str] = []
        owners: list[int] = []
        for i, g in enumerate(self.guides):
            head = f"{g.name}. {g.summary}"
            for t in [head, *g.applies_when]:
                texts.append(t)
                owners.append(i)
        self._dense_owner = np.asarray(owners)
        self._dense_vectors = _embed(self.embedder, texts)

    def _build_lexical(self) -> None:
        import bm25s
        import Stemmer

        self._tokenizer = bm25s.tokenization.Tokenizer(
            stemmer=Stemmer.Stemmer("english"), stopwords="en", lower=True
        )
        docs = [render_guide(g) for g in self.guides]
        tokens = self._tokenizer.tokenize(docs, return_as="tuple", show_progress=False)
        self._bm25 = bm25s.BM25()
        self._bm25.index(tokens, show_progress=False)

    def _dense_scores(self, situation: str) -> np.ndarray:
        try:
            q = _embed(self.embedder, [situation])[0]
        except PassageError as exc:  # rank on facets and words alone rather than fail the turn
            log.warning("framework dense scoring skipped: %s", type(exc).__name__)
            return np.zeros(len(self.guides))
        sims = self._dense_vectors @ q
        best = np.full(len(self.guides), -1.0)
        np.maximum.at(best, self._dense_owner, sims)
        return best

    def _lexical_scores(self, situation: str) -> np.ndarray:
        with self._lock:
            ids = self._tokenizer.tokenize(
                [situation], return_as="ids", update_vocab=False, show_progress=False
            )[0]
        if not ids:
            return np.zeros(len(self.guides))
        return np.asarray(self._bm25.get_scores(ids), dtype=np.float64)

    # -- public -----------------------------------------------------------------------------------------

    def get(self, guide_id: str) -> Guide | None:
        return self._by_id.get(guide_id)

    def score(self, situation: str) -> list[ScoreBreakdown]:
        """Every guide's score breakdown, best first (excluded ones last)."""
        return self._score(situation)[0]

    def _score(self, situation: str) -> tuple[list[ScoreBreakdown], bool]:
        facets = read_facets(situation)
        named = [bool(p and p.search(situation)) for p in self._aliases]
        lexical = self._lexical_scores(situation)
        ranked = rank_guides(
            facets, self._profiles, self._dense_scores(situation), lexical, named, self.weights
        )
        # Dense similarity and a stray common word ("what") always find *something*: suggest frameworks only
        # when the text names a facet, an instrument, or shares distinctive words with a guide.
        relevant = bool(facets) or any(named) or float(lexical.max(initial=0.0)) >= self.weights.min_bm25
        return ranked, relevant

    def recommend(self, situation: str, k: int = 5) -> list[FrameworkSuggestion]:
        if not situation or not situation.strip() or k <= 0:
            return []
        scored, relevant = self._score(situation)
        if not relevant:
            return []
        ranked = [b for b in scored if not b.excluded]
        if not ranked or ranked[0].score <= 0:
            return []
        floor = ranked[0].score * self.weights.floor
        return [self._suggestion(b) for b in ranked[:k] if b.score >= floor]

    def _suggestion(self, b: ScoreBreakdown) -> FrameworkSuggestion:
        g = self._by_id[b.guide_id]
        return FrameworkSuggestion(
            id=g.id,
            name=g.name,
            issuer=g.issuer,
            kind=g.kind,
            score=b.score,
            why=explain(b),
            key_provisions=list(g.key_provisions),
            citations=self._citations(g, b.score),
        )

    # -- citations --------------------------------------------------------------------------------------

    def _citations(self, guide: Guide, score: float, limit: int = 2) -> list[Citation]:
        cites: list[Citation] = []
        seen: set[str] = set()
        for m in guide.mentioned_in:
            if m.document_id in seen:
                continue  # one citation per document keeps the list readable
            seen.add(m.document_id)
            chunk, quote = self._locate(m)
            cites.append(Citation(n=len(cites) + 1, chunk=chunk, quote=quote, score=score))
            if len(cites) >= limit:
                break
        return cites

    def _locate(self, m: Mention) -> tuple[Chunk, str]:
        for chunk in self._chunks_of(m.document_id) or []:
            span = find_quote(chunk.text, m.quote)
            if span:
                return chunk, chunk.text[span[0] : span[1]]
        title = self._titles.get(m.document_id, m.document_id)
        fallback = Chunk(
            id=f"quote:{m.document_id}:{hashlib.sha1(m.quote.encode()).hexdigest()[:16]}",
            document_id=m.document_id,
            title=title,
            location=f"quoted in {title}",
            text=m.quote,
            kind="document",
        )
        return fallback, m.quote

    def _chunks_of(self, document_id: str) -> list[Chunk] | None:
        if self.index is None:
            return None
        if document_id not in self._doc_chunks:
            chunks = _fetch_document_chunks(self.index, document_id)
            if chunks is None:
                return None  # not cached: a passing index outage must not disable citations for good
            self._doc_chunks[document_id] = chunks
        return self._doc_chunks[document_id]


def _fetch_document_chunks(index: Any, document_id: str) -> list[Chunk] | None:
    """The core index's chunks of one document, whichever accessor it offers; None when it cannot tell."""
    getters = [
        lambda: index.document_chunks(document_id),
        lambda: index.chunks_for_document(document_id),
        lambda: index.store.all_chunks(where={"document_id": document_id}),
    ]
    for get in getters:
        try:
            chunks = get()
        except AttributeError:
            continue
        except PassageError as exc:
            log.warning("document chunks unavailable: %s", type(exc).__name__)
            return None
        return sorted(chunks, key=lambda c: c.position)
    return None


def _embed(embedder: Any, texts: list[str]) -> np.ndarray:
    if hasattr(embedder, "embed"):
        vectors = embedder.embed(texts)
    else:  # a bare SentenceTransformer
        vectors = embedder.encode(
            texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _document_titles(documents_dir: Path) -> dict[str, str]:
    import yaml

    try:
        manifest = yaml.safe_load((documents_dir / "manifest.yaml").read_text(encoding="utf-8")) or {}
        return {d["id"]: d["title"] for d in manifest.get("documents", [])}
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        return {}
