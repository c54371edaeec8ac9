"""Session fixtures shared by every test package: one real index, one Assistant, one real uvicorn server."""
from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from retrieval.settings import Settings  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for tests: never read the developer's .env or environment overrides."""
    return Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return make_settings(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="session")
def built_index(settings: Settings):  # type: ignore[no-untyped-def]
    from retrieval.ingest import run_ingest

    return run_ingest(settings, progress=False)


@pytest.fixture(scope="session")
def assistant(settings: Settings, built_index):  # type: ignore[no-untyped-def]
    from retrieval.assistant import Assistant

    a = Assistant.from_settings(settings)
    yield a
    a.close()


class ServerThread:
    """A real uvicorn server on loopback in a background thread, stopped by the fixture."""

    def __init__(self, app, port: int) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def api_server(settings: Settings, assistant) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from api.main import create_app

    with ServerThread(create_app(settings, assistant=assistant), free_port()) as server:
        yield server.url
