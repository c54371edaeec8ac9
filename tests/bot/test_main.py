"""`python -m bot` as the lead's `make run` starts it: a real process polling a Bot API server."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.bot.fake_bot_api import FakeBotAPI

REPO = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "OPERATOR_"))}
    env.update(DATA_DIR=str(tmp_path), PSEUDONYM_KEY="x" * 32, **extra)
    return env


def test_without_a_token_it_says_so_and_exits(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot"], check=False, cwd=REPO, env=_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "TELEGRAM_BOT_TOKEN is not set" in done.stderr


async def test_python_m_bot_polls_and_answers(telegram: FakeBotAPI, tmp_path: Path, api_server: str) -> None:
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN=telegram.token, TELEGRAM_API_URL=telegram.url,
               PASSAGE_API_URL=api_server, BOT_POLL_INTERVAL_S="0.05", LOG_LEVEL="DEBUG")
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=REPO, env=env,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        telegram.user_message(7, "/start")
        await telegram.wait_for(lambda: telegram.texts(7), timeout=60, what="reply from python -m bot")
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr_bytes = await asyncio.wait_for(proc.communicate(), 30)
    stderr = stderr_bytes.decode()
    assert proc.returncode == 0
    assert telegram.token not in stderr and telegram.token.split(":")[1] not in stderr
    assert "not an emergency service" in telegram.texts(7)[0].lower()
