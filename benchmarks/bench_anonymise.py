"""`qualcode anonymise` against the number of turns in one file: linear, not quadratic.

Writes one transcript of N short turns (an interviewer's question, a
respondent's answer that names a person, a place and an organisation, each
turn different), anonymises it with `anonymise_corpus` (detection, the copy,
its read-back check, the map) and prints the time per size and the ratio of
each time to the previous one: doubling N should about double the time (a
ratio near 2; quadratic gives 4). Before issue 21 the whole text was folded
again for every turn: 10,000 turns took 18 s and 80,000 took 636 s. The
goal is 200,000 turns in under a minute.

    .venv/bin/python benchmarks/bench_anonymise.py                # 25,000 to 200,000 turns
    .venv/bin/python benchmarks/bench_anonymise.py --most 50000 --language fr

`--language en` (the default) uses the rules only, as for an English corpus;
`fr` adds spaCy's French NER, whose cost is linear too but larger.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

QUESTIONS = {"en": "Interviewer: Who did you see on day {n}?",
             "fr": "Enquêtrice : Qui avez-vous vu le jour {n} ?"}
ANSWERS = {"en": "Respondent: I saw Mrs Garnier in Castleford about file {n}, then Harwell Ltd called.",
           "fr": "Conseillère : J'ai vu Mme Garnier à Castelmont pour le dossier {n}, puis la société Ferrand a appelé."}


def write_transcript(folder: Path, turns: int, language: str) -> Path:
    """One transcript of `turns` turns (half questions, half answers)."""
    lines = ["---", "id: long", "area: north", f"language: {language}", "---", ""]
    for n in range(turns // 2):
        lines += [QUESTIONS[language].format(n=n), "", ANSWERS[language].format(n=n), ""]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "long.md").write_text("\n".join(lines), encoding="utf-8")
    return folder


def measure(turns: int, language: str, scratch: Path) -> tuple[float, float, float, int]:
    """Seconds to read the corpus, to anonymise it (copy and map written; wall and CPU), replacements.

    The CPU time is that of this process: on a shared machine it is what the
    run costs, whatever else runs (the wall time is then longer).
    """
    from qualcode.anonymise import anonymise_corpus
    from qualcode.corpus import read_corpus

    corpus_dir = write_transcript(scratch / f"corpus-{turns}", turns, language)
    start = time.perf_counter()
    corpus = read_corpus(corpus_dir)
    read = time.perf_counter() - start
    start, cpu = time.perf_counter(), time.process_time()
    result = anonymise_corpus(corpus, scratch / f"shared-{turns}", map_path=scratch / f"map-{turns}.csv")
    return read, time.perf_counter() - start, time.process_time() - cpu, result.replacements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--most", type=int, default=200_000, help="the largest number of turns")
    parser.add_argument("--least", type=int, default=25_000, help="the smallest number of turns")
    parser.add_argument("--language", choices=("en", "fr"), default="en")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    try:
        measure(200, args.language, scratch)  # imports, pipelines
        print(f"{'turns':>8} {'read s':>7} {'anonymise s':>12} {'CPU s':>7} {'replacements':>13} {'ratio':>6}")
        previous = None
        turns = args.least
        while turns <= args.most:
            read, seconds, cpu, replaced = measure(turns, args.language, scratch)
            ratio = f"{cpu / previous:.2f}" if previous else "-"
            print(f"{turns:>8,} {read:>7.2f} {seconds:>12.2f} {cpu:>7.2f} {replaced:>13,} {ratio:>6}")
            previous = cpu
            turns *= 2
        print("ratio: anonymise CPU time against the previous size, half as large (linear: about 2, quadratic: 4)")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
