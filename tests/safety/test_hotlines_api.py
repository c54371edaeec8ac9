"""GET /v1/hotlines against the real uvicorn server, and a crisis through /v1/ask."""

from __future__ import annotations

import httpx
import pytest


@pytest.fixture(scope="module")
def client(api_server: str):  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=api_server, timeout=60) as c:
        yield c


def test_country_and_topic(client: httpx.Client) -> None:
    r = client.get("/v1/hotlines", params={"country": "ph", "topic": "trafficking"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["country"] == "PH" and body["emergency_number"] == "911" and body["note"] is None
    assert body["hotlines"][0]["phone"] == "1343"
    assert all("trafficking" in h["topics"] for h in body["hotlines"])


def test_unknown_country_gets_global_options_and_a_note(client: httpx.Client) -> None:
    body = client.get("/v1/hotlines", params={"country": "ZZ"}).json()
    assert body["hotlines"] and all(h["country"] == "global" for h in body["hotlines"])
    assert body["note"] and "ZZ" in body["note"] and body["emergency_number"] is None


@pytest.mark.parametrize(
    "params", [{"country": "PHL"}, {"country": "1"}, {"topic": "ghosts"}, {"language": "ENG"}]
)
def test_bad_input_is_422(client: httpx.Client, params: dict) -> None:
    assert client.get("/v1/hotlines", params=params).status_code == 422


def test_crisis_through_ask_leads_with_the_number(client: httpx.Client) -> None:
    r = client.post("/v1/ask", json={"question": "tulong po, ikinulong kami ng amo namin", "country": "PH"})
    assert r.status_code == 200, r.text
    esc = r.json()["escalation"]
    assert esc["level"] == "urgent" and esc["emergency_number"] == "911"
    assert "911" in esc["message"].splitlines()[0]
    assert any(h["phone"] == "1343" for h in esc["hotlines"])
