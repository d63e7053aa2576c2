"""report.html in headless Chromium, on screen and printed to PDF, with long area names (`make browser-test`).

The sample corpus is analysed by territory, whose names are long and
hyphenated (docs/images/long_areas.csv: "plaine-de-saint-orbe-et-mirebel"),
as in real studies. On screen, a copy of the page with a measuring script
(the report itself runs none: its Content-Security-Policy forbids it) checks
in the laid-out page that the heatmap's column heads are whole and never
overlap (their baselines, parallel at 45 degrees, at least a line apart), that the network's names neither overlap each other nor cross its
lines, and that every case name stays on one line. Printed to PDF (A4, the
report's print CSS), each case's heading is on the page of its provider
graph, and no name is broken at a hyphen.

Run by `make browser-test` (which installs Debian's chromium when it can),
skipped by `make test`: three Chromium runs take minutes on two cores.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.cli import app
from support.paths import ROOT, SAMPLE

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
LONG_AREAS = ROOT / "docs" / "images" / "long_areas.csv"

#: three Chromium runs and an analysis: minutes on two cores, so `make browser-test`, not `make test`
pytestmark = pytest.mark.skipif(not os.environ.get("QUALCODE_BROWSER_TEST"),
                                reason="run by `make browser-test` (headless Chromium, a few minutes)")

#: measures the laid-out page and writes what it found into <pre id="qc-check">
MEASURE = r"""
<script>
// rectangles of horizontal text (the network's names); the heatmap's rotated heads are measured apart
function boxes(nodes) { return Array.from(nodes).map(n => n.getBoundingClientRect()); }
function overlap(a, b) { return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5; }
function pairs(list) { let n = 0; for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (overlap(list[i], list[j])) n++; return n; }
function crosses(r, x1, y1, x2, y2) {
  // a segment crosses a rectangle: sample it finely (the drawings are small)
  for (let t = 0.02; t < 0.98; t += 0.004) { const x = x1 + (x2 - x1) * t, y = y1 + (y2 - y1) * t;
    if (x > r.left + 1 && x < r.right - 1 && y > r.top + 1 && y < r.bottom - 1) return true; }
  return false;
}
const found = {heads: 0, heads_overlap: 0, heads_cut: 0, nodes: 0, nodes_overlap: 0, nodes_on_lines: 0,
               names: 0, names_wrapped: [], networks: 0};
for (const svg of document.querySelectorAll('svg.heatmap')) {
  const heads = Array.from(svg.querySelectorAll('text.head'));
  found.heads += heads.length;
  // the heads are parallel, at 45 degrees: two collide when their baselines are closer than a line
  const m = svg.getScreenCTM(), size = parseFloat(getComputedStyle(svg).fontSize) * m.a;
  const starts = heads.map(h => new DOMPoint(h.x.baseVal[0].value, h.y.baseVal[0].value).matrixTransform(m));
  for (let i = 0; i < starts.length; i++) for (let j = i + 1; j < starts.length; j++)
    if (Math.abs((starts[j].x - starts[i].x) + (starts[j].y - starts[i].y)) * Math.SQRT1_2 < size) found.heads_overlap++;
  for (const h of heads) { const title = h.querySelector('title'); const own = h.textContent.replace(title ? title.textContent : '', '');
    if (!title || own !== title.textContent) found.heads_cut++; }
}
for (const svg of document.querySelectorAll('svg.network')) {
  found.networks++;
  const labels = boxes(svg.querySelectorAll('text.node'));
  found.nodes += labels.length;
  found.nodes_overlap += pairs(labels);
  const m = svg.getScreenCTM();
  for (const line of svg.querySelectorAll('line')) {
    const p1 = new DOMPoint(line.x1.baseVal.value, line.y1.baseVal.value).matrixTransform(m);
    const p2 = new DOMPoint(line.x2.baseVal.value, line.y2.baseVal.value).matrixTransform(m);
    for (const r of labels) if (crosses(r, p1.x, p1.y, p2.x, p2.y)) found.nodes_on_lines++;
  }
}
for (const name of document.querySelectorAll('.name')) {
  found.names++;
  if (name.getClientRects().length !== 1) found.names_wrapped.push(name.textContent);
}
const pre = document.createElement('pre'); pre.id = 'qc-check'; pre.textContent = JSON.stringify(found);
document.body.appendChild(pre);
</script>
"""


@pytest.fixture(scope="module")
def long_report(tmp_path_factory) -> tuple[Path, list[str]]:
    """The sample study by territory (long names), analysed once, with SOURCE_DATE_EPOCH fixed."""
    out = tmp_path_factory.mktemp("browser") / "results"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        result = CliRunner().invoke(app, ["analyze", str(SAMPLE / "cep_study"), "--metadata", str(LONG_AREAS),
                                          "--by", "territory", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    names = sorted({line.split(",")[1] for line in LONG_AREAS.read_text(encoding="utf-8").splitlines()[1:]})
    return out / "report.html", names


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.mark.parametrize("width", [1280, 820])
def test_screen_labels_are_whole_and_never_collide(long_report, tmp_path, width):
    html, names = long_report
    page = html.read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    copy = tmp_path / "measured.html"
    copy.write_text(page.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = _chromium(tmp_path, f"--window-size={width},1400", "--virtual-time-budget=5000", "--dump-dom",
                     copy.as_uri())
    found = json.loads(re.search(r'<pre id="qc-check">(.*?)</pre>', done.stdout, flags=re.S).group(1)
                       .replace("&quot;", '"').replace("&amp;", "&"))
    assert found["heads"] >= len(names) and found["networks"] == len(names), found
    assert found["heads_overlap"] == 0 and found["heads_cut"] == 0, found
    assert found["nodes"] >= 5 * len(names) and found["nodes_overlap"] == 0, found
    assert found["nodes_on_lines"] == 0, found
    assert found["names"] > len(names) and found["names_wrapped"] == [], found


def test_print_keeps_headings_with_graphs_and_names_whole(long_report, tmp_path):
    from pypdf import PdfReader

    html, names = long_report
    pdf = tmp_path / "report.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    # NFKC: the PDF's fonts write "fl" of "confluence" as one ligature glyph
    raw = [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(str(pdf)).pages]
    pages = [" ".join(text.split()) for text in raw]
    assert len(pages) > 5
    for name in names:
        # the case's heading ("name (region)") and its graph's caption ("name — ...") share a page
        headings = [n for n, text in enumerate(pages) if re.search(rf"{re.escape(name)} \([^)]+\)", text)]
        captions = [n for n, text in enumerate(pages) if f"{name} —" in text]
        assert headings and captions, (name, headings, captions)
        assert set(captions) <= set(headings), (name, headings, captions)
        for text in raw:
            for cut in [m.end() for m in re.finditer("-", name)]:
                assert not re.search(rf"{re.escape(name[:cut])}\s*\n\s*{re.escape(name[cut:])}", text), name
