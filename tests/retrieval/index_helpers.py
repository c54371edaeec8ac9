"""Small real corpora and settings for index tests (each test gets its own data dir; the model loads once)."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from retrieval.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "knowledge" / "documents"

SHELTERS = """Shelters and first help

The port city shelter takes families who arrived by boat. It opens every night and needs no appointment. \
Children under five sleep with their parents in the quiet wing, and mothers with infants get a room of their own. \
Meals are served at seven in the morning and at six in the evening; special diets are possible when asked. \
The shelter keeps no copy of anyone's documents and never shares names with the police. \
People may stay up to fourteen nights, and longer when a case worker asks for it.

Volunteers at the shelter explain how to ask for asylum and where the nearest clinic is. \
They speak Arabic, Tigrinya, French and English, and a lawyer joins them on Tuesday afternoons. \
They help people write down what happened on the journey, which later supports an asylum claim. \
They also explain the rights of unaccompanied children, who are referred to the guardianship office. \
Nobody has to talk to a volunteer to get a bed.

Hotlines

The regional hotline answers in Arabic, French and English around the clock.
"""


def make_corpus(root: Path, documents: tuple[str, ...] = ("gfmd-2012-ws3b-report",), shelters: bool = True) -> Path:
    """A documents dir with some shipped documents (+ a small invented one) and its manifest."""
    docs_dir = root / "documents"
    docs_dir.mkdir(parents=True, exist_ok=True)
    shipped = {m["id"]: m for m in yaml.safe_load((DOCS / "manifest.yaml").read_text())["documents"]}
    entries = []
    for doc_id in documents:
        shutil.copy(DOCS / shipped[doc_id]["file"], docs_dir / shipped[doc_id]["file"])
        entries.append(shipped[doc_id])
    if shelters:
        (docs_dir / "shelters.txt").write_text(SHELTERS)
        entries.append({"id": "shelters", "title": "Shelter notes", "issuer": "Test", "date": "2024",
                        "language": "en", "file": "shelters.txt", "original_file": "shelters.txt"})
    write_manifest(docs_dir, entries)
    return docs_dir


def write_manifest(docs_dir: Path, entries: list[dict]) -> None:
    (docs_dir / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}, sort_keys=False))


def manifest_entries(docs_dir: Path) -> list[dict]:
    return yaml.safe_load((docs_dir / "manifest.yaml").read_text())["documents"]


def make_settings(root: Path, docs_dir: Path, **overrides: object) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=root / "data", documents_dir=docs_dir, guides_dir=root / "no-guides", **overrides
    )
