"""What the classifier layers may and may not do: a question about rights caps them at refer, one or two words
are not read at all. A stub layer that calls everything urgent isolates these gates from any model's mood."""

from __future__ import annotations

import pytest

from retrieval.safety import Triage
from retrieval.safety.classifier import Prediction
from retrieval.safety.triage import _Layer


class _AlwaysUrgent:
    """A classifier layer that calls everything urgent: isolates the rights-question cap from any model's mood."""

    def ensure_fitted(self) -> None:
        pass

    def predict(self, text: str) -> Prediction:
        return Prediction("urgent", 0.99, 0.0)


@pytest.fixture()
def alarmed() -> Triage:
    t = Triage(ngram=False)
    t._layers.append(_Layer("ngram", _AlwaysUrgent(), None))  # type: ignore[arg-type]
    return t


@pytest.mark.parametrize(
    "text",
    [
        "my son is 15 and crossed the border alone, will somebody be appointed to look after him?",
        "my brother drowned last year, is there any organisation that helps families bring the body home",
        "est-ce que j'ai le droit de faire venir mes enfants en France ?",
        "tengo derecho a un abogado si me niegan el asilo?",
        "boleh ke majikan simpan passport saya sampai habis kontrak?",
        "may karapatan ba akong umuwi kung hindi pa tapos ang kontrata?",
        "هل يحق لي ان اغير الكفيل؟",
        "क्या मुझे वकील का हक है?",
        "আমার কি অধিকার আছে দেশে ফিরে যাওয়ার?",
        # question forms the migrants' rights questions used and the patterns lacked
        "police put my son of 15 with adults like a criminal, isnt he still a child?",
        "a ship pulled us out of the water, where are they supposed to bring us?",
        "i clean and look after kids in a house, why am i not covered by the work laws?",
        "things are dangerous here but i dont want to be sent home, do i have any other options?",
        "the company left us there when the war started, dont employers have some duty to get us home?",
        "i got locked in a detention camp at the border, do any groups ask the government to let people out?",
    ],
)
def test_a_question_about_rights_caps_the_classifiers_at_refer(alarmed: Triage, text: str) -> None:
    result = alarmed.assess(text)
    assert result.level == "refer", result.reasons
    assert any(r.endswith(":rights_question") for r in result.reasons)


@pytest.mark.parametrize(
    "text",
    [
        # an immediacy marker lifts the cap
        "my son is 15 and alone at the border, will somebody be appointed to look after him? please help us now",
        # being "not allowed" is how confinement is said, not a question about the law
        "we are not allowed to leave the house, they took our phones",
        "a gente nao pode sair da casa, e proibido sair",
        "مش مسموح لنا نطلع من البيت",
    ],
)
def test_the_cap_does_not_reach_present_danger(alarmed: Triage, text: str) -> None:
    assert alarmed.assess(text).level == "urgent"


@pytest.mark.parametrize("text", ["no", "não", "la", "नहीं", "nothing", "ok then", "warm-up"])
def test_a_reply_of_one_or_two_words_is_not_read_by_the_classifiers(alarmed: Triage, text: str) -> None:
    """The n-gram layer scored "no" urgent at 0.96: two words are too little for a classifier to read."""
    assert alarmed.assess(text).level == "none"


def test_short_cries_are_still_caught_by_the_rules_and_three_words_by_the_classifiers(alarmed: Triage) -> None:
    assert alarmed.assess("help").level == "refer"  # distress_call: a person and the hotlines
    assert alarmed.assess("sos").level in {"refer", "urgent"}
    assert alarmed.assess("নৌকায় পানি উঠতেছে").level == "urgent"  # three words: the layer may raise it
    assert Triage().assess("no").level == "none"  # the real n-gram layer, which scored it 0.96


def test_the_cap_never_lowers_what_the_rules_found() -> None:
    text = "the boat is sinking, water everywhere, is it legal that the coast guard does not come?"
    result = Triage(ngram=False).assess(text)
    assert result.level == "urgent" and not any(r.endswith(":rights_question") for r in result.reasons)
