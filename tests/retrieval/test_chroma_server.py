"""The same index code against a real Chroma server (`chroma run`), started and stopped by the test."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from retrieval.errors import IndexUnavailable
from retrieval.index import Index
from retrieval.ingest import run_ingest
from tests.conftest import free_port
from tests.retrieval.index_helpers import make_corpus, make_settings

CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture()
def chroma_server(tmp_path: Path) -> Iterator[str]:
    if not CHROMA.exists() and shutil.which("chroma") is None:
        pytest.fail("the chroma CLI is part of the chromadb dependency and must be installed")
    port = free_port()
    proc = subprocess.Popen(
        [str(CHROMA if CHROMA.exists() else "chroma"), "run", "--path", str(tmp_path / "server-data"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "chroma run exited"
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "chroma server did not start"
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_ingest_and_search_through_a_chroma_server(tmp_path: Path, chroma_server: str) -> None:
    docs_dir = make_corpus(tmp_path)
    settings = make_settings(tmp_path, docs_dir, chroma_url=chroma_server)
    report = run_ingest(settings, progress=False)
    assert report.added == report.chunks > 10
    assert not (settings.data_dir / "chroma").exists()  # nothing embedded on disk: the server holds it
    index = Index.open(settings)
    assert index.count() == report.chunks
    top = index.search("Which model should pilot projects build on?", 3)
    assert any("Lampedusa model" in h.chunk.text for h in top)
    assert run_ingest(settings, progress=False).added == 0


def test_an_unreachable_server_is_index_unavailable(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, make_corpus(tmp_path), chroma_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(IndexUnavailable):
        Index.open(settings)
