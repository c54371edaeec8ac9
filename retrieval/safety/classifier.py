"""The model layer of triage: logistic regression on sentence embeddings, trained from training.jsonl.

It can only RAISE the rule level (rules are the floor) and is tuned to be conservative: it calls a message
urgent only above a high probability, because a false "urgent" floods hotlines and erodes trust in them.

Fitted at first use and cached in memory, not shipped as an .npz: the training set is small (about a hundred
lines, a few seconds to embed on CPU), so training from the file keeps the labelled data the single source of
truth and the coefficients always match the embedding model actually installed (a shipped .npz would silently
go stale when either changes). `Triage.warm()` lets a server pay that cost at start-up instead of on a turn.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

logger = logging.getLogger(__name__)

TRAINING_FILE = Path(__file__).resolve().parent / "training.jsonl"
LABELS = ("none", "refer", "urgent")
URGENT_THRESHOLD = 0.80  # P(urgent) needed to raise a message to urgent
REFER_THRESHOLD = 0.85  # P(refer) + P(urgent) needed to raise a "none" to refer


class SupportsEmbed(Protocol):
    def embed(self, texts: list[str]) -> Any: ...


@dataclass(frozen=True)
class Prediction:
    level: str
    p_urgent: float
    p_refer: float
    topics: tuple[str, ...] = ()  # hotline topics the layer read, when it can tell (n-gram layer only)


def decide(probs: dict[str, float], urgent_threshold: float, refer_threshold: float) -> Prediction:
    """Probabilities per label to a level: urgent above its threshold, else refer if P(refer)+P(urgent) is."""
    p_urgent = float(probs.get("urgent", 0.0))
    p_refer = float(probs.get("refer", 0.0))
    if p_urgent >= urgent_threshold:
        level = "urgent"
    elif p_urgent + p_refer >= refer_threshold:
        level = "refer"
    else:
        level = "none"
    return Prediction(level, p_urgent, p_refer)


def load_training(*paths: Path) -> list[tuple[str, str]]:
    """(text, label) lines of labelled JSONL files (`training.jsonl` by default); a bad line names its place."""
    rows: list[tuple[str, str]] = []
    for path in paths or (TRAINING_FILE,):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            if item.get("label") not in LABELS or not str(item.get("text", "")).strip():
                raise ValueError(f"{path.name}:{number}: needs a text and a label in {LABELS}")
            rows.append((item["text"], item["label"]))
    return rows


def load_topics(*paths: Path) -> list[tuple[str, str]]:
    """(text, topic) for the labelled lines that carry a hotline `topic` (the urgent and refer lines)."""
    rows: list[tuple[str, str]] = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            if item.get("topic"):
                rows.append((item["text"], item["topic"]))
    return rows


class RiskClassifier:
    def __init__(self, embedder: SupportsEmbed, training: Path = TRAINING_FILE) -> None:
        self._embedder = embedder
        self._training = training
        self._model: Any = None
        self._lock = threading.Lock()

    def fit(self) -> None:
        from sklearn.linear_model import LogisticRegression

        rows = load_training(self._training)
        x = np.asarray(self._embedder.embed([t for t, _ in rows]), dtype=np.float32)
        y = np.asarray([LABELS.index(label) for _, label in rows])
        model = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced")
        model.fit(x, y)
        self._model = model
        logger.info("triage classifier fitted on %d examples", len(rows))

    def ensure_fitted(self) -> None:
        with self._lock:
            if self._model is None:
                self.fit()

    def predict(self, text: str) -> Prediction:
        self.ensure_fitted()
        x = np.asarray(self._embedder.embed([text]), dtype=np.float32).reshape(1, -1)
        probs = dict(zip((LABELS[c] for c in self._model.classes_), self._model.predict_proba(x)[0]))
        return decide(probs, URGENT_THRESHOLD, REFER_THRESHOLD)
