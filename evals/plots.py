"""The report's plots, each rendered to an inline `data:image/png;base64,...` URI (the HTML stays one file)."""
from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # headless: no display on CI or servers
import matplotlib.pyplot as plt

from evals.thresholds import Gate


def _uri(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def metric_bars(metrics: dict[str, float | None], gates: dict[str, Gate]) -> str:
    """Every 0..1 metric as a bar; its gate as a tick (black = min, red = max)."""
    names = [k for k, v in metrics.items() if v is not None and 0.0 <= v <= 1.0 and not k.startswith("latency")]
    fig, ax = plt.subplots(figsize=(9, max(2.5, 0.32 * len(names))))
    values = [metrics[n] or 0.0 for n in names]
    colors = []
    for n, v in zip(names, values):
        gate = gates.get(n)
        bad = gate is not None and gate.violated_by(v) is not None
        colors.append("#c0392b" if bad else "#2e86c1")
    ax.barh(names, values, color=colors)
    for i, n in enumerate(names):
        gate = gates.get(n)
        if gate and gate.min is not None:
            ax.plot([gate.min, gate.min], [i - 0.4, i + 0.4], color="black", linewidth=2)
        if gate and gate.max is not None:
            ax.plot([gate.max, gate.max], [i - 0.4, i + 0.4], color="#c0392b", linewidth=2, linestyle="--")
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_title("Metrics (bar) and thresholds (black tick = min, red dashed = max)")
    return _uri(fig)


def latency_histogram(samples: dict[str, list[float]]) -> str:
    """Log-scaled x axis: a single cold-start call (seconds) must not squash the milliseconds everyone sees."""
    import numpy as np

    values_all = [v for stage in samples.values() for v in stage if v > 0]
    fig, ax = plt.subplots(figsize=(9, 3.5))
    if values_all:
        bins = np.logspace(np.log10(max(min(values_all), 0.01)), np.log10(max(values_all)) + 0.01, 40)
        for stage in ("triage", "search", "compose", "total"):
            values = [v for v in samples.get(stage) or [] if v > 0]
            if values:
                ax.hist(values, bins=bins, alpha=0.55, label=f"{stage} (n={len(values)})")
        ax.set_xscale("log")
        ax.legend()
    ax.set_xlabel("milliseconds (log scale)")
    ax.set_ylabel("calls")
    ax.set_title("Latency per stage")
    return _uri(fig)


def safety_by_language(by_language: dict[str, dict[str, Any]]) -> str:
    langs = list(by_language)
    fig, ax = plt.subplots(figsize=(9, 3.5))
    width = 0.4
    xs = range(len(langs))
    recall = [by_language[lang]["urgent_recall"] or 0.0 for lang in langs]
    false_urgent = [by_language[lang]["false_urgent_rate"] or 0.0 for lang in langs]
    ax.bar([x - width / 2 for x in xs], recall, width, label="urgent recall", color="#27ae60")
    ax.bar([x + width / 2 for x in xs], false_urgent, width, label="false-urgent rate", color="#c0392b")
    ax.set_xticks(list(xs), [f"{lang}\n(n={by_language[lang]['n']})" for lang in langs])
    ax.set_ylim(0, 1.3)
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.set_title("Safety per language")
    ax.legend(loc="upper center", ncol=2)
    return _uri(fig)


def confusion_heatmap(labels: list[str], matrix: list[list[int]]) -> str:
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted level")
    ax.set_ylabel("expected level")
    peak = max((max(row) for row in matrix), default=0)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            ax.text(j, i, str(count), ha="center", va="center", color="white" if count > peak / 2 else "black")
    ax.set_title("Escalation confusion")
    return _uri(fig)
