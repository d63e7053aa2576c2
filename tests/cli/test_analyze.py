"""`qualcode analyze` and `qualcode report` through Typer's CliRunner.

The sample corpus is analysed once for the module (about 30 s cold, plus the
name detection for anonymised quotes), with a parse cache in a temporary
folder that the module's other runs share; everything that does not need
the real corpus runs on the tiny report corpus of support.corpora (seconds).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from qualcode.cli import app
from support.corpora import ALL_FILES, REPORT_CODEBOOK, SCRIPT, write_report_corpus
from support.html import network_references
from support.paths import SAMPLE

EPOCH = "1700000000"
CHROMIUM = Path("/usr/bin/chromium")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _siblings(folder: Path) -> list[str]:
    """Temporary or leftover folders that write_folder may have created next to `folder`."""
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("analyze-cache")


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, cache_dir):
    """`qualcode analyze sample_data/cep_study --out DIR` once, with SOURCE_DATE_EPOCH fixed."""
    out = tmp_path_factory.mktemp("analyze-sample") / "results"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.chdir(SAMPLE.parent)
        result = CliRunner().invoke(app, ["analyze", "sample_data/cep_study", "--out", str(out),
                                          "--cache-dir", str(cache_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return write_report_corpus(tmp_path_factory.mktemp("analyze-tiny") / "corpus")


def _tiny_args(tiny: Path, out: Path, *more: str) -> list[str]:
    return ["analyze", str(tiny), "--codebook", str(REPORT_CODEBOOK), "--out", str(out), "--no-cache",
            "--quiet", *more]


# --- the sample corpus ----------------------------------------------------------------------

def test_analyze_sample_writes_every_file(sample_run):
    out, _result = sample_run
    assert sorted(_files(out)) == ALL_FILES
    assert _siblings(out) == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["created"] == "2023-11-14T22:13:20Z"
    assert manifest["corpus"]["path"] == "sample_data/cep_study" and manifest["corpus"]["interviews"] == 27
    assert manifest["codebook"]["bundled"] is True and manifest["codebook"]["path"] == ""
    assert manifest["report"]["options"] == {"formats": ["html", "md", "json", "csv"], "lang": "fr",
                                             "quotes": "anonymised"}
    for name, content in _files(out).items():
        if name != "manifest.json":
            assert manifest["outputs"][name] == hashlib.sha256(content).hexdigest(), name
    table = (out / "classification.csv").read_text(encoding="utf-8").splitlines()
    assert table[0].startswith("case,interviews,verdict,runner_up,score_C1,score_C2,score_C3,margin,stability")
    assert len(table) == 7


def test_analyze_sample_prints_a_readable_terminal_report(sample_run):
    _, result = sample_run
    text = result.stdout
    assert "\x1b[" not in text  # piped: no colour
    assert not re.search("[\u2500-\u257f]", text)  # nor boxes
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "27 interviews, 6 cases by area" in text
    assert "castelmont/castelmont_cap_emploi.txt" in text and "W101" in text  # the reader's cp1252 warning
    for case in ("ambrieres", "brevanne", "castelmont", "lisere", "saint_orbe", "sorlin"):
        assert case in text
    assert re.search(r"#t\d+", text)  # quotes with their segment ids
    assert "wrote 9 files" in result.stderr


def test_analyze_sample_html_has_no_network_reference(sample_run):
    out, _ = sample_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert network_references(html) == []
    for attribute in re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html):
        assert attribute.startswith("#"), attribute
    assert "url(" not in html


def test_analyze_sample_quotes_are_pseudonymised_in_the_files(sample_run):
    out, _result = sample_run
    html = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "[PERSON" in html or "[PLACE" in html or "[ORG" in html
    assert "pseudonymisés" in html and "pseudonymisés" in markdown
    assert "tels quels" not in html


def test_two_runs_give_byte_identical_folders(sample_run, cache_dir, tmp_path, monkeypatch):
    out, _ = sample_run
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(SAMPLE.parent)
    again = tmp_path / "again"
    result = CliRunner().invoke(app, ["analyze", "sample_data/cep_study", "--out", str(again),
                                      "--cache-dir", str(cache_dir), "--quiet"])
    assert result.exit_code == 0, result.output
    first, second = _files(out), _files(again)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], name


def test_report_command_reproduces_report_md(sample_run, monkeypatch, tmp_path):
    out, _ = sample_run
    monkeypatch.chdir(SAMPLE.parent)  # the manifest's corpus path is relative to where analyze ran
    result = CliRunner().invoke(app, ["report", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.encode("utf-8") == (out / "report.md").read_bytes()
    target = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(out), "--format", "html", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == (out / "report.html").read_bytes()
    again = CliRunner().invoke(app, ["report", str(out), "--format", "html", "--out", str(target)])
    assert again.exit_code == 2 and "[E437]" in again.output


def test_report_command_verbatim_and_english(sample_run):
    out, _ = sample_run
    result = CliRunner().invoke(app, ["report", str(out), "--format", "md", "--quotes", "verbatim",
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Analysis report — ")
    assert "verbatim (not pseudonymised)" in result.stdout


def test_terminal_report_of_the_sample_fits_100_columns(sample_run):
    from qualcode.report.terminal import render_terminal
    from qualcode.workflows.report import load_report

    out, _ = sample_run
    report, _ = load_report(out, quotes="verbatim")
    for plain in (False, True):
        console = Console(file=io.StringIO(), width=100, color_system=None)
        console.print(render_terminal(report, plain=plain))
        lines = console.file.getvalue().splitlines()
        assert max(len(line) for line in lines) <= 100
        assert len(lines) > 50


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("QUALCODE_BROWSER_TEST"),
                    reason="needs Debian's chromium (make browser-test installs it)")
def test_chromium_renders_report_html_without_console_errors(sample_run, tmp_path):
    out, _ = sample_run
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", "--dump-dom",
               (out / "report.html").resolve().as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    for heading in ("<h1>Rapport d'analyse", "<h2>Synthèse</h2>", "<h2>Méthode</h2>",
                    "<h2>Classification des cas</h2>", "<h2>Thèmes par cas</h2>", "<h2>Les cas un par un</h2>",
                    "<h2>Avertissements</h2>", "<h2>Annexe : la grille de codage</h2>",
                    '<h3><span class="name">ambrieres'):
        assert heading in dom, heading
    assert dom.count('<svg class="network"') == 6
    bad = [line for line in done.stderr.splitlines()
           if "Uncaught" in line or "ERROR:CONSOLE" in line or "Refused to" in line]
    assert bad == []


# --- the tiny corpus ------------------------------------------------------------------------

@pytest.mark.parametrize("formats, expected", [
    ("md", ["manifest.json", "report.md"]),
    ("json,html", ["classification.json", "manifest.json", "report.html"]),
    ("csv", ["case_matrix.csv", "classification.csv", "codings.csv", "evidence.csv", "manifest.json",
             "segments.csv"]),
])
def test_format_writes_only_the_selected_files(runner, tiny, tmp_path, formats, expected):
    out = tmp_path / "out"
    result = runner.invoke(app, _tiny_args(tiny, out, "--format", formats, "--quotes", "verbatim"))
    assert result.exit_code == 0, result.output
    assert sorted(_files(out)) == expected


def test_unknown_format_is_a_usage_error(runner, tiny, tmp_path):
    result = runner.invoke(app, _tiny_args(tiny, tmp_path / "out", "--format", "html,pdf"))
    assert result.exit_code == 2 and "[E430]" in result.output
    assert not (tmp_path / "out").exists()


def test_script_in_a_transcript_is_escaped_in_both_reports(runner, tiny, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, _tiny_args(tiny, out))  # default: anonymised quotes
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html.lower()
    assert re.search(r"<blockquote><p>[^<]*&lt;script&gt;alert\(1\)&lt;/script&gt;", html)
    assert "\\<script\\>alert(1)\\</script\\>" in markdown and SCRIPT not in markdown
    assert "Garnier" not in html and "Garnier" not in markdown  # pseudonymised by default
    assert SCRIPT in result.stdout and "Garnier" in result.stdout  # the screen is verbatim


def test_quotes_anonymised_on_screen_when_asked(runner, tiny):
    result = runner.invoke(app, ["analyze", str(tiny), "--codebook", str(REPORT_CODEBOOK), "--no-cache",
                                 "--quiet", "--quotes", "anonymised"])
    assert result.exit_code == 0, result.output
    assert "Garnier" not in result.stdout and "[PERSON 1]" in result.stdout


def test_name_lists_reach_the_quotes_the_manifest_and_report(runner, tiny, tmp_path):
    keep, names = tmp_path / "keep.txt", tmp_path / "replace.txt"
    keep.write_text("Garnier\n", encoding="utf-8")
    names.write_text("Cap emploi\tORG\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, _tiny_args(tiny, out, "--keep", str(keep), "--replace", str(names)))
    assert result.exit_code == 0, result.output
    markdown = (out / "report.md").read_text(encoding="utf-8")
    quotes = "\n".join(line for line in markdown.splitlines() if line.startswith("> "))
    assert "Garnier" in quotes and "Cap emploi" not in quotes and "\\[ORG 1\\]" in quotes
    options = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["report"]["options"]
    assert options["keep"] == {"path": str(keep), "sha256": hashlib.sha256(keep.read_bytes()).hexdigest()}
    assert options["replace"]["path"] == str(names)
    again = runner.invoke(app, ["report", str(out), "--format", "md"])  # the recorded lists
    assert again.exit_code == 0, again.output
    assert again.stdout == markdown
    keep.unlink()
    gone = runner.invoke(app, ["report", str(out), "--format", "md"])
    assert gone.exit_code == 2 and "[E440]" in gone.output


def test_without_out_only_the_terminal_report(runner, tiny, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["analyze", str(tiny), "-c", str(REPORT_CODEBOOK), "--no-cache", "--quiet",
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "C1  Local coordination" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_failing_renderer_leaves_no_folder(runner, tiny, tmp_path, monkeypatch):
    import qualcode.report.html

    def boom(report):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(qualcode.report.html, "render_html", boom)
    out = tmp_path / "out"
    result = runner.invoke(app, _tiny_args(tiny, out, "--quotes", "verbatim"))
    assert result.exit_code == 1 and "internal error" in result.output
    assert not out.exists() and _siblings(out) == []


def test_a_failing_renderer_keeps_the_previous_folder(runner, tiny, tmp_path, monkeypatch):
    import qualcode.report.html

    out = tmp_path / "out"
    assert runner.invoke(app, _tiny_args(tiny, out, "--quotes", "verbatim")).exit_code == 0
    before = _files(out)
    monkeypatch.setattr(qualcode.report.html, "render_html", lambda report: 1 / 0)
    result = runner.invoke(app, _tiny_args(tiny, out, "--quotes", "verbatim", "--force", "--lang", "en"))
    assert result.exit_code == 1
    assert _files(out) == before and _siblings(out) == []


def test_an_existing_folder_needs_force(runner, tiny, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    (out / "old.csv").write_text("old", encoding="utf-8")
    result = runner.invoke(app, _tiny_args(tiny, out))
    assert result.exit_code == 2 and "[E402]" in result.output
    assert sorted(_files(out)) == ["manifest.json", "old.csv"]
    result = runner.invoke(app, _tiny_args(tiny, out, "--force", "--quotes", "verbatim"))
    assert result.exit_code == 0, result.output
    assert sorted(_files(out)) == ALL_FILES  # replaced as a whole


def test_force_never_replaces_a_folder_that_is_not_a_results_folder(runner, tiny, tmp_path):
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    result = runner.invoke(app, _tiny_args(tiny, out, "--force"))
    assert result.exit_code == 2 and "[E439]" in result.output
    assert _files(out) == {"thesis.docx": b"precious"}
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, _tiny_args(tiny, empty, "--force", "--quotes", "verbatim")).exit_code == 0


def test_out_that_overlaps_the_corpus_is_refused(runner, tmp_path):
    corpus = write_report_corpus(tmp_path / "study" / "corpus")
    before = _files(corpus)
    for out, relation in ((corpus / "results", "is inside"), (corpus, "is"), (tmp_path / "study", "contains")):
        result = runner.invoke(app, _tiny_args(corpus, out, "--force"))
        assert result.exit_code == 2 and "[E433]" in result.output and relation in result.output
    assert not (corpus / "results").exists()
    assert _files(corpus) == before


def test_unknown_lang_is_refused_before_coding(runner, tiny, tmp_path):
    result = runner.invoke(app, _tiny_args(tiny, tmp_path / "out", "--lang", "de"))
    assert result.exit_code == 2 and "[E432]" in result.output


def test_report_needs_the_data_files(runner, tiny, tmp_path):
    out = tmp_path / "out"
    assert runner.invoke(app, _tiny_args(tiny, out, "--format", "html", "--quotes", "verbatim")).exit_code == 0
    result = runner.invoke(app, ["report", str(out), "--format", "md", "--quotes", "verbatim"])
    assert result.exit_code == 2 and "[E434]" in result.output


def test_report_anonymised_needs_the_corpus(runner, tiny, tmp_path):
    out = tmp_path / "out"
    copy = tmp_path / "corpus-copy"
    shutil.copytree(tiny, copy)
    assert runner.invoke(app, _tiny_args(copy, out, "--quotes", "verbatim")).exit_code == 0
    shutil.rmtree(copy)
    result = runner.invoke(app, ["report", str(out), "--format", "md"])
    assert result.exit_code == 2 and "[E435]" in result.output
    result = runner.invoke(app, ["report", str(out), "--format", "md", "--corpus", str(tiny)])
    assert result.exit_code == 0, result.output
    assert "[PERSON 1]" in result.stdout.replace("\\", "")
    assert runner.invoke(app, ["report", str(out), "--format", "pdf"]).exit_code == 2


def test_analyze_help_lists_the_options(runner):
    result = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    for option in ("--codebook", "--by", "--unit", "--out", "--format", "--workers", "--quiet", "--force",
                   "--min-interviews", "--margin", "--min-score", "--measure", "--pipeline", "--metadata",
                   "--no-cache", "--cache-dir", "--quotes", "--lang", "--keep", "--replace"):
        assert option in result.output, option


def test_an_anonymised_copy_is_analysed_with_verbatim_quotes(runner, tiny, tmp_path):
    """Its quotes are pseudonymised already: the message says --quotes verbatim, not 'anonymise the originals'."""
    copy = tmp_path / "copy"
    done = runner.invoke(app, ["anonymise", str(tiny), "--out", str(copy)])
    assert done.exit_code == 0, done.output
    result = runner.invoke(app, _tiny_args(copy, tmp_path / "out"))
    assert result.exit_code == 2, result.output
    assert "[E441]" in result.stderr and "--quotes verbatim" in result.stderr and "[E706]" not in result.stderr
    assert not (tmp_path / "out").exists()
    result = runner.invoke(app, _tiny_args(copy, tmp_path / "out", "--quotes", "verbatim"))
    assert result.exit_code == 0, result.output


ENGLISH = re.compile(r"\b(the|and|with|without|of|by|turn|turns|accurate|fast|lookups?|interviews?|area|pipeline|"
                     r"warning|re-save|file|files|case|cases|stability|margin|themes?|providers?|quotes?)\b",
                     flags=re.I)


def test_french_report_has_no_raw_value_nor_english_word(sample_run):
    """Outside quotes, codes (ids, file names, digests) and the drawings' hidden titles, every word of the
    French report is French: no "turn", "accurate", "par area", no English warning."""
    out, _ = sample_run
    html = (out / "report.html").read_text(encoding="utf-8")
    body = html[html.index("<body"):]
    for pattern in (r"<blockquote>.*?</blockquote>", r"<code>.*?</code>", r"<title>.*?</title>", r"<style>.*?</style>",
                    r"<[^>]+>"):
        body = re.sub(pattern, " ", body, flags=re.S)
    found = sorted({m.group(0).lower() for m in ENGLISH.finditer(body)})
    assert found == [], found
    markdown = (out / "report.md").read_text(encoding="utf-8")
    text = re.sub(r"`[^`]*`|^> .*$", " ", markdown, flags=re.M)
    assert sorted({m.group(0).lower() for m in ENGLISH.finditer(text)}) == []
