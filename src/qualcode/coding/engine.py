"""From a corpus and a codebook to a table of codings that can be audited line by line.

`code_corpus` parses every turn to code once per pipeline (or takes it from
the cache), finds the codebook's patterns, actors and negation cues in each
parsed turn, and reports them per coding unit as pandas DataFrames whose
columns are fixed in `qualcode.coding.frames`:

* ``segments``: every unit, coded or not;
* ``codings``: one row per code (theme or actor) and segment, holding the
  first piece of evidence of the row's status and the number of matches;
* ``evidence``: every match, so that nothing a reviewer may ask about is lost.

A row's ``status`` is ``present`` when any match of the code in the segment is
neither negated nor historical, else ``historical``, else ``negated``;
``counts_for`` says which code the segment counts for as a result (the code
itself, nothing, or the code the codebook maps a negated or past mention to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from qualcode.coding.coded import Memo
from qualcode.coding.frames import codings_frame, evidence_frame, segments_frame
from qualcode.coding.hits import HitCounts, TurnSource
from qualcode.coding.matchers import (
    ACTOR,
    HISTORICAL,
    NEGATED,
    PRESENT,
    THEME,
    LanguageMatchers,
    LanguageRules,
    LocalNames,
    Match,
)
from qualcode.coding.units import Segment, check_unit, turn_segments
from qualcode.corpus.model import UNKNOWN_LANGUAGE, Corpus, Interview, Turn
from qualcode.defaults import CASE_ATTRIBUTE, PIPELINE, UNIT
from qualcode.errors import CodingError, Errors

#: metadata attributes that give an interview's own names for a code or an actor: `alias.<id>`
ALIAS_PREFIX = "alias."

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from qualcode.codebook.model import Codebook
    from qualcode.coding.patterns import Hits
    from qualcode.nlp.cluster import Cluster
    from qualcode.nlp.tokens import TurnView

ProgressCallback = Callable[[int, int], None]
#: sees every turn of an interview as it is coded: the interview, the turn, its parsed
#: document and its coding units (none for a turn that is not coded, such as a question)
TurnObserver = Callable[["Interview", "Turn", "Doc", "list[Segment]"], None]
#: a turn longer than this (spaCy's own default `max_length`) is refused before parsing (E801)
MAX_TURN_CHARS = 1_000_000


@dataclass
class Codings:
    """The result of coding a corpus: segments, codings, evidence, and how they were made."""

    segments: pd.DataFrame
    codings: pd.DataFrame
    evidence: pd.DataFrame
    unit: str
    by: str
    pipeline: str
    pipelines: dict[str, Any] = field(default_factory=dict)
    codebook_name: str = ""
    codebook_version: str = ""
    codebook_sha256: str = ""
    cache_hits: int = 0
    cache_misses: int = 0
    #: (interview, pattern item) pairs matched in this run, and read from the match cache instead
    items_matched: int = 0
    items_cached: int = 0

    def applied(self, kind: str = THEME) -> pd.DataFrame:
        """Unique (segment_id, code) pairs that count, after negation and mapping."""
        ev = self.evidence
        ev = ev[(ev["kind"] == kind) & (ev["counts_for"] != "")]
        pairs = ev[["segment_id", "counts_for"]].drop_duplicates()
        return pairs.rename(columns={"counts_for": "code"}).reset_index(drop=True)

    def table(self) -> pd.DataFrame:
        """codings.csv: the codings, with `counts_for_all` (after `counts_for`): every code the row's matches count for.

        A row keeps the first match's `counts_for`; a segment where one match of
        a code counts for one code and another for a second (a present and a
        past mention, mapped elsewhere) would lose the second pair, which
        evidence.csv, the tables and the `.qdpx` keep.
        """
        found: dict[tuple[str, str], list[str]] = {}
        ev = self.evidence
        for segment, code, counted in zip(ev["segment_id"], ev["code"], ev["counts_for"]):
            if counted:
                targets = found.setdefault((str(segment), str(code)), [])
                if counted not in targets:
                    targets.append(str(counted))
        table = self.codings.drop(columns=["counts_for_all"], errors="ignore")
        table.insert(list(table.columns).index("counts_for") + 1, "counts_for_all", [
            ";".join(found.get((str(s), str(c)), [str(first)] if first else []))
            for s, c, first in zip(table["segment_id"], table["code"], table["counts_for"])])
        return table


def _turns_to_code(interview: Interview, include_interviewer: bool) -> list[Turn]:
    return [t for t in interview.turns if include_interviewer or t.is_respondent]


def check_turn_lengths(corpus: Corpus) -> None:
    """Refuse a turn that the pipeline cannot parse in one piece (E801), before any parsing."""
    for interview in corpus:
        for turn in interview.turns:
            if len(turn.text) > MAX_TURN_CHARS:
                raise CodingError(Errors.E801.format(turn=f"t{turn.n}", length=len(turn.text),
                                                     limit=MAX_TURN_CHARS),
                                  path=Path(corpus.root) / interview.file)


def build_matchers(codebook: Codebook, language: str, pipeline: str = PIPELINE) -> LanguageMatchers:
    """The matchers of one language, for scripts that code single texts."""
    from qualcode.nlp.pipelines import load_pipeline

    return LanguageMatchers(codebook, language, load_pipeline(language, pipeline))


def code_corpus(
    corpus: Corpus,
    codebook: Codebook | Path | str | None = None,
    unit: str = UNIT,
    *,
    by: str = CASE_ATTRIBUTE,
    include_interviewer: bool = False,
    pipeline: str = PIPELINE,
    cache_dir: Path | str | bool | None = True,
    workers: int = 1,
    on_progress: ProgressCallback | None = None,
    observer: TurnObserver | None = None,
    scheduler: str | None = None,
) -> Codings:
    """Code every respondent segment of a corpus with a codebook.

    `cache_dir`: True for the user cache folder, False or None for no cache,
    or a folder. `on_progress(done, total)` counts parsed turns. `observer`
    sees every parsed turn (a trained model reads its features there, so
    that nothing is parsed twice). `scheduler`: a Dask scheduler's address
    or ``local:N`` to parse on a cluster (`qualcode.nlp.cluster`; the
    results are the same).
    """
    from qualcode.nlp.cluster import Cluster

    cluster = Cluster(scheduler) if scheduler else None
    try:
        return _code_corpus(corpus, codebook, unit, by=by, include_interviewer=include_interviewer,
                            pipeline=pipeline, cache_dir=cache_dir, workers=workers, on_progress=on_progress,
                            observer=observer, cluster=cluster)
    finally:
        if cluster is not None:
            cluster.close()


def _code_corpus(
    corpus: Corpus,
    codebook: Codebook | Path | str | None,
    unit: str,
    *,
    by: str,
    include_interviewer: bool,
    pipeline: str,
    cache_dir: Path | str | bool | None,
    workers: int,
    on_progress: ProgressCallback | None,
    observer: TurnObserver | None,
    cluster: Cluster | None,
) -> Codings:
    from qualcode.nlp.cache import DocCache, default_cache_dir
    from qualcode.nlp.info import check_pipeline, pipeline_info

    if codebook is None or isinstance(codebook, (str, Path)):
        from qualcode.codebook import load_codebook

        codebook = load_codebook(codebook)
    check_unit(unit)
    check_pipeline(pipeline)
    declared = list(codebook.languages)
    for language in corpus.languages:
        if language not in declared and language != UNKNOWN_LANGUAGE:
            raise CodingError(Errors.E303.format(language=language, declared=", ".join(declared)))
    check_turn_lengths(corpus)
    folder: Path | None
    if cache_dir is True:
        folder = default_cache_dir()
    elif cache_dir in (False, None):
        folder = None
    else:
        folder = Path(cache_dir)  # type: ignore[arg-type]

    cache = DocCache(folder) if folder is not None else None
    segment_rows: list[Segment] = []
    segment_case: dict[str, str] = {}
    evidence_rows: list[tuple[Segment, Match]] = []
    infos: dict[str, Any] = {}
    counts = HitCounts()
    total_turns = sum(len(i.turns) for i in corpus)
    base_done = 0
    for language in corpus.languages:
        group = [i for i in corpus if i.language == language]

        def progress(done: int, total: int, _base: int = base_done) -> None:
            if on_progress:
                on_progress(_base + done, total_turns)

        infos[language] = pipeline_info(language, pipeline)
        # a language that is neither French nor English: its segments are listed, never matched
        rules = None if language == UNKNOWN_LANGUAGE else LanguageRules(codebook, language)
        entries = [(i, local_names(i, codebook) if rules is not None else LocalNames()) for i in group]
        source = TurnSource(language, pipeline, rules, folder=folder, doc_cache=cache, workers=workers,
                            cluster=cluster, want_docs=observer is not None)
        base_done += sum(len(i.turns) for i in group)
        # an observer reads documents: every interview then goes through the source
        memo = Memo(source, codebook, language) if rules is not None and observer is None else None
        kept = [memo.read(interview, local) for interview, local in entries] if memo else [None] * len(entries)
        fresh = source.turns([e for e, k in zip(entries, kept) if k is None])
        done = 0
        for (interview, local), memo_turns in zip(entries, kept):
            case = interview.get(by)
            case = "" if case is None else str(case)
            coded = {t.n for t in _turns_to_code(interview, include_interviewer)}
            docs: Sequence[Doc | None] = [None] * len(interview.turns)
            if memo_turns is not None:
                assert memo is not None
                turns = memo_turns
                memo.hit(local)
            else:
                found = next(fresh)
                if found.docs is not None:
                    docs = found.docs
                turns = [(view.sentence_chars(), matches)
                         for _, view, matches in walk_turns(rules, interview, found.views, found.hits, found.local)]
                if memo is not None:
                    memo.write(interview, local, turns)
            for turn, (sentences, matches), doc in zip(interview.turns, turns, docs):
                if turn.n not in coded:
                    if observer is not None and doc is not None:
                        observer(interview, turn, doc, [])
                    continue  # an interviewer's turn that is not coded: context only
                segs = turn_segments(interview, turn, unit, sentences=sentences if unit == "sentence" else None)
                if observer is not None and doc is not None:
                    observer(interview, turn, doc, segs)
                for seg in segs:
                    segment_rows.append(seg)
                    segment_case[seg.segment_id] = case
                for match in matches:
                    evidence_rows.append((_segment_of(segs, match.start_char), match))
            done += len(interview.turns)
            progress(done, 0)
        if memo is not None:
            counts.cached += memo.items_cached
        counts.matched += source.counts.matched
        counts.cached += source.counts.cached

    order = {seg.segment_id: n for n, seg in enumerate(segment_rows)}
    code_order = {c.id: n for n, c in enumerate(codebook.codes)}
    code_order.update({a.id: len(code_order) + n for n, a in enumerate(codebook.actors)})
    segments = segments_frame(segment_rows, segment_case)
    evidence = evidence_frame(evidence_rows, order, code_order)
    codings = codings_frame(evidence_rows, order, code_order)
    return Codings(
        segments=segments, codings=codings, evidence=evidence, unit=unit, by=by,
        pipeline=pipeline, pipelines={k: infos[k] for k in sorted(infos)},
        codebook_name=codebook.name, codebook_version=str(codebook.version), codebook_sha256=codebook.sha256,
        cache_hits=cache.hits if cache else 0, cache_misses=cache.misses if cache else 0,
        items_matched=counts.matched, items_cached=counts.cached,
    )


def local_names(interview: Interview, codebook: Codebook) -> LocalNames:
    """An interview's own names for codes and actors: its metadata `alias.<id>` (";" between names).

    Raises:
        CodingError: `alias.<id>` names no code or actor of the codebook (E307).
    """
    found: list[tuple[str, str, str]] = []
    kinds = {**dict.fromkeys(codebook.theme_ids, THEME), **dict.fromkeys(codebook.actor_ids, ACTOR)}
    for attribute, value in sorted(interview.metadata.items()):
        if not attribute.startswith(ALIAS_PREFIX):
            continue
        owner = attribute[len(ALIAS_PREFIX):]
        if owner not in kinds:
            raise CodingError(Errors.E307.format(attribute=attribute, hint=_closest(owner, kinds)),
                              path=interview.path or interview.file)
        values = value if isinstance(value, list) else [value]
        for item in values:
            for name in str(item).split(";"):
                if name.strip():
                    found.append((kinds[owner], owner, name.strip()))
    return LocalNames(tuple(found))


def _closest(value: str, choices: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def walk_turns(rules: LanguageRules | None, interview: Interview, views: Sequence[TurnView],
               hits: Sequence[Hits], local: LocalNames) -> Iterator[tuple[Turn, TurnView, list[Match]]]:
    """Every turn in order with its view and its matches (none without rules: a language not coded).

    Each turn is read in the light of the ones before it: a question tells
    which codes the answer may echo (and reject), and a full name said
    anywhere earlier lets its short name count.
    """
    introduced: set[str] = set()
    question: frozenset[str] = frozenset()
    for turn, view, turn_hits in zip(interview.turns, views, hits):
        if rules is None:
            yield turn, view, []
            continue
        matches = rules.find(view, turn_hits, question=question if turn.is_respondent else frozenset(),
                             introduced=introduced, local=local)
        introduced.update(m.code for m in matches if m.full)
        question = frozenset() if turn.is_respondent else frozenset(m.code for m in matches if m.kind == THEME)
        yield turn, view, matches


def _segment_of(segments: list[Segment], char: int) -> Segment:
    for seg in segments:
        if seg.local_start <= char < seg.local_end:
            return seg
    # a match that starts in whitespace between two units belongs to the next one
    for seg in segments:
        if char < seg.local_start:
            return seg
    return segments[-1]


def code_texts(texts: Iterable[str], codebook: Codebook, language: str,
               pipeline: str = PIPELINE) -> list[list[Match]]:
    """Code loose texts (codebook examples, a notebook's sentences) with the real pipeline."""
    lm = build_matchers(codebook, language, pipeline)
    return [lm.find_doc(doc) for doc in lm.nlp.pipe(list(texts), batch_size=64)]


__all__ = [
    "ACTOR",
    "HISTORICAL",
    "NEGATED",
    "PRESENT",
    "THEME",
    "Codings",
    "TurnObserver",
    "build_matchers",
    "code_corpus",
    "code_texts",
]
