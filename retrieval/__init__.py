"""Passage's service core: triage, hybrid search, cited answers, frameworks, escalation; the index and ingest."""
