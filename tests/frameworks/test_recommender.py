"""The recommender with the real embedding model: rankings, contradictions, explanations, citations."""

from __future__ import annotations

import pytest

from retrieval.frameworks import FrameworkRecommender

MARITIME = {
    "solas",
    "sar-convention",
    "unclos",
    "imo-rescued-at-sea-guidelines",
    "imo-disembarkation-principles",
}


def ids(recommender: FrameworkRecommender, text: str, k: int = 5) -> list[str]:
    return [s.id for s in recommender.recommend(text, k=k)]


@pytest.mark.parametrize(
    ("situation", "top3"),
    [
        (
            "A boat with 200 people is sinking off Lampedusa; the rescue coordination centre is silent.",
            {"solas", "sar-convention"},
        ),
        (
            "A 14-year-old girl travelling alone was stopped at the border; the police want to deport her.",
            {"crc"},
        ),
        (
            "A Kenyan domestic worker's employer took her passport, locks her in and has not paid her.",
            {"ilo-c189-domestic-workers"},
        ),
        (
            "Construction workers from Nepal are trapped in a city under shelling since the civil war began.",
            {"micic-guidelines"},
        ),
        (
            "The agency charged each worker 2,000 dollars in recruitment fees before departure.",
            {"ilo-c181-private-employment-agencies"},
        ),
    ],
)
def test_expected_framework_in_top_three(
    recommender: FrameworkRecommender, situation: str, top3: set[str]
) -> None:
    got = ids(recommender, situation)
    assert top3 <= set(got[:3]), got


def test_workplace_case_never_gets_a_maritime_convention(recommender: FrameworkRecommender) -> None:
    got = ids(
        recommender,
        "Factory workers are paid half the promised wage and their employer keeps their passports.",
        k=10,
    )
    assert got and not (MARITIME & set(got))


def test_contradicted_guides_are_excluded_from_the_full_ranking(recommender: FrameworkRecommender) -> None:
    scored = {
        b.guide_id: b
        for b in recommender.score("A domestic worker is unpaid and her employer holds her passport.")
    }
    assert scored["solas"].excluded and "domestic_workers" in scored["solas"].contradicted
    assert not scored["ilo-c189-domestic-workers"].excluded


def test_a_boat_case_never_gets_the_domestic_workers_convention(recommender: FrameworkRecommender) -> None:
    got = ids(
        recommender, "Coast guard found an overcrowded dinghy adrift with 60 people, some unconscious.", k=10
    )
    assert "ilo-c189-domestic-workers" not in got and "ilo-c181-private-employment-agencies" not in got


def test_suggestion_explains_itself_and_cites_the_corpus(recommender: FrameworkRecommender) -> None:
    top = recommender.recommend(
        "Which framework applies to unaccompanied children stopped at the border?", k=3
    )
    crc = next(s for s in top if s.id in {"crc", "crc-general-comment-6"})
    assert "population: unaccompanied_children" in crc.why and "stage: border" in crc.why
    assert any(w.startswith("scores: facets=") and "dense=" in w and "lexical=" in w for w in crc.why)
    assert crc.key_provisions and crc.issuer and crc.kind
    assert crc.citations and [c.n for c in crc.citations] == list(range(1, len(crc.citations) + 1))
    for c in crc.citations:  # no index: the chunk is the quote itself, located in a named corpus document
        assert c.chunk.location.startswith("quoted in ") and c.quote == c.chunk.text
        assert c.chunk.document_id in {
            "gfmd-2012-rt32-background",
            "mfa-2013-asia-pacific-recommendations",
            "gfmd-2020-rt4-gaps-background",
        }


def test_naming_an_instrument_brings_it_up(recommender: FrameworkRecommender) -> None:
    got = ids(recommender, "Does SOLAS apply to a rescue by a merchant ship?", k=3)
    assert got[0] == "solas"


def test_blank_or_unrelated_text(recommender: FrameworkRecommender) -> None:
    assert recommender.recommend("   ") == [] and recommender.recommend("x", k=0) == []
    assert recommender.recommend("What is the weather tomorrow?") == []  # nothing but vague similarity


class _FakeIndexWithoutAccessors:
    """An index object that cannot list a document's chunks: citations must fall back, not fail."""


def test_citation_falls_back_when_the_index_cannot_list_chunks(recommender: FrameworkRecommender) -> None:
    other = FrameworkRecommender(recommender.guides, recommender.embedder, index=_FakeIndexWithoutAccessors())
    s = other.recommend("boat sinking at sea", k=1)[0]
    assert s.citations[0].chunk.location.startswith("quoted in ")


@pytest.mark.slow
def test_citations_point_into_indexed_document_chunks(
    recommender: FrameworkRecommender, settings, built_index
) -> None:  # type: ignore[no-untyped-def]
    from retrieval.index import Index

    index = Index.open(settings, embedder=recommender.embedder)
    with_index = FrameworkRecommender(recommender.guides, recommender.embedder, index=index)
    s = next(
        x for x in with_index.recommend("A ship rescued migrants in distress at sea.", k=5) if x.id == "solas"
    )
    for c in s.citations:
        assert (
            c.chunk.kind == "document" and c.chunk.location and not c.chunk.location.startswith("quoted in")
        )
        assert c.quote in c.chunk.text  # the exact span of the indexed chunk
        assert c.chunk.id in {x.id for x in index.document_chunks(c.chunk.document_id)}
