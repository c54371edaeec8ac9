"""The bot's settings: the core `Settings` plus what only the Telegram face needs (one Settings per process)."""
from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr

from retrieval.settings import Settings


class BotSettings(Settings):
    telegram_bot_token: SecretStr | None = Field(None, description="Bot token; `python -m bot` needs it.")
    telegram_api_url: str | None = Field(
        None, description="Another Bot API server, e.g. http://127.0.0.1:8081 (local server or tests)."
    )
    webhook_url: str | None = Field(None, description="Public HTTPS URL Telegram posts to; unset = polling.")
    webhook_secret: SecretStr | None = Field(
        None, description="X-Telegram-Bot-Api-Secret-Token; unset in webhook mode = random per start."
    )
    webhook_listen: str = Field("127.0.0.1", description="Address the webhook server binds (behind a proxy).")
    webhook_port: int = Field(8443, description="Port the webhook server binds.")
    handoff_timeout_s: float = Field(
        600.0, gt=0, description="How long a request for a person waits for an operator before it expires."
    )
    pseudonym_key: SecretStr | None = Field(
        None, description="HMAC key for user pseudonyms; unset = random key generated once in data_dir."
    )
    retention_days: int = Field(30, ge=1, description="Inactive users, feedback and closed cases are erased after.")
    retention_interval_s: float = Field(3600.0, gt=0, description="How often the retention sweep runs.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL (postgresql://... uses psycopg 3); unset = SQLite in data_dir/bot.sqlite3."
    )
    passage_api_url: str | None = Field(None, description="Ask the API over HTTP instead of in-process.")
    bot_send_attempts: int = Field(4, ge=1, description="Bounded retries of a reply on network errors / 429.")
    bot_poll_interval_s: float = Field(0.0, ge=0, description="Pause between getUpdates calls when polling.")

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bot.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_bot_settings() -> BotSettings:
    return BotSettings()
