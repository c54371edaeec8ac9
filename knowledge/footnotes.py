"""Footnotes, in both shapes the corpus has: blocks after a rule in the middle of the flow (PDF extraction) and
inline "[footnoteRef:2] ... [2: text]" pairs (Word conversion); and the reference numbers glued to words."""
from __future__ import annotations

import re

from knowledge.blocks import CHAR_MAP, Block, join_text, tidy

_SEPARATOR = re.compile(r"^[ \t\u00a0]{10,}$|^\s*_{5,}\s*$")
_NOTE_START = re.compile(r"^(\d{1,3})(?:\s+|(?=[A-Z\"'(]))(.*)$")
_LONE_NUMBER = re.compile(r"^\d{1,3}$")


def split_footnotes(raw_lines: list[tuple[str, int | None]]) -> tuple[list[tuple[str, int | None]], list[Block]]:
    """Pull footnote blocks out of the flow.

    A block starts at a separator (a long run of spaces/non-breaking spaces, or a "_____" rule) and runs until the
    next line that starts with whitespace, which in these extractions is the first line of the following page,
    or until the page ends. A lone number line is the footnote number of the line after it.
    """
    body: list[tuple[str, int | None]] = []
    notes: list[list] = []  # [number, text, page]
    in_notes = False
    pending_number: int | None = None
    current_page: int | None = None
    for raw, page in raw_lines:
        if page != current_page:
            in_notes, pending_number, current_page = False, None, page
        if _SEPARATOR.match(raw):
            in_notes, pending_number = True, None
            continue
        if not in_notes:
            body.append((raw, page))
            continue
        text = raw.translate(CHAR_MAP).replace("\t", " ").strip()
        if raw[:1] in (" ", "\t") and text and pending_number is None and (notes or text[:1].islower()):
            in_notes = False  # the page resumes
            body.append((raw, page))
            continue
        if not text:
            continue
        if _LONE_NUMBER.match(text):
            pending_number = int(text)
            continue
        start = _NOTE_START.match(text)
        expected = notes[-1][0] + 1 if notes else None
        if pending_number is not None:
            notes.append([pending_number, text, page])
            pending_number = None
        elif start and (expected is None or int(start.group(1)) == expected):
            notes.append([int(start.group(1)), start.group(2).strip(), page])
        elif notes:
            notes[-1][1] = join_text(notes[-1][1], text)
        else:
            notes.append([0, text, page])
    blocks = [Block("note", tidy(t), p, n) for n, t, p in notes if t.strip()]
    return body, blocks


# Word-to-text conversion leaves "[footnoteRef:2]" at the reference and "[2:  the note text]" inline after it
_WORD_NOTE_REF = re.compile(r"\[footnoteRef:\d+\]")
_WORD_NOTE = re.compile(r"\[(\d{1,3}):\s+([^\[\]]+)\]")


def inline_notes(text: str, page: int | None) -> tuple[str, list[Block]]:
    notes = [Block("note", tidy(m.group(2)), page, int(m.group(1))) for m in _WORD_NOTE.finditer(text)]
    if not notes and "[footnoteRef:" not in text:
        return text, []
    return _WORD_NOTE.sub(" ", _WORD_NOTE_REF.sub("", text)), notes


_NO_MARKER_WORDS = {"article", "articles", "chapter", "no", "paragraph", "para", "section", "regulation", "page",
                    "part", "theme", "session", "annex", "point", "goal", "target", "objective", "rule", "step",
                    "resolution", "convention", "protocol", "principle", "table", "figure", "year", "years"}
_GLUED = re.compile(r"^(?P<pre>.*[a-z][\"')\]]?[.,;:]?[\"')\]]?)(?P<n>\d{1,3})(?P<post>[,.;:)]?)$")
_AFTER_NUMBER = re.compile(r"^(?P<pre>\d+,)(?P<n>\d{1,2})$")


def strip_footnote_markers(text: str, numbers: set[int]) -> str:
    """Remove footnote reference numbers glued to words ("Protecting2", "plans'.1", "children)4", "18,3")."""
    if not numbers:
        return text
    tokens = text.split(" ")
    for i, token in enumerate(tokens):
        if any(s in token for s in ("/", "www", "http", "_", "%", "@")):
            continue
        m = _GLUED.match(token) or _AFTER_NUMBER.match(token)
        if m and int(m.group("n")) in numbers and not re.fullmatch(r"[A-Z]{1,3}", m.group("pre")):
            tokens[i] = m.group("pre") + (m.groupdict().get("post") or "")
    # a spaced marker closing a paragraph: "The principle of international cooperation 12", "complex crises. 21"
    if len(tokens) >= 3 and tokens[-1].isdigit() and int(tokens[-1]) in numbers:
        prev = tokens[-2].rstrip(".,;:")
        if re.fullmatch(r"[a-z][a-z-]{3,}", prev) and prev not in _NO_MARKER_WORDS:
            tokens = tokens[:-1]
    return " ".join(tokens)
