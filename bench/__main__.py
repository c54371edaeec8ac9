"""`python -m bench`: one run, every figure the core issue asks for, each beside its target.

- hit@1 / hit@3 on the factual set (gold phrase inside the first / one of the first three citations) for Passage
  and for the LangChain-tutorial baseline; abstention on off-topic and on-topic questions;
- /v1/ask latency p50/p95 at concurrency 1 and 8 and requests/s at 8, over a bounded number of requests against
  a real server on loopback; cold start to ready; the server's peak RSS;
- ingest time, cold and unchanged.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "evals" / "datasets"
REQUESTS_C1, REQUESTS_C8 = 60, 160


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _rows(name: str) -> list[dict]:
    path = DATASETS / name
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def _contains_gold(text: str, phrases: list[str]) -> bool:
    t = _norm(text)
    return any(_norm(p) in t for p in phrases)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def quality(settings) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from bench.baseline import TutorialBaseline
    from retrieval.assistant import Assistant
    from retrieval.embedder import get_embedder

    assistant = Assistant.from_settings(settings)
    baseline = TutorialBaseline(settings.documents_dir, get_embedder(settings))
    factual = _rows("factual.jsonl")
    p1 = p3 = b1 = b3 = abstained_on = 0
    for row in factual:
        answer = assistant.ask(row["question"], persona=row.get("persona"))
        texts = [c.chunk.text for c in answer.citations]
        p1 += bool(texts) and _contains_gold(texts[0], row["gold_phrases"])
        p3 += any(_contains_gold(t, row["gold_phrases"]) for t in texts[:3])
        abstained_on += answer.abstained
        found = baseline.search(row["question"], k=3)
        b1 += bool(found) and _contains_gold(found[0], row["gold_phrases"])
        b3 += any(_contains_gold(t, row["gold_phrases"]) for t in found)
    offtopic = _rows("offtopic.jsonl")
    abstained_off = sum(assistant.ask(r["question"]).abstained for r in offtopic)
    n = max(len(factual), 1)
    assistant.close()
    return {
        "questions": len(factual), "baseline_chunks": baseline.size,
        "passage_hit1": p1 / n, "passage_hit3": p3 / n, "baseline_hit1": b1 / n, "baseline_hit3": b3 / n,
        "on_topic_abstain": abstained_on / n, "off_topic_abstain": abstained_off / max(len(offtopic), 1),
    }


def _settings(data_dir: Path):  # type: ignore[no-untyped-def]
    from retrieval.settings import Settings

    return Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]


def ingest_times(tmp: Path) -> dict[str, float]:
    from retrieval.ingest import run_ingest

    settings = _settings(tmp / "ingest")
    t0 = time.perf_counter()
    run_ingest(settings, progress=False)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_ingest(settings, progress=False)
    return {"ingest_cold_s": cold, "ingest_unchanged_s": time.perf_counter() - t0}


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _load_questions() -> list[str]:
    """Distinct questions of every kind the API serves, so no phase is flattered by a warm cache, taken in turn
    from each kind so every phase gets the same mix. (Concatenated, the phases took whatever the first files
    held: when factual.jsonl grew from 102 to 194 rows, the c8 phase became factual questions only.)"""
    kinds = [[r["question"] for r in _rows(name)] for name in ("factual.jsonl", "migrant.jsonl", "offtopic.jsonl")]
    kinds.append([r["situation"] for r in _rows("frameworks.jsonl")])
    kinds.append([r["text"] for r in _rows("safety.jsonl") if r["expected_level"] == "none" and r["language"] == "en"])
    interleaved = [q for row in itertools.zip_longest(*kinds) for q in row if q is not None]
    return list(dict.fromkeys(interleaved))


async def _load(url: str, questions: list[str], total: int, concurrency: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    counter = iter(range(total))

    async def worker(client: httpx.AsyncClient) -> None:
        for i in counter:
            t0 = time.perf_counter()
            r = await client.post(f"{url}/v1/ask", json={"question": questions[i % len(questions)]})
            r.raise_for_status()
            latencies.append((time.perf_counter() - t0) * 1000)

    async with httpx.AsyncClient(timeout=30) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return latencies, elapsed


def serving(data_dir: Path) -> dict[str, float]:
    port = 18000 + os.getpid() % 1000
    env = {**os.environ, "DATA_DIR": str(data_dir), "PORT": str(port), "LOG_LEVEL": "WARNING"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "api"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.perf_counter() - t0 > 300:
                raise RuntimeError("server did not become ready")
            time.sleep(0.1)
        cold = time.perf_counter() - t0
        questions = _load_questions()
        warm, first, second = questions[:10], questions[10 : 10 + REQUESTS_C1], questions[10 + REQUESTS_C1 :]
        asyncio.run(_load(url, warm, len(warm), 1))  # warm-up, not measured
        lat1, _ = asyncio.run(_load(url, first, REQUESTS_C1, 1))
        lat8, elapsed8 = asyncio.run(_load(url, second, REQUESTS_C8, 8))
        return {
            "distinct_questions": len(set(first) | set(second)),
            "cold_start_s": cold,
            "c1_p50_ms": _pct(lat1, 0.5), "c1_p95_ms": _pct(lat1, 0.95),
            "c8_p50_ms": _pct(lat8, 0.5), "c8_p95_ms": _pct(lat8, 0.95),
            "c8_rps": REQUESTS_C8 / elapsed8,
            "server_peak_rss_mb": _peak_rss_mb(proc.pid),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=30)


TARGETS = {
    "c1_p50_ms": ("<=", 30), "c1_p95_ms": ("<=", 80), "c8_rps": (">=", 50), "ingest_unchanged_s": ("<=", 3),
    "server_peak_rss_mb": ("<=", 1024), "off_topic_abstain": (">=", 0.9), "on_topic_abstain": ("<=", 0.05),
}


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    tmp = Path(tempfile.mkdtemp(prefix="passage-bench-"))
    try:
        figures: dict[str, float] = {}
        console.print("[bold]ingest[/bold] (cold, then unchanged) ...")
        figures |= ingest_times(tmp)
        console.print("[bold]quality[/bold]: Passage vs the LangChain-tutorial baseline ...")
        figures |= quality(_settings(tmp / "ingest"))
        console.print(f"[bold]serving[/bold]: {REQUESTS_C1} requests at concurrency 1, {REQUESTS_C8} at 8 ...")
        figures |= serving(tmp / "ingest")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    table = Table(title="Passage benchmark (this machine, one run)")
    for col in ("figure", "value", "target", "met"):
        table.add_column(col)
    for key, value in figures.items():
        op, target = TARGETS.get(key, ("", None))
        met = "" if target is None else ("yes" if (value <= target if op == "<=" else value >= target) else "NO")
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value),
                      f"{op} {target}" if target is not None else "", met)
    verdict = "beats" if figures["passage_hit1"] > figures["baseline_hit1"] else "does NOT beat"
    console.print(table)
    console.print(f"Passage hit@1 {figures['passage_hit1']:.3f} {verdict} the baseline's {figures['baseline_hit1']:.3f}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
