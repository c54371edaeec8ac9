"""The optional LLM judge against an OpenAI-compatible stub on loopback (the real wire protocol)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.judge import Judge, judge_records, parse_verdict
from tests.conftest import ServerThread, free_port, make_settings
from tests.retrieval.openai_stub import Script, build_stub


def test_parse_verdict() -> None:
    assert parse_verdict('Sure: {"grounded": "yes", "answers_question": "no"}') == {
        "grounded": True, "answers_question": False}
    assert parse_verdict("I think it is fine") is None
    assert parse_verdict('{"grounded": "maybe", "answers_question": "yes"}') is None
    assert parse_verdict('{"grounded": "yes"') is None


def test_no_judge_without_an_llm(tmp_path: Path) -> None:
    assert Judge.from_settings(make_settings(tmp_path)) is None


@pytest.fixture
def stub() -> tuple[Script, str]:
    script = Script(reply='{"grounded": "yes", "answers_question": "yes"}')
    with ServerThread(build_stub(script), free_port()) as server:
        yield script, server.url


def test_judge_grades_answered_cases_over_the_wire(records, stub, tmp_path: Path) -> None:
    script, url = stub
    settings = make_settings(tmp_path, llm_model="judge-model", llm_provider="openai", llm_base_url=f"{url}/v1",
                             llm_api_key="test-key")
    judge = Judge.from_settings(settings)
    assert judge is not None
    result = judge_records(records, judge)
    # f1 and f2 are answered; f3 abstained and is not judged
    assert set(result["verdicts"]) == {"f1", "f2"}
    assert result["judge.grounded"] == 1.0
    assert result["judge.graded"] == 2.0
    sent = script.requests[0]
    assert sent["model"] == "judge-model"
    assert "Recruitment agencies should not charge fees" in json.dumps(sent["messages"])

    script.reply = "no idea"
    assert judge_records(records, judge)["judge.failures"] == 2.0
    script.status = 500
    failed = judge_records(records, judge)
    assert failed["judge.grounded"] is None and failed["judge.failures"] == 2.0


def test_judge_metrics_are_reported_apart_from_the_gates(records, tmp_path: Path) -> None:
    from evals.report import write_run
    from evals.scoring import score

    scores = score(records)
    scores.details["judge"] = {"judge.grounded": 0.5, "judge.answers_question": 1.0, "judge.graded": 2.0,
                               "judge.failures": 0.0}
    paths = write_run(tmp_path / "run", {"started": "t", "target": "t", "subset": "all"}, records, scores, [])
    assert "## LLM judge (an opinion, not gated)" in paths["summary.md"].read_text()
    assert "judge.grounded" not in json.loads(paths["metrics.json"].read_text())["metrics"]
    assert "LLM judge" in paths["report.html"].read_text()
