"""What the exchange tests share: a small coded corpus, and hand-built REFI-QDA projects.

`coded_results()` writes three transcripts (emoji and accents before the
evidence, so that code points matter) and codes them once per test session
with the real engine and `tests/data/codebooks/interop.yaml`.

`nvivo_windows_project()` builds the kind of `.qdpx` NVivo for Windows
writes: `Sources/` with a capital S, a text with a BOM, CRLF line ends and
emoji, selection offsets in UTF-16 code units, braced upper-case GUIDs.
"""

from __future__ import annotations

import atexit
import io
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path

from support.paths import ROOT, TESTS_DATA

INTEROP_CODEBOOK = TESTS_DATA / "codebooks" / "interop.yaml"
INTEROP_DATA = TESTS_DATA / "interop"
MAXQDA_SAMPLE = INTEROP_DATA / "maxqda-24.7.0_ICLS_Conf_Themes_ALL_just10.qdpx"
NVIVO_MAC_SAMPLE = INTEROP_DATA / "nvivo-mac-15.0.0_nvivo_project.qdpx"
SCHEMAS = ROOT / "src" / "qualcode" / "interop" / "schemas"
PROJECT_NS = "{urn:QDA-XML:project:1.0}"

TRANSCRIPTS = {
    "nord/a1.md": """---
id: a1
area: nord
region: Hauts Plateaux
provider: pole_emploi
cohort: Été 2024
language: fr
interviewers: [Enquêtrice]
---

# Entretien 😀 à Nord

Enquêtrice : Comment travaillez-vous avec les autres ?

Conseillère : On a un annuaire commun 😀 et une plateforme téléphonique. Avec France Travail on se parle souvent.

Enquêtrice : Et la cellule ?

Conseillère : La cellule d'animation a été supprimée en 2022. 🎉 Depuis, on n'a pas d'annuaire commun avec la mission locale.
""",
    "nord/a2.md": """---
id: a2
area: nord
region: Hauts Plateaux
provider: apec
cohort: Été 2024
language: fr
interviewers: [Enquêtrice]
---

Enquêtrice : Et vous ?

Consultante : Moi j'ai le numéro direct de ma collègue 👍 de Pôle emploi, c'est tout.
""",
    "sud/b1.md": """---
id: b1
area: sud
region: Bas Pays
provider: mission_locale
cohort: Hiver 2023
language: fr
interviewers: [Enquêtrice]
---

Enquêtrice : Comment ça se passe ici ?

Conseiller : Une cellule d'animation nous réunit chaque mois, avec un annuaire commun.

Enquêtrice : D'accord.
""",
}

_CACHE: dict[str, tuple[Path, Path]] = {}


def _tmp() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="qualcode-interop-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def write_transcripts(folder: Path) -> Path:
    for name, text in TRANSCRIPTS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def code_folder(corpus_dir: Path, out: Path, codebook: Path = INTEROP_CODEBOOK, by: str = "area") -> Path:
    """Code a corpus with the real engine and write a results folder, as `qualcode code --out` does."""
    from qualcode.base.atomic import write_folder
    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus
    from qualcode.workflows.code import CodingOptions, CodingRun

    corpus = read_corpus(corpus_dir)
    book = load_codebook(codebook)
    codings = code_corpus(corpus, book, cache_dir=False, by=by)
    files = CodingRun(corpus, book, codings, CodingOptions(by=by), corpus_arg=str(corpus_dir)).files()
    write_folder(out, files)
    return out


def coded_results() -> tuple[Path, Path]:
    """(results folder, corpus folder) of the three transcripts, coded once per session."""
    if "main" not in _CACHE:
        root = _tmp()
        corpus_dir = write_transcripts(root / "corpus")
        _CACHE["main"] = (code_folder(corpus_dir, root / "results"), corpus_dir)
    return _CACHE["main"]


def copy_results(target: Path) -> tuple[Path, Path]:
    """A private copy of the coded results and corpus (for tests that change files)."""
    results, corpus = coded_results()
    shutil.copytree(corpus, target / "corpus")
    shutil.copytree(results, target / "results")
    return target / "results", target / "corpus"


# --- hand-built projects -----------------------------------------------------------------

def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_sizes(data: bytes, name: str, size: int, *, local: bool = False) -> bytes:
    """Rewrite the uncompressed size a zip declares for `name` (central directory, or both)."""
    raw = bytearray(data)
    encoded = name.encode()
    pos = raw.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", raw, pos + 28)[0]
        if bytes(raw[pos + 46:pos + 46 + name_len]) == encoded:
            struct.pack_into("<I", raw, pos + 24, size)
            if local:
                offset = struct.unpack_from("<I", raw, pos + 42)[0]
                struct.pack_into("<I", raw, offset + 22, size)
        pos = raw.find(b"PK\x01\x02", pos + 4)
    return bytes(raw)


def u16(text: str, index: int) -> int:
    """UTF-16 code units before code point `index` of `text`."""
    return len(text[:index].encode("utf-16-le")) // 2


NVIVO_TEXT = ("Intervieweuse : Bonjour 😀 et merci !\r\n"
              "Répondante : On a un annuaire commun 🎉🎉 avec la mission locale.\r\n"
              "Intervieweuse : Et la cellule ?\r\n"
              "Répondante : La cellule d'animation nous réunit 👍 chaque mois.\r\n")
SOURCE_GUID = "{6F9619FF-8B86-D011-B42D-00C04FC964FF}"
USER_GUID = "{A1B2C3D4-0000-4000-8000-000000000001}"
CODE_TOOLS = "{C0DE0001-0000-4000-8000-000000000001}"
CODE_CELL = "{C0DE0002-0000-4000-8000-000000000002}"
FOLDER = "{C0DE0000-0000-4000-8000-000000000000}"
VAR_AGE = "{0A0A0001-0000-4000-8000-000000000001}"
VAR_GENDER = "{0A0A0002-0000-4000-8000-000000000002}"


def selection_offsets(text: str, words: str, unit: str = "utf16") -> tuple[int, int]:
    start = text.index(words)
    end = start + len(words)
    if unit == "utf16":
        return u16(text, start), u16(text, end)
    return start, end


def nvivo_project_xml(*, origin: str = "NVivo 12 for Windows", unit: str = "utf16",
                      namespace: str = "urn:QDA-XML:project:1.0", inline: bool = False) -> str:
    tools = selection_offsets(NVIVO_TEXT, "annuaire commun", unit)
    cell = selection_offsets(NVIVO_TEXT, "cellule d'animation nous réunit 👍 chaque mois", unit)
    comment = selection_offsets(NVIVO_TEXT, "mission locale", unit)
    content = ""
    path_attr = f'plainTextPath="internal://{SOURCE_GUID.strip("{}")}.txt"'
    if inline:
        escaped = NVIVO_TEXT.replace("&", "&amp;").replace("<", "&lt;").replace("\r", "&#13;")
        content = f"<PlainTextContent>{escaped}</PlainTextContent>"
        path_attr = ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{namespace}" name="Essai" origin="{origin}" creatingUserGUID="{USER_GUID}">
  <Users><User guid="{USER_GUID}" name="Alice"/></Users>
  <CodeBook><Codes>
    <Code guid="{FOLDER}" name="Thèmes" isCodable="false">
      <Code guid="{CODE_TOOLS}" name="Outils partagés" isCodable="true" color="#FF0000"/>
      <Code guid="{CODE_CELL}" name="Cellule locale" isCodable="true"><Description>Une cellule.</Description></Code>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{VAR_AGE}" name="Cases:Age group" typeOfVariable="Text"/>
    <Variable guid="{VAR_GENDER}" name="Genre" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="{{CA5E0001-0000-4000-8000-000000000001}}" name="Site A">
      <VariableValue><VariableRef targetGUID="{VAR_AGE.lower()}"/><TextValue>30-39</TextValue></VariableValue>
      <SourceRef targetGUID="{SOURCE_GUID.lower().strip("{}")}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{SOURCE_GUID}" name="Entretien 1" {path_attr} creatingUser="{USER_GUID}">
      {content}
      <PlainTextSelection guid="{{5E1E0001-0000-4000-8000-000000000001}}" name="annuaire" startPosition="{tools[0]}" endPosition="{tools[1]}" creatingUser="{USER_GUID}">
        <Coding guid="{{C0D10001-0000-4000-8000-000000000001}}" creatingUser="{USER_GUID}"><CodeRef targetGUID="{CODE_TOOLS}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{{5E1E0002-0000-4000-8000-000000000002}}" name="cellule" startPosition="{cell[0]}" endPosition="{cell[1]}" creatingUser="{USER_GUID}">
        <Coding guid="{{C0D10002-0000-4000-8000-000000000002}}" creatingUser="{USER_GUID}"><CodeRef targetGUID="{CODE_CELL.lower()}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{{5E1E0003-0000-4000-8000-000000000003}}" name="note" startPosition="{comment[0]}" endPosition="{comment[1]}" creatingUser="{USER_GUID}">
        <Description>À revoir avec l'équipe.</Description>
      </PlainTextSelection>
      <PlainTextSelection guid="{{5E1E0004-0000-4000-8000-000000000004}}" name="vide" startPosition="{tools[0]}" endPosition="{tools[0]}" creatingUser="{USER_GUID}">
        <Coding guid="{{C0D10004-0000-4000-8000-000000000004}}" creatingUser="{USER_GUID}"><CodeRef targetGUID="{CODE_TOOLS}"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="{VAR_GENDER}"/><TextValue>F</TextValue></VariableValue>
    </TextSource>
  </Sources>
</Project>
"""


def nvivo_windows_project(path: Path, *, qde_name: str = "project.qde", **options: object) -> Path:
    """Write the NVivo-for-Windows-like project to `path`."""
    xml = nvivo_project_xml(**options)  # type: ignore[arg-type]
    entries = [(qde_name, xml.encode("utf-8"))]
    if not options.get("inline"):
        entries.append((f"Sources/{SOURCE_GUID.strip('{}')}.txt", b"\xef\xbb\xbf" + NVIVO_TEXT.encode("utf-8")))
    path.write_bytes(zip_bytes(entries))
    return path


# --- a project of comments, in the shape of a real NVivo for Windows export ------------------

COMMENT_TITLE = "Retour usager"
_COMMENTS = [
    "L'accompagnement m'a beaucoup aidé 😀, la conseillère a pris le temps.",
    "Trop d'attente au téléphone, personne ne rappelle 😠.",
    "J'ai trouvé une formation grâce à la mission locale 👍.",
    "Les ateliers collectifs étaient utiles, mais trop loin de chez moi.",
    "Rien à dire, tout s'est bien passé 🎉🎉.",
    "On m'a orienté vers l'Apec, c'était le bon choix.",
]
COMMENT_CODES = [("{C0DE1001-0000-4000-8000-000000000001}", "Satisfaction"),
                 ("{C0DE1002-0000-4000-8000-000000000002}", "Délais"),
                 ("{C0DE1003-0000-4000-8000-000000000003}", "Orientation")]


def comment_texts(sources: int = 3, comments: int = 101) -> list[str]:
    """Each source: `Retour usager :` then one comment, line after line, CRLF (what NVivo writes)."""
    texts = []
    for s in range(sources):
        lines = []
        for n in range(comments):
            lines.append(f"{COMMENT_TITLE} :")
            lines.append(f"{_COMMENTS[(n + s) % len(_COMMENTS)]} (n° {s}-{n})")
        texts.append("\r\n".join(lines) + "\r\n")
    return texts


def nvivo_comments_project(path: Path, sources: int = 3, comments: int = 101) -> tuple[Path, int]:
    """A project of comments (not interviews) as NVivo 12 for Windows writes one: `Sources/`, BOM,
    CRLF, emoji, UTF-16 offsets, braced upper-case GUIDs, a `Cases:` variable, an annotation as a
    Note linked to a selection; every comment line coded (the second code on every third).

    Returns the path and the number of codings."""
    texts = comment_texts(sources, comments)
    user = "{A1B2C3D4-0000-4000-8000-0000000000AA}"
    codes = "".join(f'<Code guid="{g}" name="{n}" isCodable="true" color="#3366CC"/>' for g, n in COMMENT_CODES)
    xml_sources = []
    entries = []
    n_codings = 0
    first_selection = ""
    for s, text in enumerate(texts):
        source_guid = f"{{5011CE00-0000-4000-8000-{s:012X}}}"
        selections = []
        pos = 0
        for n, line in enumerate(text.split("\r\n")[:-1]):
            start = pos
            pos += len(line) + 2
            if line.startswith(COMMENT_TITLE):
                continue
            a, b = u16(text, start), u16(text, start + len(line))
            chosen = [COMMENT_CODES[n % 3]] + ([COMMENT_CODES[(n + 1) % 3]] if n % 3 == 0 else [])
            selection_guid = f"{{5E1E{s:04X}-0000-4000-8000-{n:012X}}}"
            first_selection = first_selection or selection_guid
            codings = "".join(
                f'<Coding guid="{{C0D1{s:04X}-{k:04X}-4000-8000-{n:012X}}}" creatingUser="{user}">'
                f'<CodeRef targetGUID="{g}"/></Coding>' for k, (g, _) in enumerate(chosen))
            n_codings += len(chosen)
            selections.append(f'<PlainTextSelection guid="{selection_guid}" name="{n}" startPosition="{a}" '
                              f'endPosition="{b}" creatingUser="{user}">{codings}</PlainTextSelection>')
        xml_sources.append(
            f'<TextSource guid="{source_guid}" name="Retours {s + 1}" '
            f'plainTextPath="internal://{source_guid.strip("{}").lower()}.txt" creatingUser="{user}">'
            + "".join(selections)
            + f'<VariableValue><VariableRef targetGUID="{VAR_GENDER}"/><TextValue>web</TextValue></VariableValue>'
            + "</TextSource>")
        entries.append((f"Sources/{source_guid.strip('{}').lower()}.txt", b"\xef\xbb\xbf" + text.encode("utf-8")))
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Retours usagers" origin="NVivo 12 for Windows" creatingUserGUID="{user}" creationDateTime="2024-05-02T10:00:00Z">
  <Users><User guid="{user}" name="Camille"/></Users>
  <CodeBook><Codes><Code guid="{FOLDER}" name="Thèmes" isCodable="false">{codes}</Code></Codes></CodeBook>
  <Variables>
    <Variable guid="{VAR_AGE}" name="Cases:Canal" typeOfVariable="Text"/>
    <Variable guid="{VAR_GENDER}" name="Support" typeOfVariable="Text"/>
  </Variables>
  <Cases><Case guid="{{CA5E0009-0000-4000-8000-000000000009}}" name="Enquête 2024">
    <VariableValue><VariableRef targetGUID="{VAR_AGE}"/><TextValue>en ligne</TextValue></VariableValue>
    {"".join(f'<SourceRef targetGUID="{{5011CE00-0000-4000-8000-{s:012X}}}"/>' for s in range(sources))}
  </Case></Cases>
  <Sources>{"".join(xml_sources)}</Sources>
  <Notes><Note guid="{{0B0E0001-0000-4000-8000-000000000001}}" name="Annotation"><PlainTextContent>à revoir</PlainTextContent></Note></Notes>
  <Links><Link guid="{{11AC0001-0000-4000-8000-000000000001}}" originGUID="{{0B0E0001-0000-4000-8000-000000000001}}" targetGUID="{first_selection}"/></Links>
</Project>
"""
    path.write_bytes(zip_bytes([("project.qde", xml.encode("utf-8")), *entries]))
    return path, n_codings
