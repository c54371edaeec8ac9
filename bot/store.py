"""The bot's database: people's preferences, handoff cases, the relay map, sent message ids and feedback.

SQLAlchemy 2 with a sync engine; the async handlers call it through `asyncio.to_thread` (`AsyncStore`).
SQLite under data_dir by default, PostgreSQL through DATABASE_URL. People appear only as keyed hashes; the
raw chat id and the triggering message live in a case row only while the case is open or claimed.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, ParamSpec, TypeVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

log = logging.getLogger(__name__)
CaseStatus = Literal["open", "claimed", "closed", "expired"]
LIVE: tuple[str, ...] = ("open", "claimed")
LIVE_INDEX = "uq_bot_cases_live_user"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class UserRow(Base):
    __tablename__ = "bot_users"
    user_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str | None] = mapped_column(String(16))
    language: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class CaseRow(Base):
    __tablename__ = "bot_cases"
    # at most one live case per person, even when two requests (two workers, two processes) race
    __table_args__ = (Index(LIVE_INDEX, "user_hash", unique=True,
                            sqlite_where=text("status IN ('open', 'claimed')"),
                            postgresql_where=text("status IN ('open', 'claimed')")),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    user_hash: Mapped[str] = mapped_column(String(64), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)  # purged at close
    status: Mapped[str] = mapped_column(String(10), index=True, default="open")
    level: Mapped[str] = mapped_column(String(8))
    reasons: Mapped[str] = mapped_column(String(400), default="")
    topics: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str | None] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(8))
    trigger_text: Mapped[str | None] = mapped_column(Text)  # purged at close
    operator_hash: Mapped[str | None] = mapped_column(String(64))
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_by: Mapped[str | None] = mapped_column(String(16))


class RelayRow(Base):
    """A message in the operators' group that belongs to a case (card or relayed copy): replies route by it."""

    __tablename__ = "bot_relay"
    op_message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("bot_cases.id", ondelete="CASCADE"), index=True)


class SentRow(Base):
    """Ids (never text) of messages in a person's chat, so quick-exit can delete them."""

    __tablename__ = "bot_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_hash: Mapped[str] = mapped_column(String(64), index=True)
    message_id: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class AnswerRow(Base):
    """What evaluators need to weigh feedback: no question, no answer text."""

    __tablename__ = "bot_answers"
    ref: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(64), index=True)
    persona: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    level: Mapped[str] = mapped_column(String(8))
    abstained: Mapped[bool] = mapped_column(Boolean)
    documents: Mapped[str] = mapped_column(String(400), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class FeedbackRow(Base):
    __tablename__ = "bot_feedback"
    __table_args__ = (UniqueConstraint("answer_ref", "user_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    answer_ref: Mapped[str] = mapped_column(String(16), index=True)
    user_hash: Mapped[str] = mapped_column(String(64), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


@dataclass(frozen=True)
class Case:
    id: int
    number: str
    user_hash: str
    chat_id: int | None
    status: str
    level: str
    reasons: list[str]
    topics: list[str]
    language: str | None
    country: str | None
    trigger_text: str | None
    operator_hash: str | None
    card_message_id: int | None
    opened_at: dt.datetime
    expires_at: dt.datetime

    @classmethod
    def of(cls, row: CaseRow) -> Case:
        return cls(
            id=row.id, number=row.number, user_hash=row.user_hash, chat_id=row.chat_id, status=row.status,
            level=row.level, reasons=_split(row.reasons), topics=_split(row.topics), language=row.language,
            country=row.country, trigger_text=row.trigger_text, operator_hash=row.operator_hash,
            card_message_id=row.card_message_id, opened_at=row.opened_at, expires_at=row.expires_at,
        )


@dataclass(frozen=True)
class Prefs:
    role: str | None = None
    language: str | None = None
    country: str | None = None


def _split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def _fit(value: str | None, column: Any) -> str | None:
    """PostgreSQL refuses NUL characters and strings longer than a VARCHAR; SQLite takes both. Clip and clean
    here so every backend stores the same thing and a long or odd value can never fail a write on one only."""
    if value is None:
        return None
    value = value.replace("\x00", "")
    length = getattr(column.type, "length", None)
    return value[:length] if length else value


def engine_url(url: str) -> str:
    """postgres:// and postgresql:// (no driver) mean psycopg 3, the driver the project installs; SQLAlchemy
    would otherwise reject the first and look for psycopg2 for the second."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


class Store:
    """Sync data access; every method is one short transaction."""

    def __init__(self, url: str) -> None:
        url = engine_url(url)
        kwargs: dict[str, Any] = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:  # a server may drop idle connections or restart: check a pooled connection before using it
            kwargs["pool_pre_ping"] = True
        self.engine: Engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._add_live_case_index()
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def _add_live_case_index(self) -> None:
        """create_all adds no index to a table that already exists: a database made before this one gets it
        here. One that already holds two live cases of one person (the race it prevents) keeps working
        without it."""
        index = next(i for i in CaseRow.__table__.indexes if i.name == LIVE_INDEX)
        try:
            index.create(self.engine, checkfirst=True)
        except IntegrityError:
            log.warning("index %s not created: a person has two live cases; close one and restart", LIVE_INDEX)

    def close(self) -> None:
        self.engine.dispose()

    # people
    def touch_user(self, user_hash: str) -> Prefs:
        try:
            return self._touch_user(user_hash)
        except IntegrityError:  # created at the same moment by another update of the same person
            return self._touch_user(user_hash)

    def _touch_user(self, user_hash: str) -> Prefs:
        with self._session.begin() as s:
            row = s.get(UserRow, user_hash)
            if row is None:
                row = UserRow(user_hash=user_hash)
                s.add(row)
            row.last_seen, row.active = utcnow(), True
            return Prefs(row.role, row.language, row.country)

    def set_pref(self, user_hash: str, **prefs: str | None) -> None:
        with self._session.begin() as s:
            row = s.get(UserRow, user_hash) or UserRow(user_hash=user_hash)
            for key, value in prefs.items():
                setattr(row, key, _fit(value, getattr(UserRow, key)))
            s.add(row)

    def mark_inactive(self, user_hash: str) -> None:
        with self._session.begin() as s:
            s.execute(update(UserRow).where(UserRow.user_hash == user_hash).values(active=False))

    def is_active(self, user_hash: str) -> bool:
        with self._session() as s:
            row = s.get(UserRow, user_hash)
            return bool(row and row.active)

    def erase_user(self, user_hash: str, chat_hash: str) -> None:
        with self._session.begin() as s:
            case_ids = select(CaseRow.id).where(CaseRow.user_hash == user_hash)
            s.execute(delete(RelayRow).where(RelayRow.case_id.in_(case_ids)))
            s.execute(delete(CaseRow).where(CaseRow.user_hash == user_hash))
            refs = select(AnswerRow.ref).where(AnswerRow.user_hash == user_hash)
            s.execute(delete(FeedbackRow).where(FeedbackRow.answer_ref.in_(refs)))
            s.execute(delete(FeedbackRow).where(FeedbackRow.user_hash == user_hash))
            s.execute(delete(AnswerRow).where(AnswerRow.user_hash == user_hash))
            s.execute(delete(SentRow).where(SentRow.chat_hash == chat_hash))
            s.execute(delete(UserRow).where(UserRow.user_hash == user_hash))

    # message ids for quick exit
    def remember_messages(self, chat_hash: str, message_ids: list[int]) -> None:
        with self._session.begin() as s:
            s.add_all(SentRow(chat_hash=chat_hash, message_id=m) for m in message_ids)

    def take_messages(self, chat_hash: str) -> list[int]:
        with self._session.begin() as s:
            ids = list(s.scalars(select(SentRow.message_id).where(SentRow.chat_hash == chat_hash)))
            s.execute(delete(SentRow).where(SentRow.chat_hash == chat_hash))
            return sorted(set(ids))

    # answers and feedback
    def record_answer(self, user_hash: str, persona: str, language: str, level: str, abstained: bool,
                      documents: list[str]) -> str:
        ref = secrets.token_urlsafe(8)
        with self._session.begin() as s:
            s.add(AnswerRow(ref=ref, user_hash=user_hash, persona=_fit(persona, AnswerRow.persona),
                            language=_fit(language, AnswerRow.language), level=_fit(level, AnswerRow.level),
                            abstained=abstained, documents=_fit(",".join(documents), AnswerRow.documents)))
        return ref

    def record_feedback(self, answer_ref: str, user_hash: str, helpful: bool) -> bool:
        with self._session.begin() as s:
            if s.get(AnswerRow, answer_ref) is None:
                return False
            existing = s.scalar(select(FeedbackRow).where(
                FeedbackRow.answer_ref == answer_ref, FeedbackRow.user_hash == user_hash))
            if existing is None:
                s.add(FeedbackRow(answer_ref=answer_ref, user_hash=user_hash, helpful=helpful))
            else:
                existing.helpful = helpful
            return True

    def feedback(self) -> list[dict[str, Any]]:
        with self._session() as s:
            rows = s.execute(select(FeedbackRow, AnswerRow).join(AnswerRow, AnswerRow.ref == FeedbackRow.answer_ref))
            return [{"answer_ref": f.answer_ref, "user": f.user_hash, "helpful": f.helpful, "persona": a.persona,
                     "language": a.language, "level": a.level, "abstained": a.abstained,
                     "documents": _split(a.documents), "at": f.created_at.isoformat()} for f, a in rows]

    # cases
    def open_case(self, user_hash: str, chat_id: int, level: str, reasons: list[str], topics: list[str],
                  language: str | None, country: str | None, trigger_text: str | None,
                  timeout_s: float) -> tuple[Case, bool]:
        """Returns (case, created): a person has at most one live case; asking again returns it."""
        args = (user_hash, chat_id, level, reasons, topics, language, country, trigger_text, timeout_s)
        try:
            return self._open_case(*args)
        except IntegrityError:  # the same person's other request created one at the same moment: return it
            return self._open_case(*args)

    def _open_case(self, user_hash: str, chat_id: int, level: str, reasons: list[str], topics: list[str],
                   language: str | None, country: str | None, trigger_text: str | None,
                   timeout_s: float) -> tuple[Case, bool]:
        with self._session.begin() as s:
            live = s.scalar(select(CaseRow).where(CaseRow.user_hash == user_hash, CaseRow.status.in_(LIVE)))
            if live is not None:
                return Case.of(live), False
            now = utcnow()
            row = CaseRow(
                number="P-" + secrets.token_hex(3).upper(), user_hash=user_hash, chat_id=chat_id, status="open",
                level=_fit(level, CaseRow.level), reasons=_fit(",".join(reasons), CaseRow.reasons),
                topics=_fit(",".join(topics), CaseRow.topics), language=_fit(language, CaseRow.language),
                country=_fit(country, CaseRow.country), trigger_text=_fit(trigger_text, CaseRow.trigger_text),
                opened_at=now,
                expires_at=now + dt.timedelta(seconds=timeout_s),
            )
            s.add(row)
            s.flush()
            return Case.of(row), True

    def set_card(self, case_id: int, message_id: int) -> None:
        with self._session.begin() as s:
            s.execute(update(CaseRow).where(CaseRow.id == case_id).values(card_message_id=message_id))
            s.add(RelayRow(op_message_id=message_id, case_id=case_id))

    def get_case(self, case_id: int) -> Case | None:
        with self._session() as s:
            row = s.get(CaseRow, case_id)
            return Case.of(row) if row else None

    def case_by_number(self, number: str) -> Case | None:
        with self._session() as s:
            row = s.scalar(select(CaseRow).where(CaseRow.number == number.upper()))
            return Case.of(row) if row else None

    def live_case(self, user_hash: str) -> Case | None:
        with self._session() as s:
            row = s.scalar(select(CaseRow).where(CaseRow.user_hash == user_hash, CaseRow.status.in_(LIVE)))
            return Case.of(row) if row else None

    def open_cases(self) -> list[Case]:
        with self._session() as s:
            return [Case.of(r) for r in s.scalars(select(CaseRow).where(CaseRow.status == "open"))]

    def claim(self, case_id: int, operator_hash: str) -> bool:
        """Atomic: of two operators pressing at once, exactly one UPDATE matches status='open'."""
        with self._session.begin() as s:
            result = s.execute(update(CaseRow).where(CaseRow.id == case_id, CaseRow.status == "open")
                               .values(status="claimed", operator_hash=_fit(operator_hash, CaseRow.operator_hash),
                                       claimed_at=utcnow()))
            return result.rowcount == 1

    def finish(self, case_id: int, status: Literal["closed", "expired"], by: str,
               only_from: tuple[str, ...] = LIVE) -> Case | None:
        """Ends a live case atomically and purges what only a live case needed. Returns the case as it was
        (with its chat id, so the caller can tell the person), or None if it was no longer live."""
        with self._session.begin() as s:
            row = s.get(CaseRow, case_id)
            if row is None or row.status not in only_from:
                return None
            before = Case.of(row)
            result = s.execute(update(CaseRow).where(CaseRow.id == case_id, CaseRow.status == row.status).values(
                status=status, closed_at=utcnow(), closed_by=_fit(by, CaseRow.closed_by), chat_id=None,
                trigger_text=None))
            if result.rowcount != 1:
                return None
            s.execute(delete(RelayRow).where(RelayRow.case_id == case_id, RelayRow.op_message_id
                                             != (row.card_message_id or -1)))
            return before

    def add_relay(self, op_message_id: int, case_id: int) -> None:
        with self._session.begin() as s:
            s.merge(RelayRow(op_message_id=op_message_id, case_id=case_id))

    def case_for_op_message(self, op_message_id: int) -> Case | None:
        with self._session() as s:
            relay = s.get(RelayRow, op_message_id)
            row = s.get(CaseRow, relay.case_id) if relay else None
            return Case.of(row) if row else None

    # retention
    def purge(self, retention_days: int, message_ids_hours: float = 48) -> dict[str, int]:
        now = utcnow()
        cutoff = now - dt.timedelta(days=retention_days)
        with self._session.begin() as s:
            counts = {}
            old_cases = select(CaseRow.id).where(CaseRow.status.not_in(LIVE), CaseRow.closed_at < cutoff)
            s.execute(delete(RelayRow).where(RelayRow.case_id.in_(old_cases)))
            counts["cases"] = s.execute(delete(CaseRow).where(CaseRow.status.not_in(LIVE),
                                                              CaseRow.closed_at < cutoff)).rowcount
            counts["feedback"] = s.execute(delete(FeedbackRow).where(FeedbackRow.created_at < cutoff)).rowcount
            counts["answers"] = s.execute(delete(AnswerRow).where(AnswerRow.created_at < cutoff)).rowcount
            counts["users"] = s.execute(delete(UserRow).where(
                UserRow.last_seen < cutoff,
                UserRow.user_hash.not_in(select(CaseRow.user_hash).where(CaseRow.status.in_(LIVE))))).rowcount
            # Telegram lets bots delete messages for 48 hours; older ids are of no use to quick exit
            counts["message_ids"] = s.execute(delete(SentRow).where(
                SentRow.sent_at < now - dt.timedelta(hours=message_ids_hours))).rowcount
            return counts


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


P = ParamSpec("P")
T = TypeVar("T")


class AsyncStore:
    """The same store for handlers: each call runs in a worker thread so the event loop never blocks on I/O."""

    def __init__(self, store: Store) -> None:
        self.sync = store

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(fn, *args, **kwargs)

    def __getattr__(self, name: str) -> Callable[..., Any]:
        fn = getattr(self.sync, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(fn, *args, **kwargs)

        return call
