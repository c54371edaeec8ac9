"""The ONNX Runtime path gives the torch model's vectors, falls back to torch when it cannot be built, and keeps
torch out of a serving process."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.embedder import get_embedder
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[2]


def _texts() -> list[str]:
    lines = (ROOT / "retrieval/safety/training_multilingual.jsonl").read_text(encoding="utf-8").splitlines()
    multilingual = [json.loads(line)["text"] for line in lines[::40]]
    long = (ROOT / "knowledge/documents/gfmd-2012-rt32-background.txt").read_text(encoding="utf-8")[:6000]
    return ["can my agency keep my passport", "", "a", long, *multilingual]


def test_onnx_vectors_equal_torch_vectors(settings) -> None:  # type: ignore[no-untyped-def]
    onnx = get_embedder(settings, backend="onnx")
    torch = get_embedder(settings, backend="torch")
    assert (onnx.backend, torch.backend) == ("onnx", "torch")
    texts = _texts()
    a, b = onnx.embed(texts), torch.embed(texts)
    assert a.shape == b.shape == (len(texts), 384)
    # the long text is cut at 256 tokens by both; a wrong cut or pooling would differ by far more than this
    assert float(np.abs(a - b).max()) < 1e-5
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    one = onnx.embed_one(texts[0])
    assert float(np.abs(one - b[0]).max()) < 1e-5


@pytest.mark.parametrize("fault", ["export fails", "export is corrupt"])
def test_falls_back_to_torch(fault: str, tmp_path: Path, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    from retrieval import onnx_encoder
    from retrieval.embedder import models_dir, onnx_path

    settings = make_settings(tmp_path)
    if fault == "export fails":
        def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("no space left")

        monkeypatch.setattr(onnx_encoder, "export", broken)
    else:
        path = onnx_path(models_dir(settings))
        path.parent.mkdir()
        path.write_bytes(b"half a file")
    with caplog.at_level(logging.WARNING, logger="retrieval.embedder"):
        embedder = get_embedder(settings)
    assert embedder.backend == "torch"
    assert "ONNX embedding unavailable" in caplog.text
    assert embedder.embed_one("my boss keeps my passport").shape == (384,)


def test_a_serving_process_never_imports_torch(settings, built_index) -> None:  # type: ignore[no-untyped-def]
    """Torch is ~300 MB of a server's memory; with the export in place the server runs without it."""
    code = (
        "import sys; from tests.conftest import make_settings; from retrieval.assistant import Assistant; "
        f"a = Assistant.from_settings(make_settings({str(settings.data_dir)!r})); "
        "ans = a.ask('can my employer keep my passport', persona='migrant'); "
        "print(len(ans.citations), 'torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    citations, torch_loaded = out.stdout.split()[-2:]
    assert int(citations) > 0 and torch_loaded == "False"
