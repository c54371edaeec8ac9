"""/delete erases everything stored about the person; /exit (and its button) wipes the chat quickly for
someone whose phone may be checked by another person."""
from __future__ import annotations

import logging

from telegram import Update

from bot import texts
from bot.cases import end_case
from bot.context import Context
from bot.delivery import quietly, send

log = logging.getLogger(__name__)
_BATCH = 100  # deleteMessages takes at most 100 ids


async def delete_command(update: Update, context: Context) -> None:
    bot_data, chat_id = context.bot_data, update.effective_chat.id
    user_hash = bot_data.pseudonym(update.effective_user.id)
    case = await bot_data.store.live_case(user_hash)
    if case is not None:
        await end_case(bot_data, context.bot, case.id, "closed", by="erased", tell_person=False)
    await bot_data.store.erase_user(user_hash, bot_data.pseudonym(chat_id))
    person = context.user_data
    person.role = person.language = person.country = person.last_language = None
    person.last_topics = []
    log.info("a person erased their data")
    await send(bot_data, context.bot, chat_id, texts.DELETED, track=False)


async def exit_command(update: Update, context: Context) -> None:
    bot_data, chat_id = context.bot_data, update.effective_chat.id
    ids = await bot_data.store.take_messages(bot_data.pseudonym(chat_id))
    extra = [m.message_id for m in (update.effective_message,) if m is not None]
    ids = sorted(set(ids) | set(extra))
    for i in range(0, len(ids), _BATCH):
        batch = ids[i:i + _BATCH]
        await quietly(bot_data, lambda b=batch: context.bot.delete_messages(chat_id, b))
    log.info("quick exit: %d messages deleted", len(ids))


async def exit_button(update: Update, context: Context) -> None:
    await quietly(context.bot_data, update.callback_query.answer)
    await exit_command(update, context)
