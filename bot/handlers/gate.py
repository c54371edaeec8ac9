"""Runs before every handler: drop duplicate updates, load the person's choices, note message ids."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import Context
from bot.delivery import remember

log = logging.getLogger(__name__)


async def drop_duplicates(update: Update, context: Context) -> None:
    """Telegram may deliver an update twice (webhook retries, a restart before the offset was confirmed)."""
    if not context.bot_data.first_time(update.update_id):
        log.info("duplicate update %s ignored", update.update_id)
        raise ApplicationHandlerStop


async def load_person(update: Update, context: Context) -> None:
    """Private chats only: refresh last_seen (for retention), restore choices after a restart, and keep the
    id (never the text) of the person's message so /exit can delete it."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != chat.PRIVATE:
        return
    bot_data = context.bot_data
    prefs = await bot_data.store.touch_user(bot_data.pseudonym(user.id))
    data = context.user_data
    if data is not None and not data.loaded:
        data.role, data.language, data.country, data.loaded = prefs.role, prefs.language, prefs.country, True
    if update.message is not None:
        await remember(bot_data, chat.id, [update.message.message_id])
