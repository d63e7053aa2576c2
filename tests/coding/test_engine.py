"""The coding engine on real spaCy pipelines and real transcript files."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.codebook import load_codebook
from qualcode.coding import frames as columns
from qualcode.coding.engine import code_corpus, code_texts
from qualcode.corpus import read_corpus
from qualcode.errors import CodingError
from qualcode.nlp.pipelines import pipeline_info
from support.paths import TESTS_DATA

ENGINE_CODEBOOK = TESTS_DATA / "codebooks" / "engine.yaml"

FR_INTERVIEW = """---
id: fr1
area: nord
language: fr
interviewers: [Enquêtrice]
---

Enquêtrice : Comment travaillez-vous avec les autres ?

Conseillère : Alors, la cellule d’animation nous réunit tous les mois, et l'annuaire des partenaires est à jour.
On appelle France Travail, enfin Pôle emploi, très souvent.

Enquêtrice : Et avant ?

Conseillère : Il y avait une coordination locale, mais elle a été supprimée en 2017. Y a plus de cellule d'animation dans la vallée voisine.

Le Fongecif, devenu Transitions Pro, n'a aucun annuaire commun avec nous.
"""

EN_INTERVIEW = """---
id: en1
area: south
language: en
interviewers: [Interviewer]
---

Interviewer: How do you work with the others?

Adviser: There is no local hub any more, but we keep a shared directory with the public employment service.

Interviewer: And before?

Adviser: We used to have a local coordination. Not only the Fongecif, everyone came.
"""


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(ENGINE_CODEBOOK)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "fr1.md").write_text(FR_INTERVIEW, encoding="utf-8")
    (folder / "en1.md").write_text(EN_INTERVIEW, encoding="utf-8")
    return folder


def _rows(codings, segment_id):
    frame = codings.codings
    return frame[frame["segment_id"] == segment_id].set_index("code")


def test_coding_frames_have_the_design_columns(corpus_dir, codebook, tmp_path):
    codings = code_corpus(read_corpus(corpus_dir), codebook, cache_dir=tmp_path / "cache")
    assert tuple(codings.segments.columns) == columns.SEGMENTS
    assert tuple(codings.codings.columns) == columns.CODINGS
    assert tuple(codings.evidence.columns) == columns.EVIDENCE
    # only respondent turns are coded by default
    assert set(codings.segments["role"]) == {"respondent"}
    assert list(codings.segments["segment_id"]) == ["en1#t2", "en1#t4", "fr1#t2", "fr1#t4"]


def test_coding_offsets_cut_the_evidence_out_of_the_interview(corpus_dir, codebook, tmp_path):
    corpus = read_corpus(corpus_dir)
    codings = code_corpus(corpus, codebook, cache_dir=tmp_path / "cache")
    for row in codings.evidence.itertuples():
        interview = corpus[row.segment_id.split("#")[0]]
        assert interview.text[row.start:row.end] == row.matched_text
    for row in codings.segments.itertuples():
        interview = corpus[row.interview_id]
        assert interview.text[row.start:row.end] == row.text


def test_coding_french_negation_history_and_actors(corpus_dir, codebook, tmp_path):
    codings = code_corpus(read_corpus(corpus_dir), codebook, cache_dir=tmp_path / "cache")
    first = _rows(codings, "fr1#t2")
    # typographic apostrophe and an inflected phrase ("l'annuaire des partenaires")
    assert first.loc["local_guidance_service", "status"] == "present"
    assert first.loc["local_guidance_service", "matched_text"] == "cellule d’animation"
    assert first.loc["shared_tools", "status"] == "present"
    # old and new names of one provider, one row with every match counted
    assert first.loc["pole_emploi", "kind"] == "actor"
    assert first.loc["pole_emploi", "matches"] == 2
    second = _rows(codings, "fr1#t4")
    # present (coordination locale is historical, but "y a plus de cellule" is negated):
    lgs = codings.evidence[(codings.evidence.segment_id == "fr1#t4")
                           & (codings.evidence.code == "local_guidance_service")]
    assert set(lgs["status"]) == {"historical", "negated"}
    assert second.loc["local_guidance_service", "status"] == "historical"
    assert second.loc["local_guidance_service", "counts_for"] == "regional_withdrawal"
    assert bool(second.loc["local_guidance_service", "negated"]) is False
    # "aucun annuaire commun": negated, with the cue that fired
    assert second.loc["shared_tools", "status"] == "negated"
    assert bool(second.loc["shared_tools", "negated"]) is True
    assert second.loc["shared_tools", "negation_cue"] == "aucun"
    assert second.loc["cep_employees", "matches"] == 2
    applied = codings.applied()
    pairs = set(zip(applied["segment_id"], applied["code"]))
    assert ("fr1#t4", "regional_withdrawal") in pairs
    assert ("fr1#t4", "shared_tools") not in pairs
    assert ("fr1#t4", "local_guidance_service") not in pairs


def test_coding_english_terminator_and_pseudo_cue(corpus_dir, codebook, tmp_path):
    codings = code_corpus(read_corpus(corpus_dir), codebook, cache_dir=tmp_path / "cache")
    first = _rows(codings, "en1#t2")
    assert first.loc["local_guidance_service", "status"] == "negated"
    # "but" ends the scope of "no": the directory is there
    assert first.loc["shared_tools", "status"] == "present"
    assert first.loc["pole_emploi", "matched_text"] == "public employment service"
    second = _rows(codings, "en1#t4")
    assert second.loc["local_guidance_service", "status"] == "historical"
    # "not only" is a pseudo-cue, not a negation of the Fongecif
    assert second.loc["cep_employees", "status"] == "present"


@pytest.mark.parametrize("sentence, expected", [
    ("Les cellules d'animation fonctionnent bien.", "present"),
    ("les CELLULES D'ANIMATION fonctionnent bien.", "present"),
    ("La cellule d animation, on y va.", None),  # no apostrophe: another tokenisation
    ("Notre animatrice territoriale est partout.", "present"),
    ("L'animateur local nous appelle.", "present"),
    ("On n'a jamais eu d'annuaire commun.", "negated"),
    ("Sans plateforme téléphonique, rien ne marche.", "negated"),
    ("Il n'y a pas seulement la plateforme téléphonique.", "present"),
    ("Il n'y a pas de plateforme téléphonique, mais ça viendra.", "negated"),
    ("On a pas mal de plateformes téléphoniques.", "present"),
])
def test_coding_french_sentences(codebook, sentence, expected):
    (matches,) = code_texts([sentence], codebook, "fr")
    themes = [m for m in matches if m.kind == "theme"]
    if expected is None:
        assert not [m for m in themes if m.code == "local_guidance_service"]
    else:
        assert themes, sentence
        assert themes[0].status == expected, (sentence, themes)


def test_coding_case_sensitive_alias(codebook):
    with_acronym, lower = code_texts(["J'ai appelé PE hier.", "on pe pas dire ça"], codebook, "fr")
    assert [m.code for m in with_acronym] == ["pole_emploi"]
    assert lower == []


def test_coding_units_paragraph_and_sentence(corpus_dir, codebook, tmp_path):
    corpus = read_corpus(corpus_dir)
    paragraphs = code_corpus(corpus, codebook, "paragraph", cache_dir=tmp_path / "cache")
    ids = list(paragraphs.segments["segment_id"])
    assert "fr1#t4.p1" in ids and "fr1#t4.p2" in ids
    sentences = code_corpus(corpus, codebook, "sentence", cache_dir=tmp_path / "cache")
    sids = list(sentences.segments["segment_id"])
    assert "fr1#t2.s1" in sids and "fr1#t2.s2" in sids
    for frame in (paragraphs, sentences):
        assert set(frame.codings["segment_id"]) <= set(frame.segments["segment_id"])
        for row in frame.segments.itertuples():
            assert corpus[row.interview_id].text[row.start:row.end] == row.text
    # the Fongecif sentence is its own paragraph
    p2 = paragraphs.codings[paragraphs.codings.segment_id == "fr1#t4.p2"]
    assert "cep_employees" in set(p2["code"])


def test_coding_interviewer_turns_on_request(corpus_dir, codebook, tmp_path):
    codings = code_corpus(read_corpus(corpus_dir), codebook, include_interviewer=True,
                          cache_dir=False)
    assert "interviewer" in set(codings.segments["role"])
    assert "fr1#t1" in set(codings.segments["segment_id"])


def test_coding_cache_hit_and_invalidation(corpus_dir, codebook, tmp_path):
    cache = tmp_path / "cache"
    corpus = read_corpus(corpus_dir)
    cold = code_corpus(corpus, codebook, cache_dir=cache)
    assert (cold.cache_hits, cold.cache_misses) == (0, 2)
    warm = code_corpus(corpus, codebook, cache_dir=cache)
    assert (warm.cache_hits, warm.cache_misses) == (2, 0)
    assert warm.codings.equals(cold.codings)
    # a changed text is a miss for its interview only
    path = corpus_dir / "fr1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("très souvent", "parfois"),
                    encoding="utf-8")
    edited = code_corpus(read_corpus(corpus_dir), codebook, cache_dir=cache)
    assert (edited.cache_hits, edited.cache_misses) == (1, 1)
    # another pipeline (model) has another key
    assert pipeline_info("fr", "accurate").key != pipeline_info("fr", "fast").key
    fast = code_corpus(read_corpus(corpus_dir), codebook, pipeline="fast", cache_dir=cache)
    assert fast.cache_misses == 1  # French misses, English (same pipeline) hits


CODED = "coded/??/*.json"


@pytest.mark.parametrize("damaged", [("??/*.spacy", "tables/??/*.json", CODED), ("tables/??/*.json", CODED),
                                     ("matches/??/*.json", CODED), ("matches/sets/*.json", CODED), (CODED,),
                                     ("tables/??/*.json", "matches/??/*.json")])
def test_coding_corrupt_cache_entry_is_rebuilt(corpus_dir, codebook, tmp_path, damaged):
    """A damaged entry is rebuilt; an interview's kept coded turns stand without its tables or matches."""
    cache = tmp_path / "cache"
    corpus = read_corpus(corpus_dir)
    cold = code_corpus(corpus, codebook, cache_dir=cache)
    for pattern in damaged:
        entries = list(cache.glob(pattern))
        assert entries, pattern
        for entry in entries:
            entry.write_bytes(entry.read_bytes()[:-7] if entry.suffix == ".json" else b"not a docbin")
    again = code_corpus(corpus, codebook, cache_dir=cache)
    # nothing damaged was trusted: matched again, unless the matches or the coded turns stand
    assert again.items_matched == (cold.items_matched if CODED in damaged and damaged != (CODED,) else 0)
    if "??/*.spacy" in damaged:
        assert again.cache_hits == 0
    assert again.codings.equals(cold.codings) and again.evidence.equals(cold.evidence)
    third = code_corpus(corpus, codebook, cache_dir=cache)
    assert (third.cache_hits, third.items_matched) == (2, 0)
    assert third.evidence.equals(cold.evidence)


def test_coding_workers_give_identical_codings(corpus_dir, codebook):
    corpus = read_corpus(corpus_dir)
    one = code_corpus(corpus, codebook, cache_dir=False, workers=1)
    two = code_corpus(corpus, codebook, cache_dir=False, workers=2)
    assert one.codings.equals(two.codings)
    assert one.segments.equals(two.segments)


def test_coding_rejects_unknown_unit_and_language(corpus_dir, codebook):
    corpus = read_corpus(corpus_dir)
    with pytest.raises(CodingError, match="E301"):
        code_corpus(corpus, codebook, "page", cache_dir=False)
    with pytest.raises(CodingError, match="E302"):
        code_corpus(corpus, codebook, pipeline="turbo", cache_dir=False)


@pytest.mark.parametrize("kind", ["??/*.spacy", "tables/??/*.json", "matches/??/*.json", CODED])
def test_coding_foreign_cache_entry_is_not_trusted(corpus_dir, codebook, tmp_path, kind):
    """A readable entry that holds other texts (a swapped file) is rebuilt, not used."""
    cache = tmp_path / "cache"
    corpus = read_corpus(corpus_dir)
    cold = code_corpus(corpus, codebook, cache_dir=cache)
    if kind != CODED:  # the coded turns are read first: without them, the other entries are
        for path in cache.glob(CODED):
            path.unlink()
    if kind.endswith(".spacy"):  # the documents are read only when the tables are missing
        for path in cache.glob("tables/??/*.json"):
            path.unlink()
    entries = sorted(cache.glob(kind))
    assert len(entries) == 2
    first, second = (p.read_bytes() for p in entries)
    entries[0].write_bytes(second)
    entries[1].write_bytes(first)
    swapped = code_corpus(corpus, codebook, cache_dir=cache)
    assert swapped.items_matched == (0 if kind == CODED else cold.items_matched)  # the matches stand
    if kind.endswith(".spacy"):
        assert swapped.cache_hits == 0
    assert swapped.codings.equals(cold.codings) and swapped.evidence.equals(cold.evidence)


@pytest.mark.parametrize("sentence, status, why", [
    # scopes stop at the sentence's end, as in ConText
    ("Une cellule d'animation ? Non.", "present", "negation across sentences"),
    # a double negation reads as a negation
    ("Ce n'est pas sans plateforme téléphonique qu'on y arrive.", "negated", "double negation"),
    # a condition is hypothetical only through the codebook's cues (this one has none)
    ("Si on avait une cellule d'animation, ce serait plus simple.", "present", "no hypothetical cue"),
    # negation carried by a verb needs a cue in the codebook (the bundled one has some)
    ("La Région a refusé de financer la plateforme téléphonique.", "present", "verb of refusal"),
])
def test_coding_documented_limits_of_negation(codebook, sentence, status, why):
    """docs/coding.md lists what negation does not handle; these pin that behaviour."""
    (matches,) = code_texts([sentence], codebook, "fr")
    themes = [m for m in matches if m.kind == "theme"]
    assert themes, sentence
    assert themes[0].status == status, why


def test_codings_csv_keeps_every_code_a_row_counts_for(tmp_path):
    """A present and a past mention of one code in one segment count for two codes: both are in codings.csv."""
    from qualcode.workflows.code import CodingOptions, code

    (tmp_path / "a.md").write_text(
        "---\nid: a\narea: nord\nlanguage: fr\n---\n\nQ : Et la coordination ?\n\n"
        "R : La cellule d'animation nous réunit tous les mois. L'autre cellule d'animation a été supprimée.\n",
        encoding="utf-8")
    run = code(tmp_path, TESTS_DATA / "codebooks" / "interop.yaml", options=CodingOptions(cache_dir=False))
    ev = run.codings.evidence
    counted = ev[(ev["segment_id"] == "a#t2") & (ev["code"] == "local_cell")]
    assert sorted(counted["counts_for"]) == ["local_cell", "withdrawal"]  # what evidence.csv holds
    [row] = run.codings.codings[(run.codings.codings["code"] == "local_cell")].itertuples()
    assert row.counts_for == "local_cell"  # the first (present) match's, as before
    table = run.codings.table()
    assert table.loc[table["code"] == "local_cell", "counts_for_all"].tolist() == ["local_cell;withdrawal"]
    applied = set(map(tuple, run.codings.applied()[["segment_id", "code"]].values.tolist()))
    assert {("a#t2", "local_cell"), ("a#t2", "withdrawal")} <= applied
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(run.files()["codings.csv"])))  # what `code --out` writes
    assert [r["counts_for_all"] for r in rows if r["code"] == "local_cell"] == ["local_cell;withdrawal"]


def test_progress_counts_every_turn_once_across_languages(corpus_dir, codebook, tmp_path):
    corpus = read_corpus(corpus_dir)
    assert len(corpus.languages) > 1
    total = sum(len(i.turns) for i in corpus)
    cache = tmp_path / "cache"
    for run in ("cold", "warm"):  # warm: every interview from its kept coded turns
        seen: list[tuple[int, int]] = []
        code_corpus(corpus, codebook, cache_dir=cache, on_progress=lambda done, of, into=seen: into.append((done, of)))
        assert seen[-1] == (total, total), run
        assert [done for done, _ in seen] == sorted(done for done, _ in seen), run
