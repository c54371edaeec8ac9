"""Two runs side by side: per-metric deltas and the cases that flipped between pass and fail."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evals.report import environment, fmt, load_run

# Metrics where lower is better: a rise is a regression.
LOWER_IS_BETTER = ("false_urgent_rate", "forbidden", "offtopic_leaks", "false_refusal_rate", "errors.count",
                   "latency.")


@dataclass
class Comparison:
    run_a: str
    run_b: str
    deltas: list[dict[str, Any]]
    broke: list[dict[str, Any]]  # pass in A, fail in B
    fixed: list[dict[str, Any]]  # fail in A, pass in B


def lower_is_better(metric: str) -> bool:
    return any(key in metric for key in LOWER_IS_BETTER)


def compare_runs(a: Path, b: Path) -> Comparison:
    meta_a, cases_a = load_run(a)
    meta_b, cases_b = load_run(b)
    ma, mb = meta_a["metrics"], meta_b["metrics"]
    deltas = []
    for name in [*ma, *[k for k in mb if k not in ma]]:
        va, vb = ma.get(name), mb.get(name)
        delta = None if va is None or vb is None else vb - va
        worse = delta is not None and (delta > 0 if lower_is_better(name) else delta < 0)
        better = delta is not None and delta != 0 and not worse
        deltas.append({"metric": name, "a": va, "b": vb, "delta": delta,
                       "verdict": "worse" if worse else "better" if better else ""})
    by_id_a = {c["id"]: c for c in cases_a}
    broke, fixed = [], []
    for cb in cases_b:
        ca = by_id_a.get(cb["id"])
        if ca is None or ca["passed"] == cb["passed"]:
            continue
        row = {"dataset": cb["dataset"], "id": cb["id"], "input": cb["input"],
               "answer_a": (ca.get("answer") or {}).get("text", ""), "answer_b": (cb.get("answer") or {}).get("text", ""),
               "reasons": cb["reasons"] if ca["passed"] else ca["reasons"]}
        (broke if ca["passed"] else fixed).append(row)
    return Comparison(str(a), str(b), deltas, broke, fixed)


def print_comparison(comparison: Comparison, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"{comparison.run_a}  ->  {comparison.run_b}")
    for col in ("metric", "A", "B", "delta", ""):
        table.add_column(col, justify="right" if col in ("A", "B", "delta") else "left")
    for d in comparison.deltas:
        style = "red" if d["verdict"] == "worse" else "green" if d["verdict"] == "better" else ""
        delta = "" if d["delta"] is None else f"{d['delta']:+.3f}"
        table.add_row(d["metric"], fmt(d["a"]), fmt(d["b"]), delta, d["verdict"], style=style)
    console.print(table)
    flips = Table(title=f"flipped cases: {len(comparison.broke)} pass->fail, {len(comparison.fixed)} fail->pass")
    for col in ("flip", "set", "id", "input", "why"):
        flips.add_column(col)
    for label, rows, style in (("pass->fail", comparison.broke, "red"), ("fail->pass", comparison.fixed, "green")):
        for r in rows:
            flips.add_row(label, r["dataset"], r["id"], r["input"][:80], "; ".join(r["reasons"])[:100], style=style)
    console.print(flips)


def write_comparison_html(comparison: Comparison, out: Path) -> Path:
    html = environment().get_template("compare.html").render(c=comparison, fmt=fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out
