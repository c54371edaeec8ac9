"""Pure scoring for the framework recommender: facets, dense and lexical scores in, an explained ranking out.

No model, no I/O: `rank_guides` is a function of its arguments, so rankings can be tested and tuned alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from knowledge.guides import Guide
from retrieval.facets import Facets, facet_kind

# Facets that say "this is about migrants" and nothing more specific: they never rescue a contradicted guide.
_GENERIC = frozenset({"all_migrants", "migrant_workers"})
_KIND_ORDER = {"population": 0, "stage": 1, "harm": 2}


@dataclass(frozen=True)
class Weights:
    facet: float = 0.55
    dense: float = 0.15
    lexical: float = 0.20
    named: float = 0.60  # the situation names the instrument ("does C189 apply?")
    binding: float = 0.10  # binding treaties first, then the tools that implement them
    contradiction: float = 0.5  # multiplier when not_for clashes but something specific still matches
    breadth: float = 0.20  # exponent on facet precision: broad guides (every stage) are slightly discounted
    population: float = 1.0
    stage: float = 0.8
    harm: float = 1.2
    floor: float = 0.3  # drop suggestions scoring below this fraction of the best one
    min_bm25: float = 3.0  # raw BM25 a text without facets or names needs to get any suggestion


@dataclass(frozen=True)
class GuideProfile:
    id: str
    tags: frozenset[str]
    not_for: frozenset[str]
    binding: bool = False

    @classmethod
    def of(cls, guide: Guide) -> GuideProfile:
        return cls(guide.id, guide.facets(), frozenset(guide.not_for), guide.binding)


@dataclass(frozen=True)
class ScoreBreakdown:
    guide_id: str
    score: float
    facet: float
    dense: float
    lexical: float
    named: bool
    matched: tuple[str, ...] = ()
    contradicted: tuple[str, ...] = ()
    excluded: bool = False
    extra: dict[str, float] = field(default_factory=dict)


def rarity(profiles: Sequence[GuideProfile]) -> dict[str, float]:
    """IDF-like weight per facet tag over the guide collection."""
    n = len(profiles)
    df: dict[str, int] = {}
    for p in profiles:
        for t in p.tags:
            df[t] = df.get(t, 0) + 1
    return {t: math.log(1 + n / c) for t, c in df.items()}


def _tag_weight(tag: str, idf: dict[str, float], w: Weights) -> float:
    kind_w = {"population": w.population, "stage": w.stage, "harm": w.harm}[facet_kind(tag)]
    return kind_w * idf.get(tag, math.log(2.0))


def score_guide(
    facets: Facets,
    profile: GuideProfile,
    dense: float,
    lexical: float,
    named: bool,
    idf: dict[str, float],
    w: Weights = Weights(),
) -> ScoreBreakdown:
    """Score one guide for one situation. `dense` and `lexical` are already normalised to [0, 1]."""
    situation = facets.tags
    matched = situation & profile.tags
    sit_w = sum(_tag_weight(t, idf, w) for t in situation)
    m_w = sum(_tag_weight(t, idf, w) for t in matched)
    g_w = sum(_tag_weight(t, idf, w) for t in profile.tags) or 1.0
    facet = (m_w / sit_w) * (m_w / g_w) ** w.breadth if sit_w and m_w else 0.0
    score = w.facet * facet + w.dense * dense + w.lexical * lexical + (w.named if named else 0.0)
    if profile.binding and m_w:
        score += w.binding
    contradicted = situation & profile.not_for
    excluded = False
    if contradicted and not named:
        if matched - _GENERIC:
            score *= w.contradiction
        else:
            excluded = True
    return ScoreBreakdown(
        guide_id=profile.id,
        score=round(score, 4),
        facet=round(facet, 4),
        dense=round(dense, 4),
        lexical=round(lexical, 4),
        named=named,
        # most telling facet first: faces show only the first one or two
        matched=tuple(
            sorted(matched, key=lambda t: (-_tag_weight(t, idf, w), _KIND_ORDER[facet_kind(t)], t))
        ),
        contradicted=tuple(sorted(contradicted)),
        excluded=excluded,
    )


def _normalise(values: np.ndarray) -> np.ndarray:
    values = np.clip(np.asarray(values, dtype=np.float64), 0.0, None)
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def _normalise_dense(cosines: np.ndarray) -> np.ndarray:
    """Min-max over the guides: MiniLM cosines of short texts crowd into a narrow band; spread = signal."""
    cosines = np.asarray(cosines, dtype=np.float64)
    if not cosines.size:
        return cosines
    lo, hi = float(cosines.min()), float(cosines.max())
    return (cosines - lo) / (hi - lo) if hi - lo > 1e-9 else np.zeros_like(cosines)


def rank_guides(
    facets: Facets,
    profiles: Sequence[GuideProfile],
    dense: Sequence[float],
    lexical: Sequence[float],
    named: Sequence[bool],
    w: Weights = Weights(),
) -> list[ScoreBreakdown]:
    """All guides scored and sorted best first; excluded ones last (callers drop them). Pure."""
    idf = rarity(profiles)
    d = _normalise_dense(np.asarray(dense))
    lx = _normalise(np.asarray(lexical))
    scored = [
        score_guide(facets, p, float(d[i]), float(lx[i]), bool(named[i]), idf, w)
        for i, p in enumerate(profiles)
    ]
    return sorted(scored, key=lambda s: (s.excluded, -s.score, s.guide_id))


def explain(b: ScoreBreakdown) -> list[str]:
    why = [f"{facet_kind(t)}: {t}" for t in b.matched]
    if b.named:
        why.append("named in the question")
    if b.contradicted:
        why.append("penalised, not designed for: " + ", ".join(b.contradicted))
    why.append(
        f"scores: facets={b.facet:.2f} dense={b.dense:.2f} lexical={b.lexical:.2f} total={b.score:.2f}"
    )
    return why
