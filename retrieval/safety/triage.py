"""Triage: rules first (no model needed), then the classifier may raise the level. Never raises."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

from retrieval.safety.classifier import RiskClassifier, SupportsEmbed
from retrieval.safety.language import SUPPORTED, detect_language
from retrieval.safety.rules import LEVELS, assess_rules

logger = logging.getLogger(__name__)

Level = Literal["none", "refer", "urgent"]

# all-MiniLM-L6-v2 was trained on English: on the other languages its probabilities hover around 0.5 whatever
# the message says (measured on the safety set), so there the classifier would only add noise.
CLASSIFIER_LANGUAGES = frozenset({"en"})

# Topics to offer when only the classifier fired (it has no idea which hotline fits).
_CLASSIFIER_TOPICS: dict[str, tuple[str, ...]] = {"urgent": ("emergency",), "refer": ("labour_rights",)}


@dataclass(frozen=True)
class TriageResult:
    level: Level
    reasons: tuple[str, ...]  # signal ids ("lex:en:sea_distress", "clf:urgent:0.91"), never the user's text
    topics: tuple[str, ...]
    language: str


class Triage:
    def __init__(self, embedder: SupportsEmbed | None = None) -> None:
        self._classifier = RiskClassifier(embedder) if embedder is not None else None
        self._classifier_failed = False

    def warm(self) -> bool:
        """Fit the classifier now (start-up) rather than on the first turn. False if it cannot be used."""
        if self._classifier is None or self._classifier_failed:
            return False
        try:
            self._classifier.ensure_fitted()
            return True
        except Exception as exc:  # noqa: BLE001 — the embedder is optional: rules alone still triage
            self._classifier_failed = True
            logger.warning("triage classifier unavailable, rules only: %s", type(exc).__name__)
            return False

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
        if (
            self._classifier is not None
            and not self._classifier_failed
            and not framed
            and lang in CLASSIFIER_LANGUAGES
            and text.strip()
        ):
            try:
                pred = self._classifier.predict(text)
            except Exception as exc:  # noqa: BLE001
                self._classifier_failed = True  # e.g. the model could not load: stop retrying every turn
                logger.warning("triage classifier failed, rules only from now on: %s", type(exc).__name__)
                reasons.append("clf:unavailable")
            else:
                if LEVELS.index(pred.level) > LEVELS.index(level):
                    p = pred.p_urgent if pred.level == "urgent" else pred.p_urgent + pred.p_refer
                    reasons.append(f"clf:{pred.level}:{p:.2f}")
                    level = pred.level
                    topics.extend(t for t in _CLASSIFIER_TOPICS[pred.level] if t not in topics)
        if level == "urgent" and "emergency" not in topics:
            topics.append("emergency")
        logger.info("triage level=%s reasons=%s language=%s", level, ",".join(reasons), lang)
        return TriageResult(level, tuple(reasons), tuple(topics) if level != "none" else (), lang)  # type: ignore[arg-type]
