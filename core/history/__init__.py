"""Annotation history: an append-only table of every version of every annotation."""
