"""Scoring a synthetic run (tests/evals/conftest.py) end to end; every expected number is derived by hand."""
from __future__ import annotations

import math

import pytest

from evals.scoring import score


def test_retrieval_metrics_pool_relevant_chunks(records) -> None:
    got = score(records).metrics
    # ranks of the gold chunk: f1 -> 1, f2 -> 2, f3 -> never retrieved
    assert got["retrieval.hit@1"] == pytest.approx(1 / 3)
    assert got["retrieval.hit@3"] == pytest.approx(2 / 3)
    assert got["retrieval.mrr"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert got["retrieval.recall@5"] == pytest.approx(2 / 3)
    assert got["retrieval.ndcg@10"] == pytest.approx((1 + 1 / math.log2(3)) / 3)


def test_citation_answer_and_abstention_metrics(records) -> None:
    got = score(records).metrics
    assert got["citations.gold_cited"] == pytest.approx(1 / 3)  # only f1 cites the gold chunk
    assert got["citations.marker_share"] == 1.0  # both answered cases mark their single sentence
    assert got["citations.support"] == 0.5  # f1's sentence is supported, f2's ("Ships must help") is not
    assert got["answers.phrase_coverage"] == pytest.approx(1 / 3)
    # refusals: o1 (tp), f3 (fp: refused an answerable question), o2 answered (fn)
    assert got["abstention.precision"] == 0.5
    assert got["abstention.recall"] == 0.5
    assert got["abstention.f1"] == 0.5
    assert got["abstention.offtopic_leaks"] == 1.0
    assert got["abstention.false_refusal_rate"] == pytest.approx(1 / 3)


def test_safety_and_frameworks(records) -> None:
    scores = score(records)
    got = scores.metrics
    assert got["safety.urgent_recall"] == 0.5
    assert got["safety.false_urgent_rate"] == 0.5  # of the none and the refer case, the none was raised
    assert got["safety.refer_recall"] == 1.0
    assert scores.details["safety"]["by_language"]["es"]["urgent_recall"] == 0.0
    assert scores.details["safety"]["by_language"]["en"]["false_urgent_rate"] == 1.0
    assert scores.details["safety"]["confusion"]["matrix"] == [[0, 0, 1], [0, 1, 0], [1, 0, 1]]  # rows: expected none, refer, urgent
    assert got["frameworks.recall@3"] == 0.5
    assert got["frameworks.recall@5"] == 1.0
    assert got["frameworks.forbidden"] == 1.0


def test_case_verdicts_and_reasons(records) -> None:
    scores = score(records)
    passed = {cid for cid, o in scores.outcomes.items() if o.passed}
    assert passed == {"f1", "o1", "s1", "s4"}
    assert "abstained" in scores.outcomes["f3"].reasons
    assert any("leaks" in r for r in scores.outcomes["o2"].reasons)
    assert scores.outcomes["s2"].reasons == ["expected urgent, got none"]
    assert any("forbidden" in r for r in scores.outcomes["w1"].reasons)
    assert scores.metrics["cases.pass_rate"] == 0.4


def test_embedding_similarity_can_rescue_a_paraphrase(records) -> None:
    import numpy as np

    def embed(texts: list[str]) -> np.ndarray:  # every text the same direction: cosine 1.0
        return np.ones((len(texts), 3)) / math.sqrt(3)

    assert score(records, embed=embed).metrics["citations.support"] == 1.0


def test_latency_percentiles_per_stage(records) -> None:
    got = score(records).metrics
    assert got["latency.search.p50"] == 10.0
    assert got["latency.total.p95"] == 13.0


def test_exact_qrels_count_relevant_chunks_never_retrieved(records) -> None:
    records[0].gold_chunk_ids = ["c-gold", "c-gold-elsewhere"]  # f1 retrieved one of its two relevant chunks
    scores = score(records)
    assert scores.metrics["retrieval.recall@5"] == pytest.approx((0.5 + 1 + 0) / 3)
    records[1].gold_chunk_ids = []  # f2's phrase is in no chunk: a dataset problem, reported as such
    scores = score(records)
    assert any("no indexed chunk" in r for r in scores.outcomes["f2"].reasons)
    assert scores.outcomes["f2"].scores["hit@5"] == 0.0


def test_support_ignores_a_title_and_location_lead_in() -> None:
    from evals.scoring import _strip_attribution

    sentence = "Background paper (§ Rescue at Sea › Practical Example, para. 1): Rescuees were disembarked in Malta. [1]"
    assert _strip_attribution(sentence, "§ Rescue at Sea › Practical Example, para. 1") == \
        "Rescuees were disembarked in Malta. [1]"
    assert _strip_attribution(sentence, "") == "Rescuees were disembarked in Malta. [1]"
    assert _strip_attribution("Plain claim. [1]", "p. 2") == "Plain claim. [1]"
