"""The hotline directory loader refuses malformed entries; lookups and the shipped directory."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
import yaml

from knowledge.hotlines import HotlineDirectory, HotlineDirectoryError
from retrieval.settings import Settings

GOOD = {
    "id": "xx-test-line",
    "name": "Test line",
    "organisation": "Test org",
    "country": "PH",
    "topics": ["trafficking"],
    "phone": "1343",
    "source": "Test publisher",
    "verified_on": "2026-01-10",
}


def _write(tmp_path: Path, **changes: object) -> Path:
    entry = {**GOOD, **changes}
    entry = {k: v for k, v in entry.items() if v is not None}
    path = tmp_path / "hotlines.yaml"
    path.write_text(
        yaml.safe_dump({"emergency_numbers": {"PH": "911"}, "hotlines": [entry]}), encoding="utf-8"
    )
    return path


TODAY = dt.date(2026, 11, 25)


def test_good_entry_loads(tmp_path: Path) -> None:
    d = HotlineDirectory.load(_write(tmp_path), today=TODAY)
    assert [h.id for h in d.find("ph", ["trafficking"], None)] == ["xx-test-line"]
    assert d.emergency_number("ph") == "911"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"phone": "call 1343 now"}, "phone"),
        ({"phone": "+12"}, "phone"),
        ({"topics": ["trafficking", "ghosts"]}, "topics"),
        ({"source": None}, "source"),
        ({"source": ""}, "source"),
        ({"verified_on": "2026-13-45"}, "verified_on"),
        ({"verified_on": "2027-01-01"}, "verified_on"),
        ({"country": "Philippines"}, "country"),
        ({"web": "http://insecure.example.org"}, "web"),
        ({"whatsapp": "0917 123"}, "whatsapp"),
        ({"languages": ["english"]}, "languages"),
        ({"phone": None}, "phone"),  # no way to reach it at all
    ],
)
def test_malformed_entry_is_rejected_with_entry_and_field(tmp_path: Path, changes: dict, field: str) -> None:
    with pytest.raises(HotlineDirectoryError) as err:
        HotlineDirectory.load(_write(tmp_path, **changes), today=TODAY)
    assert "xx-test-line" in str(err.value) and field in str(err.value)
    assert isinstance(err.value, ValueError)


def test_bad_emergency_table_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "h.yaml"
    path.write_text("emergency_numbers:\n  NO: '112'\nhotlines: []\n", encoding="utf-8")  # YAML: NO -> False
    with pytest.raises(HotlineDirectoryError, match="emergency_numbers"):
        HotlineDirectory.load(path, today=TODAY)


def test_stale_entries_warn_at_load(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="knowledge.hotlines"):
        d = HotlineDirectory.load(_write(tmp_path, verified_on="2024-05-01"), today=TODAY)
    assert [h.id for h in d.stale(TODAY)] == ["xx-test-line"]
    assert "xx-test-line" in caplog.text and "1343" not in caplog.text


def test_unknown_country_gets_global_options_only() -> None:
    d = HotlineDirectory.load(Settings().hotlines_file)
    found = d.find("ZZ", None, None)
    assert found and all(h.country == "global" for h in found)
    assert d.emergency_number("ZZ") is None and not d.knows("ZZ")


def test_shipped_directory_has_the_certain_numbers() -> None:
    d = HotlineDirectory.load(Settings().hotlines_file)
    by_id = {h.id: h for h in d.hotlines}
    assert by_id["us-nhth"].phone == "1-888-373-7888" and by_id["us-nhth"].sms == "233733"
    assert by_id["gb-modern-slavery-helpline"].phone == "08000 121 700"
    assert by_id["ph-1343-actionline"].phone == "1343"
    assert (d.emergency_number("PH"), d.emergency_number("GB"), d.emergency_number("IN")) == (
        "911",
        "999",
        "112",
    )
    assert d.emergency_number("NO") == "112" and d.emergency_number("AU") == "000"
    assert all(h.source for h in d.hotlines)


def test_language_ranks_but_never_hides() -> None:
    d = HotlineDirectory.load(Settings().hotlines_file)
    found = d.find("US", ["trafficking"], "tl")
    assert found[0].id == "us-nhth"  # no Tagalog line: still offered first
