"""Turn text extracted from PDFs into clean headings, paragraphs and notes.

The corpus was extracted from PDFs, so its text carries layout debris: hard-wrapped lines, hyphens at line ends,
bullet glyphs on their own or lost, page-number lines, footnote blocks in the middle of a paragraph (after a
rule of non-breaking spaces) and footnote markers glued to words ("Protecting2 the", "plans'.1"). The cleaner
repairs these in code so the source files stay exactly as extracted.

`clean_pages(pages)` takes the text of each page (one page for .txt/.md) and returns `Block`s in reading order;
footnote texts come last, as `kind="note"` blocks, out of the flow of the paragraphs they interrupted.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from knowledge.blocks import CHAR_MAP, Block, join_text, tidy
from knowledge.footnotes import inline_notes, split_footnotes, strip_footnote_markers

__all__ = ["Block", "clean_pages", "clean_text", "fix_quotes", "render", "strip_footnote_markers"]


@dataclass
class _Line:
    text: str  # stripped, normalised
    page: int | None
    indented: bool  # began with whitespace: in this corpus a page start or a bullet whose glyph was lost
    hard_end: bool  # ended with a tab: a table cell or heading, never wrapped
    gap: Literal["", "soft", "hard"] = ""  # blank line(s) before it: "" none, soft = empty, hard = spaces
    gap_count: int = 0  # how many whitespace-only lines before it: two or more end any paragraph
    open_end: bool = False  # the raw line had no trailing space: a word (or a URL) was cut at the line end


# --- character level -----------------------------------------------------------------------------------------

_BULLET_GLYPHS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc•·▪●◦■□➢"
# "§" followed by a private-use glyph is how Word's square sub-bullet survives extraction here
_SUB_BULLET = re.compile(r"^§\s*[\uf0a7\uf0b7]?\s*")
_GLYPH_BULLET = re.compile(rf"^[{_BULLET_GLYPHS}]+\s*")
_DASH_BULLET = re.compile(r"^[-–]\s+(?=\S)")
_O_BULLET = re.compile(r"^o\s+(?=[A-Z0-9])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_LIST_START = re.compile(r"^(?:• |\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|\([ivx]{1,4}\)\s)")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S*$")


def _normalise(raw: str) -> tuple[str, bool, bool]:
    """One raw line -> (text, indented, ended_with_tab); the bullet glyphs become "• "."""
    hard_end = raw.rstrip(" \u00a0").endswith("\t")
    indented = bool(raw) and raw[0] in " \t\u00a0"
    text = raw.translate(CHAR_MAP).replace("\t", " ").strip()
    if _MD_HEADING.match(text):
        return "# " + _MD_HEADING.sub("", text), indented, True
    for pattern in (_SUB_BULLET, _GLYPH_BULLET, _DASH_BULLET, _O_BULLET):
        if pattern.match(text):
            text = "• " + pattern.sub("", text, count=1)
            break
    return re.sub(r"\s{2,}", " ", text), indented, hard_end


# --- line level: page furniture ----------------------------------------------------------------------------------


def _repeated_furniture(pages: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of many pages are running headers/footers."""
    if len(pages) < 3:
        return set()
    edge = Counter()
    for lines in pages:
        content = [ln.strip() for ln in lines if ln.strip()]
        edge.update({re.sub(r"\d+", "#", ln) for ln in content[:2] + content[-2:]})
    return {ln for ln, n in edge.items() if n >= max(3, len(pages) // 2) and len(ln) < 120}


# --- paragraph assembly ----------------------------------------------------------------------------------------

_TERMINAL = re.compile(r"[.!?:;]['\")\]]*$")


def _wrap_width(lines: list[_Line]) -> int:
    lengths = sorted(len(ln.text) for ln in lines if ln.text)
    return lengths[int(len(lengths) * 0.9)] if lengths else 80


_FUNCTION_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "but",
                   "that", "which", "who", "whose", "their", "its", "his", "her", "our", "as", "into", "than", "be",
                   "between", "among", "about", "under", "over", "through", "within", "without", "upon", "both",
                   "such", "these", "those", "this", "is", "are", "was", "were", "has", "have", "not", "can", "may",
                   "will", "should", "must", "would", "could"}


def _continues(prev: _Line, line: _Line, wrap: int) -> bool:
    """Whether `line` continues the paragraph whose last line is `prev`."""
    if _LIST_START.match(line.text) or line.text.startswith("# ") or prev.text.startswith("# "):
        return False
    if _strong_heading(line.text):
        return False
    if _strong_heading(prev.text) and prev.text.endswith(":") and len(line.text) < 100:
        return True  # "Working Session 3.B.:" + its title on the next line
    if re.search(r"\w-$", prev.text) and line.text[:1].isalnum():
        return True
    if _strong_heading(prev.text) and not line.text[:1].islower():
        return False
    if prev.hard_end or line.gap_count >= 2:
        return False
    lower = line.text[:1].islower()
    ended = bool(_TERMINAL.search(prev.text))
    dangling = prev.text.rsplit(" ", 1)[-1].lower() in _FUNCTION_WORDS  # "... prosperity in" / " States and ..."
    if line.gap == "hard" or line.indented or line.page != prev.page:
        return not ended and (lower or dangling)  # flows on over a page break
    if line.gap == "soft":
        return not ended and (lower or dangling or len(prev.text) >= 0.8 * wrap)
    if not ended and len(prev.text) < 0.5 * wrap and len(prev.text) < 0.6 * len(line.text) and not lower:
        return False  # a short line, then a much longer one: a title over its text (PDFs drop blank lines)
    return not ended or len(prev.text) >= 0.75 * wrap


def _paragraphs(lines: list[_Line]) -> list[tuple[str, int | None, bool]]:
    wrap = _wrap_width(lines)
    words = Counter(w.lower() for ln in lines for w in re.findall(r"(?<![\w-])\w+(?![\w-])", ln.text))
    vocabulary = frozenset(words)
    out: list[list] = []  # [text, page, last_line, first_line_indented]
    for line in lines:
        if out and _continues(out[-1][2], line, wrap):
            prev = out[-1][2]
            url_cut = prev.open_end and re.search(r"(https?://|www\.)\S*$", prev.text) and not line.gap
            out[-1][0] = out[-1][0] + line.text if url_cut else join_text(out[-1][0], line.text, vocabulary)
            out[-1][2] = line
        else:
            out.append([line.text, line.page, line, line.indented])
    return [(t, p, ind) for t, p, _, ind in out]


# --- paragraph level: markers, quotes, whitespace ----------------------------------------------------------------

def _close_phrase(text: str, opener: int) -> str:
    """Insert the closing quote a quotation lost: at the end of the phrase that follows its opening quote."""
    m = re.compile(r"[^.,;:!?\"]+").match(text, opener + 1)
    if not m:
        return text
    end = len(text[: m.end()].rstrip())
    return text[:end] + '"' + text[end:]


def fix_quotes(text: str) -> str:
    """Repair quotes broken by extraction: a lost opening quote, a lost closing one, doubled punctuation."""
    text = re.sub(r'([,.;:])"\1', r'\1"', text)  # fund,", -> fund,"
    for _ in range(4):  # each pass repairs one quotation; a paragraph rarely has more than one broken
        open_at: int | None = None
        broken = False
        for i, ch in enumerate(text):
            if ch != '"':
                continue
            opens = (i == 0 or text[i - 1] in " ([") and i + 1 < len(text) and text[i + 1] not in " .,;:)"
            if open_at is None:
                if opens:
                    open_at = i
                else:  # a closing quote with no opening: the quotation starts with the item
                    start = 2 if text.startswith("• ") else 0
                    text, broken = text[:start] + '"' + text[start:], True
                    break
            elif opens:  # a new quotation opens while the previous one never closed
                text, broken = _close_phrase(text, open_at), True
                break
            else:
                open_at = None
        if not broken:
            if open_at is not None:
                text = _close_phrase(text, open_at)
            return text
    return text


# --- headings ---------------------------------------------------------------------------------------------------

_STRONG = [
    re.compile(r"^Part \d+\s*[–-]\s*\S"),
    re.compile(r"^[IVX]{1,5}\.\s+[A-Z]"),
    re.compile(r"^Theme \d+:"),
    re.compile(r"^Case Study:"),
    re.compile(r"^Practical Examples?$"),
    re.compile(r"^Working Sessions? (?:theme )?\d", re.IGNORECASE),
    re.compile(r"^# "),
]


def _strong_heading(text: str) -> bool:
    return len(text) <= 160 and any(p.match(text) for p in _STRONG)


def _weak_heading(text: str) -> bool:
    """A short title-like line: capitalised, no closing punctuation, no sentence inside, no link."""
    if len(text) > 140 or len(text.split()) > 24 or len(text) < 4:
        return False
    if _LIST_START.match(text) or _TERMINAL.search(text) or text.endswith(","):
        return False
    if not text[0].isupper() or re.search(r"https?:|www\.|\. [A-Z]", text):
        return False
    return sum(c.isalpha() for c in text) >= 0.6 * len(text.replace(" ", ""))


def _title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _classify(paragraphs: list[tuple[str, int | None, bool]]) -> list[Block]:
    kinds: list[str] = []
    in_list = False  # after "... include:" the items may have lost their bullet glyph ("The duty to ...")
    for text, _, indented in paragraphs:
        if _strong_heading(text):
            kinds.append("heading")
            in_list = False
            continue
        lost_bullet = in_list and indented and re.match(r"^(The|A|An) [a-z]", text) is not None
        weak = _weak_heading(text) and not lost_bullet and not (kinds and kinds[-1] == "heading")
        kinds.append("weak" if weak else "paragraph")
        if text.endswith(":"):
            in_list = True
        elif weak or (len(text) > 110 and _TERMINAL.search(text)):
            in_list = False
    # a run of several short title-like lines is a list (names, organisations), not a cascade of headings
    i = 0
    while i < len(kinds):
        j = i
        while j < len(kinds) and kinds[j] == "weak":
            j += 1
        if j - i >= 3:
            # the last one may still be a real heading: the title of the long text that follows the list
            last, _, last_indented = paragraphs[j - 1]
            titled = (j < len(kinds) and kinds[j] == "paragraph" and len(paragraphs[j][0]) > 150
                      and last_indented and _title_case(last))
            kinds[i : j - 1 if titled else j] = ["paragraph"] * (j - i - (1 if titled else 0))
        i = max(j, i + 1)
    blocks = []
    for (text, page, indented), kind in zip(paragraphs, kinds):
        text = text.removeprefix("# ")
        blocks.append(Block("heading" if kind in ("heading", "weak") else "paragraph", text, page))
    return blocks


# --- entry point --------------------------------------------------------------------------------------------------


def clean_pages(pages: list[str], paginated: bool = False) -> list[Block]:
    """Clean the extracted text of a document given page by page (one element for a plain-text file)."""
    raw_pages = [p.replace("\r\n", "\n").replace("\r", "\n").split("\n") for p in pages]
    furniture = _repeated_furniture(raw_pages) if paginated else set()
    raw_lines = [
        (ln, (i + 1) if paginated else None)
        for i, page in enumerate(raw_pages)
        for chunk in page
        for ln in chunk.split("\f")
    ]
    body, notes = split_footnotes(raw_lines)
    numbers = {n.number for n in notes if n.number}
    lines: list[_Line] = []
    gap: Literal["", "soft", "hard"] = ""
    gap_count = 0
    for raw, page in body:
        text, indented, hard_end = _normalise(raw)
        if not text:
            gap = "hard" if raw.strip("\n") or gap == "hard" else "soft"
            gap_count += 1 if raw.strip("\n") else 0
            continue
        if _PAGE_NUMBER.match(text) or re.sub(r"\d+", "#", text) in furniture:
            continue
        open_end = not raw.endswith((" ", "\t", "\u00a0"))
        lines.append(_Line(text, page, indented, hard_end, gap, gap_count, open_end))
        gap, gap_count = "", 0
    paragraphs = []
    for text, page, indented in _paragraphs(lines):
        text, inline = inline_notes(text, page)
        notes += inline
        numbers |= {n.number for n in inline if n.number}
        text = fix_quotes(tidy(strip_footnote_markers(tidy(text), numbers)))
        if text and text != "•" and not _URL_ONLY.match(text):  # link annotations the PDF appended
            paragraphs.append((text, page, indented))
    return _classify(paragraphs) + notes


def render(blocks: list[Block]) -> str:
    """Blocks as plain text, notes numbered as in their chunks ("[3] See Article 1 ...")."""
    return "\n\n".join(f"[{b.number}] {b.text}" if b.kind == "note" else b.text for b in blocks)


def clean_text(text: str) -> str:
    """The cleaned document as plain text (headings and paragraphs, notes last), e.g. to check gold phrases."""
    return render(clean_pages([text]))
