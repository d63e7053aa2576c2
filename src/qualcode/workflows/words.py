"""`qualcode words` as functions: the respondents' words of a results folder or a corpus, by group.

    import qualcode

    w = qualcode.words("results/demo", by="configuration")
    w.frequencies()                    # one row per lemma, a count per group, covered by the codebook or not
    w.keyness()                        # each group against the others: G², p, log ratio
    qualcode.kwic("results/demo", "maison de l'emploi")   # every place the phrase occurs
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from qualcode.errors import Errors, UsageError
from qualcode.workbench.table import CONFIGURATION, Workbench, open_workbench, workbench_from_frames
from qualcode.workbench.words import Words, kwic, words


@dataclass
class Source:
    """The respondent segments to count, with the group and the language of each."""

    bench: Workbench
    segments: pd.DataFrame
    groups: list[str]
    languages: list[str]
    pipeline: str
    by: str


def _corpus_bench(path: Path, metadata: Path | str | None, codebook: Path | str | None, by: str | None
                  ) -> tuple[Workbench, str]:
    """A corpus read as if coded with nothing: one segment per turn, no evidence."""
    from qualcode.codebook.load import load_codebook
    from qualcode.corpus.read import read_corpus
    from qualcode.nlp.pipelines import DEFAULT_PIPELINE
    from qualcode.workbench.table import _text

    corpus = read_corpus(path, metadata)
    book = load_codebook(codebook)
    case_by = "area" if by is None or by == CONFIGURATION else by
    rows = []
    meta: dict[str, dict[str, str]] = {}
    for interview in corpus:
        meta[interview.id] = {str(k): _text(v) for k, v in interview.metadata.items() if k != "id"}
        meta[interview.id].setdefault("language", interview.language)
        case = _text(interview.get(case_by)) or interview.id
        for turn in interview.turns:
            rows.append((f"{interview.id}#t{turn.n}", interview.id, case, turn.n, "turn", turn.speaker,
                         str(turn.role), turn.start, turn.end, turn.words, turn.text))
    segments = pd.DataFrame(rows, columns=["segment_id", "interview_id", "case", "turn", "unit", "speaker", "role",
                                           "start", "end", "words", "text"])
    evidence = pd.DataFrame(columns=["segment_id", "code", "kind", "status", "start", "end", "matched_text",
                                     "counts_for"])
    return workbench_from_frames(segments, evidence, book, folder=path, metadata=meta), DEFAULT_PIPELINE


def open_source(source: Path | str, *, by: str | None = None, where: Iterable[str] = (),
                corpus: Path | str | None = None, metadata: Path | str | None = None,
                codebook: Path | str | None = None) -> Source:
    """The respondent segments of a results folder (its coding's pipeline) or of a corpus, grouped by `by`.

    `by` defaults to `configuration` when the results are classified, else
    `case`; `where` keeps the segments whose ATTRIBUTE is VALUE, as `segments
    --where` does (E460, E461, E465).
    """
    from qualcode.results.layout import MANIFEST_JSON
    from qualcode.workbench.select import make_query, select_segments

    path = Path(source)
    if path.is_dir() and (path / MANIFEST_JSON).is_file():
        bench = open_workbench(path, corpus=corpus, metadata=metadata, codebook=codebook)
        from qualcode.results.folder import ResultsFolder

        pipeline = str(ResultsFolder(path).options.get("pipeline") or "accurate")
    else:
        bench, pipeline = _corpus_bench(path, metadata, codebook, by)
    chosen = by or (CONFIGURATION if CONFIGURATION in bench.attributes.columns else "case")
    bench.check_attribute(chosen)
    keep = bench.attributes["speaker_role"] == "respondent"
    if where:
        ids = set(select_segments(bench, make_query(where, None, (), (), None, "sentence")))
        keep &= bench.segments["segment_id"].isin(ids)
    if not keep.any():
        raise UsageError(Errors.E465.format(what="the respondents' words" + (
            f" where {' and '.join(where)}" if where else "")))
    segments = bench.segments[keep.to_numpy()].reset_index(drop=True)
    groups = bench.attributes.loc[keep, chosen].astype(str).tolist()
    languages = (bench.attributes.loc[keep, "language"].astype(str).tolist()
                 if "language" in bench.attributes.columns else [str(bench.codebook.languages[0])] * len(segments))
    languages = [lang if lang in bench.codebook.languages else str(bench.codebook.languages[0]) for lang in languages]
    return Source(bench, segments, groups, languages, pipeline, chosen)


def word_counts(source: Path | str | Source, *, by: str | None = None, where: Iterable[str] = (),
                corpus: Path | str | None = None, metadata: Path | str | None = None,
                codebook: Path | str | None = None) -> Words:
    """`qualcode words`: the respondents' lemmas by group (`Words.frequencies`, `Words.keyness`)."""
    src = source if isinstance(source, Source) else open_source(
        source, by=by, where=where, corpus=corpus, metadata=metadata, codebook=codebook)
    return words(src.segments, src.groups, src.languages, src.bench.codebook, by=src.by, pipeline=src.pipeline)


def keywords_in_context(source: Path | str | Source, phrase: str, *, by: str | None = None,
                        where: Iterable[str] = (), width: int = 60, corpus: Path | str | None = None,
                        metadata: Path | str | None = None, codebook: Path | str | None = None) -> pd.DataFrame:
    """`qualcode words --kwic PHRASE`: every place the phrase occurs in the respondents' words."""
    src = source if isinstance(source, Source) else open_source(
        source, by=by, where=where, corpus=corpus, metadata=metadata, codebook=codebook)
    return kwic(src.segments, src.groups, src.languages, phrase, pipeline=src.pipeline, width=width)


__all__ = ["Source", "keywords_in_context", "open_source", "word_counts"]
