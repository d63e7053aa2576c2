"""The kinds of code and the statuses of a match: words the engine, the tables and the reports share."""

from __future__ import annotations

THEME, ACTOR = "theme", "actor"
#: a match is present, or denied (`negated`), or said of the past (`historical`)
PRESENT, NEGATED, HISTORICAL = "present", "negated", "historical"
STATUSES = (PRESENT, NEGATED, HISTORICAL)
