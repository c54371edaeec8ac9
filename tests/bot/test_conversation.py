"""End to end: the real Application polls the fake Bot API over HTTP and answers with the Assistant."""
from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

import pytest

from bot.store import Store
from tests.bot.conftest import bot_settings, run_bot
from tests.bot.fake_bot_api import FakeBotAPI

USER = 1001
RIGHTS_Q = "my recruiter keeps my passport and my work papers and wont give them back. can they do that"
FEE_Q = "the agency in my village wants me to pay a big fee before i can go abroad. is that even allowed??"
PRACTITIONER_Q = ("I am a caseworker. My client is a domestic worker whose employer withholds her wages and "
                  "passport. Which international framework applies?")


def _db(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'bot.sqlite3'}")


async def test_first_contact_explains_privacy_and_offers_choices(telegram: FakeBotAPI, tmp_path: Path,
                                                                  bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/start")
        start = await telegram.wait_for(lambda: telegram.with_button(USER, "role:"), what="start message")
        text = start["text"]
        assert "not an emergency service" in text.lower()
        assert "not end-to-end encrypted" in text
        assert "/delete" in text and "30 days" in text
        data = {b["callback_data"] for row in start["reply_markup"]["inline_keyboard"] for b in row}
        assert {"role:migrant", "role:practitioner", "menu:language", "menu:country", "exit"} <= data

        telegram.press(USER, start, "role:practitioner")
        await telegram.wait_for(lambda: any("works with migrants" in t for t in telegram.texts(USER)))
        telegram.press(USER, start, "menu:language")
        languages = await telegram.wait_for(lambda: telegram.with_button(USER, "lang:"))
        telegram.press(USER, languages, "lang:fr")
        await telegram.wait_for(lambda: any("Français" in t for t in telegram.texts(USER)))
        telegram.user_message(USER, "/country ph")
        await telegram.wait_for(lambda: any("Country: PH" in t for t in telegram.texts(USER)))
        commands = telegram.calls_of("setMyCommands")
        assert commands and {"start", "delete", "exit", "hotline", "human"} <= {
            c["command"] for c in commands[0].params["commands"]}
    # the choices survive a restart: they live in the database, under a pseudonym
    store = _db(tmp_path)
    prefs = store.touch_user(_pseudonym(tmp_path, USER))
    assert (prefs.role, prefs.language, prefs.country) == ("practitioner", "fr", "PH")
    store.close()


def _pseudonym(tmp_path: Path, user_id: int) -> str:
    from bot.pseudonym import Pseudonymizer

    return Pseudonymizer(b"k" * 32)(user_id)


async def test_rights_question_is_answered_with_numbered_sources(telegram: FakeBotAPI, tmp_path: Path,
                                                                 bot_assistant: Any) -> None:
    expected = bot_assistant.ask(FEE_Q)
    assert expected.citations, "precondition: the Assistant cites sources for this question"
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, FEE_Q)
        answer = await telegram.wait_for(lambda: telegram.with_button(USER, "fb:"), what="answer")
        await telegram.settle()
    sent = telegram.calls_of("sendMessage")
    assert all(c.params.get("parse_mode") == "HTML" for c in sent)
    body = "\n".join(c.params["text"] for c in sent if c.params["chat_id"] == USER)
    assert "<b>Sources</b>" in body
    first = expected.citations[0]
    assert f"[{first.n}] <i>{html.escape(first.title, quote=False)[:60]}" in body
    assert html.escape(first.location, quote=False)[:40] in body
    buttons = {b["callback_data"] for row in answer["reply_markup"]["inline_keyboard"] for b in row}
    assert "human" in buttons and any(b.startswith("fb:") and b.endswith(":1") for b in buttons)
    assert telegram.calls_of("sendChatAction")

    # feedback is stored anonymously: a pseudonym, flags and document ids, never text
    helpful = next(b for b in buttons if b.startswith("fb:") and b.endswith(":1"))
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.press(USER, answer, helpful)
        await telegram.wait_for(lambda: telegram.calls_of("editMessageReplyMarkup"), what="feedback ack")
    store = _db(tmp_path)
    rows = store.feedback()
    store.close()
    assert len(rows) == 1 and rows[0]["helpful"] is True
    assert rows[0]["user"] != str(USER) and len(rows[0]["user"]) == 64
    assert FEE_Q not in repr(rows) and set(rows[0]["documents"]) == {c.document_id for c in expected.citations}


async def test_practitioner_gets_framework_cards(telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any) -> None:
    expected = bot_assistant.ask(PRACTITIONER_Q, persona="practitioner")
    assert expected.frameworks, "precondition: the Assistant suggests frameworks for this situation"
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/role")
        roles = await telegram.wait_for(lambda: telegram.with_button(USER, "role:"))
        telegram.press(USER, roles, "role:practitioner")
        await telegram.wait_for(lambda: any("works with migrants" in t for t in telegram.texts(USER)))
        telegram.user_message(USER, PRACTITIONER_Q)
        await telegram.wait_for(lambda: telegram.with_button(USER, "fb:"), what="answer")
        await telegram.settle()
    cards = [t for t in telegram.texts(USER) if t.startswith("📘")]
    assert cards and html.escape(expected.frameworks[0].name, quote=False) in cards[0]


@pytest.mark.parametrize("content", [
    {"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
                 "is_animated": False, "is_video": False}},
    {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}},
    {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}], "caption": "look"},
    {"document": {"file_id": "d", "file_unique_id": "d", "file_name": "contract.pdf"}},
    {"location": {"latitude": 1.0, "longitude": 2.0}},
    {"contact": {"phone_number": "+10000000", "first_name": "A"}},
    {"video": {"file_id": "x", "file_unique_id": "x", "width": 1, "height": 1, "duration": 1}},
    {"video_note": {"file_id": "n", "file_unique_id": "n", "length": 1, "duration": 1}},
    {"audio": {"file_id": "a", "file_unique_id": "a", "duration": 1}},
    {"animation": {"file_id": "g", "file_unique_id": "g", "width": 1, "height": 1, "duration": 1}},
], ids=lambda c: next(iter(c)))
async def test_non_text_messages_get_a_kind_reply(telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any,
                                                  content: dict[str, Any]) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, **content)
        await telegram.wait_for(lambda: telegram.texts(USER), what="reply")
        await telegram.settle()
    assert len(telegram.texts(USER)) == 1
    assert "text messages" in telegram.texts(USER)[0]


async def test_edited_and_duplicate_updates_are_handled_once(telegram: FakeBotAPI, tmp_path: Path,
                                                             bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/help", update_id=5000)
        telegram.user_message(USER, "/help", update_id=5000)
        await telegram.wait_for(lambda: telegram.texts(USER))
        telegram.user_message(USER, FEE_Q, edited=True)
        await telegram.settle(quiet_s=0.5)
    assert len(telegram.texts(USER)) == 1


async def test_delete_erases_everything_about_the_person(telegram: FakeBotAPI, tmp_path: Path,
                                                         bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/country PH")
        telegram.user_message(USER, FEE_Q)
        answer = await telegram.wait_for(lambda: telegram.with_button(USER, "fb:"))
        telegram.press(USER, answer, telegram.button_data(answer, "fb:"))
        await telegram.wait_for(lambda: telegram.calls_of("editMessageReplyMarkup"))
        telegram.user_message(USER, "/human")
        await telegram.wait_for(lambda: telegram.with_button(-1001234, "claim:"), what="case card")
        telegram.user_message(USER, "/delete")
        await telegram.wait_for(lambda: any("erased" in t for t in telegram.texts(USER)), what="confirmation")
        await telegram.settle()
    store = _db(tmp_path)
    with store.engine.connect() as conn:
        from sqlalchemy import text as sql

        counts = {t: conn.execute(sql(f"select count(*) from {t}")).scalar() for t in
                  ("bot_users", "bot_cases", "bot_relay", "bot_messages", "bot_answers", "bot_feedback")}
    store.close()
    assert counts == dict.fromkeys(counts, 0)
    card = telegram.messages[(-1001234, 1)]
    assert "erased" in card["text"] and "reply_markup" not in card


async def test_quick_exit_deletes_the_chat(telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/start")
        start = await telegram.wait_for(lambda: telegram.with_button(USER, "exit"))
        telegram.user_message(USER, FEE_Q)
        await telegram.wait_for(lambda: telegram.with_button(USER, "fb:"))
        await telegram.settle()
        in_chat = {mid for (chat, mid) in telegram.messages if chat == USER}
        telegram.press(USER, start, "exit")
        await telegram.wait_for(lambda: telegram.calls_of("deleteMessages"), what="deletion")
        await telegram.settle()
    deleted = {mid for (chat, mid) in telegram.deleted if chat == USER}
    assert in_chat <= deleted  # the person's messages and the bot's
    assert telegram.bot_messages(USER) == []


async def test_429_storm_still_delivers_the_reply(telegram: FakeBotAPI, tmp_path: Path,
                                                  bot_assistant: Any) -> None:
    telegram.fail("sendMessage", 429, times=3, retry_after=1)
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/help")
        await telegram.wait_for(lambda: telegram.texts(USER), timeout=20, what="reply after 429s")
        telegram.fail("sendMessage", 502, times=2)
        telegram.user_message(USER, "/start")
        await telegram.wait_for(lambda: len(telegram.texts(USER)) == 2, timeout=20, what="reply after 502s")
    failed = [c for c in telegram.calls_of("sendMessage", ok_only=False) if c.status != 200]
    assert [c.status for c in failed] == [429, 429, 429, 502, 502]


async def test_blocked_bot_marks_person_inactive_and_closes_case(telegram: FakeBotAPI, tmp_path: Path,
                                                                 bot_assistant: Any) -> None:
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/human")
        await telegram.wait_for(lambda: telegram.with_button(-1001234, "claim:"))
        await telegram.settle()
        telegram.fail("sendMessage", 403, times=1)
        telegram.user_message(USER, "/help")
        await telegram.wait_for(lambda: "closed" in telegram.messages[(-1001234, 1)]["text"].lower(),
                                what="card closed")
        await telegram.settle()
    store = _db(tmp_path)
    user_hash = _pseudonym(tmp_path, USER)
    assert not store.is_active(user_hash) and store.live_case(user_hash) is None
    store.close()


async def test_logs_carry_no_message_text_or_token(telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, FEE_Q)
        await telegram.wait_for(lambda: telegram.with_button(USER, "fb:"))
        await telegram.settle()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "answered:" in logged  # the bot does log, just not content
    assert FEE_Q[:30] not in logged and telegram.token not in logged


class _Broken:
    """A client that fails in a way nobody planned for (not a PassageError)."""

    async def ask(self, question: str, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(question)  # an exception quoting its input: must not reach the log

    async def hotlines(self, *args: Any, **kwargs: Any) -> list[Any]:
        return []

    async def aclose(self) -> None:
        return None


async def test_unexpected_error_is_logged_without_text_and_operators_are_told(
        telegram: FakeBotAPI, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from bot import texts

    caplog.set_level(logging.INFO)
    async with run_bot(bot_settings(tmp_path, telegram), _Broken()):
        telegram.user_message(USER, "secret question text")
        await telegram.wait_for(lambda: texts.SORRY in telegram.texts(USER), what="apology")
        alert = await telegram.wait_for(lambda: telegram.texts(-1001234), what="operator alert")
    assert "RuntimeError" in alert[0]
    assert "secret question text" not in caplog.text and "secret question text" not in alert[0]
    assert "RuntimeError" in caplog.text


async def test_hotline_command_lists_the_countrys_lines(telegram: FakeBotAPI, tmp_path: Path,
                                                        bot_assistant: Any) -> None:
    expected = bot_assistant.hotlines(country="PH")
    assert expected, "precondition: the directory has lines for the Philippines"
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/country PH")
        telegram.user_message(USER, "/hotline")
        await telegram.wait_for(lambda: len(telegram.texts(USER)) >= 2)
        await telegram.settle()
    body = "\n".join(telegram.texts(USER)[1:])
    for hotline in expected[:3]:
        assert html.escape(hotline.name, quote=False) in body


async def test_html_refused_with_400_is_resent_as_plain_text(telegram: FakeBotAPI, tmp_path: Path,
                                                             bot_assistant: Any) -> None:
    telegram.fail("sendMessage", 400, description="Bad Request: can't parse entities: unsupported start tag")
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, "/help")
        await telegram.wait_for(lambda: telegram.texts(USER), what="plain-text reply")
    [sent] = telegram.calls_of("sendMessage")
    assert "parse_mode" not in sent.params and "<b>" not in sent.params["text"]
    assert "What I can do" in sent.params["text"]


async def test_classifier_only_crisis_gets_hotlines_first_then_the_answer_once(
        telegram: FakeBotAPI, tmp_path: Path, bot_assistant: Any) -> None:
    question = "i have no papers and im scared to go to the hospital, they might call the police on me"
    expected = bot_assistant.ask(question)
    assert expected.escalation.level == "urgent" and expected.citations, "precondition: model-raised urgent"
    async with run_bot(bot_settings(tmp_path, telegram), bot_assistant):
        telegram.user_message(USER, question)
        await telegram.wait_for(lambda: telegram.with_button(USER, "fb:"), what="answer after the hotlines")
        await telegram.settle()
    texts = [c.params["text"] for c in telegram.calls_of("sendMessage") if c.params["chat_id"] == USER]
    body = "\n".join(texts)
    hotline_at = next(i for i, t in enumerate(texts) if "🚨" in t or expected.escalation.hotlines[0].name in t)
    sources_at = next(i for i, t in enumerate(texts) if "<b>Sources</b>" in t)
    assert hotline_at < sources_at  # the numbers before any excerpt
    first_line = expected.escalation.message.strip().splitlines()[0]
    assert body.count(html.escape(first_line, quote=False)) == 1  # the hotline text is not repeated
