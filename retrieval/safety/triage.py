"""Triage: rules first (no model needed), then the classifier layers may raise the level. Never raises."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from retrieval.safety.classifier import Prediction, RiskClassifier, SupportsEmbed
from retrieval.safety.language import SUPPORTED, detect_language
from retrieval.safety.ngram import NgramRiskClassifier
from retrieval.safety.rules import LEVELS, assess_rules

logger = logging.getLogger(__name__)

Level = Literal["none", "refer", "urgent"]

# all-MiniLM-L6-v2 was trained on English: on the other languages its probabilities hover around 0.5 whatever
# the message says (measured on the safety set), so there the classifier would only add noise.
CLASSIFIER_LANGUAGES = frozenset({"en"})

# A classifier reading of one or two words is a guess: "no", "não", "la" and "warm-up" scored urgent. In about
# 11,500 labelled lines no urgent message that short escaped the rules ("help", "sos", "socorro" are rules), so the
# layers need three words before they may raise anything.
MIN_CLASSIFIER_WORDS = 3

# Topics to offer when only a classifier fired and it cannot tell which hotline fits (the embedding classifier
# never can; the n-gram layer names a topic when its topic model is sure enough).
_CLASSIFIER_TOPICS: dict[str, tuple[str, ...]] = {"urgent": ("emergency",), "refer": ("labour_rights",)}


@dataclass(frozen=True)
class TriageResult:
    level: Level
    reasons: tuple[str, ...]  # signal ids ("lex:en:sea_distress", "clf:urgent:0.91"), never the user's text
    topics: tuple[str, ...]
    language: str


def model_raised(reasons: list[str] | tuple[str, ...]) -> bool:
    """True when a classifier layer, not a rule, made the message urgent (layers only ever raise the level)."""
    return any(r.startswith(("ngram:urgent:", "clf:urgent:")) for r in reasons)


class _Layer:
    """A classifier that may raise the rule level; after its first failure it is skipped (rules still run)."""

    def __init__(self, name: str, model: RiskClassifier | NgramRiskClassifier, languages: frozenset[str] | None):
        self.name = name
        self.model = model
        self.languages = languages  # None: every language
        self.failed = False

    def warm(self) -> bool:
        if self.failed:
            return False
        try:
            self.model.ensure_fitted()
            return True
        except Exception as exc:  # noqa: BLE001 — a model layer is optional: rules alone still triage
            self.failed = True
            logger.warning("triage layer %s unavailable, skipped: %s", self.name, type(exc).__name__)
            return False

    def predict(self, text: str, language: str) -> Prediction | None:
        if self.failed or (self.languages is not None and language not in self.languages):
            return None
        try:
            return self.model.predict(text)
        except Exception as exc:
            self.failed = True  # e.g. the model could not load: stop retrying every turn
            logger.warning("triage layer %s failed, skipped from now on: %s", self.name, type(exc).__name__)
            raise


class Triage:
    def __init__(self, embedder: SupportsEmbed | None = None, ngram: bool = True) -> None:
        """`embedder`: adds the English embedding classifier. `ngram`: adds the multilingual n-gram classifier,
        which needs no model (False gives rules alone, for measuring them)."""
        self._layers: list[_Layer] = []
        if embedder is not None:
            self._layers.append(_Layer("clf", RiskClassifier(embedder), CLASSIFIER_LANGUAGES))
        if ngram:
            self._layers.append(_Layer("ngram", NgramRiskClassifier(), None))

    def warm(self) -> bool:
        """Fit the classifiers now (start-up) rather than on the first turn. False if one cannot be used."""
        return all([layer.warm() for layer in self._layers])  # noqa: C419 — a list: warm every layer, not stop at one

    def assess(self, text: str, language: str | None = None, persona: str | None = None) -> TriageResult:
        """`persona="practitioner"`: a case described by a practitioner is `refer` (framework answer plus
        hotlines) unless it carries an immediacy marker ("right now", "help"), which keeps it `urgent`."""
        try:
            return self._assess(text, language, persona)
        except Exception as exc:  # noqa: BLE001 — triage must never break a turn; fail towards offering help
            logger.error("triage failed (%s); answering with refer", type(exc).__name__)
            lang = language if language in SUPPORTED else "en"
            return TriageResult("refer", ("error:triage",), ("emergency",), lang)

    def _assess(self, text: str, language: str | None, persona: str | None) -> TriageResult:
        text = text if isinstance(text, str) else ""
        lang = language if language in SUPPORTED else detect_language(text)
        rules = assess_rules(text)
        level: str = rules.level
        reasons = list(rules.reasons)
        topics = list(rules.topics)
        framed = rules.framed
        if persona == "practitioner" and level == "urgent" and not rules.immediate:
            level, framed = "refer", True
            reasons.append("frame:persona:practitioner")
        # A practitioner describing a case gets the framework answer plus hotlines, not the crisis reply; so does
        # a question about rights or services, when only a classifier would call it urgent (the rules still can).
        ceiling = "refer" if persona == "practitioner" and not rules.immediate else "urgent"
        layers = self._layers if len(text.split()) >= MIN_CLASSIFIER_WORDS and not framed else []
        for layer in layers:
            if LEVELS.index(level) >= LEVELS.index(ceiling):
                break  # nothing left to raise
            try:
                pred = layer.predict(text, lang)
            except Exception:  # noqa: BLE001 — logged by the layer
                reasons.append(f"{layer.name}:unavailable")
                continue
            if pred is None:
                continue
            if pred.level == "urgent" and ceiling == "urgent" and (asks := rules.asks_about_rights):
                ceiling = "refer"
                reasons.append(f"frame:{asks}:rights_question")
            raised = LEVELS[min(LEVELS.index(pred.level), LEVELS.index(ceiling))]
            if LEVELS.index(raised) > LEVELS.index(level) and rules.explained:
                break  # the rules read the danger words away; no classifier may undo that
            if LEVELS.index(raised) > LEVELS.index(level):
                p = pred.p_urgent if raised == "urgent" else pred.p_urgent + pred.p_refer
                reasons.append(f"{layer.name}:{raised}:{p:.2f}")
                level = raised
                topics.extend(t for t in pred.topics or _CLASSIFIER_TOPICS[raised] if t not in topics)
        if level == "urgent" and "emergency" not in topics:
            topics.append("emergency")
        logger.info("triage level=%s reasons=%s language=%s", level, ",".join(reasons), lang)
        return TriageResult(level, tuple(reasons), tuple(topics) if level != "none" else (), lang)  # type: ignore[arg-type]
