"""Codebook skeletons: the YAML that `import qdc` and `import codebook` write from another program's codes.

Whatever the source (a REFI-QDA code tree, a Taguette CSV), it is first
flattened into groups of codes (`SkeletonGroup`, `SkeletonCode`); `skeleton` then writes a
codebook that loads as it stands: labels are the names, definitions the
descriptions (the name when there is none), and each code gets one
placeholder pattern per language, its own label, to replace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qualcode.defaults import LANGUAGES
from qualcode.errors import Errors, InteropError
from qualcode.interop._ids import slug

UNGROUPED = {"id": "ungrouped", "fr": "Sans groupe", "en": "Ungrouped"}


@dataclass
class SkeletonCode:
    id: str
    name: str
    description: str
    #: per-language labels and definitions, when the source gives them (qualcode's own CSV)
    labels: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)


@dataclass
class SkeletonGroup:
    id: str
    label: str
    codes: list[SkeletonCode] = field(default_factory=list)


@dataclass
class QdcImport:
    """A codebook skeleton read from another program, and how its tree was flattened."""

    yaml: str
    name: str
    languages: list[str]
    groups: int
    codes: int
    folders: int
    flattened: int
    origin: str = ""
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)


def check_languages(languages: Sequence[str] | None) -> list[str]:
    """`--lang` values (repeated or comma-separated) as a list of fr/en, fr by default."""
    found: list[str] = []
    for value in languages or ["fr"]:
        for part in str(value).split(","):
            lang = part.strip().lower()
            if not lang:
                continue
            if lang not in LANGUAGES:
                raise InteropError(Errors.E113.format(language=part.strip()))
            if lang not in found:
                found.append(lang)
    return found or ["fr"]


def _header(source: str, origin_text: str, languages: list[str], tree: str) -> str:
    made_by = f" ({origin_text})" if origin_text else ""
    return "\n".join([
        f"# Codebook skeleton imported by qualcode from {source}{made_by}.",
        "#",
        "# PLACEHOLDER PATTERNS: every code has one pattern per language, its own name, only so",
        "# that this file is a valid codebook as it stands. Replace them with the phrases and token",
        "# patterns that find each code in transcripts (docs/codebook.md), then run",
        "# `qualcode codebook validate` and `qualcode codebook check`.",
        "#",
        "# There are no negation cues yet: a denied theme counts as present until you add them.",
        "#",
        f"# {tree} Labels are the names and definitions",
        f"# the descriptions (the name when there was none), in {', '.join(languages)}.",
        "",
    ]) + "\n"


def skeleton(groups: list[SkeletonGroup], langs: list[str], *, name: str, source: str, origin_text: str,
             tree: str, folders: int = 0, flattened: int = 0) -> QdcImport:
    """The YAML skeleton of groups of codes: one placeholder pattern per code and language."""
    import yaml

    if not any(g.codes for g in groups):
        raise InteropError(Errors.E601.format(reason="the codebook holds no code"), path=source)
    book_name = slug(name, fallback="codebook")
    data: dict[str, Any] = {"name": book_name, "version": "0.1.0", "languages": list(langs)}
    data["groups"] = []
    for group in groups:
        label = group.label or UNGROUPED[langs[0]]
        if group.id.startswith(UNGROUPED["id"]) and not group.label:
            data["groups"].append({"id": group.id, "label": {lang: UNGROUPED[lang] for lang in langs}})
        else:
            data["groups"].append({"id": group.id, "label": dict.fromkeys(langs, label)})
    data["codes"] = []
    for group in groups:
        for code in group.codes:
            labels = {lang: code.labels.get(lang) or code.name for lang in langs}
            data["codes"].append({
                "id": code.id,
                "group": group.id,
                "label": labels,
                "definition": {lang: code.definitions.get(lang) or code.description or labels[lang]
                               for lang in langs},
                "patterns": {lang: [labels[lang]] for lang in langs},
            })

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:  # the loader refuses anchors and aliases
            return True

    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)
    text = _header(source, origin_text, langs, tree) + body
    n_codes = sum(len(g.codes) for g in groups)
    return QdcImport(text, book_name, langs, len(groups), n_codes, folders, flattened, origin_text)
