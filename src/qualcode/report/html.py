"""report.html: one self-contained file for screen and print.

`render_html(report)` returns the document as a string: inline CSS
(`qualcode.report.template`) and inline SVG (`qualcode.report.svg`), no
script, no font or image to fetch. Sections: summary, method,
classification (a bar per score), themes by case (heatmap), each case
(deciding themes, quotes with their segment ids, the provider co-mention
network), warnings, and the codebook as an appendix. Every piece of
transcript or codebook text goes through `html_text` (escaped); labels are
in the report's language.
"""

from __future__ import annotations

import re
from typing import Any

from qualcode.report import svg
from qualcode.report.cooccurrence import cooccurrence_html
from qualcode.report.data import CaseReport, Report
from qualcode.report.escape import html_text as esc
from qualcode.report.memos import memos_html
from qualcode.report.strings import integer, number, percent, words
from qualcode.report.template import page

SECTIONS = ("summary", "method", "classification", "themes", "cases", "warnings", "appendix")
_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def _anchor(prefix: str, n: int, name: str) -> str:
    return f"{prefix}-{n + 1}-{_SLUG.sub('-', name).strip('-')[:40]}"


def _section_titles(w: dict[str, str]) -> dict[str, str]:
    return {"summary": w["summary"], "method": w["method"], "classification": w["classification"],
            "themes": w["heatmap"], "cases": w["cases"], "warnings": w["warnings"],
            "appendix": w["appendix"]}


def _verdict(report: Report, case: CaseReport, w: dict[str, str]) -> str:
    if case.assigned:
        return (f'<span class="verdict" title="{esc(report.configuration_label(case.verdict))}">'
                f"{esc(case.verdict)}</span>")
    closest = w["best_closest"].format(best=case.best) if case.best else ""
    return (f'<span class="verdict open">{esc(w.get(case.verdict, case.verdict))}</span>'
            f'<span class="sub">{esc(closest)}</span>')


def _stability(case: CaseReport, lang: str, w: dict[str, str]) -> str:
    text = esc(number(case.stability, lang))
    if case.unstable_on:
        return f'{text} <span class="flag" title="{esc(w["unstable"])}">!</span>'
    return text


def _header(report: Report, w: dict[str, str]) -> str:
    lang = report.lang
    meta = [f'{esc(w["corpus"])} <code>{esc(report.corpus_label)}</code>',
            f'{integer(report.interviews, lang)} {esc(w["interviews"])}',
            f'{len(report.cases)} {esc(w["cases_n"])}',
            f'{integer(report.respondent_words, lang)} {esc(w["respondent_words"])}',
            f'{esc(w["codebook"].lower() if lang == "fr" else w["codebook"])} '
            f'<code>{esc(report.codebook_name)}</code> {esc(report.codebook_version)} '
            f'(<code>{esc(report.short_hash)}</code>)',
            f'{esc(w["created"])} {esc(report.created.replace("T", " ").replace("Z", " UTC"))}']
    toc = "".join(f'<li><a href="#{s}">{esc(t)}</a></li>' for s, t in _section_titles(w).items())
    return (f'<header>\n<h1>{esc(w["title"])}<small>{esc(report.title)}</small></h1>\n'
            f'<p class="meta">{"".join(f"<span>{m}</span>" for m in meta)}</p>\n</header>\n'
            f'<nav class="toc" aria-label="{esc(w["contents"])}"><h2>{esc(w["contents"])}</h2>'
            f"<ol>{toc}</ol></nav>\n")


def _names(cases: list[CaseReport]) -> str:
    return ", ".join(esc(c.case) for c in cases)


def _summary(report: Report, w: dict[str, str]) -> str:
    lang = report.lang
    out = [f'<section id="summary">\n<h2>{esc(w["summary"])}</h2>\n',
           "<p>" + esc(w["summary_cases"].format(
               cases=len(report.cases), by=report.by, interviews=integer(report.interviews, lang),
               words=integer(report.respondent_words, lang))) + "</p>\n",
           f'<table>\n<thead><tr><th>{esc(w["configuration"])}</th><th>{esc(w["label"])}</th>'
           f'<th>{esc(w["cases_n"].capitalize())}</th></tr></thead>\n<tbody>\n']
    for config in report.configurations:
        members = [c for c in report.cases if c.verdict == config]
        out.append(f'<tr><td><span class="verdict">{esc(config)}</span></td>'
                   f"<td>{esc(report.configuration_label(config))}</td>"
                   f"<td>{_names(members) or '–'}</td></tr>\n")
    for verdict in ("indeterminate", "insufficient"):
        members = [c for c in report.cases if c.verdict == verdict]
        if members:
            out.append(f'<tr><td><span class="verdict open">{esc(w[verdict])}</span></td><td></td>'
                       f"<td>{_names(members)}</td></tr>\n")
    out.append("</tbody>\n</table>\n")
    unstable = [c for c in report.cases if c.unstable_on]
    if unstable:
        names = ", ".join(c.case for c in unstable)
        out.append(f'<p>{esc(w["summary_unstable"].format(cases=names))}</p>\n')
    if report.notices:
        out.append(f'<p><a href="#warnings">{esc(w["summary_warnings"].format(count=len(report.notices)))}</a></p>\n')
    out.append(f'<p class="muted">{esc(w["summary_reading"])}</p>\n</section>\n')
    return "".join(out)


def _model_versions(report: Report) -> str:
    versions = report.versions
    parts = [f"qualcode {versions.get('qualcode', '?')}", f"Python {versions.get('python', '?')}",
             f"spaCy {versions.get('spacy', '?')}"]
    for lang, info in sorted((versions.get("pipelines") or {}).items()):
        name = info.get("name", "?")
        version = info.get("version") or ""
        parts.append(f"{lang}: {name} {version}".rstrip() + f" ({info.get('kind', '')})")
    return ", ".join(parts)


def _method(report: Report, w: dict[str, str]) -> str:
    lang = report.lang
    rule = report.rule
    anchors = rule.get("anchors") or {}
    facts = [
        (w["method_codebook"], f'<code>{esc(report.codebook_name)}</code> {esc(report.codebook_version)} — '
                               f'{esc(report.title)}<br><span class="muted">SHA-256</span> '
                               f'<code>{esc(report.codebook_sha256)}</code>'),
        (w["corpus"], f'<code>{esc(report.corpus_label)}</code>, {integer(report.interviews, lang)} '
                      f'{esc(w["interviews"])}'),
        (w["method_unit"], esc(report.unit)),
        (w["method_by"], esc(report.by)),
        (w["method_pipeline"], esc(report.pipeline)),
        (w["method_interviewer"], esc(w["yes"] if report.include_interviewer else w["no"])),
        (w["method_measure"], esc(rule.get("measure", ""))),
        (w["method_anchors"], " / ".join(esc(number(anchors.get(k), lang)) for k in
                                         ("exclusion", "crossover", "inclusion"))),
        (w["method_rule"], esc(w["method_rule_text"].format(
            score=number(rule.get("min_score"), lang), margin=number(rule.get("min_margin"), lang),
            interviews=rule.get("min_interviews", "?")))),
        (w["method_quotes"], esc(w["quotes_" + report.quotes])),
        (w["method_versions"], esc(_model_versions(report))),
        (w["method_files"], esc(w["method_files_text"])),
    ]
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>\n" for k, v in facts)
    return (f'<section id="method">\n<h2>{esc(w["method"])}</h2>\n<dl class="facts">\n{rows}</dl>\n'
            f'<p>{esc(w["method_scores"])}</p>\n</section>\n')


def _classification(report: Report, w: dict[str, str]) -> str:
    lang = report.lang
    threshold = report.rule.get("min_score")
    head = "".join(f'<th>{esc(c)}</th>' for c in report.configurations)
    out = [f'<section id="classification">\n<h2>{esc(w["classification"])}</h2>\n<table>\n<thead><tr>'
           f'<th>{esc(w["case"])}</th><th>{esc(w["region"])}</th><th class="num">{esc(w["interviews_col"])}</th>'
           f'<th>{esc(w["verdict"])}</th>{head}<th class="num">{esc(w["margin"])}</th>'
           f'<th class="num">{esc(w["stability"])}</th></tr></thead>\n<tbody>\n']
    for n, case in enumerate(report.cases):
        cells = []
        for config in report.configurations:
            score = case.scores.get(config, 0.0)
            kind = "on" if config == case.verdict else "best" if config == case.best else "off"
            label = f"{config} {number(score, lang)}"
            cells.append(f'<td class="score">{svg.score_bar(score, threshold=threshold, kind=kind, label=label, width=64)}'
                         f"{esc(number(score, lang))}</td>")
        out.append(f'<tr><td><a href="#{_anchor("case", n, case.case)}">{esc(case.case)}</a></td>'
                   f"<td>{esc(case.region)}</td><td class=\"num\">{case.interviews}</td>"
                   f"<td>{_verdict(report, case, w)}</td>{''.join(cells)}"
                   f'<td class="num">{esc(number(case.margin, lang))}</td>'
                   f'<td class="num">{_stability(case, lang, w)}</td></tr>\n')
    out.append("</tbody>\n</table>\n<ul class=\"plain\">\n")
    for config in report.configurations:
        out.append(f'<li><span class="verdict">{esc(config)}</span> {esc(report.configuration_label(config))}</li>\n')
    out.append("</ul>\n")
    for case in report.cases:
        if case.unstable_on:
            out.append(f'<p><span class="flag">!</span> {esc(case.case)} : ' if lang == "fr" else
                       f'<p><span class="flag">!</span> {esc(case.case)}: ')
            out.append(f'{esc(w["changes_without"])} {", ".join(f"<code>{esc(i)}</code>" for i in case.unstable_on)}.</p>\n')
    out.append("</section>\n")
    return "".join(out)


def _themes(report: Report, w: dict[str, str]) -> str:
    groups = [(report.group_label(g) if g else "", [(c, report.theme_label(c)) for c in codes])
              for g, codes in report.theme_groups()]
    cells = {}
    for case in report.cases:
        for code, found in case.prevalence.items():
            cells[(code, case.case)] = (found.share, f"{found.interviews}/{found.of}" if found.interviews else "")
    legend = [(s, percent(s, report.lang)) for s in (0.0, 0.25, 0.5, 0.75, 1.0)]
    drawing = svg.heatmap(groups, [c.case for c in report.cases], cells, title=w["heatmap"], legend=legend)
    return (f'<section id="themes">\n<h2>{esc(w["heatmap"])}</h2>\n<p class="muted">{esc(w["heatmap_note"])}</p>\n'
            f'<figure>{drawing}</figure>\n</section>\n')


def _case(report: Report, case: CaseReport, n: int, w: dict[str, str]) -> str:
    lang = report.lang
    out = [f'<article class="case" id="{_anchor("case", n, case.case)}">\n<h3>{esc(case.case)}'
           + (f' <span class="muted">({esc(case.region)})</span>' if case.region else "") + "</h3>\n"]
    if case.assigned:
        verdict = (f'<span class="verdict">{esc(case.verdict)}</span> — '
                   f"{esc(report.configuration_label(case.verdict))}")
    else:
        verdict = f'<span class="verdict open">{esc(w.get(case.verdict, case.verdict))}</span>'
        if case.best:
            verdict += f" ({esc(w['best_closest'].format(best=case.best))})"
    details = [f"{esc(w['runner_up'])} {esc(case.runner_up or '–')}",
               f"{esc(w['margin'].lower())} {esc(number(case.margin, lang))}",
               f"{esc(w['stability'].lower())} {_stability(case, lang, w)}",
               f"{case.interviews} {esc(w['interviews'])}"]
    out.append(f"<p>{verdict}. {', '.join(details)}.</p>\n")
    if case.unstable_on:
        out.append(f'<p><span class="flag">!</span> {esc(w["changes_without"])} '
                   f'{", ".join(f"<code>{esc(i)}</code>" for i in case.unstable_on)}.</p>\n')
    out.append('<div class="case-body">\n<div>\n')
    for key, items, sign in (("deciding", case.deciding(), "+"), ("against", case.against(), "")):
        if not items:
            continue
        out.append(f'<h4>{esc(w[key])} ({esc(case.target)})</h4>\n<table>\n<thead><tr><th>{esc(w["theme"])}</th>'
                   f'<th class="num">{esc(w["interviews_col"])}</th><th class="num">{esc(w["contribution"])}</th>'
                   "</tr></thead>\n<tbody>\n")
        for item in items:
            found = case.prevalence.get(item.code)
            share = f"{found.interviews}/{found.of}" if found else esc(percent(item.prevalence, lang))
            out.append(f'<tr><td>{esc(report.theme_label(item.code))} <code class="muted">{esc(item.code)}</code></td>'
                       f'<td class="num">{esc(share)}</td>'
                       f'<td class="num">{sign}{esc(number(item.contribution, lang))}</td></tr>\n')
        out.append("</tbody>\n</table>\n")
    out.append(f'<h4>{esc(w["evidence"])}</h4>\n')
    if not case.quotes:
        out.append(f'<p class="muted">{esc(w["no_quote"])}</p>\n')
    for quote in case.quotes:
        themes = ", ".join(esc(report.theme_label(c)) for c in quote.codes)
        out.append(f'<blockquote><p>« {esc(quote.text)} »</p>' if lang == "fr" else
                   f"<blockquote><p>“{esc(quote.text)}”</p>")
        out.append(f'<footer><code>{esc(quote.segment_id)}</code> · {themes}</footer></blockquote>\n')
    out.append("</div>\n<div>\n")
    out.append(_network(report, case, w))
    out.append("</div>\n</div>\n</article>\n")
    return "".join(out)


def _network(report: Report, case: CaseReport, w: dict[str, str]) -> str:
    actors = [(a, report.actor_label(a)) for a in report.actors]
    present = {a: segments for a, segments, _ in case.actors}
    title = f"{w['network']} — {case.case}"
    body = (svg.network(actors, present, case.pairs, title=title) if actors
            else f'<p class="muted">{esc(w["no_network"])}</p>')
    return (f'<h4>{esc(w["network"])}</h4>\n<figure>{body}<figcaption>{esc(w["network_note"])}'
            "</figcaption></figure>\n")


def _warnings(report: Report, w: dict[str, str]) -> str:
    out = [f'<section id="warnings">\n<h2>{esc(w["warnings"])}</h2>\n']
    if not report.notices:
        out.append(f'<p class="muted">{esc(w["no_warning"])}</p>\n</section>\n')
        return "".join(out)
    out.append(f'<table>\n<thead><tr><th>{esc(w["code"])}</th><th>{esc(w["subject"])}</th>'
               f'<th>{esc(w["message"])}</th></tr></thead>\n<tbody>\n')
    for notice in report.notices:
        out.append(f"<tr><td><code>{esc(notice.code)}</code></td><td><code>{esc(notice.subject)}</code></td>"
                   f"<td>{esc(notice.message)}</td></tr>\n")
    out.append("</tbody>\n</table>\n</section>\n")
    return "".join(out)


def _list(items: Any) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _appendix(report: Report, w: dict[str, str]) -> str:
    book = report.codebook
    lang = report.lang
    out = [f'<section id="appendix">\n<h2>{esc(w["appendix"])}</h2>\n',
           f'<p><code>{esc(report.codebook_name)}</code> {esc(report.codebook_version)} — {esc(report.title)}</p>\n']
    description = report.text(book.description)
    if description:
        out.append(f"<p>{esc(description)}</p>\n")
    out.append(f'<h3>{esc(w["configurations"])}</h3>\n')
    for config in book.configurations:
        out.append(f'<div class="code-entry"><h4>{esc(config.id)} — {esc(report.text(config.label))}</h4>\n')
        text = report.text(config.description)
        if text:
            out.append(f"<p>{esc(text)}</p>\n")
        out.append(f'<table>\n<thead><tr><th>{esc(w["theme"])}</th><th class="num">{esc(w["weight"])}</th>'
                   "</tr></thead>\n<tbody>\n")
        for indicator, weight in config.indicators.items():
            out.append(f'<tr><td>{esc(report.theme_label(indicator))} <code class="muted">{esc(indicator)}</code></td>'
                       f'<td class="num">{esc(number(weight, lang, 0 if float(weight).is_integer() else 2))}</td></tr>\n')
        out.append("</tbody>\n</table>\n</div>\n")
    by_group = book.codes_by_group()
    for group, codes in by_group.items():
        if not codes:
            continue
        out.append(f'<h3>{esc(report.group_label(group))} <code class="muted">{esc(group)}</code></h3>\n')
        for code in codes:
            out.append(f'<div class="code-entry"><h4>{esc(report.text(code.label))}<code>{esc(code.id)}</code></h4>\n')
            out.append(f'<p><strong>{esc(w["definition"])}.</strong> {esc(report.text(code.definition))}</p>\n')
            for key in ("include", "exclude"):
                items = dict(getattr(code, key) or {}).get(lang) or report.text(getattr(code, key))
                if items:
                    out.append(f'<p><strong>{esc(w[key])}</strong></p>{_list(items)}\n')
            out.append("</div>\n")
    if book.actors:
        out.append(f'<h3>{esc(w["providers"])}</h3>\n<ul>\n')
        for actor in book.actors:
            out.append(f'<li>{esc(report.text(actor.label))} <code class="muted">{esc(actor.id)}</code></li>\n')
        out.append("</ul>\n")
    out.append("</section>\n")
    return "".join(out)


def render_html(report: Report) -> str:
    """report.html as a string: one self-contained page (see the module's docstring)."""
    from qualcode import __version__

    w = words(report.lang)
    body = [_header(report, w), "<main>\n", _summary(report, w), _method(report, w),
            _classification(report, w), _themes(report, w), cooccurrence_html(report),
            f'<section id="cases">\n<h2>{esc(w["cases"])}</h2>\n']
    body += [_case(report, case, n, w) for n, case in enumerate(report.cases)]
    body += ["</section>\n", memos_html(report), _warnings(report, w), _appendix(report, w), "</main>\n",
             f'<footer class="page">qualcode {esc(__version__)} · {esc(report.codebook_name)} '
             f'{esc(report.codebook_version)} · {esc(report.created)}</footer>\n']
    title = f"{w['title']} — {report.title}"
    return page(esc(title), esc(report.lang), "".join(body), esc(f"qualcode {__version__}"))


__all__ = ["SECTIONS", "render_html"]
