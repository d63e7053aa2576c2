"""The documentation keeps up with the code (in the spirit of sqlite-utils' test_docs.py).

* Every command and subcommand of `qualcode` has help text, and is mentioned
  in README.md or in a docs/*.md file as `qualcode <command>` or `qualcode
  <group> <sub>`. Hidden commands (the `anonymize` spelling) are exempt.
* Every `import qualcode...` or `from qualcode... import X` line in the fenced
  Python blocks of README.md and docs/*.md resolves: the module imports, and
  each name it imports exists there.

Each command and each imported name is its own test, so that a failure names
what is missing and where.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
import typer

from qualcode.cli.app import app
from support.paths import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: a fenced Python block, its opening line included (to number the lines)
FENCE = re.compile(r"^```[ \t]*(?:python3?|py|pycon)\b[^\n]*\n(.*?)^```", re.M | re.S)
PROMPT = re.compile(r"^(?:>>>|\.\.\.) ?")


def _where(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- the command tree ---------------------------------------------------------------

def _visible_commands() -> list[tuple[tuple[str, ...], object]]:
    """(words after `qualcode`, command) for every command that is not hidden, groups first.

    Typer may vendor click, so a group is recognised by its `commands`, not by its class.
    """
    found: list[tuple[tuple[str, ...], object]] = []

    def walk(command: object, words: tuple[str, ...]) -> None:
        for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
            if getattr(sub, "hidden", False):
                continue  # hidden: exempt, and so is everything under it
            found.append(((*words, name), sub))
            walk(sub, (*words, name))

    walk(typer.main.get_command(app), ())
    return found


ROOT_COMMAND = typer.main.get_command(app)
COMMANDS = _visible_commands()
DOCS_TEXT = "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


def test_the_command_tree_and_the_snippets_are_found():
    """The checks below are parametrized: make sure they have something to check."""
    words = {w for w, _ in COMMANDS}
    assert {("analyze",), ("codebook",), ("codebook", "validate"), ("export", "qdpx")} <= words
    assert ("anonymize",) not in words  # hidden
    assert len(SNIPPET_IMPORTS) >= 10


@pytest.mark.parametrize("words, command", [((), ROOT_COMMAND), *COMMANDS],
                         ids=["qualcode", *("qualcode " + " ".join(w) for w, _ in COMMANDS)])
def test_command_has_help(words, command):
    text = (command.help or command.short_help or "").strip()
    assert text, f"`{' '.join(('qualcode', *words))}` has no help text (give its function a docstring)"


@pytest.mark.parametrize("words", [w for w, _ in COMMANDS], ids=["qualcode " + " ".join(w) for w, _ in COMMANDS])
def test_command_is_documented(words):
    mention = re.compile(r"\bqualcode\s+" + r"\s+".join(map(re.escape, words)) + r"(?![\w-])")
    assert mention.search(DOCS_TEXT), (
        f"`qualcode {' '.join(words)}` is mentioned in none of README.md, docs/*.md")


# --- the imports of the Python snippets ---------------------------------------------

def _import_statements(code: str) -> list[tuple[int, str]]:
    """(line in the block, statement) for each import line, parenthesised ones joined."""
    statements: list[tuple[int, str]] = []
    lines = [PROMPT.sub("", line) for line in code.splitlines()]
    n = 0
    while n < len(lines):
        stripped = lines[n].strip()
        if re.match(r"(?:import|from)\s+\S", stripped):
            start, statement = n, stripped
            while statement.count("(") > statement.count(")") and n + 1 < len(lines):
                n += 1
                statement += " " + lines[n].strip()
            statements.append((start, statement))
        n += 1
    return statements


def _snippet_imports() -> list[tuple[str, str, str | None, str]]:
    """(place, module, name or None, statement) for every qualcode import in a fenced Python block."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            first_line = text.count("\n", 0, block.start(1)) + 1
            for offset, statement in _import_statements(block.group(1)):
                place = f"{_where(path)}:{first_line + offset}"
                try:
                    node = ast.parse(statement).body[0]
                except SyntaxError:
                    found.append((place, statement, None, statement))  # fails in the test, with its place
                    continue
                if isinstance(node, ast.Import):
                    found += [(place, alias.name, None, statement) for alias in node.names
                              if alias.name.split(".")[0] == "qualcode"]
                elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "qualcode":
                    found += [(place, node.module, None if alias.name == "*" else alias.name, statement)
                              for alias in node.names]
    return found


SNIPPET_IMPORTS = _snippet_imports()


@pytest.mark.parametrize(
    "place, module, name, statement", SNIPPET_IMPORTS,
    ids=[f"{place}:{module}" + (f":{name}" if name else "") for place, module, name, _ in SNIPPET_IMPORTS])
def test_snippet_import_resolves(place, module, name, statement):
    try:
        ast.parse(statement)
    except SyntaxError as exc:
        pytest.fail(f"{place}: `{statement}` is not a valid import: {exc.msg}")
    try:
        imported = importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(f"{place}: `{statement}`: module {module} does not import: {exc}")
    if name is None or hasattr(imported, name):
        return
    try:
        importlib.import_module(f"{module}.{name}")  # `from package import submodule`
    except ImportError:
        pytest.fail(f"{place}: `{statement}`: {module} has no {name!r}")


# --- dotted names in the prose ---------------------------------------------------------

#: a `qualcode.x.y` name written in backticks in the prose (a module, or a name in one)
DOTTED = re.compile(r"`(qualcode(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
REFERENCES = sorted({(f"{_where(path)}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1))
                     for path in DOCS for text in [path.read_text(encoding="utf-8")]
                     for m in DOTTED.finditer(text)})


def test_the_prose_names_some_library_objects():
    assert len(REFERENCES) > 5


@pytest.mark.parametrize("place, dotted", REFERENCES, ids=[f"{p}:{d}" for p, d in REFERENCES])
def test_a_dotted_name_in_the_prose_exists(place, dotted):
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):  # the longest importable module, then attributes
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                pytest.fail(f"{place}: `{dotted}`: no {attribute!r} in {'.'.join(parts[:cut])}")
            found = getattr(found, attribute)
        return
    pytest.fail(f"{place}: `{dotted}` names no module")
