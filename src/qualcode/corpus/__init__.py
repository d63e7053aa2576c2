"""Transcript files -> `Corpus`: formats, speaker turns, metadata, language.

The public entry point is `read_corpus`; the modules below each do one step
(`discover`, `decode`, `formats`, `frontmatter`, `metadata`, `labels`,
`turns`, `language`) and import their heavy libraries only when a file
needs them, so that `qualcode corpus` answers quickly.
"""

from __future__ import annotations

from qualcode.corpus.formats import SUPPORTED
from qualcode.corpus.labels import DEFAULT_INTERVIEWERS, RESPONDENT_LABELS
from qualcode.corpus.read import read_corpus

__all__ = ["DEFAULT_INTERVIEWERS", "RESPONDENT_LABELS", "SUPPORTED", "read_corpus"]
