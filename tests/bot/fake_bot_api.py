"""A Bot API server for the tests, on loopback: the real wire protocol at /bot<token>/<method>.

It keeps chats and messages, serves queued updates to long polling, records every call, and can be told to
fail the next N calls of a method with 429 (retry_after), 403, 400 or 502. It runs in its own thread and loop
so any test loop can drive it.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

JSON_KEYS = {"reply_markup", "reply_parameters", "message_ids", "link_preview_options", "entities",
             "caption_entities", "allowed_updates", "commands", "scope"}
INT_KEYS = {"chat_id", "from_chat_id", "message_id", "user_id", "offset", "limit", "timeout"}
BOT_USER = {"id": 999000, "is_bot": True, "first_name": "Passage", "username": "passage_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)


def _decode(raw: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and key in JSON_KEYS:
            value = json.loads(value)
        elif isinstance(value, str) and key in INT_KEYS:
            value = int(value)
        elif value in ("true", "false"):
            value = value == "true"
        out[key] = value
    return out


def user(user_id: int, name: str = "Test") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name}


class FakeBotAPI:
    def __init__(self, token: str = "123456:TEST-TOKEN", max_long_poll_s: float = 0.5) -> None:
        self.token = token
        self.max_long_poll_s = max_long_poll_s
        self._lock = threading.Lock()
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self.reset()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    def reset(self) -> None:
        with self._lock:
            self.calls: list[Call] = []
            self._updates: list[dict[str, Any]] = []
            self._message_ids: dict[int, itertools.count] = defaultdict(lambda: itertools.count(1))
            self.messages: dict[tuple[int, int], dict[str, Any]] = {}
            self.deleted: set[tuple[int, int]] = set()
            self._failures: dict[str, deque[tuple[int, int | None, str | None]]] = defaultdict(deque)
            self.members: dict[tuple[int, int], str] = {}
            self.webhook: dict[str, Any] | None = None

    # lifecycle
    def start(self) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app = Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._event = asyncio.Event()
            ready.set()
            try:
                self._loop.run_until_complete(self._server.serve(sockets=[sock]))
            finally:
                self._loop.close()

        self._thread = threading.Thread(target=run, name="fake-bot-api", daemon=True)
        self._thread.start()
        ready.wait(5)
        while not self._server.started:
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    def stop(self) -> None:
        if self._server:
            self._server.should_exit = True
        if self._thread:
            self._thread.join(5)

    # test controls
    def fail(self, method: str, status: int, times: int = 1, retry_after: int | None = None,
             description: str | None = None) -> None:
        with self._lock:
            self._failures[method].extend([(status, retry_after, description)] * times)

    def set_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        with self._lock:
            self.members[(chat_id, user_id)] = status

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
        if self._loop:
            self._loop.call_soon_threadsafe(self._event.set)
        return update

    def _message(self, chat: dict[str, Any], sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        with self._lock:
            message_id = next(self._message_ids[chat["id"]])
            message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": sender, **content}
            self.messages[(chat["id"], message_id)] = message
        return message

    def user_message(self, user_id: int, text: str | None = None, update_id: int | None = None,
                     edited: bool = False, **content: Any) -> dict[str, Any]:
        """A person writes to the bot in a private chat (text, or any other content via keywords)."""
        chat = {"id": user_id, "type": "private", "first_name": "Test"}
        if text is not None:
            content["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message = self._message(chat, user(user_id), **content)
        update: dict[str, Any] = {"edited_message" if edited else "message": message}
        if edited:
            message["edit_date"] = message["date"]
        if update_id is not None:
            update["update_id"] = update_id
        return self.push(update)

    def group_message(self, chat_id: int, user_id: int, text: str, reply_to: int | None = None) -> dict[str, Any]:
        chat = {"id": chat_id, "type": "supergroup", "title": "Operators"}
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to is not None:
            content["reply_to_message"] = self.messages[(chat_id, reply_to)]
        return self.push({"message": self._message(chat, user(user_id, "Operator"), **content)})

    def press(self, user_id: int, message: dict[str, Any], data: str) -> dict[str, Any]:
        """A user presses an inline button under `message` (any chat: forged presses are possible)."""
        query = {"id": str(next(self._callback_ids)), "from": user(user_id), "message": message,
                 "chat_instance": "ci", "data": data}
        return self.push({"callback_query": query})

    # inspection
    def calls_of(self, method: str, ok_only: bool = True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and (c.status == 200 or not ok_only)]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot has in a chat (sent or copied), in order; deleted ones excluded."""
        with self._lock:
            return [m for (c, mid), m in sorted(self.messages.items())
                    if c == chat_id and m["from"]["id"] == BOT_USER["id"] and (c, mid) not in self.deleted]

    def texts(self, chat_id: int) -> list[str]:
        return [m.get("text", "") for m in self.bot_messages(chat_id)]

    def with_button(self, chat_id: int, prefix: str) -> dict[str, Any] | None:
        for message in reversed(self.bot_messages(chat_id)):
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button.get("callback_data", "").startswith(prefix):
                        return message
        return None

    def button_data(self, message: dict[str, Any], prefix: str) -> str:
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").startswith(prefix):
                    return button["callback_data"]
        raise KeyError(prefix)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what or predicate}")

    async def settle(self, quiet_s: float = 0.3, timeout: float = 15.0) -> None:
        """Waits until the bot has made no call (other than polling) for quiet_s."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                last = max((c.at for c in self.calls if c.method != "getUpdates"), default=0.0)
                pending = bool(self._updates)
            if not pending and time.monotonic() - last >= quiet_s:
                return
            await asyncio.sleep(0.05)

    # the Bot API
    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        if request.headers.get("content-type", "").startswith("application/json"):
            raw = await request.json()
        else:
            # PTB posts application/x-www-form-urlencoded with JSON-encoded objects as values
            raw = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        params = _decode(raw)
        with self._lock:
            failure = self._failures[method].popleft() if self._failures.get(method) else None
            self.calls.append(Call(method, params, failure[0] if failure else 200))
        if failure:
            status, retry_after, description = failure
            body: dict[str, Any] = {"ok": False, "error_code": status, "description": description or {
                429: "Too Many Requests: retry later", 403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: message to edit not found", 502: "Bad Gateway"}.get(status, "error")}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return JSONResponse(body, status)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return JSONResponse({"ok": True, "result": True})
        result = await handler(params) if asyncio.iscoroutinefunction(handler) else handler(params)
        if isinstance(result, JSONResponse):
            return result
        return JSONResponse({"ok": True, "result": result})

    def _api_getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset, limit = p.get("offset", 0), p.get("limit", 100)
        deadline = time.monotonic() + min(float(p.get("timeout", 0)), self.max_long_poll_s)
        while True:
            self._event.clear()
            with self._lock:
                if offset:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = list(self._updates[:limit])
            remaining = deadline - time.monotonic()
            if pending or remaining <= 0:
                return pending
            try:
                await asyncio.wait_for(self._event.wait(), min(remaining, 0.1))
            except TimeoutError:
                pass

    def _chat(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "type": "private", "first_name": "Test"} if chat_id > 0 else \
            {"id": chat_id, "type": "supergroup", "title": "Operators"}

    def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        extra = {k: p[k] for k in ("reply_markup",) if k in p}
        return self._message(self._chat(p["chat_id"]), BOT_USER, text=p["text"], **extra)

    def _edit(self, p: dict[str, Any], **changes: Any) -> dict[str, Any] | JSONResponse:
        with self._lock:
            message = self.messages.get((p["chat_id"], p["message_id"]))
            if message is None:
                return JSONResponse({"ok": False, "error_code": 400,
                                     "description": "Bad Request: message to edit not found"}, 400)
            message.update(changes)
            if "reply_markup" not in p:
                message.pop("reply_markup", None)
            return dict(message)

    def _api_editMessageText(self, p: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        return self._edit(p, text=p["text"], **({"reply_markup": p["reply_markup"]} if "reply_markup" in p else {}))

    def _api_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        return self._edit(p, **({"reply_markup": p["reply_markup"]} if "reply_markup" in p else {}))

    def _api_deleteMessage(self, p: dict[str, Any]) -> bool:
        with self._lock:
            self.deleted.add((p["chat_id"], p["message_id"]))
        return True

    def _api_deleteMessages(self, p: dict[str, Any]) -> bool:
        with self._lock:
            self.deleted.update((p["chat_id"], m) for m in p["message_ids"])
        return True

    def _api_copyMessage(self, p: dict[str, Any]) -> dict[str, Any] | JSONResponse:
        with self._lock:
            source = self.messages.get((p["from_chat_id"], p["message_id"]))
        if source is None:
            return JSONResponse({"ok": False, "error_code": 400,
                                 "description": "Bad Request: message to copy not found"}, 400)
        content = {k: v for k, v in source.items() if k not in (
            "message_id", "date", "chat", "from", "reply_to_message", "entities", "reply_markup", "edit_date")}
        if "reply_parameters" in p:
            with self._lock:
                target = self.messages.get((p["chat_id"], p["reply_parameters"]["message_id"]))
            if target is not None:
                content["reply_to_message"] = target
        copied = self._message(self._chat(p["chat_id"]), BOT_USER, **content)
        return {"message_id": copied["message_id"]}

    def _api_getChatMember(self, p: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            status = self.members.get((p["chat_id"], p["user_id"]), "left")
        return {"status": status, "user": user(p["user_id"])}

    def _api_setWebhook(self, p: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = p
        return True

    def _api_deleteWebhook(self, _: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = None
        return True
