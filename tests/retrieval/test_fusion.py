from retrieval.fusion import reciprocal_rank_fusion


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
