"""The parts of pseudonymisation on their own: matching, rules, grouping, the map, restoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.anonymise import (
    Anonymiser,
    Name,
    map_csv,
    provider_names,
    pseudonymise_quotes,
    read_map,
)
from qualcode.anonymise.entities import doc_candidates, load_name_pipeline
from qualcode.anonymise.keep import _token_phrases
from qualcode.anonymise.mapfile import MapRow, map_rows
from qualcode.anonymise.matching import Entry, PhraseIndex, words_of
from qualcode.anonymise.names import group_names, keep_parts
from qualcode.anonymise.restore import restore_text
from qualcode.anonymise.rules import Candidate, label_candidates


def _anonymiser(*names: tuple[str, int, tuple[str, ...]], keep=("France Travail", "Cap emploi"),
                listed: bool = False) -> Anonymiser:
    return Anonymiser([Name(c, n, tuple(words_of(f) for f in forms), listed) for c, n, forms in names], keep)


# --- matching --------------------------------------------------------------------------

def test_longest_name_wins_and_kept_phrases_are_protected():
    a = _anonymiser(("PLACE", 1, ("France",)), ("PLACE", 2, ("Saint-Aubin",)),
                    ("PLACE", 3, ("Saint-Aubin-de-Vaux",)))
    assert a.apply("France Travail à Saint-Aubin-de-Vaux, pas Saint-Aubin, en France.") == (
        "France Travail à [PLACE 3], pas [PLACE 2], en [PLACE 1].")


def test_matching_folds_case_accents_and_apostrophes():
    a = _anonymiser(("PLACE", 1, ("Crêts-d'Arveine",)), ("PERSON", 2, ("Karim Benali",)))
    assert a.apply("aux Crets-d’Arveine, chez KARIM BENALI et karim  benali") == (
        "aux [PLACE 1], chez [PERSON 2] et [PERSON 2]")
    assert a.apply("Karim\nBenali") == "[PERSON 2]"  # a hard-wrapped line
    assert a.apply("Karim\n\nBenali") == "Karim\n\nBenali"  # not across a paragraph
    assert a.apply("Karim : Benali") == "Karim : Benali"


def test_a_detected_one_word_name_is_replaced_only_where_capitalised():
    a = _anonymiser(("PERSON", 1, ("Pierre",)))
    assert a.apply("Pierre porte une pierre. PIERRE aussi.") == "[PERSON 1] porte une pierre. [PERSON 1] aussi."
    listed = _anonymiser(("PERSON", 1, ("kiki",)), listed=True)
    assert listed.apply("kiki et Kiki") == "[PERSON 1] et [PERSON 1]"


def test_label_regions_take_the_label_form_and_are_never_crossed():
    a = _anonymiser(("PERSON", 1, ("Garnier",)), ("PERSON", 2, ("Garnier Karim",)))
    text = "Mme Garnier : Karim Garnier Karim"
    assert a.substitute(text, labels=[(0, 14)]) == "Mme PERSON 1 : Karim [PERSON 2]"
    assert a.apply_label("Mme Garnier") == "Mme PERSON 1"


def test_phrase_index_ignores_duplicates_and_empty_phrases():
    index = PhraseIndex()
    index.add(Entry(("a", "b"), 0))
    index.add(Entry(("a", "b"), 1))
    index.add(Entry((), 2))
    assert len(index) == 1 and ("a", "b") in index
    assert [(h.start, h.end, h.entry.group) for h in index.scan("x A-b y")] == [(2, 5, 0)]


# --- rules ---------------------------------------------------------------------------------

KEEP = PhraseIndex()
for _phrase in ("mission locale", "Cap emploi", "Pôle emploi"):
    KEEP.add(Entry(words_of(_phrase), -1, any_case=True))


@pytest.mark.parametrize("label, expected", [
    ("Mme Garnier", [("garnier",)]),
    ("MME GARNIER", [("garnier",)]),
    ("Karim", [("karim",)]),
    ("Conseillère Benali", [("benali",)]),
    ("Madame Le Gall", [("le", "gall")]),
    ("CONSEILLÈRE MISSION LOCALE", []),
    ("Conseiller Cap emploi", []),
    ("Chargée de mission", []),
    ("Speaker 2", []),
    ("Enquêtrice", []),
    ("Int.", []),
])
def test_names_in_speaker_labels(label, expected):
    assert [c.words for c in label_candidates(label, KEEP)] == expected


def test_english_rules_find_titled_names_places_and_companies():
    nlp = load_name_pipeline("en")
    doc = nlp("Yes, I work with Ms Carter in Dunmore-on-Sea, at Harwell Ltd. Then in January we met Mr "
              "Okafor from the Apec.")
    keep = PhraseIndex()
    keep.add(Entry(("apec",), -1, any_case=True))
    found = {(c.surface, c.category) for c in doc_candidates(doc, keep)}
    assert {("Carter", "PERSON"), ("Dunmore-on-Sea", "PLACE"), ("Harwell Ltd", "ORG"),
            ("Okafor", "PERSON")} <= found
    assert not {s for s, _ in found} & {"January", "Yes", "Then", "Apec", "I"}


def test_french_rules_find_titled_names_the_model_misses():
    nlp = load_name_pipeline("fr")
    doc = nlp("alors euh madame Lebrun et M. Da Silva, ils bossent à Castelmont pour la société Ferrand SARL")
    found = {(c.surface, c.category) for c in doc_candidates(doc, PhraseIndex())}
    assert {("Lebrun", "PERSON"), ("Da Silva", "PERSON"), ("Castelmont", "PLACE")} <= found
    assert any(s.startswith("Ferrand") and c == "ORG" for s, c in found)


# --- grouping -------------------------------------------------------------------------------

def _c(surface, category, weight=1.0, source="ner", **flags) -> Candidate:
    return Candidate(surface, words_of(surface), category, weight, source, **flags)


def test_parts_of_a_full_name_share_its_pseudonym_unless_ambiguous():
    groups = group_names([_c("Karim Benali", "PERSON"), _c("Karim", "PLACE"), _c("Benali", "PERSON"),
                          _c("Sandrine Roux", "PERSON"), _c("Sandrine Morel", "PERSON"), _c("Sandrine", "PERSON"),
                          _c("Montarel", "PLACE", 12.0)], set(), set())
    forms = sorted(tuple(sorted(g.forms)) for g in groups)
    assert (("benali",), ("karim",), ("karim", "benali")) in forms
    assert (("sandrine",),) in forms  # two Sandrines: left alone
    assert (("montarel",),) in forms


def test_filters_drop_kept_parts_and_sentence_openers():
    kept = keep_parts([words_of("France Travail")])
    groups = group_names([_c("France", "PLACE"), _c("Alors", "PERSON", sentence_start=True),
                          _c("Gardez", None, 0.5, sentence_start=True), _c("Stéphanie", None, 0.5, sentence_start=True),
                          _c("Bonjour", "PERSON"), _c("Garnier", "PERSON", 3.0, "rule", titled=True, sentence_start=True)],
                         {"alors"}, kept, common=lambda word: word == "gardez")
    assert sorted(g.key for g in groups) == [("garnier",), ("stephanie",)]


def test_a_company_is_also_known_without_its_legal_form():
    groups = group_names([_c("Harwell Ltd", "ORG", 2.0, "rule"), _c("Harwell", "PLACE")], set(), set())
    assert [sorted(g.forms) for g in groups] == [[("harwell",), ("harwell", "ltd")]]


def test_listed_names_override_the_category():
    groups = group_names([_c("Vernet", "PERSON")], set(), set(), [("Vernet", ("vernet",), "ORG"),
                                                                   ("kiki", ("kiki",), None)])
    assert [(g.key, g.category, g.forms[g.key]) for g in groups] == [
        (("kiki",), "PERSON", True), (("vernet",), "ORG", True)]


# --- providers -------------------------------------------------------------------------------

def test_providers_come_from_the_bundled_codebook():
    names = provider_names()
    for alias in ("Pôle emploi", "France Travail", "APEC", "Cap emploi", "mission locale", "Transitions Pro",
                  "Fongecif"):
        assert alias in names
    assert _token_phrases([{"LOWER": {"IN": ["atpro", "at-pro"]}}]) == ["atpro", "at-pro"]
    assert _token_phrases([{"NORM": "pole"}, {"NORM": "-"}, {"NORM": "emploi"}]) == ["pole - emploi"]
    assert _token_phrases([{"POS": "NOUN"}]) == []


# --- the map and restoring --------------------------------------------------------------------

def test_map_rows_round_trip_and_restore_by_position(tmp_path):
    records = {"a.md": [("[PERSON 1]", "Karim Benali", "a.md"), ("[PERSON 1]", "Benali", "a.md"),
                        ("[PLACE 1]", "Dunmore", "a.md"), ("[PERSON 1]", "Karim Benali", "a.md")],
               "metadata.csv": [("[PERSON 1]", "Benali", "b.txt")]}
    rows = map_rows(records)
    assert rows == [
        MapRow("[PERSON 1]", "PERSON", "Benali", 2, ("a.md", "b.txt"), {"a.md": [1], "metadata.csv": [0]}),
        MapRow("[PERSON 1]", "PERSON", "Karim Benali", 2, ("a.md",), {"a.md": [0, 2]}),
        MapRow("[PLACE 1]", "PLACE", "Dunmore", 1, ("a.md",), {}),
    ]
    path = tmp_path / "map.csv"
    path.write_text(map_csv(rows), encoding="utf-8")
    assert read_map(path) == rows
    text = "[PERSON 1] puis [PERSON 1] à [PLACE 1], et PERSON 1 :"
    assert restore_text(text, rows, "a.md") == "Karim Benali puis Benali à Dunmore, et Karim Benali :"
    assert restore_text("[PERSON 1] [PLACE 2]", rows) == "Karim Benali [PLACE 2]"  # no file: most frequent


def test_a_file_that_is_not_a_map_is_refused(tmp_path):
    from qualcode.anonymise import AnonymiseError

    path = tmp_path / "map.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(AnonymiseError, match=r"\[E709\].*no column pseudonym"):
        read_map(path)


def test_quotes_by_text_or_by_span():
    from qualcode.corpus.model import Corpus, Interview, Turn

    text = "R : Mme Garnier est à Dunmore."
    interview = Interview("a", "a.md", "md", text, [Turn(1, "R", "respondent", 4, len(text), text[4:])],
                          {"id": "a"}, "fr")
    corpus = Corpus(Path("."), [interview])
    a = _anonymiser(("PERSON", 1, ("Garnier",)), ("PLACE", 1, ("Dunmore",)))
    assert pseudonymise_quotes(corpus, ["Garnier, à Dunmore", ("a", 4, len(text))], anonymiser=a) == [
        "[PERSON 1], à [PLACE 1]", "Mme [PERSON 1] est à [PLACE 1]."]
