"""`python -m bot`: the Telegram face. Polling by default, a webhook when WEBHOOK_URL is set."""
from __future__ import annotations

import asyncio
import logging
import sys

from telegram import Update

from bot.app import build_application, quiet_loggers
from bot.client import AssistantClient, HttpClient, InProcessClient, LocalSafety
from bot.settings import BotSettings, get_bot_settings

log = logging.getLogger("bot")


class RedactSecrets(logging.Filter):
    """Defence in depth: even a log line we did not foresee never shows the token."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for s in self.secrets:
                message = message.replace(s, "<redacted>")
            record.msg, record.args = message, None
        return True


def make_client(settings: BotSettings) -> AssistantClient:
    if settings.passage_api_url:
        return HttpClient(settings.passage_api_url, safety=LocalSafety.from_settings(settings))
    from retrieval.assistant import Assistant  # heavy: loads the index and the embedding model

    return InProcessClient(Assistant.from_settings(settings), owned=True)


def main() -> int:
    settings = get_bot_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    quiet_loggers()
    if settings.telegram_bot_token is None:
        log.error("TELEGRAM_BOT_TOKEN is not set; the bot does not start")
        return 2
    redact = RedactSecrets([settings.telegram_bot_token.get_secret_value(),
                            settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""])
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    app = build_application(settings, make_client(settings))
    if settings.webhook_url:
        from bot.runner import serve_webhook_forever

        asyncio.run(serve_webhook_forever(app, settings))
    else:
        app.run_polling(poll_interval=settings.bot_poll_interval_s, allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
