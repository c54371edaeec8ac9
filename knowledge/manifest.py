"""The document manifest: knowledge/documents/manifest.yaml -> validated `DocumentMeta` entries."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.errors import KnowledgeError
from knowledge.schema import DocumentMeta

MANIFEST_NAME = "manifest.yaml"


def _describe(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in error.errors())


def load_manifest(documents_dir: Path) -> list[DocumentMeta]:
    """Read and validate the manifest; every problem is a `KnowledgeError` naming the entry and the field."""
    path = Path(documents_dir) / MANIFEST_NAME
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KnowledgeError(f"{path}: manifest not found") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: cannot be read as YAML ({exc})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        raise KnowledgeError(f"{path}: expected a mapping with a 'documents' list")
    docs: list[DocumentMeta] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw["documents"]):
        where = f"{path}: documents[{i}]"
        if not isinstance(entry, dict):
            raise KnowledgeError(f"{where}: expected a mapping, got {type(entry).__name__}")
        if entry.get("id"):
            where += f" (id {entry['id']!r})"
        try:
            meta = DocumentMeta.model_validate(entry)
        except ValidationError as exc:
            raise KnowledgeError(f"{where}: {_describe(exc)}") from exc
        if meta.id in seen:
            raise KnowledgeError(f"{where}: duplicate document id")
        if Path(meta.file).name != meta.file:
            raise KnowledgeError(f"{where}: file must be a name under {path.parent}, not a path")
        if not (path.parent / meta.file).is_file():
            raise KnowledgeError(f"{where}: file {meta.file!r} not found in {path.parent}")
        seen.add(meta.id)
        docs.append(meta)
    return docs
