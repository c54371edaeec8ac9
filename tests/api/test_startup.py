"""`python -m api` builds the index in a child process and starts even when that build fails."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest


def test_a_failed_first_build_is_logged_and_does_not_stop_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from api import __main__ as entry
    from retrieval.settings import get_settings

    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DOCUMENTS_DIR", str(tmp_path / "no-such-corpus"))
    monkeypatch.setenv("EMBED_BACKEND", "torch")  # only the build is under test here, not the ONNX export
    get_settings.cache_clear()
    try:
        with caplog.at_level(logging.INFO, logger="passage"):
            entry._ensure_index()  # returns: the API then answers crises with hotlines and the rest with 503
    finally:
        get_settings.cache_clear()
    assert "building the index failed" in caplog.text
    assert not (tmp_path / "data" / "ingest_state.json").exists()
