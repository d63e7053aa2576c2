"""YAML front matter: a mapping between two `---` lines at the very top of a file.

The block stays in the interview's text (so that offsets are offsets into the
file as written, minus BOM and CRLF); the parser starts after it. Each
attribute remembers its line, so that a conflict names `file.md:4`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from qualcode.base.yamlvalues import check_values
from qualcode.errors import CorpusError, Errors

_FENCE = re.compile(r"---[ \t]*$")
_END = re.compile(r"(?:---|\.\.\.)[ \t]*$")


@dataclass(slots=True)
class FrontMatter:
    """Attributes as YAML gave them, their 1-based lines, and where the body starts."""

    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    body_start: int = 0


def split_front_matter(text: str, display: str) -> FrontMatter:
    """Parse the front matter of normalised `text`, if any (E109 when it is not a mapping)."""
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if not _FENCE.match(first):
        return FrontMatter()
    pos = first_end + 1
    line_no = 2
    while 0 < pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if _END.match(line):
            body_start = len(text) if nl < 0 else nl + 1
            return _parse(text[first_end + 1:pos], display, body_start)
        if nl < 0:
            break
        pos, line_no = nl + 1, line_no + 1
    raise CorpusError(Errors.E109.format(reason="the '---' on line 1 is never closed"), path=display, line=1)


#: front matter nested deeper than this is refused (PyYAML's composer is recursive)
MAX_DEPTH = 20


@functools.lru_cache(maxsize=1)
def _loader_class() -> Any:
    """A SafeLoader that refuses anchors and aliases (a self-referencing one never ends) and deep nesting."""
    import yaml  # lazy: a folder of .docx files never needs it
    from yaml.composer import ComposerError
    from yaml.events import AliasEvent

    class FrontMatterLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                raise ComposerError(None, None, "YAML anchors and aliases (&, *) are not allowed; "
                                                "write the value out", event.start_mark)
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    raise ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                        event.start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    check_values(FrontMatterLoader)  # 2024-02-30, 5,000-digit numbers, "\ud800": an error with its line
    return FrontMatterLoader


def _parse(block: str, display: str, body_start: int) -> FrontMatter:
    import yaml  # lazy: a folder of .docx files never needs it

    try:
        loader = _loader_class()(block)  # refuses control characters at once (ReaderError)
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        reason = f"control character U+{code:04X} is not allowed in YAML; remove it"
        raise CorpusError(Errors.E109.format(reason=reason), path=display,
                          line=block[:exc.position].count("\n") + 2) from None
    try:
        node = loader.get_single_node()
        values = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise CorpusError(Errors.E109.format(reason=reason), path=display, line=line) from None
    finally:
        loader.dispose()
    if values is None:
        return FrontMatter(body_start=body_start)
    if not isinstance(values, dict):
        raise CorpusError(Errors.E109.format(reason=f"it is a {type(values).__name__}, not a mapping"),
                          path=display, line=2)
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines[str(key_node.value)] = key_node.start_mark.line + 2
    return FrontMatter({str(k): v for k, v in values.items()}, lines, body_start)
