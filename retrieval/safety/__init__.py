"""Safety: triage on every turn, the hotline directory, and escalation to humans.

Rules need no model, so a crisis is recognised and answered with hotlines even when retrieval is down.
"""

from knowledge.hotlines import Hotline, HotlineDirectory, HotlineDirectoryError
from retrieval.safety.escalation import build_escalation, hotline_line, hotline_text
from retrieval.safety.language import detect_language
from retrieval.safety.triage import Triage, TriageResult, model_raised

__all__ = [
    "Hotline",
    "HotlineDirectory",
    "HotlineDirectoryError",
    "Triage",
    "TriageResult",
    "build_escalation",
    "detect_language",
    "hotline_line",
    "hotline_text",
    "model_raised",
]
