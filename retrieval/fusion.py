"""Reciprocal rank fusion: merge ranked lists without comparing their (incomparable) scores."""
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
