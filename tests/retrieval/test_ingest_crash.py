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
from retrieval.question_store import QuestionStore
from retrieval.store import ChromaStore
from tests.retrieval.index_helpers import make_corpus, make_settings

ROOT = Path(__file__).resolve().parents[2]


def _ingest_killed_after(tmp_path: Path, settings, docs_dir: Path, phase: str, batches: int) -> None:  # type: ignore[no-untyped-def]
    """Run `python -m retrieval.ingest` and SIGKILL it once `batches` batches of `phase` were upserted."""
    marker = tmp_path / "batches.log"
    env = {
        **os.environ,
        "DATA_DIR": str(settings.data_dir),
        "DOCUMENTS_DIR": str(docs_dir),
        "GUIDES_DIR": str(tmp_path / "no-guides"),
        "QUESTIONS_DIR": str(settings.questions_dir),
        "EMBEDDING_BATCH_SIZE": "4",
        BATCH_MARKER_ENV: str(marker),
        "HF_HUB_OFFLINE": "1",
        # run from the tmp dir (no developer .env is read), importing this checkout
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("CHROMA_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "retrieval.ingest", "--quiet"], cwd=tmp_path, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while not (marker.exists() and sum(line.startswith(phase) for line in marker.read_text().splitlines()) >= batches):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "ingest exited early"
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_kill_during_ingest_then_a_normal_run_repairs(tmp_path: Path) -> None:
    docs_dir = make_corpus(tmp_path, documents=("gfmd-2012-cs-protection-note", "gfmd-2012-ws3b-report"))
    settings = make_settings(tmp_path, docs_dir, embedding_batch_size=4)
    wanted = {c.id for d in load_corpus(docs_dir) for c in d.chunks}
    assert len(wanted) > 20  # enough batches for the kill to land in the middle
    _ingest_killed_after(tmp_path, settings, docs_dir, "chunks", 2)

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


@pytest.mark.slow
def test_kill_while_the_question_bank_is_embedded_then_a_normal_run_adds_the_rest(tmp_path: Path) -> None:
    docs_dir = make_corpus(tmp_path, documents=("gfmd-2012-ws3b-report",), shelters=False)
    settings = make_settings(tmp_path, docs_dir, embedding_batch_size=4)
    _ingest_killed_after(tmp_path, settings, docs_dir, "questions", 2)

    partial = QuestionStore.from_settings(settings, MODEL_NAME).count()
    half = Index.open(settings)  # every chunk is in; the bank is partial, and search uses what there is
    assert half.questions is not None and len(half.questions) == partial
    assert half.search("stranded migrants working group", 3)

    report = run_ingest(settings, progress=False)
    assert report.added == 0 and report.questions_added > 0
    assert report.questions == partial + report.questions_added and report.questions_unresolved == 0
    assert len(Index.open(settings).questions) == report.questions  # type: ignore[arg-type]
