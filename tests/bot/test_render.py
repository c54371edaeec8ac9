"""Rendering: everything escaped, messages never over Telegram's limit, never cut inside a tag or entity."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.render import LIMIT, pack, render_answer, render_hotlines, split_plain, tg_len, to_plain
from knowledge.schema import Chunk
from retrieval.types import Answer, Citation


class _Checker(HTMLParser):
    """Telegram's HTML: only well-nested known tags, entities complete."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        assert tag in {"b", "i", "a", "code", "pre"}, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag

    def handle_entityref(self, name: str) -> None:
        assert name in {"amp", "lt", "gt", "quot"}, name


def well_formed(text: str) -> bool:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert "&" not in text.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").replace("&quot;", "")
    return not checker.stack


def _answer(text: str, n_citations: int = 3) -> Answer:
    chunk = Chunk(id="c", document_id="d", title="Report <on> A&B", location="§ 2 <b>para</b>", text="t")
    return Answer(text=text, citations=[Citation(n=i + 1, chunk=chunk, quote="q", score=1.0)
                                        for i in range(n_citations)])


@pytest.mark.parametrize("text", [
    "word " * 3000,
    "<b>&amp;</b> " * 1500,  # escaping triples the length: the cut must account for it
    "&" * 9000,  # no spaces at all, every character an entity once escaped
    "😀" * 5000,  # astral characters count twice in UTF-16
    ("para one. " * 100 + "\n\n") * 20,
])
def test_long_answers_split_under_the_limit_and_well_formed(text: str) -> None:
    messages = render_answer(_answer(text))
    assert len(messages) > 1
    for message in messages:
        assert tg_len(message) <= LIMIT
        assert well_formed(message)
    # nothing lost: the plain text of the pieces is the original text (modulo whitespace at the cuts)
    joined = "".join(to_plain(m) for m in messages)
    assert "".join(text.split()) in "".join(joined.split())
    assert "<b>Sources</b>" in messages[-1]


def test_outside_text_is_escaped() -> None:
    [message] = render_answer(_answer("Use <script> & read [1]", 1))
    assert "&lt;script&gt; &amp; read [1]" in message
    assert "<i>Report &lt;on&gt; A&amp;B</i> — § 2 &lt;b&gt;para&lt;/b&gt;" in message
    assert well_formed(message)


def test_split_plain_prefers_paragraph_boundaries() -> None:
    text = "a" * 3000 + "\n\n" + "b" * 3000
    assert split_plain(text) == ["a" * 3000, "b" * 3000]


def test_pack_refuses_an_oversized_block() -> None:
    with pytest.raises(ValueError):
        pack(["x" * (LIMIT + 1)])


def test_hotlines_render_escaped() -> None:
    import datetime as dt

    from retrieval.types import Hotline

    h = Hotline(id="x", name="Line <1>", organisation="A&B", country="PH", topics=["emergency"], phone="911",
                source="s", verified_on=dt.date(2026, 1, 1))
    [message] = render_hotlines([h], "112", "Call now")
    assert "Line &lt;1&gt;" in message and "A&amp;B" in message and "112" in message and well_formed(message)
