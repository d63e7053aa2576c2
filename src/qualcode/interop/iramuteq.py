"""Export a coded corpus as an IRaMuTeQ corpus (the ALCESTE text format).

IRaMuTeQ reads one plain-text file (UTF-8) in which each text, an "initial
context unit" (uci), starts with a line of four stars and *starred
variables*, `*name_modality`, separated by spaces:

    **** *id_brevanne_apec *area_brevanne *region_nord_varenne *provider_apec

followed by the text. IRaMuTeQ splits a starred variable at its first `_`
(variable name, then modality), so names hold no `_` and both are made of
lower-case ASCII letters and digits (accents dropped, any other character
of a modality becomes `_`). Inside a text, a line that starts with `-*`
opens a thematic part, and a word written `_like_this_` is read as a starred
form; qualcode writes no thematic line and takes `*` and `_` out of the
texts, so that no respondent's words can be misread as markup.

Each interview gives one uci: its id and metadata (every attribute but
`id`, `interviewers` and empty values), then its respondent turns separated
by blank lines; an interview without respondent text is left out (IRaMuTeQ
refuses an empty uci). Interviewer turns are left out: IRaMuTeQ would otherwise mix
the questions into the respondents' lexical worlds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.base.atomic import write_file
from qualcode.base.guard import IRAMUTEQ, guard_output
from qualcode.base.text import CONTROL, strip_accents
from qualcode.errors import Errors
from qualcode.interop._results import Results, load_results, value_text
from qualcode.results.folder import results_inputs

_SKIPPED = ("id", "interviewers")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_BLANKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")


def _ascii(text: str) -> str:
    folded = strip_accents(str(text)).lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return folded.encode("ascii", "ignore").decode("ascii")


def variable_name(name: str) -> str:
    """An attribute name as a starred variable's name: ASCII letters and digits only."""
    return _NOT_ALNUM.sub("", _ascii(name))


def modality(value: str) -> str:
    """A value as a modality: ASCII letters, digits and `_` (`Pôle emploi` -> `pole_emploi`)."""
    return _NOT_ALNUM.sub("_", _ascii(value)).strip("_")


def clean_text(text: str) -> str:
    """A turn as IRaMuTeQ text: no `*` (variables, uci lines), no `_` (starred forms)."""
    text = text.replace("*", " ").replace("_", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


@dataclass
class IramuteqExport:
    text: str
    interviews: int
    turns: int
    variables: list[str]
    skipped: list[str] = field(default_factory=list)
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)


def iramuteq_corpus(results: Results) -> IramuteqExport:
    """The corpus of a results folder as IRaMuTeQ text."""
    names: dict[str, str] = {}
    for attribute in results.attributes():
        if attribute in _SKIPPED:
            continue
        name = variable_name(attribute)
        if name and name != "id" and name not in names.values():
            names[attribute] = name
    blocks: list[str] = []
    skipped: list[str] = []
    controls: list[str] = []
    turns = 0
    for interview in results.interviews:
        stars = [f"*id_{modality(interview.id) or 'x'}"]
        for attribute, name in names.items():
            raw = value_text(interview.metadata.get(attribute))
            if CONTROL.search(raw):
                controls.append(f"{interview.id} {attribute}")
            value = modality(raw)
            if value:
                stars.append(f"*{name}_{value}")
        texts = [clean_text(t.text) for t in interview.respondent_turns]
        texts = [t for t in texts if t]
        if not texts:  # an empty uci upsets IRaMuTeQ
            skipped.append(interview.id)
            continue
        turns += len(texts)
        blocks.append("**** " + " ".join(stars) + "\n" + "\n\n".join(texts))
    warnings = list(results.warnings)
    if controls:
        warnings.append(Errors.W608.format(count=len(controls), examples="; ".join(controls[:3]),
                                           what="written as '_' in the starred variables"))
    languages = sorted({i.language for i in results.interviews})
    if len(languages) > 1:
        warnings.append(Errors.W605.format(languages=", ".join(languages)))
    text = "\n\n".join(blocks) + "\n" if blocks else ""
    return IramuteqExport(text, len(blocks), turns, list(names.values()), skipped=skipped,
                          warnings=warnings)


def export_iramuteq(results_dir: Path | str, out: Path | str, *, corpus: Path | str | None = None,
                    metadata: Path | str | None = None, force: bool = False) -> IramuteqExport:
    """Write the IRaMuTeQ corpus of a results folder to `out` (UTF-8, `\\n` line ends)."""
    notes = guard_output(out, IRAMUTEQ, force=force,
                         inputs=results_inputs(results_dir, corpus=corpus, metadata=metadata))
    results = load_results(results_dir, corpus=corpus, metadata=metadata, with_codebook=False)
    export = iramuteq_corpus(results)
    export.path = write_file(out, export.text, force=force, parents=True)
    export.warnings[:0] = notes
    return export
