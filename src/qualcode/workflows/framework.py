"""`qualcode export framework` and `qualcode import framework`: the framework matrix out, its summaries back.

    import qualcode

    done = qualcode.export_framework("results/demo", "framework.xlsx", quotes="verbatim")
    done.table                                    # cases × themes, a DataFrame
    qualcode.import_framework("results/demo", "framework.xlsx")   # summaries -> memos.md -> the reports

The summaries come back as `case` memos titled `summary` in the results
folder's memos.md (`qualcode.results.memos`): a summary replaces the memo
with the same case and title, every other memo stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from qualcode.errors import Errors, UsageError
from qualcode.workbench.framework import CASE, SUMMARY, framework_markdown, framework_table, read_summaries
from qualcode.workbench.table import CONFIGURATION, Workbench, open_workbench

if TYPE_CHECKING:
    from qualcode.report.data import QuoteFilter

SUFFIXES = (".xlsx", ".md")


@dataclass
class FrameworkExport:
    """What `export_framework` wrote."""

    table: pd.DataFrame
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)


def _quotes(bench: Workbench, mode: str, corpus: Path | str | None, metadata: Path | str | None) -> QuoteFilter:
    """The reports' quote filter: verbatim, or pseudonymised over the corpus the results were coded from."""
    from qualcode.errors import ReportError
    from qualcode.report.data import ANONYMISED, VERBATIM_QUOTES, check_quotes, quote_filter
    from qualcode.results.folder import ResultsFolder

    check_quotes(mode)
    if mode != ANONYMISED:
        return VERBATIM_QUOTES
    results = ResultsFolder(bench.folder)
    where = Path(corpus) if corpus is not None else Path(results.corpus_path)
    if not (results.corpus_path or corpus) or not where.exists():
        raise ReportError(Errors.E435.format(corpus=where))
    table = metadata if metadata is not None else results.options.get("metadata")
    check = results.read_corpus(where, str(table) if table else None)
    return quote_filter(check.corpus, ANONYMISED, codebook=bench.codebook)


def export_framework(results: Path | str, out: Path | str, *, quotes: str = "anonymised", per_cell: int = 2,
                     corpus: Path | str | None = None, metadata: Path | str | None = None,
                     codebook: Path | str | None = None, force: bool = False) -> FrameworkExport:
    """Write the framework matrix to FILE.xlsx (one sheet, read back by `import_framework`) or FILE.md.

    Quotes are pseudonymised by default, as in the reports (`quotes`:
    anonymised or verbatim). The output guard runs first.
    """
    from qualcode.base.atomic import write_file
    from qualcode.base.guard import FRAMEWORK, guard_output
    from qualcode.interop.table import table_to_xlsx
    from qualcode.results.folder import ResultsFolder, results_inputs

    out = Path(out)
    if out.suffix.lower() not in SUFFIXES:
        raise UsageError(Errors.E472.format(suffix=out.suffix, what="framework matrix", choices=" or ".join(SUFFIXES)))
    notes = guard_output(out, FRAMEWORK, force=force, inputs=results_inputs(
        results, corpus=corpus, metadata=metadata, codebook=codebook))
    bench = open_workbench(results, corpus=corpus, metadata=metadata, codebook=codebook)
    table = framework_table(bench, _quotes(bench, quotes, corpus, metadata), per_cell=per_cell)
    if out.suffix.lower() == ".xlsx":
        data: str | bytes = table_to_xlsx(table, "framework", ResultsFolder(Path(results)).created)
    else:
        data = framework_markdown(table, bench.themes)
    done = FrameworkExport(table, warnings=[*notes, *bench.warnings])
    done.path = write_file(out, data, force=force, parents=True)
    return done


def import_framework(results: Path | str, sheet: Path | str, *, codebook: Path | str | None = None
                     ) -> tuple[Path, int]:
    """Read the summaries of a framework sheet into the folder's memos.md; (memos.md, summaries imported).

    The sheet must have the shape `export_framework` wrote (E471 otherwise:
    nothing is written).
    """
    from qualcode.results.memos import Memo, merged, read_memos, write_memos

    sheet = Path(sheet)
    if sheet.suffix.lower() != ".xlsx":
        raise UsageError(Errors.E472.format(suffix=sheet.suffix, what="framework sheet to read back",
                                            choices=".xlsx (a Markdown framework is for reading)"))
    bench = open_workbench(results, codebook=codebook)
    respondent = (bench.attributes["speaker_role"] == "respondent").to_numpy()
    cases = sorted({str(c) for c in bench.segments.loc[respondent, "case"]})
    expected = [CASE, *([CONFIGURATION] if bench.verdicts else []), *bench.themes, SUMMARY]
    summaries = {c: s for c, s in read_summaries(sheet, expected, cases).items() if s}
    preamble, memos = read_memos(bench.folder)
    new = [Memo("case", case, text, SUMMARY) for case, text in sorted(summaries.items())]
    path = write_memos(bench.folder, merged(memos, new), preamble or None)
    return path, len(new)


__all__ = ["FrameworkExport", "export_framework", "import_framework"]
