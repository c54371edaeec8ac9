"""The one error `knowledge/` raises: a data file is malformed or unreadable.

`knowledge/` imports nothing of the project, so this is its own type; `retrieval/` maps it to ConfigError (bad
data files) or IngestError (a document that cannot be read) at the boundary that calls the loaders.
"""
from __future__ import annotations


class KnowledgeError(ValueError):
    """A data file under knowledge/ (or a document given to ingest) is malformed. The message names the file."""
