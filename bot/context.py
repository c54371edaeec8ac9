"""Typed context: what the Application keeps in bot_data and user_data, as classes instead of string keys."""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import CallbackContext, ContextTypes, ExtBot

if TYPE_CHECKING:
    from bot.client import AssistantClient
    from bot.pseudonym import Pseudonymizer
    from bot.settings import BotSettings
    from bot.store import AsyncStore

SEEN_UPDATES = 2048


@dataclass
class UserData:
    """A person's choices, cached from the database (the database is the truth across restarts)."""

    loaded: bool = False
    role: str | None = None
    language: str | None = None
    country: str | None = None
    last_topics: list[str] = field(default_factory=list)  # hotline topics of the last escalation
    last_language: str | None = None  # detected in the last message, for replies outside an answer


class BotData:
    """Process-wide services. PTB creates it without arguments; build_application fills it in."""

    settings: BotSettings
    client: AssistantClient
    store: AsyncStore
    pseudonym: Pseudonymizer

    def __init__(self) -> None:
        self.seen_updates: OrderedDict[int, None] = OrderedDict()
        self.timers: dict[int, asyncio.Task[None]] = {}
        self.background: list[asyncio.Task[None]] = []
        self.members: dict[int, tuple[float, bool]] = {}  # operator user id -> (checked at, is member)
        self.last_alert: float = 0.0

    @property
    def operator_chat_id(self) -> int | None:
        return self.settings.operator_chat_id

    def first_time(self, update_id: int) -> bool:
        if update_id in self.seen_updates:
            return False
        self.seen_updates[update_id] = None
        while len(self.seen_updates) > SEEN_UPDATES:
            self.seen_updates.popitem(last=False)
        return True


Context: TypeAlias = CallbackContext[ExtBot[None], UserData, dict[Any, Any], BotData]
CONTEXT_TYPES = ContextTypes(context=CallbackContext, bot_data=BotData, user_data=UserData)
