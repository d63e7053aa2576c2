"""Loading a codebook: normalisation, and every kind of problem with its file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from qualcode.codebook import (
    MAX_CODEBOOK_BYTES,
    Codebook,
    Pattern,
    bundled_codebook_path,
    load_codebook,
    parse_codebook,
)
from qualcode.codebook import load as load_module
from qualcode.codebook.parse import StrictLoader, describe_loc, node_line
from qualcode.errors import CodebookError
from support.paths import TESTS_DATA

MINIMAL = TESTS_DATA / "codebooks" / "minimal.yaml"
MINIMAL_TEXT = MINIMAL.read_text(encoding="utf-8")


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line of `text` that contains `needle`."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} not in the text"
    return hits[nth - 1]


def edit(old: str, new: str, text: str = MINIMAL_TEXT) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def problems(tmp_path: Path, text: str, name: str = "codebook.yaml") -> tuple[str, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    return str(path), info.value.problems


def assert_problem(found: list[str], path: str, line: int, *fragments: str) -> None:
    prefix = f"{path}:{line}: "
    for problem in found:
        if problem.startswith(prefix) and all(f in problem for f in fragments):
            return
    pytest.fail(f"no problem at {prefix} with {fragments}; got:\n" + "\n".join(found))


@pytest.fixture(scope="module")
def minimal() -> Codebook:
    return load_codebook(MINIMAL)


# --- a valid codebook, normalised ----------------------------------------------------

def test_codebook_minimal_loads(minimal):
    assert minimal.name == "minimal"
    assert minimal.version == "0.1.0"
    assert minimal.languages == ["fr", "en"]
    assert minimal.primary_language == "fr"
    assert minimal.title == {"fr": "Codebook minimal", "en": "Minimal codebook"}
    assert [g.id for g in minimal.groups] == ["policy", "relations"]
    assert minimal.theme_ids == ["local_coordination", "silos", "cooperation"]
    assert minimal.actor_ids == ["pole_emploi"]
    assert minimal.configuration_ids == ["C1", "C2"]
    assert minimal.source_path == str(MINIMAL)
    assert minimal.sha256 == hashlib.sha256(MINIMAL.read_bytes()).hexdigest()
    assert minimal.warnings == []


def test_codebook_patterns_normalised(minimal):
    fr = minimal.code("local_coordination").patterns["fr"]
    assert [p.id for p in fr] == ["local_coordination/fr/1", "comite_local",
                                  "local_coordination/fr/3", "coordination_locale"]
    assert fr[0] == Pattern(id="local_coordination/fr/1", phrase="cellule d'animation")
    assert fr[0].kind == "phrase" and fr[3].kind == "tokens"
    assert fr[2].case_sensitive is True and fr[2].phrase == "SPRO"
    # NORM values (plain and inside IN) are folded; other attributes are left as written
    assert fr[3].tokens == [{"NORM": "coordination"}, {"OP": "?"}, {"NORM": {"IN": ["local", "territorial"]}}]
    assert minimal.code("cooperation").patterns["fr"][0].tokens == [{"LEMMA": "coopérer"}]
    assert minimal.code("local_coordination").patterns["en"][1].id == "local_coordination/en/2"


def test_codebook_optional_fields_and_references(minimal):
    code = minimal.code("local_coordination")
    assert code.include == {"fr": ["une cellule ou un comité local d'animation"],
                            "en": ["a local facilitation cell or committee"]}
    assert code.exclude == {"fr": ["la coordination nationale"]}
    assert code.counter_examples == {"fr": ["Il n'y a plus de cellule d'animation."]}
    assert code.historical == "count" and code.negated == "ignore"
    assert minimal.code("silos").negated == "cooperation"
    assert minimal.code("silos").examples == {}
    assert minimal.configuration("C1").indicators == {"local_coordination": 3.0, "cooperation": 1.5, "silos": -1.0}
    assert minimal.configuration("C2").description == {}
    assert minimal.decision.model_dump() == {"min_score": 0.3, "min_margin": 0.1,
                                             "min_interviews": 3, "measure": "interviews",
                                             "calibration": None, "status": None}


def test_codebook_negation_normalised(minimal):
    assert list(minimal.negation) == ["fr", "en"]
    fr = minimal.negation["fr"]
    assert [c.id for c in fr.cues] == ["pas", "supprime", "ny_a_plus"]
    assert fr.cues[0].category == "negated" and fr.cues[1].category == "historical"
    assert fr.cues[2].tokens == [{"NORM": "y"}, {"NORM": "avoir"}, {"NORM": "plus"}]
    assert [p.id for p in fr.pseudo] == ["negation/fr/pseudo/1", "negation/fr/pseudo/2"]
    assert [p.phrase for p in fr.terminators] == ["mais", "par contre"]
    en = minimal.negation["en"]
    assert en.cues[1].id == "negation/en/cue/2" and en.cues[1].direction == "both"
    assert en.pseudo == []


def test_codebook_helpers(minimal):
    assert minimal.actor("pole_emploi").aliases["fr"][2].case_sensitive
    assert {g: [c.id for c in codes] for g, codes in minimal.codes_by_group().items()} == {
        "policy": ["local_coordination"], "relations": ["silos", "cooperation"]}
    with pytest.raises(KeyError, match="did you mean 'silos'"):
        minimal.code("silo")
    with pytest.raises(KeyError):
        minimal.code("pole_emploi")  # an actor, not a theme


def test_codebook_is_frozen(minimal):
    with pytest.raises(ValidationError, match="frozen"):
        minimal.name = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        minimal.codes[0].id = "other"  # type: ignore[misc]


def test_codebook_yaml_12_booleans_and_dates(tmp_path):
    # `no`, `on`, `off` are words, not booleans; an unquoted date stays a string
    text = edit('{id: no, phrase: "no", direction: forward, scope: 5}',
                "{id: no, phrase: no, direction: forward, scope: 5}")
    text = edit('version: "0.1.0"', "version: 2024-05-01", text)
    path = tmp_path / "cb.yaml"
    path.write_text(text, encoding="utf-8")
    codebook = load_codebook(path)
    assert codebook.negation["en"].cues[0].phrase == "no"
    assert codebook.version == "2024-05-01"


def test_codebook_parse_from_text_and_nfc():
    decomposed = MINIMAL_TEXT.replace("Coopération", "Coope\u0301ration")
    codebook = parse_codebook(decomposed, source="inline.yaml")
    assert codebook.code("cooperation").label["fr"] == "Coopération"
    assert codebook.source_path == "inline.yaml"


def test_codebook_warnings(tmp_path):
    # no negation rules, a group with no codes, a phrase with '...'
    base = MINIMAL_TEXT.split("negation:")[0] + "configurations:" + MINIMAL_TEXT.split("configurations:")[1]
    base = edit("  - id: relations\n", "  - id: empty\n    label: {fr: Vide, en: Empty}\n  - id: relations\n", base)
    base = edit('fr: ["chacun de son côté",', 'fr: ["ne ... que", "chacun de son côté",', base)
    path = tmp_path / "cb.yaml"
    path.write_text(base, encoding="utf-8")
    codebook = load_codebook(path)
    warnings = codebook.warnings
    # no `negation` key at all: located at the top mapping (its first key)
    assert f"{path}:{line_of(base, 'name: minimal')}: [W201] no negation cues for 'fr'" in "\n".join(warnings)
    assert any("[W201]" in w and "'en'" in w for w in warnings)
    assert any(w.startswith(f"{path}:{line_of(base, '- id: empty')}:") and "[W202]" in w for w in warnings)
    assert any(w.startswith(f"{path}:{line_of(base, 'ne ... que')}:") and "[W203]" in w
               and "pattern 1 (fr)" in w for w in warnings)
    assert codebook.negation == {"fr": codebook.negation["fr"], "en": codebook.negation["en"]}
    assert codebook.negation["fr"].cues == []


def test_codebook_bundled_path():
    from support.paths import BUNDLED_CODEBOOK

    path = bundled_codebook_path()
    assert path.name == "cep_cooperation.yaml"
    assert path.resolve() == BUNDLED_CODEBOOK.resolve()


def test_codebook_bundled_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(load_module, "bundled_codebook_path", lambda: tmp_path / "cep_cooperation.yaml")
    with pytest.raises(CodebookError, match=r"\[E233\] the bundled codebook is missing"):
        load_codebook(None)


def test_codebook_bundled_loaded_by_default(monkeypatch):
    monkeypatch.setattr(load_module, "bundled_codebook_path", lambda: MINIMAL)
    assert load_codebook(None).name == "minimal"


# --- each kind of problem, located ------------------------------------------------------

def test_codebook_error_duplicate_code_id(tmp_path):
    text = edit("  - id: cooperation\n", "  - id: silos\n")
    path, found = problems(tmp_path, text)
    first = line_of(text, "- id: silos")
    assert_problem(found, path, line_of(text, "- id: silos", nth=2),
                   "code 'silos'", "[E213] duplicate code id 'silos'", f"(first at line {first})")


def test_codebook_error_actor_shares_id_space(tmp_path):
    text = edit("  - id: pole_emploi\n", "  - id: silos\n")
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "  - id: silos", nth=2),
                   "actor 'silos'", "duplicate actor id 'silos'", "codes and actors share one id space")


def test_codebook_error_unknown_group(tmp_path):
    text = edit("    group: relations\n    label: {fr: Coopération",
                "    group: relatons\n    label: {fr: Coopération")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:{line_of(text, 'group: relatons')}: code 'cooperation': group: "
                     "[E214] unknown group 'relatons' (did you mean 'relations'?); "
                     "declared groups: policy, relations"]


def test_codebook_error_missing_language_label(tmp_path):
    text = edit("label: {fr: Cloisonnement, en: Compartmentalisation}", "label: {fr: Cloisonnement}")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:{line_of(text, 'label: {fr: Cloisonnement}')}: code 'silos': label: "
                     "[E215] no entry for 'en'; give one for every declared language (fr, en)"]


def test_codebook_error_undeclared_language_and_missing_patterns(tmp_path):
    text = edit('      en: ["in silos", "each on its own"]', '      de: ["in Silos"]')
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "    patterns:", nth=2), "code 'silos': patterns",
                   "[E216] 'de' is not a declared language")


def test_codebook_error_bad_token_pattern(tmp_path):
    text = edit('{NORM: "Coordination"}, {OP: "?"}', '{NORM: "Coordination"}, {OP: "??"}, {NORMAL: "x"}')
    path, found = problems(tmp_path, text)
    line = line_of(text, "NORMAL")
    assert_problem(found, path, line, "code 'local_coordination': pattern 4 (fr): token 2:",
                   "[E217] spaCy rejects this token pattern", "OP")
    assert_problem(found, path, line, "pattern 4 (fr): token 3:", "NORMAL")


def test_codebook_error_token_pattern_compiled_by_matcher(tmp_path):
    # valid for spaCy's schema, refused when the Matcher compiles it
    text = edit('{OP: "?"}', '{OP: "{3,1}"}')
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "{3,1}"), "pattern 4 (fr): tokens:", "[E217]", "E011")


def test_codebook_error_token_pattern_shape(tmp_path):
    text = edit("        - tokens: [{LEMMA: \"coopérer\"}]", "        - tokens: []")
    text = edit('{phrase: "SPRO", case_sensitive: true}', '{tokens: [{ORTH: SPRO}], case_sensitive: true}', text)
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "tokens: []"), "code 'cooperation': pattern 1 (fr): tokens:",
                   "should not be empty")
    assert_problem(found, path, line_of(text, "{ORTH: SPRO}"), "pattern 3 (fr)", "[E221]")


def test_codebook_error_phrase_and_tokens(tmp_path):
    text = edit('{phrase: "comité local", id: comite_local}',
                '{phrase: "comité local", tokens: [{NORM: comite}], id: comite_local}')
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:{line_of(text, 'comite_local')}: code 'local_coordination': pattern 2 (fr): "
                     "[E220] a pattern has either `phrase` or `tokens` (not both, not neither)"]


def test_codebook_error_unknown_indicator_code(tmp_path):
    text = edit("      cooperation: 1.5\n", "      cooperaton: 1.5\n      pole_emploi: 1\n")
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "cooperaton: 1.5"), "configuration 'C1': indicator 'cooperaton'",
                   "[E218] unknown code 'cooperaton' (did you mean 'cooperation'?)")
    assert_problem(found, path, line_of(text, "pole_emploi: 1"), "indicator 'pole_emploi'",
                   "[E219] 'pole_emploi' is an actor")


def test_codebook_error_non_numeric_and_zero_weight(tmp_path):
    text = edit("      cooperation: 1.5\n", "      cooperation: high\n")
    text = edit("      silos: 2\n", "      silos: 0\n", text)
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "cooperation: high"), "configuration 'C1': indicator 'cooperation'",
                   "[E212] should be a number (found 'high')")
    assert_problem(found, path, line_of(text, "silos: 0"), "configuration 'C2': indicator 'silos'", "[E222]")


def test_codebook_error_reference_targets(tmp_path):
    text = edit("    negated: cooperation\n", "    negated: pole_emploi\n")
    text = edit("    historical: count\n", "    historical: local_coordination\n", text)
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "negated: pole_emploi"), "code 'silos': negated", "[E219]")
    assert_problem(found, path, line_of(text, "historical: local_coordination"), "[E228]")


def test_codebook_error_decision_out_of_range(tmp_path):
    text = edit("  min_margin: 0.1\n  min_interviews: 3\n  measure: interviews",
                "  min_margin: 1.5\n  min_interviews: 0\n  measure: turns")
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "min_margin"), "decision.min_margin", "less than or equal to 1")
    assert_problem(found, path, line_of(text, "min_interviews"), "decision.min_interviews", "greater than or equal to 1")
    assert_problem(found, path, line_of(text, "measure: turns"), "decision.measure", "'interviews', 'segments' or 'words'")


def test_codebook_error_decision_missing(tmp_path):
    text = MINIMAL_TEXT.split("decision:")[0]
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:{line_of(text, 'configurations:')}: configurations: [E223] configurations need "
                     "a decision rule: add `decision:` with min_score, min_margin, min_interviews and measure"]


def test_codebook_error_bad_cue(tmp_path):
    text = edit('{id: pas, phrase: "pas", direction: forward, scope: 6}',
                '{id: pas, phrase: "pas", direction: ahead, scope: 60}')
    path, found = problems(tmp_path, text)
    line = line_of(text, "direction: ahead")
    assert_problem(found, path, line, "negation (fr): cue 'pas': direction", "'forward', 'backward' or 'both'")
    assert_problem(found, path, line, "negation (fr): cue 'pas': scope", "less than or equal to 50")


def test_codebook_error_unknown_key(tmp_path):
    text = edit("    historical: count\n", "    historical: count\n    colour: blue\n")
    text = edit("decision:\n", "decison: {}\ndecision:\n", text)
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "colour: blue"), "code 'local_coordination': colour",
                   "[E210] unknown key 'colour'; allowed here: id, group, label")
    assert_problem(found, path, line_of(text, "decison"), "unknown key 'decison' (did you mean 'decision'?)")


def test_codebook_error_missing_key(tmp_path):
    text = edit("    definition:\n      fr: Les opérateurs travaillent ensemble.\n      en: Providers work together.\n", "")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:{line_of(text, '- id: cooperation')}: code 'cooperation': "
                     "[E211] missing required key 'definition'"]


def test_codebook_error_alias(tmp_path):
    text = edit("    label: {fr: Politique régionale, en: Regional policy}",
                "    label: &lab {fr: Politique régionale, en: Regional policy}")
    text = edit("    label: {fr: Relations entre opérateurs, en: Relations between providers}",
                "    label: *lab", text)
    path, found = problems(tmp_path, text)
    assert found == [
        f"{path}:{line_of(text, '&lab')}: [E205] YAML anchors (&lab) are not allowed in a codebook; "
        "write the content out in full",
        f"{path}:{line_of(text, '*lab')}: [E205] YAML aliases (*lab) are not allowed in a codebook; "
        "write the content out in full",
    ]


def test_codebook_error_billion_laughs(tmp_path):
    text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for name, prev in zip("bcdefghij", "abcdefghi"):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    _path, found = problems(tmp_path, text)
    assert any("[E205] YAML aliases (*h)" in p for p in found)
    assert len(found) < 40  # nothing was expanded


def test_codebook_error_python_tag(tmp_path):
    text = edit('version: "0.1.0"', "version: !!python/object/apply:os.system [echo hacked]")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:{line_of(text, 'python')}: [E206] YAML tag '!!python/object/apply:os.system' "
                     "is not allowed; a codebook is plain YAML (mappings, lists, strings, numbers, true/false)"]


def test_codebook_error_custom_tag(tmp_path):
    text = edit("  min_score: 0.3", "  min_score: !score 0.3")
    path, found = problems(tmp_path, text)
    assert f"{path}:{line_of(text, '!score')}: [E206] YAML tag '!score' is not allowed" in found[0]
    assert len(found) == 1  # the tagged value itself is not reported a second time


def test_codebook_error_duplicate_key(tmp_path):
    text = edit("  min_score: 0.3\n", "  min_score: 0.3\n  min_score: 0.4\n")
    path, found = problems(tmp_path, text)
    assert found == [f"{path}:{line_of(text, 'min_score: 0.4')}: [E207] duplicate key 'min_score' "
                     f"(also at line {line_of(text, 'min_score: 0.3')}); YAML would silently keep the last one"]


def test_codebook_error_oversized_file(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (MAX_CODEBOOK_BYTES // 10 + 1))
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert str(info.value).startswith(f"{path}: [E202] codebook too large")
    with pytest.raises(CodebookError, match=r"\[E202\]"):
        parse_codebook(b"x" * (MAX_CODEBOOK_BYTES + 1))


def test_codebook_error_yaml_syntax(tmp_path):
    text = edit("  min_score: 0.3\n", "  min_score: [0.3\n")
    path, found = problems(tmp_path, text)
    assert len(found) == 1 and found[0].startswith(f"{path}:") and "[E204] invalid YAML" in found[0]


def test_codebook_error_not_a_mapping_or_empty(tmp_path):
    path, found = problems(tmp_path, "- a\n- b\n")
    assert found == [f"{path}:1: [E208] the codebook must be a YAML mapping with name, version, languages, "
                     "groups and codes (found a list)"]
    path, found = problems(tmp_path, "# nothing\n", name="empty.yaml")
    assert "found an empty file" in found[0]


def test_codebook_error_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: x\nversion: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.problems == [f"{path}:2: [E204] invalid YAML: not UTF-8 text; save the file as UTF-8"]


def test_codebook_error_control_character():
    with pytest.raises(CodebookError) as info:
        parse_codebook("name: x\nversion: a\x00b\n", source="nul.yaml")
    assert info.value.problems == ["nul.yaml:2: [E204] invalid YAML: control character U+0000 "
                                   "is not allowed in YAML; remove it"]


def test_codebook_error_too_deep(tmp_path):
    path, found = problems(tmp_path, "name: " + "[" * 200 + "]" * 200 + "\n")
    assert found == [f"{path}:1: [E209] nested deeper than 40 levels; a codebook never needs that"]


def test_codebook_error_file_not_found_or_folder(tmp_path):
    with pytest.raises(CodebookError, match=r"\[E203\] cannot read the codebook \(no such file\)"):
        load_codebook(tmp_path / "missing.yaml")
    with pytest.raises(CodebookError, match=r"a folder, not a file"):
        load_codebook(tmp_path)


def test_codebook_error_loader_fields_refused(tmp_path):
    text = MINIMAL_TEXT + "sha256: deadbeef\n"
    path, found = problems(tmp_path, text)
    assert_problem(found, path, line_of(text, "sha256"), "[E210] unknown key 'sha256'")


def test_codebook_several_errors_at_once():
    path = TESTS_DATA / "codebooks" / "invalid_several.yaml"
    text = path.read_text(encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    found, p = info.value.problems, str(path)
    assert str(info.value).startswith(f"{p}: [E201] invalid codebook ({len(found)} problem(s))")
    assert_problem(found, p, line_of(text, "version: 1.0"), "version", "should be a string")
    assert_problem(found, p, line_of(text, "group: infra"), "code 'shared_tools': group", "[E214]")
    assert_problem(found, p, line_of(text, "label: {fr: Outils partagés}"), "code 'shared_tools': label", "[E215]")
    assert_problem(found, p, line_of(text, "NORMx"), "code 'shared_tools': pattern 3 (fr): token 1", "[E217]")
    assert_problem(found, p, line_of(text, "- id: shared_tools", nth=2), "duplicate code id 'shared_tools'")
    assert_problem(found, p, line_of(text, "weight_typo"), "[E210] unknown key 'weight_typo'")
    assert_problem(found, p, line_of(text, "shared_tool:"), "indicator 'shared_tool'", "[E218]")
    assert_problem(found, p, line_of(text, "regional_support: lots"), "should be a number")
    assert len(found) >= 8
    lines = [int(problem.split(":")[1]) for problem in found]
    assert lines == sorted(lines)  # reported in file order


# --- the line mapping itself ---------------------------------------------------------------

YAML = """\
top: 1
codes:
  - id: a
    label:
      fr: A
    patterns: {fr: [x, y,
                    z]}
"""


@pytest.mark.parametrize("loc, line", [
    ((), 1),
    (("top",), 1),
    (("codes",), 2),
    (("codes", 0), 3),
    (("codes", 0, "id"), 3),
    (("codes", 0, "label"), 4),            # a block mapping: the key's line
    (("codes", 0, "label", "fr"), 5),
    (("codes", 0, "label", "en"), 4),      # missing: at its parent
    (("codes", 0, "patterns", "fr", 2), 7),
    (("codes", 0, "patterns", "fr", "function-after[x]", 2), 7),  # union branch names skipped
    (("codes", 0, "patterns", "fr", "[key]"), 6),
    (("codes", 5), 2),                     # out of range: the list
])
def test_codebook_node_line(loc, line):
    loader = StrictLoader(YAML)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    assert node_line(root, loc) == line


@pytest.mark.parametrize("loc, words", [
    (("codes", 0, "patterns", "fr", 2), "code 'a': pattern 3 (fr)"),
    (("codes", 0, "patterns", "fr", 2, "tokens", 1), "code 'a': pattern 3 (fr): token 2"),
    (("codes", 1, "label"), "code #2: label"),
    (("codes", 0, "id"), "code 'a'"),
    (("actors", 0, "aliases", "en", 0), "actor #1: alias 1 (en)"),
    (("negation", "fr", "cues", 1, "scope"), "negation (fr): cue 2: scope"),
    (("negation", "en", "terminators", 0), "negation (en): terminator 1"),
    (("configurations", 0, "indicators", "x", "[key]"), "configuration #1: indicator 'x'"),
    (("decision", "min_score"), "decision.min_score"),
    (("languages", 2), "languages #3"),
    ((), ""),
])
def test_codebook_describe_loc(loc, words):
    raw = {"codes": [{"id": "a"}, {"id": 3}]}
    assert describe_loc(loc, raw) == words


def test_codebook_strict_loader_is_a_safe_loader():
    assert issubclass(StrictLoader, yaml.SafeLoader)
    loader = StrictLoader("a: yes\nb: true\nc: 2024-01-01\nd: ~\ne: 1.5\n")
    try:
        assert loader.get_single_data() == {"a": "yes", "b": True, "c": "2024-01-01", "d": None, "e": 1.5}
    finally:
        loader.dispose()


# --- the models on their own ------------------------------------------------------------------

def test_codebook_pattern_model():
    assert Pattern(id="p", tokens=[{"norm": {"NOT_IN": ["Élève"]}, "ORTH": "É"}]).tokens == [
        {"norm": {"NOT_IN": ["eleve"]}, "ORTH": "É"}]
    assert Pattern(id="p", tokens=[{"NORM": {"REGEX": r"^\W"}}]).tokens == [{"NORM": {"REGEX": r"^\W"}}]
    with pytest.raises(ValueError, match="E220"):
        Pattern(id="p")
    with pytest.raises(ValueError, match="E227"):
        Pattern(id="has space", phrase="x")


def test_codebook_docs_example_validates():
    """The complete example at the top of docs/codebook.md is a valid codebook."""
    from support.paths import ROOT

    doc = (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8")
    example = doc.split("## The file at a glance", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    codebook = parse_codebook(example, source="docs/codebook.md")
    assert codebook.theme_ids == ["shared_tools"]
    assert codebook.warnings == []


def test_codebook_decision_calibration_anchors(tmp_path):
    from qualcode.classification.rule import decision_rule
    from support.paths import TESTS_DATA

    source = (TESTS_DATA / "codebooks" / "engine.yaml").read_text(encoding="utf-8")
    good = tmp_path / "calibrated.yaml"
    good.write_text(source.replace(
        "  measure: interviews\n",
        "  measure: interviews\n  calibration:\n"
        "    interviews: {exclusion: 0, crossover: 0.3, inclusion: 0.7}\n"), encoding="utf-8")
    assert decision_rule(load_codebook(good)).anchors == (0.0, 0.3, 0.7)
    bad = tmp_path / "unordered.yaml"
    bad.write_text(source.replace(
        "  measure: interviews\n",
        "  measure: interviews\n  calibration:\n"
        "    interviews: {exclusion: 0.5, crossover: 0.3, inclusion: 0.7}\n"), encoding="utf-8")
    with pytest.raises(CodebookError) as info:
        load_codebook(bad)
    assert any(":98:" in p and "anchors must rise" in p for p in info.value.problems)


def test_a_remembered_codebook_keeps_its_folded_token_patterns(tmp_path):
    """The memo is reloaded without folding token patterns again: what it holds was folded when parsed."""
    from qualcode.codebook.load import _memo_path

    source = (TESTS_DATA / "codebooks" / "engine.yaml").read_text(encoding="utf-8").replace(
        '[{NORM: "animateur"}, {OP: "?"}, {NORM: {IN: ["local", "territorial"]}}]',
        '[{NORM: "Animatéur"}, {OP: "?"}, {NORM: {IN: ["Local", "Territoriäl"]}}, {LOWER: "Équipe", OP: "?"}]')
    path = tmp_path / "accents.yaml"
    path.write_text(source, encoding="utf-8")
    parsed = load_codebook(path)
    tokens = next(p for p in parsed.code("local_guidance_service").patterns["fr"] if p.id == "animateur_local").tokens
    assert tokens == [{"NORM": "animateur"}, {"OP": "?"}, {"NORM": {"IN": ["local", "territorial"]}},
                      {"LOWER": "Équipe", "OP": "?"}]  # NORM folded, every other attribute as written
    assert _memo_path(path.read_bytes()).is_file()
    again = load_codebook(path)
    assert again == parsed and again.model_dump() == parsed.model_dump()


def test_codebook_memo_gives_the_same_model_and_never_hides_an_error(tmp_path):
    from qualcode.codebook.load import _memo_path

    source = (TESTS_DATA / "codebooks" / "engine.yaml").read_bytes()
    first = tmp_path / "a.yaml"
    first.write_bytes(source)
    parsed = load_codebook(first)
    memo = _memo_path(source)
    assert memo.is_file()
    again = load_codebook(first)
    assert again == parsed
    moved = tmp_path / "b.yaml"
    moved.write_bytes(source)
    assert load_codebook(moved).source_path == str(moved)
    memo.write_text("{ not json", encoding="utf-8")  # a damaged entry: parsed again
    assert load_codebook(first) == parsed
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(source.replace(b"group: g", b"group: nowhere", 1))
    with pytest.raises(CodebookError):
        load_codebook(broken)
    assert not _memo_path(broken.read_bytes()).exists()


def _nodes(node, found):
    """Every node of a tree with its kind, tag, lines and scalar value, in document order."""
    found.append((type(node).__name__, node.tag, node.start_mark.line, node.end_mark.line,
                  node.value if isinstance(node.value, str) else None))
    for item in node.value if isinstance(node.value, list) else []:
        for child in item if isinstance(item, tuple) else (item,):
            _nodes(child, found)
    return found


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml reads every codebook in Python")
@pytest.mark.parametrize("path", [bundled_codebook_path(), *sorted((TESTS_DATA / "codebooks").glob("*.yaml"))],
                         ids=lambda p: p.name)
def test_libyaml_reads_a_codebook_as_pyyaml_does(path):
    """The quick reader gives the same data and the same nodes, line for line, as PyYAML in Python."""
    from qualcode.base.text import normalise_text
    from qualcode.codebook.parse import _read_with_libyaml, _read_with_pyyaml

    text = normalise_text(path.read_text(encoding="utf-8"))
    quick = _read_with_libyaml(text)
    assert quick is not None
    _, slow_root, slow_raw = _read_with_pyyaml(text, lambda problems: CodebookError(str(problems)))
    assert quick[2] == slow_raw and repr(quick[2]) == repr(slow_raw)
    assert _nodes(quick[1], []) == _nodes(slow_root, [])


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "a: [1\n", "- a\n--- \n- b\n",
                                  "a: \x85b\n", "a: 'control \x07'\n"])
def test_a_codebook_libyaml_would_word_differently_is_read_by_pyyaml(text):
    """Anchors, tags, duplicate keys, syntax errors, other line breaks, control characters: PyYAML reads and says."""
    from qualcode.codebook.parse import _read_with_libyaml

    assert _read_with_libyaml(text) is None
    with pytest.raises(CodebookError):
        parse_codebook(text)
