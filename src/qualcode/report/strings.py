"""The words of the file reports (report.html, report.md) in French and English.

A report is written in one language: the corpus's (the language of most of
its interviews) when the codebook has it, else the codebook's first, unless
`--lang` picks another one of the codebook's languages. Labels come from the
codebook; the report's own words, option values (unit, measure, case
attribute, pipeline), statuses and the reader's warnings from here. Numbers
follow the language's conventions (decimal comma and thin-space thousands in
French). The terminal report is the researcher's working view and uses code
ids and English, like the rest of the command line.
"""

from __future__ import annotations

from typing import Any

_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Rapport d'analyse",
        "contents": "Sommaire",
        "summary": "Synthèse",
        "method": "Méthode",
        "classification": "Classification des cas",
        "heatmap": "Thèmes par cas",
        "cases": "Les cas un par un",
        "warnings": "Avertissements",
        "appendix": "Annexe : la grille de codage",
        "corpus": "Corpus",
        "interviews": "entretiens",
        "interviews_col": "Entretiens",
        "cases_n": "cas",
        "respondent_words": "mots des personnes interrogées",
        "codebook": "Grille de codage",
        "created": "Produit le",
        "case": "Cas",
        "region": "Région",
        "verdict": "Verdict",
        "runner_up": "Second",
        "margin": "Écart",
        "stability": "Stabilité",
        "score": "Score",
        "theme": "Thème",
        "group": "Groupe",
        "code": "Code",
        "label": "Libellé",
        "definition": "Définition",
        "include": "À inclure",
        "exclude": "À exclure",
        "weight": "Poids",
        "prevalence": "Prévalence",
        "membership": "Appartenance",
        "contribution": "Contribution",
        "configuration": "Configuration",
        "configurations": "Configurations",
        "indicators": "Indicateurs",
        "indeterminate": "indéterminé",
        "insufficient": "insuffisant",
        "unstable": "instable",
        "deciding": "Thèmes décisifs",
        "against": "Thèmes contraires",
        "evidence": "Extraits",
        "network": "Opérateurs cités ensemble",
        "network_note": ("Chaque trait relie deux opérateurs cités dans un même segment ; son "
                         "épaisseur suit le nombre de segments. Co-citation n'est pas coopération."),
        "no_network": "Aucun opérateur cité.",
        "pairs": "Paires",
        "segments": "segments",
        "provider": "Opérateur",
        "providers": "Opérateurs",
        "no_quote": "Aucun extrait : aucun thème ne soutient une configuration dans ce cas.",
        "no_warning": "Aucun avertissement.",
        "changes_without": "le verdict change sans",
        "verdict_counts": "Verdicts",
        "summary_cases": "{cases} cas (par {by}), {interviews} entretiens, {words} mots des personnes interrogées.",
        "summary_unstable": "Verdicts qui dépendent d'un seul entretien : {cases}.",
        "summary_indeterminate": "Cas sans configuration nette : {cases}.",
        "summary_insufficient": "Cas avec trop peu d'entretiens : {cases}.",
        "summary_warnings": "{count} avertissement(s), en fin de rapport.",
        "summary_reading": ("Un cas reçoit une configuration quand son score atteint le seuil et "
                            "devance assez le second ; sinon il est indéterminé, jamais forcé."),
        "method_codebook": "Grille de codage",
        "method_unit": "Unité de codage",
        "method_by": "Cas définis par",
        "method_pipeline": "Chaîne de traitement",
        "method_interviewer": "Tours de l'enquêteur codés",
        "method_measure": "Mesure de la prévalence",
        "method_anchors": "Ancres de calibration (exclusion / point de bascule / inclusion)",
        "method_rule": "Règle de décision",
        "method_rule_text": ("score minimal {score}, écart minimal {margin}, "
                             "au moins {interviews} entretiens par cas"),
        "method_versions": "Versions",
        "method_quotes": "Extraits",
        "method_files": "Empreintes",
        "method_files_text": ("SHA-256 de la grille, de chaque transcription et de chaque fichier "
                              "produit : manifest.json"),
        "quotes_anonymised": "pseudonymisés (noms de personnes, de lieux et d'organisations remplacés)",
        "quotes_verbatim": "tels quels (non pseudonymisés)",
        "method_scores": ("La prévalence d'un thème dans un cas (part des entretiens, des segments "
                          "ou des mots où il compte) est calibrée en appartenance floue entre 0 et 1 "
                          "(méthode directe de Ragin, trois ancres). Le score d'une configuration est "
                          "la part de son profil pondéré que le cas remplit. La stabilité est la part "
                          "des analyses sans un des entretiens qui gardent le verdict."),
        "yes": "oui",
        "no": "non",
        "heatmap_note": "Part des entretiens du cas où le thème est présent (présences niées exclues).",
        "legend": "Légende",
        "segment": "Segment",
        "quote": "Extrait",
        "subject": "Objet",
        "message": "Message",
        "best_closest": "le plus proche : {best}",
        "groups": "Groupes",
        "codes": "Codes",
        "description": "Description",
        "model": "modèle",
        "stability_untestable": "non testable avec {n} entretiens",
        "stability_untestable_short": "non testable",
        "summary_untestable": ("Stabilité non testable avec {minimum} entretiens ou moins (en retirer un "
                               "laisse moins que le minimum de la règle) : {cases}."),
        "method_stability": "Stabilité",
        "method_stability_text": ("Part des analyses sans un des entretiens (un à la fois) qui gardent le "
                                  "verdict : 1 = aucun entretien ne le change à lui seul. « ! » signale un "
                                  "verdict qui change sans un entretien, nommé. Le test ne se fait que si les "
                                  "entretiens restants atteignent encore le minimum de la règle ({minimum}) : "
                                  "un cas de {minimum} entretiens est « non testable », ce qui ne dit rien "
                                  "contre ses preuves."),
        "method_thresholds": "Seuils",
        "thresholds_provisional": ("provisoires : la grille de codage indique qu'ils n'ont pas encore été "
                                   "calibrés sur des cas réels ; lire les verdicts avec prudence"),
        "thresholds_calibrated": "calibrés sur des cas réels (selon la grille de codage)",
        "thresholds_unknown": "statut non précisé par la grille de codage",
        "threshold_legend": "Le trait vertical de chaque barre marque le score minimal ({score}).",
        "digits_note": ("Les nombres sont arrondis à deux décimales, à trois ou plus quand il le faut "
                        "pour qu'un arrondi ne contredise pas le verdict."),
        "verdict_legend": ("Barre bleue : la configuration retenue ; orange : la plus proche d'un cas "
                           "sans verdict ; grise : les autres."),
        "network_legend": ("Disque plein : opérateur cité (sa taille suit le nombre de segments) ; "
                           "cercle pointillé : opérateur jamais cité. Le nombre de segments de chaque "
                           "paire est dans la table."),
        "pipeline_fr_accurate": "français : modèle {name} {version}",
        "pipeline_fr_fast": "français : lemmes par table ({version})",
        "pipeline_en_fast": "anglais : lemmes par table ({version})",
        "pipeline_other": "{lang} : {name} {version}",
        "versions_python": "Python {version}",
        "by_other": "l'attribut « {by} »",
    },
    "en": {
        "title": "Analysis report",
        "contents": "Contents",
        "summary": "Summary",
        "method": "Method",
        "classification": "Classification of the cases",
        "heatmap": "Themes by case",
        "cases": "The cases one by one",
        "warnings": "Warnings",
        "appendix": "Appendix: the codebook",
        "corpus": "Corpus",
        "interviews": "interviews",
        "interviews_col": "Interviews",
        "cases_n": "cases",
        "respondent_words": "respondent words",
        "codebook": "Codebook",
        "created": "Produced on",
        "case": "Case",
        "region": "Region",
        "verdict": "Verdict",
        "runner_up": "Runner-up",
        "margin": "Margin",
        "stability": "Stability",
        "score": "Score",
        "theme": "Theme",
        "group": "Group",
        "code": "Code",
        "label": "Label",
        "definition": "Definition",
        "include": "Include",
        "exclude": "Exclude",
        "weight": "Weight",
        "prevalence": "Prevalence",
        "membership": "Membership",
        "contribution": "Contribution",
        "configuration": "Configuration",
        "configurations": "Configurations",
        "indicators": "Indicators",
        "indeterminate": "indeterminate",
        "insufficient": "insufficient",
        "unstable": "unstable",
        "deciding": "Deciding themes",
        "against": "Themes against",
        "evidence": "Quotes",
        "network": "Providers mentioned together",
        "network_note": ("Each line joins two providers named in one segment; its width follows the "
                         "number of segments. Co-mention is not cooperation."),
        "no_network": "No provider mentioned.",
        "pairs": "Pairs",
        "segments": "segments",
        "provider": "Provider",
        "providers": "Providers",
        "no_quote": "No quote: no theme supports a configuration in this case.",
        "no_warning": "No warning.",
        "changes_without": "the verdict changes without",
        "verdict_counts": "Verdicts",
        "summary_cases": "{cases} cases (by {by}), {interviews} interviews, {words} respondent words.",
        "summary_unstable": "Verdicts that hang on a single interview: {cases}.",
        "summary_indeterminate": "Cases with no clear configuration: {cases}.",
        "summary_insufficient": "Cases with too few interviews: {cases}.",
        "summary_warnings": "{count} warning(s), at the end of the report.",
        "summary_reading": ("A case takes a configuration when its score reaches the threshold and "
                            "leads the runner-up clearly enough; otherwise it is indeterminate, never "
                            "forced."),
        "method_codebook": "Codebook",
        "method_unit": "Coding unit",
        "method_by": "Cases defined by",
        "method_pipeline": "Pipeline",
        "method_interviewer": "Interviewer turns coded",
        "method_measure": "Prevalence measure",
        "method_anchors": "Calibration anchors (exclusion / crossover / inclusion)",
        "method_rule": "Decision rule",
        "method_rule_text": ("minimum score {score}, minimum margin {margin}, "
                             "at least {interviews} interviews per case"),
        "method_versions": "Versions",
        "method_quotes": "Quotes",
        "method_files": "Checksums",
        "method_files_text": ("SHA-256 of the codebook, of every transcript and of every output "
                              "file: manifest.json"),
        "quotes_anonymised": "pseudonymised (names of people, places and organisations replaced)",
        "quotes_verbatim": "verbatim (not pseudonymised)",
        "method_scores": ("The prevalence of a theme in a case (the share of interviews, segments or "
                          "words where it counts) is calibrated into a fuzzy membership between 0 and "
                          "1 (Ragin's direct method, three anchors). A configuration's score is the "
                          "share of its weighted profile that the case fills. Stability is the share "
                          "of the runs without one interview that keep the verdict."),
        "yes": "yes",
        "no": "no",
        "heatmap_note": "Share of the case's interviews where the theme is present (denials excluded).",
        "legend": "Legend",
        "segment": "Segment",
        "quote": "Quote",
        "subject": "Subject",
        "message": "Message",
        "best_closest": "closest: {best}",
        "groups": "Groups",
        "codes": "Codes",
        "description": "Description",
        "model": "model",
        "stability_untestable": "not testable with {n} interviews",
        "stability_untestable_short": "not testable",
        "summary_untestable": ("Stability not testable with {minimum} interviews or fewer (leaving one out "
                               "leaves fewer than the rule's minimum): {cases}."),
        "method_stability": "Stability",
        "method_stability_text": ("The share of the analyses without one interview (one at a time) that keep "
                                  "the verdict: 1 = no single interview changes it. \"!\" marks a verdict that "
                                  "changes without a named interview. The test runs only where the remaining "
                                  "interviews still reach the rule's minimum ({minimum}): a case of {minimum} "
                                  "interviews is \"not testable\", which says nothing against its evidence."),
        "method_thresholds": "Thresholds",
        "thresholds_provisional": ("provisional: the codebook says they have not been calibrated on real "
                                   "cases yet; read the verdicts with care"),
        "thresholds_calibrated": "calibrated on real cases (according to the codebook)",
        "thresholds_unknown": "status not stated by the codebook",
        "threshold_legend": "The vertical tick on each bar marks the minimum score ({score}).",
        "digits_note": ("Numbers are rounded to two decimals, to three or more where needed so that "
                        "rounding never contradicts a verdict."),
        "verdict_legend": ("Blue bar: the configuration assigned; orange: the closest one of a case "
                           "without a verdict; grey: the others."),
        "network_legend": ("Filled disc: a provider mentioned (its size follows the number of segments); "
                           "dotted circle: a provider never mentioned. The segments of each pair are in "
                           "the table."),
        "pipeline_fr_accurate": "French: model {name} {version}",
        "pipeline_fr_fast": "French: lookup lemmas ({version})",
        "pipeline_en_fast": "English: lookup lemmas ({version})",
        "pipeline_other": "{lang}: {name} {version}",
        "versions_python": "Python {version}",
        "by_other": "the attribute \"{by}\"",
    },
}


#: option values and statuses as the reports name them (a value without a translation is shown as a code)
_VALUES: dict[str, dict[str, dict[str, str]]] = {
    "fr": {
        "unit": {"turn": "tour de parole", "paragraph": "paragraphe", "sentence": "phrase"},
        "measure": {"interviews": "part des entretiens où le thème compte",
                    "segments": "part des segments où le thème compte",
                    "words": "part des mots des personnes interrogées dans les segments où le thème compte"},
        "by": {"area": "territoire", "territory": "territoire", "territoire": "territoire", "region": "région",
               "provider": "opérateur", "site": "site", "case": "cas"},
        "status": {"historical": "évoqué au passé", "negated": "nié", "hypothetical": "souhaité ou envisagé",
                   "rejected": "formulation rejetée", "elsewhere": "dit d'un autre territoire"},
    },
    "en": {
        "unit": {"turn": "speaker turn", "paragraph": "paragraph", "sentence": "sentence"},
        "measure": {"interviews": "share of the interviews where the theme counts",
                    "segments": "share of the segments where the theme counts",
                    "words": "share of the respondents' words in the segments where the theme counts"},
        "by": {"area": "area", "territory": "area", "territoire": "area", "region": "region",
               "provider": "provider", "site": "site", "case": "case"},
        "status": {"historical": "said of the past", "negated": "denied", "hypothetical": "wished for or planned",
                   "rejected": "wording rejected", "elsewhere": "said of another area"},
    },
}

#: the warnings a reader of the report needs (evidence and method), in the report's language; the
#: others (file handling, names in file names) stay in the terminal and manifest.json
_NOTICES: dict[str, dict[str, str]] = {
    "fr": {
        "W102": "aucun nom de locuteur trouvé : lu comme une réponse par paragraphe",
        "W103": "aucun enquêteur reconnu : le premier locuteur, {speaker}, a été pris pour l'enquêteur",
        "W106": "fichier non lu : l'entretien manque à l'analyse (la raison est dans manifest.json)",
        "W107": ("{words} mot(s) avant le premier nom de locuteur n'appartiennent à aucun tour de parole "
                 "et ne sont pas codés"),
        "W108": "aucun enquêteur parmi les locuteurs : chaque tour de parole est lu comme une réponse",
        "W431": "aucune réponse de la personne interrogée : l'entretien ne compte pas dans son cas",
        "W432": "{interviews} entretien(s), moins que les {minimum} qu'exige la règle : verdict « insuffisant »",
        "W433": "thème jamais trouvé dans le corpus : il ne pèse sur aucun score",
        "W434": "thème trouvé {matches} fois, toujours nié ou au passé : il ne compte nulle part",
    },
    "en": {
        "W102": "no speaker names found: read as one answer per paragraph",
        "W103": "no interviewer recognised: the first speaker, {speaker}, was taken for the interviewer",
        "W106": "file not read: the interview is missing from the analysis (the reason is in manifest.json)",
        "W107": "{words} word(s) before the first speaker name belong to no turn and are not coded",
        "W108": "no interviewer among the speakers: every turn is read as an answer",
        "W431": "no answer by the respondent: the interview does not count in its case",
        "W432": "{interviews} interview(s), fewer than the {minimum} the rule needs: verdict \"insufficient\"",
        "W433": "theme never found in the corpus: it weighs on no score",
        "W434": "theme found {matches} time(s), always denied or in the past: it counts nowhere",
    },
}
READER_NOTICES = frozenset(_NOTICES["en"])


def value(kind: str, key: str, lang: str) -> str | None:
    """An option value or a status in `lang` (`unit`, `measure`, `by`, `status`), or None when unknown."""
    return _VALUES.get(lang, _VALUES["en"]).get(kind, {}).get(key)


def notice_text(code: str, params: dict[str, str], lang: str) -> str | None:
    """A reader's warning in `lang`, or None when it has no translation (then it is not for the reader)."""
    template = _NOTICES.get(lang, _NOTICES["en"]).get(code)
    if template is None:
        return None
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return None


def decimals(value: float, digits: int = 2) -> str:
    """A threshold as written, with as many decimals as it has (`0.35`, `0.075`), at least `digits`."""
    from qualcode.classification.rule import threshold_digits

    return f"{float(value):.{threshold_digits(float(value), digits)}f}"


def words(lang: str) -> dict[str, str]:
    """The report's words in `lang` (English for a language without a translation)."""
    return _WORDS.get(lang, _WORDS["en"])


def number(value: Any, lang: str, digits: int = 2) -> str:
    """A share or score: `0,79` in French, `0.79` in English; `-` when missing."""
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    text = f"{float(value):.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace(".", ",") if lang == "fr" else text


def integer(value: int, lang: str) -> str:
    """A count with thousands separators: `26 319` (narrow no-break space) or `26,319`."""
    text = f"{int(value):,}"
    return text.replace(",", "\u202f") if lang == "fr" else text


def percent(value: float, lang: str) -> str:
    """A share as a whole percentage: `60 %` (French, no-break space) or `60%`."""
    return f"{round(float(value) * 100):d}\u00a0%" if lang == "fr" else f"{round(float(value) * 100):d}%"
