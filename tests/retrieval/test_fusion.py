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
