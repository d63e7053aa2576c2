"""One report model, assembled from the files of a results folder.

Every report (terminal, HTML, Markdown) renders a `Report`, and a `Report` is
built from the same files whether they were just computed (`qualcode
analyze`) or read back from disk (`qualcode report`): `build_report` reads
`manifest.json`, `classification.json`, `case_matrix.csv` and `evidence.csv`
from a mapping of file names to contents, so that re-rendering a folder
gives the same bytes as the run that wrote it.

What the reports need and the data files do not hold (the region of each
case, the reader's warnings, the interviews without a respondent turn) is
written by `qualcode analyze` into the manifest's `report` section
(`corpus_facts`).

Quotes go through a `QuoteFilter`: verbatim, or pseudonymised with
`qualcode.anonymise` (`quote_filter`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.base.text import printable
from qualcode.classification.rule import decisive_digits
from qualcode.codebook.model import Codebook
from qualcode.errors import Errors, ReportError, ResultsError, UsageError
from qualcode.results.classification import read_classification
from qualcode.results.frames import read_csv_text
from qualcode.results.layout import (
    CASE_MATRIX_CSV,
    CLASSIFICATION_JSON,
    EVIDENCE_CSV,
    MANIFEST_JSON,
    MEMOS_MD,
    REPORT_SOURCES,
    SEGMENTS_CSV,
)
from qualcode.results.manifest import parse_manifest

if TYPE_CHECKING:
    from qualcode.corpus.model import Corpus
    from qualcode.report.cooccurrence import Cooccurrence
    from qualcode.results.memos import Memo

ANONYMISED, VERBATIM = "anonymised", "verbatim"
QUOTE_MODES = (ANONYMISED, VERBATIM)
#: the reader's "no respondent turn", replaced in reports by W431 (which names the case)
_NO_RESPONDENT = "[W105]"


# --- quotes ----------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteFilter:
    """What a report does to a quote before showing it.

    `mode` is anonymised or verbatim; `apply` the function applied; `warnings`
    what building it found (the anonymiser's W701); `lists` the name lists it
    used, as the manifest records them (`{"keep": {"path", "sha256"}, ...}`).
    """

    mode: str
    apply: Callable[[str], str] = field(default=lambda text: text, repr=False, compare=False)
    warnings: tuple[str, ...] = ()
    lists: dict[str, Any] = field(default_factory=dict)

    def __call__(self, text: str) -> str:
        return self.apply(text)


VERBATIM_QUOTES = QuoteFilter(VERBATIM)
_ANONYMISERS: dict[tuple, Any] = {}


def check_quotes(mode: str) -> str:
    if mode not in QUOTE_MODES:
        raise UsageError(Errors.E431.format(mode=mode))
    return mode


def _anonymise() -> Any:
    """The qualcode.anonymise module (E436 when it cannot be imported)."""
    try:
        import qualcode.anonymise as module

        module.Anonymiser  # noqa: B018 - a package without it is not the one we need
    except (ImportError, AttributeError) as exc:
        raise ReportError(Errors.E436.format(reason=exc)) from None
    return module


def quote_filter(corpus: Corpus, mode: str, *, codebook: Codebook | None = None, keep: Path | str | None = None,
                 replace: Path | str | None = None,
                 on_progress: Callable[[int, int], None] | None = None,
                 cache_dir: Path | str | bool | None = None) -> QuoteFilter:
    """The filter for quotes: verbatim, or pseudonymised with the corpus-wide mapping.

    `anonymised` builds `qualcode.anonymise.Anonymiser.from_corpus(corpus)`
    (the named-entity pass over the whole corpus: seconds to tens of seconds)
    and applies it to each quote, so that a quote says `[PERSON 3]` where the
    anonymised corpus does. The anonymiser of the last corpus is kept in
    memory: rendering the same corpus again does not detect names again.

    Args:
        corpus: the corpus the quotes come from.
        mode: anonymised or verbatim.
        codebook: its providers' names are kept (the bundled codebook's by default).
        keep, replace: the name-list files given to `qualcode anonymise
            --keep/--replace`, so that the pseudonyms are the same: the
            numbers depend on them, and a name that only --replace lists
            would otherwise stay in the quotes.
        on_progress: receives (texts done, texts) during detection.
        cache_dir: where the names found in each text are kept for the next
            report: True for the user cache folder, a folder, or None/False for none.

    Raises:
        ReportError: `anonymised` and qualcode.anonymise cannot be imported (E436), or the
            corpus is an anonymised copy already (E441: its quotes need `verbatim`).
        QualcodeError: a name list cannot be read (E703, E704, E705).
    """
    check_quotes(mode)
    if mode == VERBATIM:
        return VERBATIM_QUOTES
    module = _anonymise()
    names: dict[str, Any] = {}
    lists: dict[str, Any] = {}
    for which, path, reader in (("keep", keep, "read_keep_list"), ("replace", replace, "read_replace_list")):
        if path is None:
            continue
        names[which] = getattr(module, reader)(path)
        from qualcode.base.limits import read_limited

        data = read_limited(path)
        lists[which] = {"path": str(path), "sha256": hashlib.sha256(data).hexdigest()}
    key = (tuple((i.id, i.file, i.sha256, json.dumps(i.metadata, sort_keys=True, default=str))
                 for i in corpus), codebook.sha256 if codebook is not None else "",
           json.dumps({k: v["sha256"] for k, v in lists.items()}, sort_keys=True))
    anonymiser = _ANONYMISERS.get(key)
    if anonymiser is None:
        extra: dict[str, Any] = dict(names)
        if codebook is not None:
            extra["codebook"] = codebook
        if on_progress is not None:
            extra["on_progress"] = on_progress
        if cache_dir is True:
            from qualcode.base.userdirs import default_cache_dir

            extra["cache_dir"] = default_cache_dir()
        elif cache_dir not in (None, False):
            extra["cache_dir"] = Path(cache_dir)  # type: ignore[arg-type]
        try:
            anonymiser = module.Anonymiser.from_corpus(corpus, **extra)
        except module.AnonymiseError as exc:
            found = re.search(r"\[E706\].*?'(\[(?:PERSON|PLACE|ORG) \d+\])'", exc.message)
            if found is None:
                raise
            # an anonymised copy: its quotes are pseudonymised already
            raise ReportError(Errors.E441.format(example=found.group(1)), path=exc.path, line=exc.line) from None
        _ANONYMISERS.clear()
        _ANONYMISERS[key] = anonymiser
    return QuoteFilter(ANONYMISED, anonymiser.apply, tuple(getattr(anonymiser, "warnings", ()) or ()), lists)


# --- what the manifest records for the reports --------------------------------------

def _relative(message: str, roots: Sequence[str]) -> str:
    for root in roots:
        if root and root not in (".", "") and message.startswith(root.rstrip("/") + "/"):
            return message[len(root.rstrip("/")) + 1:]
    return message


def corpus_facts(corpus: Corpus, by: str, corpus_arg: str = "") -> dict[str, Any]:
    """The manifest's `report` section: each interview's case, region and counts, and the reader's warnings.

    Paths are relative to the corpus root; interviews are sorted by id and
    warnings in reading order, so that the same corpus gives the same bytes.
    """
    interviews = []
    for interview in sorted(corpus, key=lambda i: i.id):
        turns = interview.respondent_turns
        interviews.append({
            "id": interview.id, "file": interview.file,
            "case": "" if interview.get(by) is None else str(interview.get(by)),
            "region": "" if interview.get("region") is None else str(interview.get("region")),
            "provider": "" if interview.get("provider") is None else str(interview.get("provider")),
            "language": interview.language, "respondent_turns": len(turns),
            "respondent_words": sum(t.words for t in turns),
        })
    roots = [corpus_arg, str(Path(corpus_arg)) if corpus_arg else "", str(corpus.root)]
    warnings = [_relative(w, roots) for w in corpus.warnings]
    return {"interviews": interviews, "warnings": warnings}


def report_language(codebook: Codebook, languages: Sequence[str]) -> str:
    """The language a report is written in: the corpus's, when the codebook has it, else the codebook's first.

    `languages` are the interviews' languages; the most frequent one wins (ties:
    the codebook's order), so that an English corpus gives an English report
    without `--lang`.
    """
    known = list(codebook.languages)
    counts = {lang: sum(1 for x in languages if x == lang) for lang in known}
    best = max(known, key=lambda lang: (counts[lang], -known.index(lang)))
    return best if counts[best] else known[0]


# --- the model -----------------------------------------------------------------------

@dataclass(frozen=True)
class Quote:
    """One evidence segment of a case, as the reports show it."""

    segment_id: str
    interview_id: str
    codes: tuple[str, ...]
    contribution: float
    text: str
    #: (code, status) for each code the quote carries only through a past or denied mention
    statuses: tuple[tuple[str, str], ...] = ()

    def status(self, code: str) -> str:
        """How the quote says `code`: "" when said as present, else historical, negated..."""
        return dict(self.statuses).get(code, "")


@dataclass(frozen=True)
class Contribution:
    """One indicator of a configuration in one case: weight, prevalence, membership, share of the score."""

    code: str
    weight: float
    prevalence: float
    membership: float
    contribution: float


@dataclass(frozen=True)
class Prevalence:
    """A theme in a case: the interviews where it counts, out of the case's."""

    interviews: int
    of: int
    share: float


@dataclass(frozen=True)
class CaseReport:
    """One case: its verdict and scores, why, its quotes and its provider network."""

    case: str
    region: str
    interviews: int
    verdict: str
    runner_up: str
    best: str
    scores: dict[str, float]
    margin: float
    stability: float | None
    unstable_on: tuple[str, ...]
    explanation: dict[str, tuple[Contribution, ...]]
    quotes: tuple[Quote, ...]
    actors: tuple[tuple[str, int, int], ...]  # (actor, segments, interviews)
    pairs: tuple[tuple[str, str, int], ...]  # (actor_a, actor_b, segments)
    prevalence: dict[str, Prevalence]
    #: decimals at which this case's scores and margin agree with its verdict (2, or more)
    digits: int = 2
    #: whether leaving one interview out could still decide (enough interviews): else "not testable"
    testable: bool = True

    @property
    def assigned(self) -> bool:
        return self.verdict in self.scores

    @property
    def target(self) -> str:
        """The configuration the explanation and quotes are about: the verdict, else the closest."""
        return self.verdict if self.assigned else self.best

    def deciding(self, limit: int = 4) -> list[Contribution]:
        """The indicators that add most to the target configuration's score."""
        parts = [c for c in self.explanation.get(self.target, ()) if c.contribution > 1e-9]
        return sorted(parts, key=lambda c: -round(c.contribution, 9))[:limit]

    def against(self, limit: int = 3) -> list[Contribution]:
        """The indicators that take most from the target configuration's score."""
        parts = [c for c in self.explanation.get(self.target, ()) if c.contribution < -1e-9]
        return sorted(parts, key=lambda c: round(c.contribution, 9))[:limit]


@dataclass(frozen=True)
class Notice:
    """A warning shown in the reports: its code, what it is about, and the message."""

    code: str
    subject: str
    message: str
    #: the values its message was made of, for its translation (`strings.notice_text`)
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """Everything a report shows, in the order it is shown; built by `build_report`."""

    lang: str
    quotes: str
    created: str
    corpus: str
    interviews: int
    respondent_words: int
    by: str
    unit: str
    pipeline: str
    include_interviewer: bool
    codebook: Codebook
    codebook_sha256: str
    configurations: tuple[str, ...]
    themes: tuple[str, ...]
    rule: dict[str, Any]
    cases: tuple[CaseReport, ...]
    notices: tuple[Notice, ...]
    versions: dict[str, Any]
    #: the themes raised together, when the folder has segments.csv (`qualcode.report.cooccurrence`)
    cooccurrence: Cooccurrence | None = None
    #: the researcher's memos (memos.md), through the quote filter
    memos: tuple[Memo, ...] = ()

    @property
    def reader_notices(self) -> tuple[Notice, ...]:
        """The warnings for the reader of report.html and report.md: those about the evidence and the
        method, in the report's language. File-handling advice (an encoding to fix, names in file
        names) stays in the terminal and manifest.json."""
        from qualcode.report.strings import notice_text

        found = []
        for notice in self.notices:
            text = notice_text(notice.code, dict(notice.params), self.lang)
            if text is not None:
                found.append(Notice(notice.code, notice.subject, text, notice.params))
        return tuple(found)

    @property
    def threshold_status(self) -> str:
        """provisional, calibrated, or "" (the codebook does not say)."""
        decision = getattr(self.codebook, "decision", None)
        return str(getattr(decision, "status", None) or "")

    @property
    def min_interviews(self) -> int:
        return int(self.rule.get("min_interviews") or 1)

    # --- labels in the report's language --------------------------------------------

    def _label(self, getter: str, ident: str) -> str:
        try:
            item = getattr(self.codebook, getter)(ident)
        except (KeyError, AttributeError):
            return ident
        labels = dict(getattr(item, "label", {}) or {})
        return labels.get(self.lang) or next(iter(labels.values()), ident)

    def theme_label(self, code: str) -> str:
        return self._label("code", code)

    def actor_label(self, actor: str) -> str:
        return self._label("actor", actor)

    def configuration_label(self, configuration: str) -> str:
        return self._label("configuration", configuration)

    def group_label(self, group: str) -> str:
        return self._label("group", group)

    def text(self, values: Mapping[str, Any] | None) -> Any:
        """A per-language value of the codebook in the report's language (else its first)."""
        values = dict(values or {})
        if self.lang in values:
            return values[self.lang]
        return next(iter(values.values()), "")

    @property
    def title(self) -> str:
        return printable(self.text(getattr(self.codebook, "title", None)) or self.codebook_name)

    @property
    def corpus_label(self) -> str:
        """The corpus as the reports show it: the path as typed, or only its name when absolute."""
        path = Path(self.corpus) if self.corpus else None
        if path is None:
            return ""
        return path.name if path.is_absolute() else self.corpus

    @property
    def codebook_name(self) -> str:
        return str(getattr(self.codebook, "name", ""))

    @property
    def codebook_version(self) -> str:
        return str(getattr(self.codebook, "version", ""))

    @property
    def short_hash(self) -> str:
        return self.codebook_sha256[:12]

    def theme_groups(self) -> list[tuple[str, list[str]]]:
        """(group id, theme ids) in codebook order; themes unknown to the codebook last."""
        groups: dict[str, list[str]] = {}
        known = set()
        for group, codes in (self.codebook.codes_by_group().items()
                             if hasattr(self.codebook, "codes_by_group") else []):
            groups[group] = [c.id for c in codes if c.id in self.themes]
            known.update(groups[group])
        rest = [t for t in self.themes if t not in known]
        if rest:
            groups[""] = rest
        return [(g, codes) for g, codes in groups.items() if codes]

    @property
    def actors(self) -> tuple[str, ...]:
        """Every provider: the codebook's in its order, then any other one found."""
        order = list(getattr(self.codebook, "actor_ids", []) or [])
        for case in self.cases:
            for actor, _, _ in case.actors:
                if actor not in order:
                    order.append(actor)
        return tuple(order)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def build_report(files: Mapping[str, str | bytes], codebook: Codebook, *, quotes: QuoteFilter = VERBATIM_QUOTES,
                 lang: str | None = None, notices: Sequence[Notice] = ()) -> Report:
    """The report model from the files of a results folder (name -> content).

    Args:
        files: at least manifest.json, classification.json, case_matrix.csv and evidence.csv.
        codebook: the codebook of the analysis, for labels and the appendix.
        quotes: applied to every quote and every warning's message (verbatim by default).
        lang: the language of the report; default: the corpus's when the codebook has it, else the
            codebook's first (`report_language`).
        notices: more warnings to show (e.g. the anonymiser's).

    Raises:
        ResultsError: a file is missing (E434).
        ReportError: `lang` is not a language of the codebook (E432).
    """
    for name in REPORT_SOURCES:
        if name not in files:
            raise ResultsError(Errors.E434.format(name=name))
    languages = list(codebook.languages)
    manifest = parse_manifest(files[MANIFEST_JSON])
    facts = dict(manifest.get("report") or {})
    lang = lang or report_language(codebook, [str(i.get("language") or "") for i in facts.get("interviews") or []])
    if lang not in languages:
        raise ReportError(Errors.E432.format(lang=lang, codebook=codebook.name,
                                             languages=", ".join(languages)))
    classification = read_classification(files[CLASSIFICATION_JSON])
    matrix = read_csv_text(files[CASE_MATRIX_CSV])
    evidence = read_csv_text(files[EVIDENCE_CSV])
    options = dict(manifest.get("options") or {})
    configurations = tuple(classification.get("configurations") or ())
    rule = dict(classification.get("rule") or {})

    theme_ids = list(codebook.theme_ids)
    for code in matrix["code"] if "code" in matrix.columns else []:
        if code not in theme_ids:
            theme_ids.append(code)

    regions: dict[str, set[str]] = {}
    for item in facts.get("interviews") or []:
        if item.get("region"):
            regions.setdefault(str(item.get("case", "")), set()).add(str(item["region"]))

    prevalence: dict[str, dict[str, Prevalence]] = {}
    words: dict[str, int] = {}
    for row in matrix.to_dict("records"):
        of = int(_float(row.get("case_interviews", 0)))
        prevalence.setdefault(row["case"], {})[row["code"]] = Prevalence(
            int(_float(row["interviews"])), of, _float(row["interview_share"]))
        words[row["case"]] = int(_float(row.get("case_words", 0)))

    cases = []
    for entry in classification.get("cases") or []:
        case = str(entry["case"])
        explanation = {
            config: tuple(Contribution(str(i["code"]), _float(i["weight"]), _float(i["prevalence"]),
                                       _float(i["membership"]), _float(i["contribution"]))
                          for i in items)
            for config, items in (entry.get("explanation") or {}).items()}
        case_quotes = tuple(
            Quote(str(e["segment_id"]), str(e["interview_id"]), tuple(e.get("codes") or ()),
                  _float(e.get("contribution")), printable(quotes(str(e.get("quote") or ""))),
                  tuple(sorted((str(k), str(v)) for k, v in dict(e.get("statuses") or {}).items())))
            for e in sorted(entry.get("evidence") or [], key=lambda e: e.get("rank", 0)))
        network = entry.get("network") or {}
        stability = entry.get("stability")
        scores = {c: _float(entry.get(f"score_{c}")) for c in configurations}
        ranked = [*sorted(scores.values(), reverse=True), 0.0, 0.0]
        interviews = int(entry.get("interviews") or 0)
        cases.append(CaseReport(
            case=case, region=", ".join(sorted(regions.get(case, set()))),
            interviews=interviews, verdict=str(entry.get("verdict", "")),
            runner_up=str(entry.get("runner_up") or ""), best=str(entry.get("best") or ""),
            scores=scores, margin=_float(entry.get("margin")),
            stability=None if stability is None else _float(stability),
            unstable_on=tuple(entry.get("unstable_on") or ()), explanation=explanation,
            quotes=case_quotes,
            actors=tuple((str(a["actor"]), int(a["segments"]), int(a["interviews"]))
                         for a in network.get("actors") or []),
            pairs=tuple((str(p["actor_a"]), str(p["actor_b"]), int(p["segments"]))
                        for p in network.get("pairs") or []),
            prevalence=prevalence.get(case, {}),
            digits=decisive_digits(ranked[0], ranked[1], _float(entry.get("margin")), rule),
            testable=interviews - 1 >= int(rule.get("min_interviews") or 1),
        ))

    # a warning quotes the file it is about (a speaker's name, a value): pseudonymised like the quotes
    found = list(dict.fromkeys(
        Notice(n.code, n.subject, printable(quotes(n.message)), tuple((k, printable(quotes(v))) for k, v in n.params))
        for n in (*_reader_notices(facts), *_case_notices(facts, cases, rule),
                  *_code_notices(evidence, list(codebook.theme_ids)), *notices)))
    corpus = dict(manifest.get("corpus") or {})
    recorded = dict(manifest.get("codebook") or {})
    return Report(
        lang=lang, quotes=quotes.mode, created=str(manifest.get("created", "")),
        corpus=str(corpus.get("path", "")), interviews=int(str(corpus.get("interviews") or 0)),
        respondent_words=sum(words.values()), by=str(classification.get("by") or options.get("by", "")),
        unit=str(options.get("unit", "")), pipeline=str(options.get("pipeline", "")),
        include_interviewer=bool(options.get("include_interviewer", False)),
        codebook=codebook, codebook_sha256=str(recorded.get("sha256") or codebook.sha256),
        configurations=configurations, themes=tuple(theme_ids), rule=rule, cases=tuple(cases),
        notices=tuple(found), versions=dict(manifest.get("versions") or {}),
        cooccurrence=_cooccurrence(files, evidence, codebook, quotes), memos=_memos(files, quotes),
    )


def _cooccurrence(files: Mapping[str, str | bytes], evidence: pd.DataFrame, codebook: Codebook,
                  quotes: QuoteFilter) -> Cooccurrence | None:
    """The co-occurrence section's data, when the files hold segments.csv (an optional source)."""
    if SEGMENTS_CSV not in files or evidence.empty:
        return None
    from qualcode.report.cooccurrence import build_cooccurrence

    return build_cooccurrence(read_csv_text(files[SEGMENTS_CSV]), evidence, codebook,
                              lambda text: printable(quotes(text)))


def _memos(files: Mapping[str, str | bytes], quotes: QuoteFilter) -> tuple[Memo, ...]:
    """The memos of memos.md (an optional source), their text through the quote filter."""
    if MEMOS_MD not in files:
        return ()
    from dataclasses import replace

    from qualcode.results.memos import parse_memos

    content = files[MEMOS_MD]
    text = content.decode("utf-8-sig", errors="replace") if isinstance(content, bytes) else content
    return tuple(replace(m, text=quotes(m.text), title=quotes(m.title)) for m in parse_memos(text, MEMOS_MD)[1])


def notice_from(message: str, **params: Any) -> Notice:
    """`file:12: [W101] text` -> Notice("W101", "file:12", "text"), with the values it was made of."""
    match = re.match(r"^(?P<subject>.*?): \[(?P<code>[EW]\d+)\] (?P<text>.*)$", message, re.S)
    if not match:
        match = re.match(r"^(?P<subject>)\[(?P<code>[EW]\d+)\] (?P<text>.*)$", message, re.S)
    if not match:
        return Notice("", "", message)
    found = dict(params)
    # the reader's warnings carry their values in their text only
    for code, pattern, name in _PARAMS:
        value = re.search(pattern, match["text"]) if match["code"] == code else None
        if value is not None:
            found[name] = value.group(1)
    return Notice(match["code"], match["subject"], match["text"],
                  tuple(sorted((k, str(v)) for k, v in found.items())))


#: (code, pattern, name): a value of a reader's warning, read back from its English text
_PARAMS = (("W103", r"speaker, ('.*?'|\".*?\"),", "speaker"), ("W107", r"^(\d+) word", "words"))


def _reader_notices(facts: Mapping[str, Any]) -> list[Notice]:
    found = [notice_from(w) for w in facts.get("warnings") or [] if _NO_RESPONDENT not in w]
    for item in facts.get("interviews") or []:
        if not item.get("respondent_turns"):
            found.append(notice_from(f"{item['file']}: {Errors.W431}"))
    return found


def _case_notices(facts: Mapping[str, Any], cases: Sequence[CaseReport], rule: Mapping[str, Any]) -> list[Notice]:
    least = int(rule.get("min_interviews") or 1)
    return [notice_from(f"{c.case}: {Errors.W432.format(interviews=c.interviews, minimum=least)}",
                        interviews=c.interviews, minimum=least)
            for c in cases if c.interviews < least]


def _code_notices(evidence: pd.DataFrame, themes: Sequence[str]) -> list[Notice]:
    if evidence.empty or "code" not in evidence.columns:
        rows = pd.DataFrame(columns=["code", "kind", "counts_for"])
    else:
        rows = evidence[evidence["kind"] == "theme"] if "kind" in evidence.columns else evidence
    found = []
    for code in themes:
        mine = rows[rows["code"] == code]
        if mine.empty:
            found.append(notice_from(f"{code}: {Errors.W433}"))
        elif (mine["counts_for"] == "").all():
            found.append(notice_from(f"{code}: {Errors.W434.format(matches=len(mine))}", matches=len(mine)))
    return found


__all__ = [
    "ANONYMISED",
    "QUOTE_MODES",
    "VERBATIM",
    "CaseReport",
    "Contribution",
    "Notice",
    "Prevalence",
    "Quote",
    "QuoteFilter",
    "Report",
    "ReportError",
    "build_report",
    "corpus_facts",
    "notice_from",
    "quote_filter",
    "report_language",
]
