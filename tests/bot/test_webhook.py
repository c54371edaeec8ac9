"""Webhook mode: the secret header is required (compared in constant time), duplicates are handled once."""
from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import httpx

from bot.app import build_application
from bot.runner import SECRET_HEADER, webhook
from tests.bot.conftest import bot_settings
from tests.bot.fake_bot_api import FakeBotAPI

USER = 4004


def _update(update_id: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1, "text": text, "chat": {"id": USER, "type": "private"},
        "from": {"id": USER, "is_bot": False, "first_name": "T"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}


async def test_webhook_checks_secret_and_deduplicates(telegram: FakeBotAPI, tmp_path: Path,
                                                      bot_assistant: Any) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tg/hook"
    settings = bot_settings(tmp_path, telegram, webhook_url=url, webhook_secret="s3cret-token",
                            webhook_port=port)
    app = build_application(settings, bot_assistant)
    assert app.updater is None
    async with webhook(app, settings, sock=sock), httpx.AsyncClient() as http:
        assert telegram.webhook["url"] == url and telegram.webhook["secret_token"] == "s3cret-token"
        body = json.dumps(_update(10, "/help"))
        headers = {"Content-Type": "application/json"}
        assert (await http.post(url, content=body, headers=headers)).status_code == 403
        wrong = {**headers, SECRET_HEADER: "s3cret-tokeX"}
        assert (await http.post(url, content=body, headers=wrong)).status_code == 403
        good = {**headers, SECRET_HEADER: "s3cret-token"}
        assert (await http.post(url, content=body, headers=good)).status_code == 200
        assert (await http.post(url, content=body, headers=good)).status_code == 200  # Telegram's retry
        await telegram.wait_for(lambda: telegram.texts(USER), what="reply")
        await telegram.settle()
        assert (await http.post(url, content="not json", headers=good)).status_code == 400
        assert (await http.get(f"http://127.0.0.1:{port}/healthz")).text == "ok"
    assert len(telegram.texts(USER)) == 1
    assert not telegram.calls_of("getUpdates")
