"""The kinds of code and the statuses of a match: words the engine, the tables and the reports share."""

from __future__ import annotations

THEME, ACTOR = "theme", "actor"
#: a match is present; or denied (`negated`), said of the past (`historical`), wished,
#: planned or hypothetical (`hypothetical`), an echo the respondent rejects (`rejected`),
#: or said of another place set against this one (`elsewhere`)
PRESENT, NEGATED, HISTORICAL, HYPOTHETICAL, REJECTED, ELSEWHERE = (
    "present", "negated", "historical", "hypothetical", "rejected", "elsewhere")
#: the order in which a segment's matches of one code stand for it in codings.csv
STATUSES = (PRESENT, HISTORICAL, HYPOTHETICAL, ELSEWHERE, REJECTED, NEGATED)
