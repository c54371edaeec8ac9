"""`build_application(settings, assistant_client)`: the whole bot wired in one place."""
from __future__ import annotations

import logging
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.cases import resume_timers
from bot.client import as_client
from bot.context import CONTEXT_TYPES, BotData
from bot.delivery import quietly
from bot.handlers import answers, errors, gate, handoff, onboarding, privacy
from bot.ordering import PerChatUpdateProcessor
from bot.pseudonym import Pseudonymizer
from bot.retention import start_retention
from bot.settings import BotSettings
from bot.store import AsyncStore, Store
from retrieval.errors import ConfigError

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("start", "What Passage is, privacy, choices"), BotCommand("help", "What I can do"),
    BotCommand("hotline", "Help lines for your country"), BotCommand("human", "Ask for a person"),
    BotCommand("cancel", "Stop waiting for / talking to a person"), BotCommand("country", "Set your country"),
    BotCommand("language", "Choose a language"), BotCommand("role", "For yourself, or working with migrants"),
    BotCommand("delete", "Erase everything stored about you"), BotCommand("exit", "Quickly delete this chat"),
]


def quiet_loggers() -> None:
    # httpx logs every request URL at INFO, and the Bot API URL contains the token
    for name in ("httpx", "httpcore", "telegram", "apscheduler"):
        logging.getLogger(name).setLevel(logging.WARNING)


def build_application(settings: BotSettings, assistant_client: Any) -> Application:
    if settings.telegram_bot_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    quiet_loggers()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .context_types(CONTEXT_TYPES)
        .rate_limiter(AIORateLimiter(max_retries=max(0, settings.bot_send_attempts - 1)))
        .concurrent_updates(PerChatUpdateProcessor(16))
        .job_queue(None)  # timers are asyncio tasks re-armed from the database (bot.cases)
        .post_init(on_startup)
        .post_shutdown(on_shutdown)
    )
    if settings.telegram_api_url:
        url = settings.telegram_api_url.rstrip("/")
        builder = builder.base_url(f"{url}/bot").base_file_url(f"{url}/file/bot")
    if settings.webhook_url:
        builder = builder.updater(None)  # bot.runner serves the webhook itself (constant-time secret check)
    app = builder.build()

    bot_data: BotData = app.bot_data
    bot_data.settings = settings
    bot_data.client = as_client(assistant_client)
    bot_data.store = AsyncStore(Store(settings.resolved_database_url))
    bot_data.pseudonym = Pseudonymizer.from_settings(
        settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None, settings.data_dir)

    private = filters.ChatType.PRIVATE
    new_message = filters.UpdateType.MESSAGE  # edited messages are not answered a second time

    app.add_handler(TypeHandler(Update, gate.drop_duplicates), group=-3)
    app.add_handler(TypeHandler(Update, gate.load_person), group=-2)
    app.add_handler(MessageHandler(private & new_message & ~filters.COMMAND, handoff.relay_from_person), group=-1)

    for name, callback in [
        ("start", onboarding.start), ("help", onboarding.help_command), ("role", onboarding.role_command),
        ("language", onboarding.language_command), ("country", onboarding.country_command),
        ("hotline", answers.hotline_command), ("human", handoff.human_command),
        ("cancel", handoff.cancel_command), ("delete", privacy.delete_command), ("exit", privacy.exit_command),
    ]:
        app.add_handler(CommandHandler(name, callback, filters=private & new_message))

    for pattern, callback in [
        (r"^role:", onboarding.role_button), (r"^lang:", onboarding.language_button),
        (r"^country:", onboarding.country_button), (r"^menu:", onboarding.menu_button),
        (r"^fb:", answers.feedback_button), (r"^human$", handoff.human_button),
        (r"^exit$", privacy.exit_button), (r"^cancel:\d+$", handoff.cancel_button),
        (r"^claim:\d+$", handoff.claim_button), (r"^close:\d+$", handoff.close_button),
    ]:
        app.add_handler(CallbackQueryHandler(callback, pattern=pattern))

    if settings.operator_chat_id is not None:
        operators = filters.Chat(settings.operator_chat_id)
        app.add_handler(CommandHandler("close", handoff.close_command, filters=operators & new_message))
        app.add_handler(MessageHandler(operators & new_message & filters.REPLY & ~filters.COMMAND,
                                       handoff.relay_from_operator))

    app.add_handler(MessageHandler(private & new_message & filters.TEXT & ~filters.COMMAND, answers.on_text))
    app.add_handler(MessageHandler(private & new_message & ~filters.TEXT & ~filters.COMMAND,
                                   answers.on_other_content))
    app.add_handler(MessageHandler(private & new_message & filters.COMMAND, onboarding.help_command))
    app.add_error_handler(errors.error_handler)
    return app


async def on_startup(app: Application) -> None:
    bot_data: BotData = app.bot_data
    await quietly(bot_data, lambda: app.bot.set_my_commands(COMMANDS))
    resumed = await resume_timers(bot_data, app.bot)
    if resumed:
        log.info("re-armed %d handoff timers", resumed)
    start_retention(bot_data)


async def on_shutdown(app: Application) -> None:
    bot_data: BotData = app.bot_data
    for task in [*bot_data.timers.values(), *bot_data.background]:
        task.cancel()
    bot_data.timers.clear()
    bot_data.background.clear()
    await bot_data.client.aclose()
    bot_data.store.sync.close()
