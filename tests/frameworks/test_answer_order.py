"""Where framework names go in a practitioner's answer: first for a described case, after a direct answer."""

from __future__ import annotations

import re

from retrieval.facets import describes_case


def test_a_described_case_leads_with_the_frameworks(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "My client is a 15-year-old boy who arrived alone at the border and is held in detention. "
        "Which framework applies?",
        persona="practitioner",
    )
    assert answer.frameworks
    assert answer.text.startswith(answer.frameworks[0].name)
    assert answer.citations[0].n == 1 and "applies" in answer.text.split("\n\n")[0]


def test_a_direct_question_leads_with_the_passage_that_answers(assistant) -> None:  # type: ignore[no-untyped-def]
    answer = assistant.ask(
        "Which article of the Convention on the Rights of the Child guarantees a child's right to be heard?",
        persona="practitioner",
    )
    assert answer.frameworks, "the CRC is still suggested"
    first, _, rest = answer.text.partition("\n\n")
    assert "applies" not in first and "applies here" in rest
    assert "Article 12" in answer.citations[0].chunk.text
    # markers stay in step with the citation list after the frameworks are appended
    markers = sorted({int(n) for n in re.findall(r"\[(\d+)\]", answer.text)})
    assert markers == [c.n for c in answer.citations][: len(markers)] and markers[0] == 1


def test_describes_case_needs_someone_in_particular() -> None:
    assert describes_case("A domestic worker who fled her employer came to our office")
    assert describes_case("We have ten fishermen stranded in port")
    assert not describes_case("Which article guarantees a child's right to be heard?")
    assert not describes_case("Which treaty protects migrant children?")
