"""One folder of real inputs for every writing command, written by qualcode itself where it can.

`write_workspace(base)` makes `base/inputs/` with a corpus (the report
corpus: six English interviews), its codebook, a results folder of `code`,
an analysis folder of `analyze`, a REFI-QDA project and codebook exported
from them, an anonymised copy with its map, and a human coding. Paths in the
manifests are relative (`inputs/corpus`), as a user types them: run the
commands from `base`. `COMMANDS` builds each writing command's arguments
for a given output.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from qualcode.cli import app
from support.corpora import REPORT_CODEBOOK, write_report_corpus


def run(*args: object) -> tuple[int, str]:
    """The CLI in this process: (exit code, output)."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def run_in(folder: Path, args: list[str]) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return run(*args)
    finally:
        os.chdir(cwd)


def write_workspace(base: Path) -> Path:
    inputs = base / "inputs"
    write_report_corpus(inputs / "corpus")
    shutil.copy(REPORT_CODEBOOK, inputs / "codebook.yaml")
    steps = [
        ["code", "inputs/corpus", "-c", "inputs/codebook.yaml", "--no-cache", "-q", "--out", "inputs/results"],
        ["analyze", "inputs/corpus", "-c", "inputs/codebook.yaml", "--no-cache", "-q", "--quotes", "verbatim",
         "--out", "inputs/analysis"],
        ["export", "qdpx", "inputs/results", "--out", "inputs/project.qdpx"],
        ["export", "qdc", "inputs/codebook.yaml", "--out", "inputs/codebook.qdc"],
        ["anonymise", "inputs/corpus", "--out", "inputs/copy", "--map", "inputs/map.csv"],
    ]
    for step in steps:
        code, output = run_in(base, step)
        assert code == 0, (step, output)
    (inputs / "human.csv").write_text("segment,code\nnorth_1#t2,local_hub\n", encoding="utf-8")
    return base


Make = Callable[[str], list[str]]

#: every writing command: name -> (its arguments given the output path, folder or file, --force or not)
COMMANDS: dict[str, tuple[Make, str, bool]] = {
    "code": (lambda out: ["code", "inputs/corpus", "-c", "inputs/codebook.yaml", "--no-cache", "-q", "--out", out],
             "folder", True),
    "analyze": (lambda out: ["analyze", "inputs/corpus", "-c", "inputs/codebook.yaml", "--no-cache", "-q",
                             "--quotes", "verbatim", "--out", out], "folder", True),
    "classify": (lambda out: ["classify", "inputs/results", "--out", out], "folder", True),
    "report": (lambda out: ["report", "inputs/analysis", "--quotes", "verbatim", "--format", "md", "--out", out],
               "file", True),
    "export qdpx": (lambda out: ["export", "qdpx", "inputs/results", "--out", out], "file", True),
    "export qdc": (lambda out: ["export", "qdc", "inputs/codebook.yaml", "--out", out], "file", True),
    "export iramuteq": (lambda out: ["export", "iramuteq", "inputs/results", "--out", out], "file", True),
    "export table": (lambda out: ["export", "table", "inputs/results", "--out", out], "file", True),
    "import qdpx": (lambda out: ["import", "qdpx", "inputs/project.qdpx", "--out", out], "folder", True),
    "import qdc": (lambda out: ["import", "qdc", "inputs/codebook.qdc", "--out", out], "file", True),
    "anonymise": (lambda out: ["anonymise", "inputs/corpus", "--out", out], "folder", True),
    "anonymise --restore": (lambda out: ["anonymise", "inputs/copy", "--restore", "inputs/map.csv", "--out", out],
                            "folder", True),
    "codebook export": (lambda out: ["codebook", "export", "inputs/codebook.yaml", "--out", out], "file", False),
    "agree --csv": (lambda out: ["agree", "inputs/corpus", "--human", "inputs/human.csv", "-c", "inputs/codebook.yaml",
                                 "--no-cache", "-q", "--csv", out], "file", False),
    "diff --csv": (lambda out: ["diff", "inputs/corpus", "-c", "inputs/codebook.yaml", "-c", "inputs/codebook.yaml",
                                "--no-cache", "-q", "--csv", out], "file", False),
}
#: the name of a file output of each file command (some commands choose the format by suffix)
SUFFIX = {"export qdpx": ".qdpx", "export qdc": ".qdc", "import qdc": ".yaml", "export iramuteq": ".txt",
          "report": ".md", "codebook export": ".md"}


def forced(command: str, out: str) -> list[str]:
    """The command writing `out`, with --force when it has the option (the --csv ones replace anyway)."""
    make, _, has_force = COMMANDS[command]
    return [*make(out), *(["--force"] if has_force else [])]
