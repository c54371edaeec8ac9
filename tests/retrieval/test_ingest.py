"""Ingest against a real embedded Chroma and the real model: idempotent, incremental, scoped to given paths."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.loader import load_corpus
from retrieval import ingest as ingest_module
from retrieval.errors import IndexUnavailable, IngestError
from retrieval.index import Index
from retrieval.ingest import STATE_FILE, read_state, run_ingest
from retrieval.lexical import LexicalIndex, fingerprint
from tests.retrieval.index_helpers import (
    SHELTERS,
    make_corpus,
    make_settings,
    manifest_entries,
    write_manifest,
)


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path, make_corpus(tmp_path)


def wanted_ids(docs_dir: Path) -> set[str]:
    return {c.id for d in load_corpus(docs_dir) for c in d.chunks}


def chunk_counts(docs_dir: Path) -> dict[str, int]:
    return {d.meta.id: len(d.chunks) for d in load_corpus(docs_dir)}


def test_first_ingest_builds_everything_and_a_second_embeds_nothing(corpus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root, docs_dir = corpus
    settings = make_settings(root, docs_dir)
    first = run_ingest(settings, progress=False)
    expected = wanted_ids(docs_dir)
    assert first.documents == 2 and first.guides == 0
    assert first.added == first.chunks == len(expected) and first.removed == 0

    index = Index.open(settings)
    assert index.store.ids() == expected
    assert index.documents() == chunk_counts(docs_dir)
    state = read_state(settings)
    assert state is not None and state["chunks"] == len(expected) and set(state["documents"]) == {
        "gfmd-2012-ws3b-report", "shelters"}
    assert LexicalIndex.load(settings.lexical_path).fingerprint == fingerprint(expected)  # type: ignore[union-attr]

    def no_model():  # type: ignore[no-untyped-def]
        raise AssertionError("an unchanged corpus must not load the embedding model")

    monkeypatch.setattr(ingest_module, "_embedder", no_model)
    second = run_ingest(settings, progress=False)
    assert (second.added, second.removed, second.updated, second.unchanged) == (0, 0, 0, len(expected))
    assert Index.open(settings).store.ids() == expected


def test_changed_document_replaces_exactly_its_changed_chunks_and_deleted_documents_leave(corpus) -> None:  # type: ignore[no-untyped-def]
    root, docs_dir = corpus
    settings = make_settings(root, docs_dir)
    run_ingest(settings, progress=False)
    before = wanted_ids(docs_dir)

    (docs_dir / "shelters.txt").write_text(SHELTERS.replace("around the clock", "from 8am to 8pm"))
    after = wanted_ids(docs_dir)
    gone, new = before - after, after - before
    assert len(gone) == len(new) == 1
    report = run_ingest(settings, progress=False)
    assert (report.added, report.removed) == (1, 1)
    index = Index.open(settings)
    assert index.store.ids() == after
    hit = index.search("when does the hotline answer", k=1)[0]
    assert "from 8am to 8pm" in hit.chunk.text and hit.chunk.id in new

    counts = chunk_counts(docs_dir)
    write_manifest(docs_dir, [e for e in manifest_entries(docs_dir) if e["id"] != "shelters"])
    report = run_ingest(settings, progress=False)
    assert report.added == 0 and report.removed == counts["shelters"]
    index = Index.open(settings)
    assert index.documents() == {"gfmd-2012-ws3b-report": counts["gfmd-2012-ws3b-report"]}
    assert all(h.chunk.document_id == "gfmd-2012-ws3b-report" for h in index.search("shelter hotline", 5))


def test_an_edit_above_a_passage_only_relocates_it(corpus) -> None:  # type: ignore[no-untyped-def]
    root, docs_dir = corpus
    settings = make_settings(root, docs_dir)
    run_ingest(settings, progress=False)
    extra = ("Since March the shelter is run jointly by the city and two charities, which share the costs and the "
             "staff. The city pays for the building, the heating and the night guard; the charities pay for food, "
             "clothes and the small fund for bus tickets. Decisions about admissions are taken by the shelter "
             "coordinator alone, never by the police or the immigration office.\n\n")
    (docs_dir / "shelters.txt").write_text(SHELTERS.replace("The port city shelter", extra + "The port city shelter"))
    report = run_ingest(settings, progress=False)
    assert report.added == 1 and report.removed == 0  # only the new paragraph is embedded...
    assert report.updated >= 1  # ...the passages below it keep their vectors and get their new location
    index = Index.open(settings)
    (volunteers,) = [c for c in index.document_chunks("shelters") if c.text.startswith("Volunteers")]
    assert volunteers.location == "§ Shelters and first help, para. 3"


def test_given_paths_are_added_without_touching_other_documents(corpus, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, docs_dir = corpus
    settings = make_settings(root, docs_dir)
    run_ingest(settings, progress=False)
    extra = tmp_path / "inbox" / "Legal aid notes.md"
    extra.parent.mkdir()
    extra.write_text("# Legal aid\n\nLawyers visit the detention centre every Tuesday.\n")
    report = run_ingest(settings, paths=[extra], progress=False)
    assert report.documents == 1 and report.added == 1 and report.removed == 0
    index = Index.open(settings)
    assert set(index.documents()) == {"gfmd-2012-ws3b-report", "shelters", "legal-aid-notes"}
    assert index.search("which day do lawyers visit detention", 1)[0].chunk.title == "Legal aid notes"
    assert run_ingest(settings, paths=[extra], progress=False).added == 0


def test_broken_inputs_are_ingest_errors_and_an_empty_index_is_unavailable(corpus) -> None:  # type: ignore[no-untyped-def]
    root, docs_dir = corpus
    settings = make_settings(root, docs_dir)
    with pytest.raises(IndexUnavailable, match="run `python -m retrieval.ingest`"):
        Index.open(settings)
    (docs_dir / "manifest.yaml").write_text("documents: [{id: x}]\n")
    with pytest.raises(IngestError, match=r"documents\[0\]"):
        run_ingest(settings, progress=False)
    with pytest.raises(IngestError, match="no such file"):
        run_ingest(settings, paths=[root / "missing.pdf"], progress=False)


def test_cli_reports_a_summary_and_fails_cleanly(corpus, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import typer

    from retrieval import settings as settings_module

    root, docs_dir = corpus
    settings = make_settings(root, docs_dir)
    monkeypatch.setattr(settings_module, "get_settings", lambda: settings)
    ingest_module.main(paths=None, quiet=True)
    out = capsys.readouterr().out
    assert "2 documents, 0 guides" in out and "added" in out
    with pytest.raises(typer.Exit) as exit_info:
        ingest_module.main(paths=[root / "nope.txt"], quiet=True)
    assert exit_info.value.exit_code == 1
    assert "ingest failed:" in capsys.readouterr().err
    assert json.loads((settings.data_dir / STATE_FILE).read_text())["chunks"] > 0
