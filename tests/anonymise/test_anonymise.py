"""Pseudonymising a corpus with planted names: nothing planted survives, everything else reads alike.

The corpus: a French interview with front matter (Mme Garnier speaks; she
mentions Karim Benali, Saint-Aubin-de-Vaux, l'entreprise Ferrand Logistique,
Pôle emploi, Cap emploi, la mission locale, la Région), a French .txt whose
metadata (a free-text `role` naming Karim Benali) comes from a table, where
M. Benali speaks, and an English interview (Ms Carter, in Dunmore, Harwell
Ltd, the Apec). Ids sort en_a < fr_a < fr_b, which fixes the numbering.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anonymise import (
    AnonymiseError,
    Anonymiser,
    anonymise_corpus,
    check_paths,
    pseudonymise_quotes,
    read_keep_list,
    read_map,
    read_replace_list,
    restore_folder,
    review,
)
from qualcode.corpus import read_corpus
from qualcode.errors import QualcodeError
from support.corpora import FR_B, KEPT, PERSONS, PLACES, plant, planted_names_in


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = plant(tmp_path_factory.mktemp("planted") / "corpus")
    corpus = read_corpus(root)
    return root, corpus, Anonymiser.from_corpus(corpus)


@pytest.fixture(scope="module")
def written(planted, tmp_path_factory):
    _root, corpus, anonymiser = planted
    base = tmp_path_factory.mktemp("written")
    result = anonymise_corpus(corpus, base / "shared", anonymiser=anonymiser, map_path=base / "private" / "map.csv")
    return result


def pseudonym_of(anonymiser: Anonymiser, name: str) -> str:
    return anonymiser.apply(name)


def output_texts(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- nothing planted survives --------------------------------------------------------

def test_every_planted_name_is_gone_from_every_file(written):
    texts = output_texts(written.out)
    assert {"fr_a.md", "fr_b.txt", "en_a.md", "metadata.csv", "README.md", ".qualcode.json"} == set(texts)
    for name, text in texts.items():
        assert planted_names_in(text) == [], name


def test_every_planted_name_is_gone_from_quotes(planted):
    _root, corpus, anonymiser = planted
    for interview in corpus:
        for turn in interview.turns:
            assert planted_names_in(anonymiser.apply(turn.text)) == [], turn.text
    spans = [(t_id, t.start, t.end) for t_id in ("fr_a", "en_a") for t in corpus[t_id].respondent_turns]
    quotes = pseudonymise_quotes(corpus, spans, anonymiser=anonymiser)
    assert len(quotes) == len(spans)
    assert all(planted_names_in(q) == [] for q in quotes)
    assert "[PERSON" in quotes[1] and "[ORG" in quotes[1]


def test_providers_and_national_bodies_are_kept(written):
    texts = output_texts(written.out)
    everything = "\n".join(texts.values())
    for kept in KEPT:
        assert kept in everything, kept
    assert "la mission locale de [PLACE" in texts["fr_a.md"]


# --- consistency -------------------------------------------------------------------------

def test_numbering_follows_first_appearance_over_interviews_sorted_by_id(planted):
    _, _, anonymiser = planted
    # en_a comes first: Carter, Okafor; then fr_a: Garnier (in its front matter), Karim Benali
    assert [pseudonym_of(anonymiser, n) for n in ("Carter", "Okafor", "Garnier", "Karim Benali")] == [
        "[PERSON 1]", "[PERSON 2]", "[PERSON 3]", "[PERSON 4]"]
    assert pseudonym_of(anonymiser, "Dunmore") == "[PLACE 1]"
    assert pseudonym_of(anonymiser, "Harwell Ltd") == "[ORG 1]"


def test_pseudonyms_are_consistent_across_files_and_forms(planted, written):
    _, _, anonymiser = planted
    benali = pseudonym_of(anonymiser, "Karim Benali")
    assert pseudonym_of(anonymiser, "Benali") == pseudonym_of(anonymiser, "Karim") == benali
    assert pseudonym_of(anonymiser, "Harwell") == pseudonym_of(anonymiser, "Harwell Ltd")
    texts = output_texts(written.out)
    garnier = pseudonym_of(anonymiser, "Garnier")
    place = pseudonym_of(anonymiser, "Saint-Aubin-de-Vaux")
    for name in ("fr_a.md", "fr_b.txt"):
        assert garnier in texts[name] and place in texts[name]
    assert benali in texts["metadata.csv"] and benali in texts["fr_a.md"]


def test_speaker_labels_take_the_pseudonym_of_the_name_in_the_text(planted, written):
    _, _, anonymiser = planted
    again = read_corpus(written.out)
    garnier = pseudonym_of(anonymiser, "Garnier").strip("[]")
    benali = pseudonym_of(anonymiser, "Benali").strip("[]")
    carter = pseudonym_of(anonymiser, "Carter").strip("[]")
    assert {t.speaker for t in again["fr_a"].respondent_turns} == {f"Mme {garnier}"}
    assert {t.speaker for t in again["fr_b"].respondent_turns} == {f"M. {benali}"}
    assert {t.speaker for t in again["en_a"].respondent_turns} == {f"Ms {carter}"}
    assert {t.speaker for t in again["fr_a"].turns if not t.is_respondent} == {"Enquêtrice"}


# --- structure ----------------------------------------------------------------------------

def test_turns_numbers_and_roles_are_unchanged_on_reread(planted, written):
    _, corpus, anonymiser = planted
    again = read_corpus(written.out)
    assert [i.id for i in again] == [i.id for i in corpus]
    for before in corpus:
        after = again[before.id]
        assert [(t.n, t.role) for t in after.turns] == [(t.n, t.role) for t in before.turns]
        # the text differs only inside the replaced spans
        assert [t.text for t in after.turns] == [anonymiser.apply(t.text) for t in before.turns]


def test_case_attributes_are_kept_and_free_text_metadata_pseudonymised(planted, written):
    _, corpus, anonymiser = planted
    again = read_corpus(written.out)
    for before in corpus:
        after = again[before.id]
        for attribute in ("id", "area", "region", "provider", "language", "date"):
            assert after.get(attribute) == before.get(attribute)
    garnier = pseudonym_of(anonymiser, "Garnier")
    assert again["fr_a"].get("role") == f"conseillère, collègue de Mme {garnier}"
    assert again["fr_b"].get("role") == (f"conseiller de {pseudonym_of(anonymiser, 'Karim Benali')} "
                                         f"à {pseudonym_of(anonymiser, 'Dorvesnes')}")
    fr_a = (written.out / "fr_a.md").read_text(encoding="utf-8")
    assert fr_a.startswith("---\nid: fr_a\narea: nord\nregion: hauts\n")
    assert f"role: conseillère, collègue de Mme {garnier}\n" in fr_a  # edited in place, not re-quoted


def test_layout_is_kept_outside_the_names(written):
    original = FR_B.splitlines()
    copy = (written.out / "fr_b.txt").read_text(encoding="utf-8").splitlines()
    assert len(copy) == len(original)
    assert [line.split(" ", 1)[0] for line in copy] == [line.split(" ", 1)[0] for line in original]


# --- the map ------------------------------------------------------------------------------

def test_the_map_restores_the_original_text_exactly(planted, written, tmp_path):
    _, corpus, _ = planted
    restored = tmp_path / "restored"
    restore_folder(written.out, written.map_path, restored)
    again = read_corpus(restored)
    for before in corpus:
        assert again[before.id].text == before.text
        assert again[before.id].get("role") == before.get("role")


def test_the_map_lists_every_spelling_with_its_counts_and_files(written):
    rows = read_map(written.map_path)
    assert [(r.pseudonym, r.original) for r in rows] == [(r.pseudonym, r.original) for r in written.rows]
    spellings = {r.original: r for r in rows}
    assert spellings["Garnier"].occurrences == 6
    assert spellings["Garnier"].files == ("fr_a.md", "fr_b.txt")
    assert spellings["Karim"].positions and spellings["Garnier"].positions == {}
    assert {r.category for r in rows} == {"PERSON", "PLACE", "ORG"}
    assert not any(p.suffix == ".csv" and "map" in p.name for p in written.out.rglob("*"))
    assert oct(written.map_path.stat().st_mode & 0o777) == "0o600"


def test_same_input_gives_the_same_bytes(planted, tmp_path):
    root, _, _ = planted
    results = []
    for n in (1, 2):
        corpus = read_corpus(root)
        anonymise_corpus(corpus, tmp_path / f"out{n}", map_path=tmp_path / f"map{n}.csv")
        results.append((output_texts(tmp_path / f"out{n}"), (tmp_path / f"map{n}.csv").read_bytes()))
    assert results[0] == results[1]


def test_without_a_map_no_map_is_written(planted, tmp_path):
    _, corpus, anonymiser = planted
    result = anonymise_corpus(corpus, tmp_path / "out", anonymiser=anonymiser)
    assert result.map_path is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_map_is_never_written_inside_the_output(planted, tmp_path):
    _, corpus, anonymiser = planted
    with pytest.raises(AnonymiseError, match=r"\[E701\]"):
        anonymise_corpus(corpus, tmp_path / "out", anonymiser=anonymiser, map_path=tmp_path / "out" / "m.csv")
    assert not (tmp_path / "out").exists()


def test_the_output_never_overlaps_the_corpus(planted):
    root, _, _ = planted
    for out, relation in ((root, "is"), (root / "anon", "is inside"), (root.parent, "contains")):
        with pytest.raises(QualcodeError, match=rf"\[E433\].* {relation} the corpus"):
            check_paths(root, out, None, force=True)


def test_an_existing_map_is_kept_unless_forced(planted, tmp_path):
    root, _, _ = planted
    existing = tmp_path / "map.csv"
    existing.write_text("pseudonym,category,original,occurrences,files,positions\n", encoding="utf-8")
    with pytest.raises(AnonymiseError, match=r"\[E702\]"):
        check_paths(root, tmp_path / "out", existing, force=False)
    check_paths(root, tmp_path / "out", existing, force=True)
    someone_elses = tmp_path / "notes.csv"  # --force replaces a map, never another file
    someone_elses.write_text("x", encoding="utf-8")
    with pytest.raises(QualcodeError, match=r"\[E443\]"):
        check_paths(root, tmp_path / "out", someone_elses, force=True)


# --- review -------------------------------------------------------------------------------

def test_review_lists_each_spelling_with_its_first_context(planted):
    _, corpus, anonymiser = planted
    rows = {r.original: r for r in review(corpus, anonymiser)}
    assert rows["Garnier"].occurrences == 6
    assert rows["Garnier"].file == "fr_a.md (role)"
    assert rows["Dunmore"].context == "…the mission locale. I live in «Dunmore», so I see Harwell Ltd…"
    assert set(PERSONS + PLACES) <= set(rows)


# --- lists ---------------------------------------------------------------------------------

LISTED = """\
---
id: listed
language: fr
---
Q : Qui voyez-vous ?

R : Je vois souvent kiki, et Mme Garnier à Dorvesnes. Et le Boulodrome aussi.

Q : Merci.

R : De rien.
"""


def test_keep_and_replace_lists(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "listed.md").write_text(LISTED, encoding="utf-8")
    (tmp_path / "keep.txt").write_text("# places we may show\nDorvesnes\n", encoding="utf-8")
    (tmp_path / "replace.txt").write_text("Kiki\tPERSON\nboulodrome\tPLACE\n\n", encoding="utf-8")
    corpus = read_corpus(root)
    anonymiser = Anonymiser.from_corpus(corpus, keep=read_keep_list(tmp_path / "keep.txt"),
                                        replace=read_replace_list(tmp_path / "replace.txt"))
    text = anonymiser.apply(corpus["listed"].turns[1].text)
    assert text == "Je vois souvent [PERSON 1], et Mme [PERSON 2] à Dorvesnes. Et le [PLACE 1] aussi."


def test_a_name_both_kept_and_replaced_is_refused(planted):
    _, corpus, _ = planted
    with pytest.raises(AnonymiseError, match=r"\[E705\] 'dunmore'"):
        Anonymiser.from_corpus(corpus, keep=["Dunmore"], replace=["dunmore"])


def test_a_listed_provider_is_replaced_after_all(planted):
    _, corpus, _ = planted
    anonymiser = Anonymiser.from_corpus(corpus, replace=[("Apec", "ORG")])
    # the Apec now comes first among the organisations of en_a
    assert anonymiser.apply("the Apec, Harwell Ltd and the mission locale") == (
        "the [ORG 1], [ORG 2] and the mission locale")


def test_replace_list_categories(tmp_path):
    listed = tmp_path / "replace.txt"
    listed.write_text("Karim\nSaint-Aubin\tLOC\nFerrand\torg\n", encoding="utf-8")
    assert read_replace_list(listed) == [("Karim", None), ("Saint-Aubin", "PLACE"), ("Ferrand", "ORG")]
    listed.write_text("Karim\tPERSON\nFerrand\tCOMPANY\n", encoding="utf-8")
    with pytest.raises(AnonymiseError, match=r"replace.txt:2: \[E704\] unknown category 'COMPANY'"):
        read_replace_list(listed)
    with pytest.raises(AnonymiseError, match=r"\[E703\]"):
        read_keep_list(tmp_path / "missing.txt")


def test_an_already_pseudonymised_corpus_is_refused(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "a.md").write_text("Q : Qui ?\n\nR : [PERSON 1] et moi.\n\nQ : Bien.\n\nR : Oui.\n", encoding="utf-8")
    with pytest.raises(AnonymiseError, match=r"a.md:3: \[E706\] .*'\[PERSON 1\]'"):
        Anonymiser.from_corpus(read_corpus(root))


def test_names_kept_in_ids_and_areas_give_one_warning(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "garnier_one.md").write_text(
        "---\nid: garnier_one\narea: garnier\nlanguage: fr\ninterviewers: [Enquêtrice]\n---\n\n"
        "Enquêtrice : Vous travaillez avec qui ?\n\n"
        "Conseillère : Avec Mme Garnier, de la mission locale, depuis des années.\n",
        encoding="utf-8")
    anonymiser = Anonymiser.from_corpus(read_corpus(folder))
    warnings = [w for w in anonymiser.warnings if "W701" in w]
    assert len(warnings) == 1
    assert "1 file name(s), 1 id(s), 1 area(s)" in warnings[0]


def test_anonymise_csvs_neutralise_formulas_and_restore(tmp_path):
    """The map, the review listing and the copy's metadata table guard cells like every CSV."""
    from qualcode.anonymise.mapfile import MapRow, map_csv, read_map
    from qualcode.anonymise.review import ReviewRow, review_csv

    row = MapRow("[PERSON 1]", "PERSON", "=HYPERLINK(\"x\")", 1, ("a.md",), {})
    text = map_csv([row])
    assert "'=HYPERLINK" in text
    path = tmp_path / "map.csv"
    path.write_text(text, encoding="utf-8")
    assert read_map(path)[0].original == '=HYPERLINK("x")'
    listing = review_csv([ReviewRow("[PERSON 1]", "PERSON", "@Garnier", 1, "a.md", "-- Garnier")])
    assert "'@Garnier" in listing and "'-- Garnier" in listing


def test_a_corpus_given_as_files_guards_each_file(tmp_path):
    root = plant(tmp_path / "corpus")
    corpus = read_corpus(root / "fr_b.txt")
    with pytest.raises(QualcodeError, match=r"\[E433\].* contains the transcript"):
        anonymise_corpus(corpus, root, inside_ok=True, force=True)
    assert (root / "fr_b.txt").read_text(encoding="utf-8") == FR_B
