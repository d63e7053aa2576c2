"""A codebook's own tests: its examples must be coded, its counter-examples not.

Every example and counter-example goes through the real pipeline, negation
included, exactly as a transcript sentence would. A failure says what fired
(or that nothing did), so that the author knows which pattern to add, narrow
or exclude.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qualcode.coding.matchers import Match
from qualcode.defaults import PIPELINE

if TYPE_CHECKING:
    from qualcode.codebook.model import Codebook


@dataclass(frozen=True)
class CheckFailure:
    code: str
    language: str
    kind: str  # "example" (should be coded, was not) or "counter_example" (was coded)
    sentence: str
    fired: tuple[str, ...]

    def describe(self) -> str:
        what = ", ".join(self.fired) if self.fired else "nothing fired"
        expectation = "not coded" if self.kind == "example" else "coded although a counter-example"
        return f"{self.code} ({self.language}) {expectation}: {self.sentence!r} — {what}"


@dataclass
class CheckReport:
    checked: int = 0
    failures: list[CheckFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _describe(match: Match) -> str:
    note = "" if match.status == "present" else f" [{match.status}: {match.cue}]"
    target = f" -> {match.counts_for}" if match.counts_for not in ("", match.code) else ""
    return f"{match.code}:{match.pattern_id} {match.text!r}{note}{target}"


def check_codebook(codebook: Codebook, pipeline: str = PIPELINE) -> CheckReport:
    """Run every example and counter-example of every code through the pipeline."""
    from qualcode.coding.engine import build_matchers

    report = CheckReport()
    for language in codebook.languages:
        items: list[tuple[str, str, str]] = []
        for code in codebook.codes:
            for sentence in (code.examples or {}).get(language, []) or []:
                items.append((code.id, "example", sentence))
            for sentence in (code.counter_examples or {}).get(language, []) or []:
                items.append((code.id, "counter_example", sentence))
        if not items:
            continue
        lm = build_matchers(codebook, language, pipeline)
        docs = lm.nlp.pipe([s for _, _, s in items], batch_size=64)
        for (code_id, kind, sentence), doc in zip(items, docs):
            report.checked += 1
            matches = [m for m in lm.find_doc(doc) if m.kind == "theme"]
            coded = any(m.counts_for == code_id for m in matches)
            if (kind == "example") != coded:
                relevant = [m for m in matches if m.code == code_id or m.counts_for == code_id]
                fired = tuple(_describe(m) for m in (relevant or matches))
                report.failures.append(CheckFailure(code_id, language, kind, sentence, fired))
    return report
