"""Fusion of ranked lists: by rank alone (reciprocal rank fusion) or by normalised scores (the default in search)."""
from __future__ import annotations

from collections.abc import Hashable, Sequence

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[Hashable]], k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[Hashable, float]]:
    """Fuse ranked lists of ids (best first): score(id) = sum over lists of weight / (k + rank), rank from 1.

    An id absent from a list gets nothing from it. Ties keep the order of first appearance, so the result is
    deterministic. Cormack, Clarke & Buettcher (SIGIR 2009); k=60 is their constant.
    """
    weights = weights or [1.0] * len(rankings)
    scores: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def score_fusion(
    scored: Sequence[Sequence[tuple[Hashable, float]]], weights: Sequence[float] | None = None
) -> list[tuple[Hashable, float]]:
    """Fuse scored lists (best first) by a weighted sum of min-max normalised scores.

    Within each list the best candidate gets 1 and the last 0; an id absent from a list gets nothing from it.
    Unlike RRF it sees margins: a passage BM25 puts far ahead of the rest counts for more than a narrow first
    place. Bruch, Gai & Ingber, "An Analysis of Fusion Functions for Hybrid Retrieval" (ACM TOIS 2023): a tuned
    convex combination of normalised scores beats RRF. Ties keep the order of first appearance.
    """
    weights = weights or [1.0] * len(scored)
    scores: dict[Hashable, float] = {}
    for ranking, weight in zip(scored, weights):
        if not ranking:
            continue
        best, last = ranking[0][1], ranking[-1][1]
        span = best - last
        for item, score in ranking:
            scores[item] = scores.get(item, 0.0) + weight * ((score - last) / span if span > 0 else 1.0)
    return sorted(scores.items(), key=lambda kv: -kv[1])
