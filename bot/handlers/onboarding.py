"""First contact and the person's choices: /start, /help, /role, /language, /country and their buttons."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import texts
from bot.context import Context
from bot.delivery import quietly, send
from bot.render import esc


def start_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(label, callback_data=f"role:{role}")] for role, label in texts.ROLES.items()
    ] + [
        [InlineKeyboardButton("🌐 Language", callback_data="menu:language"),
         InlineKeyboardButton("📍 Country", callback_data="menu:country")],
        [InlineKeyboardButton("🚪 Quick exit", callback_data="exit")],
    ])


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(_rows([InlineKeyboardButton(name, callback_data=f"lang:{code}")
                                       for code, name in texts.LANGUAGES.items()], 3))


def country_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(_rows([InlineKeyboardButton(name, callback_data=f"country:{code}")
                                       for code, name in texts.COUNTRIES.items()], 3))


def role_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"role:{role}")]
                                 for role, label in texts.ROLES.items()])


async def start(update: Update, context: Context) -> None:
    text = texts.START.format(days=context.bot_data.settings.retention_days)
    await send(context.bot_data, context.bot, update.effective_chat.id, text, start_keyboard())


async def help_command(update: Update, context: Context) -> None:
    await send(context.bot_data, context.bot, update.effective_chat.id, texts.HELP)


async def role_command(update: Update, context: Context) -> None:
    await send(context.bot_data, context.bot, update.effective_chat.id, texts.ROLE_ASK, role_keyboard())


async def language_command(update: Update, context: Context) -> None:
    if context.args and context.args[0].lower() in texts.LANGUAGES:
        await _set_language(update, context, context.args[0].lower())
        return
    await send(context.bot_data, context.bot, update.effective_chat.id, texts.LANGUAGE_ASK, language_keyboard())


async def country_command(update: Update, context: Context) -> None:
    if context.args:
        code = context.args[0].strip().upper()
        if len(code) == 2 and code.isalpha() and code.isascii():
            await _set_country(update, context, code)
        else:
            await send(context.bot_data, context.bot, update.effective_chat.id, texts.COUNTRY_BAD)
        return
    await send(context.bot_data, context.bot, update.effective_chat.id, texts.COUNTRY_ASK, country_keyboard())


async def menu_button(update: Update, context: Context) -> None:
    query = update.callback_query
    await quietly(context.bot_data, query.answer)
    if query.data == "menu:language":
        await language_command(update, context)
    else:
        await country_command(update, context)


async def role_button(update: Update, context: Context) -> None:
    query = update.callback_query
    role = query.data.split(":", 1)[1]
    await quietly(context.bot_data, query.answer)
    if role not in texts.ROLES:
        return
    context.user_data.role = role
    await context.bot_data.store.set_pref(context.bot_data.pseudonym(update.effective_user.id), role=role)
    await send(context.bot_data, context.bot, update.effective_chat.id,
               texts.ROLE_SET.format(role=texts.ROLE_WORDS[role]))


async def language_button(update: Update, context: Context) -> None:
    query = update.callback_query
    await quietly(context.bot_data, query.answer)
    code = query.data.split(":", 1)[1]
    if code in texts.LANGUAGES:
        await _set_language(update, context, code)


async def country_button(update: Update, context: Context) -> None:
    query = update.callback_query
    await quietly(context.bot_data, query.answer)
    code = query.data.split(":", 1)[1]
    if code in texts.COUNTRIES:
        await _set_country(update, context, code)


async def _set_language(update: Update, context: Context, code: str) -> None:
    context.user_data.language = code
    await context.bot_data.store.set_pref(context.bot_data.pseudonym(update.effective_user.id), language=code)
    await send(context.bot_data, context.bot, update.effective_chat.id,
               texts.LANGUAGE_SET.format(name=esc(texts.LANGUAGES[code])))


async def _set_country(update: Update, context: Context, code: str) -> None:
    context.user_data.country = code
    await context.bot_data.store.set_pref(context.bot_data.pseudonym(update.effective_user.id), country=code)
    await send(context.bot_data, context.bot, update.effective_chat.id, texts.COUNTRY_SET.format(code=esc(code)))
