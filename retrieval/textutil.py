"""Sentences and content terms: the small text tools the composer, abstention and LLM checks share."""
from __future__ import annotations

import re
from functools import lru_cache

import pysbd
import Stemmer

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_MARKER = re.compile(r"\s*\[(\d+)\]")

# Function words and question scaffolding: they match every passage, so they must not count as evidence.
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves tell explain
    please passage say says said document documents paper corpus according give list describe mention mentions
    mentioned help know want need get got one two three like way ways""".split()
)

_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


@lru_cache(maxsize=8192)
def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) offsets of each sentence in `text`; cached because chunks recur across questions."""
    spans: list[tuple[int, int]] = []
    for seg in _segmenter().segment(text):
        start, end = seg.start, seg.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return tuple(spans)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def content_terms(text: str) -> list[str]:
    """Lower-cased, stemmed words that carry meaning (no stop words, no one-letter tokens)."""
    words = [w.lower() for w in _WORD.findall(text)]
    return _stemmer.stemWords([w for w in words if len(w) > 1 and w not in STOPWORDS])


@lru_cache(maxsize=16384)
def _term_set(text: str) -> frozenset[str]:
    # cached: the same passages and sentences are compared with every question (rerank, compose, abstain)
    return frozenset(content_terms(text))


def overlap(query_terms: set[str], text: str) -> float:
    """Share of the query's content terms that occur in `text` (0..1)."""
    if not query_terms:
        return 0.0
    return len(query_terms & _term_set(text)) / len(query_terms)


def cited_numbers(sentence: str) -> list[int]:
    return [int(n) for n in _MARKER.findall(sentence)]


def strip_markers(sentence: str) -> str:
    return _MARKER.sub("", sentence).strip()
