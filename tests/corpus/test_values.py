"""Values that Python cannot hold are bad input, not bugs: one line naming the file and the line, exit 2.

A date that does not exist (`2024-02-30`), an integer of more than 4,300
digits (Python's limit on reading text as a number) and a `"\\ud800"` escape
(half a character) used to escape PyYAML as ValueError or, later, as a
UnicodeEncodeError when a file was written: exit 1 and no file named. In
front matter, in codebooks, read by the library and through the CLI, in a
real process too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from qualcode.codebook import parse_codebook
from qualcode.corpus import read_corpus
from qualcode.errors import CodebookError, CorpusError
from support.paths import TESTS_DATA

MINIMAL = TESTS_DATA / "codebooks" / "minimal.yaml"

#: (front matter line 4, what the message says)
BAD_VALUES = {
    "date": ("date: 2024-02-30", "is not a valid date"),
    "digits": ("count: " + "7" * 5000, "5000 digits"),
    "surrogate": ('note: "\\ud800"', "lone surrogate"),
    "surrogate-key": ('"\\udc80": x', "lone surrogate"),
    "date-in-list": ("dates: [2024-01-01, 2023-13-01]", "is not a valid date"),
}


def _transcript(folder: Path, line: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.md").write_text(f"---\nid: a\narea: north\n{line}\n---\n\nQ : Bonjour.\n\nR : Oui.\n",
                                 encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind", sorted(BAD_VALUES))
def test_a_bad_front_matter_value_names_the_file_and_the_line(tmp_path, kind):
    line, said = BAD_VALUES[kind]
    folder = _transcript(tmp_path / "corpus", line)
    with pytest.raises(CorpusError, match=r"\[E109\]") as caught:
        read_corpus(folder)
    assert caught.value.path is not None and caught.value.path.endswith("a.md")
    assert caught.value.line == 4 and said in caught.value.message


@pytest.mark.parametrize("command", [["corpus"], ["corpus", "--json"], ["code", "--pipeline", "fast", "--no-cache"]])
@pytest.mark.parametrize("kind", ["date", "digits", "surrogate"])
def test_through_the_cli_exit_2_one_line(tmp_path, command, kind):
    folder = _transcript(tmp_path / "corpus", BAD_VALUES[kind][0])
    args = [command[0], str(folder), *command[1:]]
    if command[0] == "code":
        args += ["--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "a.md:4: [E109]" in lines[0] and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_quoted_value_is_text_and_reads(tmp_path):
    folder = _transcript(tmp_path / "corpus", "date: '2024-02-30'")
    assert read_corpus(folder)["a"].get("date") == "2024-02-30"


def test_a_real_date_and_a_long_but_possible_number_still_read(tmp_path):
    folder = _transcript(tmp_path / "corpus", "date: 2024-02-29\ncount: " + "9" * 4000)
    interview = read_corpus(folder)["a"]
    assert interview.get("date") == "2024-02-29" and interview.get("count") == "9" * 4000


@pytest.mark.parametrize("old, new, said", [
    ('version: "0.1.0"', "version: " + "1" * 5000, "5000 digits"),
    ("name: minimal", 'name: "\\ud800"', "lone surrogate"),
    ("  en: Minimal codebook", '  en: "ok \\udfff"', "lone surrogate"),
])
def test_a_codebook_value_python_cannot_hold_is_a_problem_with_its_line(old, new, said):
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    line = bad[:bad.index(new)].count("\n") + 1
    with pytest.raises(CodebookError) as caught:
        parse_codebook(bad, source="book.yaml")
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"book.yaml:{line}: [E204]") and said in caught.value.problems[0]


def test_a_codebook_value_error_in_a_real_process(tmp_path):
    book = tmp_path / "book.yaml"
    book.write_text(MINIMAL.read_text(encoding="utf-8").replace('version: "0.1.0"', "version: " + "1" * 5000),
                    encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "qualcode", "codebook", "validate", str(book)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "book.yaml:3: [E204]" in done.stderr and "Traceback" not in done.stderr
