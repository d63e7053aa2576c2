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


def test_importing_qualcode_loads_the_public_api_lazily():
    code = ("import sys, qualcode; before = 'pandas' in sys.modules; qualcode.read_corpus; "
            "print(before, callable(qualcode.analyze), sorted(set(qualcode.__all__) - set(dir(qualcode))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False True []"
