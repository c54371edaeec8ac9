"""An ingest killed with SIGKILL mid-way leaves an index that opens, and the next run repairs it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.loader import load_corpus
from retrieval.embedder import MODEL_NAME
from retrieval.index import Index
from retrieval.ingest import BATCH_MARKER_ENV, read_state, run_ingest
from retrieval.lexical import fingerprint
from retrieval.store import ChromaStore
from tests.retrieval.index_helpers import make_corpus, make_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_kill_during_ingest_then_a_normal_run_repairs(tmp_path: Path) -> None:
    docs_dir = make_corpus(tmp_path, documents=("gfmd-2012-cs-protection-note", "gfmd-2012-ws3b-report"))
    settings = make_settings(tmp_path, docs_dir, embedding_batch_size=4)
    wanted = {c.id for d in load_corpus(docs_dir) for c in d.chunks}
    assert len(wanted) > 20  # enough batches for the kill to land in the middle

    marker = tmp_path / "batches.log"
    env = {
        **os.environ,
        "DATA_DIR": str(settings.data_dir),
        "DOCUMENTS_DIR": str(docs_dir),
        "GUIDES_DIR": str(tmp_path / "no-guides"),
        "EMBEDDING_BATCH_SIZE": "4",
        "CHROMA_URL": "",
        BATCH_MARKER_ENV: str(marker),
        "HF_HUB_OFFLINE": "1",
        # run from the tmp dir (no developer .env is read), importing this checkout
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("CHROMA_URL")
    proc = subprocess.Popen([sys.executable, "-m", "retrieval.ingest", "--quiet"], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while not (marker.exists() and len(marker.read_text().split()) >= 2):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "ingest exited early"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    assert read_state(settings) is None  # the run never finished: no state written
    partial = ChromaStore.from_settings(settings, MODEL_NAME).ids()
    assert 8 <= len(partial) < len(wanted) and partial <= wanted

    # the half-built index still opens: the lexical index is rebuilt over what the store holds
    half = Index.open(settings)
    assert half.lexical.fingerprint == fingerprint(partial)
    assert half.search("kafala sponsorship", 3) is not None

    report = run_ingest(settings, progress=False)
    assert report.added == len(wanted) - len(partial) and report.removed == 0
    repaired = Index.open(settings)
    assert repaired.store.ids() == wanted  # what a clean build holds
    assert repaired.lexical.fingerprint == fingerprint(wanted)
    assert read_state(settings)["chunks"] == len(wanted)  # type: ignore[index]
