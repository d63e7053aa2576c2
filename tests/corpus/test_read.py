"""read_corpus as a whole: discovery, skipped files, ids, required, strict, language, order."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode.corpus import read_corpus
from qualcode.corpus.language import detect_language
from qualcode.corpus.records import CORPUS_JSON_KEYS, TURN_JSON_KEYS, corpus_records
from qualcode.errors import CorpusError

FR = "Q: Vous travaillez avec qui ?\nR: Avec la mission locale et les autres, c'est très important pour nous.\n"
EN = "Q: Who do you work with?\nR: With the local mission and the others, that is what we do.\n"


def write(path: Path, text: str = FR) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_recursive_discovery_sorted_by_id_and_skips_listed(tmp_path):
    write(tmp_path / "z" / "b_first.md")
    write(tmp_path / "a" / "c.txt")
    write(tmp_path / "README.md", "# Corpus\n")
    write(tmp_path / "expected.csv", "case,verdict\n")
    write(tmp_path / "notes.json", "{}")
    write(tmp_path / "old.doc", "binary-ish")
    write(tmp_path / ".hidden" / "secret.md")
    write(tmp_path / ".draft.md")
    write(tmp_path / "~$lock.docx", "x")
    corpus = read_corpus(tmp_path)
    assert [i.id for i in corpus] == ["b_first", "c"]
    assert [i.file for i in corpus] == ["z/b_first.md", "a/c.txt"]
    skipped = {s.file: s.reason for s in corpus.skipped}
    assert set(skipped) == {"README.md", "expected.csv", "notes.json", "old.doc", "~$lock.docx"}
    assert "save it as .docx" in skipped["old.doc"]
    # unsupported formats warn (W106); documentation does not
    w106 = [w for w in corpus.warnings if "[W106]" in w]
    assert len(w106) == 2 and any("old.doc" in w for w in w106) and any("notes.json" in w for w in w106)


def test_same_input_same_output(tmp_path):
    for name in ("b.md", "a.md", "sub/c.txt"):
        write(tmp_path / name)
    first, second = read_corpus(tmp_path), read_corpus(tmp_path)
    assert corpus_records(first, turns=True) == corpus_records(second, turns=True)
    assert first.warnings == second.warnings


def test_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(CorpusError, match=r"nope: \[E101\]"):
        read_corpus(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CorpusError, match=r"empty: \[E102\]"):
        read_corpus(tmp_path / "empty")
    write(tmp_path / "docs" / "README.md")
    with pytest.raises(CorpusError, match=r"\[E102\]"):
        read_corpus(tmp_path / "docs")


def test_duplicate_id_names_both_files(tmp_path):
    write(tmp_path / "nord" / "entretien.md")
    write(tmp_path / "sud" / "entretien.txt")
    with pytest.raises(CorpusError) as info:
        read_corpus(tmp_path)
    message = str(info.value)
    assert "[E107]" in message and "nord/entretien.md" in message and "sud/entretien.txt" in message


def test_required_attribute(tmp_path):
    write(tmp_path / "a.md", "---\narea: nord\n---\n" + FR)
    write(tmp_path / "b.md")
    assert len(read_corpus(tmp_path, required=())) == 2
    with pytest.raises(CorpusError, match=r"b\.md: \[E106\] no 'area'"):
        read_corpus(tmp_path, required=("area",))


def test_language_detection_and_declared_language(tmp_path):
    write(tmp_path / "fr.md")
    write(tmp_path / "en.md", EN)
    write(tmp_path / "declared.md", "---\nlanguage: en\n---\n" + FR)
    corpus = read_corpus(tmp_path)
    assert (corpus["fr"].language, corpus["en"].language, corpus["declared"].language) == ("fr", "en", "en")
    assert corpus["en"].warnings == ["[W104] language not given: detected 'en'"]
    assert corpus["declared"].warnings == []
    assert corpus.languages == ["en", "fr"]


def test_detection_uses_respondent_text_and_is_deterministic():
    assert detect_language(["Oui, c'est vrai que nous avons des partenaires."]) == "fr"
    assert detect_language(["Yes, it is true that we have partners."]) == "en"
    assert detect_language([""]) == "fr"  # nothing to count: French first


def test_unsupported_language_is_e113(tmp_path):
    write(tmp_path / "a.md", "---\nlanguage: de\n---\n" + FR)
    with pytest.raises(CorpusError, match=r"a\.md:2: \[E113\]"):
        read_corpus(tmp_path)


def test_strict_turns_warnings_into_errors(tmp_path):
    write(tmp_path / "a.md", "---\nlanguage: fr\n---\n" + FR)
    assert read_corpus(tmp_path, strict=True).warnings == []
    write(tmp_path / "b.md", "Un texte sans étiquette.\n")
    with pytest.raises(CorpusError, match=r"b\.md: \[W10[24]\]"):
        read_corpus(tmp_path, strict=True)


def test_warnings_kept_per_interview_and_for_the_corpus(tmp_path):
    write(tmp_path / "a.md", "Un texte sans étiquette.\n")
    corpus = read_corpus(tmp_path)
    assert corpus["a"].warnings[0].startswith("[W102]")
    assert corpus.warnings[0] == f"{tmp_path / 'a.md'}: {corpus['a'].warnings[0]}"


def test_list_of_files_and_single_file(tmp_path):
    a, b = write(tmp_path / "x" / "a.md"), write(tmp_path / "y" / "b.md")
    write(tmp_path / "x" / "ignored.md")
    corpus = read_corpus([b, a])
    assert [i.file for i in corpus] == ["x/a.md", "y/b.md"]
    single = read_corpus(a)
    assert [i.file for i in single] == ["a.md"] and single.root == a.parent
    with pytest.raises(CorpusError, match=r"\[E102\]"):
        read_corpus(write(tmp_path / "photo.png", "x"))


def test_file_too_large_is_e114(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20_000_001)
    with pytest.raises(CorpusError, match=r"huge\.txt: \[E114\]"):
        read_corpus(tmp_path)


def test_records_have_exactly_the_json_keys(tmp_path):
    write(tmp_path / "a.md", "---\narea: nord\n---\n" + FR)
    record = corpus_records(read_corpus(tmp_path))[0]
    assert tuple(record) == CORPUS_JSON_KEYS
    assert record["turns"] == 2 and record["area"] == "nord" and record["file"] == "a.md"
    with_turns = corpus_records(read_corpus(tmp_path), turns=True)[0]
    assert [tuple(t) for t in with_turns["turns"]] == [TURN_JSON_KEYS] * 2
    assert with_turns["turns"][1]["role"] == "respondent"


def test_interview_hash_and_path(tmp_path):
    import hashlib

    path = write(tmp_path / "a.md")
    interview = read_corpus(tmp_path)["a"]
    assert interview.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert interview.path == path.resolve()


def test_sample_corpus_reads_when_present(sample_corpus_dir):
    if not sample_corpus_dir.is_dir() or not any(sample_corpus_dir.rglob("*.md")):
        pytest.skip("sample_data/cep_study is not there yet")
    corpus = read_corpus(sample_corpus_dir)
    assert len(corpus) > 0
    for interview in corpus:
        assert interview.turns
        for turn in interview.turns:
            assert interview.text[turn.start:turn.end] == turn.text
        assert interview.respondent_turns
