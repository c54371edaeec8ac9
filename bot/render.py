"""Answers as Telegram HTML. Pure functions: every piece of outside text goes through html.escape, and
splitting happens between blocks or inside plain text, never inside a tag or an entity.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from retrieval.types import Answer, Escalation, FrameworkSuggestion, Hotline

LIMIT = 4096  # Telegram's maximum message length, in UTF-16 code units after entity parsing
_BREAKS = ("\n\n", "\n", ". ", " ")


def tg_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def split_plain(text: str, limit: int = LIMIT) -> list[str]:
    """Escapes `text` and cuts it into pieces of at most `limit` units, preferring paragraph, line, sentence
    and word boundaries. Cutting before escaping means an entity like &amp; is never cut in half."""
    pieces: list[str] = []
    rest = text
    while rest:
        if tg_len(esc(rest)) <= limit:
            pieces.append(esc(rest))
            break
        cut = _longest_prefix(rest, limit)
        boundary = max((rest.rfind(b, 0, cut) + len(b) for b in _BREAKS if rest.rfind(b, 0, cut) > 0),
                       default=cut)
        cut = boundary if boundary > cut // 2 else cut
        pieces.append(esc(rest[:cut].rstrip()))
        rest = rest[cut:].lstrip()
    return [p for p in pieces if p]


def _longest_prefix(text: str, limit: int) -> int:
    lo, hi = 1, len(text)
    while lo < hi:  # binary search on escaped, UTF-16 length
        mid = (lo + hi + 1) // 2
        if tg_len(esc(text[:mid])) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return lo


def pack(blocks: Iterable[str], limit: int = LIMIT, sep: str = "\n\n") -> list[str]:
    """Packs self-contained HTML blocks (each at most `limit`) into as few messages as possible."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        if not block:
            continue
        if tg_len(block) > limit:
            raise ValueError("block longer than a message; split it with split_plain first")
        candidate = f"{current}{sep}{block}" if current else block
        if tg_len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def source_lines(answer: Answer) -> list[str]:
    if not answer.citations:
        return []
    lines = ["<b>Sources</b>"]
    for c in answer.citations:
        location = f" — {esc(_short(c.location, 200))}" if c.location else ""
        lines.append(f"[{c.n}] <i>{esc(_short(c.title, 300))}</i>{location}")
    return lines


def render_answer(answer: Answer, limit: int = LIMIT) -> list[str]:
    blocks = split_plain(answer.text.strip(), limit) if answer.text.strip() else []
    sources = source_lines(answer)
    # the sources go as one block when they fit, line by line otherwise
    if sources and tg_len("\n".join(sources)) <= limit:
        blocks.append("\n".join(sources))
    else:
        blocks.extend(sources)
    return pack(blocks, limit)


def hotline_line(h: Hotline) -> str:
    ways = [f"☎ {esc(h.phone)}" if h.phone else "", f"SMS {esc(h.sms)}" if h.sms else "",
            f"WhatsApp {esc(h.whatsapp)}" if h.whatsapp else "", esc(h.web) if h.web else ""]
    hours = f" ({esc(h.hours)})" if h.hours else ""
    return f"• <b>{esc(h.name)}</b> — {esc(h.organisation)}{hours}\n  " + " · ".join(w for w in ways if w)


def render_hotlines(hotlines: list[Hotline], emergency_number: str | None = None, intro: str = "",
                    limit: int = LIMIT) -> list[str]:
    blocks = split_plain(intro.strip(), limit) if intro.strip() else []
    if emergency_number:
        blocks.append(f"🚨 <b>{esc(emergency_number)}</b>")
    blocks.extend(hotline_line(h) for h in hotlines)
    return pack(blocks, limit, sep="\n")


def render_escalation(escalation: Escalation, limit: int = LIMIT) -> list[str]:
    return render_hotlines(escalation.hotlines, escalation.emergency_number, escalation.message, limit)


def render_framework(f: FrameworkSuggestion, limit: int = LIMIT) -> list[str]:
    head = f"📘 <b>{esc(f.name)}</b>\n<i>{esc(f.issuer)} · {esc(f.kind)}</i>"
    blocks = [head]
    if f.why:
        blocks.append("<b>Why it applies</b>\n" + "\n".join(f"• {esc(_short(w, 300))}" for w in f.why[:8]))
    if f.key_provisions:
        blocks.append("<b>Key provisions</b>\n"
                      + "\n".join(f"• {esc(_short(p, 500))}" for p in f.key_provisions[:8]))
    if f.citations:
        blocks.append("\n".join(f"[{c.n}] <i>{esc(_short(c.title, 200))}</i> — {esc(_short(c.location, 150))}"
                                for c in f.citations[:5]))
    return pack(blocks, limit)


_TAG = re.compile(r"<[^>]+>")


def to_plain(html_text: str) -> str:
    """The same message without markup, for when Telegram refuses to parse it (400 can't parse entities)."""
    return html.unescape(_TAG.sub("", html_text))
