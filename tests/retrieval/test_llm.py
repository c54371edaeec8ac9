"""Optional generation against an OpenAI-compatible server on loopback (the real wire protocol, via LangChain)."""
from __future__ import annotations

import re
import time

import pytest

from retrieval.compose import compose
from retrieval.llm import Generator, check
from tests.conftest import ServerThread, free_port, make_settings
from tests.retrieval.openai_stub import Script, build_stub
from tests.retrieval.test_compose import HITS

QUESTION = "Who pays recruitment fees charged to migrant workers?"
SUPPORTED = (
    "Recruitment agencies often charge migrant workers excessive fees before departure [1]. "
    "Governments should regulate recruitment agencies and ban fees charged to workers [2]."
)


@pytest.fixture
def stub(tmp_path):  # type: ignore[no-untyped-def]
    script = Script()
    with ServerThread(build_stub(script), free_port()) as server:
        settings = make_settings(
            tmp_path, llm_model="stub-model", llm_base_url=f"{server.url}/v1", llm_api_key="test", llm_timeout_s=1.0
        )
        yield script, Generator.from_settings(settings)


def _generate(gen: Generator):  # type: ignore[no-untyped-def]
    return gen.generate(QUESTION, HITS, "migrant", fallback=compose(QUESTION, HITS, "migrant"))


def test_supported_sentences_are_kept_and_renumbered(stub) -> None:  # type: ignore[no-untyped-def]
    script, gen = stub
    script.reply = SUPPORTED
    out = _generate(gen)
    assert out.generated_by == "llm"
    assert [c.chunk.id for c in out.citations] == ["c1", "c2"]
    assert re.findall(r"\[(\d+)\]", out.text) == ["1", "2"]
    sent = script.requests[-1]
    assert sent["model"] == "stub-model"
    assert "[1]" in sent["messages"][-1]["content"] and QUESTION in sent["messages"][-1]["content"]


def test_invented_or_uncited_sentences_are_dropped(stub) -> None:  # type: ignore[no-untyped-def]
    script, gen = stub
    script.reply = (
        SUPPORTED.split(" [1]. ")[0] + " [1]. "
        "The ILO fines every agency ten thousand dollars for each fee [2]. "
        "You should also call your embassy."
    )
    out = _generate(gen)
    assert out.generated_by == "llm"
    assert "ten thousand" not in out.text and "embassy" not in out.text
    assert len(out.citations) == 1


def test_nothing_supported_falls_back_to_extractive(stub) -> None:  # type: ignore[no-untyped-def]
    script, gen = stub
    script.reply = "Fees are illegal everywhere in the world [1]. Ask a lawyer [7]."
    out = _generate(gen)
    assert out.generated_by == "extractive"
    assert out.text == compose(QUESTION, HITS, "migrant").text


@pytest.mark.parametrize("failure", ["slow", "error", "down"])
def test_llm_slow_failing_or_down_gives_the_extractive_answer(stub, failure: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    script, gen = stub
    script.reply = SUPPORTED
    if failure == "slow":
        script.delay_s = 3.0  # past llm_timeout_s=1
    elif failure == "error":
        script.status = 500
    else:
        gen = Generator.from_settings(
            make_settings(tmp_path, llm_model="stub", llm_base_url=f"http://127.0.0.1:{free_port()}/v1",
                          llm_api_key="test", llm_timeout_s=1.0)
        )
    t0 = time.monotonic()
    out = _generate(gen)
    assert out.generated_by == "extractive"
    assert time.monotonic() - t0 < 2.5


def test_check_rejects_markers_out_of_range() -> None:
    text, cites = check("Recruitment agencies often charge migrant workers excessive fees [9].", HITS)
    assert text == "" and cites == []


def test_assistant_uses_the_llm_end_to_end(settings, built_index, stub) -> None:  # type: ignore[no-untyped-def]
    from retrieval.assistant import Assistant

    script, gen = stub
    assistant = Assistant.from_settings(settings)
    question = "What do the documents say about recruitment fees?"
    hits = assistant.index.search(question, 8, "hybrid", "document")  # what ask() will pass the LLM
    first = re.split(r"(?<=[.!?])\s", hits[0].chunk.text)[0]
    script.reply = f"{first.rstrip('.')} [1]. The moon is made of cheese [1]."
    assistant.generator = gen
    answer = assistant.ask(question)
    assert answer.generated_by == "llm"
    assert "cheese" not in answer.text
    assert answer.citations[0].chunk.id == hits[0].chunk.id
    assistant.close()
