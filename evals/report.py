"""A run directory: metrics.json, cases.jsonl, summary.md and one self-contained report.html (plots inline)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from evals import plots
from evals.runner import CaseRecord
from evals.scoring import Scores
from evals.thresholds import Gate, bounds_by_metric, violations

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Environment:
    # Autoescape: questions, answers and quotes are untrusted text and must never become markup.
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"


def _gate_text(gate: Gate | None) -> str:
    if gate is None:
        return ""
    return " ".join(p for p in (f">= {gate.min}" if gate.min is not None else "",
                                f"<= {gate.max}" if gate.max is not None else "") if p)


def metric_rows(metrics: dict[str, float | None], gates: list[Gate]) -> list[dict[str, str]]:
    by_metric = bounds_by_metric(gates)
    rows = []
    for name, value in metrics.items():
        gate = by_metric.get(name)
        status = "" if gate is None else ("FAIL" if gate.violated_by(value) else "ok")
        rows.append({"name": name, "value": fmt(value), "gate": _gate_text(gate), "status": status})
    return rows


def failures(records: list[CaseRecord], scores: Scores) -> list[dict[str, Any]]:
    out = []
    for r in records:
        outcome = scores.outcomes[r.id]
        if outcome.passed:
            continue
        out.append({
            "dataset": r.dataset, "id": r.id, "input": r.input,
            "answer": r.answer.text if r.answer else (r.error or ""),
            "citations": [c.model_dump() for c in r.answer.citations] if r.answer else [],
            "frameworks": r.frameworks, "reasons": outcome.reasons or ["failed"],
        })
    return out


def render_plots(scores: Scores, gates: list[Gate]) -> list[tuple[str, str]]:
    out = [("Metrics against thresholds", plots.metric_bars(scores.metrics, bounds_by_metric(gates)))]
    if any(scores.details.get("latency_ms", {}).values()):
        out.append(("Latency per stage (ms)", plots.latency_histogram(scores.details["latency_ms"])))
    safety = scores.details.get("safety")
    if safety:
        out.append(("Safety per language", plots.safety_by_language(safety["by_language"])))
        out.append(("Escalation confusion matrix",
                    plots.confusion_heatmap(safety["confusion"]["labels"], safety["confusion"]["matrix"])))
    return out


def summary_markdown(run: dict[str, Any], scores: Scores, gates: list[Gate], failing: int) -> str:
    lines = [f"# Passage evals: {run['started']}", "",
             f"target `{run['target']}`, subset `{run['subset']}`"
             + (f", **weakened: {run['weaken']}**" if run.get("weaken") else "")
             + f", cases {sum(scores.details['counts'].values())}, failing {failing}", ""]
    problems = violations(scores.metrics, gates)
    lines += ([f"**{len(problems)} threshold(s) violated:**", *[f"- {p}" for p in problems]]
              if problems else ["All thresholds met."])
    lines += ["", "| metric | value | threshold | status |", "|---|---|---|---|"]
    lines += [f"| {r['name']} | {r['value']} | {r['gate']} | {r['status']} |" for r in metric_rows(scores.metrics, gates)]
    safety = scores.details.get("safety")
    if safety:
        lines += ["", "## Safety per language", "", "| language | n | urgent recall | false-urgent rate | accuracy |",
                  "|---|---|---|---|---|"]
        for lang, d in safety["by_language"].items():
            lines.append(f"| {lang} | {d['n']} | {fmt(d['urgent_recall'])} | {fmt(d['false_urgent_rate'])} "
                         f"| {fmt(d['accuracy'])} |")
    judged = scores.details.get("judge")
    if judged:
        lines += ["", "## LLM judge (an opinion, not gated)", "",
                  *[f"- {k}: {fmt(v)}" for k, v in judged.items()]]
    return "\n".join(lines) + "\n"


def write_run(out: Path, run: dict[str, Any], records: list[CaseRecord], scores: Scores,
              gates: list[Gate]) -> dict[str, Path]:
    """Write the run's four files; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in ("metrics.json", "cases.jsonl", "summary.md", "report.html")}
    details = {k: v for k, v in scores.details.items() if k != "latency_ms"}
    paths["metrics.json"].write_text(
        json.dumps({"run": run, "metrics": scores.metrics, "details": details}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    with paths["cases.jsonl"].open("w", encoding="utf-8") as fh:
        for r in records:
            o = scores.outcomes[r.id]
            row = {**r.model_dump(), "passed": o.passed, "reasons": o.reasons, "scores": o.scores}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    failing = failures(records, scores)
    paths["summary.md"].write_text(summary_markdown(run, scores, gates, len(failing)), encoding="utf-8")
    counts = scores.details["counts"]
    html = environment().get_template("report.html").render(
        run=run, metric_rows=metric_rows(scores.metrics, gates), violations=violations(scores.metrics, gates),
        plots=render_plots(scores, gates), failures=failing,
        counts_text=", ".join(f"{k} {v}" for k, v in counts.items()), judge=scores.details.get("judge"),
    )
    paths["report.html"].write_text(html, encoding="utf-8")
    return paths


def load_run(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(metrics.json content, case rows) of a run directory."""
    try:
        meta = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
        cases_file = path / "cases.jsonl"
        cases = [json.loads(line) for line in cases_file.read_text(encoding="utf-8").splitlines() if line.strip()] \
            if cases_file.exists() else []
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable run directory ({exc})") from exc
    return meta, cases
