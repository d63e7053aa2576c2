"""The French conditional, read from a verb's form and lemma.

Whether a sentence says what is done or what one would do ("on organiserait
des matinales") decides whether a theme is present. The small French model
tags the conditional mood (`Mood=Cnd`) on some verbs only ("serait", "dirais")
and calls most others an imperfect ("aimerait", "organiserait"); the blank
pipeline tags nothing. The form is regular enough to read: the conditional is
the future stem (the infinitive, "-re" verbs without their "e", a short list
of irregular stems) followed by an imperfect ending. The imperfect is built on
another stem ("organis-ait", "tir-ait"), so the two do not meet.
"""

from __future__ import annotations

from qualcode.base.text import fold

ENDINGS = ("aient", "ions", "iez", "ais", "ait")
#: the future stems of the verbs that change it, by lemma
EXACT = {"être": "ser", "avoir": "aur", "aller": "ir"}
#: lemma ending -> the future stem's ending ("obtenir" -> "obtiendr", "satisfaire" -> "satisfer")
IRREGULAR = (
    ("faire", "fer"), ("pouvoir", "pourr"), ("vouloir", "voudr"), ("falloir", "faudr"),
    ("valoir", "vaudr"), ("devoir", "devr"), ("cevoir", "cevr"), ("savoir", "saur"),
    ("envoyer", "enverr"), ("courir", "courr"), ("mourir", "mourr"),
    ("venir", "viendr"), ("tenir", "tiendr"), ("voir", "verr"),
)
#: verbs of "voir" that keep the regular stem ("prévoirait", "pourvoirait")
REGULAR_VOIR = ("prévoir", "pourvoir")


def _loose(word: str) -> str:
    """Accents, doubled consonants and y/i folded: "appeller" meets "appeler", "achèter" "acheter"."""
    word = fold(word).replace("y", "i")
    out: list[str] = []
    for char in word:
        if not out or char != out[-1]:
            out.append(char)
    return "".join(out)


def future_stems(lemma: str) -> tuple[str, ...]:
    """The stems a conditional of this infinitive may be written on."""
    if lemma in EXACT:
        return (EXACT[lemma],)
    for infinitive, stem in IRREGULAR:
        if lemma.endswith(infinitive) and lemma not in REGULAR_VOIR:
            return (lemma[: len(lemma) - len(infinitive)] + stem,)
    if lemma.endswith(("er", "ir")):
        return (lemma,)
    if lemma.endswith("re"):
        return (lemma[:-1],)
    return ()


def is_conditional(form: str, lemma: str) -> bool:
    """Whether a French verb form is a conditional of its lemma."""
    form, lemma = form.lower(), lemma.lower()
    if len(form) <= len(lemma) - 2 or not lemma.isalpha():
        return False
    for ending in ENDINGS:
        if form.endswith(ending):
            stem = form[: len(form) - len(ending)]
            return any(stem == s or _loose(stem) == _loose(s) for s in future_stems(lemma))
    return False


__all__ = ["ENDINGS", "EXACT", "IRREGULAR", "future_stems", "is_conditional"]
