"""When only a classifier (not a rule) calls a message urgent, the hotlines still lead, and a cited answer follows."""

from __future__ import annotations

from retrieval.safety import model_raised

RULE_URGENT = "Our boat is sinking, water is coming in"
# A fear the n-gram layer reads as danger (no papers, hospital, police) and no rule does: hotlines first, then the
# answer. (A question about rights, "can they detain a child?", is capped at refer: see test_triage.py.)
MODEL_URGENT = "i have no papers and im scared to go to the hospital, they might call the police on me"


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
