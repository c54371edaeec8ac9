"""Each metric's arithmetic on a case small enough to compute by hand (the expected numbers are worked out in
the comments)."""
from __future__ import annotations

import math

import pytest

from evals import metrics as m


def test_normalise_makes_quotes_dashes_and_whitespace_plain() -> None:
    assert m.normalise("Workers’  travel\n– “DOCUMENTS”") == "workers' travel - \"documents\""
    assert m.contains_phrase("withholding workers’ travel and\nemployment documents", "workers' travel and employment")
    assert not m.contains_phrase("withholding workers travel", "workers' travel")


RELS = [False, True, False, True]  # relevant results at ranks 2 and 4


def test_hit_rr_recall_on_hand_case() -> None:
    assert m.hit_at_k(RELS, 1) == 0.0
    assert m.hit_at_k(RELS, 3) == 1.0
    assert m.reciprocal_rank(RELS) == 0.5
    assert m.reciprocal_rank([False, False]) == 0.0
    assert m.recall_at_k(RELS, n_relevant=2, k=3) == 0.5  # one of two relevant in the top 3
    assert m.recall_at_k(RELS, n_relevant=2, k=5) == 1.0
    assert m.recall_at_k(RELS, n_relevant=0, k=5) == 0.0


def test_ndcg_on_hand_case() -> None:
    # DCG = 1/log2(3) + 1/log2(5) = 0.6309 + 0.4307; ideal (2 relevant first) = 1 + 1/log2(3)
    expected = (1 / math.log2(3) + 1 / math.log2(5)) / (1 + 1 / math.log2(3))
    assert m.ndcg_at_k(RELS, n_relevant=2, k=10) == pytest.approx(expected)
    assert m.ndcg_at_k(RELS, n_relevant=2, k=10) == pytest.approx(0.6509, abs=1e-4)
    assert m.ndcg_at_k([True, True], n_relevant=2, k=10) == pytest.approx(1.0)
    assert m.ndcg_at_k([False], n_relevant=1, k=10) == 0.0


def test_pure_ir_metrics_agree_with_ranx() -> None:
    from ranx import Qrels, Run, evaluate

    qrels = Qrels({"q": {"d2": 1, "d4": 1}})
    run = Run({"q": {"d1": 0.9, "d2": 0.8, "d3": 0.7, "d4": 0.6}})
    got = evaluate(qrels, run, ["hit_rate@1", "recall@3", "mrr", "ndcg@10"])
    assert got["hit_rate@1"] == m.hit_at_k(RELS, 1)
    assert got["recall@3"] == pytest.approx(m.recall_at_k(RELS, 2, 3))
    assert got["mrr"] == pytest.approx(m.reciprocal_rank(RELS))
    assert got["ndcg@10"] == pytest.approx(m.ndcg_at_k(RELS, 2, 10))


def test_token_f1_and_phrase_coverage() -> None:
    # pred {the, cat, sat} vs gold {cat, sat, down}: 2 common, P = R = 2/3, F1 = 2/3
    assert m.token_f1("The cat sat", "cat sat down") == pytest.approx(2 / 3)
    assert m.token_f1("", "cat") == 0.0
    assert m.token_f1("dog", "cat") == 0.0
    assert m.best_token_f1("cat sat down", ["dog", "cat sat down"]) == 1.0
    assert m.phrase_coverage("Agencies should NOT  charge\nfees.", ["should not charge fees", "absent phrase"]) == 0.5
    assert m.phrase_coverage("anything", []) == 0.0


def test_sentences_keep_their_markers() -> None:
    text = "Agencies must not charge fees. [1] States should act. [2] This one has none. Last? [3]"
    assert m.sentences(text) == ["Agencies must not charge fees. [1]", "States should act. [2]",
                                 "This one has none.", "Last? [3]"]
    assert m.markers("States should act. [2][3]") == [2, 3]
    assert m.marker_share(text) == 0.75  # 3 of 4 sentences carry a marker
    assert m.marker_share("") == 0.0


def test_lexical_support_counts_content_words_only() -> None:
    # content tokens of the claim: agencies, charge, fees, migrants -> 3 of 4 occur in the source
    source = "Recruitment agencies should not charge fees from migrant workers."
    assert m.lexical_support("The agencies must not charge fees to migrants. [1]", source) == pytest.approx(3 / 4)
    assert m.lexical_support("[1]", source) == 0.0
    assert m.supported(0.7, None, 0.6, 0.75)
    assert not m.supported(0.5, None, 0.6, 0.75)
    assert m.supported(0.5, 0.8, 0.6, 0.75)


def test_refusal_prf_positive_class_is_refusing() -> None:
    should = [True, True, True, False, False]  # 3 off-topic, 2 on-topic
    refused = [True, True, False, True, False]  # tp=2, fn=1, fp=1
    got = m.refusal_prf(should, refused)
    assert got["precision"] == pytest.approx(2 / 3)
    assert got["recall"] == pytest.approx(2 / 3)
    assert got["f1"] == pytest.approx(2 / 3)
    assert m.prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_safety_rates_and_confusion() -> None:
    expected = ["urgent", "urgent", "urgent", "none", "none", "refer", "refer"]
    predicted = ["urgent", "refer", "urgent", "urgent", "none", "urgent", "none"]
    assert m.urgent_recall(expected, predicted) == pytest.approx(2 / 3)
    # one of two 'none' and one of two 'refer' treated as urgent: a refer raised to urgent is a false alarm too
    assert m.false_urgent_rate(expected, predicted) == 0.5
    assert m.false_urgent_rate(["refer", "refer", "none"], ["urgent", "refer", "none"]) == pytest.approx(1 / 3)
    assert m.refer_recall(expected, predicted) == 0.5  # over-escalated referral counts, a 'none' does not
    assert m.urgent_recall(["none"], ["none"]) is None
    assert m.confusion(expected, predicted) == [
        [1, 0, 1],  # expected none -> none, refer, urgent
        [1, 0, 1],  # expected refer
        [0, 1, 2],  # expected urgent
    ]


def test_framework_recall_and_forbidden() -> None:
    ranked = ["a", "b", "c", "d", "e", "f"]
    assert m.set_recall_at_k(["a", "d"], ranked, 3) == 0.5
    assert m.set_recall_at_k(["a", "d"], ranked, 5) == 1.0
    assert m.forbidden_in_top(["c", "f"], ranked, 5) == 1  # f sits at rank 6
    assert m.set_recall_at_k([], ranked, 3) == 0.0


def test_percentiles() -> None:
    values = [10.0, 20.0, 30.0, 40.0, 100.0]
    assert m.percentile(values, 50) == 30.0
    assert m.percentile(values, 95) == pytest.approx(88.0)  # 40 + 0.8 * (100 - 40)
    assert m.percentile([], 50) is None
    assert m.mean([]) is None


def test_sentences_split_before_bullets_after_a_marker() -> None:
    text = "• Governments should act. [1] • Workers may leave. [2]"
    assert m.sentences(text) == ["• Governments should act. [1]", "• Workers may leave. [2]"]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "See General Comment No. 6 on children (§ Notes, para. 1): states act, e.g. Mexico. [1] Next one. [2]"
    assert m.sentences(text) == [
        "See General Comment No. 6 on children (§ Notes, para. 1): states act, e.g. Mexico. [1]", "Next one. [2]",
    ]
