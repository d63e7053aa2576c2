"""Precision and recall of name detection on a labelled set of French and English transcripts.

`benchmarks/data/names/labelled_{fr,en}.md` are two interviews of career
advisers written for this measure, whose names are marked: `[[Karim]]` a
person, `[[Montarel|PLACE]]`, `[[Ferrand Logistique|ORG]]`; `{{Prenez}}`
marks an ordinary word that readers have seen tagged (a verb at the start of
a sentence, a nationality, a product, a stand-in such as "Untel") and that
must stay. The marks are taken out, the two files read as one corpus and
pseudonymised with the defaults (`Anonymiser.from_corpus`), and every
replaced span compared with the marks:

* person recall: the people's names replaced whole, over all people's names;
* recall of every name (people, places, organisations);
* precision: replaced spans that overlap a marked name, over all replaced spans;
* ordinary words tagged: marked `{{...}}` words that were replaced (goal: 0).

    .venv/bin/python benchmarks/anonymise_accuracy.py

The set is small (about 60 names) and was written by the project, with the
failures of issue 17 in it: read the figures as a check that those stay
fixed and that recall holds, not as the accuracy on a real corpus
(docs/anonymisation.md says what detection misses).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent / "data" / "names"
_MARK = re.compile(r"\[\[([^]|]+)(?:\|(PERSON|PLACE|ORG))?\]\]|\{\{([^}]+)\}\}")


@dataclass(frozen=True)
class Gold:
    """A marked span of the plain text: a name (with its category) or an ordinary word (category "")."""

    interview: str
    start: int
    end: int
    text: str
    category: str


@dataclass(frozen=True)
class Scores:
    languages: str
    people: int
    people_found: int
    names: int
    names_found: int
    tagged: int
    tagged_right: int
    ordinary_tagged: tuple[str, ...]

    @property
    def person_recall(self) -> float:
        return self.people_found / self.people if self.people else 1.0

    @property
    def recall(self) -> float:
        return self.names_found / self.names if self.names else 1.0

    @property
    def precision(self) -> float:
        return self.tagged_right / self.tagged if self.tagged else 1.0


def unmark(text: str, interview: str) -> tuple[str, list[Gold]]:
    """The text without its marks, and the marked spans in it."""
    plain: list[str] = []
    gold: list[Gold] = []
    at = last = 0
    for match in _MARK.finditer(text):
        plain.append(text[last:match.start()])
        at += match.start() - last
        surface = match.group(1) or match.group(3)
        category = (match.group(2) or "PERSON") if match.group(1) else ""
        gold.append(Gold(interview, at, at + len(surface), surface, category))
        plain.append(surface)
        at += len(surface)
        last = match.end()
    plain.append(text[last:])
    return "".join(plain), gold


def score(files: list[Path] | None = None) -> Scores:
    """Pseudonymise the labelled files with the defaults and compare the replaced spans with the marks."""
    from qualcode.anonymise import Anonymiser
    from qualcode.corpus import read_corpus

    files = files or sorted(HERE.glob("labelled_*.md"))
    gold: list[Gold] = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            plain, found = unmark(path.read_text(encoding="utf-8"), path.stem)
            (Path(tmp) / path.name).write_text(plain, encoding="utf-8")
            gold += found
        corpus = read_corpus(tmp)
        anonymiser = Anonymiser.from_corpus(corpus)
        hits: list[tuple[str, int, int]] = []
        for interview in corpus:
            raw = (Path(tmp) / f"{interview.id}.md").read_text(encoding="utf-8")
            hits += [(interview.id, hit.start, hit.end) for hit, _name, _label in anonymiser.hits(raw)]
        languages = ",".join(sorted(corpus.languages))
    shutil.rmtree(tmp, ignore_errors=True)

    def covered(g: Gold) -> bool:
        return any(i == g.interview and s <= g.start and g.end <= e for i, s, e in hits)

    def overlaps(i: str, s: int, e: int, names: bool) -> bool:
        return any(g.interview == i and s < g.end and g.start < e and bool(g.category) == names for g in gold)

    people = [g for g in gold if g.category == "PERSON"]
    names = [g for g in gold if g.category]
    return Scores(
        languages=languages,
        people=len(people), people_found=sum(covered(g) for g in people),
        names=len(names), names_found=sum(covered(g) for g in names),
        tagged=len(hits), tagged_right=sum(overlaps(i, s, e, True) for i, s, e in hits),
        ordinary_tagged=tuple(sorted({g.text for g in gold if not g.category
                                      and any(overlaps(i, s, e, False) and i == g.interview and s < g.end
                                              and g.start < e for i, s, e in hits)})),
    )


def main() -> None:
    for files in (sorted(HERE.glob("labelled_fr.md")), sorted(HERE.glob("labelled_en.md")),
                  sorted(HERE.glob("labelled_*.md"))):
        s = score(files)
        print(f"{s.languages:>6}: people {s.people_found}/{s.people} (recall {s.person_recall:.2f}), "
              f"all names {s.names_found}/{s.names} (recall {s.recall:.2f}), "
              f"precision {s.tagged_right}/{s.tagged} ({s.precision:.2f}), "
              f"ordinary words tagged: {', '.join(s.ordinary_tagged) or 'none'}")


if __name__ == "__main__":
    main()
