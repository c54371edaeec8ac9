"""The report writer: the run files exist, the HTML is self-contained with its plots inline, lists every failing
case, and escapes untrusted text."""
from __future__ import annotations

import json
import re
from pathlib import Path


def test_writes_metrics_summary_and_html(run_dir: Path) -> None:
    for name in ("metrics.json", "summary.md", "report.html", "cases.jsonl"):
        assert (run_dir / name).stat().st_size > 0, name
    meta = json.loads((run_dir / "metrics.json").read_text())
    assert meta["metrics"]["frameworks.recall@5"] == 1.0
    assert meta["details"]["safety"]["confusion"]["labels"] == ["none", "refer", "urgent"]
    summary = (run_dir / "summary.md").read_text()
    assert "| retrieval.hit@1 | 0.333 | >= 0.3 | ok |" in summary
    cases = [json.loads(line) for line in (run_dir / "cases.jsonl").read_text().splitlines()]
    assert {c["id"]: c["passed"] for c in cases}["f1"] is True


def test_html_embeds_the_four_plots_as_images(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text()
    images = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert [alt for alt, _ in images] == [
        "Metrics against thresholds", "Latency per stage (ms)", "Safety per language", "Escalation confusion matrix",
    ]
    assert all(len(data) > 1000 for _, data in images)
    assert "http://" not in html and "https://" not in html  # nothing fetched when the file is opened


def test_failing_cases_table_lists_each_failure(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text()
    table = html[html.index('<table id="failures">'):]
    rows = re.findall(r"<tr>\s*<td>(\w+)</td><td>([\w-]+)</td>", table)
    assert sorted(cid for _, cid in rows) == ["f2", "f3", "o2", "s2", "s3", "w1"]
    assert "expected urgent, got none" in table


def test_untrusted_text_is_escaped(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text()
    # o1 passed, so its <script> question is not shown; o2's answer carries markup and failed.
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<script>" not in html
