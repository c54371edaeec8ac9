import pytest

from retrieval.fusion import reciprocal_rank_fusion, score_fusion


def test_rrf_rewards_agreement_and_keeps_items_found_by_one_list() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    ids = [i for i, _ in fused]
    assert ids[0] == "a"  # 1/61 + 1/62 beats c's 1/63 + 1/61
    assert ids[1] == "c"
    assert set(ids) == {"a", "b", "c", "d"}
    scores = dict(fused)
    assert abs(scores["a"] - (1 / 61 + 1 / 62)) < 1e-12
    assert abs(scores["d"] - 1 / 63) < 1e-12


def test_rrf_ties_keep_first_appearance_and_weights_shift_the_balance() -> None:
    assert [i for i, _ in reciprocal_rank_fusion([["x"], ["y"]])] == ["x", "y"]
    assert [i for i, _ in reciprocal_rank_fusion([["x"], ["y"]], weights=[0.5, 1.0])] == ["y", "x"]
    assert reciprocal_rank_fusion([]) == [] and reciprocal_rank_fusion([[], []]) == []


def test_overlap_rerank_lifts_the_passage_that_answers_and_keeps_scores_falling() -> None:
    from knowledge.schema import Chunk
    from retrieval.search import rerank_by_overlap

    def chunk(cid: str, text: str) -> Chunk:
        return Chunk(id=cid, document_id="d", title="t", location="para. 1", text=text)

    chunks = {
        "topical": chunk("topical", "Migrant workers face many challenges in destination countries today."),
        "answer": chunk("answer", "Recruitment agencies should not charge fees from migrant workers at all."),
        "deep": chunk("deep", "Recruitment agencies should not charge fees; this passage sits below the depth."),
    }
    fused = [("topical", 0.050), ("answer", 0.048), ("other", 0.047), ("deep", 0.010)]
    chunks["other"] = chunk("other", "Nothing relevant is said in this sentence about anything at all.")
    out = rerank_by_overlap("Can recruitment agencies charge fees?", fused, chunks, depth=3)
    assert [cid for cid, _ in out][:2] == ["answer", "topical"]
    assert out[-1] == ("deep", 0.010)  # beyond the depth: untouched, however well it matches
    scores = [s for _, s in out]
    assert scores == sorted(scores, reverse=True)
    assert rerank_by_overlap("the of and", fused, chunks) == fused  # no content words: fusion order stands


def test_a_near_identical_bank_question_puts_its_passage_first() -> None:
    from retrieval.search import promote_confident_match

    fused = [("a", 0.10), ("b", 0.09), ("c", 0.05)]
    assert promote_confident_match(fused, [("c", 0.93), ("a", 0.70)]) == [("c", 0.10), ("a", 0.10), ("b", 0.09)]
    # not close enough, or not clearly closer than the next passage's question: fusion decides
    assert promote_confident_match(fused, [("c", 0.75), ("a", 0.60)]) == fused
    assert promote_confident_match(fused, [("c", 0.90), ("a", 0.88)]) == fused
    assert promote_confident_match(fused, []) == fused


def test_bank_votes_count_only_as_much_as_their_question_resembles_the_one_asked() -> None:
    from retrieval.search import add_question_votes

    fused = [("a", 0.050), ("b", 0.049)]
    # b's near-identical bank question lifts it; a's loose one (0.45) barely counts
    lifted = add_question_votes(fused, [("b", 0.95), ("a", 0.45)], k=20, weight=1.0, floor=0.4)
    assert [cid for cid, _ in lifted] == ["b", "a"]
    assert abs(dict(lifted)["a"] - (0.050 + (0.05 / 0.6) / 22)) < 1e-12
    # a vote at or under the floor is no vote, and a passage found only by the bank joins the list
    assert add_question_votes(fused, [("b", 0.40)], floor=0.4) == fused
    assert [cid for cid, _ in add_question_votes(fused, [("c", 1.0)], k=20)] == ["a", "b", "c"]


def test_score_fusion_normalises_each_list_and_sees_margins() -> None:
    # BM25 puts "b" far ahead; dense has "a" barely ahead of "b": the margin decides, where RRF would tie them
    dense = [("a", 0.62), ("b", 0.61), ("c", 0.40)]
    lexical = [("b", 30.0), ("a", 5.0), ("c", 4.0)]
    fused = dict(score_fusion([dense, lexical]))
    assert max(fused, key=fused.__getitem__) == "b"
    assert fused["c"] == 0.0  # last in both lists
    assert fused["a"] == pytest.approx(1.0 + 1.0 / 26.0)
    rrf = dict(reciprocal_rank_fusion([[i for i, _ in dense], [i for i, _ in lexical]]))
    assert rrf["a"] == rrf["b"]


def test_score_fusion_weights_absent_ids_and_degenerate_lists() -> None:
    fused = score_fusion([[("x", 3.0)], [("y", 9.0), ("z", 1.0)]], weights=[0.5, 1.0])
    assert fused == [("y", 1.0), ("x", 0.5), ("z", 0.0)]  # a one-item list gives its item the full weight
    assert score_fusion([[("p", 2.0), ("q", 2.0)]]) == [("p", 1.0), ("q", 1.0)]  # equal scores: no division by 0
    assert score_fusion([]) == [] and score_fusion([[], []]) == []
