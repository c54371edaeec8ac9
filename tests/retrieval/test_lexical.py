from pathlib import Path

from knowledge.schema import Chunk
from retrieval.lexical import LexicalIndex, fingerprint


def chunk(i: str, text: str, section: str = "") -> Chunk:
    return Chunk(id=i, document_id="d", title="D", section=section, location="x", text=text)


CHUNKS = [
    chunk("a", "Ships must render assistance to persons in distress at sea."),
    chunk("b", "Recruitment agencies should not charge fees to migrant workers."),
    chunk("c", "Unaccompanied children are appointed a guardian.", section="Rescuing children"),
]


def test_bm25_ranks_by_shared_stemmed_terms_and_drops_non_matches(tmp_path: Path) -> None:
    index = LexicalIndex.build(CHUNKS, tmp_path / "lex")
    assert next(i for i, _ in index.search("who rescues ships in distress?", 5)) == "a"
    assert [i for i, _ in index.search("recruiter fees charged", 5)] == ["b"]  # stemming: fees/charged/charge
    assert [i for i, _ in index.search("rescue", 5)] == ["c"]  # the section heading is indexed too
    assert index.search("the of and", 5) == []  # only stop words
    assert index.search("zebra", 5) == [] and index.search("   ", 5) == []


def test_persisted_index_round_trips_with_its_fingerprint(tmp_path: Path) -> None:
    built = LexicalIndex.build(CHUNKS, tmp_path / "lex")
    loaded = LexicalIndex.load(tmp_path / "lex")
    assert loaded is not None
    assert loaded.fingerprint == built.fingerprint == fingerprint({"a", "b", "c"})
    assert loaded.search("guardian for children", 3) == built.search("guardian for children", 3)
    assert LexicalIndex.load(tmp_path / "missing") is None
    (tmp_path / "lex" / "chunk_ids.json").write_text("{not json")
    assert LexicalIndex.load(tmp_path / "lex") is None  # a damaged index is rebuilt, not trusted
