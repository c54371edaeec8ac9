"""The same sentence model run by ONNX Runtime: exported once from the installed weights, then served without torch.

Why: a turn embeds one short question. Through sentence-transformers on torch that took 7.9-10.1 ms of CPU on
one thread; the same graph on ONNX Runtime takes 3.4-4.5 ms, tokenizing included, with vectors equal to within
1e-6 (tested), so an index built by either is searched by either. A serving process then never imports torch
(about 300 MB less memory). sentence-transformers' own ONNX backend needs `optimum`, which does not install beside
sentence-transformers 6, so the export and the two steps after the transformer (mean pooling, L2 normalisation,
read from the model's own module configs) are done here.

The export is local (torch.onnx from the package's weights): nothing is downloaded. It is written to a temporary
file and renamed, so two processes exporting at once cannot leave a half-written model.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class UnsupportedModel(ValueError):
    """The model's pooling is not the mean-then-normalise this encoder reproduces."""


def _check_pipeline(model_dir: Path) -> int:
    """The max sequence length, after checking the modules are Transformer -> mean Pooling -> Normalize."""
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((model_dir / "modules.json").read_text())]
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode_") and v}
    if modules != ["Transformer", "Pooling", "Normalize"] or modes != {"pooling_mode_mean_tokens"}:
        raise UnsupportedModel(f"modules {modules}, pooling {sorted(modes)}")
    return int(json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"])


def model_fingerprint(model_dir: Path) -> str:
    """Names the export after the weights it came from, so new weights get a new export."""
    h = hashlib.sha256()
    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        st = (model_dir / name).stat()
        h.update(f"{name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def export(model_dir: Path, dest: Path) -> Path:
    """Export the transformer of the sentence model in `model_dir` to `dest` (ONNX), atomically."""
    import torch
    from transformers import AutoModel

    _check_pipeline(model_dir)
    model = AutoModel.from_pretrained(str(model_dir)).eval()

    class _LastHidden(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = torch.ones((1, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, suffix=".onnx.tmp")
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # tracer warnings about shape-dependent branches of the HF code
            torch.onnx.export(
                _LastHidden(model),
                (sample, sample, torch.zeros_like(sample)),
                tmp,
                input_names=list(INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    log.info("exported the embedding model to %s", dest)
    return dest


class OnnxEncoder:
    """texts -> L2-normalised float32 vectors, as SentenceTransformer.encode(normalize_embeddings=True) gives."""

    def __init__(self, onnx_path: Path, model_dir: Path, threads: int = 1) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        max_len = _check_pipeline(model_dir)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_len)
        pad = self.tokenizer.token_to_id("[PAD]")
        self.tokenizer.enable_padding(pad_id=0 if pad is None else pad, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def __call__(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # longest first, as sentence-transformers does, so a batch pads to similar lengths
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(texts), batch_size):
            idx = order[start : start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[idx] = pooled / np.clip(norms, 1e-12, None)
        return out
