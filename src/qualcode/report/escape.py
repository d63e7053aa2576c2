"""Escaping for the file reports: transcript and codebook text can never become markup.

`html_text` is `html.escape` (quotes included) after control characters are
dropped, with every `/` of a `//` written as `&#47;`: a URL that a
respondent dictated stays readable but the file holds no `//` at all, so
nothing in it can be mistaken for a network reference.

`md_text` makes text inert in GitHub-flavoured Markdown: line breaks become
spaces, the characters that open emphasis, links, code, HTML or table
cells are backslash-escaped, `&` too (so that `&lt;` stays literal), and a
leading `#`, `=`, `-`, `+`, `>` or `1.` cannot start a heading, a rule, a
list or a quote.
"""

from __future__ import annotations

import html
import re

from qualcode.base.text import flat, printable

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LEADING = re.compile(r"^(\s*)(#|=|[-+](?=\s|[-+\s]*$)|\d+[.)](?=\s|$))")
_SPACES = re.compile(r"\s+")


def html_text(text: object) -> str:
    """Text for an HTML element or attribute value: escaped, no control characters, no `//`."""
    return html.escape(printable(text), quote=True).replace("//", "&#47;&#47;").replace(
        "&#47;/", "&#47;&#47;")


def md_text(text: object) -> str:
    """Text for a Markdown paragraph or table cell: one line, inert."""
    flat = _SPACES.sub(" ", printable(text)).strip()
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    escaped = escaped.replace("://", "\\://")  # no GitHub autolink
    return _MD_LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2) if len(m.group(2)) == 1
                           else m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], escaped)


def md_code(text: object) -> str:
    """An identifier in backticks, on one line (ids never hold a backtick; any is removed).

    A line break would end the code span, and in a table the row: what follows
    would be read as Markdown (a heading, a link, raw HTML).
    """
    return "`" + flat(printable(text)).replace("`", "").replace("|", "\\|") + "`"
