"""The case store on both of its databases: SQLite (the default) and PostgreSQL (DATABASE_URL).

Each test runs once per backend through the `store_url` fixture (tests/bot/conftest.py); the PostgreSQL one is
a throwaway server (tests/bot/pg.py) with a fresh database per test.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from bot.store import AnswerRow, CaseRow, FeedbackRow, RelayRow, SentRow, Store, UserRow, engine_url, utcnow


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = Store(store_url)
    yield s
    s.close()


def _open(store: Store, who: str = "u1", chat_id: int = 10, timeout_s: float = 60, **kw: Any):  # type: ignore[no-untyped-def]
    values: dict[str, Any] = {"level": "urgent", "reasons": ["locked in"], "topics": ["trafficking"],
                              "language": "ar", "country": "LB", "trigger_text": "help us"}
    values.update(kw)
    return store.open_case(who, chat_id, values["level"], values["reasons"], values["topics"], values["language"],
                           values["country"], values["trigger_text"], timeout_s)


def _race(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Runs fn(0..n-1) in n threads released at the same moment; returns their results (re-raises errors)."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = fn(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racing thread hung"
    if errors:
        raise errors[0]
    return results


def test_create_returns_the_live_case_and_exactly_one_of_two_claimers_wins(store: Store, store_url: str) -> None:
    case, created = _open(store, chat_id=-(2**40))  # chat ids are 64-bit
    assert created and case.status == "open" and case.number.startswith("P-")
    again, created_again = _open(store, trigger_text="again")
    assert not created_again and again.id == case.id and again.trigger_text == "help us"
    stored = store.get_case(case.id)
    assert stored == case  # what the caller got is what the database holds (types and datetimes round-trip)
    assert stored.chat_id == -(2**40) and stored.reasons == ["locked in"] and stored.topics == ["trafficking"]
    assert store.case_by_number(case.number.lower()) == case

    # two operators, two processes (two engines), pressing at the same moment: exactly one wins, every time
    other = Store(store_url)
    try:
        for round_ in range(8):
            c, _ = _open(store, who=f"racer{round_}")
            wins = _race(2, lambda i, c=c: (store, other)[i].claim(c.id, f"op{i}"))
            assert sorted(wins) == [False, True], wins
            claimed = other.get_case(c.id)
            assert claimed.status == "claimed" and claimed.operator_hash == f"op{wins.index(True)}"
        assert store.claim(case.id, "op0") and not other.claim(case.id, "op1")
    finally:
        other.close()


def test_one_person_asking_twice_at_once_gets_one_case(store: Store, store_url: str) -> None:
    other = Store(store_url)
    try:
        for round_ in range(6):
            who = f"twice{round_}"
            results = _race(2, lambda i, who=who: _open((store, other)[i], who=who))
            assert sorted(created for _, created in results) == [False, True], results
            assert results[0][0].id == results[1][0].id
            with store._session() as s:
                live = s.scalar(select(func.count()).select_from(CaseRow).where(
                    CaseRow.user_hash == who, CaseRow.status.in_(("open", "claimed"))))
            assert live == 1
    finally:
        other.close()


def test_relay_map_routes_replies_and_close_keeps_only_the_card(store: Store) -> None:
    case, _ = _open(store)
    card = 2**40 + 7  # message ids are stored as 64-bit
    store.set_card(case.id, card)
    store.add_relay(card + 1, case.id)
    store.add_relay(card + 1, case.id)  # the same message seen twice: an upsert, not an error
    store.add_relay(card + 2, case.id)
    assert store.get_case(case.id).card_message_id == card
    for message_id in (card, card + 1, card + 2):
        assert store.case_for_op_message(message_id).id == case.id
    assert store.case_for_op_message(12345) is None

    assert store.claim(case.id, "op")
    before = store.finish(case.id, "closed", "operator")
    assert before is not None and before.status == "claimed" and before.chat_id == 10
    assert before.trigger_text == "help us"  # returned once, so the caller can tell the person
    after = store.get_case(case.id)
    assert after.status == "closed" and after.chat_id is None and after.trigger_text is None  # purged
    assert after.operator_hash == "op" and after.card_message_id == card
    assert store.case_for_op_message(card).status == "closed"  # the card still finds its (closed) case
    assert store.case_for_op_message(card + 1) is None and store.case_for_op_message(card + 2) is None
    assert store.finish(case.id, "closed", "operator") is None  # ends once
    assert store.live_case("u1") is None
    new, created = _open(store)
    assert created and new.id != case.id  # a closed case does not block the next request


def test_two_enders_at_once_end_a_case_once(store: Store, store_url: str) -> None:
    other = Store(store_url)
    try:
        for round_ in range(6):
            c, _ = _open(store, who=f"end{round_}")
            ended = _race(2, lambda i, c=c: (store, other)[i].finish(
                c.id, ("closed", "expired")[i], ("person", "timeout")[i]))
            assert sum(e is not None for e in ended) == 1, ended
    finally:
        other.close()


def test_expiry_only_from_open(store: Store) -> None:
    t0 = utcnow()
    case, _ = _open(store, timeout_s=0.5)
    assert case.opened_at.tzinfo is None and t0 <= case.opened_at <= utcnow()
    assert case.expires_at - case.opened_at == dt.timedelta(seconds=0.5)
    waiting, _ = _open(store, who="u2", timeout_s=600)
    assert {c.id for c in store.open_cases()} == {case.id, waiting.id}
    assert store.claim(waiting.id, "op")
    assert store.finish(waiting.id, "expired", "timeout", only_from=("open",)) is None  # claimed: no expiry
    assert {c.id for c in store.open_cases()} == {case.id}

    expired = store.finish(case.id, "expired", "timeout", only_from=("open",))
    assert expired is not None and expired.chat_id == 10
    assert store.get_case(case.id).status == "expired" and store.get_case(case.id).trigger_text is None
    assert not store.claim(case.id, "late operator")  # a late claim is refused
    assert store.open_cases() == [] and store.live_case("u1") is None
    assert store.live_case("u2").status == "claimed"


def test_delete_erases_everything_about_the_person(store: Store) -> None:
    for who in ("me", "someone else"):
        store.touch_user(who)
        store.set_pref(who, role="migrant", language="tl", country="PH")
        case, _ = _open(store, who=who)
        store.set_card(case.id, 1000 + len(who))
        store.add_relay(2000 + len(who), case.id)
        ref = store.record_answer(who, "migrant", "tl", "none", False, ["doc-a", "doc-b"])
        store.record_feedback(ref, who, True)
        store.remember_messages("chat:" + who, [1, 2, 3])
    mine = store.record_answer("me", "migrant", "tl", "none", False, [])
    store.record_feedback(mine, "someone else", False)  # feedback on my answer goes with my answer
    assert store.live_case("me") is not None

    store.erase_user("me", "chat:me")
    with store._session() as s:
        for model, column in ((UserRow, UserRow.user_hash), (CaseRow, CaseRow.user_hash),
                              (AnswerRow, AnswerRow.user_hash), (FeedbackRow, FeedbackRow.user_hash)):
            assert s.scalar(select(func.count()).select_from(model).where(column == "me")) == 0, model
        assert s.scalar(select(func.count()).select_from(FeedbackRow).where(FeedbackRow.answer_ref == mine)) == 0
        assert s.scalar(select(func.count()).select_from(SentRow).where(SentRow.chat_hash == "chat:me")) == 0
        assert s.scalar(select(func.count()).select_from(RelayRow)) == 2  # only the other person's
    assert store.take_messages("chat:me") == []
    assert not store.is_active("me") and store.touch_user("me").language is None
    other = store.live_case("someone else")
    assert other is not None and store.case_for_op_message(2000 + len("someone else")).id == other.id
    assert [f["user"] for f in store.feedback()] == ["someone else"]
    assert store.take_messages("chat:someone else") == [1, 2, 3]


def test_retention_purge(store: Store) -> None:
    old = dt.datetime(2020, 1, 1)
    alive, _ = _open(store, who="alive")
    store.set_card(alive.id, 1)
    for who in ("old", "alive", "recent"):
        store.touch_user(who)
    ref = store.record_answer("old", "migrant", "en", "none", False, ["d"])
    assert store.record_feedback(ref, "old", True) and store.record_feedback(ref, "old", False)  # an update
    assert not store.record_feedback("no-such-ref", "old", True)
    assert [f["helpful"] for f in store.feedback()] == [False]
    store.remember_messages("old", [1, 2])
    store.remember_messages("recent", [3])
    gone, _ = _open(store, who="old", chat_id=2)
    store.set_card(gone.id, 2)
    store.finish(gone.id, "closed", "operator")
    with store._session.begin() as s:
        for model, column in ((UserRow, "last_seen"), (AnswerRow, "created_at"), (FeedbackRow, "created_at")):
            s.query(model).update({column: old})  # every user, answer and vote is old, but ...
        s.query(SentRow).filter(SentRow.chat_hash == "old").update({"sent_at": old})
        s.query(CaseRow).filter(CaseRow.id == gone.id).update({"closed_at": old})
    counts = store.purge(retention_days=30)
    # ... "alive" has a live case and stays; "recent"'s message id is recent and stays
    assert counts == {"cases": 1, "feedback": 1, "answers": 1, "users": 2, "message_ids": 2}, counts
    assert store.get_case(gone.id) is None and store.case_for_op_message(2) is None
    assert store.live_case("alive") is not None  # a live case keeps its person, however old
    assert store.case_for_op_message(1).id == alive.id
    assert store.take_messages("recent") == [3]
    assert store.purge(retention_days=30) == {"cases": 0, "feedback": 0, "answers": 0, "users": 0,
                                              "message_ids": 0}


def test_a_new_store_on_the_same_url_sees_everything(store_url: str) -> None:
    first = Store(store_url)
    waiting, _ = _open(first, who="waiting", timeout_s=600)
    talking, _ = _open(first, who="talking", chat_id=20)
    first.set_card(talking.id, 77)
    first.claim(talking.id, "op")
    first.add_relay(78, talking.id)
    first.set_pref("waiting", language="ar")
    first.close()

    second = Store(store_url)  # a restart: create_all on an existing schema is a no-op
    try:
        assert [c.id for c in second.open_cases()] == [waiting.id]
        resumed = second.open_cases()[0]
        assert resumed.expires_at == waiting.expires_at and resumed.opened_at == waiting.opened_at
        assert second.case_for_op_message(78).chat_id == 20 and second.live_case("talking").status == "claimed"
        assert second.touch_user("waiting").language == "ar"
        assert second.finish(waiting.id, "expired", "timeout", only_from=("open",)) is not None
    finally:
        second.close()


def test_what_sqlite_accepts_postgresql_accepts(store: Store) -> None:
    """PostgreSQL enforces VARCHAR lengths and refuses NUL characters; SQLite does neither. The store evens
    that out, so a value from the API or a person's message never crashes one backend but not the other."""
    case, _ = _open(store, language="x" * 20, country="y" * 20, level="z" * 20, reasons=["r" * 300] * 3,
                    trigger_text="before\x00after")
    stored = store.get_case(case.id)
    assert stored.trigger_text == "beforeafter" and len(stored.language) <= 8 and len(stored.country) <= 8
    assert store.finish(case.id, "closed", "a-very-long-closer-name") is not None
    ref = store.record_answer("p", "p" * 40, "l" * 20, "v" * 20, True, ["d" * 500])
    assert store.record_feedback(ref, "p", True)
    store.set_pref("p", role="r" * 40, language="l" * 20, country="c" * 20)
    assert store.touch_user("p").language == "l" * 8


def test_first_contact_from_many_updates_at_once(store: Store, store_url: str) -> None:
    """touch_user from two workers for a new person: one inserts, the other retries and reads it."""
    other = Store(store_url)
    try:
        for round_ in range(6):
            prefs = _race(2, lambda i, r=round_: (store, other)[i].touch_user(f"new{r}"))
            assert all(p.language is None for p in prefs)
    finally:
        other.close()


def test_an_older_database_gets_the_one_live_case_index(store_url: str) -> None:
    first = Store(store_url)
    with first.engine.begin() as conn:  # as a database made before the index existed
        conn.exec_driver_sql("DROP INDEX uq_bot_cases_live_user")
    first.close()
    second = Store(store_url)
    try:
        assert "uq_bot_cases_live_user" in {i["name"] for i in inspect(second.engine).get_indexes("bot_cases")}
        _open(second)
        with pytest.raises(IntegrityError), second._session.begin() as s:
            s.add(CaseRow(number="P-000000", user_hash="u1", level="refer", expires_at=utcnow()))
    finally:
        second.close()


def test_an_older_database_with_two_live_cases_of_one_person_still_opens(store_url: str,
                                                                         caplog: pytest.LogCaptureFixture) -> None:
    first = Store(store_url)
    with first.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX uq_bot_cases_live_user")
    for n in range(2):  # what the race left behind before the index existed
        with first._session.begin() as s:
            s.add(CaseRow(number=f"P-00000{n}", user_hash="u1", level="refer", expires_at=utcnow()))
    first.close()
    with caplog.at_level("WARNING", logger="bot.store"):
        second = Store(store_url)
    try:
        assert "two live cases" in caplog.text
        assert second.live_case("u1") is not None and len(second.open_cases()) == 2
    finally:
        second.close()


def test_database_urls_without_a_driver_mean_psycopg(store_url: str) -> None:
    assert engine_url("postgres://u:p%40ss@db:5432/passage") == "postgresql+psycopg://u:p%40ss@db:5432/passage"
    assert engine_url("postgresql://db/passage") == "postgresql+psycopg://db/passage"
    assert engine_url("postgresql+psycopg://db/passage") == "postgresql+psycopg://db/passage"
    assert engine_url("sqlite:////tmp/x.sqlite3") == "sqlite:////tmp/x.sqlite3"
    plain = Store(store_url.replace("postgresql+psycopg://", "postgres://"))
    try:
        assert plain.engine.dialect.name == store_url.split(":")[0].split("+")[0]
        assert _open(plain)[1]
    finally:
        plain.close()
