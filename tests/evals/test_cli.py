"""`compare` and `check` exit codes on synthetic run directories (no Assistant needed)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from evals.cli import app

runner = CliRunner()


def _gates(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "thresholds.yaml"
    path.write_text(text)
    return path


def test_check_passes_when_thresholds_are_met(run_dir: Path, tmp_path: Path) -> None:
    gates = _gates(tmp_path, "metrics:\n  retrieval.hit@1: {min: 0.3}\n  safety.false_urgent_rate: {max: 1.0}\n")
    result = runner.invoke(app, ["check", str(run_dir), "--thresholds", str(gates)])
    assert result.exit_code == 0, result.output


def test_check_fails_when_a_min_is_raised_above_the_measured_value(run_dir: Path, tmp_path: Path) -> None:
    gates = _gates(tmp_path, "metrics:\n  retrieval.hit@1: {min: 0.34}\n")  # measured 1/3
    result = runner.invoke(app, ["check", str(run_dir), "--thresholds", str(gates)])
    assert result.exit_code == 1
    assert "retrieval.hit@1" in result.output


def test_check_fails_when_a_max_metric_rises_above_its_ceiling(run_dir: Path, tmp_path: Path) -> None:
    gates = _gates(tmp_path, "metrics:\n  safety.false_urgent_rate: {max: 0.1}\n")  # measured 1.0
    assert runner.invoke(app, ["check", str(run_dir), "--thresholds", str(gates)]).exit_code == 1


def test_check_fails_on_a_metric_the_run_did_not_measure(run_dir: Path, tmp_path: Path) -> None:
    gates = _gates(tmp_path, "metrics:\n  retrieval.hit@50: {min: 0.1}\n")
    result = runner.invoke(app, ["check", str(run_dir), "--thresholds", str(gates)])
    assert result.exit_code == 1
    assert "not measured" in result.output


def test_fast_profile_overrides(run_dir: Path, tmp_path: Path) -> None:
    gates = _gates(tmp_path, "metrics:\n  retrieval.hit@1: {min: 0.9}\nfast:\n  retrieval.hit@1: {min: 0.3}\n")
    assert runner.invoke(app, ["check", str(run_dir), "--thresholds", str(gates)]).exit_code == 1
    assert runner.invoke(app, ["check", str(run_dir), "--thresholds", str(gates), "--fast"]).exit_code == 0


def test_check_rejects_a_missing_run_and_bad_thresholds(run_dir: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["check", str(tmp_path / "nope")]).exit_code == 2
    bad = _gates(tmp_path, "metrics:\n  retrieval.hit@1: 0.5\n")
    assert runner.invoke(app, ["check", str(run_dir), "--thresholds", str(bad)]).exit_code == 2


def test_compare_reports_deltas_and_flips(run_dir: Path, tmp_path: Path) -> None:
    run_b = tmp_path / "run-b"
    shutil.copytree(run_dir, run_b)
    meta = json.loads((run_b / "metrics.json").read_text())
    meta["metrics"]["retrieval.hit@1"] = 0.0
    (run_b / "metrics.json").write_text(json.dumps(meta))
    cases = [json.loads(line) for line in (run_b / "cases.jsonl").read_text().splitlines()]
    for c in cases:  # f1 breaks, s2 gets fixed
        if c["id"] == "f1":
            c["passed"], c["reasons"] = False, ["no citation contains a gold passage"]
        if c["id"] == "s2":
            c["passed"], c["reasons"] = True, []
    (run_b / "cases.jsonl").write_text("\n".join(json.dumps(c) for c in cases) + "\n")

    result = runner.invoke(app, ["compare", str(run_dir), str(run_b)])
    assert result.exit_code == 0, result.output
    assert "1 pass->fail, 1 fail->pass" in result.output
    html = (run_b / "compare.html").read_text()
    assert "-0.333" in html
    assert "Pass -&gt; fail (1)" in html and "f1" in html
    assert runner.invoke(app, ["compare", str(run_dir), str(run_b), "--fail-on-regression"]).exit_code == 1
    assert runner.invoke(app, ["compare", str(run_dir), str(run_dir), "--fail-on-regression",
                               "--out", str(tmp_path / "same.html")]).exit_code == 0
    assert runner.invoke(app, ["compare", str(run_dir), str(tmp_path / "missing")]).exit_code == 2
