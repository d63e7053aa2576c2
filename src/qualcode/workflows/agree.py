"""`qualcode agree` and `qualcode diff` as functions: code a corpus, then compare.

`agree` codes the corpus, reads the human coding against it and measures
agreement (and, if asked, lists the disagreements); `diff` codes the corpus
with two versions of a codebook and lists the segments each code gains and
loses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.base.atomic import scratch_folder
from qualcode.errors import Errors, UsageError
from qualcode.validation.statistics import DEFAULT_RESAMPLES, DEFAULT_SEED
from qualcode.workflows.code import CodingOptions, WarningCallback, code

if TYPE_CHECKING:
    import pandas as pd

    from qualcode.coding.engine import ProgressCallback
    from qualcode.validation.agreement import Agreement
    from qualcode.validation.drift import Drift
    from qualcode.workflows.analyze import StageProgress
    from qualcode.workflows.code import CodingRun


@dataclass
class AgreementRun:
    """The coding, the agreement with the human coding, and the disagreements when asked."""

    run: CodingRun
    agreement: Agreement
    disagreements: pd.DataFrame | None


def agree(corpus: Path | str, human: Sequence[Path | str], codebook: Path | str | None = None, *,
          options: CodingOptions = CodingOptions(), metadata: Path | str | None = None,
          coders: Sequence[str] | None = None, whole_corpus: bool = False,
          resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, with_disagreements: bool = False,
          on_progress: ProgressCallback | None = None,
          on_warning: WarningCallback | None = None) -> AgreementRun:
    """Agreement of qualcode with one human coder, or of two or more human coders.

    The human coding's own warnings go to `on_warning` too.
    """
    from qualcode.validation.agreement import agreement_report, disagreements
    from qualcode.validation.humans import read_human_codings

    run = code(corpus, codebook, options=options, metadata=metadata, on_progress=on_progress)
    humans = read_human_codings(list(human), run.codings.segments, run.codebook, corpus=run.corpus)
    if on_warning is not None:
        for message in humans.attrs.get("warnings", []):
            on_warning(message)
    result = agreement_report(run.codings, humans, run.codebook, coders=coders, whole_corpus=whole_corpus,
                              resamples=resamples, seed=seed)
    rows = None
    if with_disagreements:
        rows = disagreements(run.codings, humans, run.codebook, coders=coders, whole_corpus=whole_corpus)
    return AgreementRun(run, result, rows)


def diff(corpus: Path | str, codebooks: Sequence[Path | str], *, options: CodingOptions = CodingOptions(),
         metadata: Path | str | None = None, stage: StageProgress | None = None) -> Drift:
    """Coding drift between two versions of a codebook: give the old one, then the new one.

    Without a cache, a scratch one still spares parsing the corpus twice.

    Raises:
        UsageError: not exactly two codebooks (E512).
    """
    from qualcode.codebook.load import load_codebook
    from qualcode.corpus import read_corpus
    from qualcode.validation.drift import codebook_drift

    if len(codebooks) != 2:
        raise UsageError(Errors.E512.format(count=len(codebooks)))
    read = read_corpus(corpus, metadata, required=(options.by,), read_as=options.read_as,
                       strict=options.strict)
    old_book, new_book = load_codebook(codebooks[0]), load_codebook(codebooks[1])
    with scratch_folder("diff") as scratch:
        cache = scratch if options.cache_dir in (False, None) else options.cache_dir
        scoped = replace(options, cache_dir=cache)
        runs = [code(read, book, options=scoped, on_progress=stage("coding", "turns") if stage else None)
                for book in (old_book, new_book)]
    return codebook_drift(runs[0].codings, runs[1].codings, old_book, new_book)
