"""The codebook as validated, frozen values (pydantic v2).

These models are both the schema of the YAML file and the normalised value
that the coding engine consumes. They check everything that one value can
check on its own, plus the references that need the rest of the document
(declared languages, group ids, code ids), which the loader passes in the
validation *context*::

    Codebook.model_validate(data, context={"languages": [...], "groups": {...},
                                           "themes": {...}, "actors": {...}})

Without a context those cross-checks are skipped; `context={"folded": True}`
also skips folding token patterns, for a codebook saved after validation
(the loader's memo). What needs the whole raw
document (duplicate ids, spaCy's check of token patterns, warnings) lives in
`qualcode.codebook.parse`.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from qualcode.base.text import fold
from qualcode.defaults import LANGUAGES
from qualcode.errors import Errors

SUPPORTED_LANGUAGES = LANGUAGES
#: a codebook larger than this is refused before it is parsed (by `load` reading a file, by `parse` given text)
MAX_CODEBOOK_BYTES = 2 * 1024 * 1024
#: what `negated` / `historical` may say besides a code id
COUNT_CHOICES = ("ignore", "count")
#: verdicts of the classification that are not configuration ids
VERDICTS = ("indeterminate", "insufficient")
#: string predicates of a token pattern whose values are folded for NORM
#: (REGEX is left as written: folding would change `\W` into `\w`)
_FOLDED_PREDICATES = {"IN", "NOT_IN", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS", "FUZZY",
                      *(f"FUZZY{n}" for n in range(1, 10))}

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_CONFIGURATION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_PATTERN_ID = re.compile(r"^\S+$")


# --- small reusable checks ---------------------------------------------------

def _context(info: ValidationInfo, key: str) -> Any:
    return (info.context or {}).get(key)


def _closest(value: str, choices: Any) -> str:
    match = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(Errors.E225)
    return value


def _slug(value: str) -> str:
    if not _SLUG.match(value):
        raise ValueError(Errors.E226.format(value=value))
    return value


def _pattern_id(value: str) -> str:
    if not _PATTERN_ID.match(value):
        raise ValueError(Errors.E227.format(value=value))
    return value


def _every_language(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """A per-language map that must hold exactly the declared languages."""
    return _check_languages(value, info, complete=True)


def _every_language_if_given(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """Optional (may be empty); when given, exactly the declared languages."""
    return _check_languages(value, info, complete=bool(value))


def _declared_languages(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    """A per-language map that may leave out a language."""
    return _check_languages(value, info, complete=False)


def _check_languages(value: dict[str, Any], info: ValidationInfo, *, complete: bool) -> dict[str, Any]:
    languages = _context(info, "languages")
    if not languages:
        return value
    declared = ", ".join(languages)
    undeclared = [lang for lang in value if lang not in languages]
    if undeclared:
        raise ValueError(Errors.E216.format(found=", ".join(map(repr, undeclared)), languages=declared))
    missing = [lang for lang in languages if lang not in value]
    if complete and missing:
        raise ValueError(Errors.E215.format(missing=", ".join(map(repr, missing)), languages=declared))
    # declared order, whatever the order in the file
    return {lang: value[lang] for lang in languages if lang in value}


def _theme_reference(value: str, info: ValidationInfo) -> str:
    """A code id that must name a theme code (not an actor)."""
    themes = _context(info, "themes")
    if themes is None:
        return value
    if value in (_context(info, "actors") or ()):
        raise ValueError(Errors.E219.format(id=value))
    if value not in themes:
        raise ValueError(Errors.E218.format(id=value, hint=_closest(value, themes)))
    return value


def _non_zero(value: float) -> float:
    if value == 0:
        raise ValueError(Errors.E222)
    return value


def fold_token_pattern(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold (lower-case, strip accents) the string values given for NORM.

    Plain values and the values of IN, NOT_IN, IS_SUBSET, IS_SUPERSET,
    INTERSECTS and FUZZY* are folded; REGEX and every other attribute are
    left as written. Keys are matched case-insensitively, as spaCy does.
    """
    def fold_value(value: Any) -> Any:
        if isinstance(value, str):
            return fold(value)
        if isinstance(value, list):
            return [fold_value(v) for v in value]
        if isinstance(value, dict):
            return {k: fold_value(v) if str(k).upper() in _FOLDED_PREDICATES else v
                    for k, v in value.items()}
        return value

    return [{key: fold_value(value) if str(key).upper() == "NORM" else value
             for key, value in token.items()} for token in tokens]


def prepare_patterns(items: Any, prefix: str) -> Any:
    """Turn plain strings into phrase patterns and give every pattern an id.

    The default id is `<prefix>/<n>` (n 1-based): `<code id>/<lang>/<n>` for
    a code's patterns. Anything else is left for validation to reject.
    """
    if not isinstance(items, list):
        return items
    prepared = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"phrase": item}
        if isinstance(item, dict) and "id" not in item:
            item = {"id": f"{prefix}/{n}", **item}
        prepared.append(item)
    return prepared


# --- types -------------------------------------------------------------------

Text = Annotated[str, AfterValidator(_non_blank)]
Slug = Annotated[str, AfterValidator(_slug)]
ThemeRef = Annotated[str, AfterValidator(_theme_reference)]
Weight = Annotated[float, Field(allow_inf_nan=False), AfterValidator(_non_zero)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
LangText = Annotated[dict[str, Text], AfterValidator(_every_language)]
OptionalLangText = Annotated[dict[str, Text], AfterValidator(_every_language_if_given)]
LangTexts = Annotated[dict[str, list[Text]], AfterValidator(_declared_languages)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


# --- patterns ------------------------------------------------------------------

class _PhraseOrTokens(_Frozen):
    """Exactly one of a phrase or a token pattern (whose NORM values are folded); case only for phrases.

    The fields are declared by each subclass, so that each keeps its own field order (the "allowed
    keys" of a validation error list them in that order).
    """

    if TYPE_CHECKING:  # declared, with their defaults, by each subclass
        phrase: Text | None
        tokens: list[dict[str, Any]] | None
        case_sensitive: bool

    @field_validator("tokens", check_fields=False)
    @classmethod
    def _fold_norm(cls, tokens: list[dict[str, Any]] | None, info: ValidationInfo) -> list[dict[str, Any]] | None:
        if tokens is None or _context(info, "folded"):  # a remembered codebook was folded when it was first read
            return tokens
        return fold_token_pattern(tokens)

    @model_validator(mode="after")
    def _one_of_phrase_or_tokens(self) -> Self:
        if (self.phrase is None) == (self.tokens is None):
            raise ValueError(Errors.E220)
        if self.case_sensitive and self.tokens is not None:
            raise ValueError(Errors.E221)
        return self


class Word(_PhraseOrTokens):
    """A phrase or a token pattern used as a condition (`unless`, `near`): no id, no conditions."""

    phrase: Text | None = None
    tokens: Annotated[list[dict[str, Any]], Field(min_length=1)] | None = None
    case_sensitive: bool = False


#: how far a condition looks: the match's sentence, the whole turn, or N tokens either side
Within = Literal["sentence", "turn"] | Annotated[int, Field(ge=1, le=100)]


def _words(value: Any) -> Any:
    """A condition given as a bare list means: these words, within the sentence."""
    if isinstance(value, list):
        value = {"words": value}
    if isinstance(value, dict) and isinstance(value.get("words"), list):
        value = {**value, "words": [{"phrase": w} if isinstance(w, str) else w for w in value["words"]]}
    return value


class Unless(_Frozen):
    """Words that cancel a match when they stand near it ("même après", "kept paying")."""

    words: Annotated[list[Word], Field(min_length=1)]
    within: Within = "sentence"


class Near(_Frozen):
    """A match counts only near one of these words, or a counted match of these codes or actors."""

    words: list[Word] = []
    codes: list[ThemeRef] = []
    actors: list[str] = []
    within: Within = "sentence"
    order: Literal["any", "before", "after"] = "any"

    @field_validator("actors")
    @classmethod
    def _known_actors(cls, value: list[str], info: ValidationInfo) -> list[str]:
        actors = _context(info, "actors")
        for actor in value:
            if actors is not None and actor not in actors:
                raise ValueError(Errors.E240.format(id=actor, hint=_closest(actor, actors)))
        return value

    @model_validator(mode="after")
    def _something_to_be_near(self) -> Near:
        if not (self.words or self.codes or self.actors):
            raise ValueError(Errors.E241)
        return self


class _Matchable(_PhraseOrTokens):
    """A phrase or a spaCy `Matcher` token pattern (exactly one of the two), with an id.

    A phrase is matched on folded lemmas (NORM) unless `case_sensitive`, then
    on the exact text (ORTH). `tokens` is spaCy's Matcher syntax verbatim,
    with the string values given for NORM folded by the loader.
    """

    id: Annotated[str, AfterValidator(_pattern_id)]
    phrase: Text | None = None
    tokens: Annotated[list[dict[str, Any]], Field(min_length=1)] | None = None
    case_sensitive: bool = False


    @property
    def kind(self) -> Literal["phrase", "tokens"]:
        return "phrase" if self.phrase is not None else "tokens"

    def describe(self) -> str:
        """The pattern as one line: the phrase, or the token pattern as JSON."""
        if self.phrase is not None:
            return self.phrase + (" [case-sensitive]" if self.case_sensitive else "")
        return json.dumps(self.tokens, ensure_ascii=False, sort_keys=False)


class Pattern(_Matchable):
    """A code's or an actor's pattern, with optional conditions.

    `unless` cancels a match near some words; `near` keeps it only near some
    words, or near a counted match of some codes or actors (docs/codebook.md,
    "Conditions").
    """

    unless: Unless | None = None
    near: Near | None = None

    @field_validator("unless", "near", mode="before")
    @classmethod
    def _bare_lists(cls, value: Any) -> Any:
        return _words(value)

    def describe(self) -> str:
        """The pattern as one line, its conditions after a `|`."""
        parts = [super().describe()]
        if self.unless is not None:
            parts.append("unless " + ", ".join(_word_text(w) for w in self.unless.words)
                         + f" within {self.unless.within}")
        if self.near is not None:
            items = [*(_word_text(w) for w in self.near.words), *(f"code {c}" for c in self.near.codes),
                     *(f"actor {a}" for a in self.near.actors)]
            parts.append("near " + ", ".join(items) + f" within {self.near.within}"
                         + ("" if self.near.order == "any" else f" {self.near.order}"))
        return " | ".join(parts)


def _word_text(word: Word) -> str:
    return word.phrase if word.phrase is not None else json.dumps(word.tokens, ensure_ascii=False)


LangPatterns = Annotated[
    dict[str, Annotated[list[Pattern], Field(min_length=1)]],
    AfterValidator(_every_language),
]


def _prepare_lang_patterns(value: Any, info: ValidationInfo) -> Any:
    if not isinstance(value, dict):
        return value
    owner = info.data.get("id", "?")
    return {lang: prepare_patterns(items, f"{owner}/{lang}") for lang, items in value.items()}


#: what a context cue says of the matches it reaches (docs/coding.md, "Context")
CUE_CATEGORIES = ("negated", "historical", "hypothetical", "past", "ended", "rejection", "elsewhere", "here")


class Cue(_Matchable):
    """A context cue, ConText style: a category, a direction and a scope in tokens.

    `negated`, `historical` and `hypothetical` cues give their status to the
    matches in their scope; `past` and `ended` mark a sentence as told in the
    past and as the end of something (both make a past match historical, the
    end also from the next sentence); `rejection` marks a turn that rejects
    the words it echoes; `elsewhere` and `here` mark a comparison with another
    place. The last five ignore direction and scope.
    """

    direction: Literal["forward", "backward", "both"] = "forward"
    scope: Annotated[int, Field(ge=1, le=50)] = 8
    category: Literal["negated", "historical", "hypothetical", "past", "ended", "rejection", "elsewhere",
                      "here"] = "negated"


class NegationRules(_Frozen):
    """The cues of one language, the pseudo cues that cancel them and the terminators."""

    cues: list[Cue] = []
    pseudo: list[Pattern] = []
    terminators: list[Pattern] = []


# --- codes and actors ------------------------------------------------------------

class Group(_Frozen):
    id: Slug
    label: LangText


class Code(_Frozen):
    """A theme code: labels and definitions per language, criteria, examples, patterns."""

    id: Slug
    group: Slug
    label: LangText
    definition: LangText
    include: LangTexts = {}
    exclude: LangTexts = {}
    examples: LangTexts = {}
    counter_examples: LangTexts = {}
    patterns: LangPatterns
    short_names: LangTexts = {}
    negated: str = "ignore"
    historical: str = "ignore"
    hypothetical: str = "ignore"

    @field_validator("patterns", mode="before")
    @classmethod
    def _prepare_patterns(cls, value: Any, info: ValidationInfo) -> Any:
        return _prepare_lang_patterns(value, info)

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in COUNT_CHOICES:
            raise ValueError(Errors.E224.format(id=value, why="a value of negated/historical"))
        return value

    @field_validator("group")
    @classmethod
    def _known_group(cls, value: str, info: ValidationInfo) -> str:
        groups = _context(info, "groups")
        if groups is not None and value not in groups:
            raise ValueError(Errors.E214.format(group=value, hint=_closest(value, groups),
                                                groups=", ".join(sorted(groups)) or "none"))
        return value

    @field_validator("negated", "historical", "hypothetical")
    @classmethod
    def _count_target(cls, value: str, info: ValidationInfo) -> str:
        if value in COUNT_CHOICES:
            return value
        if value == info.data.get("id"):
            raise ValueError(Errors.E228.format(field=info.field_name))
        return _theme_reference(value, info)


class Actor(_Frozen):
    """A provider (a CEP operator): labels and aliases per language."""

    id: Slug
    label: LangText
    aliases: LangPatterns
    short_names: LangTexts = {}

    @field_validator("aliases", mode="before")
    @classmethod
    def _prepare_aliases(cls, value: Any, info: ValidationInfo) -> Any:
        return _prepare_lang_patterns(value, info)

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in COUNT_CHOICES:
            raise ValueError(Errors.E224.format(id=value, why="a value of negated/historical"))
        return value


# --- configurations and the decision rule -----------------------------------------

class Configuration(_Frozen):
    """A configuration: weights of theme codes (negative weights count against)."""

    id: str
    label: LangText
    description: OptionalLangText = {}
    indicators: Annotated[dict[ThemeRef, Weight], Field(min_length=1)]

    @field_validator("id")
    @classmethod
    def _configuration_id(cls, value: str) -> str:
        if not _CONFIGURATION_ID.match(value):
            raise ValueError(Errors.E229.format(value=value))
        if value in VERDICTS:
            raise ValueError(Errors.E224.format(id=value, why="a verdict of the classification"))
        return value


class Anchors(_Frozen):
    """QCA's three calibration anchors on a prevalence scale (0 to 1)."""

    exclusion: Share
    crossover: Share
    inclusion: Share

    @model_validator(mode="after")
    def _ordered(self) -> Anchors:
        if not self.exclusion < self.crossover < self.inclusion:
            raise ValueError("anchors must rise: exclusion < crossover < inclusion")
        return self


class Calibration(_Frozen):
    """Optional anchors per measure; qualcode's documented defaults apply otherwise."""

    interviews: Anchors | None = None
    segments: Anchors | None = None
    words: Anchors | None = None


class Decision(_Frozen):
    """The decision rule: how a case's scores become a verdict."""

    min_score: Share
    min_margin: Share
    min_interviews: Annotated[int, Field(ge=1)]
    measure: Literal["interviews", "segments", "words"]
    calibration: Calibration | None = None
    #: whether the thresholds were tuned on real cases (`calibrated`) or not yet (`provisional`);
    #: the reports' method section says so
    status: Literal["provisional", "calibrated"] | None = None


# --- the codebook -----------------------------------------------------------------

class Codebook(_Frozen):
    """A whole codebook, validated. See `qualcode.codebook` for the field list."""

    name: Slug
    version: Text
    languages: Annotated[list[Literal["fr", "en"]], Field(min_length=1)]
    title: OptionalLangText = {}
    description: OptionalLangText = {}
    groups: Annotated[list[Group], Field(min_length=1)]
    codes: Annotated[list[Code], Field(min_length=1)]
    actors: list[Actor] = []
    negation: dict[str, NegationRules] = Field(default={}, validate_default=True)
    configurations: list[Configuration] = []
    decision: Decision | None = None
    # set by the loader, never read from the file
    source_path: str | None = None
    sha256: str = ""
    warnings: list[str] = []

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError(Errors.E230.format(languages=", ".join(value)))
        return value

    @field_validator("negation", mode="before")
    @classmethod
    def _prepare_negation(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        prepared = {}
        for lang, rules in value.items():
            if isinstance(rules, dict):
                rules = dict(rules)
                for key, prefix in (("cues", "cue"), ("pseudo", "pseudo"), ("terminators", "terminator")):
                    if key in rules:
                        rules[key] = prepare_patterns(rules[key], f"negation/{lang}/{prefix}")
            prepared[lang] = rules
        return prepared

    @field_validator("negation")
    @classmethod
    def _negation_languages(cls, value: dict[str, NegationRules], info: ValidationInfo) -> dict[str, NegationRules]:
        value = _declared_languages(value, info)
        languages = _context(info, "languages")
        if not languages:
            return value
        # every declared language gets its rules, empty when none were given
        return {lang: value.get(lang, NegationRules()) for lang in languages}

    # --- convenience --------------------------------------------------------------

    @property
    def primary_language(self) -> str:
        return self.languages[0]

    @property
    def theme_ids(self) -> list[str]:
        return [code.id for code in self.codes]

    @property
    def actor_ids(self) -> list[str]:
        return [actor.id for actor in self.actors]

    @property
    def configuration_ids(self) -> list[str]:
        return [configuration.id for configuration in self.configurations]

    def _find(self, items: list[Any], wanted: str, what: str, hint: list[str] | None = None) -> Any:
        for item in items:
            if item.id == wanted:
                return item
        suggestion = _closest(wanted, hint) if hint is not None else ""
        raise KeyError(f"no {what} {wanted!r} in codebook {self.name!r}{suggestion}")

    def code(self, code_id: str) -> Code:
        """The theme code with this id (KeyError if there is none)."""
        return self._find(self.codes, code_id, "code", self.theme_ids)

    def actor(self, actor_id: str) -> Actor:
        """The actor with this id (KeyError if there is none)."""
        return self._find(self.actors, actor_id, "actor", self.actor_ids)

    def group(self, group_id: str) -> Group:
        return self._find(self.groups, group_id, "group")

    def configuration(self, configuration_id: str) -> Configuration:
        return self._find(self.configurations, configuration_id, "configuration")

    def codes_by_group(self) -> dict[str, list[Code]]:
        """Group id -> its codes, both in codebook order (a group may have none)."""
        grouped: dict[str, list[Code]] = {group.id: [] for group in self.groups}
        for code in self.codes:
            grouped.setdefault(code.group, []).append(code)
        return grouped


#: the model of each kind of mapping, for "allowed keys" in messages
MODELS: dict[str, type[BaseModel]] = {
    "codebook": Codebook, "group": Group, "code": Code, "actor": Actor, "pattern": Pattern,
    "cue": Cue, "negation": NegationRules, "configuration": Configuration, "decision": Decision,
    "unless": Unless, "near": Near, "word": Word,
}
#: fields that the loader fills in and a file may not set
LOADER_FIELDS = ("source_path", "sha256", "warnings")
