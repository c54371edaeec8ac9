"""The hotline directory: schema and validating loader. (Owned by the safety work; the model is a contract.)

The directory is a YAML file (`knowledge/hotlines.yaml` by default, `HOTLINES_FILE` overrides) with two keys:
`emergency_numbers` (ISO country code -> the number to call for danger to life or liberty) and `hotlines`
(a list of `Hotline` entries). A wrong number in a crisis is worse than no number, so the loader refuses the
whole file on the first malformed entry instead of skipping it silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

logger = logging.getLogger(__name__)

Topic = str  # emergency, trafficking, labour_rights, domestic_violence, child_protection, sea_rescue, ...

TOPICS: frozenset[str] = frozenset(
    {
        "emergency",
        "trafficking",
        "labour_rights",
        "domestic_violence",
        "child_protection",
        "sea_rescue",
        "mental_health",
        "consular_help",
        "detention",
    }
)

# A dialable number as people read it: optional "+", digits, single spaces or hyphens between groups.
# Short codes (2-6 digits: 112, 1343, 15999) and international numbers (up to 15 digits, E.164) both pass.
_NUMBER = re.compile(r"^\+?[0-9]+(?:[ -][0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_WEB = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:/\S*)?$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class HotlineDirectoryError(ValueError):
    """The directory file is unreadable or an entry is malformed (the message names the entry and field)."""


class Hotline(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str
    organisation: str
    country: str  # ISO 3166-1 alpha-2, or "global"
    topics: list[Topic]
    phone: str | None = None
    sms: str | None = None
    whatsapp: str | None = None
    web: str | None = None
    languages: list[str] = Field(default_factory=list)
    hours: str = ""
    source: str  # where the number is published
    verified_on: dt.date


def _digits(number: str) -> str:
    return re.sub(r"[^0-9]", "", number)


def valid_number(number: str) -> bool:
    """True for a short code (2-6 digits) or a national/international number of 7-15 digits."""
    if not _NUMBER.match(number):
        return False
    n = len(_digits(number))
    if number.startswith("+"):
        return 7 <= n <= 15
    return 2 <= n <= 15


def _fail(entry: str, field: str, problem: str) -> HotlineDirectoryError:
    return HotlineDirectoryError(f"hotline directory: entry {entry!r}, field {field!r}: {problem}")


def _check_hotline(raw: Any, index: int, today: dt.date) -> Hotline:
    label = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
    if not isinstance(raw, dict):
        raise _fail(str(label), "-", "an entry must be a mapping")
    for field in ("id", "name", "organisation", "country", "topics", "source", "verified_on"):
        if raw.get(field) in (None, "", []):
            raise _fail(str(label), field, "required field is missing or empty")
    try:
        hotline = Hotline.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "-"
        raise _fail(str(label), field, first["msg"]) from exc
    if not _ID.match(hotline.id):
        raise _fail(hotline.id, "id", "use lowercase letters, digits, '-' or '_'")
    if hotline.country != "global" and not _COUNTRY.match(hotline.country):
        raise _fail(hotline.id, "country", "must be an ISO 3166-1 alpha-2 code (e.g. 'PH') or 'global'")
    unknown = [t for t in hotline.topics if t not in TOPICS]
    if unknown:
        raise _fail(hotline.id, "topics", f"unknown topic(s) {unknown}; known: {sorted(TOPICS)}")
    for field in ("phone", "sms", "whatsapp"):
        value = getattr(hotline, field)
        if value is not None and not valid_number(value):
            raise _fail(hotline.id, field, "not a dialable number (digits, optional '+', spaces or hyphens)")
    if hotline.whatsapp is not None and not hotline.whatsapp.startswith("+"):
        raise _fail(hotline.id, "whatsapp", "WhatsApp needs an international number starting with '+'")
    if hotline.web is not None and not _WEB.match(hotline.web):
        raise _fail(hotline.id, "web", "must be an https:// URL")
    if not any((hotline.phone, hotline.sms, hotline.whatsapp, hotline.web)):
        raise _fail(hotline.id, "phone", "an entry needs at least one of phone, sms, whatsapp, web")
    bad_lang = [code for code in hotline.languages if not _LANGUAGE.match(code)]
    if bad_lang:
        raise _fail(hotline.id, "languages", f"not ISO 639-1 codes: {bad_lang}")
    if hotline.verified_on > today:
        raise _fail(hotline.id, "verified_on", "date is in the future")
    return hotline


def _check_emergency(raw: Any) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail("emergency_numbers", "-", "must be a mapping of country code to number")
    table: dict[str, str] = {}
    for country, number in raw.items():
        code = str(country)
        if not _COUNTRY.match(code):
            raise _fail("emergency_numbers", code, "must be an ISO 3166-1 alpha-2 code")
        value = str(number)
        if not valid_number(value):
            raise _fail("emergency_numbers", code, "not a dialable number")
        table[code] = value
    return table


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + (day.month - 1) - months, 12)
    month += 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


class HotlineDirectory:
    """Validated hotlines plus the per-country emergency-number table."""

    def __init__(self, hotlines: Iterable[Hotline], emergency_numbers: dict[str, str] | None = None) -> None:
        self.hotlines: tuple[Hotline, ...] = tuple(hotlines)
        self.emergency_numbers: dict[str, str] = dict(emergency_numbers or {})

    @classmethod
    def load(cls, path: str | Path, today: dt.date | None = None) -> HotlineDirectory:
        today = today or dt.date.today()
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise HotlineDirectoryError(f"hotline directory: cannot read {path}: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise HotlineDirectoryError(f"hotline directory: {path} is not valid YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("hotlines"), list):
            raise HotlineDirectoryError(f"hotline directory: {path} needs a 'hotlines' list")
        hotlines = [_check_hotline(raw, i, today) for i, raw in enumerate(data["hotlines"])]
        seen: set[str] = set()
        for h in hotlines:
            if h.id in seen:
                raise _fail(h.id, "id", "duplicate id")
            seen.add(h.id)
        directory = cls(hotlines, _check_emergency(data.get("emergency_numbers")))
        stale = directory.stale(today)
        if stale:
            # ids only: a deployment must re-check these numbers with their publishers
            logger.warning(
                "hotline directory: %d entr%s not verified in the last 12 months: %s",
                len(stale),
                "y" if len(stale) == 1 else "ies",
                ", ".join(h.id for h in stale),
            )
        return directory

    def countries(self) -> set[str]:
        return {h.country for h in self.hotlines if h.country != "global"} | set(self.emergency_numbers)

    def knows(self, country: str | None) -> bool:
        return country is not None and country.upper() in self.countries()

    def find(
        self, country: str | None = None, topics: list[str] | None = None, language: str | None = None
    ) -> list[Hotline]:
        """Hotlines for a country (plus global ones), best first.

        `topics` filters (any overlap). `language` only ranks: a crisis line in another language is still
        better than none, so it is never used to hide an entry. Unknown or missing country -> global only.
        """
        code = country.upper() if country else None
        wanted = set(topics or [])

        def rank(h: Hotline) -> tuple[int, int, int, int]:
            local = 0 if h.country == code else 1
            overlap = -len(wanted & set(h.topics))
            callable_now = 0 if (h.phone or h.sms or h.whatsapp) else 1  # in a crisis a number beats a website
            speaks = 0 if language and language in h.languages else 1
            return (local, overlap, callable_now, speaks)

        found = [
            h
            for h in self.hotlines
            if (h.country == "global" or h.country == code) and (not wanted or wanted & set(h.topics))
        ]
        return sorted(found, key=rank)

    def emergency_number(self, country: str | None) -> str | None:
        if not country:
            return None
        return self.emergency_numbers.get(country.upper())

    def stale(self, today: dt.date | None = None, months: int = 12) -> list[Hotline]:
        cutoff = _months_before(today or dt.date.today(), months)
        return [h for h in self.hotlines if h.verified_on < cutoff]
