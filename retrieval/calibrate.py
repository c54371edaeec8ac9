"""`python -m retrieval.calibrate`: choose the abstention thresholds on the dev split, and show their effect.

On-topic questions (factual + migrant-voice) should be answered, off-topic ones refused. For each question it
records the evidence `abstain.decide` looks at, then grid-searches the thresholds for the best balanced accuracy
with the constraint that at most 5% of on-topic dev questions abstain. The heldout split is only reported.
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from retrieval.abstain import AbstentionThresholds, decide

DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"


def _rows(name: str) -> list[dict]:
    return [json.loads(x) for x in (DATASETS / name).read_text().splitlines() if x.strip()]


def main() -> None:
    from retrieval.index import Index
    from retrieval.settings import get_settings

    index = Index.open(get_settings())
    cases = [(r, False) for r in _rows("factual.jsonl") + _rows("migrant.jsonl")]
    cases += [(r, True) for r in _rows("offtopic.jsonl")]
    searched = [(r, off, index.search(r["question"], 8, "hybrid", "document")) for r, off in cases]

    def rates(th: AbstentionThresholds, split: str) -> tuple[float, float]:
        on = [decide(r["question"], h, th).abstain for r, off, h in searched if not off and r["split"] == split]
        offs = [decide(r["question"], h, th).abstain for r, off, h in searched if off and r["split"] == split]
        return sum(on) / max(len(on), 1), sum(offs) / max(len(offs), 1)

    best: tuple[float, AbstentionThresholds] | None = None
    for floor, confident, min_overlap, question in itertools.product(
        [0.15, 0.2, 0.25, 0.3, 0.35],
        [0.4, 0.45, 0.5, 0.55, 0.6],
        [0.2, 0.25, 0.34, 0.4, 0.5],
        [0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 1.01],  # 1.01: the bank never vouches
    ):
        if confident < floor:
            continue
        th = AbstentionThresholds(floor, confident, min_overlap, question)
        on_rate, off_rate = rates(th, "dev")
        if on_rate > 0.05:
            continue
        score = off_rate - on_rate
        if best is None or score > best[0]:
            best = (score, th)
    assert best is not None, "no thresholds keep on-topic abstention at or below 5%"
    th = best[1]
    for split in ("dev", "heldout"):
        on_rate, off_rate = rates(th, split)
        print(f"{split}: on-topic abstain {on_rate:.3f}, off-topic abstain {off_rate:.3f}")
    print(f"chosen: {th}")
    current = AbstentionThresholds()
    for split in ("dev", "heldout"):
        on_rate, off_rate = rates(current, split)
        print(f"current defaults {split}: on-topic abstain {on_rate:.3f}, off-topic abstain {off_rate:.3f}")


if __name__ == "__main__":
    main()
