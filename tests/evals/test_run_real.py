"""The runner against the real Assistant (session index, real model) in-process and over the real HTTP API:
the same cases give the same verdicts both ways, and nothing errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from evals.datasets import load_datasets
from evals.report import write_run
from evals.runner import run_cases
from evals.scoring import score
from evals.targets import HttpTarget, InProcessTarget

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def subset() -> dict:
    sets = load_datasets(["migrant", "offtopic", "safety", "frameworks"], subset="dev")
    urgent = [r for r in sets["safety"] if r.expected_level == "urgent" and r.language == "en"][:2]
    calm = [r for r in sets["safety"] if r.expected_level == "none" and r.language == "en"][:2]
    return {"migrant": sets["migrant"][:4], "offtopic": sets["offtopic"][:3], "safety": urgent + calm,
            "frameworks": sets["frameworks"][:2]}


def test_in_process_run_scores_and_reports(assistant, subset, tmp_path: Path) -> None:
    records = run_cases(InProcessTarget(assistant=assistant), subset, show_progress=False)
    assert [r.error for r in records if r.error] == []
    migrant = [r for r in records if r.dataset == "migrant"]
    assert all(len(r.hits) == 10 for r in migrant)
    assert all(r.gold_chunk_ids for r in migrant), "every gold phrase should be in some indexed chunk"
    scores = score(records)
    assert scores.metrics["retrieval.hit@5"] is not None
    assert scores.metrics["abstention.recall"] == 1.0  # the three off-topic questions are refused
    levels = {r.id: r.answer.level for r in records if r.dataset == "safety"}
    assert [levels[r.id] for r in subset["safety"][:2]] == ["urgent", "urgent"]
    paths = write_run(tmp_path / "run", {"started": "t", "target": "in-process", "subset": "dev", "limit": None,
                                         "datasets": list(subset), "weaken": None, "duration_s": 0.0}, records,
                      scores, [])
    assert paths["report.html"].stat().st_size > 10_000


def test_http_run_matches_in_process(assistant, api_server, subset) -> None:
    local = {r.id: r for r in run_cases(InProcessTarget(assistant=assistant), subset, show_progress=False)}
    target = HttpTarget(api_server)
    try:
        remote = {r.id: r for r in run_cases(target, subset, show_progress=False)}
    finally:
        target.close()
    assert [r.error for r in remote.values() if r.error] == []
    assert all(len(r.frameworks) == 5 for r in remote.values() if r.dataset == "frameworks")
    for cid, r in remote.items():
        if r.dataset == "frameworks":
            assert r.frameworks == local[cid].frameworks, cid
            continue
        assert (r.answer.abstained, r.answer.level) == (local[cid].answer.abstained, local[cid].answer.level), cid
        assert [c.document_id for c in r.answer.citations] == [c.document_id for c in local[cid].answer.citations]
        assert [h.chunk_id for h in r.hits] == [h.chunk_id for h in local[cid].hits], cid
