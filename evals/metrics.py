"""Metric arithmetic: small pure functions, each testable on a hand-computed case (tests/evals/test_metrics.py).

Definitions (what each proves and does not) are in evals/README.md. Conventions: ranks are 1-based positions in
a list; an empty denominator gives 0.0 for a rate we want high and is reported separately, never as 1.0.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_MARKER = re.compile(r"\[(\d+)\]")
# Sentence ends: space after . ! ? or after a closing citation marker, before a capital or a bullet; or a
# line break. Abbreviations common in this corpus ("No. 6", "para. 1", "e.g. UNHCR") do not end a sentence.
_ABBREV = "".join(
    f"(?<!{re.escape(a)})"
    for a in (" No.", " no.", "(No.", "para.", " p.", " pp.", "Art.", " art.", "e.g.", "i.e.", " cf.", "Vol.", " vs.",
              " Mr.", " Dr.", " Ms.", " St.", " al.", "Nos.", "Reg.",
              # list numbers and roman section numbers: "): 1. What ...", "(§ IV. Common ground"
              *(f" {n}." for n in range(1, 10)), *(f" {n}." for n in range(10, 40)), " I.", " II.", " III.",
              " IV.", " V.", " VI.")
)
_SENTENCE_END = re.compile(
    rf"{_ABBREV}(?<=[.!?])\s+(?=[A-Z0-9\"'(•])|(?<=\])\s+(?=[A-Z0-9\"'(•-])|\n+"
)
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "which", "who", "whom", "their", "they", "them", "these", "those", "such", "not", "no", "can", "may", "should", "would", "could", "must", "also", "than", "then", "into", "other", "any", "all", "each", "been", "being", "do", "does", "did", "so", "if", "but"]
)

LEVELS = ("none", "refer", "urgent")


# -- text --------------------------------------------------------------------------------------------------------

def normalise(text: str) -> str:
    """Lower case, typographic quotes and dashes made plain, whitespace runs collapsed to one space."""
    return _WS.sub(" ", text.translate(_QUOTES)).strip().lower()


def contains_phrase(text: str, phrase: str) -> bool:
    return normalise(phrase) in normalise(text)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise(text))


def content_tokens(text: str) -> list[str]:
    return [t for t in tokens(_MARKER.sub(" ", text)) if t not in STOPWORDS and len(t) > 1]


def sentences(text: str) -> list[str]:
    """Answer sentences; a trailing citation marker stays with the sentence it closes."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def markers(sentence: str) -> list[int]:
    return [int(n) for n in _MARKER.findall(sentence)]


# -- retrieval (rels: relevance of each ranked result, best first) ----------------------------------------------

def hit_at_k(rels: Sequence[bool], k: int) -> float:
    return 1.0 if any(rels[:k]) else 0.0


def reciprocal_rank(rels: Sequence[bool]) -> float:
    for rank, rel in enumerate(rels, 1):
        if rel:
            return 1.0 / rank
    return 0.0


def recall_at_k(rels: Sequence[bool], n_relevant: int, k: int) -> float:
    if n_relevant <= 0:
        return 0.0
    return min(sum(bool(r) for r in rels[:k]), n_relevant) / n_relevant


def ndcg_at_k(rels: Sequence[bool], n_relevant: int, k: int) -> float:
    """Binary-gain nDCG: DCG of the ranking over DCG of an ideal ranking with `n_relevant` relevant items."""
    dcg = sum(1.0 / math.log2(rank + 1) for rank, rel in enumerate(rels[:k], 1) if rel)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_relevant, k) + 1))
    return dcg / ideal if ideal else 0.0


# -- answers -----------------------------------------------------------------------------------------------------

def phrase_coverage(answer: str, phrases: Sequence[str]) -> float:
    """Share of gold phrases found verbatim (normalised) in the answer."""
    if not phrases:
        return 0.0
    return sum(contains_phrase(answer, p) for p in phrases) / len(phrases)


def token_f1(prediction: str, gold: str) -> float:
    """SQuAD-style bag-of-tokens F1 (with multiplicity)."""
    pred, ref = tokens(prediction), tokens(gold)
    if not pred or not ref:
        return 0.0
    common = 0
    remaining = list(ref)
    for t in pred:
        if t in remaining:
            remaining.remove(t)
            common += 1
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def best_token_f1(prediction: str, golds: Sequence[str]) -> float:
    return max((token_f1(prediction, g) for g in golds), default=0.0)


# -- citations ---------------------------------------------------------------------------------------------------

def marker_share(text: str) -> float:
    """Share of answer sentences carrying at least one [n] marker."""
    sents = sentences(text)
    if not sents:
        return 0.0
    return sum(bool(markers(s)) for s in sents) / len(sents)


def lexical_support(sentence: str, source: str) -> float:
    """Share of the sentence's content tokens (markers, stop words removed) that occur in the source."""
    claim = content_tokens(sentence)
    if not claim:
        return 0.0
    have = set(content_tokens(source))
    return sum(t in have for t in claim) / len(claim)


def supported(lexical: float, cosine: float | None, lexical_min: float, cosine_min: float) -> bool:
    """The support proxy: enough shared words, or (when embeddings were computed) close enough in meaning."""
    return lexical >= lexical_min or (cosine is not None and cosine >= cosine_min)


# -- classification ----------------------------------------------------------------------------------------------

def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def refusal_prf(should_refuse: Sequence[bool], refused: Sequence[bool]) -> dict[str, float]:
    """Grounded refusal: positive class = refusing (off-topic); answering an on-topic question is a negative."""
    tp = sum(s and r for s, r in zip(should_refuse, refused))
    fp = sum((not s) and r for s, r in zip(should_refuse, refused))
    fn = sum(s and not r for s, r in zip(should_refuse, refused))
    return prf(tp, fp, fn)


def level_recall(expected: Sequence[str], predicted: Sequence[str], level: str, accept: set[str]) -> float | None:
    """Among cases expected at `level`, the share predicted in `accept`; None when there are none."""
    pairs = [(e, p) for e, p in zip(expected, predicted) if e == level]
    if not pairs:
        return None
    return sum(p in accept for _, p in pairs) / len(pairs)


def urgent_recall(expected: Sequence[str], predicted: Sequence[str]) -> float | None:
    return level_recall(expected, predicted, "urgent", {"urgent"})


def refer_recall(expected: Sequence[str], predicted: Sequence[str]) -> float | None:
    """Expected 'refer' got at least a referral: refer or urgent (over-escalating a referral is not a miss)."""
    return level_recall(expected, predicted, "refer", {"refer", "urgent"})


def false_urgent_rate(expected: Sequence[str], predicted: Sequence[str]) -> float | None:
    """Among cases not expected 'urgent' (none and refer: the issue's "non-urgent"), the share treated as urgent,
    the same definition as `retrieval.safety.evaluate`."""
    pairs = [(e, p) for e, p in zip(expected, predicted) if e in ("none", "refer")]
    return sum(p == "urgent" for _, p in pairs) / len(pairs) if pairs else None


def confusion(expected: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LEVELS) -> list[list[int]]:
    """matrix[i][j] = cases expected labels[i] and predicted labels[j]; unknown labels are ignored."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for e, p in zip(expected, predicted):
        if e in index and p in index:
            matrix[index[e]][index[p]] += 1
    return matrix


# -- frameworks --------------------------------------------------------------------------------------------------

def set_recall_at_k(expected: Sequence[str], ranked: Sequence[str], k: int) -> float:
    if not expected:
        return 0.0
    top = set(ranked[:k])
    return sum(e in top for e in expected) / len(expected)


def forbidden_in_top(forbidden: Sequence[str], ranked: Sequence[str], k: int) -> int:
    top = set(ranked[:k])
    return sum(f in top for f in forbidden)


# -- latency -----------------------------------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default); None for no values."""
    if not values:
        return None
    return float(np.percentile(np.asarray(values, dtype=float), q))


def mean(values: Sequence[float]) -> float | None:
    return float(sum(values) / len(values)) if values else None
