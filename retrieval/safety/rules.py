"""The rule layer of triage: per-language phrase lexicons (lexicons/<lang>.yaml) matched on folded text.

Rules are the floor of triage: they need no model, so a crisis is recognised even when the embedder, the index
or the whole retrieval stack is down. Every language's lexicon runs on every message, whatever language was
detected, because people mix languages (Taglish, Arabizi with English words) and detection on short text errs.

A lexicon file holds:
  signals:    id, level (urgent|refer), topics, patterns (regex on folded text), optional `unless` (a regex
              that cancels the signal, e.g. "locked up" inside an immigration detention centre is refer)
  negation:   before/after cue words and the window (tokens) inside the same clause ("I am NOT in danger",
              Nepali/Hindi/Bengali put the negation after the verb: "खतरामा छैन")
  mask:       hyperbole spans blanked before matching ("this paperwork is killing me")
  practitioner / general / news / past / immediacy / first_person: framing patterns used by `decide` below.
              `news` is a relayed report ("I read in the news that...", "the news says", "খবরে দেখলাম"): it lowers
              to none like `general`, but the reporter's own pronoun inside the news phrase ("I read", "j'ai lu",
              "saya baca") is blanked before looking for first person, so "I saw on the news that MY brother's
              boat is sinking" or "I read they are coming for US" stays urgent, as does anything immediate.
  safe_now:   someone is safe or back home now ("he's home now and fine", "ahora vive tranquilo"): an immediacy
              word inside such a statement does not count, so the "now" of a past event told as over does not keep
              it urgent.
  then_now:   the bare "now" of the language ("now", "ahora", "এখন"): after a `past` marker, with no danger told
              after it, it contrasts then and now ("two years ago I was held in Libya, now I am in Italy and want to
              report it") and does not count as immediacy, so the past framing applies. A danger told after it ("I
              came two years ago, now my boss locks me in"), an "again" after it ("now they took him again"),
              "right now", "tonight" or "help" still count.
  rights_question: the message asks about rights, the law or services ("do I have a right to...", "can they
              detain a child?", "will my embassy help", "is there any organisation..."). It changes nothing the
              rules decide; it caps what a CLASSIFIER may raise to at `refer` (triage.py), because the n-gram
              layer reads the hard words of such questions ("crossed the border alone", "drowned") as danger.
              An immediacy marker lifts the cap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from retrieval.safety.language import fold, tokens

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
LEVELS = ("none", "refer", "urgent")
_CLAUSE_BREAK = re.compile(r"[,.;:!?،؟।\n]| but | mais | pero | mas | tapi | pero | لكن | lekin | lakin ")


@dataclass(frozen=True)
class Signal:
    id: str
    level: str
    topics: tuple[str, ...]
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None


@dataclass(frozen=True)
class Lexicon:
    language: str
    signals: tuple[Signal, ...]
    neg_before: frozenset[str]
    neg_after: frozenset[str]
    window: int
    mask: re.Pattern[str] | None
    practitioner: re.Pattern[str] | None
    general: re.Pattern[str] | None
    news: re.Pattern[str] | None
    past: re.Pattern[str] | None
    immediacy: re.Pattern[str] | None
    first_person: re.Pattern[str] | None
    safe_now: re.Pattern[str] | None = None
    rights_question: re.Pattern[str] | None = None
    then_now: re.Pattern[str] | None = None


@dataclass(frozen=True)
class RuleOutcome:
    level: str
    reasons: tuple[str, ...]
    topics: tuple[str, ...]
    framed: bool  # practitioner/general/past framing lowered the level: the classifier must not undo it
    immediate: bool = False  # "right now", "help", "tonight": keeps a report urgent whoever writes it
    # Whether the rules READ danger words away (negated, hyperbole, a practitioner's or general question, news):
    # a classifier sees the words, not that reading, so it must not raise the level past these judgements.
    # A callable, because the framing patterns cost as much as the signals and are needed only when a
    # classifier proposes to raise the level.
    explanation: Callable[[], bool] = field(default=lambda: False, repr=False, compare=False)
    # The language whose `rights_question` pattern matched when no immediacy marker did, else None; a callable
    # for the same reason.
    rights_question: Callable[[], str | None] = field(default=lambda: None, repr=False, compare=False)

    @property
    def explained(self) -> bool:
        return self.explanation()

    @property
    def asks_about_rights(self) -> str | None:
        return self.rights_question()


class _Framing:
    """Framing cues of one folded, masked message, each matched only when first asked for."""

    def __init__(self, masked: str, urgent_at: list[int] | None = None) -> None:
        self.masked = masked
        self.urgent_at = urgent_at or []

    @cached_property
    def immediate(self) -> str | None:
        # an immediacy word inside a safe-now statement ("he's home NOW and fine") does not count; matched on the
        # unblanked text, so the lookaheads in the immediacy patterns still see the words that follow
        ignored = [
            m.span() for lex in lexicons() if lex.safe_now is not None for m in lex.safe_now.finditer(self.masked)
        ]
        if self.past:
            # "two years ago they held me, now I am in Italy": the danger was told before the "now", which only
            # contrasts then and now. "I came two years ago, now my boss locks me in": the danger comes after.
            ignored += [
                m.span()
                for lex in lexicons()
                if lex.then_now is not None
                for m in lex.then_now.finditer(self.masked)
                if not any(at >= m.end() for at in self.urgent_at)
            ]
        for lex in lexicons():
            if lex.immediacy is None:
                continue
            for m in lex.immediacy.finditer(self.masked):
                if not any(s <= m.start() and m.end() <= e for s, e in ignored):
                    return lex.language
        return None

    @cached_property
    def practitioner(self) -> str | None:
        return _any(lambda x: x.practitioner, self.masked)

    @cached_property
    def general(self) -> str | None:
        return _any(lambda x: x.general, self.masked)

    @cached_property
    def first_person(self) -> str | None:
        return _any(lambda x: x.first_person, self.masked)

    @cached_property
    def past(self) -> str | None:
        return _any(lambda x: x.past, self.masked)

    def rights_question(self) -> str | None:
        """A question about rights, law or services with nothing happening now (no immediacy marker)."""
        return None if self.immediate else _any(lambda x: x.rights_question, self.masked)

    @cached_property
    def news_about_others(self) -> str | None:
        """News ("I read that a boat sank") with no first person left once the news phrase is blanked."""
        news = _any(lambda x: x.news, self.masked)
        if news and not _any(lambda x: x.first_person, _blank(lambda x: x.news, self.masked)):
            return news
        return None


def _compile(patterns: list[str] | None, bounded: bool | str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    body = "|".join(f"(?:{p})" for p in patterns)
    if bounded == "start":
        # Tagalog, Indonesian/Malay: suffixes (-nya, -ng, -an) attach, so only the start is bounded
        body = rf"(?<![a-z0-9])(?:{body})"
    elif bounded:
        # Latin script: a phrase must not start or end inside a word ("no" must not match "nothing")
        body = rf"(?<![a-z0-9])(?:{body})(?![a-z])"
    return re.compile(body)


def _cues(words: list[str] | None) -> frozenset[str]:
    for w in words or []:
        if not isinstance(w, str):  # YAML turns a bare `no` into False
            raise TypeError(f"negation cue {w!r} is not a string: quote it in the lexicon")
    return frozenset(fold(w) for w in (words or []))


def load_lexicon(path: Path) -> Lexicon:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    lang = raw["language"]
    bounded = raw.get("word_bounded", True)
    signals = []
    for s in raw.get("signals", []):
        if s["level"] not in ("urgent", "refer"):
            raise ValueError(f"lexicon {path.name}: signal {s['id']}: level must be urgent or refer")
        pattern = _compile([fold(p) for p in s["patterns"]], bounded)
        assert pattern is not None, f"lexicon {path.name}: signal {s['id']} has no patterns"
        signals.append(
            Signal(
                s["id"],
                s["level"],
                tuple(s.get("topics", [])),
                pattern,
                _compile([fold(p) for p in s.get("unless", [])], bounded),
            )
        )
    neg = raw.get("negation", {})

    def section(name: str) -> re.Pattern[str] | None:
        return _compile([fold(p) for p in raw.get(name, [])], bounded)

    return Lexicon(
        language=lang,
        signals=tuple(signals),
        neg_before=_cues(neg.get("before")),
        neg_after=_cues(neg.get("after")),
        window=int(neg.get("window", 3)),
        mask=section("mask"),
        practitioner=section("practitioner"),
        general=section("general"),
        news=section("news"),
        past=section("past"),
        immediacy=section("immediacy"),
        first_person=section("first_person"),
        safe_now=section("safe_now"),
        rights_question=section("rights_question"),
        then_now=section("then_now"),
    )


@lru_cache(maxsize=1)
def lexicons() -> tuple[Lexicon, ...]:
    return tuple(load_lexicon(p) for p in sorted(LEXICON_DIR.glob("*.yaml")))


def _clause_before(text: str, start: int) -> str:
    head = text[:start]
    cut = max((m.end() for m in _CLAUSE_BREAK.finditer(head)), default=0)
    return head[cut:]


def _clause_after(text: str, end: int) -> str:
    tail = text[end:]
    m = _CLAUSE_BREAK.search(tail)
    return tail[: m.start()] if m else tail


def _has_cue(words: list[str], cues: frozenset[str]) -> bool:
    if not cues:
        return False
    joined = " ".join(words)
    return any(w in cues for w in words) or any(" " in c and c in joined for c in cues)


def _negated(lex: Lexicon, text: str, start: int, end: int) -> bool:
    before = tokens(_clause_before(text, start))[-lex.window :]
    after = tokens(_clause_after(text, end))[: lex.window]
    return _has_cue(before, lex.neg_before) or _has_cue(after, lex.neg_after)


def _fired(lex: Lexicon, text: str, sig: Signal) -> list[int]:
    """Where the signal fires (its matches not negated), empty when it does not."""
    if sig.unless is not None and sig.unless.search(text):
        return []
    return [m.start() for m in sig.pattern.finditer(text) if not _negated(lex, text, m.start(), m.end())]


def _any(pattern_of, text: str) -> str | None:  # type: ignore[no-untyped-def]
    for lex in lexicons():
        p = pattern_of(lex)
        if p is not None and p.search(text):
            return lex.language
    return None


def _blank(pattern_of, text: str) -> str:  # type: ignore[no-untyped-def]
    for lex in lexicons():
        p = pattern_of(lex)
        if p is not None:
            text = p.sub(lambda m: " " * len(m.group(0)), text)
    return text


def assess_rules(text: str) -> RuleOutcome:
    """The rule verdict for one message. Pure function of the text; never sees a model."""
    folded = fold(text)
    masked = folded
    for lex in lexicons():
        if lex.mask is not None:
            masked = lex.mask.sub(lambda m: " " * len(m.group(0)), masked)
    reasons: list[str] = []
    topics: list[str] = []
    level = "none"
    negated = False
    urgent_at: list[int] = []  # where urgent signals fire: a danger told after "now" is a danger now
    for lex in lexicons():
        for sig in lex.signals:
            if at := _fired(lex, masked, sig):
                if sig.level == "urgent":
                    urgent_at.extend(at)
                reasons.append(f"lex:{lex.language}:{sig.id}")
                topics.extend(t for t in sig.topics if t not in topics)
                if LEVELS.index(sig.level) > LEVELS.index(level):
                    level = sig.level
            elif sig.pattern.search(masked) and not (sig.unless is not None and sig.unless.search(masked)):
                negated = True
    # framing: who is speaking and about when (policy in README.md)
    f = _Framing(masked, urgent_at)

    def explanation() -> bool:
        return not f.immediate and bool(
            negated or masked != folded or f.practitioner or (f.general and not f.first_person) or f.news_about_others
        )

    if level == "none":
        return RuleOutcome("none", tuple(reasons), (), False, False, explanation, f.rights_question)

    immediate = f.immediate
    framed = False
    if f.practitioner and not (level == "urgent" and immediate):
        reasons.append(f"frame:{f.practitioner}:practitioner")
        level, framed = "none", True
    elif f.general and not f.first_person and not (level == "urgent" and immediate):
        reasons.append(f"frame:{f.general}:general")
        level, framed = "none", True
    elif f.news_about_others and not (level == "urgent" and immediate):
        reasons.append(f"frame:{f.news_about_others}:news")
        level, framed = "none", True
    elif level == "urgent" and f.past and not immediate:
        reasons.append(f"frame:{f.past}:past")
        level, framed = "refer", True
    if immediate and level == "urgent":
        reasons.append(f"frame:{immediate}:immediate")
    return RuleOutcome(
        level,
        tuple(reasons),
        tuple(topics) if level != "none" else (),
        framed,
        bool(immediate),
        explanation,
        f.rights_question,
    )
