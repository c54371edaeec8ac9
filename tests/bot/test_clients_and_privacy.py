"""The bot's other paths: the API over HTTP (200 and 503), pseudonyms, retention."""
from __future__ import annotations

import datetime as dt
import html
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.client import AssistantUnavailable, HttpClient
from bot.pseudonym import KEY_FILE, Pseudonymizer
from bot.store import AnswerRow, CaseRow, SentRow, Store, UserRow
from retrieval.types import Escalation, Hotline
from tests.bot.conftest import bot_settings, run_bot
from tests.bot.fake_bot_api import FakeBotAPI

FEE_Q = "the agency in my village wants me to pay a big fee before i can go abroad. is that even allowed??"
HOTLINE = Hotline(id="h", name="Line", organisation="Org", country="PH", topics=["emergency"], phone="911",
                  source="s", verified_on=dt.date(2026, 1, 1))


async def test_bot_answers_through_the_api_when_configured(telegram: FakeBotAPI, tmp_path: Path,
                                                           api_server: str, assistant: Any) -> None:
    expected = assistant.ask(FEE_Q)
    client = HttpClient(api_server)
    over_http = await client.ask(FEE_Q)
    assert over_http.text == expected.text
    assert [(c.n, c.title, c.location) for c in over_http.citations] == \
           [(c.n, c.title, c.location) for c in expected.citations]
    await client.aclose()
    settings = bot_settings(tmp_path, telegram, passage_api_url=api_server)
    async with run_bot(settings, HttpClient(api_server)):
        telegram.user_message(1, FEE_Q)
        await telegram.wait_for(lambda: telegram.with_button(1, "fb:"), what="answer over HTTP")
        await telegram.settle()
    body = "\n".join(telegram.texts(1))
    assert "<b>Sources</b>" in body and html.escape(expected.citations[0].title, quote=False)[:50] in body


async def test_api_503_carries_hotlines_to_the_person(telegram: FakeBotAPI, tmp_path: Path) -> None:
    from api.schemas import Unavailable

    body = Unavailable(detail="down", escalation=Escalation(hotlines=[HOTLINE])).model_dump(mode="json")
    transport = httpx.MockTransport(lambda request: httpx.Response(503, json=body))
    client = HttpClient("http://api.invalid", transport=transport)
    with pytest.raises(AssistantUnavailable) as caught:
        await client.ask("anything")
    assert caught.value.hotlines == [HOTLINE]
    async with run_bot(bot_settings(tmp_path, telegram), HttpClient("http://api.invalid", transport=transport)):
        telegram.user_message(1, "is my contract legal?")
        await telegram.wait_for(lambda: telegram.texts(1), what="fallback reply")
        await telegram.settle()
    assert "can't search" in telegram.texts(1)[0] and "911" in telegram.texts(1)[0]


def test_pseudonym_key_is_generated_once_and_kept(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.pseudonym"):
        first = Pseudonymizer.from_settings(None, tmp_path)
    assert "PSEUDONYM_KEY is not set" in caplog.text
    assert (tmp_path / KEY_FILE).stat().st_mode & 0o077 == 0
    again = Pseudonymizer.from_settings(None, tmp_path)
    # A keyed hash: stable for one key, 64 hex digits, never the id itself.
    assert first(42) == again(42) and len(first(42)) == 64 and first(42) != "42"
    assert all(ch in "0123456789abcdef" for ch in first(42))
    assert Pseudonymizer.from_settings("another-key-of-16+", tmp_path)(42) != first(42)


def test_retention_erases_old_data_but_not_live_cases(store_url: str) -> None:
    store = Store(store_url)  # SQLite and PostgreSQL (tests/bot/conftest.py)
    old = dt.datetime(2020, 1, 1)
    store.open_case("alive", 1, "urgent", [], [], None, None, "text", 60)
    for who in ("old", "alive"):
        store.touch_user(who)
    store.record_answer("old", "migrant", "en", "none", False, [])
    store.remember_messages("old", [1, 2])
    gone, _ = store.open_case("old", 2, "refer", [], [], None, None, None, 60)
    store.finish(gone.id, "closed", "operator")
    with store._session.begin() as s:
        for model, column in ((UserRow, "last_seen"), (AnswerRow, "created_at"), (SentRow, "sent_at")):
            s.query(model).update({column: old})
        s.query(CaseRow).filter(CaseRow.id == gone.id).update({"closed_at": old})
    counts = store.purge(retention_days=30)
    assert counts["cases"] == 1 and counts["answers"] == 1 and counts["message_ids"] == 2
    assert counts["users"] == 1  # "alive" has a live case and stays
    assert store.live_case("alive") is not None
    store.close()


async def test_api_down_a_crisis_is_still_answered_from_local_rules(telegram: FakeBotAPI, tmp_path: Path) -> None:
    from bot.client import LocalSafety
    from tests.conftest import free_port

    settings = bot_settings(tmp_path, telegram)
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens: the API process is gone
    client = HttpClient(dead, timeout_s=2, safety=LocalSafety.from_settings(settings))
    answer = await client.ask("our boat is sinking, water is coming in, please help us", country="IT")
    assert answer.escalation.level == "urgent" and answer.escalation.emergency_number == "112"
    assert "112" in answer.text
    with pytest.raises(AssistantUnavailable) as caught:
        await client.ask("is my contract legal?", country="IT")
    assert caught.value.hotlines, "even an ordinary question gets the directory's hotlines"
    await client.aclose()
    async with run_bot(settings, HttpClient(dead, timeout_s=2, safety=LocalSafety.from_settings(settings))):
        telegram.user_message(1, "our boat is sinking, water is coming in, please help us")
        await telegram.wait_for(lambda: telegram.texts(1), what="urgent reply without the API")
        await telegram.settle()
    assert "112" in telegram.texts(1)[0]  # the first thing the person sees is the emergency number
