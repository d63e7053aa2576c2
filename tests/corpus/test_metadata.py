"""Front matter and sidecar tables: joins on file, stem and id; agreement; errors with lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.corpus import read_corpus
from qualcode.corpus.model import INTERVIEWER
from qualcode.errors import CorpusError

LABELLED = "Q: Bonjour ?\nR: Oui, nous travaillons ensemble avec les autres.\n"


def transcript(path: Path, front: str = "", body: str = LABELLED) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((f"---\n{front}---\n" if front else "") + body, encoding="utf-8")
    return path


def table(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def error(tmp_path: Path, **kwargs) -> str:
    with pytest.raises(CorpusError) as info:
        read_corpus(tmp_path, **kwargs)
    return str(info.value)


def test_csv_joined_on_relative_path_and_on_stem(tmp_path):
    transcript(tmp_path / "nord" / "a.md")
    transcript(tmp_path / "sud" / "b.txt")
    table(tmp_path / "metadata.csv",
          "file,area,region,Provider,cohort,date\n"
          "nord/a.md,nord,occitanie,apec,2024,2024-03-05\n"
          "b,sud,,pole_emploi,,\n")
    corpus = read_corpus(tmp_path)
    a, b = corpus["a"], corpus["b"]
    assert (a.area, a.region, a.provider, a.get("cohort"), a.get("date")) == (
        "nord", "occitanie", "apec", "2024", "2024-03-05")
    assert (b.area, b.region, b.provider) == ("sud", None, "pole_emploi")
    assert "cohort" not in b.metadata  # an empty cell is "not given"
    assert a.metadata["id"] == "a" and a.metadata["language"] == "fr"


def test_joined_on_id_given_by_front_matter(tmp_path):
    transcript(tmp_path / "x.md", "id: entretien_07\n")
    table(tmp_path / "metadata.csv", "id;area\nentretien_07;castelmont\n")
    assert read_corpus(tmp_path)["entretien_07"].area == "castelmont"


def test_table_id_renames_the_interview(tmp_path):
    transcript(tmp_path / "x.md")
    table(tmp_path / "metadata.csv", "file,id,area\nx.md,castelmont_01,castelmont\n")
    corpus = read_corpus(tmp_path)
    assert [i.id for i in corpus] == ["castelmont_01"]
    assert corpus.interviews[0].turns[0].n == 1


def test_xlsx_sidecar_with_dates_and_numbers(tmp_path):
    import datetime as dt

    transcript(tmp_path / "a.md", "date: 2024-03-05\n")
    xlsx(tmp_path / "metadata.xlsx", [["File", "Area", "date", "age"],
                                      ["a.md", "lisere", dt.datetime(2024, 3, 5), 42.0]])
    interview = read_corpus(tmp_path)["a"]
    assert (interview.area, interview.get("date"), interview.get("age")) == ("lisere", "2024-03-05", "42")


def test_cp1252_semicolon_csv_warns_at_corpus_level(tmp_path):
    transcript(tmp_path / "a.md")
    table(tmp_path / "metadata.csv", "file;area;role\na;lisère;chargée de mission\n", "cp1252")
    corpus = read_corpus(tmp_path)
    assert corpus["a"].area == "lisère"
    assert any("metadata.csv: [W101]" in w for w in corpus.warnings)


def test_front_matter_and_table_agree_as_text(tmp_path):
    transcript(tmp_path / "a.md", "area: nord\ndate: 2024-03-05\ninterviewers: [Q, Marie]\n")
    table(tmp_path / "metadata.csv", "file,area,date,interviewers\na.md, nord ,2024-03-05,Marie; Q\n")
    interview = read_corpus(tmp_path)["a"]
    assert interview.get("interviewers") == ["Q", "Marie"]


def test_conflict_names_file_line_attribute_both_values_and_table(tmp_path):
    transcript(tmp_path / "a.md", "id: a\narea: nord\n")
    table(tmp_path / "metadata.csv", "file,area\na.md,sud\n")
    message = error(tmp_path)
    assert message.startswith(str(tmp_path / "a.md") + ":3: [E108]")
    assert "'area'" in message and "'nord'" in message and "'sud'" in message
    assert "metadata.csv:2" in message


def test_dates_are_compared_as_text(tmp_path):
    transcript(tmp_path / "a.md", "date: 2024-03-05\n")
    table(tmp_path / "metadata.csv", "file,date\na,05/03/2024\n")
    assert "[E108]" in error(tmp_path)


def test_two_tables_must_agree_e115(tmp_path):
    transcript(tmp_path / "nord" / "a.md")
    table(tmp_path / "metadata.csv", "file,area\nnord/a.md,nord\n")
    table(tmp_path / "nord" / "metadata.csv", "file,area\na.md,north\n")
    message = error(tmp_path)
    assert "[E115]" in message and "'nord'" in message and "'north'" in message


def test_nested_table_applies_below_its_folder(tmp_path):
    transcript(tmp_path / "nord" / "a.md")
    transcript(tmp_path / "sud" / "a2.md")
    table(tmp_path / "nord" / "metadata.csv", "file,area\na.md,nord\n")
    corpus = read_corpus(tmp_path)
    assert corpus["a"].area == "nord" and corpus["a2"].area is None
    # the same table, read from its own folder, is the root table there
    assert read_corpus(tmp_path / "nord")["a"].area == "nord"


def test_metadata_argument_applies_to_the_whole_corpus(tmp_path):
    transcript(tmp_path / "corpus" / "nord" / "a.md")
    given = table(tmp_path / "elsewhere.csv", "file,area\nnord/a.md,nord\n")
    assert read_corpus(tmp_path / "corpus", given)["a"].area == "nord"
    with pytest.raises(CorpusError, match=r"\[E101\]"):
        read_corpus(tmp_path / "corpus", tmp_path / "missing.csv")


def test_row_for_a_missing_file_is_e105_with_its_line(tmp_path):
    transcript(tmp_path / "a.md")
    table(tmp_path / "metadata.csv", "file,area\na.md,nord\nghost.md,sud\n")
    message = error(tmp_path)
    assert message.startswith(str(tmp_path / "metadata.csv") + ":3: [E105]")
    assert "ghost.md" in message


def test_row_for_a_missing_id_is_e117(tmp_path):
    transcript(tmp_path / "a.md")
    table(tmp_path / "metadata.csv", "id,area\nzz,nord\n")
    assert "metadata.csv:2: [E117]" in error(tmp_path)


def test_file_escaping_the_corpus_is_e112(tmp_path):
    transcript(tmp_path / "a.md")
    table(tmp_path / "metadata.csv", "file,area\n../../etc/passwd,nord\n")
    assert "metadata.csv:2: [E112]" in error(tmp_path)
    table(tmp_path / "metadata.csv", "file,area\n/etc/passwd,nord\n")
    assert "[E112]" in error(tmp_path)


@pytest.mark.parametrize("text, reason", [
    ("area,region\nnord,x\n", "'file' or an 'id' column"),
    ("file,area,area\na.md,x,y\n", "two columns"),
    ("file,area\na.md,x\na.md,y\n", "both describe"),
    ("file,area\n,nord\n", "neither a 'file' nor an 'id'"),
    ("", "empty"),
])
def test_invalid_tables_are_e110(tmp_path, text, reason):
    transcript(tmp_path / "a.md")
    table(tmp_path / "metadata.csv", text)
    message = error(tmp_path)
    assert "[E110]" in message and reason in message


def test_ambiguous_stem_is_e110(tmp_path):
    transcript(tmp_path / "nord" / "a.md")
    transcript(tmp_path / "sud" / "a.txt", "id: a_sud\n")
    table(tmp_path / "metadata.csv", "file,area\na,x\n")
    assert "matches" in error(tmp_path)


def test_broken_xlsx_is_e110(tmp_path):
    transcript(tmp_path / "a.md")
    (tmp_path / "metadata.xlsx").write_bytes(b"not a workbook")
    assert "metadata.xlsx: [E110]" in error(tmp_path)


def test_language_must_be_fr_or_en(tmp_path):
    transcript(tmp_path / "a.md")
    table(tmp_path / "metadata.csv", "file,language\na.md,de\n")
    assert "metadata.csv:2: [E113]" in error(tmp_path)
    table(tmp_path / "metadata.csv", "file,language\na.md,FR-ca\n")
    interview = read_corpus(tmp_path)["a"]
    assert interview.language == "fr" and not interview.warnings


def test_interviewers_from_a_table_string(tmp_path):
    transcript(tmp_path / "a.md", body="Marie : Bonjour ?\nQ: Oui.\nMarie : Merci.\nQ: Bon.\n")
    table(tmp_path / "metadata.csv", "file,interviewers\na.md,Marie ; Paul\n")
    interview = read_corpus(tmp_path)["a"]
    assert interview.metadata["interviewers"] == ["Marie", "Paul"]
    assert next(t.role for t in interview.turns) == INTERVIEWER and interview.turns[0].speaker == "Marie"


def test_unknown_attributes_are_kept_and_values_become_text(tmp_path):
    transcript(tmp_path / "a.md", "wave: 2\nconsent: yes\ntags: [pilot, rural]\n")
    metadata = read_corpus(tmp_path)["a"].metadata
    assert (metadata["wave"], metadata["consent"], metadata["tags"]) == ("2", "true", ["pilot", "rural"])


def test_nested_mapping_in_front_matter_is_e109(tmp_path):
    transcript(tmp_path / "a.md", "area:\n  name: nord\n")
    assert "a.md:2: [E109]" in error(tmp_path)


def test_invalid_id_is_e116(tmp_path):
    transcript(tmp_path / "a.md", "id: 'a#b'\n")
    assert "a.md:2: [E116]" in error(tmp_path)


def test_single_file_reads_its_folder_table_without_e105(tmp_path):
    transcript(tmp_path / "a.md")
    transcript(tmp_path / "b.md")
    table(tmp_path / "metadata.csv", "file,area\na.md,nord\nb.md,sud\n")
    corpus = read_corpus(tmp_path / "a.md")
    assert [i.id for i in corpus] == ["a"] and corpus["a"].area == "nord"


def test_nfc_and_nfd_spellings_are_one_value_and_one_file(tmp_path):
    """"Brévanne" typed as é (NFC) in one place and as e + ´ (NFD, macOS file names, some
    spreadsheets) in another is one area, not two look-alike cases; a table names a file whatever
    form its name has on disk."""
    import unicodedata

    from support.hostile import xlsx_bytes

    nfc, nfd = "Brévanne", unicodedata.normalize("NFD", "Brévanne")
    assert nfc != nfd
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text(f"---\nid: a\narea: {nfc}\n---\n\nQ : Bonjour.\n\nR : Oui.\n", encoding="utf-8")
    (corpus / f"{nfd}_b.txt").write_text("Q : Bonjour.\n\nR : Oui.\n", encoding="utf-8")
    (corpus / "metadata.xlsx").write_bytes(xlsx_bytes([["file", "area"], [f"{nfc}_b.txt", nfd]]))
    read = read_corpus(corpus)
    assert {i.get("area") for i in read} == {nfc}
    assert sorted(i.id for i in read) == sorted(["a", f"{nfc}_b"])


def test_a_master_table_serves_a_subfolder_and_a_single_file(tmp_path):
    """A study's table, given with --metadata, describes whatever part of the study is read."""
    transcript(tmp_path / "study" / "nord" / "a.md")
    transcript(tmp_path / "study" / "nord" / "a2.md")
    transcript(tmp_path / "study" / "sud" / "b.md")
    master = table(tmp_path / "study" / "master.csv",
                   "file,area\nnord/a.md,lille\nsud/b.md,nice\n")
    by_id = table(tmp_path / "ids.csv", "id,region\nb,paca\na,hauts\n")
    # the whole study: every row is used
    whole = read_corpus(tmp_path / "study", master)
    assert (whole["a"].area, whole["b"].area) == ("lille", "nice") and whole.ignored_rows == []
    # a subfolder: the row of sud/b.md is for a file not in this run, ignored and listed
    nord = read_corpus(tmp_path / "study" / "nord", master)
    assert nord["a"].area == "lille" and nord["a2"].area is None  # no row: as today
    assert nord.ignored_rows == [f"{master}:3: sud/b.md"]
    # a single file, named from the master table's folder
    single = read_corpus(tmp_path / "study" / "sud" / "b.md", master)
    assert single["b"].area == "nice" and single.ignored_rows == [f"{master}:2: nord/a.md"]
    # rows joined on id: those for interviews not in this run are ignored too
    assert read_corpus(tmp_path / "study" / "sud", by_id)["b"].region == "paca"
    assert read_corpus(tmp_path / "study" / "sud", by_id).ignored_rows == [f"{by_id}:3: id a"]


def test_a_table_inside_the_corpus_still_refuses_a_row_for_a_missing_file(tmp_path):
    transcript(tmp_path / "nord" / "a.md")
    given = table(tmp_path / "nord" / "extra.csv", "file,area\na.md,lille\nghost.md,x\n")
    with pytest.raises(CorpusError, match=r"extra.csv:3: \[E105\]"):
        read_corpus(tmp_path, given)  # a typo in the corpus' own table stays an error
