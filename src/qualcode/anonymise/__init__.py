"""Pseudonymise a corpus before it is shared, consistently across every file.

Person names, places and organisations are found with spaCy's French NER
and rules (titled names, organisation suffixes, places after a preposition;
for English, rules only), then replaced everywhere they recur by
`[PERSON n]`, `[PLACE n]`, `[ORG n]`, numbered in order of first appearance
over the interviews sorted by id. The national bodies, the providers of the
codebook and the speaker roles are kept. See docs/anonymisation.md.

    from qualcode.anonymise import Anonymiser, anonymise_corpus

    anonymiser = Anonymiser.from_corpus(corpus, keep=["Montarel"])
    anonymiser.apply("Mme Garnier est à Saint-Aubin.")   # a report's quote
    anonymise_corpus(corpus, "shared/", anonymiser=anonymiser, map_path="private/map.csv")

spaCy is imported only when names are detected.
"""

from __future__ import annotations

from qualcode.anonymise.anonymiser import (
    Anonymiser,
    Name,
    Occurrence,
    pseudonymise_quotes,
)
from qualcode.anonymise.keep import default_keep, provider_names
from qualcode.anonymise.mapfile import MAP_COLUMNS, MapRow, map_csv, read_map
from qualcode.anonymise.restore import restore_files, restore_folder, restore_text
from qualcode.anonymise.review import REVIEW_COLUMNS, ReviewRow, review, review_csv
from qualcode.anonymise.vocab import CATEGORIES, read_keep_list, read_replace_list
from qualcode.anonymise.write import (
    AnonymiseResult,
    anonymise_corpus,
    build_outputs,
    check_paths,
)
from qualcode.errors import AnonymiseError

__all__ = [
    "CATEGORIES",
    "MAP_COLUMNS",
    "REVIEW_COLUMNS",
    "AnonymiseError",
    "AnonymiseResult",
    "Anonymiser",
    "MapRow",
    "Name",
    "Occurrence",
    "ReviewRow",
    "anonymise_corpus",
    "build_outputs",
    "check_paths",
    "default_keep",
    "map_csv",
    "provider_names",
    "pseudonymise_quotes",
    "read_keep_list",
    "read_map",
    "read_replace_list",
    "restore_files",
    "restore_folder",
    "restore_text",
    "review",
    "review_csv",
]
