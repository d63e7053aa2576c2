"""Exchange with the programs researchers use: REFI-QDA, IRaMuTeQ, tables.

One module per exchange, each a plain function from files to files that the
CLI (`qualcode export ...`, `qualcode import ...`) wraps:

* `qdpx_export.export_qdpx(RESULTS, OUT)`: a results folder as a REFI-QDA
  project for NVivo, ATLAS.ti, MAXQDA and QualCoder;
* `qdpx_import.import_qdpx(FILE, OUT)`: another program's project as a
  qualcode corpus and a human coding (`human_coding.csv`);
* `qdc.export_qdc(CODEBOOK, OUT)` and `qdc.import_qdc(FILE, OUT)`: codebooks;
* `iramuteq.export_iramuteq(RESULTS, OUT)`: an IRaMuTeQ corpus;
* `table.export_table(RESULTS, OUT, level=...)`: a tidy CSV or Excel table.

`offsets` maps other programs' selection offsets (code points or UTF-16,
CRLF as one or two) onto qualcode's text; `_safe` reads hostile archives and
XML safely and writes deterministic zips; `_refi` builds and validates the
REFI-QDA XML; `_results` reads a results folder back with its corpus. The
user guide is docs/interop.md.
"""

from __future__ import annotations

_EXPORTS = {
    "export_qdpx": "qualcode.interop.qdpx_export",
    "import_qdpx": "qualcode.interop.qdpx_import",
    "export_qdc": "qualcode.interop.qdc",
    "import_qdc": "qualcode.interop.qdc",
    "export_iramuteq": "qualcode.interop.iramuteq",
    "export_table": "qualcode.interop.table",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:  # the modules import pandas, xmlschema...: only when used
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
