"""Each turn's token table and matches per pattern item: from the match cache where it has them.

What coding reads of a turn is its `qualcode.nlp.tokens.TurnView` and its
matches per item (`qualcode.coding.patterns.Item`). Both are kept in the
match cache (`qualcode.nlp.cache.MatchCache`) beside the parsed documents,
so that an interview comes to coding in one of three ways:

* **from the cache alone**: its tables are kept and every item it needs (the
  codebook's, its local names') was matched before. No spaCy at all: a run
  whose every interview is here neither imports spaCy's language data nor
  loads a model;
* **matched on its tables**: the new items are literal (phrases, token
  patterns of words only): `match_literal` runs on the cached tables. A
  phrase whose NORM readings are not in the cache needs the pipeline, which
  parses only the new phrases;
* **matched on its documents**: its tables are not kept, a new item needs
  spaCy's `Matcher` (REGEX, POS, MORPH, operators with gaps...), or an
  observer reads the documents: the documents come from the DocBin cache
  (or are parsed), and only the items the cache lacks are matched (the
  literal ones on the tables made from the documents, the others with
  spaCy).

Whatever the way, the matches are the same (the tests compare cold, warm and
edited runs with a run without cache), and what was matched is added to
the cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.coding.matchers import LanguageRules, LocalNames
from qualcode.coding.patterns import Item, LiteralIndex, expand_literal, match_literal
from qualcode.corpus.model import Interview
from qualcode.nlp.cache import MatchCache, StoredHits, TurnHits, entry_key, spans_fit
from qualcode.nlp.info import pipeline_info
from qualcode.nlp.tokens import TokenTable, TurnView

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from qualcode.coding.patterns import PatternGroup
    from qualcode.nlp.cache import DocCache
    from qualcode.nlp.cluster import Cluster


@dataclass
class HitCounts:
    """How a run found its matches: (interview, item) pairs matched now, and read from the cache."""

    matched: int = 0
    cached: int = 0


@dataclass
class _Plan:
    interview: Interview
    local: LocalNames
    texts: list[str]
    key: str
    needed: dict[str, Item]
    has_tables: bool
    stored: StoredHits | None
    missing: dict[str, Item] = field(default_factory=dict)
    needs_docs: bool = False
    #: the documents are needed only to match new token patterns that read no language data: the
    #: cached DocBin is read with a vocabulary alone (no model, no language data)
    reader: bool = False
    #: how the missing items are matched (`TurnSource._matchers`), found once for all the turns
    matchers: tuple[list[LiteralIndex], list[PatternGroup]] | None = None


@dataclass
class CodedTurns:
    """One interview ready for the rules: each turn's view and matches, and its documents when loaded."""

    interview: Interview
    local: LocalNames
    views: list[TurnView]
    hits: list[TurnHits]
    docs: list[Doc] | None


def iter_parsed(interviews: list[Interview], language: str, pipeline: str,
                cache: DocCache | None, workers: int,
                on_progress: Callable[[int, int], None] | None = None,
                cluster: Cluster | None = None) -> Iterator[tuple[Interview, list]]:
    """Each interview with every turn parsed, in order, from the cache where possible.

    A generator: the turns that need the pipeline stream through `nlp.pipe` and
    each interview's documents are handed over, cached and dropped in turn, so
    memory holds one batch, not the corpus. With a `cluster`, the interviews
    the cache lacks are parsed by its workers instead (`qualcode.nlp.cluster`).
    """
    from qualcode.nlp.pipelines import BATCH_SIZE, load_pipeline

    nlp = load_pipeline(language, pipeline)
    info = pipeline_info(language, pipeline)
    plan: list[tuple[Interview, list[str], str, bool]] = []
    for interview in interviews:
        texts = [t.text for t in interview.turns]  # every turn: questions give context
        key = entry_key(info.key, texts)
        plan.append((interview, texts, key, cache is not None and cache.has(key)))
    total = sum(len(texts) for _, texts, _, _ in plan)
    remote = _remote(cluster, language, pipeline, [texts for _, texts, _, cached in plan if not cached], nlp)
    missing = (text for _, texts, _, cached in plan if not cached for text in texts)
    n_process = max(1, int(workers))
    stream = iter(() if remote is not None else
                  nlp.pipe(missing, batch_size=BATCH_SIZE, n_process=n_process) if n_process > 1 else
                  nlp.pipe(missing, batch_size=BATCH_SIZE))
    done = 0
    for interview, texts, key, cached in plan:
        docs = cache.get(key, nlp, texts) if cache is not None and cached else None
        if cache is not None and not cached:
            cache.misses += 1
        if docs is None:
            # not cached, or an entry that turned out unreadable: parse it now
            if cached:
                docs = list(nlp.pipe(texts))
            elif remote is not None:
                docs = next(remote)
            else:
                docs = [next(stream) for _ in texts]
            if cache is not None:
                cache.put(key, docs)
        done += len(texts)
        if on_progress:
            on_progress(done, total)
        yield interview, docs


def _remote(cluster: Cluster | None, language: str, pipeline: str, interviews: list[list[str]],
            nlp: Language) -> Iterator[list[Doc]] | None:
    """The interviews parsed by the cluster's workers, in order, as their tasks finish; None without one."""
    if cluster is None or not interviews:
        return None
    from qualcode.nlp.cluster import docs_from, result

    futures = cluster.submit(language, pipeline, interviews)

    def gather() -> Iterator[list[Doc]]:
        for future in futures:
            for data in result(future, cluster.scheduler):
                yield docs_from(data, nlp)
            future.release()

    return gather()


@cache  # asked for every item of every interview; the answer depends on the item alone
def is_literal(item: Item) -> bool:
    """Whether an item can be matched on a token table (`match_literal`) once its readings are known."""
    return item.phrase is not None or expand_literal(item.token_list()) is not None


#: token attributes whose values a language's data gives (stop words, number words): a pattern that
#: reads one needs the real pipeline's vocabulary; every other attribute is in the cached document
#: (ORTH, NORM, LEMMA, POS, MORPH, sentence starts) or computed alike in every language (LOWER, SHAPE...)
LANGUAGE_ATTRS = frozenset({"IS_STOP", "LIKE_NUM", "LANG"})


@cache
def reads_language_data(item: Item) -> bool:
    """Whether a token pattern reads an attribute that comes from the language's data (`LANGUAGE_ATTRS`)."""
    return any(str(attr).upper() in LANGUAGE_ATTRS for token in item.token_list() for attr in token)


class TurnSource:
    """The turns of one language's interviews with their matches, from the cache where possible."""

    def __init__(self, language: str, pipeline: str, rules: LanguageRules | None, *,
                 folder: Path | None, doc_cache: DocCache | None, workers: int = 1,
                 cluster: Cluster | None = None, want_docs: bool = False) -> None:
        self.language = language
        self.pipeline = pipeline
        self.rules = rules
        self.info = pipeline_info(language, pipeline)
        self.store = MatchCache(folder) if folder is not None else None
        self.doc_cache = doc_cache
        self.workers = workers
        self.cluster = cluster
        self.want_docs = want_docs
        self.counts = HitCounts()
        self.norms: dict[str, list[list[str]]] = {}
        self.orths: dict[str, list[str]] = {}
        self._groups: dict[tuple[int, frozenset[str]], PatternGroup] = {}
        #: `_matchers` by (missing items, documents or not, read without a model or not): in a cold run
        #: every interview misses the same items
        self._plans: dict[tuple[frozenset[str], bool, bool], tuple[list[LiteralIndex], list[PatternGroup]]] = {}
        self._literal: dict[frozenset[str], LiteralIndex] = {}

    @property
    def nlp(self) -> Language:
        from qualcode.nlp.pipelines import load_pipeline

        return load_pipeline(self.language, self.pipeline)

    def _plan(self, interview: Interview, local: LocalNames) -> _Plan:
        texts = [t.text for t in interview.turns]  # every turn: questions give context
        key = entry_key(self.info.key, texts)
        needed: dict[str, Item] = {}
        if self.rules is not None:
            needed.update(self.rules.items)
            needed.update(local.items())
        has_tables = self.store is not None and self.store.has_tables(key)
        stored = self.store.hits(key, len(texts)) if self.store is not None and has_tables else None
        plan = _Plan(interview, local, texts, key, needed, has_tables, stored)
        self._missing(plan)
        return plan

    def _missing(self, plan: _Plan) -> None:
        known = plan.stored.known if plan.stored is not None else frozenset()
        plan.missing = {k: item for k, item in plan.needed.items() if k not in known}
        plan.matchers = None
        spacy_items = [item for item in plan.missing.values() if not is_literal(item)]
        plan.needs_docs = self.want_docs or not plan.has_tables or bool(spacy_items)
        plan.reader = (plan.needs_docs and not self.want_docs and plan.has_tables
                       and not any(reads_language_data(item) for item in spacy_items))

    def _readings(self, items: Mapping[str, Item]) -> None:
        """Make sure the NORM readings (ORTH tokens when case-sensitive) of the items' phrases are known."""
        norm = {i.phrase for i in items.values() if i.phrase is not None and not i.case_sensitive}
        orth = {i.phrase for i in items.values() if i.phrase is not None and i.case_sensitive}
        norm -= set(self.norms)
        orth -= set(self.orths)
        if not norm and not orth:
            return
        if self.store is not None:
            cached_norms, cached_orths = self.store.readings(self.info.key)
            self.norms.update({p: cached_norms[p] for p in norm if p in cached_norms})
            self.orths.update({p: cached_orths[p] for p in orth if p in cached_orths})
            norm -= set(self.norms)
            orth -= set(self.orths)
        if not norm and not orth:
            return
        from qualcode.nlp.pipelines import phrase_readings

        nlp = self.nlp  # only the new phrases are parsed
        new_norms = phrase_readings(nlp, sorted(norm)) if norm else {}
        new_orths = {p: [t.text for t in nlp.make_doc(p)] for p in sorted(orth)}
        self.norms.update(new_norms)
        self.orths.update(new_orths)
        if self.store is not None:
            self.store.put_readings(self.info.key, new_norms, new_orths)

    def turns(self, entries: list[tuple[Interview, LocalNames]],
              on_progress: Callable[[int, int], None] | None = None) -> Iterator[CodedTurns]:
        """Each interview in order, ready for the rules; documents parsed or read only where needed."""
        plans = [self._plan(interview, local) for interview, local in entries]
        missing: dict[str, Item] = {}
        for plan in plans:
            missing.update(plan.missing)
        self._readings(missing)
        need = [p.interview for p in plans if p.needs_docs and not p.reader]
        stream = (iter_parsed(need, self.language, self.pipeline, self.doc_cache, self.workers,
                              cluster=self.cluster) if need else iter(()))
        total = sum(len(p.texts) for p in plans)
        done = 0
        for plan in plans:
            docs = next(stream)[1] if plan.needs_docs and not plan.reader else None
            found = self._coded(plan, docs)
            done += len(plan.texts)
            if on_progress is not None:
                on_progress(done, total)
            yield found

    def _docs_now(self, plan: _Plan) -> list[Doc]:
        """An interview's documents outside the planned stream: read with the vocabulary alone
        (`plan.reader`), else read with the pipeline or parsed (as when its cached tables proved damaged)."""
        if plan.reader and self.doc_cache is not None and self.doc_cache.has(plan.key):
            from qualcode.nlp.pipelines import load_reader

            docs = self.doc_cache.get(plan.key, load_reader(), plan.texts)
            if docs is not None:
                return docs
        plan.reader = False
        if self.doc_cache is not None:
            return self.doc_cache.parsed(plan.key, self.nlp, plan.texts)
        return list(self.nlp.pipe(plan.texts))

    def _coded(self, plan: _Plan, docs: list[Doc] | None) -> CodedTurns:
        store = self.store
        tables = store.tables(plan.key, plan.texts) if store is not None and plan.has_tables else None
        damaged = tables is None or (plan.stored is not None and not spans_fit(plan.stored, tables))
        if damaged and (plan.has_tables or plan.stored is not None):  # match everything again
            plan.has_tables, plan.stored = tables is not None, None
            self._missing(plan)
            self._readings(plan.missing)
        if docs is None and (tables is None or plan.needs_docs):
            docs = self._docs_now(plan)
        new_tables = tables is None
        if docs is None and self.doc_cache is not None:
            self.doc_cache.hits += 1  # the interview's parse came from the cache (its tables)
        if tables is None:
            assert docs is not None
            tables = [TokenTable.from_doc(doc) for doc in docs]
        views = [TurnView(text, table) for text, table in zip(plan.texts, tables)]
        stored_turns = plan.stored.turns if plan.stored is not None else [{} for _ in views]
        found = [self._match(plan, n, view, docs) for n, view in enumerate(views)] if plan.missing else None
        hits = stored_turns if found is None else [{**old, **new} for old, new in zip(stored_turns, found)]
        self.counts.matched += len(plan.missing)
        self.counts.cached += len(plan.needed) - len(plan.missing)
        if store is not None:
            if new_tables:
                store.put_tables(plan.key, tables)
            if plan.missing:
                known = set(plan.stored.known) if plan.stored is not None else set()
                store.put_hits(plan.key, known | set(plan.missing), hits)
        return CodedTurns(plan.interview, plan.local, views, hits, docs)

    def _match(self, plan: _Plan, n: int, view: TurnView, docs: list[Doc] | None) -> TurnHits:
        """The matches of the items the cache lacks in one turn: on its document, else on its table."""
        if plan.matchers is None:
            key = (frozenset(plan.missing), docs is not None, plan.reader)
            if key not in self._plans:
                self._plans[key] = self._matchers(plan, docs is not None)
            plan.matchers = self._plans[key]
        indexes, groups = plan.matchers
        found: dict[str, list[tuple[int, int]]] = {}
        for index in indexes:
            found.update(match_literal(view, index))
        if groups:
            from qualcode.coding.patterns import match_items

            assert docs is not None
            for group in groups:
                found.update(match_items(group, docs[n]))
        return found

    def _matchers(self, plan: _Plan, with_docs: bool) -> tuple[list[LiteralIndex], list[PatternGroup]]:
        """How an interview's missing items are matched, found once for all its turns.

        Literal items (phrases, token patterns that expand to word sequences) are matched on the token
        tables, which finds what spaCy's PhraseMatcher finds without building a Doc per sequence; the
        other token patterns on the documents (read without a model when `plan.reader`). The codebook's
        items and the local names' are indexed apart, so that the codebook's are built once per run.
        """
        rules_items = self.rules.items if self.rules is not None else {}
        parts = ({k: v for k, v in plan.missing.items() if k in rules_items},
                 {k: v for k, v in plan.missing.items() if k not in rules_items})
        if not with_docs:
            return [self._literal_index(part) for part in parts if part], []
        nlp: Language | None = None
        indexes, groups = [], []
        for part in parts:
            literal = {k: v for k, v in part.items() if is_literal(v)}
            rest = {k: v for k, v in part.items() if k not in literal}
            if literal:
                indexes.append(self._literal_index(literal))
            if rest:
                if nlp is None:
                    from qualcode.nlp.pipelines import load_reader

                    nlp = load_reader() if plan.reader else self.nlp  # self.nlp loads the pipeline
                groups.append(self._group(nlp, rest))
        return indexes, groups

    def _group(self, nlp: Language, items: dict[str, Item]) -> PatternGroup:
        """The matchers of some items on one pipeline's vocabulary, built once."""
        from qualcode.coding.patterns import item_group

        key = (id(nlp), frozenset(items))
        if key not in self._groups:
            owners = self.rules.owners if self.rules is not None else {}
            self._groups[key] = item_group(nlp, items, self.norms, owners)
        return self._groups[key]

    def _literal_index(self, items: dict[str, Item]) -> LiteralIndex:
        """The literal items' index, built once per set of items (their readings known)."""
        key = frozenset(items)
        if key not in self._literal:
            orths = {p: [tokens] for p, tokens in self.orths.items()}
            specs = {}
            for k, item in items.items():
                spec = item.sequences(self.norms, orths)
                assert spec is not None, "a literal item without its readings"
                specs[k] = spec
            self._literal[key] = LiteralIndex.of(specs)
        return self._literal[key]
