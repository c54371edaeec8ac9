"""Escalation never depends on retrieval: each fault we can cause, a crisis still gets its hotlines.

Urgent questions must get a 200 with the full hotline reply; non-urgent ones a 503 that still lists hotlines.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.main import create_app
from retrieval.assistant import Assistant
from retrieval.errors import EmbedderUnavailable
from tests.conftest import ServerThread, free_port, make_settings

URGENT = "Our boat is sinking, water is coming in and there are children with us, please help"
# Missed by the lexicons, made urgent by the n-gram layer alone: the layer must need nothing retrieval needs.
MODEL_URGENT = "नाव में पानी भर रहा है"  # Hindi: "water is filling the boat"
ORDINARY = "What do the documents say about recruitment fees?"


def _assert_crisis_answered(url: str, country: str = "IT") -> None:
    for question in (URGENT, MODEL_URGENT):
        r = httpx.post(f"{url}/v1/ask", json={"question": question, "country": country}, timeout=30)
        assert r.status_code == 200, r.text
        body = r.json()
        esc = body["escalation"]
        assert esc["level"] == "urgent", question
        assert esc["emergency_number"] == "112"
        assert body["answer"].lstrip().find("112") < 200  # the number leads the reply
        assert esc["hotlines"] and body["citations"] == []


def _assert_ordinary_gets_503_with_hotlines(url: str) -> None:
    r = httpx.post(f"{url}/v1/ask", json={"question": ORDINARY, "country": "GB"}, timeout=30)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["detail"] and body["escalation"]["hotlines"]


@pytest.fixture
def serve():  # type: ignore[no-untyped-def]
    servers: list[ServerThread] = []

    def start(settings, assistant) -> str:  # type: ignore[no-untyped-def]
        server = ServerThread(create_app(settings, assistant=assistant), free_port()).__enter__()
        servers.append(server)
        return server.url

    yield start
    for s in servers:
        s.__exit__()


def test_search_hanging_past_the_deadline(settings, built_index, serve, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    slow = make_settings(settings.data_dir, retrieval_deadline_s=0.5)
    assistant = Assistant.from_settings(slow)

    def hang(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(30)

    monkeypatch.setattr(assistant.index, "search", hang)
    url = serve(slow, assistant)
    _assert_crisis_answered(url)
    t0 = time.monotonic()
    _assert_ordinary_gets_503_with_hotlines(url)
    # The search sleeps 30 s; answering well before that proves the deadline cut it short.
    assert time.monotonic() - t0 < 15


def test_index_missing(tmp_path: Path, serve) -> None:  # type: ignore[no-untyped-def]
    empty = make_settings(tmp_path / "nothing-here")
    url = serve(empty, Assistant.from_settings(empty))
    _assert_crisis_answered(url)
    _assert_ordinary_gets_503_with_hotlines(url)
    assert httpx.get(f"{url}/readyz").status_code == 503
    assert httpx.get(f"{url}/healthz").status_code == 200


def test_embedding_model_unavailable(settings, built_index, serve, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import retrieval.embedder

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise EmbedderUnavailable("model files missing")

    monkeypatch.setattr(retrieval.embedder, "get_embedder", broken)
    url = serve(settings, Assistant.from_settings(settings))
    _assert_crisis_answered(url)
    _assert_ordinary_gets_503_with_hotlines(url)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:  # type: ignore[type-arg]
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chroma CLI ships with chromadb"
    port = free_port()
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, "chroma run did not start"
        time.sleep(0.2)
    yield url, proc
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=20)


def test_chroma_server_stopped_mid_service(tmp_path: Path, chroma_server, serve) -> None:  # type: ignore[no-untyped-def]
    from retrieval.ingest import run_ingest

    chroma_url, proc = chroma_server
    remote = make_settings(tmp_path / "remote", chroma_url=chroma_url)
    run_ingest(remote, progress=False)
    url = serve(remote, Assistant.from_settings(remote))
    ok = httpx.post(f"{url}/v1/ask", json={"question": ORDINARY}, timeout=30)
    assert ok.status_code == 200 and ok.json()["citations"]  # served from the Chroma server
    proc.terminate()
    proc.wait(timeout=20)
    _assert_crisis_answered(url)
    _assert_ordinary_gets_503_with_hotlines(url)
