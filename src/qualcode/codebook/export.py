"""Export a codebook as a Markdown document or a CSV table (returned as strings).

Both are deterministic: the same codebook file gives the same bytes (no
dates, no absolute paths; `\\n` line ends).

- Markdown (`codebook_to_markdown`): a human-readable codebook for a
  study's appendix: title, version, SHA-256; each group and code with its
  labels, definition, inclusion and exclusion criteria, examples,
  counter-examples and patterns per language; actors; negation rules;
  configurations with their weights; the decision rule.
- CSV (`codebook_to_csv`): one row per code (themes, then actors) and
  language, in codebook order, with the columns `CSV_COLUMNS` (first `name`
  and `description`, the label and the definition again, which Taguette
  imports as tags: `codebook export --format csv --lang fr`) followed by
  one `weight_<configuration id>` column per configuration (codebook
  order; empty when the code is not an indicator). List cells hold one item
  per line; a pattern is written as its phrase (`[case-sensitive]`
  appended when it is) or as its token pattern in JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence

from qualcode.base.safecsv import csv_text
from qualcode.codebook.model import Codebook, Cue, Pattern, Word
from qualcode.errors import Errors, UsageError

FORMATS = ("md", "csv")
CSV_COLUMNS = (
    "name", "description", "kind", "id", "group", "language", "label", "definition", "include", "exclude",
    "examples", "counter_examples", "patterns", "negated", "historical", "hypothetical", "short_names",
)


def select_languages(codebook: Codebook, languages: Sequence[str] | None) -> list[str]:
    if not languages:
        return list(codebook.languages)
    for lang in languages:
        if lang not in codebook.languages:
            raise UsageError(Errors.E232.format(lang=lang, languages=", ".join(codebook.languages)))
    return [lang for lang in codebook.languages if lang in languages]


def export_codebook(codebook: Codebook, format: str = "md", languages: Sequence[str] | None = None) -> str:
    """The codebook as `md` or `csv` text, restricted to `languages` if given."""
    if format == "md":
        return codebook_to_markdown(codebook, languages)
    if format == "csv":
        return codebook_to_csv(codebook, languages)
    raise UsageError(Errors.E901.format(message=f"unknown export format {format!r}; choose md or csv"))


# --- Markdown --------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def _md(text: str) -> str:
    """Prose, escaped so that Markdown shows it as written."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return re.sub(r"^([#+\-]|\d+\.)(?=\s)", r"\\\1", text)


def _paragraphs(text: str) -> list[str]:
    """Prose that may hold several paragraphs (blank-line separated)."""
    return [line for part in re.split(r"\n\s*\n", text.strip()) for line in (_md(part), "")]


def _code(text: str) -> str:
    """An inline code span that survives backticks and table pipes."""
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _labels(mapping: dict[str, str], langs: list[str]) -> str:
    return " / ".join(_md(mapping[lang]) for lang in langs if lang in mapping)


def _pattern_md(pattern: Pattern | Cue | Word) -> str:
    if pattern.phrase is not None:
        text = _code(pattern.phrase) + (" *(case-sensitive)*" if pattern.case_sensitive else "")
    else:
        text = "tokens " + _code(json.dumps(pattern.tokens, ensure_ascii=False))
    if isinstance(pattern, Pattern):
        text += "".join(f"; {condition}" for condition in conditions(pattern, _pattern_md, _code))
    return text


def conditions(pattern: Pattern, word: Callable[[Word], str], code: Callable[[str], str]) -> list[str]:
    """A pattern's `unless` and `near` in words: "unless `même après` within the sentence"."""
    found = []
    if pattern.unless is not None:
        found.append(f"unless {' or '.join(word(w) for w in pattern.unless.words)} "
                     f"{_within(pattern.unless.within)}")
    if pattern.near is not None:
        near = pattern.near
        items = [*(word(w) for w in near.words), *(f"code {code(c)}" for c in near.codes),
                 *(f"actor {code(a)}" for a in near.actors)]
        order = "" if near.order == "any" else f", {near.order} it"
        found.append(f"only near {' or '.join(items)} {_within(near.within)}{order}")
    return found


def _within(within: str | int) -> str:
    return {"sentence": "within the sentence", "turn": "within the turn"}.get(str(within), f"within {within} tokens")


def _pattern_table(rows: Iterable[tuple[str, Pattern]]) -> list[str]:
    lines = ["| language | id | pattern |", "|---|---|---|"]
    lines += [f"| {lang} | {_code(p.id)} | {_pattern_md(p)} |" for lang, p in rows]
    return lines


def _per_language(title: str, mapping: dict[str, list[str]], langs: list[str]) -> list[str]:
    items = [(lang, item) for lang in langs for item in mapping.get(lang, [])]
    if not items:
        return []
    return [f"**{title}**", "", *(f"- ({lang}) {_md(item)}" for lang, item in items), ""]


def _counts_for(value: str) -> str:
    return {"ignore": "nothing (ignored)", "count": "the code itself"}.get(value, _code(value))


def codebook_to_markdown(codebook: Codebook, languages: Sequence[str] | None = None) -> str:
    """A Markdown document of the whole codebook (see the module docstring)."""
    langs = select_languages(codebook, languages)
    title = _labels(codebook.title, langs) or _md(codebook.name)
    out: list[str] = [f"# {title}", ""]
    for lang in langs:
        if lang in codebook.description:
            out += _paragraphs(codebook.description[lang])
    source = codebook.source_path.replace("\\", "/").rsplit("/", 1)[-1] if codebook.source_path else ""
    out += ["| | |", "|---|---|",
            f"| Name | {_code(codebook.name)} |",
            f"| Version | {_md(codebook.version)} |",
            f"| Languages | {', '.join(codebook.languages)} |"]
    if source:
        out.append(f"| File | {_code(source)} |")
    if codebook.sha256:
        out.append(f"| SHA-256 | {_code(codebook.sha256)} |")
    out += [f"| Contents | {plural(len(codebook.codes), 'code')} in {plural(len(codebook.groups), 'group')}, "
            f"{plural(len(codebook.actors), 'actor')}, "
            f"{plural(len(codebook.configurations), 'configuration')} |", ""]

    out += ["## Codes", ""]
    by_group = codebook.codes_by_group()
    for group in codebook.groups:
        out += [f"### {_labels(group.label, langs)} ({_code(group.id)})", ""]
        if not by_group.get(group.id):
            out += ["*(no codes)*", ""]
        for code in by_group.get(group.id, []):
            out += [f"#### {_code(code.id)}: {_labels(code.label, langs)}", ""]
            out += ["**Definition**", "", *(f"- ({lang}) {_md(code.definition[lang])}" for lang in langs), ""]
            out += _per_language("Include", code.include, langs)
            out += _per_language("Exclude", code.exclude, langs)
            out += _per_language("Examples (must be coded)", code.examples, langs)
            out += _per_language("Counter-examples (must not be coded)", code.counter_examples, langs)
            out += ["**Patterns**", "", *_pattern_table(
                (lang, p) for lang in langs for p in code.patterns.get(lang, [])), ""]
            out += _per_language("Short names (once the full name was said)", code.short_names, langs)
            out += [f"A negated match counts for {_counts_for(code.negated)}; "
                    f"a match in a past context counts for {_counts_for(code.historical)}; "
                    f"a wished, planned or hypothetical one for {_counts_for(code.hypothetical)}; "
                    "a rejected one for nothing.", ""]

    if codebook.actors:
        out += ["## Actors", ""]
        for actor in codebook.actors:
            out += [f"### {_code(actor.id)}: {_labels(actor.label, langs)}", ""]
            out += [*_pattern_table((lang, p) for lang in langs for p in actor.aliases.get(lang, [])), ""]
            out += _per_language("Short names (once the full name was said)", actor.short_names, langs)

    negation = {lang: codebook.negation[lang] for lang in langs if lang in codebook.negation}
    if any(rules.cues or rules.pseudo or rules.terminators for rules in negation.values()):
        out += ["## Context cues (negation, history, wishes, rejection)", ""]
        for lang, rules in negation.items():
            out += [f"### {lang}", ""]
            if rules.cues:
                out += ["| id | cue | direction | scope | category |", "|---|---|---|---|---|"]
                out += [f"| {_code(c.id)} | {_pattern_md(c)} | {c.direction} | {c.scope} | {c.category} |"
                        for c in rules.cues]
                out.append("")
            else:
                out += ["*(no cues)*", ""]
            for name, patterns in (("Pseudo cues", rules.pseudo), ("Terminators", rules.terminators)):
                if patterns:
                    out += [f"{name}: " + ", ".join(_pattern_md(p) for p in patterns), ""]

    if codebook.configurations:
        out += ["## Configurations", ""]
        for configuration in codebook.configurations:
            out += [f"### {_code(configuration.id)}: {_labels(configuration.label, langs)}", ""]
            for lang in langs:
                if lang in configuration.description:
                    out += _paragraphs(configuration.description[lang])
            out += ["| code | label | weight |", "|---|---|---:|"]
            for code_id, weight in configuration.indicators.items():
                label = _labels(codebook.code(code_id).label, langs)
                out.append(f"| {_code(code_id)} | {label} | {_number(weight)} |")
            out.append("")

    if codebook.decision is not None:
        d = codebook.decision
        out += ["## Decision rule", "",
                f"- Prevalence measure: {d.measure} (the share of a case's {d.measure} where a code is present)",
                f"- Minimum score: {_number(d.min_score)}",
                f"- Minimum margin over the runner-up: {_number(d.min_margin)}",
                f"- Minimum interviews per case: {d.min_interviews} (fewer: *insufficient*)",
                *([f"- Thresholds: {d.status}"] if d.status else []),
                "",
                "A case whose best score is below the minimum, or does not beat the runner-up "
                "by the margin, is *indeterminate*.", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _number(value: float) -> str:
    return f"{value:g}"


# --- CSV -------------------------------------------------------------------------------

def codebook_to_csv(codebook: Codebook, languages: Sequence[str] | None = None) -> str:
    """One row per code and language (themes, then actors); see the module docstring."""
    langs = select_languages(codebook, languages)
    weights = [f"weight_{c.id}" for c in codebook.configurations]
    rows: list[list[object]] = [[*CSV_COLUMNS, *weights]]
    for code in codebook.codes:
        for lang in langs:
            rows.append([
                code.label[lang], code.definition[lang], "theme", code.id, code.group, lang, code.label[lang], code.definition[lang],
                "\n".join(code.include.get(lang, [])), "\n".join(code.exclude.get(lang, [])),
                "\n".join(code.examples.get(lang, [])), "\n".join(code.counter_examples.get(lang, [])),
                "\n".join(p.describe() for p in code.patterns.get(lang, [])),
                code.negated, code.historical, code.hypothetical, "\n".join(code.short_names.get(lang, [])),
                *(_number(c.indicators[code.id]) if code.id in c.indicators else ""
                  for c in codebook.configurations),
            ])
    for actor in codebook.actors:
        for lang in langs:
            rows.append([
                actor.label[lang], "", "actor", actor.id, "", lang, actor.label[lang], "", "", "", "", "",
                "\n".join(p.describe() for p in actor.aliases.get(lang, [])), "", "", "",
                "\n".join(actor.short_names.get(lang, [])),
                *("" for _ in codebook.configurations),
            ])
    return csv_text(rows)  # a label or definition that starts with `=` stays text
