"""Sending that survives Telegram: bounded retries on 429 and network errors, a plain-text fallback when
HTML is refused, and a blocked bot (403) turned into 'person inactive, case closed' instead of a crash.

429s are first absorbed by AIORateLimiter (max_retries); the loop here is the bounded last line.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.context import BotData
from bot.render import to_plain

log = logging.getLogger(__name__)
T = TypeVar("T")
_BACKOFF_S = (0.2, 0.5, 1.0, 2.0)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def retrying(bot_data: BotData, make: Callable[[], Awaitable[T]]) -> T:
    """Runs a Bot API call, retrying 429 (after retry_after) and network errors a bounded number of times.
    BadRequest and Forbidden are not transient and go straight to the caller."""
    attempts = bot_data.settings.bot_send_attempts
    for attempt in range(attempts):
        try:
            return await make()
        except RetryAfter as exc:
            if attempt == attempts - 1:
                raise
            value = exc.retry_after  # int today, timedelta in PTB's next major version
            delay = value.total_seconds() if isinstance(value, dt.timedelta) else float(value)
            await asyncio.sleep(delay + 0.05)
        except BadRequest:
            raise
        except NetworkError as exc:
            if attempt == attempts - 1:
                raise
            log.info("network error (%s), retrying", type(exc).__name__)
            await asyncio.sleep(_BACKOFF_S[min(attempt, len(_BACKOFF_S) - 1)])
    raise AssertionError("unreachable")


async def send(bot_data: BotData, bot: object, chat_id: int, text: str,
               reply_markup: InlineKeyboardMarkup | None = None, person: bool = True,
               track: bool = True) -> Message | None:
    """Sends one HTML message. `person`: the chat is a person's (403 = blocked); `track`: keep its id for
    quick exit."""
    parse_mode: str | None = ParseMode.HTML
    while True:
        try:
            message: Message = await retrying(bot_data, lambda t=text, p=parse_mode: bot.send_message(  # type: ignore[attr-defined]
                chat_id=chat_id, text=t, parse_mode=p, reply_markup=reply_markup, link_preview_options=_NO_PREVIEW))
        except Forbidden:
            if person:
                await person_blocked(bot_data, bot, chat_id)
            else:
                log.error("the bot cannot write to the operators' group (403)")
            return None
        except BadRequest as exc:
            if parse_mode and "parse" in str(exc).lower():
                log.warning("Telegram refused our HTML; sending plain text")
                text, parse_mode = to_plain(text), None
                continue
            log.error("send refused (400): %s", type(exc).__name__)
            return None
        except TelegramError as exc:
            log.error("send failed after retries: %s", type(exc).__name__)
            return None
        if person and track:
            await remember(bot_data, chat_id, [message.message_id])
        return message


async def send_all(bot_data: BotData, bot: object, chat_id: int, messages: list[str],
                   reply_markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Sends consecutive messages; the keyboard goes on the last one. Returns the last message sent."""
    last = None
    for i, text in enumerate(messages):
        last = await send(bot_data, bot, chat_id, text, reply_markup if i == len(messages) - 1 else None)
    return last


async def remember(bot_data: BotData, chat_id: int, message_ids: list[int]) -> None:
    await bot_data.store.remember_messages(bot_data.pseudonym(chat_id), message_ids)


async def quietly(bot_data: BotData, make: Callable[[], Awaitable[object]]) -> bool:
    """For edits, callback answers and deletions: worth retrying, never worth failing a turn over."""
    try:
        await retrying(bot_data, make)
        return True
    except TelegramError as exc:
        log.info("non-essential call failed: %s", type(exc).__name__)
        return False


async def person_blocked(bot_data: BotData, bot: object, chat_id: int) -> None:
    from bot.cases import end_case  # late: cases sends messages through this module

    user_hash = bot_data.pseudonym(chat_id)
    log.info("a person blocked the bot; marking inactive")
    await bot_data.store.mark_inactive(user_hash)
    case = await bot_data.store.live_case(user_hash)
    if case is not None:
        await end_case(bot_data, bot, case.id, "closed", by="blocked", tell_person=False)
