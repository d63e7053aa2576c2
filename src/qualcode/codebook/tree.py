"""The codebook as a rich `Tree`, for `qualcode codebook show` (built, never printed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from rich.tree import Tree

from qualcode.codebook.export import plural, select_languages
from qualcode.codebook.model import Codebook


def _label(mapping: dict[str, str], langs: list[str]) -> str:
    return " / ".join(mapping[lang] for lang in langs if lang in mapping)


def _counts(by_lang: dict[str, list[object]], langs: list[str]) -> str:
    return ", ".join(f"{lang} {len(by_lang.get(lang, []))}" for lang in langs)


def _line(ident: str, label: str, style: str = "bold") -> Text:
    return Text.assemble((ident, style), "  ", label)


def codebook_tree(codebook: Codebook, languages: Sequence[str] | None = None) -> Tree:
    """Groups -> codes (label, definition, pattern counts), actors, negation,
    configurations with their weights and the decision rule."""
    langs = select_languages(codebook, languages)
    title = _label(codebook.title, langs) or codebook.name
    root = Tree(Text.assemble((title, "bold"), f"  {codebook.name} {codebook.version}  ",
                              (f"sha256 {codebook.sha256[:12]}" if codebook.sha256 else "", "dim")))

    codes = root.add(Text(f"Codes ({plural(len(codebook.codes), 'code')} in "
                          f"{plural(len(codebook.groups), 'group')})", style="bold"))
    by_group = codebook.codes_by_group()
    for group in codebook.groups:
        branch = codes.add(_line(group.id, _label(group.label, langs), "bold cyan"))
        for code in by_group.get(group.id, []):
            node = branch.add(_line(code.id, _label(code.label, langs)))
            for lang in langs:
                node.add(Text(f"{lang}: {code.definition[lang]}", style="dim"))
            counts = f"patterns: {_counts(code.patterns, langs)}"  # type: ignore[arg-type]
            extra = [f"{name} {code_value}" for name, code_value in
                     (("negated →", code.negated), ("historical →", code.historical),
                      ("hypothetical →", code.hypothetical)) if code_value != "ignore"]
            shorts = [name for lang in langs for name in code.short_names.get(lang, [])]
            if shorts:
                extra.append("short names: " + ", ".join(shorts))
            node.add(Text("; ".join([counts, *extra])))

    if codebook.actors:
        actors = root.add(Text(f"Actors ({len(codebook.actors)})", style="bold"))
        for actor in codebook.actors:
            actors.add(_line(actor.id, f"{_label(actor.label, langs)}  "
                                       f"aliases: {_counts(actor.aliases, langs)}"))  # type: ignore[arg-type]

    negation = root.add(Text("Context cues", style="bold"))
    for lang in langs:
        rules = codebook.negation.get(lang)
        if rules is None:
            continue
        kinds = Counter(cue.category for cue in rules.cues)
        by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        negation.add(Text(f"{lang}: {plural(len(rules.cues), 'cue')} ({by_kind or 'none'}), "
                          f"{plural(len(rules.pseudo), 'pseudo cue')}, "
                          f"{plural(len(rules.terminators), 'terminator')}"))

    if codebook.configurations:
        configurations = root.add(Text(f"Configurations ({len(codebook.configurations)})", style="bold"))
        for configuration in codebook.configurations:
            branch = configurations.add(_line(configuration.id, _label(configuration.label, langs), "bold magenta"))
            for code_id, weight in configuration.indicators.items():
                style = "green" if weight > 0 else "red"
                branch.add(Text.assemble((f"{weight:+g}", style), f"  {code_id}"))

    if codebook.decision is not None:
        d = codebook.decision
        root.add(Text.assemble(("Decision", "bold"),
                               f"  measure {d.measure}, min_score {d.min_score:g}, "
                               f"min_margin {d.min_margin:g}, min_interviews {d.min_interviews}"
                               + (f", thresholds {d.status}" if d.status else "")))
    return root
