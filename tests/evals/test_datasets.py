"""The datasets: the validator rejects malformed rows with file:line and a reason; the shipped files are valid,
large enough, and their gold phrases really occur in the documents (raw and cleaned)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from evals.datasets import DATASETS_DIR, DatasetError, FactualRow, SafetyRow, load_datasets, load_file
from evals.metrics import contains_phrase, normalise

DOCS = Path(__file__).resolve().parents[2] / "knowledge" / "documents"
GOOD = {"id": "x-1", "split": "dev", "question": "what is it?", "gold_documents": ["d"], "gold_phrases": ["a b"]}


def _write(tmp_path: Path, *rows: object) -> Path:
    path = tmp_path / "factual.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ({**GOOD, "split": "train"}, "split"),
        ({k: v for k, v in GOOD.items() if k != "question"}, "question: Field required"),
        ({**GOOD, "gold_phrases": []}, "gold_phrases"),
        ({**GOOD, "gold_phrases": ["a"]}, "too short to be distinctive"),
        ({**GOOD, "gold_documents": [" "]}, "blank"),
        ({**GOOD, "id": "has space"}, "id"),
        ({**GOOD, "surprise": 1}, "surprise: Extra inputs are not permitted"),
    ],
)
def test_validator_names_file_line_and_reason(tmp_path: Path, bad: object, reason: str) -> None:
    path = _write(tmp_path, GOOD | {"id": "x-0"}, bad)
    with pytest.raises(DatasetError) as err:
        load_file(path, FactualRow)
    assert f"{path}:2:" in str(err.value)
    assert reason in str(err.value)


def test_validator_rejects_duplicate_ids_and_bad_safety_levels(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r":2: duplicate id 'x-1' \(first on line 1\)"):
        load_file(_write(tmp_path, GOOD, GOOD), FactualRow)
    row = {"id": "s", "split": "dev", "text": "t", "language": "en", "expected_level": "critical"}
    with pytest.raises(DatasetError, match="expected_level"):
        load_file(_write(tmp_path, row), SafetyRow)
    with pytest.raises(DatasetError, match="language"):
        load_file(_write(tmp_path, row | {"expected_level": "none", "language": "xx"}), SafetyRow)


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    (tmp_path / "migrant.jsonl").write_text(json.dumps(GOOD) + "\n")
    with pytest.raises(DatasetError, match="also used in factual.jsonl"):
        load_datasets(["factual", "migrant"], directory=tmp_path)
    with pytest.raises(DatasetError, match="unknown dataset"):
        load_datasets(["recipes"], directory=tmp_path)


def test_shipped_datasets_are_valid_and_split() -> None:
    sets = load_datasets()
    assert len(sets["migrant"]) >= 30
    assert len(sets["offtopic"]) >= 30
    assert sum("injection" in r.tags for r in sets["offtopic"]) >= 5
    for name, rows in sets.items():
        assert {r.split for r in rows} == {"dev", "heldout"}, name
    dev = load_datasets(["migrant"], subset="dev")["migrant"]
    assert 0 < len(dev) < len(sets["migrant"])
    assert len(load_datasets(["migrant"], limit=3)["migrant"]) == 3


def _raw(doc_id: str) -> str:
    return (DOCS / f"{doc_id}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["migrant", "factual"])
def test_gold_phrases_occur_in_a_gold_document(name: str) -> None:
    if not (DATASETS_DIR / f"{name}.jsonl").exists():
        pytest.skip(f"{name}.jsonl not written yet")
    manifest = {d["id"] for d in yaml.safe_load((DOCS / "manifest.yaml").read_text())["documents"]}
    for row in load_datasets([name])[name]:
        assert set(row.gold_documents) <= manifest, row.id
        for phrase in row.gold_phrases:
            assert any(contains_phrase(_raw(d), phrase) for d in row.gold_documents), (row.id, phrase)


def test_migrant_phrases_sit_on_one_raw_line_and_survive_the_cleaner() -> None:
    from knowledge.loader import cleaned_text

    cleaned = {p.stem: cleaned_text(p) for p in DOCS.glob("*.txt")}
    for row in load_datasets(["migrant"])["migrant"]:
        for phrase in row.gold_phrases:
            lines = [line for d in row.gold_documents for line in _raw(d).splitlines()]
            assert any(normalise(phrase) in normalise(line) for line in lines), (row.id, phrase)
            assert any(contains_phrase(cleaned[d], phrase) for d in row.gold_documents), (row.id, phrase)
