"""Speaker labels: what a label line looks like, and which labels are known.

A label line is `[timestamp] Label :` (bold markers allowed) at the start of a
line. Whether a candidate is really a speaker is decided per file
(`is_label`): it must be short, and either recur or be a known label, so that
prose with a colon ("Trois choses : des ateliers…") never opens a turn.

The regular expression is bounded everywhere (no unbounded repetition
followed by more pattern) and anchored at the start of the line, so that a
20 MB single-line file costs one short attempt, not a backtracking storm.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from qualcode.base.text import fold

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 5

#: interviewer labels used when neither the front matter nor a table gives `interviewers`
DEFAULT_INTERVIEWERS = (
    "Q", "I", "E", "Int.", "Interviewer", "Intervieweur", "Intervieweuse",
    "Enquêteur", "Enquêtrice", "Chercheur", "Chercheuse", "Moderator",
)
#: labels that are respondents wherever they appear (a known label need not recur)
RESPONDENT_LABELS = (
    "R", "A", "P", "Répondant", "Répondante", "Répondant(e)", "Respondent",
    "Interviewee", "Interviewé", "Interviewée", "Interviewé(e)", "Enquêté",
    "Enquêtée", "Enquêté(e)", "Participant", "Participante", "Participant(e)",
    "Speaker", "Locuteur", "Locutrice", "Intervenant", "Intervenante",
)

# A recurring candidate whose first word is one of these is prose, not a name
# or a role ("Par exemple :", "Je dirais :", "Note :", "So:").
_PROSE_FIRST_WORDS = frozenset(fold(w) for w in ["je", "j", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "c", "ce", "ça", "cela", "ceci", "et", "mais", "ou", "donc", "or", "ni", "car", "alors", "bref", "voilà", "voila", "pour", "par", "en", "dans", "avec", "sans", "sur", "sous", "chez", "vers", "entre", "exemple", "ensuite", "puis", "enfin", "bon", "oui", "non", "ah", "oh", "euh", "parce", "puisque", "quand", "si", "comme", "que", "qu", "qui", "quoi", "comment", "pourquoi", "où", "un", "une", "deux", "trois", "quatre", "cinq", "premier", "première", "premièrement", "deuxièmement", "note", "nb", "remarque", "attention", "question", "réponse", "i", "you", "he", "she", "it", "we", "they", "this", "that", "these", "those", "there", "here", "and", "but", "so", "because", "for", "in", "at", "with", "by", "from", "to", "as", "if", "when", "then", "first", "second", "example", "well", "yes", "no", "http", "https", "www", "mailto"])

_WS = "[ \\t\\u00a0\\u202f]"
_TIME = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
_TS = rf"(?:\[{_TIME}\]|\({_TIME}\)|{_TIME})"
_BOLD = r"(?:\*{1,2}|_{1,2})"
_LABEL_CHAR = "(?:[^\\W_]|['’.()&/ \\u00a0\\u202f-])"

LABEL_LINE = re.compile(
    rf"{_WS}{{0,8}}"
    rf"(?:(?P<ts>{_TS}){_WS}{{0,4}}(?:[-–—]{_WS}{{0,4}})?)?"
    rf"(?P<open>{_BOLD})?"
    rf"(?P<label>[^\W\d_]{_LABEL_CHAR}{{0,{MAX_LABEL_CHARS + 8}}}?)"
    rf"{_WS}{{0,4}}(?:(?P<ts2>{_TS}){_WS}{{0,4}})?"
    rf"(?(open)(?P<close>{_BOLD})?){_WS}{{0,4}}"
    r"[:：](?!//)"
    rf"{_WS}{{0,4}}(?(close)|(?(open){_BOLD}?)){_WS}{{0,8}}"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A line that looks like `Label :`; `content` is where the turn's text starts."""

    label: str
    key: str
    timestamp: str | None
    content: int


def label_key(label: str) -> str:
    """How labels are compared: folded, spaces collapsed, no trailing dot ('Int.' == 'int')."""
    return " ".join(fold(label).split()).rstrip(".").strip()


def _base(key: str) -> str:
    """'speaker 2' -> 'speaker', 'r1' -> 'r': a numbered known label is known."""
    return re.sub(r"\s*\d+$", "", key)


def keys_of(labels: Iterable[str]) -> frozenset[str]:
    return frozenset(k for k in (label_key(x) for x in labels) if k)


RESPONDENT_KEYS = keys_of(RESPONDENT_LABELS)
DEFAULT_INTERVIEWER_KEYS = keys_of(DEFAULT_INTERVIEWERS)


def in_keys(key: str, keys: frozenset[str]) -> bool:
    return key in keys or _base(key) in keys


def match_label(text: str, start: int = 0, end: int | None = None) -> Candidate | None:
    """The label candidate at `text[start:]` (a line start), or None: shape only, not recurrence."""
    m = LABEL_LINE.match(text, start, len(text) if end is None else end)
    if m is None:
        return None
    label = " ".join(m.group("label").replace("\u00a0", " ").replace("\u202f", " ").split())
    if not label or len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS:
        return None
    if label.count("(") != label.count(")"):
        return None
    timestamp = m.group("ts") or m.group("ts2")
    if timestamp:
        timestamp = timestamp.strip("[]()")
    return Candidate(label, label_key(label), timestamp, m.end())


def accepted_keys(candidates: Iterable[Candidate], known: frozenset[str]) -> frozenset[str]:
    """Keys that are speakers in this file: known ones, and recurring ones that are not prose."""
    counts: dict[str, int] = {}
    for c in candidates:
        counts[c.key] = counts.get(c.key, 0) + 1
    accepted = set()
    for key, count in counts.items():
        if in_keys(key, known) or (count >= 2 and _first_word(key) not in _PROSE_FIRST_WORDS):
            accepted.add(key)
    return frozenset(accepted)


def is_prose_opener(key: str) -> bool:
    """Keys that start like prose ("Par exemple", "Note") are never speakers unless known."""
    return _first_word(key) in _PROSE_FIRST_WORDS


def _first_word(key: str) -> str:
    word = key.split()[0]
    return re.split(r"['’]", word)[0]


# --- labels that are not speakers ---------------------------------------------------------

#: first words of labels that title a part of a document rather than name a speaker
_HEADING_WORDS = frozenset(fold(w) for w in [
    "abstract", "introduction", "conclusion", "conclusions", "summary", "résumé", "keywords",
    "mots-clés", "section", "chapter", "chapitre", "part", "partie", "model", "modèle", "level",
    "niveau", "figure", "fig", "table", "tableau", "step", "étape", "phase", "explanation",
    "hypothesis", "hypothèse", "appendix", "annexe", "title", "titre", "subject", "sujet", "objet",
    "comment", "commentaire", "commentaires", "comments", "feedback", "theme", "thème", "topic",
    "item", "entry", "entrée", "extrait", "excerpt", "source", "date", "heure", "time", "page",
    "résultats", "results", "methods", "méthode", "discussion", "references", "références",
    "definition", "définition", "lena", "objectif", "objectifs", "goal", "aim", "aims",
])
_MONTHS = frozenset(fold(w) for w in [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
    "novembre", "décembre", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "janv", "févr", "avr", "juil", "déc",
])
_WEEKDAYS = frozenset(fold(w) for w in [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday",
])
#: research questions and hypotheses numbered as in a paper: RQ1, H2a
_NUMBERED_CODE = re.compile(r"(?:rq|h)\d{1,2}[a-z]?")


def heading_reason(key: str) -> str | None:
    """Why a label key looks like a title or a date rather than a speaker, or None."""
    words = key.replace("(", " ").replace(")", " ").split()
    if not words:
        return None
    if any(w in _WEEKDAYS for w in words) or (any(w in _MONTHS for w in words)
                                               and any(c.isdigit() for c in key)):
        return "a date"
    if words[0] in _HEADING_WORDS or _NUMBERED_CODE.fullmatch(words[0]):
        return "a title"
    return None
