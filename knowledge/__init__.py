"""Passage's knowledge: documents with a manifest, tool guides, the hotline directory; their schemas and loaders.

This package imports nothing else of the project.
"""
