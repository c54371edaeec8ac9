"""The retention sweep: a periodic task that erases what is older than RETENTION_DAYS."""
from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from bot.context import BotData

log = logging.getLogger(__name__)


async def sweep(bot_data: BotData) -> dict[str, int]:
    counts = await bot_data.store.purge(bot_data.settings.retention_days)
    if any(counts.values()):
        log.info("retention sweep erased %s", counts)
    return counts


def start_retention(bot_data: BotData) -> None:
    async def loop() -> None:
        while True:
            try:
                await sweep(bot_data)
            except SQLAlchemyError as exc:  # a failed sweep is retried next round, never fatal
                log.error("retention sweep failed: %s", type(exc).__name__)
            await asyncio.sleep(bot_data.settings.retention_interval_s)

    bot_data.background.append(asyncio.create_task(loop(), name="retention"))
