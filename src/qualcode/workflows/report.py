"""`qualcode report` as a function: the report of a results folder, rendered again without re-coding."""

from __future__ import annotations

from pathlib import Path

from qualcode.base.limits import read_limited
from qualcode.errors import CodingError, Errors, ReportError, ResultsError, UsageError
from qualcode.report.data import (
    ANONYMISED,
    VERBATIM_QUOTES,
    Notice,
    Report,
    build_report,
    check_quotes,
    notice_from,
    quote_filter,
)
from qualcode.results.folder import ResultsFolder
from qualcode.results.layout import MANIFEST_JSON, OPTIONAL_SOURCES, REPORT_SOURCES

#: the formats `qualcode report` renders
REPORT_FORMATS = ("html", "md")


def read_sources(folder: Path | str) -> dict[str, str | bytes]:
    """The files `build_report` needs, read from a results folder (E434 when one is missing)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ResultsError(Errors.E305.format(name=MANIFEST_JSON), path=folder)
    found: dict[str, str | bytes] = {}
    for name in REPORT_SOURCES:
        if not (folder / name).is_file():
            raise ResultsError(Errors.E434.format(name=name), path=folder)
        found[name] = _source(folder / name, name)
    for name in OPTIONAL_SOURCES:  # the co-occurrence section, the memos: shown when the folder has them
        if (folder / name).is_file():
            found[name] = _source(folder / name, name)
    return found


def _source(path: Path, name: str) -> bytes:
    try:
        return read_limited(path)
    except OSError as exc:
        raise ResultsError(Errors.E306.format(name=name, reason=exc.strerror or exc), path=path) from None


def load_report(folder: Path | str, *, codebook: Path | str | None = None, corpus: Path | str | None = None,
                metadata: Path | str | None = None, quotes: str = ANONYMISED, lang: str | None = None,
                keep: Path | str | None = None, replace: Path | str | None = None,
                ) -> tuple[Report, list[str]]:
    """The report of a results folder written by `qualcode analyze`, and warnings.

    The codebook is `codebook`, else the one recorded in manifest.json (the
    bundled one when it was used). `lang` defaults to the language the
    analysis wrote its reports in. Anonymised quotes need the corpus: the
    path recorded in the manifest (relative to where the analysis ran), or
    `corpus` (and `metadata`, else the recorded one); and the name lists the
    analysis used (`keep`, `replace`; default: the recorded ones).

    Raises:
        ResultsError: not a results folder of `qualcode analyze` (E305, E434).
        ReportError: the corpus (E435) or a recorded name list (E440) is not
            found, or E431/E432/E436.
    """
    check_quotes(quotes)
    sources = read_sources(folder)
    results = ResultsFolder(Path(folder))
    manifest = results.manifest
    book, notes = results.codebook(codebook, changed=Errors.W436)
    used = dict(dict(manifest.get("report") or {}).get("options") or {})
    recorded_lang = str(used.get("lang") or "")
    if lang is None and recorded_lang in book.languages:
        lang = recorded_lang
    extra: list[Notice] = []
    filter_ = VERBATIM_QUOTES
    if quotes == ANONYMISED:
        where = Path(corpus) if corpus is not None else Path(results.corpus_path)
        if not (results.corpus_path or corpus) or not where.exists():
            raise ReportError(Errors.E435.format(corpus=where))
        table = metadata if metadata is not None else results.options.get("metadata")
        check = results.read_corpus(where, str(table) if table else None)
        if check.changed:
            notes.append(Errors.W430.format(count=len(check.changed), example=check.changed[0]))
        given: dict[str, Path | str | None] = {"keep": keep, "replace": replace}
        for which in given:
            recorded_list = used.get(which) if isinstance(used.get(which), dict) else None
            if given[which] is not None or recorded_list is None:
                continue
            if not Path(str(recorded_list.get("path", ""))).is_file():
                raise ReportError(Errors.E440.format(which=which, path=recorded_list.get("path")))
            given[which] = str(recorded_list["path"])
        filter_ = quote_filter(check.corpus, ANONYMISED, codebook=book, keep=given["keep"],
                               replace=given["replace"])
        for which, entry in filter_.lists.items():
            then = used.get(which)
            if isinstance(then, dict) and then.get("sha256") and then["sha256"] != entry["sha256"]:
                notes.append(Errors.W435.format(which=which, path=entry["path"]))
        extra = [notice_from(w) for w in filter_.warnings]
    try:
        report = build_report(sources, book, quotes=filter_, lang=lang, notices=extra)
    except (ValueError, KeyError) as exc:
        raise CodingError(Errors.E306.format(name="classification.json", reason=exc), path=folder) from exc
    from qualcode.results.layout import MEMOS_MD
    from qualcode.results.memos import memo_warnings

    notes.extend(memo_warnings(sources, [*book.theme_ids, *book.actor_ids], Path(folder) / MEMOS_MD))
    return report, notes


def render(report: Report, fmt: str) -> str:
    """The report as html or md text (E430 for another format)."""
    if fmt == "html":
        from qualcode.report.html import render_html

        return render_html(report)
    if fmt == "md":
        from qualcode.report.markdown import render_markdown

        return render_markdown(report)
    raise UsageError(Errors.E430.format(found=repr(fmt), choices=", ".join(REPORT_FORMATS)))


def rerender_to(folder: Path | str, out: Path | str, fmt: str = "html", *, force: bool = False,
                **options: object) -> list[str]:
    """`qualcode report DIR --format FMT --out FILE`: render the report and write it; returns warnings.

    The output guard runs first: `out` must not be an input (inside the
    results folder, it would change the files its manifest records) and
    `force` replaces only a report qualcode wrote.
    """
    from qualcode.base.atomic import write_file
    from qualcode.base.guard import REPORT, guard_output
    from qualcode.results.folder import results_inputs

    if fmt not in REPORT_FORMATS:
        raise UsageError(Errors.E430.format(found=repr(fmt), choices=", ".join(REPORT_FORMATS)))
    given = {name: options.get(name) for name in ("corpus", "metadata", "codebook")}
    notes = guard_output(out, REPORT, force=force, inputs=results_inputs(
        folder, **given, keep_list=options.get("keep"), replace_list=options.get("replace")))  # type: ignore[arg-type]
    text, more = rerender(folder, fmt, **options)
    write_file(out, text, force=force)
    return notes + more


def rerender(folder: Path | str, fmt: str = "html", **options: object) -> tuple[str, list[str]]:
    """`qualcode report DIR --format FMT`: the text of the report, and warnings.

    `options` are `load_report`'s keyword arguments.
    """
    if fmt not in REPORT_FORMATS:
        raise UsageError(Errors.E430.format(found=repr(fmt), choices=", ".join(REPORT_FORMATS)))
    report, notes = load_report(folder, **options)  # type: ignore[arg-type]
    return render(report, fmt), notes
