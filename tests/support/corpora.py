"""The small corpora that several test files write: each one's transcripts and its codebook.

* the report corpus (`write_report_corpus`, with `REPORT_CODEBOOK`): six English
  interviews in three areas, one without a respondent turn and one answer
  holding a `<script>`; the workflow, report and `qualcode analyze` tests use it;
* the cases corpus (`write_cases_corpus`, with `CASES_CODEBOOK`): six English
  interviews in two areas, for the case matrix and `qualcode classify`;
* the planted corpus (`plant`): French and English interviews with planted
  names of persons, places and organisations, for pseudonymisation and
  `qualcode anonymise`.
"""

from __future__ import annotations

import re
from pathlib import Path

from support.paths import TESTS_DATA

# --- the report corpus --------------------------------------------------------------

REPORT_CODEBOOK = TESTS_DATA / "codebooks" / "report.yaml"
SCRIPT = "<script>alert(1)</script>"

#: three areas: north (C1; one interview without a respondent turn), south (C2; a denied
#: phone platform), east (one interview: insufficient). The codebook is French first.
REPORT_INTERVIEWS = {
    "north_1": ("north", "r1", ["The local hub meets every month with France Travail and the mission "
                                "locale. Mrs Garnier chairs it."]),
    "north_2": ("north", "r1", [f"The coordination cell keeps a shared directory {SCRIPT} for all of us."]),
    "north_3": ("north", "r1", None),
    "south_1": ("south", "r2", ["Everyone works in silos, even France Travail and Cap emploi.",
                                "There is no phone platform here."]),
    "south_2": ("south", "r2", ["Each provider works on its own."]),
    "east_1": ("east", "r3", ["We have a shared directory."]),
}
ALL_FILES = ["case_matrix.csv", "classification.csv", "classification.json", "codings.csv",
             "evidence.csv", "manifest.json", "report.html", "report.md", "segments.csv"]


def write_report_corpus(folder: Path) -> Path:
    """The six interviews as .md files with front matter (north_3 has only questions)."""
    folder.mkdir(parents=True, exist_ok=True)
    for iid, (area, region, answers) in REPORT_INTERVIEWS.items():
        body = ["Interviewer: How do you work with the others?\n"]
        if answers is None:
            body.append("Interviewer: Nothing to add?\n")
        for n, answer in enumerate(answers or []):
            if n:
                body.append("Interviewer: And then?\n")
            body.append(f"Respondent: {answer}\n")
        text = (f"---\nid: {iid}\narea: {area}\nregion: {region}\nlanguage: en\n"
                f"interviewers: [Interviewer]\n---\n\n" + "\n".join(body))
        (folder / f"{iid}.md").write_text(text, encoding="utf-8")
    return folder


# --- the cases corpus ---------------------------------------------------------------

CASES_CODEBOOK = TESTS_DATA / "codebooks" / "cases.yaml"

#: two areas in two regions, three interviews each (English: the blank pipeline is fast)
CASES_INTERVIEWS = {
    "north_1": ("north", "r1", [
        "The local hub meets every month. We see France Travail and the mission locale there.",
        "It works well.",
    ]),
    "north_2": ("north", "r1", ["The coordination cell keeps a shared directory for all of us."]),
    "north_3": ("north", "r1", [
        "There is no local hub here. We mostly call Cap emploi.",
        "The shared directory helps a lot, I use it every week.",
    ]),
    "south_1": ("south", "r2", ["Everyone works in silos. The region decided to pull out in 2021."]),
    "south_2": ("south", "r2", ["Each provider works on its own, France Travail too."]),
    "south_3": ("south", "r2", ["We work in silos, even with Cap emploi and France Travail."]),
}


def write_cases_corpus(folder: Path, *, question: str = "How do you work with the others?") -> Path:
    """The six interviews as .md files with front matter."""
    folder.mkdir(parents=True, exist_ok=True)
    for iid, (area, region, answers) in CASES_INTERVIEWS.items():
        body = [f"Interviewer: {question}\n"]
        for n, answer in enumerate(answers):
            if n:
                body.append("Interviewer: And then?\n")
            body.append(f"Respondent: {answer}\n")
        text = (f"---\nid: {iid}\narea: {area}\nregion: {region}\nlanguage: en\n"
                f"interviewers: [Interviewer]\n---\n\n" + "\n".join(body))
        (folder / f"{iid}.md").write_text(text, encoding="utf-8")
    return folder


# --- the planted corpus -------------------------------------------------------------

FR_A = """\
---
id: fr_a
area: nord
region: hauts
provider: mission_locale
language: fr
role: conseillère, collègue de Mme Garnier
interviewers: [Enquêtrice]
---
# Entretien à Saint-Aubin-de-Vaux

Enquêtrice : Bonjour, vous pouvez vous présenter ?

Mme Garnier : Oui. Je suis conseillère à la mission locale de Saint-Aubin-de-Vaux depuis six ans. Avant, j'étais chez Pôle emploi.

Enquêtrice : Avec qui travaillez-vous ?

Mme Garnier : Avec Karim Benali, de Cap emploi, on se connaît bien. Karim m'appelle quand il a un jeune. Et l'entreprise Ferrand Logistique recrute des caristes, on leur envoie des candidats.

Enquêtrice : Et la Région ?

Mme Garnier : La Région finance moins depuis 2021. Benali dit pareil.
"""

FR_B = """\
E : Vous connaissez Mme Garnier ?

M. Benali : Oui, Mme Garnier travaille à Saint-Aubin-de-Vaux. Moi je suis à Cap emploi, à Dorvesnes.

E : Et Ferrand Logistique ?

M. Benali : Ils recrutent. La mission locale et France Travail aussi.
"""

EN_A = """\
---
id: en_a
area: south
language: en
interviewers: [Interviewer]
---
Interviewer: Who do you work with?

Ms Carter: Mostly with the Apec and the mission locale. I live in Dunmore, so I see Harwell Ltd people every week.

Interviewer: And Mr Okafor?

Ms Carter: Mr Okafor works at Harwell too. Dunmore is small.
"""

METADATA = """\
file,area,region,provider,role
fr_b.txt,nord,hauts,cap_emploi,conseiller de Karim Benali à Dorvesnes
"""

PERSONS = ("Garnier", "Karim", "Benali", "Carter", "Okafor")
PLACES = ("Saint-Aubin-de-Vaux", "Dorvesnes", "Dunmore")
ORGS = ("Ferrand", "Harwell")
KEPT = ("Pôle emploi", "Cap emploi", "mission locale", "France Travail", "Région", "Apec")


def plant(root: Path) -> Path:
    """Write the planted corpus into `root` (created) and return it."""
    root.mkdir(parents=True)
    for name, text in (("fr_a.md", FR_A), ("fr_b.txt", FR_B), ("en_a.md", EN_A), ("metadata.csv", METADATA)):
        (root / name).write_text(text, encoding="utf-8")
    return root


def planted_names_in(text: str) -> list[str]:
    return [n for n in (*PERSONS, *PLACES, *ORGS) if re.search(rf"\b{re.escape(n)}\b", text)]


# --- the long-names corpus -------------------------------------------------------------

#: the English sample interviews regrouped into areas with long names: one of four interviews
#: (stability testable), two of three (not testable: leaving one out leaves fewer than the rule's
#: three), one of two (insufficient)
LONG_AREAS = {
    "brevanne": ["coteaux-de-bremond-sur-varenne"] * 4,
    "castelmont": ["fellbrook-under-greyhollow-moor"] * 3 + ["northmere-and-the-upper-lisere-valley"],
    "saint_orbe": ["marches-de-tremontel-et-vessieres"] * 3 + ["northmere-and-the-upper-lisere-valley"],
}
LONG_REGIONS = {"coteaux-de-bremond-sur-varenne": "nord-varenne-et-haute-sarre",
                "fellbrook-under-greyhollow-moor": "haut-lisere-et-plateaux",
                "marches-de-tremontel-et-vessieres": "val-d-ambre-et-confluence",
                "northmere-and-the-upper-lisere-valley": "haut-lisere-et-plateaux"}


def write_long_names_corpus(folder: Path) -> Path:
    """The 12 English sample interviews, their areas renamed to long, hyphenated names (LONG_AREAS)."""
    from support.paths import SAMPLE

    folder.mkdir(parents=True, exist_ok=True)
    for area, names in LONG_AREAS.items():
        for path, name in zip(sorted((SAMPLE / "cep_study_en" / area).glob("*.md")), names):
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?m)^area: .*$", f"area: {name}", text, count=1)
            text = re.sub(r"(?m)^region: .*$", f"region: {LONG_REGIONS[name]}", text, count=1)
            (folder / path.name).write_text(text, encoding="utf-8")
    return folder
