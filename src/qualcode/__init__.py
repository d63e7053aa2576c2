"""qualcode: code interview transcripts with a YAML codebook and spaCy, classify cases, report.

The library is the product; the `qualcode` command is a thin layer over it.
Everything a script or a notebook needs is importable from here, and loaded
only when first used (importing qualcode stays instant)::

    import qualcode

    corpus = qualcode.read_corpus("sample_data/cep_study")
    done = qualcode.analyze(corpus)                  # the bundled codebook
    done.classification.table                        # one row per area
    qualcode.write_folder("results/demo", qualcode.analysis_files(done), force=True)

The packages follow the flow, from the bottom up: `base` → `corpus`,
`codebook` → `nlp`, `coding` → `classification`, `validation` → `results`
→ `report`, `interop`, `anonymise` → `workflows` → `cli`
(docs/architecture.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from qualcode.errors import CodebookError, CorpusError, QualcodeError
from qualcode.version import __version__

#: public name -> the module that defines it
_PUBLIC = {
    # inputs
    "Corpus": "qualcode.corpus.model", "Interview": "qualcode.corpus.model", "Turn": "qualcode.corpus.model",
    "read_corpus": "qualcode.corpus.read",
    "Codebook": "qualcode.codebook.model", "load_codebook": "qualcode.codebook.load",
    "export_codebook": "qualcode.codebook.export",
    # coding and analysis
    "Codings": "qualcode.coding.engine", "code_corpus": "qualcode.coding.engine",
    "code_texts": "qualcode.coding.engine",
    "case_matrix": "qualcode.classification.cases", "Classification": "qualcode.classification.classify",
    "classify": "qualcode.classification.classify",
    # validation
    "read_human_codings": "qualcode.validation.humans", "agreement_report": "qualcode.validation.agreement",
    "compare": "qualcode.validation.agreement", "disagreements": "qualcode.validation.agreement",
    "codebook_drift": "qualcode.validation.drift", "check_codebook": "qualcode.validation.examples",
    # results folders
    "ResultsFolder": "qualcode.results.folder", "write_folder": "qualcode.base.atomic",
    # workflows: what each command does, as one call
    "code": "qualcode.workflows.code", "CodingOptions": "qualcode.workflows.code",
    "analyze": "qualcode.workflows.analyze", "analysis_files": "qualcode.workflows.analyze",
    "Analysis": "qualcode.workflows.analyze", "classify_folder": "qualcode.workflows.classify",
    "write_classification": "qualcode.workflows.classify", "load_report": "qualcode.workflows.report",
    "agree": "qualcode.workflows.agree", "diff": "qualcode.workflows.agree",
    "learn": "qualcode.workflows.learn", "suggest": "qualcode.workflows.learn", "LearnRun": "qualcode.workflows.learn",
    "load_model": "qualcode.learning.folder", "read_training_codings": "qualcode.validation.humans",
    # exchange and pseudonymisation
    "export_qdpx": "qualcode.interop.qdpx_export", "import_qdpx": "qualcode.interop.qdpx_import",
    "export_qdc": "qualcode.interop.qdc", "import_qdc": "qualcode.interop.qdc",
    "export_table": "qualcode.interop.table", "export_iramuteq": "qualcode.interop.iramuteq",
    "Anonymiser": "qualcode.anonymise.anonymiser", "anonymise_corpus": "qualcode.anonymise.write",
    # the researcher's workbench: matrices, selections, words, memos, QCA (each returns DataFrames)
    "open_workbench": "qualcode.workbench.table", "Workbench": "qualcode.workbench.table",
    "matrix": "qualcode.workflows.workbench", "select_segments": "qualcode.workflows.workbench",
    "write_matrix": "qualcode.workflows.workbench",
    "word_counts": "qualcode.workflows.words", "keywords_in_context": "qualcode.workflows.words",
    "read_memos": "qualcode.results.memos", "write_memos": "qualcode.results.memos",
    "memos_frame": "qualcode.results.memos", "Memo": "qualcode.results.memos",
    "qca_table": "qualcode.workflows.qca", "export_qca": "qualcode.workflows.qca",
    "truth_table": "qualcode.workbench.qca", "fit": "qualcode.workbench.qca",
    "export_framework": "qualcode.workflows.framework", "import_framework": "qualcode.workflows.framework",
}

__all__ = [
    "Analysis",
    "Anonymiser",
    "Classification",
    "Codebook",
    "CodebookError",
    "CodingOptions",
    "Codings",
    "Corpus",
    "CorpusError",
    "Interview",
    "LearnRun",
    "Memo",
    "QualcodeError",
    "ResultsFolder",
    "Turn",
    "Workbench",
    "__version__",
    "agree",
    "agreement_report",
    "analysis_files",
    "analyze",
    "anonymise_corpus",
    "case_matrix",
    "check_codebook",
    "classify",
    "classify_folder",
    "code",
    "code_corpus",
    "code_texts",
    "codebook_drift",
    "compare",
    "diff",
    "disagreements",
    "export_codebook",
    "export_framework",
    "export_iramuteq",
    "export_qca",
    "export_qdc",
    "export_qdpx",
    "export_table",
    "fit",
    "import_framework",
    "import_qdc",
    "import_qdpx",
    "keywords_in_context",
    "learn",
    "load_codebook",
    "load_model",
    "load_report",
    "matrix",
    "memos_frame",
    "open_workbench",
    "qca_table",
    "read_corpus",
    "read_human_codings",
    "read_memos",
    "read_training_codings",
    "select_segments",
    "suggest",
    "truth_table",
    "word_counts",
    "write_classification",
    "write_folder",
    "write_matrix",
    "write_memos",
]

if TYPE_CHECKING:
    from qualcode.anonymise.anonymiser import Anonymiser
    from qualcode.anonymise.write import anonymise_corpus
    from qualcode.base.atomic import write_folder
    from qualcode.classification.cases import case_matrix
    from qualcode.classification.classify import Classification, classify
    from qualcode.codebook.export import export_codebook
    from qualcode.codebook.load import load_codebook
    from qualcode.codebook.model import Codebook
    from qualcode.coding.engine import Codings, code_corpus, code_texts
    from qualcode.corpus.model import Corpus, Interview, Turn
    from qualcode.corpus.read import read_corpus
    from qualcode.interop.iramuteq import export_iramuteq
    from qualcode.interop.qdc import export_qdc, import_qdc
    from qualcode.interop.qdpx_export import export_qdpx
    from qualcode.interop.qdpx_import import import_qdpx
    from qualcode.interop.table import export_table
    from qualcode.learning.folder import load_model
    from qualcode.results.folder import ResultsFolder
    from qualcode.results.memos import Memo, memos_frame, read_memos, write_memos
    from qualcode.validation.agreement import agreement_report, compare, disagreements
    from qualcode.validation.drift import codebook_drift
    from qualcode.validation.examples import check_codebook
    from qualcode.validation.humans import read_human_codings, read_training_codings
    from qualcode.workbench.qca import fit, truth_table
    from qualcode.workbench.table import Workbench, open_workbench
    from qualcode.workflows.agree import agree, diff
    from qualcode.workflows.analyze import Analysis, analysis_files, analyze
    from qualcode.workflows.classify import classify_folder, write_classification
    from qualcode.workflows.code import CodingOptions, code
    from qualcode.workflows.framework import export_framework, import_framework
    from qualcode.workflows.learn import LearnRun, learn, suggest
    from qualcode.workflows.qca import export_qca, qca_table
    from qualcode.workflows.report import load_report
    from qualcode.workflows.words import keywords_in_context, word_counts
    from qualcode.workflows.workbench import matrix, select_segments, write_matrix


def __getattr__(name: str) -> Any:
    """Load a public name's module on first use: `import qualcode` imports nothing heavy."""
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'qualcode' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
