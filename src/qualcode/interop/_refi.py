"""What the REFI-QDA exports share: the code tree, XML writing and schema validation.

The code tree is the same in a `.qdc` codebook and in a `.qdpx` project, with
the same GUIDs, so that a program that imported one recognises the codes of
the other:

* each group of the codebook is a non-codable parent code (a folder) named
  after its label in the codebook's first language;
* each theme code is a codable child of its group, named after its label,
  with its definition as `Description`;
* the actors (providers) are codable children of one more folder,
  "Opérateurs" (French codebooks) or "Providers" (English ones);
* colours are derived from the ids (`_ids.colour`), GUIDs too (`_ids.guid`).

Documents are validated against the official schemas (`schemas/`, the
QDA-XML 1.0 XSDs) before they are written: an invalid document is a bug.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from qualcode.interop._ids import colour, guid
from qualcode.interop._safe import xml_text

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
ACTORS_FOLDER = {"fr": "Opérateurs", "en": "Providers"}
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$")
EPOCH = "1980-01-01T00:00:00Z"


def origin() -> str:
    from qualcode import __version__

    return f"qualcode {__version__}"


def xml_datetime(value: str) -> str:
    """A manifest time as `xs:dateTime` (with the `T`), or 1980-01-01 if it is not one."""
    text = (value or "").strip().replace(" ", "T", 1)
    return text if _DATETIME.match(text) else EPOCH


@dataclass
class CodeNode:
    """One code of the exported tree; `key` is (kind, qualcode id)."""

    guid: str
    name: str
    codable: bool
    color: str
    key: tuple[str, str]
    description: str = ""
    children: list[CodeNode] = field(default_factory=list)

    def walk(self) -> Iterable[CodeNode]:
        yield self
        for node in self.children:
            yield from node.walk()


def code_tree(codebook: Codebook, *, actors: bool = True) -> list[CodeNode]:
    """The codebook as REFI-QDA codes: groups as folders, then the providers' folder."""
    lang = codebook.languages[0]
    name = codebook.name
    roots: list[CodeNode] = []
    for group_id, codes in codebook.codes_by_group().items():
        group = codebook.group(group_id)
        folder = CodeNode(guid("group", name, group_id), group.label[lang], False,
                          colour(f"group:{group_id}"), ("group", group_id))
        for code in codes:
            folder.children.append(CodeNode(
                guid("code", name, code.id), code.label[lang], True, colour(f"code:{code.id}"),
                ("theme", code.id), code.definition.get(lang, "")))
        roots.append(folder)
    if actors and codebook.actors:
        folder = CodeNode(guid("actors", name), ACTORS_FOLDER.get(lang, ACTORS_FOLDER["en"]), False,
                          colour("actors"), ("folder", "actors"))
        for actor in codebook.actors:
            folder.children.append(CodeNode(guid("actor", name, actor.id), actor.label[lang], True,
                                            colour(f"actor:{actor.id}"), ("actor", actor.id)))
        roots.append(folder)
    return roots


def q(ns: str, tag: str) -> str:
    """Element names are written bare; `root(ns, ...)` declares the default namespace."""
    return tag


def root_element(ns: str, tag: str, attrib: dict[str, str]) -> Element:
    """The root with `xmlns` first: ElementTree cannot write a default namespace with
    unprefixed attributes, so it is written as a plain attribute."""
    return Element(tag, {"xmlns": ns, **attrib})


def code_element(parent: Element, node: CodeNode, ns: str) -> Element:
    """`<Code>` with its `Description` and child codes (the order both schemas require)."""
    attributes = {"guid": node.guid, "name": xml_text(node.name),
                  "isCodable": "true" if node.codable else "false"}
    if node.color:  # optional: a code imported without one gets none back
        attributes["color"] = node.color
    element = SubElement(parent, q(ns, "Code"), attributes)
    if node.description.strip():
        SubElement(element, q(ns, "Description")).text = xml_text(node.description)
    for child in node.children:
        code_element(element, child, ns)
    return element


def serialise(root: Element, ns: str) -> bytes:
    """UTF-8 XML without BOM, indented (the root carries the default namespace)."""
    indent(root, space="  ")
    body = tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


@lru_cache(maxsize=2)
def _schema(name: str) -> Any:
    import xmlschema

    return xmlschema.XMLSchema10(str(SCHEMAS / name))


def schema_errors(data: bytes, kind: str) -> list[str]:
    """Problems of a document against Project.xsd (`project`) or Codebook.xsd (`codebook`)."""
    schema = _schema("Project.xsd" if kind == "project" else "Codebook.xsd")
    from xml.etree.ElementTree import fromstring

    return [str(error.reason or error) for error in schema.iter_errors(fromstring(data))]


def check_valid(data: bytes, kind: str) -> None:
    """Raise (a bug, exit 1) when a document qualcode wrote is not schema-valid."""
    problems = schema_errors(data, kind)
    if problems:
        raise RuntimeError(f"the {kind} document is not valid against its XSD: {problems[0]}")
