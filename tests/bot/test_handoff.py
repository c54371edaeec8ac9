"""End to end: escalation and live handoff between a person and the operators' group."""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from bot import texts
from bot.pseudonym import Pseudonymizer
from bot.store import Store
from tests.bot.conftest import OPERATOR, OPERATOR_2, OPS, OUTSIDER, bot_settings, run_bot
from tests.bot.fake_bot_api import FakeBotAPI

PERSON = 2002
URGENT_AR = "ساعدونا حبسونا في بيت واخذوا تلفوناتنا"
REFER_Q = "my employer took my passport and wont give it back"
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _hash(user_id: int) -> str:
    return Pseudonymizer(b"k" * 32)(user_id)


def _store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'bot.sqlite3'}")


def number_in(text: str) -> bool:
    return re.search(r"P-[0-9A-F]{6}", text) is not None


def _answered(telegram: FakeBotAPI, callback_text: str) -> bool:
    return any(c.params.get("text") == callback_text for c in telegram.calls_of("answerCallbackQuery"))


async def test_urgent_arabic_hotlines_first_then_case_claim_relay_close(
        telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any) -> None:
    expected = bot_assistant.ask(URGENT_AR)
    assert expected.escalation.level == "urgent" and expected.language == "ar", "precondition: triage"
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(PERSON, URGENT_AR)
        card = await telegram.wait_for(lambda: telegram.with_button(OPS, "claim:"), what="case card")
        await telegram.wait_for(lambda: any(number_in(t) for t in telegram.texts(PERSON)[1:]))

        # the hotline reply came first, in Arabic, before anything about the case
        first = telegram.texts(PERSON)[0]
        assert ARABIC.search(first)
        assert html.escape(expected.escalation.message.strip().splitlines()[0], quote=False)[:40] in first
        number = re.search(r"P-[0-9A-F]{6}", card["text"]).group(0)
        assert "URGENT" in card["text"] and "ar" in card["text"] and URGENT_AR in card["text"]
        assert number in telegram.texts(PERSON)[-1]

        # two operators press Claim: one wins
        claim = telegram.button_data(card, "claim:")
        telegram.press(OPERATOR, card, claim)
        await telegram.wait_for(lambda: texts.t("CASE_CLAIMED", "ar") in telegram.texts(PERSON))
        telegram.press(OPERATOR_2, card, claim)
        await telegram.wait_for(lambda: _answered(telegram, texts.CLAIM_TAKEN), what="second claim refused")
        assert "Close" in str(telegram.messages[(OPS, card["message_id"])]["reply_markup"])

        # the person's messages go to the group (not to the Assistant) ...
        answers_before = len(telegram.texts(PERSON))
        telegram.user_message(PERSON, "ما زلت هنا في الغرفة")
        copy = await telegram.wait_for(lambda: telegram.calls_of("copyMessage"), what="relay to operators")
        await telegram.settle()
        relayed = telegram.bot_messages(OPS)[-1]
        assert relayed["text"] == "ما زلت هنا في الغرفة"
        assert relayed["reply_to_message"]["message_id"] == card["message_id"]
        assert copy[0].params["from_chat_id"] == PERSON
        # ... and an operator's reply to it comes back to the person
        telegram.group_message(OPS, OPERATOR, "نحن نتصل بالشرطة الآن", reply_to=relayed["message_id"])
        await telegram.wait_for(lambda: "نحن نتصل بالشرطة الآن" in telegram.texts(PERSON), what="reply relayed")
        assert len(telegram.texts(PERSON)) == answers_before + 1

        telegram.group_message(OPS, OPERATOR, "/close", reply_to=relayed["message_id"])
        await telegram.wait_for(lambda: texts.t("CASE_CLOSED", "ar") in telegram.texts(PERSON), what="closed")
        await telegram.wait_for(lambda: "Closed" in telegram.messages[(OPS, card["message_id"])]["text"],
                                what="card closed")
        card_now = telegram.messages[(OPS, card["message_id"])]
        assert URGENT_AR not in card_now["text"] and "reply_markup" not in card_now
        await telegram.settle()

        # back with the assistant: the next message is answered, not relayed
        copies = len(telegram.calls_of("copyMessage"))
        telegram.user_message(PERSON, "/help")
        await telegram.wait_for(lambda: any("What I can do" in t for t in telegram.texts(PERSON)))
        assert len(telegram.calls_of("copyMessage")) == copies
    store = _store(tmp_path)
    case = store.case_by_number(number)
    store.close()
    assert case.status == "closed" and case.chat_id is None and case.trigger_text is None  # purged at close
    assert case.user_hash == _hash(PERSON) and case.operator_hash == _hash(OPERATOR)


async def test_refer_offers_a_person(telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any) -> None:
    expected = bot_assistant.ask(REFER_Q)
    assert expected.escalation.level == "refer", "precondition: triage"
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(PERSON, REFER_Q)
        offer = await telegram.wait_for(lambda: next((m for m in telegram.bot_messages(PERSON)
                                                      if m.get("text") == texts.REFER), None))
        assert telegram.button_data(offer, "human") == "human"
        telegram.press(PERSON, offer, "human")
        card = await telegram.wait_for(lambda: telegram.with_button(OPS, "claim:"), what="case card")
    assert "REFER" in card["text"]


async def test_no_operator_in_time_gives_hotlines_again(telegram: FakeBotAPI, tmp_path: Path,
                                                        bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram, handoff_timeout_s=0.5), bot_assistant):
        telegram.user_message(PERSON, "/human")
        card = await telegram.wait_for(lambda: telegram.with_button(OPS, "claim:"))
        claim = telegram.button_data(card, "claim:")
        await telegram.wait_for(lambda: any(texts.CASE_EXPIRED[:30] in t for t in telegram.texts(PERSON)),
                                what="expiry notice")
        expired = next(t for t in telegram.texts(PERSON) if texts.CASE_EXPIRED[:30] in t)
        assert "☎" in expired or texts.NO_HOTLINES in telegram.texts(PERSON)
        await telegram.wait_for(lambda: "Expired" in telegram.messages[(OPS, card["message_id"])]["text"])
        telegram.press(OPERATOR, card, claim)
        await telegram.wait_for(lambda: _answered(telegram, texts.CASE_NOT_LIVE), what="late claim refused")
    store = _store(tmp_path)
    assert store.live_case(_hash(PERSON)) is None
    store.close()


async def test_restart_mid_handoff_loses_nothing(telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any,
                                                 store_url: str) -> None:
    """Three bot processes in turn on one database, SQLite or PostgreSQL (DATABASE_URL)."""
    waiting = 3003
    async with run_bot(bot_settings(tmp_path, telegram, database_url=store_url), bot_assistant):
        telegram.user_message(PERSON, "/human")
        card = await telegram.wait_for(lambda: telegram.with_button(OPS, "claim:"))
        telegram.press(OPERATOR, card, telegram.button_data(card, "claim:"))
        await telegram.wait_for(lambda: texts.CASE_CLAIMED in telegram.texts(PERSON))
        telegram.user_message(PERSON, "before the restart")
        await telegram.wait_for(lambda: "before the restart" in telegram.texts(OPS))
        await telegram.settle()
        relayed = telegram.bot_messages(OPS)[-1]
    async with run_bot(bot_settings(tmp_path, telegram, handoff_timeout_s=1.0, database_url=store_url),
                       bot_assistant):
        telegram.user_message(waiting, "/human")  # a case left open across the next restart
        await telegram.wait_for(lambda: any("request number" in t for t in telegram.texts(waiting)))
    async with run_bot(bot_settings(tmp_path, telegram, database_url=store_url), bot_assistant):
        telegram.group_message(OPS, OPERATOR, "reply after the restart", reply_to=relayed["message_id"])
        await telegram.wait_for(lambda: "reply after the restart" in telegram.texts(PERSON))
        telegram.user_message(PERSON, "after the restart")
        await telegram.wait_for(lambda: "after the restart" in telegram.texts(OPS))
        # the open case's timer was re-armed from the database and fires in the new process
        await telegram.wait_for(lambda: any(texts.CASE_EXPIRED[:30] in t for t in telegram.texts(waiting)),
                                what="resumed expiry")


async def test_forged_claims_and_replies_from_outside_are_ignored(telegram: FakeBotAPI, tmp_path: Path,
                                                                  bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(PERSON, "/human")
        card = await telegram.wait_for(lambda: telegram.with_button(OPS, "claim:"))
        claim = telegram.button_data(card, "claim:")
        telegram.press(OUTSIDER, card, claim)  # not a member of the group
        await telegram.wait_for(lambda: _answered(telegram, texts.OPERATOR_ONLY))
        forged = {**card, "chat": {"id": OUTSIDER, "type": "private", "first_name": "X"}}
        telegram.press(OPERATOR, forged, claim)  # a member, but the button is not in the operators' group
        await telegram.wait_for(lambda: len([c for c in telegram.calls_of("answerCallbackQuery")
                                             if c.params.get("text") == texts.OPERATOR_ONLY]) == 2)
        store = _store(tmp_path)
        assert store.live_case(_hash(PERSON)).status == "open"

        telegram.press(OPERATOR, card, claim)
        await telegram.wait_for(lambda: texts.CASE_CLAIMED in telegram.texts(PERSON))
        telegram.group_message(OPS, OUTSIDER, "I am not an operator", reply_to=card["message_id"])
        telegram.group_message(OPS, OUTSIDER, "/close", reply_to=card["message_id"])
        telegram.group_message(-999, OPERATOR, "from another group")
        await telegram.settle(quiet_s=0.5)
        assert "I am not an operator" not in telegram.texts(PERSON)
        assert store.live_case(_hash(PERSON)).status == "claimed"
        store.close()


async def test_person_can_cancel_and_no_operators_means_hotlines(telegram: FakeBotAPI, tmp_path: Path,
                                                                 bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(PERSON, "/human")
        waiting = await telegram.wait_for(lambda: telegram.with_button(PERSON, "cancel:"))
        telegram.press(PERSON, waiting, telegram.button_data(waiting, "cancel:"))
        await telegram.wait_for(lambda: texts.CASE_CANCELLED in telegram.texts(PERSON))
        await telegram.wait_for(lambda: "by the person" in telegram.bot_messages(OPS)[0]["text"])
    telegram.reset()
    async with run_bot(bot_settings(tmp_path / "solo", telegram, operator_chat_id=None), bot_assistant):
        telegram.user_message(PERSON, "/human")
        await telegram.wait_for(lambda: any(texts.NO_OPERATORS in t for t in telegram.texts(PERSON)))
        await telegram.settle()
    assert telegram.bot_messages(OPS) == []


async def test_unreachable_operators_group_gives_hotlines_at_once(telegram: FakeBotAPI, tmp_path: Path,
                                                                  bot_assistant: Any) -> None:
    telegram.fail("sendMessage", 403, times=1)  # the card: the bot was removed from the operators' group
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(PERSON, "/human")
        await telegram.wait_for(lambda: any(texts.CASE_EXPIRED[:30] in t for t in telegram.texts(PERSON)))
        await telegram.settle()
    store = _store(tmp_path)
    assert store.live_case(_hash(PERSON)) is None and store.is_active(_hash(PERSON))
    store.close()
    assert not any("request number" in t for t in telegram.texts(PERSON))
