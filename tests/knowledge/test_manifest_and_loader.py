"""Manifest validation, and loading .txt/.md/.pdf files with or without a manifest entry."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeError
from knowledge.loader import content_hash, derive_meta, load_corpus, load_paths
from knowledge.manifest import load_manifest

DOCS = Path(__file__).resolve().parents[2] / "knowledge" / "documents"


def test_shipped_manifest_is_valid_and_names_the_five_documents() -> None:
    ids = [m.id for m in load_manifest(DOCS)]
    assert ids == [
        "gfmd-2012-cs-protection-note",
        "gfmd-2012-rt32-background",
        "gfmd-2012-ws3b-report",
        "mfa-2013-asia-pacific-recommendations",
        "gfmd-2020-rt4-gaps-background",
    ]


def _manifest(tmp_path: Path, body: str) -> Path:
    (tmp_path / "a.txt").write_text("Some text about migrants.")
    (tmp_path / "manifest.yaml").write_text(body)
    return tmp_path


ENTRY = "  - {id: doc-a, title: Doc A, issuer: X, date: '2012', language: en, file: a.txt, original_file: a.txt}\n"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("documents: [\n", "cannot be read as YAML"),
        ("docs: []\n", "'documents' list"),
        ("documents:\n  - just a string\n", "documents[0]: expected a mapping"),
        (("documents:\n  - {id: Bad Id, title: T, issuer: X, date: '2012', language: en, file: a.txt,"
          " original_file: a.txt}\n"), "documents[0] (id 'Bad Id'): id:"),
        ("documents:\n  - {id: doc-a, title: Doc A, issuer: X, date: '2012', language: en, file: a.txt}\n",
         "original_file: Field required"),
        ("documents:\n" + ENTRY + ENTRY, "duplicate document id"),
        (("documents:\n  - {id: doc-b, title: Doc B, issuer: X, date: '2012', language: en, file: missing.txt,"
          " original_file: a.txt}\n"), "file 'missing.txt' not found"),
        (("documents:\n  - {id: doc-a, title: Doc A, issuer: X, date: '2012', language: en, file: a.txt,"
          " original_file: a.txt, colour: red}\n"), "colour: Extra inputs"),
    ],
)
def test_malformed_manifest_entries_fail_with_a_clear_message(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(KnowledgeError) as err:
        load_manifest(_manifest(tmp_path, body))
    assert message in str(err.value)
    assert "manifest.yaml" in str(err.value)


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="manifest not found"):
        load_manifest(tmp_path)


def test_arbitrary_paths_get_a_derived_id_and_the_stem_as_title(tmp_path: Path) -> None:
    note = tmp_path / "Field Notes 2024.md"
    note.write_text("# Shelters\n\nThe shelter in the port city takes families.\n\n## Hotlines\n\nCall the line.\n")
    shutil.copy(DOCS / "gfmd-2012-ws3b-report.txt", tmp_path / "gfmd-2012-ws3b-report.txt")
    docs = {d.meta.id: d for d in load_paths([tmp_path])}
    assert set(docs) == {"field-notes-2024", "gfmd-2012-ws3b-report"}
    md = docs["field-notes-2024"]
    assert md.meta.title == "Field Notes 2024"
    assert [(c.section, c.text) for c in md.chunks] == [
        ("Shelters", "The shelter in the port city takes families."), ("Hotlines", "Call the line.")]
    assert md.content_hash == content_hash(note)
    assert derive_meta(Path("x/Ab.txt")).title == "Document Ab"


def test_a_file_in_a_manifest_folder_keeps_its_entry() -> None:
    (doc,) = load_paths([DOCS / "gfmd-2012-ws3b-report.txt"])
    assert doc.meta.title.startswith("Protecting Migrants in Dire Humanitarian Situations")
    assert doc.chunks == next(d for d in load_corpus(DOCS) if d.meta.id == doc.meta.id).chunks


def test_unreadable_inputs_are_knowledge_errors(tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_bytes(b"PK")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    for name, message in [("x.docx", "unsupported file type"), ("latin1.txt", "UTF-8"), ("broken.pdf", "PDF"),
                          ("nope.txt", "no such file")]:
        with pytest.raises(KnowledgeError, match=message):
            load_paths([tmp_path / name])


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A real PDF with extractable text (TrueType fonts), one list of lines per page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with plt.rc_context({"pdf.fonttype": 42}), PdfPages(path) as pdf:
        for number, lines in enumerate(pages, start=1):
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.1, 0.95, "Shelter guide - draft", fontsize=9)  # running header
            for i, line in enumerate(lines):
                fig.text(0.1, 0.9 - 0.03 * i, line, fontsize=11)
            fig.text(0.5, 0.03, str(number), fontsize=9)  # page number
            pdf.savefig(fig)
            plt.close(fig)
    return path


def test_pdf_pages_are_cleaned_and_chunks_keep_their_page(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "shelter-guide.pdf", [
        ["Arrival", "", "Families arriving by boat are met at the pier and taken to the shelter with-",
         "out delay. The shelter works without appointments."],
        ["Legal aid", "", "Lawyers visit the shelter on Tuesdays and explain asylum procedures."],
        ["Health", "", "A nurse sees new arrivals on the first day."],
    ])
    (doc,) = load_paths([pdf])
    assert doc.meta.id == "shelter-guide"
    by_page = {c.location: c.text for c in doc.chunks}
    assert by_page["p. 1, § Arrival"] == (
        "Families arriving by boat are met at the pier and taken to the shelter without delay. "
        "The shelter works without appointments.")
    assert by_page["p. 2, § Legal aid"].startswith("Lawyers visit the shelter on Tuesdays")
    assert "p. 3, § Health" in by_page
    assert not any("Shelter guide - draft" in c.text or c.text.strip().isdigit() for c in doc.chunks)
