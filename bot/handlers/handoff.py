"""The person's side and the operators' side of a live case: ask, claim, relay both ways, close, cancel."""
from __future__ import annotations

import logging

from telegram import ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.cases import card_text, close_keyboard, end_case, is_operator, request_person
from bot.context import Context
from bot.delivery import person_blocked, quietly, remember, retrying, send
from bot.render import esc

log = logging.getLogger(__name__)


# the person's side
async def human_command(update: Update, context: Context) -> None:
    person = context.user_data
    await request_person(context.bot_data, context.bot, update.effective_chat.id, "refer", ["asked for a person"],
                         person.last_topics, person.language or person.last_language, person.country, None)


async def human_button(update: Update, context: Context) -> None:
    await quietly(context.bot_data, update.callback_query.answer)
    await human_command(update, context)


async def cancel_command(update: Update, context: Context) -> None:
    bot_data = context.bot_data
    case = await bot_data.store.live_case(bot_data.pseudonym(update.effective_user.id))
    if case is None or await end_case(bot_data, context.bot, case.id, "closed", by="person") is None:
        await send(bot_data, context.bot, update.effective_chat.id, texts.NOTHING_TO_CANCEL)


async def cancel_button(update: Update, context: Context) -> None:
    await quietly(context.bot_data, update.callback_query.answer)
    await cancel_command(update, context)


async def relay_from_person(update: Update, context: Context) -> None:
    """While an operator has the case, everything the person sends (any kind) goes to the operators' group
    as a copy replying to the case card; nothing is stored but the copy's id."""
    bot_data, message = context.bot_data, update.message
    case = await bot_data.store.live_case(bot_data.pseudonym(update.effective_user.id))
    if case is None or case.status != "claimed" or bot_data.operator_chat_id is None:
        return
    reply_to = ReplyParameters(case.card_message_id, allow_sending_without_reply=True) if case.card_message_id \
        else None
    try:
        copied = await retrying(bot_data, lambda: context.bot.copy_message(
            bot_data.operator_chat_id, message.chat_id, message.message_id, reply_parameters=reply_to))
    except TelegramError as exc:
        log.error("relay to operators failed: %s", type(exc).__name__)
    else:
        await bot_data.store.add_relay(copied.message_id, case.id)
    raise ApplicationHandlerStop


# the operators' side
async def claim_button(update: Update, context: Context) -> None:
    bot_data, query = context.bot_data, update.callback_query
    chat_id = query.message.chat.id if query.message else None
    if not await is_operator(bot_data, context.bot, chat_id, query.from_user.id):
        log.warning("claim attempt from outside the operators' group ignored")
        await quietly(bot_data, lambda: query.answer(texts.OPERATOR_ONLY, show_alert=True))
        return
    case_id = int(query.data.split(":", 1)[1])
    if not await bot_data.store.claim(case_id, bot_data.pseudonym(query.from_user.id)):
        current = await bot_data.store.get_case(case_id)
        why = texts.CLAIM_TAKEN if current is not None and current.status == "claimed" else texts.CASE_NOT_LIVE
        await quietly(bot_data, lambda: query.answer(why, show_alert=True))
        return
    timer = bot_data.timers.pop(case_id, None)
    if timer:
        timer.cancel()
    case = await bot_data.store.get_case(case_id)
    log.info("case %s claimed", case.number)
    await quietly(bot_data, lambda: query.answer(texts.CLAIM_OK))
    await quietly(bot_data, lambda: query.edit_message_text(
        card_text(case, texts.CARD_CLAIMED), parse_mode=ParseMode.HTML, reply_markup=close_keyboard(case_id)))
    if case.chat_id is not None:
        await send(bot_data, context.bot, case.chat_id, texts.t("CASE_CLAIMED", case.language))


async def close_button(update: Update, context: Context) -> None:
    bot_data, query = context.bot_data, update.callback_query
    chat_id = query.message.chat.id if query.message else None
    if not await is_operator(bot_data, context.bot, chat_id, query.from_user.id):
        await quietly(bot_data, lambda: query.answer(texts.OPERATOR_ONLY, show_alert=True))
        return
    await quietly(bot_data, query.answer)
    await _close(update, context, int(query.data.split(":", 1)[1]), query.from_user.id)


async def close_command(update: Update, context: Context) -> None:
    bot_data, message = context.bot_data, update.message
    if not await is_operator(bot_data, context.bot, message.chat_id, update.effective_user.id):
        return
    case = None
    if context.args:
        case = await bot_data.store.case_by_number(context.args[0])
    elif message.reply_to_message is not None:
        case = await bot_data.store.case_for_op_message(message.reply_to_message.message_id)
    if case is None:
        await send(bot_data, context.bot, message.chat_id, texts.CLOSE_HOW, person=False)
        return
    await _close(update, context, case.id, update.effective_user.id)


async def _close(update: Update, context: Context, case_id: int, operator_id: int) -> None:
    bot_data = context.bot_data
    case = await bot_data.store.get_case(case_id)
    if case is None or case.status not in ("open", "claimed"):
        await send(bot_data, context.bot, bot_data.operator_chat_id, texts.CASE_NOT_LIVE, person=False)
        return
    if case.status == "claimed" and case.operator_hash != bot_data.pseudonym(operator_id):
        await send(bot_data, context.bot, bot_data.operator_chat_id, texts.NOT_CLAIMER, person=False)
        return
    await end_case(bot_data, context.bot, case_id, "closed", by="operator")


async def relay_from_operator(update: Update, context: Context) -> None:
    """An operator's reply to a relayed message (or to the card) goes to the person, as a copy: the person
    never sees who the operator is."""
    bot_data, message = context.bot_data, update.message
    if message.reply_to_message is None:
        return
    case = await bot_data.store.case_for_op_message(message.reply_to_message.message_id)
    if case is None:
        return
    if not await is_operator(bot_data, context.bot, message.chat_id, update.effective_user.id):
        log.warning("reply from a non-member ignored")
        return
    if case.status != "claimed" or case.chat_id is None:
        await send(bot_data, context.bot, message.chat_id, texts.CASE_NOT_LIVE, person=False)
        return
    if case.operator_hash != bot_data.pseudonym(update.effective_user.id):
        await send(bot_data, context.bot, message.chat_id, texts.NOT_CLAIMER, person=False)
        return
    try:
        copied = await retrying(bot_data, lambda: context.bot.copy_message(
            case.chat_id, message.chat_id, message.message_id))
    except Forbidden:
        await person_blocked(bot_data, context.bot, case.chat_id)
        return
    except (BadRequest, TelegramError) as exc:
        log.error("relay to the person failed: %s", type(exc).__name__)
        await send(bot_data, context.bot, message.chat_id,
                   f"⚠️ Not delivered to case {esc(case.number)}.", person=False)
        return
    await remember(bot_data, case.chat_id, [copied.message_id])
