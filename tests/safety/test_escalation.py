"""Escalation replies: number first, in the user's language, hotlines matching the topic, handoff."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.safety import HotlineDirectory, Triage, build_escalation, hotline_text
from retrieval.settings import Settings


@pytest.fixture(scope="module")
def directory() -> HotlineDirectory:
    return HotlineDirectory.load(Settings().hotlines_file)


class _RaisingEmbedder:
    def embed(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("embedder down")


def test_crisis_with_embedder_raising_still_gets_full_hotline_reply(directory: HotlineDirectory) -> None:
    result = Triage(_RaisingEmbedder()).assess("tulong po, ikinulong kami ng amo namin")
    esc = build_escalation(result, directory, "PH", operators_available=True)
    assert esc.level == "urgent" and esc.emergency_number == "911"
    first_line = esc.message.splitlines()[0]
    assert "911" in first_line and "tumawag" in first_line  # Tagalog, number in the first line
    assert any(h.id == "ph-1343-actionline" for h in esc.hotlines)
    assert "1343" in esc.message
    assert esc.handoff_available and "team" in esc.message.splitlines()[-1]


@pytest.mark.parametrize(
    "text, country, number, word",
    [
        ("the boat is sinking, water is coming in", "IT", "112", "call"),
        ("au secours on nous a enfermes", "FR", "112", "appelez"),
        ("me voy a matar", "MX", "911", "llame"),
        ("socorro estamos trancados", "BR", "190", "ligue"),
        ("الكفيل حبسني", "QA", "999", "اتصل"),
        ("saya dikurung majikan", "MY", "999", "bahaya"),  # Indonesian or Malay reply
        ("मालिक ने मुझे बंद कर दिया है", "IN", "112", "फ़ोन"),
        ("মালিক আমাকে ঘরে আটকে রেখেছে", "BD", "999", "ফোন"),
        ("मालिकले मलाई थुनेर राखेको छ", "NP", "100", "फोन"),
    ],
)
def test_urgent_reply_leads_with_number_in_user_language(
    directory: HotlineDirectory, text: str, country: str, number: str, word: str
) -> None:
    esc = build_escalation(Triage().assess(text), directory, country, operators_available=False)
    assert esc.level == "urgent"
    first = esc.message.splitlines()[0]
    assert number in first and word in first.lower()
    assert not esc.handoff_available


def test_unknown_country_says_how_to_reach_emergency_services(directory: HotlineDirectory) -> None:
    esc = build_escalation(Triage().assess("they locked me in the room"), directory, "ZZ", False)
    assert esc.emergency_number is None
    assert "local emergency number" in esc.message.splitlines()[0]
    assert esc.hotlines and all(h.country == "global" for h in esc.hotlines)


def test_sea_distress_offers_sea_rescue_line(directory: HotlineDirectory) -> None:
    esc = build_escalation(Triage().assess("our boat is taking water"), directory, None, False)
    assert any("sea_rescue" in h.topics for h in esc.hotlines)


def test_a_boat_only_the_ngram_layer_understood_gets_the_sea_rescue_line_first(directory: HotlineDirectory) -> None:
    """Hindi, no lexicon cue: before the layer named topics, Italy's general lines came before Alarm Phone."""
    result = Triage().assess("नाव में पानी भर रहा है")
    assert any(r.startswith("ngram:urgent:") for r in result.reasons)
    esc = build_escalation(result, directory, "IT", False)
    assert esc.emergency_number == "112"
    assert "sea_rescue" in esc.hotlines[0].topics


def test_refer_offers_topic_hotlines_and_a_person(directory: HotlineDirectory) -> None:
    esc = build_escalation(Triage().assess("my employer took my passport"), directory, "US", True)
    assert esc.level == "refer" and esc.hotlines[0].id == "us-nhth"
    assert "person" in esc.message and "1-888-373-7888" in esc.message


def test_none_has_no_message(directory: HotlineDirectory) -> None:
    esc = build_escalation(Triage().assess("how do I renew my visa?"), directory, "PH", True)
    assert esc.level == "none" and esc.message == "" and not esc.hotlines


def test_hotline_text_puts_the_number_before_the_name(directory: HotlineDirectory) -> None:
    esc = build_escalation(Triage().assess("my boss locked me in"), directory, "GB", False)
    text = hotline_text(esc, "en")
    line = next(line for line in text.splitlines() if "Modern Slavery" in line)
    assert line.index("08000 121 700") < line.index("Modern Slavery")


def test_a_callable_line_comes_before_websites(directory: HotlineDirectory) -> None:
    result = Triage(None).assess("help us our boat is sinking, water coming in")
    esc = build_escalation(result, directory, None, operators_available=False)
    first = esc.hotlines[0]
    assert "sea_rescue" in first.topics and first.phone, first


def test_a_general_emergency_is_not_led_by_a_line_for_boats(directory: HotlineDirectory) -> None:
    """Only a classifier saw danger and named no topic: the general lines, not Alarm Phone (boats in distress),
    which used to lead the reply to a question about a labour court."""
    from retrieval.safety.triage import TriageResult

    general = build_escalation(TriageResult("urgent", ("ngram:urgent:0.80",), ("emergency",), "en"), directory, None, False)
    assert general.hotlines and all(set(h.topics) != {"sea_rescue"} for h in general.hotlines)
    at_sea = build_escalation(TriageResult("urgent", ("lex:en:sea_distress",), ("sea_rescue", "emergency"), "en"), directory, None, False)
    assert at_sea.hotlines[0].id == "global-alarm-phone"
