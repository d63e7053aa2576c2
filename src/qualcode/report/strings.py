"""The words of the file reports (report.html, report.md) in French and English.

The reports are written in the codebook's first language unless `--lang`
picks another one of its languages: labels come from the codebook, and the
report's own words from here. Numbers follow the language's conventions
(decimal comma and thin-space thousands in French). The terminal report is
the researcher's working view and uses code ids and English, like the rest
of the command line.
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
    },
}


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
