"""The layout keeps its promises: imports go down the layers, no circle, nothing heavy at start-up.

docs/architecture.md draws the layers; these tests read the source with `ast`
and run a fresh interpreter, so that a change that breaks a rule fails here
rather than in a newcomer's head.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import ROOT

SOURCE = ROOT / "src" / "qualcode"
#: the layers of docs/architecture.md, from the bottom up
LAYER = {
    "errors": 0, "defaults": 0, "version": 0, "base": 0,
    "corpus": 1, "codebook": 1,
    "nlp": 2, "coding": 2,
    "classification": 3, "validation": 3,
    "results": 4, "learning": 4,
    "report": 5, "interop": 5, "anonymise": 5, "workbench": 5,
    "workflows": 6,
    "cli": 7,
    "__init__": 8, "__main__": 8,
}
#: the only modules that may lie in src/qualcode/ outside a package
TOP_LEVEL = {"__init__.py", "__main__.py", "errors.py", "defaults.py", "version.py", "py.typed"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module(p): p for p in sorted(SOURCE.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every qualcode import, in functions too, outside `if TYPE_CHECKING:`."""
    found: list[tuple[int, str]] = []

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
                visit(node.orelse)
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qualcode"):
                found.append((node.lineno, node.module))
                found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names
                             if f"{node.module}.{a.name}" in MODULES)
            elif isinstance(node, ast.Import):
                found.extend((node.lineno, a.name) for a in node.names if a.name.startswith("qualcode"))
            for field in ("body", "orelse", "finalbody", "handlers"):
                children = getattr(node, field, None)
                if isinstance(children, list):
                    visit(children)

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def test_no_module_lies_outside_a_package():
    loose = sorted(p.name for p in SOURCE.iterdir() if p.is_file() and p.name not in TOP_LEVEL)
    assert loose == []


def test_every_package_has_a_layer():
    packages = sorted(p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert [p for p in packages if p not in LAYER] == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_the_layers(module):
    path = MODULES[module]
    mine = path.relative_to(SOURCE).parts[0].removesuffix(".py")
    upward = [f"line {line}: {name}" for line, name in _imports(path)
              if name.count(".") >= 1 and LAYER.get(name.split(".")[1], 99) > LAYER[mine]]
    assert upward == [], f"{module} imports from a higher layer"


def test_no_import_circle():
    graph = {m: {name for _, name in _imports(p) if name in MODULES and name != m} for m, p in MODULES.items()}
    state: dict[str, int] = {}
    circles: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert circles == []


def test_the_command_line_starts_without_spacy_pandas_or_numpy():
    code = ("import sys, qualcode.cli; heavy = sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('spacy', 'pandas', 'numpy', 'sklearn', 'thinc')); print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


#: what a run of `qualcode` prints the modules it imported with, after the command is done
_MODULES_AFTER = """
import sys
from qualcode.cli import main
out, sys.argv = sys.argv[1], ["qualcode", *sys.argv[2:]]
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
with open(out, "w", encoding="utf-8") as f:
    f.write("\\n".join(sorted(sys.modules)))
"""
#: libraries that none of these commands needs (pydantic comes with Typer's option parsing)
_HEAVY = ("spacy", "thinc", "pandas", "numpy", "sklearn", "distributed", "openpyxl", "odf", "charset_normalizer")


def _modules_after(tmp_path: Path, *args: str) -> set[str]:
    """The modules a `qualcode ARGS` process has imported when the command ends (a fresh interpreter)."""
    out = tmp_path / "modules.txt"
    subprocess.run([sys.executable, "-c", _MODULES_AFTER, str(out), *args], capture_output=True, text=True,
                   check=True)
    return set(out.read_text(encoding="utf-8").split())


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def _command_modules() -> set[str]:
    from qualcode.cli.app import COMMANDS

    return {module for module, _, _ in COMMANDS.values()}


def test_version_makes_no_command(tmp_path):
    modules = _modules_after(tmp_path, "--version")
    assert not modules & _command_modules()
    assert not _top(modules) & {*_HEAVY, "pydantic", "yaml", "docx", "webvtt"}


def test_help_lists_every_command_without_the_heavy_libraries(tmp_path):
    modules = _modules_after(tmp_path, "--help")
    assert {"qualcode.cli.analyze", "qualcode.cli.corpus", "qualcode.cli.codebook"} <= modules
    assert not _top(modules) & {*_HEAVY, "yaml", "docx", "webvtt"}


def test_corpus_imports_only_the_readers_of_its_formats(tmp_path):
    """A folder of Markdown transcripts: YAML for the front matter, no .docx/.odt/.vtt reader, no codebook."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a", "b"):
        (corpus / f"{name}.md").write_text(f"---\nid: {name}\n---\n\nQ : Bonjour ?\n\nR : Oui, le CEP.\n",
                                           encoding="utf-8")
    modules = _modules_after(tmp_path, "corpus", str(corpus))
    assert "yaml" in modules and "qualcode.corpus.read" in modules
    assert not _top(modules) & {*_HEAVY, "docx", "webvtt", "lxml"}
    assert not {m for m in modules if m.startswith(("qualcode.codebook", "qualcode.nlp", "qualcode.coding"))}
    assert modules & _command_modules() == {"qualcode.cli.corpus"}  # only the command that runs is made


def test_codebook_validate_on_a_remembered_codebook_needs_no_yaml(tmp_path, monkeypatch):
    """The second validation of the same bytes reloads the memo: no PyYAML, no parser, no spaCy."""
    monkeypatch.setenv("QUALCODE_CACHE_DIR", str(tmp_path / "cache"))
    first = _modules_after(tmp_path, "codebook", "validate")
    assert "qualcode.codebook.parse" in first  # parsed, then remembered
    modules = _modules_after(tmp_path, "codebook", "validate")
    assert "qualcode.codebook.load" in modules
    assert not _top(modules) & {*_HEAVY, "yaml", "docx", "webvtt"}
    assert "qualcode.codebook.parse" not in modules
    assert modules & _command_modules() == {"qualcode.cli.codebook"}


def test_importing_qualcode_loads_the_public_api_lazily():
    code = ("import sys, qualcode; before = 'pandas' in sys.modules; qualcode.read_corpus; "
            "print(before, callable(qualcode.analyze), sorted(set(qualcode.__all__) - set(dir(qualcode))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False True []"
