"""The reports' memos section: the researcher's memos (memos.md), grouped by what they are about.

Rendered in its own block for HTML and Markdown; the text goes through
the report's quote filter like the quotes (a memo may name a person), and
paragraphs are kept. Framework summaries (`qualcode import framework`) are
case memos titled `summary` or `summary: THEME`, shown with their case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.report.escape import html_text as esc
from qualcode.report.escape import md_code, md_text
from qualcode.results.memos import KINDS, Memo

if TYPE_CHECKING:
    from qualcode.report.data import Report

SECTION_ID = "memos"
WORDS = {
    "fr": {"title": "Mémos", "note": "Les mémos analytiques de l'équipe (memos.md du dossier de résultats).",
           "project": "Projet", "code": "Codes", "case": "Cas", "interview": "Entretiens", "segment": "Segments"},
    "en": {"title": "Memos", "note": "The team's analytic memos (memos.md of the results folder).",
           "project": "Project", "code": "Codes", "case": "Cases", "interview": "Interviews", "segment": "Segments"},
}


def _subject(report: Report, memo: Memo) -> str:
    if memo.kind == "code":
        label = report.theme_label(memo.target)
        if label == memo.target:
            label = report.actor_label(memo.target)
        return label if label != memo.target else memo.target
    return memo.target


def _grouped(report: Report) -> list[tuple[str, list[Memo]]]:
    return [(kind, [m for m in report.memos if m.kind == kind]) for kind in KINDS
            if any(m.kind == kind for m in report.memos)]


def memos_html(report: Report) -> str:
    """The section for report.html ('' when there is no memo)."""
    if not report.memos:
        return ""
    w = WORDS.get(report.lang, WORDS["en"])
    out = [f'<section id="{SECTION_ID}">\n<h2>{esc(w["title"])}</h2>\n<p class="muted">{esc(w["note"])}</p>\n']
    for kind, memos in _grouped(report):
        out.append(f"<h3>{esc(w[kind])}</h3>\n")
        for memo in memos:
            subject = _subject(report, memo)
            head = esc(subject) + (f' <code class="muted">{esc(memo.target)}</code>'
                                   if subject != memo.target else "")
            if memo.title:
                head = (head + " — " if memo.target else "") + esc(memo.title)
            out.append(f'<div class="code-entry"><h4>{head}</h4>\n')
            for paragraph in (p for p in memo.text.split("\n\n") if p.strip()):
                out.append(f"<p>{esc(' '.join(paragraph.split()))}</p>\n")
            out.append("</div>\n")
    out.append("</section>\n")
    return "".join(out)


def memos_markdown(report: Report) -> list[str]:
    """The section for report.md (nothing when there is no memo)."""
    if not report.memos:
        return []
    w = WORDS.get(report.lang, WORDS["en"])
    out = [f'## {md_text(w["title"])}\n', md_text(w["note"]) + "\n"]
    for kind, memos in _grouped(report):
        out.append(f"### {md_text(w[kind])}\n")
        for memo in memos:
            head = " ".join(p for p in (md_text(_subject(report, memo)) if memo.target else "",
                                        md_code(memo.target) if memo.target else "") if p)
            if memo.title:
                head = (head + " — " if head else "") + md_text(memo.title)
            out.append(f"#### {head}\n")
            out.extend(md_text(p) + "\n" for p in memo.text.split("\n\n") if p.strip())
    return out


__all__ = ["memos_html", "memos_markdown"]
