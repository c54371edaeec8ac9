"""Running the Application: polling (default) or a webhook served here with a constant-time secret check.

PTB's own run_webhook compares the secret with `!=` (and logs a wrong one at DEBUG), so the webhook is a small
Starlette app in the style of PTB's custom-webhook example: it checks the header with hmac.compare_digest and
puts the update on the Application's queue. Duplicate update_ids are dropped by the first handler group.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.settings import BotSettings

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@asynccontextmanager
async def polling(app: Application, poll_interval: float = 0.0, timeout: int = 10) -> AsyncIterator[Application]:
    """What Application.run_polling does, as a context manager (tests and embedding use it)."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.updater.start_polling(poll_interval=poll_interval, timeout=timeout,
                                    allowed_updates=Update.ALL_TYPES)
    await app.start()
    try:
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        await _stop(app)


async def _stop(app: Application) -> None:
    """What Application.run_polling does on the way out, including the post_* hooks it would call."""
    if app.running:
        await app.stop()
    if app.post_stop:
        await app.post_stop(app)
    await app.shutdown()
    if app.post_shutdown:
        await app.post_shutdown(app)


def webhook_app(app: Application, secret: str, path: str) -> Starlette:
    expected = secret.encode()

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), app.bot)
        except (ValueError, TypeError, KeyError):  # malformed body: refuse it and move on
            return Response(status_code=400)
        await app.update_queue.put(update)
        return Response(status_code=200)

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(path, telegram, methods=["POST"]), Route("/healthz", health)])


@asynccontextmanager
async def webhook(app: Application, settings: BotSettings,
                  sock: socket.socket | None = None) -> AsyncIterator[uvicorn.Server]:
    """Registers the webhook with Telegram and serves it until the context exits."""
    if not settings.webhook_url:
        raise ValueError("webhook mode needs WEBHOOK_URL")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    path = urlsplit(settings.webhook_url).path or "/"
    config = uvicorn.Config(webhook_app(app, secret, path), host=settings.webhook_listen,
                            port=settings.webhook_port, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    serving = asyncio.create_task(server.serve(sockets=[sock] if sock else None))
    try:
        while not server.started:
            if serving.done():
                serving.result()
            await asyncio.sleep(0.02)
        await app.bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        log.info("webhook set; serving on %s:%s", settings.webhook_listen, settings.webhook_port)
        yield server
    finally:
        server.should_exit = True
        await serving
        await _stop(app)


async def serve_webhook_forever(app: Application, settings: BotSettings) -> None:
    async with webhook(app, settings) as server:
        while not server.should_exit:
            await asyncio.sleep(0.5)
