"""The tool guides: schema, loader errors, quotes checked against the corpus, chunks for the index."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.guides import (
    Guide,
    KnowledgeError,
    check_quotes,
    find_quote,
    guide_chunks,
    load_guides,
    normalise_ws,
)
from tests.frameworks.conftest import DOCUMENTS_DIR, GUIDES_DIR

RAW_DOCUMENTS = {p.stem: p.read_text(encoding="utf-8") for p in DOCUMENTS_DIR.glob("*.txt")}
GUIDE_FILES = sorted(GUIDES_DIR.glob("*.yaml"))

# What the issue asks the guides to cover (conventions and practical tools the corpus names).
REQUIRED = {
    "icrmw",
    "ilo-c97-migration-for-employment",
    "ilo-c143-migrant-workers-supplementary",
    "ilo-c181-private-employment-agencies",
    "ilo-c189-domestic-workers",
    "ilo-forced-labour-conventions",
    "ilo-freedom-of-association-conventions",
    "ilo-child-labour-conventions",
    "ilo-equality-conventions",
    "crc",
    "crc-general-comment-6",
    "refugee-convention",
    "cedaw",
    "solas",
    "sar-convention",
    "unclos",
    "trafficking-protocol",
    "smuggling-protocol",
    "vienna-convention-consular-relations",
    "geneva-conventions",
    "unhcr-10-point-plan",
    "unodc-smuggling-framework-for-action",
    "cpms-child-protection-humanitarian",
    "gfmd-domestic-workers-checklist",
    "idc-there-are-alternatives",
    "picum-ten-ways",
    "ilo-multilateral-framework",
    "micic-guidelines",
    "ilo-fair-recruitment",
    "global-compact-migration",
    "imo-rescued-at-sea-guidelines",
    "iom-migration-crisis-operational-framework",
}


def test_at_least_30_guides_with_unique_ids(guides: list[Guide]) -> None:
    assert len(guides) >= 30
    assert len({g.id for g in guides}) == len(guides)
    assert REQUIRED <= {g.id for g in guides}, sorted(REQUIRED - {g.id for g in guides})


@pytest.mark.parametrize("path", GUIDE_FILES, ids=[p.stem for p in GUIDE_FILES])
def test_every_quote_is_in_its_raw_document(path: Path) -> None:
    guide = Guide.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    for mention in guide.mentioned_in:
        assert mention.document_id in RAW_DOCUMENTS, f"{path.name}: unknown document {mention.document_id}"
        haystack = normalise_ws(RAW_DOCUMENTS[mention.document_id]).lower()
        assert normalise_ws(mention.quote).lower() in haystack, f"{path.name}: {mention.quote!r}"


def test_every_quote_is_in_a_cleaned_chunk(guides: list[Guide]) -> None:
    """Citations point into indexed chunks: cleaning (straight quotes, footnotes cut) must not break them."""
    from knowledge.loader import load_corpus

    chunks = {d.meta.id: d.chunks for d in load_corpus(DOCUMENTS_DIR)}
    missing = [
        (g.id, m.quote)
        for g in guides
        for m in g.mentioned_in
        if not any(find_quote(c.text, m.quote) for c in chunks[m.document_id])
    ]
    assert missing == []


def test_check_quotes_reports_an_invented_quote(guides: list[Guide]) -> None:
    assert check_quotes(guides, RAW_DOCUMENTS) == []
    bad = guides[0].model_copy(
        update={
            "mentioned_in": [
                guides[0].mentioned_in[0].model_copy(update={"quote": "a sentence the corpus never contains"})
            ]
        }
    )
    problems = check_quotes([bad], RAW_DOCUMENTS)
    assert len(problems) == 1 and bad.id in problems[0]


def test_find_quote_tolerates_line_breaks_and_typographic_quotes() -> None:
    text = "UNHCR\u2019s 10 Point Plan of Action\n for Refugee Protection"
    assert find_quote(text, "UNHCR's 10 Point Plan of Action for Refugee") is not None
    assert find_quote(text, "UNHCR's 11 Point Plan") is None


def _write(tmp_path: Path, name: str, data: dict) -> Path:  # type: ignore[type-arg]
    (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.fixture
def good() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((GUIDES_DIR / "solas.yaml").read_text(encoding="utf-8")) | {"related": []}


def test_a_valid_guide_loads(tmp_path: Path, good: dict) -> None:  # type: ignore[type-arg]
    assert [g.id for g in load_guides(_write(tmp_path, "solas", good))] == ["solas"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "treaty-ish"}, "kind"),
        ({"populations": ["sailors"]}, "populations.0"),
        ({"stages": []}, "stages"),
        ({"mentioned_in": []}, "mentioned_in"),
        (
            {"mentioned_in": [{"document_id": "gfmd-2012-rt32-background", "quote": "short"}]},
            "mentioned_in.0.quote",
        ),
        ({"not_for": ["at_sea"]}, "not_for repeats"),
        ({"year": 1492}, "year"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_a_malformed_guide_is_rejected_naming_file_and_field(
    tmp_path: Path, good: dict, change: dict, field: str
) -> None:  # type: ignore[type-arg]
    with pytest.raises(KnowledgeError) as err:
        load_guides(_write(tmp_path, "solas", good | change))
    assert "solas.yaml" in str(err.value) and field in str(err.value)


def test_a_missing_field_is_named(tmp_path: Path, good: dict) -> None:  # type: ignore[type-arg]
    del good["issuer"]
    with pytest.raises(KnowledgeError, match=r"solas\.yaml: field 'issuer'"):
        load_guides(_write(tmp_path, "solas", good))


def test_id_must_match_file_name_and_related_ids_must_exist(tmp_path: Path, good: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(KnowledgeError, match=r"other\.yaml: field 'id'"):
        load_guides(_write(tmp_path, "other", good))
    (tmp_path / "other.yaml").unlink()
    with pytest.raises(KnowledgeError, match=r"solas\.yaml: field 'related': unknown guide id 'nope'"):
        load_guides(_write(tmp_path, "solas", good | {"related": ["nope"]}))


def test_broken_yaml_and_missing_dir_are_knowledge_errors(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"x\.yaml: cannot read YAML"):
        load_guides(tmp_path)
    with pytest.raises(KnowledgeError, match="not found"):
        load_guides(tmp_path / "nowhere")
    assert issubclass(KnowledgeError, ValueError)


def test_guide_chunks_are_citable_and_ids_stable(guides: list[Guide]) -> None:
    chunks = guide_chunks(guides)
    assert len(chunks) == len(guides)
    by_doc = {c.document_id: c for c in chunks}
    solas = by_doc["solas"]
    assert (
        solas.kind == "guide"
        and solas.location == "tool guide"
        and solas.title.startswith("International Convention")
    )
    assert "SOLAS" in solas.text and "Key provisions" in solas.text
    assert [c.id for c in guide_chunks(guides)] == [c.id for c in chunks]  # deterministic across calls
    assert len({c.id for c in chunks}) == len(chunks)
    g = next(g for g in guides if g.id == "solas")
    edited = g.model_copy(update={"summary": g.summary + " Edited."})
    assert guide_chunks([edited])[0].id != solas.id  # content-derived
