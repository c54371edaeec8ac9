"""Facets read from text and the pure scoring function, without the embedding model."""

from __future__ import annotations

import pytest

from retrieval.facets import Facets, is_framework_question, read_facets
from retrieval.frameworks import GuideProfile, Weights, rank_guides, score_guide


@pytest.mark.parametrize(
    ("text", "must", "must_not"),
    [
        (
            "A 15-year-old boy arrived alone at the border with no documents.",
            {"children", "unaccompanied_children", "border", "undocumented"},
            {"migrant_workers", "at_sea"},
        ),
        (
            "Our client is a housemaid; the employer keeps her passport for safe keeping and she is unpaid.",
            {"domestic_workers", "document_confiscation", "wage_theft", "destination_work", "forced_labour"},
            {"at_sea"},
        ),
        (
            "An overcrowded dinghy is sinking off the coast.",
            {"at_sea", "distress_at_sea"},
            {"destination_work"},
        ),
        (
            "Seafarers abandoned on a cargo ship in port have not been paid for months.",
            {"seafarers", "stranded", "wage_theft"},
            {"at_sea", "distress_at_sea"},
        ),
        (
            "Migrant workers are trapped by the civil war and need evacuation.",
            {"armed_conflict", "crisis", "stranded"},
            {"disaster"},
        ),
        (
            "They paid recruitment fees to a sub-agent and the contract was substituted.",
            {"recruitment", "recruitment_abuse"},
            set(),
        ),
        (
            "Two sisters, 8 and 11, crossed the border without any adult.",
            {"children", "unaccompanied_children", "border"},
            {"migrant_workers"},
        ),
        (
            "Children working in a brick kiln with their parents.",
            {"children", "child_labour"},
            {"unaccompanied_children"},
        ),
    ],
)
def test_read_facets(text: str, must: set[str], must_not: set[str]) -> None:
    tags = read_facets(text).tags
    assert must <= tags, sorted(must - tags)
    assert not (must_not & tags), sorted(must_not & tags)


def test_facets_describe_names_kinds() -> None:
    assert read_facets("a child at the border").describe() == ["population: children", "stage: border"]
    assert not read_facets("hello there")


@pytest.mark.parametrize(
    "text",
    [
        "Which framework applies to unaccompanied children at the border?",
        "What international standards are relevant for seafarers abandoned in port?",
        "Does the Domestic Workers Convention apply here?",
        "We have a client, a 30-year-old woman whose employer took her passport and does not pay her.",
        "Two workers came to our office: the recruiter charged fees and the employer holds their passports.",
    ],
)
def test_framework_questions(text: str) -> None:
    assert is_framework_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Hello, thank you!",
        "Where is the nearest embassy office?",
        "What is the weather tomorrow?",
        "I need a phone number for a shelter",
    ],
)
def test_not_framework_questions(text: str) -> None:
    assert not is_framework_question(text)


SEA = GuideProfile(
    "sea",
    frozenset({"rescued_at_sea", "at_sea", "distress_at_sea"}),
    frozenset({"destination_work", "domestic_workers"}),
    binding=True,
)
WORK = GuideProfile(
    "work",
    frozenset({"domestic_workers", "migrant_workers", "destination_work", "wage_theft"}),
    frozenset({"at_sea"}),
    binding=True,
)
BROAD = GuideProfile(
    "broad",
    frozenset(
        {
            "all_migrants",
            "at_sea",
            "destination_work",
            "border",
            "detention",
            "recruitment",
            "transit",
            "return",
            "wage_theft",
        }
    ),
    frozenset(),
)
PROFILES = [SEA, WORK, BROAD]
IDF = {t: 1.0 for p in PROFILES for t in p.tags}


def test_a_contradicted_guide_without_specific_match_is_excluded() -> None:
    workplace = Facets(
        populations=frozenset({"domestic_workers", "migrant_workers"}),
        stages=frozenset({"destination_work"}),
        harms=frozenset({"wage_theft"}),
    )
    b = score_guide(workplace, SEA, dense=1.0, lexical=1.0, named=False, idf=IDF)
    assert b.excluded and b.contradicted == ("destination_work", "domestic_workers")
    ranked = rank_guides(
        workplace, PROFILES, dense=[0.9, 0.1, 0.5], lexical=[5.0, 0.0, 1.0], named=[False] * 3
    )
    assert ranked[0].guide_id == "work" and ranked[-1].guide_id == "sea" and ranked[-1].excluded


def test_a_contradicted_guide_that_also_matches_is_penalised_not_dropped() -> None:
    mixed = Facets(stages=frozenset({"at_sea", "destination_work"}), harms=frozenset({"distress_at_sea"}))
    plain = Facets(stages=frozenset({"at_sea"}), harms=frozenset({"distress_at_sea"}))
    hit = score_guide(mixed, SEA, 0.5, 0.5, False, IDF)
    clean = score_guide(plain, SEA, 0.5, 0.5, False, IDF)
    assert not hit.excluded and hit.contradicted == ("destination_work",)
    assert hit.score < clean.score


def test_facet_matches_rank_specific_guides_above_broad_ones() -> None:
    sea = Facets(
        stages=frozenset({"at_sea"}),
        harms=frozenset({"distress_at_sea"}),
        populations=frozenset({"rescued_at_sea"}),
    )
    ranked = rank_guides(sea, PROFILES, dense=[0.3, 0.3, 0.3], lexical=[0, 0, 0], named=[False] * 3)
    assert [b.guide_id for b in ranked[:2]] == ["sea", "broad"]
    assert ranked[0].matched == ("distress_at_sea", "rescued_at_sea", "at_sea")  # heaviest facet first


def test_naming_an_instrument_lifts_it_over_a_facet_match_and_cancels_contradiction() -> None:
    workplace = Facets(stages=frozenset({"destination_work"}))
    ranked = rank_guides(
        workplace, PROFILES, dense=[0.5, 0.5, 0.5], lexical=[1, 1, 1], named=[True, False, False]
    )
    assert ranked[0].guide_id == "sea" and ranked[0].named and not ranked[0].excluded


def test_no_facets_falls_back_to_text_similarity() -> None:
    ranked = rank_guides(Facets(), PROFILES, dense=[0.1, 0.9, 0.2], lexical=[0, 2, 0], named=[False] * 3)
    assert ranked[0].guide_id == "work" and ranked[0].facet == 0.0


def test_weights_change_the_order() -> None:
    f = Facets(stages=frozenset({"at_sea"}))
    by_facets = rank_guides(f, PROFILES, dense=[0.0, 0.0, 1.0], lexical=[0, 0, 0], named=[False] * 3)
    by_dense = rank_guides(
        f,
        PROFILES,
        dense=[0.0, 0.0, 1.0],
        lexical=[0, 0, 0],
        named=[False] * 3,
        w=Weights(facet=0.0, dense=1.0, binding=0.0),
    )
    assert by_facets[0].guide_id == "sea" and by_dense[0].guide_id == "broad"
