"""Transcripts saved in every encoding a French or English researcher meets read right, turn by turn.

Each transcript is written in one encoding, read back by `read_corpus`, and
every turn must be the text that was written; the warning must name the
encoding and the characters that decided it. Short and long, French and
English, accented and nearly unaccented: a three-line cp1252 English file
once came out as Big5 ("P犨e emploi").
"""

from __future__ import annotations

import pytest

from qualcode.corpus import read_corpus
from qualcode.corpus.decode import decode
from qualcode.corpus.legacy import choose_legacy
from qualcode.errors import CorpusError

SHORT_EN = ("Q: Where do you work?\n"
            "R: At Pôle emploi, in the département.\n"
            "Q: Thanks.\n")
NEARLY_UNACCENTED_EN = ("Q: How do you work with the others?\n"
                        "R: We meet every month at the hub, it’s fine.\n"
                        "Q: And the region?\n"
                        "R: They pulled out two years ago.\n")
SHORT_FR = ("Enquêtrice : Vous êtes où ?\n"
            "Conseillère : À la mission locale, déjà depuis l'été.\n"
            "Enquêtrice : Merci.\n"
            "Conseillère : Ça va.\n")
LONG_FR = "\n".join(
    f"{'Enquêtrice' if n % 2 == 0 else 'Conseillère'} : "
    + ("Comment ça se passe avec les autres opérateurs de la région ?" if n % 2 == 0 else
       "On se réunit très souvent ; la cellule d'animation a été créée en 2019, le cœur du métier "
       "reste l'accompagnement, et ça coûte 100 € par an à chaque structure. Déjà là, c'est à nous.")
    for n in range(40)) + "\n"
LONG_EN = "\n".join(
    f"{'Interviewer' if n % 2 == 0 else 'Adviser'}: "
    + ("How does it work with the other providers?" if n % 2 == 0 else
       "We meet at the café every month, and the “local hub” helps – we’ve had a shared directory "
       "since the Pôle emploi reform; it’s naïve to think otherwise.")
    for n in range(40)) + "\n"

# (text, encoding): every encoding that each text can be written in
CASES = [
    (SHORT_EN, "cp1252"), (SHORT_EN, "latin_1"), (SHORT_EN, "mac_roman"), (SHORT_EN, "iso8859_15"),
    (NEARLY_UNACCENTED_EN, "cp1252"), (NEARLY_UNACCENTED_EN, "mac_roman"),
    (SHORT_FR, "cp1252"), (SHORT_FR, "latin_1"), (SHORT_FR, "mac_roman"), (SHORT_FR, "iso8859_15"),
    (LONG_FR, "cp1252"), (LONG_FR, "iso8859_15"), (LONG_FR, "mac_roman"),
    (LONG_EN, "cp1252"), (LONG_EN, "mac_roman"),
]


def _reported(data: bytes, encoding: str) -> str:
    """The encoding the warning names: the first of the four that reads these bytes the same
    (Latin-1 or Latin-9 bytes that cp1252 reads the same are reported as cp1252)."""
    from qualcode.corpus.legacy import CANDIDATES

    for candidate in CANDIDATES:
        try:
            if data.decode(candidate) == data.decode(encoding):
                return candidate
        except UnicodeDecodeError:
            continue
    return encoding


def _turn_texts(text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(("text", "encoding"), CASES,
                         ids=[f"{'short' if len(t) < 400 else 'long'}-{e}-{n}" for n, (t, e) in enumerate(CASES)])
def test_every_turn_reads_right_and_the_warning_names_the_encoding(tmp_path, text, encoding):
    data = text.encode(encoding)
    (tmp_path / "t.txt").write_bytes(data)
    interview = read_corpus(tmp_path).interviews[0]
    assert [t.text for t in interview.turns] == _turn_texts(text)
    [warning] = [w for w in interview.warnings if w.startswith("[W101]")]
    assert f"decoded as {_reported(data, encoding)} (chosen by " in warning
    assert any(ch in warning.split("chosen by", 1)[1] for ch in "éô’")


def test_the_big5_case_is_cp1252_and_says_which_characters_decided(tmp_path):
    data = SHORT_EN.encode("cp1252")
    from charset_normalizer import from_bytes

    assert from_bytes(data).best().encoding != "cp1252"  # the statistical guess alone goes wrong
    chosen = choose_legacy(data)
    assert chosen is not None and chosen.encoding == "cp1252"
    assert chosen.text == SHORT_EN
    assert "'Pôle'" in chosen.reason and "'département'" in chosen.reason


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_files_read_right(tmp_path, encoding):
    data = LONG_FR.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "t.txt").write_bytes(data)
    interview = read_corpus(tmp_path).interviews[0]
    assert [t.text for t in interview.turns] == _turn_texts(LONG_FR)
    warnings = [w for w in interview.warnings if w.startswith("[W101]")]
    if encoding.startswith("utf-16"):
        assert warnings and "utf-16 (a UTF-16 byte order mark)" in warnings[0]
    else:
        assert not warnings


def test_a_text_in_neither_language_falls_to_charset_normalizer_and_says_so():
    russian = ("Привет, как дела? Всё хорошо, спасибо. Это длинный текст на русском языке, "
               "и его нельзя читать как французский.").encode("cp1251")
    decoded = decode(russian, "ru.txt")
    assert decoded.text.startswith("Привет")
    assert decoded.encoding is not None and decoded.encoding not in ("cp1252", "latin_1", "mac_roman")
    assert "charset-normalizer" in decoded.reason and "neither French nor English" in decoded.reason


def test_latin9_wins_over_cp1252_on_the_euro_sign_and_oe():
    text = "R : Ça coûte 100 € ; c'est le cœur du métier.\n"
    chosen = choose_legacy(text.encode("iso8859_15"))
    assert chosen is not None and chosen.encoding == "iso8859_15" and chosen.text == text


def test_binary_is_still_refused():
    with pytest.raises(CorpusError, match="E103"):
        decode(b"\x00\x01\x02PDF", "x.txt")
