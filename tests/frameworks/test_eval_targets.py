"""The frameworks eval set: well-formed, and the recommender meets its targets on it."""

from __future__ import annotations

import json

import pytest

from tests.frameworks.conftest import DATASET

ROWS = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dataset_shape(guides) -> None:  # type: ignore[no-untyped-def]
    known = {g.id for g in guides}
    assert len(ROWS) >= 30 and len({r["id"] for r in ROWS}) == len(ROWS)
    dev = sum(r["split"] == "dev" for r in ROWS)
    assert 0.55 <= dev / len(ROWS) <= 0.7 and all(r["split"] in {"dev", "heldout"} for r in ROWS)
    for r in ROWS:
        assert set(r) == {"id", "split", "situation", "expected", "forbidden"}
        assert r["expected"] and set(r["expected"]) <= known and set(r["forbidden"]) <= known, r["id"]
        assert not set(r["expected"]) & set(r["forbidden"]), r["id"]


def measure(recommender, split: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    rows = [r for r in ROWS if r["split"] == split]
    top3 = top5 = forbidden = 0
    for r in rows:
        got = [s.id for s in recommender.recommend(r["situation"], k=5)]
        top3 += set(r["expected"]) <= set(got[:3])
        top5 += set(r["expected"]) <= set(got)
        forbidden += bool(set(r["forbidden"]) & set(got))
    return {"top3": top3 / len(rows), "top5": top5 / len(rows), "forbidden": forbidden, "n": len(rows)}


@pytest.mark.slow
def test_targets_on_dev(recommender) -> None:  # type: ignore[no-untyped-def]
    m = measure(recommender, "dev")
    assert m["top3"] >= 0.90 and m["top5"] >= 0.97 and m["forbidden"] == 0, m


@pytest.mark.slow
def test_heldout_has_no_forbidden_and_stays_close_to_target(recommender) -> None:  # type: ignore[no-untyped-def]
    # Measured, not tuned on: the floor guards against regressions; the report states the actual numbers.
    m = measure(recommender, "heldout")
    print(f"heldout: {m}")
    assert m["forbidden"] == 0 and m["top3"] >= 0.85 and m["top5"] >= 0.9, m
