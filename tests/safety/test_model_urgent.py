"""When only a classifier (not a rule) calls a message urgent, the hotlines still lead, and a cited answer follows."""

from __future__ import annotations

from retrieval.safety import model_raised

RULE_URGENT = "Our boat is sinking, water is coming in"
# Rights questions the n-gram layer reads as danger (first-person, child, police): hotlines first, then the answer.
MODEL_URGENT = "my son is 16 and crossed the border alone, they want to lock him up. can they detain a child?"


def test_model_raised_reads_the_reasons() -> None:
    assert model_raised(("ngram:urgent:0.82",)) and model_raised(["clf:urgent:0.91"])
    assert not model_raised(("lex:en:sea_distress",)) and not model_raised(("ngram:refer:0.80",))


def test_a_rule_crisis_gets_the_hotline_reply_alone(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(RULE_URGENT, country="IT")
    assert answer.escalation.level == "urgent" and not model_raised(answer.escalation.reasons)
    assert answer.text == answer.escalation.message and answer.citations == []


def test_a_model_only_crisis_gets_hotlines_first_then_a_cited_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(MODEL_URGENT, country="IT")
    assert answer.escalation.level == "urgent" and model_raised(answer.escalation.reasons)
    assert answer.text.startswith(answer.escalation.message)
    assert answer.text.find("112") < answer.text.find("[1]")  # the number comes before any excerpt
    assert answer.citations and answer.generated_by == "escalation+extractive"
    assert answer.escalation.hotlines
