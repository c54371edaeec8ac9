"""The one error handler: log the kind of failure (never message text or tokens), tell the person something
kind if they were waiting for a reply, and tell operators."""
from __future__ import annotations

import logging
import time
import traceback

from telegram import Update
from telegram.error import NetworkError

from bot import texts
from bot.context import Context
from bot.delivery import send

log = logging.getLogger(__name__)
_ALERT_EVERY_S = 60.0


async def error_handler(update: object, context: Context) -> None:
    error = context.error
    if update is None and isinstance(error, NetworkError):
        # polling hiccups (a 502 or timeout on getUpdates): PTB retries them; not worth waking anyone
        log.warning("polling: %s", type(error).__name__)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    # frames only: an exception's message can quote its input (a person's text), so it is not logged
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("error handling update %s: %s\n%s", update_id, type(error).__name__, frames)
    bot_data = context.bot_data
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None and chat.type == chat.PRIVATE:
        await send(bot_data, context.bot, chat.id, texts.SORRY)
    if bot_data.operator_chat_id is None or time.monotonic() - bot_data.last_alert < _ALERT_EVERY_S:
        return
    bot_data.last_alert = time.monotonic()
    await send(bot_data, context.bot, bot_data.operator_chat_id,
               texts.OPERATOR_ALERT.format(kind=type(error).__name__, update_id=update_id), person=False)
