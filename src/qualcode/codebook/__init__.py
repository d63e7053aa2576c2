"""The codebook: a YAML file read into frozen, validated values.

`load_codebook(path)` reads a codebook (the bundled
`cep_cooperation.yaml`, shipped inside the package, when `path` is None), validates it as a
whole and returns a `Codebook`; any problem raises one `CodebookError` whose
`problems` list every one of them as `file:line: where: [E2xx] message`.
The format is described in `docs/codebook.md`.

The normalised model that the coding engine consumes (all models are
frozen pydantic v2 models; lists and mappings keep the file's order, and
per-language mappings follow the order of `languages`):

- `Codebook`: `name`, `version`, `languages` (the first is the primary
  one), `title` and `description` (`{lang: str}`, empty when absent),
  `groups` (`Group(id, label)`), `codes`, `actors`, `negation`,
  `configurations`, `decision`, and from the loader `source_path`,
  `sha256` (of the file's bytes) and `warnings` (`file:line: [W2xx] ...`).
  Helpers: `code(id)`, `actor(id)`, `group(id)`, `configuration(id)`
  (KeyError when unknown), `theme_ids`, `actor_ids`, `configuration_ids`,
  `primary_language`, `codes_by_group()`.
- `Code`: `id`, `group`, `label` and `definition` (`{lang: str}`, every
  declared language), `include`, `exclude`, `examples`, `counter_examples`
  (`{lang: [str]}`, a language may be absent), `patterns`
  (`{lang: [Pattern]}`, every declared language, never empty), `negated`
  and `historical` (`"ignore"`, `"count"` or the id of another theme code:
  what a negated / past match counts for).
- `Pattern`: `id` (default `<code id>/<lang>/<n>`, n 1-based), `phrase`
  (str) or `tokens` (a spaCy Matcher token pattern, `list[dict]`), never
  both, and `case_sensitive` (phrases only: match ORTH instead of the
  folded lemma). A plain string in the YAML is a phrase. In `tokens`, the
  string values given for NORM (plain, or in IN, NOT_IN, IS_SUBSET,
  IS_SUPERSET, INTERSECTS, FUZZY*) are folded with `qualcode.base.text.fold`;
  REGEX values and every other attribute are left as written.
- `Actor`: `id`, `label`, `aliases` (`{lang: [Pattern]}`, every declared
  language; default ids `<actor id>/<lang>/<n>`).
- `negation`: `{lang: NegationRules}` with an entry for every declared
  language (empty rules when the file gives none). `NegationRules`:
  `cues` (`Cue`: a Pattern plus `direction` forward|backward|both, `scope`
  1-50 tokens, `category` negated|historical; default ids
  `negation/<lang>/cue/<n>`), `pseudo` and `terminators` (`[Pattern]`,
  default ids `negation/<lang>/pseudo/<n>`, `negation/<lang>/terminator/<n>`).
- `Configuration`: `id`, `label`, `description` (`{lang: str}`, may be
  empty), `indicators` (`{theme code id: non-zero float weight}`).
- `Decision` (None only when there are no configurations): `min_score`
  and `min_margin` in [0, 1], `min_interviews` >= 1, `measure`
  (interviews | segments | words).

Codes and actors share one id space; pattern ids are unique across codes
and actors, cue ids within a language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.codebook.load import (
    MAX_CODEBOOK_BYTES,
    bundled_codebook_path,
    codebook_reference,
    load_codebook,
)
from qualcode.codebook.model import (
    Actor,
    Code,
    Codebook,
    Configuration,
    Cue,
    Decision,
    Group,
    NegationRules,
    Pattern,
    fold_token_pattern,
)

__all__ = [
    "MAX_CODEBOOK_BYTES",
    "Actor",
    "Code",
    "Codebook",
    "Configuration",
    "Cue",
    "Decision",
    "Group",
    "NegationRules",
    "Pattern",
    "bundled_codebook_path",
    "codebook_reference",
    "codebook_tree",
    "export_codebook",
    "fold_token_pattern",
    "load_codebook",
    "parse_codebook",
]


if TYPE_CHECKING:
    from qualcode.codebook.parse import parse_codebook


def __getattr__(name: str) -> object:  # PyYAML only when parsing, rich and csv only when rendering
    if name == "parse_codebook":
        from qualcode.codebook.parse import parse_codebook

        return parse_codebook
    if name == "export_codebook":
        from qualcode.codebook.export import export_codebook

        return export_codebook
    if name == "codebook_tree":
        from qualcode.codebook.tree import codebook_tree

        return codebook_tree
    raise AttributeError(name)
