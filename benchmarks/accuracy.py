"""How well qualcode codes interviews its codebook was not written on: figures per part of a corpus.

For a corpus and a human coding (the development set's `devset/human/*.csv`,
or any `segment,code,coder` file), this codes the corpus with the bundled
codebook (or `--codebook`) and prints, against one human coder:

* theme precision, recall and micro-F1 (every respondent segment x theme of
  the interviews the coder coded is one decision), and per theme;
* the same for actors (the providers mentioned), by language;
* a naive coder made of ten accent-stripped substrings per theme, written
  from the theme definitions alone (below), on the same segments;
* with `--second CODER`, the agreement of a second human coder with the
  first, the level a coder should reach;
* the verdict and margin of each area, against `expected.csv`.

    python benchmarks/accuracy.py devset/tune --themes devset/human/tune_themes.csv \\
        --actors devset/human/tune_actors.csv

The figures in docs/validation.md come from this script.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

#: ten substrings per theme, accent-stripped and lower-case, French and English,
#: written from the one-line definitions of the themes before any interview was read;
#: a segment is coded with a theme when its folded text contains one of them
NAIVE = {
    "local_guidance_service": ["cellule", "animat", "coordinat", "comite local", "reseau local",
                               "facilitat", "coordination cell", "hub", "local committee", "pole orientation"],
    "regional_support": ["region finance", "la region a", "appel a projet", "carif", "oref", "financement regional",
                         "regional council", "call for projects", "the region fund", "region support"],
    "regional_withdrawal": ["plus de financement", "supprim", "arret", "changement de majorite", "ne finance plus",
                            "desengag", "withdr", "cut", "no longer", "stopped"],
    "shared_tools": ["plateforme", "annuaire", "portail", "fiche de liaison", "outil commun", "statistique",
                     "directory", "platform", "portal", "shared tool"],
    "joint_professional_development": ["formation commune", "atelier", "seminaire", "presentation croisee",
                                       "journee de professionnalisation", "workshop", "seminar",
                                       "cross-presentation", "joint training", "training day"],
    "partner_network_expansion": ["opco", "chambre de commerce", "cci", "entreprises", "organisme de formation",
                                  "nouveaux partenaires", "new partners", "companies", "employers", "visibilit"],
    "territorial_mismatch": ["perimetre", "decoupage", "territoire ne correspond", "zone", "secteur different",
                             "boundar", "perimeter", "catchment", "does not match", "not the same area"],
    "informal_bilateral_ties": ["je l'appelle", "je connais", "contact perso", "de gre a gre", "informel",
                                "i call her", "i call him", "personal contact", "informal", "i know her"],
    "geographic_proximity": ["meme batiment", "a cote", "meme couloir", "proximite", "a deux pas",
                             "same building", "next door", "same street", "proximity", "down the corridor"],
    "compartmentalisation": ["chacun dans son coin", "cloisonn", "chacun son public", "silo", "chacun ses outils",
                             "each their own", "silos", "separate", "own rules", "own tools"],
    "decompartmentalisation": ["decloisonn", "on travaille ensemble", "ensemble", "rapproch", "barriere",
                               "together", "break down", "breaking down", "walls came down", "closer"],
    "training_funding_exchanges": ["financement", "financer", "formation", "dossier", "cpf",
                                   "funding", "fund the", "training course", "file", "paperwork"],
    "economic_dynamism": ["dynamique", "recrut", "plein emploi", "embauche", "tension",
                          "dynamic", "hiring", "booming", "jobs available", "growing"],
    "economic_hardship": ["chomage", "ferme", "isole", "enclave", "fermeture",
                          "unemployment", "closed", "isolated", "depressed", "no jobs"],
    "social_barriers": ["logement", "mobilite", "permis", "sante", "garde d'enfant",
                        "housing", "transport", "driving licence", "health", "childcare"],
    "seasonal_economy": ["saison", "saisonnier", "vendange", "tourisme", "ski",
                         "season", "seasonal", "harvest", "tourism", "summer"],
    "preexisting_partnership": ["depuis longtemps", "des annees", "historique", "on se connait", "depuis 20",
                                "for years", "long time", "since 20", "always worked", "know each other"],
    "integrated_support_services": ["guichet unique", "maison", "accompagnement global", "forum", "suivi commun",
                                    "one-stop", "house", "job fair", "shared follow", "comprehensive"],
    "shared_local_issue": ["probleme commun", "tout le monde s'est mobilise", "enjeu", "tous autour",
                           "ensemble pour", "common problem", "everyone", "shared problem", "rallied", "all of us"],
}


def fold(text: str) -> str:
    from qualcode.base.text import fold as _fold

    return _fold(text)


def read_pairs(path: Path, column: str) -> dict[str, set[tuple[str, str]]]:
    """coder -> {(segment, code)} of a human coding file."""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found[row["coder"]].add((row["segment"], row[column]))
    return found


def prf(reference: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> tuple[float, float, float]:
    tp = len(reference & predicted)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(reference) if reference else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--themes", type=Path, required=True, help="human theme coding (segment,code,coder)")
    parser.add_argument("--actors", type=Path, help="human actor coding (segment,actor,coder)")
    parser.add_argument("--codebook", type=Path, default=None)
    parser.add_argument("--coder", default="coder_a", help="the reference coder")
    parser.add_argument("--second", default=None, help="a second coder to compare with the reference")
    parser.add_argument("--per-code", action="store_true", help="print figures per theme")
    parser.add_argument("--errors", type=Path, default=None, help="write the disagreements to this CSV")
    parser.add_argument("--codes", default=None, help="only these themes (comma-separated), for the micro figures too")
    parser.add_argument("--fold", default=None,
                        help="only the areas of this fold in the corpus's folds.csv (area,fold); "
                             "fold B is measured, never read: --errors is refused there")
    args = parser.parse_args()
    areas: set[str] | None = None
    if args.fold:
        with (args.corpus / "folds.csv").open(encoding="utf-8") as handle:
            areas = {r["area"] for r in csv.DictReader(handle) if r["fold"] == args.fold}
        if args.errors and args.fold == "B":
            parser.error("fold B is measured, never read: no --errors there")

    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus

    corpus = read_corpus(args.corpus)
    book = load_codebook(args.codebook)
    codings = code_corpus(corpus, book, "turn")
    segments = codings.segments
    themes = read_pairs(args.themes, "code")
    reference = themes[args.coder]
    area_of = {i.id: i.area for i in corpus}
    covered = {s.split("#")[0] for s, _ in reference} & set(area_of)
    if areas is not None:
        covered = {i for i in covered if area_of.get(i) in areas}
    scope = segments[segments["interview_id"].isin(covered)]
    ids = set(scope["segment_id"])
    language = {i.id: i.language for i in corpus}
    text = dict(zip(scope["segment_id"], scope["text"]))
    theme_ids = list(book.theme_ids)
    if args.codes:
        theme_ids = [c for c in theme_ids if c in set(args.codes.split(","))]
    reference = {(s, c) for s, c in reference if s in ids and c in theme_ids}
    applied = codings.applied("theme")
    machine = {(s, c) for s, c in zip(applied["segment_id"], applied["code"]) if s in ids and c in theme_ids}
    naive = {(s, c) for s in ids for c, cues in NAIVE.items()
             if c in theme_ids and any(cue in fold(text[s]) for cue in cues)}

    def line(label: str, ref: set[tuple[str, str]], pred: set[tuple[str, str]]) -> None:
        p, r, f = prf(ref, pred)
        print(f"  {label:<34} P {p:.2f}  R {r:.2f}  F1 {f:.2f}   ({len(pred)} coded, {len(ref)} in reference)")

    print(f"{args.corpus}: {len(covered)} interviews, {len(ids)} respondent turns, reference {args.coder}")
    print("themes (micro, every segment x theme):")
    line("qualcode", reference, machine)
    line("naive substrings", reference, naive)
    if args.second:
        second = {(s, c) for s, c in themes[args.second] if s in ids and c in theme_ids}
        line(f"second human coder ({args.second})", reference, second)
    for lang in sorted({language[s.split('#')[0]] for s in ids}):
        in_lang = {s for s in ids if language[s.split("#")[0]] == lang}
        line(f"qualcode, {lang}", {x for x in reference if x[0] in in_lang}, {x for x in machine if x[0] in in_lang})
    if args.per_code:
        for code in theme_ids:
            ref = {x for x in reference if x[1] == code}
            pred = {x for x in machine if x[1] == code}
            line(code, ref, pred)
    if args.actors:
        actors = read_pairs(args.actors, "actor")
        ref_actors = {x for x in actors[args.coder] if x[0] in ids}
        found = codings.applied("actor")
        mentioned = codings.evidence[(codings.evidence["kind"] == "actor")]
        all_mentions = {(s, c) for s, c in zip(mentioned["segment_id"], mentioned["code"]) if s in ids}
        print("actors (providers mentioned):")
        counted = {(s, c) for s, c in zip(found["segment_id"], found["code"]) if s in ids}
        line("qualcode (counted mentions)", ref_actors, counted)
        line("qualcode (every mention)", ref_actors, all_mentions)
        for lang in sorted({language[s.split('#')[0]] for s in ids}):
            in_lang = {s for s in ids if language[s.split("#")[0]] == lang}
            line(f"every mention, {lang}", {x for x in ref_actors if x[0] in in_lang},
                 {x for x in all_mentions if x[0] in in_lang})
    if args.errors:
        rows = []
        for s, c in sorted(reference ^ machine):
            rows.append((c, s, "missed" if (s, c) in reference else "extra", " ".join(text[s].split())))
        with args.errors.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "segment", "error", "text"])
            writer.writerows(rows)
    from qualcode.classification.classify import classify

    result = classify(codings, book)
    expected = {}
    expected_file = args.corpus / "expected.csv"
    if expected_file.is_file():
        expected = {r["area"]: r["configuration"] for r in csv.DictReader(expected_file.open(encoding="utf-8"))}
    print("areas:")
    for row in result.table.to_dict("records"):
        if areas is not None and row["case"] not in areas:
            continue
        want = expected.get(row["case"], "?")
        mark = "ok" if row["verdict"] == want else "WRONG"
        print(f"  {row['case']:<24} {row['verdict']:<14} expected {want:<4} margin {row['margin']:.2f}  {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
