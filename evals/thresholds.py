"""Quality gates: evals/thresholds.yaml names metrics with a `min` (must not fall below) or `max` (must not rise
above, e.g. false_urgent_rate). A metric missing from a run, or None (no cases), is a violation: a gate that
silently passes because its dataset vanished would be worse than no gate.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.yaml"


@dataclass(frozen=True)
class Gate:
    metric: str
    min: float | None = None
    max: float | None = None

    def violated_by(self, value: float | None) -> str | None:
        if value is None:
            return f"{self.metric}: not measured"
        if self.min is not None and value < self.min:
            return f"{self.metric} = {value:.3f} < min {self.min}"
        if self.max is not None and value > self.max:
            return f"{self.metric} = {value:.3f} > max {self.max}"
        return None


def load_gates(path: Path = THRESHOLDS_FILE, profile: str = "full") -> list[Gate]:
    """Gates for a profile: `metrics`, with `fast:` entries overriding them for the fast subset."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read thresholds ({exc})") from exc
    merged: dict[str, dict] = dict(data.get("metrics") or {})
    if profile == "fast":
        merged.update(data.get("fast") or {})
    gates = []
    for metric, bounds in merged.items():
        if not isinstance(bounds, dict) or not set(bounds) <= {"min", "max"} or not bounds:
            raise ValueError(f"{path}: {metric}: expected {{min: x}} and/or {{max: y}}, got {bounds!r}")
        gates.append(Gate(metric, bounds.get("min"), bounds.get("max")))
    return gates


def violations(metrics: dict[str, float | None], gates: list[Gate]) -> list[str]:
    out = []
    for gate in gates:
        problem = gate.violated_by(metrics.get(gate.metric))
        if problem:
            out.append(problem)
    return out


def bounds_by_metric(gates: list[Gate]) -> dict[str, Gate]:
    return {g.metric: g for g in gates}
