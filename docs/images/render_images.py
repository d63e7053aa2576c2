"""Regenerate the README's pictures from the sample corpus, by territory.

The territories of `long_areas.csv` have long hyphenated names, as real
studies do ("plaine-de-saint-orbe-et-mirebel"): the pictures show that the
tables and drawings keep such names whole.

* `terminal-report.svg`: the top of the terminal report of `qualcode analyze`
  (header, classification, themes by case, the first case), recorded by rich;
* `html-report.png`: the first screen of report.html, by headless Chromium.

Run from the repository root with `make images` (Chromium: Debian's
`chromium` package). SOURCE_DATE_EPOCH is fixed so that the pictures only
change when the report does.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def terminal_svg(report) -> str:
    """The top of the terminal report as an SVG, without rich's web font."""
    from rich.console import Console, Group

    from qualcode.report import terminal

    console = Console(record=True, width=100, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", legacy_windows=False)
    console.print(Group(terminal.header(report), terminal._section("Classification", False),
                        terminal.classification_table(report), *terminal.classification_notes(report),
                        terminal._section("Themes by case", False), terminal.theme_table(report),
                        terminal._section("Cases", False), terminal.case_block(report, report.cases[0])))
    svg = console.export_svg(title="qualcode analyze sample_data/cep_study --by territory")
    svg = re.sub(r"@font-face \{.*?\}\s*", "", svg, flags=re.S)  # no font fetched from the network
    return svg.replace("font-family: Fira Code, monospace",
                       'font-family: "Fira Code", "DejaVu Sans Mono", Menlo, Consolas, monospace')


def html_png(html: str, target: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("html-report.png needs Chromium: apt-get install -y chromium")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                        f"--screenshot={target}", "--window-size=1200,1600", page.as_uri()],
                       check=True, capture_output=True, timeout=120)


def main() -> None:
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    os.chdir(ROOT)
    from qualcode.workflows.analyze import analysis_files, analyze

    done = analyze("sample_data/cep_study", metadata=IMAGES / "long_areas.csv", by="territory")
    (IMAGES / "terminal-report.svg").write_text(terminal_svg(done.report()), encoding="utf-8")
    html_png(analysis_files(done, formats="html")["report.html"], IMAGES / "html-report.png")
    print(f"wrote {IMAGES / 'terminal-report.svg'} and {IMAGES / 'html-report.png'}")


if __name__ == "__main__":
    main()
