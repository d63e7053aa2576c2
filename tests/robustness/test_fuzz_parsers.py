"""The speaker-turn parser, the cue parser and the front matter, fuzzed as text.

The readers' tests start from bytes; these start from decoded text, so that
every example reaches the parsers: label lines, timestamps, headings, prose
with colons, long runs of any of them. The turns always keep the contract
(exact offsets, numbered from 1, in order); the work per line is bounded, so
no example runs past the per-example deadline.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qualcode.base.text import normalise_text
from qualcode.corpus.formats import Cue, _split_voices, _srt_cues
from qualcode.corpus.frontmatter import split_front_matter
from qualcode.corpus.labels import MAX_LABEL_CHARS, match_label
from qualcode.corpus.turns import turns_from_cues, turns_from_text
from qualcode.errors import CorpusError
from support.hostile import assert_clean, check_turns, text_pieces_and_runs

LABEL_PIECES = [
    "Q :", "R :", "Q:", "R:", "Enquêtrice : ", "CONSEILLÈRE MISSION LOCALE :", "**R :**", "**R** :", "__Q__:",
    "[00:12:31] ", "(12:31) ", "00:12:31 - ", "Speaker 2 (00:05): ", "Mme Garnier :", "Int. :", "I:",
    "Trois choses : ", "Par exemple :", "http://", "Note : ", "\n", "\n\n", "# ", "## Partie", "---", "***",
    " ", "\t", "\u00a0", "\u202f", "é", "：", ":", "**", "__", "[", "]", "(", ")", "0", "a", "'", "’", "-",
    "la cellule d'animation", "Mise en place d'une série de démarches : ", "\u202e", "\x1b",
]
VOICE_PIECES = ["<v ", "<v.loud ", ">", "</v>", "<i>", "</i>", "<", "&amp;", "&lt;", "Enquêtrice", "R", " ",
                "Q: ", "\n", "texte", "\u202e", "<00:00:01.000>"]


@given(text=text_pieces_and_runs(LABEL_PIECES), interviewers=st.one_of(
    st.none(), st.lists(st.sampled_from(["Q", "Enquêtrice", "Mme Garnier", "R", ""]), max_size=3)))
def test_turns_from_text(text, interviewers):
    text = normalise_text(text)
    for mode in ("auto", "line"):
        parsed = turns_from_text(text, 0, interviewers, mode)
        assert parsed.text == text
        check_turns(text, parsed.turns)
        assert all(len(t.speaker) <= MAX_LABEL_CHARS for t in parsed.turns)


@given(text=text_pieces_and_runs(LABEL_PIECES, max_run=200))
def test_match_label_is_bounded_and_exact(text):
    found = match_label(text)
    if found is not None:
        assert 0 < len(found.label) <= MAX_LABEL_CHARS
        assert 0 < found.content <= len(text)


@given(cues=st.lists(st.tuples(st.floats(0, 1e6, allow_nan=False),
                               st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(["Q", "R", "Enquêtrice", " "])),
                                                  text_pieces_and_runs(LABEL_PIECES, max_chunks=6, max_run=50)),
                                        max_size=3)),
                     max_size=12))
def test_turns_from_cues(cues):
    parsed = turns_from_cues([Cue("00:00:00.000", start, start + 1, parts) for start, parts in cues])
    check_turns(parsed.text, parsed.turns)


@given(raw=text_pieces_and_runs(VOICE_PIECES, max_run=500))
def test_voice_tags(raw):
    for speaker, _text in _split_voices(raw):
        assert speaker is None or (speaker and len(speaker) <= 200)
        assert "\n" not in (speaker or "")


@given(text=text_pieces_and_runs(["1\n", "00:00:01,000 --> 00:00:02,000\n", " --> ", "0", "\n", "\n\n", " ",
                                  "R: oui", "-", ":", ",", "99999999999"], max_run=2000))
def test_srt_blocks(text):
    try:
        cues = _srt_cues(text, "x.srt")
    except CorpusError as exc:
        assert_clean(exc)
        return
    for cue in cues:
        assert cue.start_seconds >= 0


@given(text=text_pieces_and_runs(["---\n", "---", "...\n", "id: x\n", "a: [", "]", "{", "&a ", "*a", "\n",
                                  "? ", ": ", "- ", "'", '"', "\x01", "\t", "!!str ", "!!python/name:os.system"],
                                 max_run=300))
def test_front_matter(text):
    text = normalise_text(text)
    try:
        front = split_front_matter(text, "x.md")
    except CorpusError as exc:
        assert_clean(exc)
        assert "\n" not in str(exc)
        return
    assert 0 <= front.body_start <= len(text)
    assert all(isinstance(k, str) for k in front.values)



def _lines(node):
    """Each node's kind, tag and first line, but for empty values (libyaml may put those on the next line)."""
    found = [] if node.value == "" else [(type(node).__name__, node.tag, node.start_mark.line)]
    for item in node.value if isinstance(node.value, list) else []:
        for child in item if isinstance(item, tuple) else (item,):
            found.extend(_lines(child))
    return found


@given(text=text_pieces_and_runs(["id: x\n", "label: {fr: Réseau, en: Network}\n", "a: [", "]", "{", "}", ", ",
                                  "\n", "  ", "- ", "? ", ": ", "'", '"', "\t", "# note\n", "1.5", "2024-01-01",
                                  "yes", "~", "9" * 30, "\\ud800", "&a ", "*a", "!!str ", "...\n", "--- "],
                                 max_run=300))
def test_codebook_yaml_libyaml_reads_as_pyyaml(text):
    """Whatever the quick reader (libyaml) reads, PyYAML reads too, to the same data and the same lines."""
    from qualcode.codebook.parse import _read_with_libyaml, _read_with_pyyaml
    from qualcode.errors import CodebookError

    text = normalise_text(text)
    quick = _read_with_libyaml(text)
    if quick is None:
        return
    _, root, raw = _read_with_pyyaml(text, lambda problems: CodebookError(str(problems)))  # raises if it refuses
    assert repr(raw) == repr(quick[2])
    assert (root is None) == (quick[1] is None)
    if root is not None:
        assert _lines(root) == _lines(quick[1])
