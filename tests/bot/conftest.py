"""Fixtures for the bot's end-to-end tests: a fake Bot API on loopback and a way to run the real Application
against it (real polling over HTTP)."""
from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.runner import polling
from bot.settings import BotSettings
from tests.bot.fake_bot_api import FakeBotAPI
from tests.bot.pg import PostgresServer, PostgresUnavailable

OPS = -1001234  # the operators' group
OPERATOR, OPERATOR_2, OUTSIDER = 501, 502, 777


@pytest.fixture(scope="session")
def fake_server() -> Iterator[FakeBotAPI]:
    fake = FakeBotAPI()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def telegram(fake_server: FakeBotAPI) -> FakeBotAPI:
    fake_server.reset()
    fake_server.set_member(OPS, OPERATOR)
    fake_server.set_member(OPS, OPERATOR_2)
    return fake_server


@pytest.fixture(scope="session")
def bot_assistant(request: pytest.FixtureRequest) -> Any:
    if os.environ.get("PASSAGE_BOT_TEST_DOUBLE") == "1":
        from tests.bot.assistant_double import ScriptedAssistant

        return ScriptedAssistant()
    return request.getfixturevalue("assistant")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server for the session, started only if a test asks for it."""
    try:
        server = PostgresServer().start()
    except PostgresUnavailable as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:  # a failure, not a skip: CI installs PostgreSQL (see tests/bot/pg.py)
        pytest.fail(problem, pytrace=False)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database URL: SQLite in tmp_path, or a new database on the throwaway PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return request.getfixturevalue("postgres").create_database()


def bot_settings(data_dir: Path, fake: FakeBotAPI, **overrides: Any) -> BotSettings:
    values: dict[str, Any] = {
        "data_dir": data_dir, "telegram_bot_token": fake.token, "telegram_api_url": fake.url,
        "operator_chat_id": OPS, "handoff_timeout_s": 30.0, "pseudonym_key": "k" * 32, "bot_send_attempts": 4,
        "retention_interval_s": 3600.0,
    }
    values.update(overrides)
    return BotSettings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def run_bot(settings: BotSettings, assistant: Any) -> AsyncIterator[Any]:
    app = build_application(settings, assistant)
    async with polling(app, poll_interval=0.05, timeout=1) as running:
        yield running
