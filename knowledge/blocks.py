"""The cleaner's output unit and the text helpers shared by the cleaning steps."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "paragraph", "note"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    page: int | None = None  # 1-based page for paginated sources (PDF), None for plain text
    number: int | None = None  # footnote number, for notes


CHAR_MAP = str.maketrans(
    {
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u200b": "", "\ufeff": "", "\u00ad": "",
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2026": "...",
    }
)


def join_text(left: str, right: str, vocabulary: frozenset[str] = frozenset()) -> str:
    """Join two wrapped lines. A line-end hyphen is kept ("non-" + "discriminatory": in this corpus every one is
    real) unless the document itself spells the joined word without it elsewhere ("with-" + "out")."""
    cut = re.search(r"(\w+)-$", left)
    if cut:
        nxt = re.match(r"\w+", right)
        if nxt and f"{cut.group(1)}{nxt.group(0)}".lower() in vocabulary:
            return left[:-1] + right
        return left + right
    return f"{left} {right}"


def tidy(text: str) -> str:
    """Collapse whitespace; no space before punctuation or inside parentheses."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,;:.])(?=\s|$)", r"\1", text)  # "actions , to be" -> "actions, to be"
    text = re.sub(r"\(\s+", "(", text)
    text = re.sub(r"\s+\)", ")", text)
    return text
