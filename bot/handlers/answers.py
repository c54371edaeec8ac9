"""A text message becomes one Assistant call, rendered: hotlines first when urgent, then the cited answer,
framework cards for practitioners, and buttons for feedback and a person."""
from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction

from bot import texts
from bot.cases import request_person
from bot.client import AssistantUnavailable
from bot.context import Context
from bot.delivery import quietly, send, send_all
from bot.render import render_answer, render_escalation, render_framework, render_hotlines
from retrieval.types import Answer

log = logging.getLogger(__name__)


def answer_keyboard(ref: str | None, feedback: bool = True) -> InlineKeyboardMarkup:
    rows = []
    if feedback and ref:
        rows.append([InlineKeyboardButton("👍 Helpful", callback_data=f"fb:{ref}:1"),
                     InlineKeyboardButton("👎 Not helpful", callback_data=f"fb:{ref}:0")])
    rows.append([InlineKeyboardButton("🙋 Talk to a person", callback_data="human"),
                 InlineKeyboardButton("🚪 Quick exit", callback_data="exit")])
    return InlineKeyboardMarkup(rows)


async def on_text(update: Update, context: Context) -> None:
    bot_data, chat_id, person = context.bot_data, update.effective_chat.id, context.user_data
    # the API's limit too; a longer message is mostly pasted documents, and its start says what is asked
    question = (update.message.text or "")[: bot_data.settings.max_question_chars]
    await quietly(bot_data, lambda: context.bot.send_chat_action(chat_id, ChatAction.TYPING))
    try:
        answer = await bot_data.client.ask(question, persona=person.role, language=person.language,
                                           country=person.country)
    except AssistantUnavailable as exc:
        await send_all(bot_data, context.bot, chat_id, render_hotlines(exc.hotlines, None, texts.THINKING_FAILED)
                       if exc.hotlines else [texts.THINKING_FAILED, texts.NO_HOTLINES])
        return
    log.info("answered: persona=%s language=%s level=%s abstained=%s citations=%d", answer.persona,
             answer.language, answer.escalation.level, answer.abstained, len(answer.citations))
    escalation = answer.escalation
    person.last_topics, person.last_language = list(escalation.topics), answer.language
    if escalation.level == "urgent":
        await reply_urgent(update, context, answer, question)
        return
    await reply_answer(update, context, answer)
    if escalation.level == "refer":
        await reply_refer(update, context, answer)


async def reply_urgent(update: Update, context: Context, answer: Answer, question: str) -> None:
    """The hotline reply goes first, in the person's language, before anything that could fail or wait."""
    bot_data, chat_id, escalation = context.bot_data, update.effective_chat.id, answer.escalation
    await send_all(bot_data, context.bot, chat_id, render_escalation(escalation))
    if bot_data.operator_chat_id is not None:
        await request_person(bot_data, context.bot, chat_id, "urgent", list(escalation.reasons),
                             list(escalation.topics), answer.language, answer.country, question)
    if answer.citations and answer.text.strip() and answer.text.strip() != escalation.message.strip():
        await reply_answer(update, context, answer)


async def reply_answer(update: Update, context: Context, answer: Answer) -> None:
    bot_data, chat_id = context.bot_data, update.effective_chat.id
    ref = await bot_data.store.record_answer(
        bot_data.pseudonym(update.effective_user.id), answer.persona, answer.language, answer.escalation.level,
        answer.abstained, sorted({c.document_id for c in answer.citations}))
    cards = [m for f in answer.frameworks for m in render_framework(f)] if answer.persona == "practitioner" else []
    await send_all(bot_data, context.bot, chat_id, render_answer(_without_escalation(answer)),
                   None if cards else answer_keyboard(ref))
    if cards:
        await send_all(bot_data, context.bot, chat_id, cards, answer_keyboard(ref))


def _without_escalation(answer: Answer) -> Answer:
    """The hotline text travels in its own messages here; the answer's copy of it is for text-only faces."""
    message = answer.escalation.message.strip()
    if not message or message not in answer.text:
        return answer
    return answer.model_copy(update={"text": answer.text.replace(message, "", 1).strip()})


async def reply_refer(update: Update, context: Context, answer: Answer) -> None:
    escalation = answer.escalation
    messages = render_hotlines(escalation.hotlines, escalation.emergency_number, escalation.message)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("🙋 Talk to a person", callback_data="human")]])
    await send_all(context.bot_data, context.bot, update.effective_chat.id, messages + [texts.REFER], keyboard)


async def feedback_button(update: Update, context: Context) -> None:
    query = update.callback_query
    _, ref, value = (query.data.split(":") + ["", ""])[:3]
    stored = await context.bot_data.store.record_feedback(
        ref, context.bot_data.pseudonym(update.effective_user.id), value == "1")
    await quietly(context.bot_data, lambda: query.answer(texts.FEEDBACK_THANKS if stored else None))
    if stored and query.message is not None:
        await quietly(context.bot_data, lambda: query.edit_message_reply_markup(answer_keyboard(None, False)))


async def on_other_content(update: Update, context: Context) -> None:
    """Stickers, voice, photos, files, locations, contacts, video...: say kindly what can be read."""
    kinds = [k for k in ("sticker", "voice", "photo", "document", "location", "contact", "video", "video_note",
                         "audio", "animation", "poll", "dice", "venue") if getattr(update.message, k, None)]
    log.info("non-text message (%s)", kinds[0] if kinds else "other")
    await send(context.bot_data, context.bot, update.effective_chat.id, texts.NON_TEXT)


async def hotline_command(update: Update, context: Context) -> None:
    """/hotline [topic]: help lines for the person's country and topic (the last escalation's, if none given)."""
    person = context.user_data
    topic = context.args[0].lower() if context.args else (person.last_topics[0] if person.last_topics else None)
    hotlines = await context.bot_data.client.hotlines(person.country, topic, person.language)
    if not hotlines and topic:
        hotlines = await context.bot_data.client.hotlines(person.country, None, person.language)
    messages = render_hotlines(hotlines, None, texts.HOTLINE_INTRO) if hotlines else [texts.NO_HOTLINES]
    await send_all(context.bot_data, context.bot, update.effective_chat.id, messages)
