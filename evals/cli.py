"""`python -m evals run | compare | check`: the evaluator's command line (typer)."""
from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console

from evals.datasets import SCHEMAS, DatasetError, load_datasets
from evals.targets import WEAKENINGS
from evals.thresholds import THRESHOLDS_FILE, load_gates, violations

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Passage evals: run, compare, check.")
console = Console(stderr=True)
log = logging.getLogger("evals")

# The fast subset `make test` runs: the first N dev rows of each set (safety: the first N dev rows of each
# language and expected level, so every language and level stays gated), the same cases on every run.
FAST_LIMITS = {"factual": 20, "migrant": 12, "offtopic": 12, "frameworks": 12}
FAST_SAFETY_PER_GROUP = 2
RUNS_DIR = Path("runs")


def make_embed() -> Any:
    """Sentence embeddings for the citation-support proxy, from the project's cached embedder; None if absent."""
    try:
        from retrieval.embedder import get_embedder

        embedder = get_embedder()
    except Exception as exc:  # noqa: BLE001 - the proxy degrades to lexical-only, and says so in the run
        log.warning("no embedder for citation support (%s); lexical only", type(exc).__name__)
        return None
    model = getattr(embedder, "model", embedder)

    def embed(texts: list[str]) -> np.ndarray:
        if hasattr(embedder, "embed"):
            vecs = np.asarray(embedder.embed(texts), dtype=float)
        else:
            vecs = np.asarray(model.encode(texts, show_progress_bar=False), dtype=float)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms == 0, 1, norms)

    return embed


def fast_subset(sets: dict[str, list[Any]]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for name, rows in sets.items():
        dev = [r for r in rows if r.split == "dev"]
        if name == "safety":
            taken: dict[tuple[str, str], int] = {}
            out[name] = []
            for r in dev:
                group = (r.language, r.expected_level)
                if taken.get(group, 0) < FAST_SAFETY_PER_GROUP:
                    taken[group] = taken.get(group, 0) + 1
                    out[name].append(r)
        else:
            out[name] = dev[: FAST_LIMITS.get(name, 10)]
    return out


def _select(names: list[str] | None, fast: bool, subset: str, limit: int | None) -> dict[str, list[Any]]:
    if not fast:
        return load_datasets(names, subset=subset, limit=limit)  # type: ignore[arg-type]
    return fast_subset(load_datasets(names))


def execute_run(
    *, url: str | None, subset: str, limit: int | None, names: list[str] | None, out: Path | None,
    weaken: str | None, fast: bool, thresholds: Path, progress: bool = True, judge: bool = False,
) -> Path:
    """Run, score, write the run directory; returns it. Shared by `run` and a bare `check`."""
    from evals.report import write_run
    from evals.runner import run_cases
    from evals.scoring import score
    from evals.targets import HttpTarget, InProcessTarget

    datasets = _select(names, fast, subset, limit)
    if not any(datasets.values()):
        raise typer.BadParameter("no cases selected (check --datasets / --subset)")
    started = dt.datetime.now(dt.UTC)
    out = out or RUNS_DIR / started.strftime("%Y%m%d-%H%M%S")
    try:
        target = HttpTarget(url) if url else InProcessTarget(weaken=weaken)
    except Exception as exc:
        raise ValueError(f"cannot build the Assistant: {type(exc).__name__}: {exc}") from exc
    t0 = time.perf_counter()
    try:
        records = run_cases(target, datasets, show_progress=progress)
    finally:
        target.close()
    duration = time.perf_counter() - t0
    embed = make_embed()
    scores = score(records, embed=embed)
    if judge:
        _judge(records, scores)
    run = {
        "started": started.isoformat(timespec="seconds"), "target": url or "in-process",
        "subset": "fast" if fast else subset, "limit": limit, "datasets": list(datasets), "weaken": weaken,
        "duration_s": round(duration, 2), "support_proxy": "lexical+embedding" if embed else "lexical only",
    }
    gates = load_gates(thresholds, profile="fast" if fast else "full")
    paths = write_run(out, run, records, scores, gates)
    console.print(f"[bold]run written to {out}[/] ({len(records)} cases, {duration:.1f}s); "
                  f"report: {paths['report.html']}")
    return out


def _judge(records: list[Any], scores: Any) -> None:
    """Optional LLM-judged metrics, kept in details["judge"] (never gated)."""
    from evals.judge import Judge, judge_records
    from retrieval.settings import get_settings

    judge = Judge.from_settings(get_settings())
    if judge is None:
        console.print("[yellow]--judge: LLM_MODEL is not configured; LLM-judged metrics skipped[/]")
        return
    result = judge_records(records, judge)
    for cid, verdict in result.pop("verdicts").items():
        scores.outcomes[cid].scores["judge"] = verdict
    scores.details["judge"] = result


def _names(datasets: str | None) -> list[str] | None:
    return [n.strip() for n in datasets.split(",") if n.strip()] if datasets else None


@app.command()
def run(
    url: Annotated[str | None, typer.Option(help="Evaluate a running API instead of in-process.")] = None,
    subset: Annotated[str, typer.Option(help="dev | heldout | all")] = "all",
    limit: Annotated[int | None, typer.Option(min=1, help="First N cases of each dataset.")] = None,
    datasets: Annotated[str | None, typer.Option(help=f"Comma-separated, of: {', '.join(SCHEMAS)}.")] = None,
    out: Annotated[Path | None, typer.Option(help="Run directory (default runs/<timestamp>).")] = None,
    weaken: Annotated[str | None, typer.Option(help=f"Deliberately worse settings: {', '.join(WEAKENINGS)}.")] = None,
    fast: Annotated[bool, typer.Option("--fast", help="The fixed fast subset used by `check`.")] = False,
    thresholds: Annotated[Path, typer.Option(help="Gates shown in the report.")] = THRESHOLDS_FILE,
    progress: Annotated[bool, typer.Option(help="Show the progress bar.")] = True,
    judge: Annotated[bool, typer.Option(help="Add LLM-judged metrics (needs LLM_MODEL; not gated).")] = False,
) -> None:
    """Run the datasets through the Assistant and write metrics.json, summary.md and report.html."""
    _validate(subset, weaken, url)
    try:
        execute_run(url=url, subset=subset, limit=limit, names=_names(datasets), out=out, weaken=weaken,
                    fast=fast, thresholds=thresholds, progress=progress, judge=judge)
    except (DatasetError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc


@app.command()
def compare(
    run_a: Path,
    run_b: Path,
    out: Annotated[Path | None, typer.Option(help="HTML file (default RUN_B/compare.html).")] = None,
    fail_on_regression: Annotated[bool, typer.Option(help="Exit 1 if any case went pass->fail.")] = False,
) -> None:
    """Per-metric deltas and flipped cases between two runs (terminal table + HTML)."""
    from evals.compare import compare_runs, print_comparison, write_comparison_html

    try:
        comparison = compare_runs(run_a, run_b)
    except (ValueError, KeyError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    print_comparison(comparison, Console())
    html = write_comparison_html(comparison, out or run_b / "compare.html")
    console.print(f"comparison written to {html}")
    if fail_on_regression and comparison.broke:
        raise typer.Exit(1)


@app.command()
def check(
    run_dir: Annotated[Path | None, typer.Argument(help="A run directory; omitted = run the fast subset now.")] = None,
    thresholds: Annotated[Path, typer.Option(help="Gates file.")] = THRESHOLDS_FILE,
    fast: Annotated[bool, typer.Option("--fast", help="Apply the `fast:` gate overrides.")] = False,
    url: Annotated[str | None, typer.Option(help="With no RUN: evaluate a running API.")] = None,
) -> None:
    """Exit 1 when a metric breaks its threshold (min, or max for rates such as false_urgent_rate)."""
    from evals.report import load_run

    try:
        if run_dir is None:
            fast = True
            run_dir = execute_run(url=url, subset="dev", limit=None, names=None, out=None, weaken=None,
                                  fast=True, thresholds=thresholds, progress=sys.stderr.isatty())
        meta, cases = load_run(run_dir)
        profile = "fast" if fast or meta.get("run", {}).get("subset") == "fast" else "full"
        problems = violations(meta["metrics"], load_gates(thresholds, profile=profile))
    except (DatasetError, ValueError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    if problems:
        console.print(f"[red bold]{len(problems)} threshold(s) violated[/] ({run_dir}):")
        for p in problems:
            console.print(f"  [red]- {p}[/]")
        errors = [c["error"] for c in cases if c.get("error")]
        if errors:
            console.print(f"{len(errors)} call(s) raised, first: {errors[0]}\n"
                          "(is the index built? `python -m retrieval.ingest`)")
        raise typer.Exit(1)
    console.print(f"[green]all thresholds met[/] ({run_dir}, profile {profile})")


@app.command()
def rescore(
    run_dir: Path,
    thresholds: Annotated[Path, typer.Option(help="Gates shown in the report.")] = THRESHOLDS_FILE,
) -> None:
    """Recompute metrics and rewrite the report of an existing run from its cases.jsonl (no Assistant calls)."""
    from evals.report import load_run, write_run
    from evals.runner import CaseRecord
    from evals.scoring import score

    try:
        meta, cases = load_run(run_dir)
        records = [CaseRecord.model_validate(c) for c in cases]
        run = meta["run"]
        gates = load_gates(thresholds, profile="fast" if run.get("subset") == "fast" else "full")
    except (ValueError, KeyError) as exc:
        console.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    embed = make_embed()
    run["support_proxy"] = "lexical+embedding" if embed else "lexical only"
    write_run(run_dir, run, records, score(records, embed=embed), gates)
    console.print(f"rescored {len(records)} cases in {run_dir}")


def _validate(subset: str, weaken: str | None, url: str | None) -> None:
    if subset not in ("dev", "heldout", "all"):
        raise typer.BadParameter("--subset must be dev, heldout or all")
    if weaken and weaken not in WEAKENINGS:
        raise typer.BadParameter(f"--weaken must be one of {sorted(WEAKENINGS)}")
    if weaken and url:
        raise typer.BadParameter("--weaken configures the in-process Assistant; it cannot change a remote server")


def main() -> None:
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s")
    app()
