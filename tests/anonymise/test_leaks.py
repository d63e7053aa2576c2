"""What pseudonymisation used to leave behind, and what it costs.

* An e-mail address built from a found name ("karim.benali@...",
  "Karim.Benali@...", "kbenali@...") is replaced whole by the name's
  pseudonym; before, the name inside it was replaced or not, leaving
  "Karim.[PERSON 1]@..." or the whole address. An address that names no one
  found stays.
* The first and last words of a found person are the person where they stand
  alone: "KARIM" once "Karim Benali" was found. A first name shared by two
  persons is left to detection.
* W701 names the pseudonym, never the name; in a shared report every warning
  is pseudonymised like the quotes.
* The cost: the text of an interview is folded once per pass, not once per
  turn (the cause of the quadratic cost), counted here rather than timed
  (benchmarks/bench_anonymise.py times it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qualcode.anonymise import Anonymiser, anonymise_corpus, read_map, restore_folder
from qualcode.cli import app
from qualcode.corpus import read_corpus
from support.corpora import REPORT_CODEBOOK

FR = """---
id: a
area: nord
language: fr
interviewers: [Enquêtrice]
---

Enquêtrice : Bonjour, pouvez-vous vous présenter ?

Conseiller : Je suis Karim Benali, conseiller. Écrivez-moi à karim.benali@example.fr, à \
Karim.Benali@example.fr ou à kbenali2@example.fr ; le secrétariat, c'est contact@mission-locale.fr.

Enquêtrice : Et au bureau ?

Conseiller : On m'appelle KARIM, et Mme Garnier m'appelle Benali. Karim a raison.
"""


@pytest.fixture(scope="module")
def copied(tmp_path_factory) -> tuple[Path, Path, Path, str]:
    base = tmp_path_factory.mktemp("leaks")
    corpus = base / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(FR, encoding="utf-8")
    result = anonymise_corpus(read_corpus(corpus), base / "shared", map_path=base / "map.csv")
    return corpus, result.out, base / "map.csv", (result.out / "a.md").read_text(encoding="utf-8")


def test_addresses_built_from_a_name_are_replaced_whole(copied):
    _, _, _, text = copied
    assert "benali" not in text.lower() and "karim" not in text.lower()
    assert "Écrivez-moi à [PERSON 1], à [PERSON 1] ou à [PERSON 1] ;" in text
    assert "contact@mission-locale.fr" in text  # names no one: kept


def test_upper_case_and_lone_parts_of_a_found_name_are_replaced(copied):
    _, _, _, text = copied
    assert "On m'appelle [PERSON 1], et Mme [PERSON 2] m'appelle [PERSON 1]. [PERSON 1] a raison." in text


def test_the_map_holds_each_spelling_and_restore_is_exact(copied, tmp_path):
    corpus, out, map_file, _ = copied
    originals = {row.original for row in read_map(map_file)}
    assert {"karim.benali@example.fr", "Karim.Benali@example.fr", "kbenali2@example.fr", "KARIM"} <= originals
    restore_folder(out, map_file, tmp_path / "back")
    assert (tmp_path / "back" / "a.md").read_text(encoding="utf-8") == (corpus / "a.md").read_text(encoding="utf-8")


def test_a_first_name_of_two_persons_stays_theirs_alone(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(
        "---\nid: a\nlanguage: fr\ninterviewers: [Enquêtrice]\n---\n\nEnquêtrice : Qui ?\n\n"
        "Conseillère : Karim Benali et Karim Dupont travaillent ici. KARIM est un prénom courant.\n",
        encoding="utf-8")
    anonymiser = Anonymiser.from_corpus(read_corpus(corpus))
    text = anonymiser.apply("KARIM BENALI, KARIM, Benali, Dupont")
    assert text.startswith("[PERSON") and "Benali" not in text and "Dupont" not in text
    forms = {form for name in anonymiser.names for form in name.forms}
    assert ("karim",) not in forms  # belongs to two persons: neither takes it


def test_an_address_across_a_turn_edge_is_no_address(tmp_path):
    anonymiser = Anonymiser.from_corpus(read_corpus(_one_file(tmp_path, "Karim Benali est là.")))
    text = "Écrire à karim.benali@example.fr."
    assert anonymiser.apply(text) == "Écrire à [PERSON 1]."
    bounded = anonymiser.substitute(text, bounds=[text.index("@")])  # a turn would end inside it
    assert "@example.fr" in bounded  # not an address then: not replaced whole


def _one_file(tmp_path: Path, answer: str) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(f"---\nid: a\nlanguage: fr\n---\n\nQ : Qui ?\n\nR : {answer}\n", encoding="utf-8")
    return corpus


# --- shared reports ----------------------------------------------------------------------------

def test_shared_reports_spell_no_name_in_their_warnings(tmp_path):
    """W701 (a file name holds a name) goes to manifest.json, not to the shared reports; the reader's
    W103 (a speaker taken for the interviewer) stays there, pseudonymised: no name is spelt."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n, area in enumerate(("north", "north", "south")):
        (corpus / f"benali_{n}.md").write_text(
            f"---\nid: i{n}\narea: {area}\nlanguage: en\n---\n\n"
            "Garnier: How do you work with the others?\n\n"
            "Benali: The local hub meets every month with Mrs Garnier and Karim Benali.\n\n"
            "Garnier: And then?\n\nBenali: We have a shared directory.\n",
            encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["analyze", str(corpus), "--codebook", str(REPORT_CODEBOOK), "--out", str(out),
                                      "--no-cache", "--quiet"])
    assert result.exit_code == 0, result.output
    # file-handling advice is the analyst's (the terminal, manifest.json), not the funder's
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert "W701" in manifest
    for name in ("report.html", "report.md"):
        text = (out / name).read_text(encoding="utf-8")
        assert "W701" not in text and "W103" in text, name  # who spoke bears on the evidence
        text = re.sub(r"benali_\d\.md", "", text)  # file names are copied as they are: W701 says so
        assert not re.search(r"(?i)benali|garnier|karim", text), name


def test_w701_names_the_interview_and_the_pseudonym(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "garnier_one.md").write_text(
        "---\nid: one\nlanguage: fr\n---\n\nQ : Avec qui ?\n\nR : Avec Mme Garnier, depuis des années.\n",
        encoding="utf-8")
    warnings = [w for w in Anonymiser.from_corpus(read_corpus(corpus)).warnings if "W701" in w]
    assert len(warnings) == 1 and "the file name of interview 'one' holds [PERSON 1]" in warnings[0]
    assert "garnier" not in warnings[0].lower()


# --- cost ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("turns", [20, 400])
def test_each_text_is_folded_once_per_pass_whatever_its_turns(tmp_path, monkeypatch, turns):
    """The quadratic cost came from folding the whole text again for every turn: count the folds."""
    from qualcode.anonymise import matching

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "".join(f"Q : Question {n} ?\n\nR : J'ai vu Mme Garnier pour le dossier {n}.\n\n" for n in range(turns))
    (corpus / "a.md").write_text(f"---\nid: a\nlanguage: fr\n---\n\n{body}", encoding="utf-8")
    read = read_corpus(corpus)
    anonymiser = Anonymiser.from_corpus(read)
    real = matching.fold_keep_length
    long_folds: list[int] = []

    def counted(text: str) -> str:
        if len(text) > 10_000:
            long_folds.append(len(text))
        return real(text)

    monkeypatch.setattr(matching, "fold_keep_length", counted)
    anonymise_corpus(read, tmp_path / "shared", anonymiser=anonymiser)
    assert len(long_folds) <= 4 if turns == 400 else long_folds == []  # a pass over the body folds it once
