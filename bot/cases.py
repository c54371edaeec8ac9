"""Live handoff: open a case, show it to the operators, expire it when no one claims it, end it.

The database is the truth (status, deadline, relay map), so a restarted bot re-arms the timers of open cases
(`resume_timers`) and keeps relaying claimed ones.
"""
from __future__ import annotations

import asyncio
import logging
import time

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import TelegramError

from bot import texts
from bot.context import BotData
from bot.delivery import quietly, send, send_all
from bot.render import esc, render_hotlines
from bot.store import Case, utcnow

log = logging.getLogger(__name__)
_MEMBER_TTL_S = 30.0
_MEMBER = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.MEMBER}
_CLOSED_BY = {"operator": "by an operator", "person": "by the person", "blocked": "the person blocked the bot",
              "erased": "erased at the person's request", "timeout": "no one claimed it"}


def claim_keyboard(case_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("🙋 Claim", callback_data=f"claim:{case_id}")]])


def close_keyboard(case_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("⏹ Close case", callback_data=f"close:{case_id}")]])


def cancel_keyboard(case_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("✖ Cancel request", callback_data=f"cancel:{case_id}")]])


def card_text(case: Case, suffix: str = "", with_text: bool = True) -> str:
    body = esc(case.trigger_text) if (with_text and case.trigger_text) else "<i>(not kept)</i>"
    return texts.CARD.format(
        number=esc(case.number), level=esc(case.level.upper()), reasons=esc(", ".join(case.reasons) or "—"),
        language=esc(case.language or "?"), country=esc(case.country or "?"),
        opened=case.opened_at.strftime("%Y-%m-%d %H:%M"), text=body[:3000],
    ) + suffix


async def is_operator(bot_data: BotData, bot: Bot, chat_id: int | None, user_id: int | None) -> bool:
    """Both the chat (the operators' group) and the person (a current member of it) must match."""
    if bot_data.operator_chat_id is None or chat_id != bot_data.operator_chat_id or user_id is None:
        return False
    checked = bot_data.members.get(user_id)
    if checked and time.monotonic() - checked[0] < _MEMBER_TTL_S:
        return checked[1]
    try:
        member = await bot.get_chat_member(bot_data.operator_chat_id, user_id)
        ok = member.status in _MEMBER or bool(getattr(member, "is_member", False))
    except TelegramError as exc:  # unknown = not a member: a failed check must never grant access
        log.warning("membership check failed: %s", type(exc).__name__)
        return False
    bot_data.members[user_id] = (time.monotonic(), ok)
    return ok


async def request_person(bot_data: BotData, bot: Bot, chat_id: int, level: str, reasons: list[str],
                         topics: list[str], language: str | None, country: str | None,
                         trigger_text: str | None) -> Case | None:
    """Opens (or finds) the person's case and tells both sides. None when there are no operators."""
    if bot_data.operator_chat_id is None:
        hotlines = await bot_data.client.hotlines(country, topics[0] if topics else None, language)
        await send_all(bot_data, bot, chat_id, render_hotlines(hotlines, None, texts.NO_OPERATORS)
                       if hotlines else [texts.NO_OPERATORS, texts.NO_HOTLINES])
        return None
    user_hash = bot_data.pseudonym(chat_id)
    case, created = await bot_data.store.open_case(
        user_hash, chat_id, level, reasons, topics, language, country, trigger_text,
        bot_data.settings.handoff_timeout_s)
    if not created:
        await send(bot_data, bot, chat_id, texts.CASE_EXISTS.format(number=esc(case.number)),
                   cancel_keyboard(case.id) if case.status == "open" else None)
        return case
    log.info("case %s opened (level %s)", case.number, level)
    card = await send(bot_data, bot, bot_data.operator_chat_id, card_text(case), claim_keyboard(case.id),
                      person=False)
    if card is None:  # the operators cannot be reached: do not make the person wait for no one
        await end_case(bot_data, bot, case.id, "expired", by="timeout", only_from=("open",))
        return None
    await bot_data.store.set_card(case.id, card.message_id)
    schedule_timer(bot_data, bot, case)
    await send(bot_data, bot, chat_id, texts.t("CASE_OPENED", language).format(number=esc(case.number)),
               cancel_keyboard(case.id))
    return case


def schedule_timer(bot_data: BotData, bot: Bot, case: Case) -> None:
    async def wait_then_expire() -> None:
        delay = max(0.0, (case.expires_at - utcnow()).total_seconds())
        await asyncio.sleep(delay)
        await end_case(bot_data, bot, case.id, "expired", by="timeout", only_from=("open",))

    old = bot_data.timers.pop(case.id, None)
    if old:
        old.cancel()
    task = asyncio.create_task(wait_then_expire(), name=f"case-timeout-{case.id}")
    bot_data.timers[case.id] = task
    task.add_done_callback(lambda t: bot_data.timers.pop(case.id, None) if bot_data.timers.get(case.id) is t
                           else None)


async def resume_timers(bot_data: BotData, bot: Bot) -> int:
    cases = await bot_data.store.open_cases()
    for case in cases:
        schedule_timer(bot_data, bot, case)
    return len(cases)


async def end_case(bot_data: BotData, bot: Bot, case_id: int, status: str, by: str,
                   tell_person: bool = True, only_from: tuple[str, ...] = ("open", "claimed")) -> Case | None:
    """Closes or expires a live case once (atomic in the store); tells the person and edits the card."""
    case = await bot_data.store.finish(case_id, status, by, only_from)
    if case is None:
        return None
    timer = bot_data.timers.pop(case_id, None)
    if timer is not None and timer is not asyncio.current_task():
        timer.cancel()
    log.info("case %s %s (%s)", case.number, status, by)
    if tell_person and case.chat_id is not None:
        if status == "expired":
            hotlines = await bot_data.client.hotlines(case.country, case.topics[0] if case.topics else None,
                                                      case.language)
            await send_all(bot_data, bot, case.chat_id,
                           render_hotlines(hotlines, None, texts.t("CASE_EXPIRED", case.language)) if hotlines
                           else [texts.t("CASE_EXPIRED", case.language), texts.NO_HOTLINES])
        else:
            await send(bot_data, bot, case.chat_id,
                       texts.t("CASE_CANCELLED" if by == "person" else "CASE_CLOSED", case.language))
    await update_card(bot_data, bot, case, status, by)
    return case


async def update_card(bot_data: BotData, bot: Bot, case: Case, status: str, by: str) -> None:
    if bot_data.operator_chat_id is None or case.card_message_id is None:
        return
    if by == "erased":
        text = texts.CARD_ERASED.format(number=esc(case.number))
    else:
        suffix = texts.CARD_EXPIRED if status == "expired" else texts.CARD_CLOSED.format(by=_CLOSED_BY.get(by, by))
        text = card_text(case, suffix, with_text=False)
    await quietly(bot_data, lambda: bot.edit_message_text(
        text, chat_id=bot_data.operator_chat_id, message_id=case.card_message_id, parse_mode=ParseMode.HTML,
        reply_markup=None))
    if by in ("person", "blocked") and case.status == "claimed":
        note = texts.PERSON_BLOCKED if by == "blocked" else texts.PERSON_LEFT
        await send(bot_data, bot, bot_data.operator_chat_id, note.format(number=esc(case.number)), person=False)
