"""report.md: the content of report.html in GitHub-flavoured Markdown, for wikis and Word.

Tables are GFM pipe tables; score bars are drawn with block characters;
the provider networks become tables of providers and pairs. Every piece of
transcript or codebook text goes through `md_text`, so that it cannot open
a heading, a link, an HTML tag or a table cell; ids go in code spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from qualcode.report.cooccurrence import cooccurrence_markdown
from qualcode.report.data import CaseReport, Report
from qualcode.report.escape import md_code, md_text
from qualcode.report.memos import memos_markdown
from qualcode.report.strings import integer, number, percent, words

BAR = 10


def _bar(value: float) -> str:
    full = round(min(1.0, max(0.0, float(value))) * BAR)
    return "█" * full + "░" * (BAR - full)


def _table(head: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A GFM table; cells are already escaped; `right` are the right-aligned columns."""
    align = ["---:" if n in right else "---" for n in range(len(head))]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell if cell != "" else " " for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _verdict(report: Report, case: CaseReport, w: dict[str, str]) -> str:
    if case.assigned:
        return f"**{md_text(case.verdict)}**"
    closest = f" ({md_text(w['best_closest'].format(best=case.best))})" if case.best else ""
    return f"*{md_text(w.get(case.verdict, case.verdict))}*{closest}"


def _stability(case: CaseReport, lang: str) -> str:
    return md_text(number(case.stability, lang)) + (" **!**" if case.unstable_on else "")


def _header(report: Report, w: dict[str, str]) -> list[str]:
    lang = report.lang
    meta = [f"{md_text(w['corpus'])} {md_code(report.corpus_label)}",
            f"{integer(report.interviews, lang)} {md_text(w['interviews'])}",
            f"{len(report.cases)} {md_text(w['cases_n'])}",
            f"{integer(report.respondent_words, lang)} {md_text(w['respondent_words'])}",
            f"{md_text(w['codebook'].lower() if lang == 'fr' else w['codebook'])} {md_code(report.codebook_name)} {md_text(report.codebook_version)} "
            f"({md_code(report.short_hash)})",
            f"{md_text(w['created'])} {md_text(report.created.replace('T', ' ').replace('Z', ' UTC'))}"]
    return [f"# {md_text(w['title'])} — {md_text(report.title)}\n", " · ".join(meta) + "\n"]


def _summary(report: Report, w: dict[str, str]) -> list[str]:
    lang = report.lang
    out = [f"## {md_text(w['summary'])}\n",
           md_text(w["summary_cases"].format(cases=len(report.cases), by=report.by,
                                             interviews=integer(report.interviews, lang),
                                             words=integer(report.respondent_words, lang))) + "\n"]
    rows = []
    for config in report.configurations:
        members = [md_text(c.case) for c in report.cases if c.verdict == config]
        rows.append([f"**{md_text(config)}**", md_text(report.configuration_label(config)),
                     ", ".join(members) or "–"])
    for verdict in ("indeterminate", "insufficient"):
        members = [md_text(c.case) for c in report.cases if c.verdict == verdict]
        if members:
            rows.append([f"*{md_text(w[verdict])}*", "", ", ".join(members)])
    out.append(_table([md_text(w["configuration"]), md_text(w["label"]), md_text(w["cases_n"].capitalize())],
                      rows))
    unstable = [c.case for c in report.cases if c.unstable_on]
    if unstable:
        out.append(md_text(w["summary_unstable"].format(cases=", ".join(unstable))) + "\n")
    if report.notices:
        out.append(md_text(w["summary_warnings"].format(count=len(report.notices))) + "\n")
    out.append(f"*{md_text(w['summary_reading'])}*\n")
    return out


def _method(report: Report, w: dict[str, str]) -> list[str]:
    from qualcode.report.html import _model_versions

    lang = report.lang
    rule = report.rule
    anchors = rule.get("anchors") or {}
    rows = [
        [md_text(w["method_codebook"]), f"{md_code(report.codebook_name)} {md_text(report.codebook_version)} — "
                                        f"{md_text(report.title)}; SHA-256 {md_code(report.codebook_sha256)}"],
        [md_text(w["corpus"]), f"{md_code(report.corpus_label)}, {integer(report.interviews, lang)} {md_text(w['interviews'])}"],
        [md_text(w["method_unit"]), md_text(report.unit)],
        [md_text(w["method_by"]), md_text(report.by)],
        [md_text(w["method_pipeline"]), md_text(report.pipeline)],
        [md_text(w["method_interviewer"]), md_text(w["yes"] if report.include_interviewer else w["no"])],
        [md_text(w["method_measure"]), md_text(rule.get("measure", ""))],
        [md_text(w["method_anchors"]), " / ".join(md_text(number(anchors.get(k), lang))
                                                  for k in ("exclusion", "crossover", "inclusion"))],
        [md_text(w["method_rule"]), md_text(w["method_rule_text"].format(
            score=number(rule.get("min_score"), lang), margin=number(rule.get("min_margin"), lang),
            interviews=rule.get("min_interviews", "?")))],
        [md_text(w["method_quotes"]), md_text(w["quotes_" + report.quotes])],
        [md_text(w["method_versions"]), md_text(_model_versions(report))],
        [md_text(w["method_files"]), md_text(w["method_files_text"])],
    ]
    return [f"## {md_text(w['method'])}\n", _table(["", ""], rows), md_text(w["method_scores"]) + "\n"]


def _classification(report: Report, w: dict[str, str]) -> list[str]:
    lang = report.lang
    head = [md_text(w["case"]), md_text(w["region"]), md_text(w["interviews_col"]), md_text(w["verdict"]),
            *(md_text(c) for c in report.configurations), md_text(w["margin"]), md_text(w["stability"])]
    rows = []
    for case in report.cases:
        scores = []
        for config in report.configurations:
            score = case.scores.get(config, 0.0)
            value = md_text(number(score, lang))
            scores.append(f"{_bar(score)} {'**' + value + '**' if config == case.best else value}")
        rows.append([md_text(case.case), md_text(case.region), str(case.interviews), _verdict(report, case, w),
                     *scores, md_text(number(case.margin, lang)), _stability(case, lang)])
    n = len(report.configurations)
    out = [f"## {md_text(w['classification'])}\n", _table(head, rows, right=(2, 4 + n, 5 + n))]
    out.append("\n".join(f"- **{md_text(c)}** {md_text(report.configuration_label(c))}"
                         for c in report.configurations) + "\n")
    for case in report.cases:
        if case.unstable_on:
            colon = " :" if lang == "fr" else ":"
            out.append(f"**!** {md_text(case.case)}{colon} {md_text(w['changes_without'])} "
                       + ", ".join(md_code(i) for i in case.unstable_on) + "\n")
    return out


def _themes(report: Report, w: dict[str, str]) -> list[str]:
    head = [md_text(w["theme"]), *(md_text(c.case) for c in report.cases)]
    rows = []
    for group, codes in report.theme_groups():
        if group:
            rows.append([f"**{md_text(report.group_label(group))}**", *([""] * len(report.cases))])
        for code in codes:
            cells = []
            for case in report.cases:
                found = case.prevalence.get(code)
                cells.append(f"{found.interviews}/{found.of}" if found and found.interviews else "·")
            rows.append([md_text(report.theme_label(code)), *cells])
    right = tuple(range(1, len(head)))
    return [f"## {md_text(w['heatmap'])}\n", md_text(w["heatmap_note"]) + "\n", _table(head, rows, right=right)]


def _case(report: Report, case: CaseReport, w: dict[str, str]) -> list[str]:
    lang = report.lang
    region = f" ({md_text(case.region)})" if case.region else ""
    out = [f"### {md_text(case.case)}{region}\n"]
    if case.assigned:
        verdict = f"**{md_text(case.verdict)}** — {md_text(report.configuration_label(case.verdict))}"
    else:
        verdict = _verdict(report, case, w)
    details = [f"{md_text(w['runner_up'])} {md_text(case.runner_up or '–')}",
               f"{md_text(w['margin'].lower())} {md_text(number(case.margin, lang))}",
               f"{md_text(w['stability'].lower())} {_stability(case, lang)}",
               f"{case.interviews} {md_text(w['interviews'])}"]
    out.append(f"{verdict}. {', '.join(details)}.\n")
    if case.unstable_on:
        out.append(f"**!** {md_text(w['changes_without'])} " + ", ".join(md_code(i) for i in case.unstable_on)
                   + "\n")
    for key, items, sign in (("deciding", case.deciding(), "+"), ("against", case.against(), "")):
        if not items:
            continue
        rows = []
        for item in items:
            found = case.prevalence.get(item.code)
            share = f"{found.interviews}/{found.of}" if found else md_text(percent(item.prevalence, lang))
            rows.append([f"{md_text(report.theme_label(item.code))} {md_code(item.code)}", share,
                         sign + md_text(number(item.contribution, lang))])
        out.append(f"**{md_text(w[key])}** ({md_code(case.target)})\n")
        out.append(_table([md_text(w["theme"]), md_text(w["interviews_col"]), md_text(w["contribution"])], rows,
                          right=(1, 2)))
    out.append(f"**{md_text(w['evidence'])}**\n")
    if not case.quotes:
        out.append(f"*{md_text(w['no_quote'])}*\n")
    for quote in case.quotes:
        text = f"« {md_text(quote.text)} »" if lang == "fr" else f"“{md_text(quote.text)}”"
        themes = ", ".join(md_text(report.theme_label(c)) for c in quote.codes)
        out.append(f"> {text}\n>\n> — {md_code(quote.segment_id)} · {themes}\n")
    out.append(f"**{md_text(w['network'])}**\n")
    if not case.actors:
        out.append(f"*{md_text(w['no_network'])}*\n")
    else:
        rows = [[md_text(report.actor_label(a)), str(segments), str(interviews)]
                for a, segments, interviews in case.actors]
        out.append(_table([md_text(w["provider"]), md_text(w["segments"].capitalize()),
                           md_text(w["interviews_col"])], rows, right=(1, 2)))
        if case.pairs:
            rows = [[f"{md_text(report.actor_label(a))} – {md_text(report.actor_label(b))}", str(n)]
                    for a, b, n in case.pairs]
            out.append(_table([md_text(w["pairs"]), md_text(w["segments"].capitalize())], rows, right=(1,)))
        out.append(f"*{md_text(w['network_note'])}*\n")
    return out


def _warnings(report: Report, w: dict[str, str]) -> list[str]:
    out = [f"## {md_text(w['warnings'])}\n"]
    if not report.notices:
        return [*out, f"*{md_text(w['no_warning'])}*\n"]
    rows = [[md_code(n.code) if n.code else "", md_code(n.subject) if n.subject else "", md_text(n.message)]
            for n in report.notices]
    return [*out, _table([md_text(w["code"]), md_text(w["subject"]), md_text(w["message"])], rows)]


def _items(values: Any) -> str:
    return "\n".join(f"- {md_text(v)}" for v in values) + "\n"


def _appendix(report: Report, w: dict[str, str]) -> list[str]:
    book = report.codebook
    lang = report.lang
    out = [f"## {md_text(w['appendix'])}\n",
           f"{md_code(report.codebook_name)} {md_text(report.codebook_version)} — {md_text(report.title)}\n"]
    description = report.text(book.description)
    if description:
        out.append(md_text(description) + "\n")
    out.append(f"### {md_text(w['configurations'])}\n")
    for config in book.configurations:
        out.append(f"#### {md_text(config.id)} — {md_text(report.text(config.label))}\n")
        text = report.text(config.description)
        if text:
            out.append(md_text(text) + "\n")
        rows = [[f"{md_text(report.theme_label(code))} {md_code(code)}",
                 md_text(number(weight, lang, 0 if float(weight).is_integer() else 2))]
                for code, weight in config.indicators.items()]
        out.append(_table([md_text(w["theme"]), md_text(w["weight"])], rows, right=(1,)))
    by_group = book.codes_by_group()
    for group, codes in by_group.items():
        if not codes:
            continue
        out.append(f"### {md_text(report.group_label(group))} ({md_code(group)})\n")
        for code in codes:
            out.append(f"#### {md_text(report.text(code.label))} ({md_code(code.id)})\n")
            out.append(f"**{md_text(w['definition'])}.** {md_text(report.text(code.definition))}\n")
            for key in ("include", "exclude"):
                items = dict(getattr(code, key) or {}).get(lang) or report.text(getattr(code, key))
                if items:
                    out.append(f"**{md_text(w[key])}**\n\n" + _items(items))
    if book.actors:
        out.append(f"### {md_text(w['providers'])}\n")
        out.append("\n".join(f"- {md_text(report.text(a.label))} ({md_code(a.id)})" for a in book.actors) + "\n")
    return out


def render_markdown(report: Report) -> str:
    """report.md as a string."""
    from qualcode import __version__

    w = words(report.lang)
    parts = [*_header(report, w), *_summary(report, w), *_method(report, w), *_classification(report, w),
             *_themes(report, w), *cooccurrence_markdown(report), f"## {md_text(w['cases'])}\n"]
    for case in report.cases:
        parts += _case(report, case, w)
    parts += [*memos_markdown(report), *_warnings(report, w), *_appendix(report, w),
              f"---\n\n*qualcode {md_text(__version__)} · {md_code(report.codebook_name)} "
              f"{md_text(report.codebook_version)} · {md_text(report.created)}*\n"]
    return "\n".join(parts)


__all__ = ["render_markdown"]
