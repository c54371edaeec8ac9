"""POST/GET /v1/frameworks through a real FastAPI app holding only this router and a real recommender."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routers.frameworks import router


def _client(assistant: object) -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.state.assistant = assistant  # what api.deps.get_assistant reads
    return TestClient(app)


@pytest.fixture(scope="module")
def client(recommender) -> TestClient:  # type: ignore[no-untyped-def]
    return _client(SimpleNamespace(frameworks=recommender))


def test_post_ranks_frameworks_with_why_provisions_and_citations(client: TestClient) -> None:
    r = client.post(
        "/v1/frameworks", json={"situation": "A rubber boat is sinking at sea with 80 people on board."}
    )
    assert r.status_code == 200
    fws = r.json()["frameworks"]
    assert 1 <= len(fws) <= 5 and {"solas", "sar-convention"} & {f["id"] for f in fws[:3]}
    top = fws[0]
    assert set(top) >= {"id", "name", "issuer", "kind", "score", "why", "key_provisions", "citations"}
    assert top["why"] and top["key_provisions"] and top["citations"][0]["quote"]
    assert [f["score"] for f in fws] == sorted((f["score"] for f in fws), reverse=True)


def test_post_k_limits_the_list(client: TestClient) -> None:
    r = client.post("/v1/frameworks", json={"situation": "unpaid domestic worker, passport held", "k": 2})
    assert r.status_code == 200 and len(r.json()["frameworks"]) == 2


@pytest.mark.parametrize("situation", ["", "   \n\t "])
def test_empty_situation_is_422_with_a_clear_message(client: TestClient, situation: str) -> None:
    r = client.post("/v1/frameworks", json={"situation": situation})
    assert r.status_code == 422
    assert "situation must not be empty" in r.text


def test_too_long_situation_is_422(client: TestClient) -> None:
    r = client.post("/v1/frameworks", json={"situation": "a" * 2001})
    assert r.status_code == 422 and "at most 2000 characters" in r.text
    assert (
        client.post("/v1/frameworks", json={"situation": "boat sinking " * 150}).status_code == 200
    )  # 1950 chars


def test_missing_or_wrong_body_is_422(client: TestClient) -> None:
    assert client.post("/v1/frameworks", json={}).status_code == 422
    assert client.post("/v1/frameworks", json={"situation": 5}).status_code == 422
    assert client.post("/v1/frameworks", json={"situation": "boat", "k": 0}).status_code == 422


def test_list_and_get_guides(client: TestClient) -> None:
    listed = client.get("/v1/frameworks").json()
    assert len(listed) >= 30 and set(listed[0]) == {"id", "name", "issuer", "year", "kind"}
    r = client.get("/v1/frameworks/ilo-c189-domestic-workers")
    assert r.status_code == 200
    guide = r.json()
    assert guide["year"] == 2011 and guide["kind"] == "binding_treaty" and guide["mentioned_in"]


def test_unknown_guide_is_404(client: TestClient) -> None:
    r = client.get("/v1/frameworks/no-such-framework")
    assert r.status_code == 404 and "unknown framework id" in r.json()["detail"]


def test_without_a_recommender_the_service_is_503() -> None:
    c = _client(SimpleNamespace(frameworks=None))
    assert c.post("/v1/frameworks", json={"situation": "boat sinking"}).status_code == 503
    assert c.get("/v1/frameworks").status_code == 503
