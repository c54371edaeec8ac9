"""Passage's own errors. Library errors (chromadb, torch, httpx, langchain) are re-raised as these with
`raise ... from` at the boundary that calls the library; faces map them to HTTP codes or a kind reply.

    PassageError
    ├── ConfigError            bad settings or data files (hotline directory, guides, manifest)
    ├── IndexUnavailable       the index is missing, empty, or Chroma cannot be reached
    ├── EmbedderUnavailable    the embedding model failed to load or run
    ├── RetrievalUnavailable   search failed or missed its deadline (carries the cause)
    ├── GenerationUnavailable  the LLM is unreachable, slow or answered garbage
    └── IngestError            a document could not be read or indexed
"""
from __future__ import annotations


class PassageError(Exception):
    """Base of every error Passage raises on purpose."""


class ConfigError(PassageError):
    pass


class IndexUnavailable(PassageError):
    pass


class EmbedderUnavailable(PassageError):
    pass


class RetrievalUnavailable(PassageError):
    pass


class GenerationUnavailable(PassageError):
    pass


class IngestError(PassageError):
    pass
