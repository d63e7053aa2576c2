"""The reports' co-occurrence section: each count links to a list of exactly that many quotes.

Checked on report.html as qualcode wrote it, and on the DOM headless Chromium
builds from it (when Debian's chromium is there: `make browser-test`).
"""

from __future__ import annotations

import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import qualcode

CHROMIUM = Path("/usr/bin/chromium")


class _Links(HTMLParser):
    """The co-occurrence links (href -> shown count) and each target's quoted segment ids."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, int]] = []
        self.ids: set[str] = set()
        self.quotes: dict[str, list[str]] = {}
        self._href: str | None = None
        self._cell: str | None = None
        self._code = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "div" and "co-cell" in (a.get("class") or ""):
            self._cell = a["id"]
            self.quotes[self._cell] = []
        if tag == "a" and (a.get("href") or "").startswith("#co-"):
            self._href = a["href"][1:]
        self._code = tag == "code" and self._cell is not None

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None
        if tag == "div":
            self._cell = None
        if tag == "code":
            self._code = False

    def handle_data(self, data):
        if self._href is not None and data.strip():
            self.links.append((self._href, int(data)))
        if self._code and self._cell is not None and "#" in data:
            self.quotes[self._cell].append(data.strip())


def _check(html: str, results: Path) -> int:
    parsed = _Links()
    parsed.feed(html)
    assert parsed.links
    m = qualcode.matrix(results, cooccur="segment")
    # the report numbers the themes that co-occur with some other theme, in the matrix's order
    codes = [c for c in m.row_values if any(m.ids(c, o) for o in m.row_values if o != c)]
    for target, count in parsed.links:
        assert target in parsed.ids, target
        quoted = parsed.quotes[target]
        assert len(quoted) == count == len(set(quoted))
        first, second = (int(n) for n in re.fullmatch(r"co-(\d+)-(\d+)", target).groups())
        assert sorted(quoted) == sorted(m.ids(codes[first - 1], codes[second - 1])), target
    return len(parsed.links)


def test_every_cooccurrence_link_resolves_to_as_many_quotes_as_it_counts(sample_results):
    html = (sample_results / "report.html").read_text(encoding="utf-8")
    assert _check(html, sample_results) > 20
    md = (sample_results / "report.md").read_text(encoding="utf-8")
    assert "Thèmes cités ensemble" in md


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("QUALCODE_BROWSER_TEST"),
                    reason="needs Debian's chromium (make browser-test installs it)")
def test_the_links_resolve_in_chromium(sample_results, tmp_path):
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
               (sample_results / "report.html").resolve().as_uri() + "#co-1-2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _check(done.stdout, sample_results) > 20
