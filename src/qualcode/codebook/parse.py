"""Parse a codebook: strict YAML, line numbers, validation as a whole.

The file is parsed with `StrictLoader` (a `yaml.SafeLoader` that refuses
aliases, anchors and tags, reads only `true`/`false` as booleans and flags
duplicate keys), composed into a node tree that keeps every line number,
constructed into plain data, and validated by the pydantic models of
`qualcode.codebook.model`. Every problem found on the way (YAML, pydantic,
duplicate ids, spaCy's check of token patterns) is located by walking the
node tree along its *loc* (the path of keys and indices that pydantic
reports), and all of them are raised together in one `CodebookError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import weakref
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from qualcode.base.text import normalise_text
from qualcode.base.yamlvalues import check_values, read_with_libyaml, with_libyaml
from qualcode.codebook.model import (
    LOADER_FIELDS,
    MAX_CODEBOOK_BYTES,
    MODELS,
    SUPPORTED_LANGUAGES,
    Codebook,
    _closest,
)
from qualcode.errors import CodebookError, Errors

#: deeper nesting is refused (the composer is recursive)
MAX_DEPTH = 40

Loc = tuple[Any, ...]


# --- YAML ----------------------------------------------------------------------

class _Fatal(Exception):
    """A problem after which the document cannot be read any further."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


class StrictLoader(yaml.SafeLoader):
    """A SafeLoader for codebooks: no aliases, anchors or tags; no duplicate keys.

    Refusing aliases also defeats "billion laughs". Problems are collected in
    `problems` as (line, message) and the offending node is read as plain
    (an alias as null, a tagged value as untagged), so that one pass reports
    everything.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._start()

    def _start(self) -> None:
        self.problems: list[tuple[int, str]] = []
        #: ids of the nodes read as plain after a problem (their own errors are noise)
        self.flagged: set[int] = set()
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(AliasEvent):
            event = self.get_event()
            self.problems.append((event.start_mark.line + 1,
                                  Errors.E205.format(what=f"aliases (*{event.anchor})")))
            alias = ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
            self.flagged.add(id(alias))
            return alias
        event = self.peek_event()
        tagged = getattr(event, "tag", None) is not None
        if event.anchor is not None:
            self.problems.append((event.start_mark.line + 1,
                                  Errors.E205.format(what=f"anchors (&{event.anchor})")))
            event.anchor = None
        if tagged:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append((event.start_mark.line + 1, Errors.E206.format(tag=tag)))
            event.tag = None
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Fatal(event.start_mark.line + 1, Errors.E209.format(limit=MAX_DEPTH))
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if tagged:
            self.flagged.add(id(node))
        assert node is not None  # a node event was peeked, so one is composed
        return node

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    self.problems.append((line, Errors.E207.format(key=key_node.value, line=seen[key_node.value])))
                else:
                    seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


# YAML 1.2 scalars: only true/false are booleans ("no", "on", "off" are words
# in our patterns), dates stay strings, and `<<` / `=` are ordinary keys.
_KEEP = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null"}
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag in _KEEP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
check_values(StrictLoader)  # a 5,000-digit number, "\ud800": an error with its line, not a crash


#: StrictLoader over libyaml's parser (None without libyaml): 3.7 s -> 1 s for the bundled codebook
_LIBYAML = with_libyaml(StrictLoader)


def _read_with_libyaml(text: str) -> tuple[StrictLoader, Node | None, Any] | None:
    """(loader, root node, data) read through libyaml, or None for PyYAML to read (and report) it."""
    read = read_with_libyaml(_LIBYAML, text)
    if read is None or read[0].problems or read[0].flagged:
        return None
    return read


# --- locations -------------------------------------------------------------------

_KEYS: weakref.WeakKeyDictionary[MappingNode, dict[str, tuple[Node, Node]]] = weakref.WeakKeyDictionary()


def _keys(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    """A mapping node's entries by key (the first of duplicates), made once: each lookup is then O(1).

    Looking keys up by scanning made validation quadratic in the number of
    problems (24,000 unknown keys in one mapping took minutes).
    """
    found = _KEYS.get(node)
    if found is None:
        found = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                found.setdefault(key_node.value, (key_node, value_node))
        _KEYS[node] = found
    return found


def _walk(root: Node, loc: Loc) -> tuple[Node, Node | None]:
    """The node that `loc` (pydantic's path) points to, and the key it was reached by."""
    node, key = root, None
    for part in loc:
        if part == "[key]" and key is not None:
            return key, None
        if isinstance(node, MappingNode):
            entry = _keys(node).get(str(part))
            if entry is not None:
                key, node = entry
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node, key = node.value[part], None
    return node, key


def node_line(root: Node | None, loc: Loc) -> int:
    """The 1-based line of what `loc` (pydantic's path of keys and indices) points to.

    Walks mappings by key and sequences by index; parts that match nothing
    (pydantic's union branch names, a missing key) are skipped, so a missing
    key is located at its parent. A value reached through a key is located at
    the key's line (for a block mapping the value starts one line below);
    `[key]` (pydantic's marker for an invalid dict key) stops at the key.
    """
    if root is None:
        return 1
    node, key = _walk(root, loc)
    return (key or node).start_mark.line + 1


_KINDS = {"codes": "code", "actors": "actor", "groups": "group", "configurations": "configuration"}


def _raw_id(raw: Any, *loc: Any) -> str | None:
    value = raw
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    ident = value.get("id") if isinstance(value, dict) else None
    return ident if isinstance(ident, str) else None


def describe_loc(loc: Loc, raw: Any) -> str:
    """Say where `loc` is in words: `code 'shared_tools': pattern 3 (fr)`."""
    parts: list[str] = []
    rest = list(loc)
    if len(rest) >= 2 and rest[0] in _KINDS and isinstance(rest[1], int):
        ident = _raw_id(raw, rest[0], rest[1])
        parts.append(f"{_KINDS[rest[0]]} {ident!r}" if ident else f"{_KINDS[rest[0]]} #{rest[1] + 1}")
        rest = rest[2:]
    elif len(rest) >= 2 and rest[0] == "negation":
        parts.append(f"negation ({rest[1]})")
        rest = rest[2:]
        if len(rest) >= 2 and rest[0] == "cues" and isinstance(rest[1], int):
            ident = _raw_id(raw, *loc[:4])
            parts.append(f"cue {ident!r}" if ident else f"cue {rest[1] + 1}")
            rest = rest[2:]
        elif len(rest) >= 2 and rest[0] in ("pseudo", "terminators") and isinstance(rest[1], int):
            parts.append(f"{'pseudo cue' if rest[0] == 'pseudo' else 'terminator'} {rest[1] + 1}")
            rest = rest[2:]
    if len(rest) >= 3 and rest[0] in ("patterns", "aliases") and isinstance(rest[2], int):
        parts.append(f"{'pattern' if rest[0] == 'patterns' else 'alias'} {rest[2] + 1} ({rest[1]})")
        rest = rest[3:]
    elif len(rest) >= 2 and rest[0] == "indicators":
        parts.append(f"indicator {rest[1]!r}")
        rest = rest[2:]
    if len(rest) >= 2 and rest[0] == "tokens" and isinstance(rest[1], int):
        parts.append(f"token {rest[1] + 1}")
        rest = rest[2:]
    rest = [p for p in rest if p != "[key]"]
    if parts and rest == ["id"]:
        rest = []
    if rest:
        text = ""
        for part in rest:
            text += f" #{part + 1}" if isinstance(part, int) else (("." if text else "") + str(part))
        parts.append(text.strip())
    return ": ".join(parts)


# --- pydantic errors -> messages ---------------------------------------------------

_FRIENDLY = {
    "string_type": "should be a string; quote it",
    "int_type": "should be a whole number",
    "float_type": "should be a number",
    "bool_type": "should be true or false",
    "list_type": "should be a list",
    "dict_type": "should be a mapping (key: value)",
    "model_type": "should be a mapping (key: value)",
    "model_attributes_type": "should be a mapping (key: value)",
    "too_short": "should not be empty",
    "finite_number": "should be a finite number",
}


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _model_at(loc: Loc) -> str | None:
    """Which kind of mapping lives at `loc` (for "allowed keys")."""
    n = len(loc)
    if n == 0:
        return "codebook"
    head = loc[0]
    if head == "decision" and n == 1:
        return "decision"
    if head in _KINDS and n == 2:
        return _KINDS[head]
    if head in ("codes", "actors") and n >= 5 and loc[2] in ("patterns", "aliases"):
        if n == 5:
            return "pattern"
        if n == 6 and loc[5] in ("unless", "near"):
            return str(loc[5])
        if n == 8 and loc[6] == "words":
            return "word"
    if head == "negation":
        if n == 2:
            return "negation"
        if n == 4:
            return "cue" if loc[2] == "cues" else "pattern"
    return None


def _allowed_keys(loc: Loc) -> list[str]:
    kind = _model_at(loc)
    if kind is None:
        return []
    return [name for name in MODELS[kind].model_fields if name not in LOADER_FIELDS]


def translate_error(error: Mapping[str, Any]) -> tuple[Loc, str]:
    """One pydantic error as (loc, message), the message from the catalogue."""
    kind, loc = error["type"], tuple(error["loc"])
    if kind == "missing":
        return loc[:-1], Errors.E211.format(key=loc[-1])
    if kind == "extra_forbidden":
        key, allowed = str(loc[-1]), _allowed_keys(loc[:-1])
        return loc, Errors.E210.format(key=key, hint=_closest(key, allowed), allowed=", ".join(allowed) or "none")
    message = str(error["msg"])
    if kind == "value_error":
        return loc, message.removeprefix("Value error, ")
    problem = _FRIENDLY.get(kind) or message.replace("Input should be", "should be")
    return loc, Errors.E212.format(problem=problem, found=_found(error.get("input")))


# --- checks on the raw document ------------------------------------------------------

def _items(raw: Any, *loc: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list at `loc`, skipping the rest."""
    value = raw
    for part in loc:
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _pattern_lists(raw: dict[str, Any]) -> Iterator[tuple[Loc, str, str, list[Any]]]:
    """Every list of patterns: (loc, id scope, default id prefix, items)."""
    for section, key in (("codes", "patterns"), ("actors", "aliases")):
        for i, item in _items(raw, section):
            owner, by_lang = item.get("id"), item.get(key)
            if isinstance(by_lang, dict):
                for lang, items in by_lang.items():
                    if isinstance(items, list):
                        yield (section, i, key, lang), "codes", f"{owner}/{lang}", items
    negation = raw.get("negation")
    if isinstance(negation, dict):
        for lang, rules in negation.items():
            if isinstance(rules, dict):
                for key, prefix in (("cues", "cue"), ("pseudo", "pseudo"), ("terminators", "terminator")):
                    if isinstance(rules.get(key), list):
                        yield ("negation", lang, key), f"negation/{lang}", f"negation/{lang}/{prefix}", rules[key]


def _context(raw: dict[str, Any]) -> dict[str, Any]:
    """What the models need to check references: languages, group and code ids."""
    languages = raw.get("languages")
    if isinstance(languages, list):
        languages = list(dict.fromkeys(lang for lang in languages if lang in SUPPORTED_LANGUAGES))
    else:
        languages = None
    context: dict[str, Any] = {"languages": languages or None}
    for key, section in (("groups", "groups"), ("themes", "codes"), ("actors", "actors")):
        if section in raw and not isinstance(raw[section], list):
            context[key] = None  # unknown: do not report every reference as unknown
        else:
            context[key] = {item["id"] for _, item in _items(raw, section) if isinstance(item.get("id"), str)}
    return context


def _cross_check(raw: dict[str, Any], line: Callable[[Loc], int]) -> list[tuple[Loc, str]]:
    """What needs the whole document: unique ids, the decision rule, loader fields."""
    problems: list[tuple[Loc, str]] = []
    for key in LOADER_FIELDS:
        if key in raw:
            allowed = _allowed_keys(())
            problems.append(((key,), Errors.E210.format(key=key, hint="", allowed=", ".join(allowed))))

    def unique(kinds: list[tuple[Loc, str]], what: str, scope: str = "") -> None:
        first: dict[str, Loc] = {}
        for section, kind in kinds:
            for i, item in _items(raw, *section):
                ident = item.get("id")
                if not isinstance(ident, str):
                    continue
                loc = (*section, i, "id")
                if ident in first:
                    problems.append((loc, Errors.E213.format(what=what or kind, id=ident,
                                                             line=line(first[ident]), scope=scope)))
                else:
                    first[ident] = loc

    unique([(("codes",), "code"), (("actors",), "actor")], "", "; codes and actors share one id space")
    unique([(("groups",), "group")], "group")
    unique([(("configurations",), "configuration")], "configuration")

    seen: dict[tuple[str, str], Loc] = {}
    for loc, scope, prefix, items in _pattern_lists(raw):
        for j, item in enumerate(items):
            explicit = isinstance(item, dict) and "id" in item
            ident = item.get("id") if explicit else f"{prefix}/{j + 1}"
            if not isinstance(ident, str):
                continue
            item_loc = (*loc, j, "id") if explicit else (*loc, j)
            if (scope, ident) not in seen:
                seen[scope, ident] = item_loc
            elif explicit or seen[scope, ident][-1] == "id":
                # two default ids only meet when two owners share an id, reported above
                what = "cue" if scope.startswith("negation") else "pattern"
                problems.append((item_loc, Errors.E213.format(what=what, id=ident,
                                                              line=line(seen[scope, ident]), scope="")))

    configurations = raw.get("configurations")
    if isinstance(configurations, list) and configurations and "decision" not in raw:
        problems.append((("configurations",), Errors.E223))
    return problems


@lru_cache(maxsize=1)
def _spacy_checker() -> tuple[Callable[[list[Any]], list[str]], Any]:
    """spaCy's own pattern validator and a Matcher to compile with (imported lazily)."""
    from spacy.matcher import Matcher
    from spacy.schemas import validate_token_pattern
    from spacy.vocab import Vocab

    return validate_token_pattern, Matcher(Vocab(), validate=False)


_SCHEMA_PART = re.compile(r"^(TokenPattern\w*|str|int|float|bool|list|dict|constrained-str|.*\[.*\])$")


def _check_tokens(tokens: list[dict[str, Any]], loc: Loc) -> list[tuple[Loc, str]]:
    """spaCy's verdict on one token pattern, one problem per faulty token."""
    problems = [((*loc, j, "_"), Errors.E231) for j, token in enumerate(tokens) if "_" in token]
    if problems:
        return problems
    validate, matcher = _spacy_checker()
    by_token: dict[int | None, list[str]] = {}
    for line in validate(tokens):
        match = re.match(r"^\[(.*?)\] (.*)$", line, re.S)
        where, message = (match.group(1), match.group(2)) if match else ("", line)
        path = [p for p in where.split(" -> ") if p != "pattern" and not _SCHEMA_PART.match(p)]
        token = int(path.pop(0)) if path and path[0].isdigit() else None
        text = message.replace("Input should be", "should be")
        if path and path[-1].upper() == "OP":  # spaCy's two alternatives, said once
            text = "should be +, *, ?, ! or a quantifier {n}, {n,m}, {n,}, {,m}"
        elif message.startswith("Extra inputs are not permitted"):
            text = "unknown token attribute" if len(path) == 1 else "unknown predicate"
        text = f"{'.'.join(path)}: {text}" if path else text
        if text not in by_token.setdefault(token, []):
            by_token[token].append(text)
    for token, texts in by_token.items():
        token_loc = loc if token is None else (*loc, token)
        problems.append((token_loc, Errors.E217.format(problem="; ".join(texts))))
    if problems:
        return problems
    try:
        matcher.add("check", [tokens])
    except Exception as exc:  # spaCy raises ValueError, re.error, KeyError...
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return [(loc, Errors.E217.format(problem=first))]
    finally:
        if "check" in matcher:
            matcher.remove("check")
    return []


class _KnownValid:
    """Token patterns spaCy already accepted, remembered in the user cache folder.

    Validating needs `import spacy` (over a second); a pattern that passed once
    under the same spaCy version passes again, so `codebook validate` stays fast
    on an unchanged codebook. A missing or unreadable memo only costs time.
    """

    def __init__(self) -> None:
        import importlib.metadata as md

        from qualcode.base.userdirs import default_cache_dir

        try:
            version = md.version("spacy")
        except md.PackageNotFoundError:
            version = "?"
        self.salt = f"spacy-{version}"
        self.path = default_cache_dir() / "valid-token-patterns.txt"
        try:
            self.known = set(self.path.read_text(encoding="ascii").split())
        except (OSError, UnicodeDecodeError):
            self.known = set()
        self.added: set[str] = set()

    def key(self, tokens: list[Any]) -> str:
        import hashlib
        import json

        try:
            blob = json.dumps(tokens, sort_keys=True, ensure_ascii=True)
        except (TypeError, ValueError):
            return ""
        return hashlib.sha256(f"{self.salt}\n{blob}".encode()).hexdigest()

    def save(self) -> None:
        if not self.added:
            return
        from qualcode.base.atomic import write_file_atomic

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_file_atomic(self.path, "\n".join(sorted(self.known | self.added)) + "\n")
        except OSError:
            pass


def _check_token_patterns(raw: dict[str, Any]) -> list[tuple[Loc, str]]:
    memo = _KnownValid()
    try:
        return _check_token_patterns_with(raw, memo)
    finally:
        memo.save()


def _check_token_patterns_with(raw: dict[str, Any], memo: _KnownValid) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for loc, _, _, items in _pattern_lists(raw):
        for j, item in enumerate(items):
            tokens = item.get("tokens") if isinstance(item, dict) else None
            if (isinstance(tokens, list) and tokens
                    and all(isinstance(t, dict) and all(isinstance(k, str) for k in t) for t in tokens)):
                key = memo.key(tokens)
                if key and key in memo.known:
                    continue
                found = _check_tokens(tokens, (*loc, j, "tokens"))
                problems.extend(found)
                if key and not found:
                    memo.added.add(key)
    return problems


def _warnings(raw: dict[str, Any], context: dict[str, Any]) -> list[tuple[Loc, str]]:
    found: list[tuple[Loc, str]] = []
    found_negation = raw.get("negation")
    negation: dict[str, Any] = found_negation if isinstance(found_negation, dict) else {}
    for lang in context["languages"] or ():
        rules = negation.get(lang)
        if not (isinstance(rules, dict) and rules.get("cues")):
            loc = ("negation", lang) if lang in negation else (("negation",) if "negation" in raw else ())
            found.append((loc, Errors.W201.format(lang=lang)))
    used = {item.get("group") for _, item in _items(raw, "codes") if isinstance(item.get("group"), str)}
    for i, group in _items(raw, "groups"):
        if isinstance(group.get("id"), str) and group["id"] not in used:
            found.append((("groups", i), Errors.W202.format(group=group["id"])))
    for loc, _, _, items in _pattern_lists(raw):
        for j, item in enumerate(items):
            phrase = item.get("phrase") if isinstance(item, dict) else item
            if isinstance(phrase, str) and ("..." in phrase or "…" in phrase):
                found.append(((*loc, j), Errors.W203.format(phrase=phrase)))
    return found


# --- parsing ---------------------------------------------------------------------------

def _read_with_pyyaml(text: str, fail: Callable[[list[tuple[int, str]]], CodebookError]
                      ) -> tuple[StrictLoader, Node | None, Any]:
    """(loader, root node, data) read by PyYAML in Python; what stops the reading raises `fail(...)`."""
    try:
        loader = StrictLoader(text)
    except ReaderError as exc:  # a control character: refused before parsing
        where = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        reason = f"control character U+{code:04X} is not allowed in YAML; remove it"
        raise fail([(where, Errors.E204.format(reason=reason))]) from None
    root: Node | None = None
    try:
        root = loader.get_single_node()
        raw = loader.construct_document(root) if root is not None else None
    except _Fatal as exc:
        raise fail([*loader.problems, (exc.line, exc.message)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        reason = " ".join(str(p) for p in (getattr(exc, "context", None), getattr(exc, "problem", None)) if p)
        where = mark.line + 1 if mark else 1
        raise fail([*loader.problems, (where, Errors.E204.format(reason=reason or exc))]) from None
    finally:
        loader.dispose()
    return loader, root, raw


def parse_codebook(data: bytes | str, source: str | Path = "<string>") -> Codebook:
    """Validate a codebook given as bytes or text; `source` names it in messages."""
    path = str(source)
    raw_bytes = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw_bytes) > MAX_CODEBOOK_BYTES:
        raise CodebookError(Errors.E202.format(size=len(raw_bytes), limit=MAX_CODEBOOK_BYTES), path=path)
    sha256 = hashlib.sha256(raw_bytes).hexdigest()

    def fail(problems: list[tuple[int, str]]) -> CodebookError:
        lines = [f"{path}:{line}: {text}" for line, text in sorted(set(problems), key=lambda p: (p[0], p[1]))]
        return CodebookError(Errors.E201.format(count=len(lines)), path=path, problems=lines)

    try:
        text = normalise_text(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        at = raw_bytes[: exc.start].count(b"\n") + 1
        raise fail([(at, Errors.E204.format(reason="not UTF-8 text; save the file as UTF-8"))]) from None

    def checked(loader: StrictLoader, root: Node | None, raw: Any) -> Codebook:
        """The codebook read into `raw` (nodes from `root`), validated; every problem located and raised."""
        yaml_problems = loader.problems
        if not isinstance(raw, dict):
            what = "an empty file" if raw is None else f"a {type(raw).__name__}"
            raise fail([*yaml_problems, (1, Errors.E208.format(found=what))])

        def line(loc: Loc) -> int:
            return node_line(root, loc)

        def located(items: list[tuple[Loc, str]]) -> list[tuple[int, str]]:
            result = []
            for loc, message in items:
                if root is not None and id(_walk(root, loc)[0]) in loader.flagged:
                    continue  # the YAML problem on that node is reported already
                where = describe_loc(loc, raw)
                result.append((line(loc), f"{where}: {message}" if where else message))
            return result

        context = _context(raw)
        codebook: Codebook | None = None
        found: list[tuple[Loc, str]] = []
        try:
            codebook = Codebook.model_validate(raw, context=context)
        except ValidationError as exc:
            found.extend(translate_error(dict(error)) for error in exc.errors(include_url=False))
        found.extend(_cross_check(raw, line))
        found.extend(_check_token_patterns(raw))

        problems = yaml_problems + located(found)
        if problems or codebook is None:
            raise fail(problems)
        warnings = [f"{path}:{line_no}: {text}" for line_no, text in located(_warnings(raw, context))]
        return codebook.model_copy(update={"source_path": path, "sha256": sha256, "warnings": warnings})

    read = _read_with_libyaml(text)
    if read is not None:
        # a problem is located again on PyYAML's own nodes: libyaml puts some empty values on another line
        with contextlib.suppress(CodebookError):
            return checked(*read)
    return checked(*_read_with_pyyaml(text, fail))
