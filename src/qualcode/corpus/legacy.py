"""Which legacy encoding a French or English text that is not UTF-8 was saved in.

A researcher's transcripts that are not UTF-8 come from Windows (cp1252), old
Unix and web tools (Latin-1, Latin-9) or old Macs (Mac Roman). These four
decode any byte, so the question is not which one *can* decode a file but
which one gives French or English: each candidate is scored on the
characters outside ASCII it produces, where they stand, and the words they
make:

* a letter of the two languages (é, è, à, ç, ô, œ...) inside a word scores 1,
  and 1 more when the word is a common accented word (`été`, `très`, `Pôle`);
* an upper-case accented letter inside a word that is not in capitals
  (`dÈpartement`, what Mac Roman makes of cp1252) scores -2, as does a letter
  of another language (ð, å, ß, Ž) or a symbol between two letters (`P™le`);
* a control character (Latin-1's reading of cp1252's quotes) scores -3;
* what word processors write (’ “ ” « » … – — €) scores 1; a currency sign
  or a spacing accent where they would stand (¤, ´, ¸) scores -2; other
  signs (°, §, a no-break space) score 0.

The best score wins, cp1252 first on a tie (it is what Windows writes, and
the same as Latin-1 for every byte both define). Only when no candidate
scores above zero, a text in neither language, is charset-normalizer asked;
its statistics need more text than a short interview gives (a three-line
cp1252 file can come out as Big5), which is why it comes last. Whatever
decides, the reason names the characters that decided it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: the legacy encodings of French and English texts, preferred in this order on a tie
CANDIDATES = ("cp1252", "latin_1", "iso8859_15", "mac_roman")
NAMES = {"cp1252": "cp1252", "latin_1": "Latin-1", "iso8859_15": "Latin-9 (ISO 8859-15)",
         "mac_roman": "Mac Roman"}

_LETTERS = frozenset("àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸ")
#: what word processors write in both languages: each occurrence scores 1
_TYPOGRAPHY = frozenset("’‘“”«»…–—€")
_NEUTRAL = frozenset("„°§©®•·\u00a0\u202f\u2009½¼¾²³×÷¿¡¢£¥µ¶ªº±")
#: what a wrong reading of Latin-9 or cp1252 leaves (a currency sign for €, spacing accents)
_MOJIBAKE = frozenset("¤¦¨´¸¯")
#: common accented words of French (and words English borrowed): each decoded so scores one more
_WORDS = frozenset(["à", "où", "là", "déjà", "été", "étés", "être", "même", "mêmes", "très", "après", "près", "dès", "ça", "voilà", "voici", "aussitôt", "français", "française", "françaises", "région", "régions", "réunion", "réunions", "département", "départements", "pôle", "emploi", "élu", "élus", "élue", "équipe", "équipes", "évolution", "entreprise", "accès", "accompagnement", "problème", "problèmes", "système", "première", "premières", "deuxième", "troisième", "dernière", "dernières", "intérêt", "intérêts", "qualité", "sécurité", "société", "sociétés", "activité", "activités", "réalité", "difficulté", "difficultés", "santé", "mobilité", "proximité", "fidélité", "créer", "créé", "créée", "créés", "général", "générale", "également", "lycée", "lycées", "collège", "collèges", "métier", "métiers", "expérience", "expériences", "intérim", "bénéficiaire", "bénéficiaires", "démarche", "démarches", "année", "années", "idée", "idées", "élève", "élèves", "étudiant", "étudiants", "étude", "études", "économie", "économique", "précarité", "prévention", "conférence", "coopération", "opérateur", "opérateurs", "chômage", "côté", "côtés", "contrôle", "contrôles", "rôle", "rôles", "août", "décembre", "février", "préfecture", "préfet", "sœur", "cœur", "œuvre", "œuvres", "vœu", "vœux", "nœud", "nœuds", "leçon", "garçon", "reçu", "reçue", "façon", "déçu", "café", "cafés", "naïve", "naïf", "résumé", "fiancé", "fiancée", "déjà-vu", "entrée", "rôle", "élite"])
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Legacy:
    """A legacy decoding: the text, the encoding's codec name, and what decided it."""

    text: str
    encoding: str
    reason: str


@dataclass(slots=True)
class _Score:
    points: int = 0
    good: dict[str, int] | None = None
    words: list[str] | None = None
    bad: dict[str, int] | None = None


def _score(text: str) -> _Score:
    score = _Score(0, {}, [], {})
    assert score.good is not None and score.words is not None and score.bad is not None
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        lower = word.lower()
        known = lower in _WORDS
        for index, ch in enumerate(word):
            if ch.isascii() or ch in "’":
                continue
            if ch in _LETTERS and not (index > 0 and ch.isupper() and not word.isupper()):
                score.points += 1
                score.good[ch] = score.good.get(ch, 0) + 1
            else:
                score.points -= 2
                score.bad[ch] = score.bad.get(ch, 0) + 1
        if known:
            score.points += 1
            if lower not in (w.lower() for w in score.words) and len(score.words) < 3:
                score.words.append(word)
    for position, ch in enumerate(text):
        if ch.isascii() or ch.isalpha() or ch in _NEUTRAL:
            continue
        if ch in _TYPOGRAPHY:
            score.points += 1
            score.good[ch] = score.good.get(ch, 0) + 1
            continue
        if ch in _MOJIBAKE:
            score.points -= 2
            score.bad[ch] = score.bad.get(ch, 0) + 1
            continue
        category = unicodedata.category(ch)
        if category.startswith("C"):
            score.points -= 3
            score.bad[ch] = score.bad.get(ch, 0) + 1
        elif _between_letters(text, position):
            score.points -= 2
            score.bad[ch] = score.bad.get(ch, 0) + 1
    return score


def _between_letters(text: str, position: int) -> bool:
    return (0 < position < len(text) - 1 and text[position - 1].isalpha()
            and text[position + 1].isalpha())


def _shown(chars: dict[str, int], limit: int = 4) -> str:
    ordered = sorted(chars, key=lambda c: (-chars[c], c))[:limit]
    return ", ".join(_visible(c) for c in ordered)


def _visible(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return ch
    return f"U+{ord(ch):04X}"


def choose_legacy(data: bytes) -> Legacy | None:
    """The legacy encoding that reads `data` as French or English, else charset-normalizer's guess."""
    sample = data[:200_000]  # enough to decide; the whole file is decoded with the winner
    best: tuple[int, int, str, _Score] | None = None
    seen: dict[str, str] = {}
    for rank, encoding in enumerate(CANDIDATES):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text in seen.values():  # cp1252 and Latin-1 agree on most files: one counts
            continue
        seen[encoding] = text
        score = _score(text)
        key = (score.points, -rank)
        if best is None or key > best[:2]:
            best = (score.points, -rank, encoding, score)
    if best is not None and best[0] > 0:
        whole = _decode(data, best[2])
        if whole is not None:
            return Legacy(whole, best[2], _reason(best[3]))
    return _statistical(data)


def _reason(score: _Score) -> str:
    assert score.good is not None and score.words is not None
    words = ", ".join(repr(w) for w in score.words)
    return (f"chosen by the French and English letters it gives: {_shown(score.good)}"
            + (f" ({words})" if words else ""))


def _decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _statistical(data: bytes) -> Legacy | None:
    """charset-normalizer's best guess, for a text that reads as neither language in the four."""
    from charset_normalizer import from_bytes  # lazy: only such files pay for it

    best = from_bytes(data).best()
    if best is None:
        return None
    text = _decode(data, best.encoding)
    if text is None:
        return None
    others: dict[str, int] = {}
    for ch in text[:200_000]:
        if not ch.isascii() and not ch.isspace():
            others[ch] = others.get(ch, 0) + 1
    return Legacy(text, best.encoding, "charset-normalizer's guess: the text reads as neither French "
                  "nor English in cp1252, Latin-1, Latin-9 or Mac Roman; it decided on "
                  + (_shown(others) or "the bytes alone"))
