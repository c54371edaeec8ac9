"""From a triage result to the hotline reply: emergency number first, then matching hotlines, then handoff."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.hotlines import Hotline, HotlineDirectory
from retrieval.safety.triage import TriageResult
from retrieval.types import Escalation

MESSAGES_FILE = Path(__file__).resolve().parent / "messages.yaml"
MAX_HOTLINES = 5
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, str]]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))


def _say(language: str | None, key: str) -> str:
    table = _messages()
    return table.get(language or "en", {}).get(key) or table["en"][key]


def _country(country: str | None) -> str | None:
    return country.upper() if country and _COUNTRY.match(country.strip()) else None


def hotline_line(h: Hotline) -> str:
    """One hotline as plain text, the thing to dial first: '1343 — 1343 Actionline ... (IACAT)'."""
    first = h.phone or h.sms or h.whatsapp or h.web or ""
    extras = []
    if h.phone and h.sms:
        extras.append(f"SMS {h.sms}")
    if h.whatsapp and first != h.whatsapp:
        extras.append(f"WhatsApp {h.whatsapp}")
    if h.web and first != h.web:
        extras.append(h.web)
    if h.hours:
        extras.append(h.hours)
    tail = f" · {' · '.join(extras)}" if extras else ""
    return f"{first} — {h.name} ({h.organisation}){tail}"


def hotline_text(escalation: Escalation, language: str | None) -> str:
    """Plain-text hotline block for the API, the bot and the web page: emergency number first (urgent)."""
    lines: list[str] = []
    if escalation.level == "urgent":
        if escalation.emergency_number:
            lines.append(_say(language, "call_now").format(number=escalation.emergency_number))
        else:
            lines.append(_say(language, "no_number"))
    elif escalation.level == "refer":
        lines.append(_say(language, "refer_intro"))
    if escalation.hotlines:
        if escalation.level == "urgent" or not lines:
            lines.append(_say(language, "hotlines"))
        lines.extend(f"• {hotline_line(h)}" for h in escalation.hotlines)
    if escalation.handoff_available and escalation.level != "none":
        lines.append(_say(language, "handoff"))
    return "\n".join(lines)


SITUATION_ONLY = {"sea_rescue"}


def _pick_hotlines(
    directory: HotlineDirectory, country: str | None, topics: list[str], language: str
) -> list[Hotline]:
    specific = [t for t in topics if t != "emergency"]
    found = directory.find(country, specific, language) if specific else []
    if not found:
        # no topic line for this country: its other national lines, then the global options; but not a line
        # for one situation only (Alarm Phone, for boats in distress), which led a labour question's reply
        everything = directory.find(country, None, language)
        found = [h for h in everything if set(h.topics) - SITUATION_ONLY] or everything
    return found[:MAX_HOTLINES]


def build_escalation(
    result: TriageResult, directory: HotlineDirectory, country: str | None, operators_available: bool
) -> Escalation:
    code = _country(country)
    emergency = directory.emergency_number(code)
    if result.level == "none":
        return Escalation(level="none", reasons=list(result.reasons), emergency_number=emergency)
    topics = list(result.topics)
    hotlines = _pick_hotlines(directory, code, topics, result.language)
    draft = Escalation(
        level=result.level,
        reasons=list(result.reasons),
        topics=topics,
        hotlines=hotlines,
        emergency_number=emergency,
        handoff_available=operators_available,
    )
    return draft.model_copy(update={"message": hotline_text(draft, result.language)})
