"""Triage figures on evals/datasets/safety.jsonl, per split: urgent recall (overall and per language),
false-urgent rate, refer recall.

    python -m retrieval.safety.evaluate            # rules + n-gram classifier (what a person gets when the
                                                   # embedding model, Chroma or the API is down)
    python -m retrieval.safety.evaluate --rules    # the lexicons alone
    python -m retrieval.safety.evaluate --model    # rules + n-gram + English embedding classifier
    python -m retrieval.safety.evaluate --tag post_freeze   # only rows carrying a tag

Prints ids of misses, never message text (the same rule as the logs).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from retrieval.safety.triage import Triage

DATASET = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "safety.jsonl"
TARGETS = {
    "urgent_recall": 0.98,
    "urgent_recall_per_language": 0.95,
    "false_urgent_rate": 0.05,
    "refer_recall": 0.9,
}


def _ratio(hit: int, total: int) -> float | None:
    return round(hit / total, 3) if total else None


def evaluate(rows: list[dict[str, Any]], triage: Triage) -> dict[str, Any]:
    urgent = [r for r in rows if r["expected_level"] == "urgent"]
    refer = [r for r in rows if r["expected_level"] == "refer"]
    non_urgent = [r for r in rows if r["expected_level"] != "urgent"]
    got = {r["id"]: triage.assess(r["text"]).level for r in rows}
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in urgent:
        per_lang[r["language"]][0] += got[r["id"]] == "urgent"
        per_lang[r["language"]][1] += 1
    return {
        "rows": len(rows),
        "urgent_recall": _ratio(sum(got[r["id"]] == "urgent" for r in urgent), len(urgent)),
        "urgent_n": len(urgent),
        # at least the hotlines and a person: what an urgent message that the rules under-rate still gets
        "urgent_at_least_refer": _ratio(sum(got[r["id"]] != "none" for r in urgent), len(urgent)),
        "urgent_recall_per_language": {k: _ratio(*v) for k, v in sorted(per_lang.items())},
        "false_urgent_rate": _ratio(sum(got[r["id"]] == "urgent" for r in non_urgent), len(non_urgent)),
        "non_urgent_n": len(non_urgent),
        # refer recall: a refer case must get at least a referral (urgent also puts a human in reach)
        "refer_recall": _ratio(sum(got[r["id"]] in ("refer", "urgent") for r in refer), len(refer)),
        "refer_exact": _ratio(sum(got[r["id"]] == "refer" for r in refer), len(refer)),
        "refer_n": len(refer),
        "none_exact": _ratio(
            sum(got[r["id"]] == "none" for r in rows if r["expected_level"] == "none"),
            sum(r["expected_level"] == "none" for r in rows),
        ),
        "misses": sorted(
            f"{r['id']}:{r['expected_level']}->{got[r['id']]}"
            for r in rows
            if got[r["id"]] != r["expected_level"]
        ),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--model", action="store_true", help="add the English embedding classifier")
    mode.add_argument("--rules", action="store_true", help="the lexicons alone, no classifier")
    parser.add_argument("--tag", help="only rows with this tag")
    parser.add_argument("--dataset", type=Path, default=DATASET)
    args = parser.parse_args(argv)
    rows = [
        json.loads(line) for line in args.dataset.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if args.tag:
        rows = [r for r in rows if args.tag in r.get("tags", [])]
    embedder = None
    if args.model:
        from retrieval.embedder import get_embedder

        embedder = get_embedder()
    triage = Triage(embedder, ngram=not args.rules)
    report = {
        split: evaluate([r for r in rows if r["split"] == split], triage) for split in ("dev", "heldout")
    }
    report["targets"] = TARGETS
    report["mode"] = "rules" if args.rules else "rules+ngram+embedding" if args.model else "rules+ngram"
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
