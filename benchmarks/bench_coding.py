"""Coding speed and memory on a large corpus built from the sample data.

Prints, in one run: words per second of a bare `nlp.pipe` with the same
components, of qualcode cold (empty cache) and warm (cache filled, codebook
edited), their ratios, and the peak memory of each step. Each step runs in its
own process so that peaks do not add up.

    .venv/bin/python benchmarks/bench_coding.py            # about one million words
    .venv/bin/python benchmarks/bench_coding.py --words 100000 --pipeline fast

Goals (issue 5): cold within 1.25x of the bare pipeline, warm at least 20x
faster than cold, peak memory under 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "cep_study"


def build_corpus(target_words: int, folder: Path) -> int:
    """Copies of the sample interviews, each turn made unique, as .md files."""
    from qualcode.corpus import read_corpus

    corpus = read_corpus(SAMPLE)
    interviews = [i for i in corpus if i.language == "fr"]
    words = 0
    copy = 0
    while words < target_words:
        copy += 1
        for interview in interviews:
            lines = ["---", f"id: {interview.id}_{copy}", f"area: {interview.area}_{copy % 12}",
                     "language: fr", "interviewers: [Q]", "---", ""]
            for turn in interview.turns:
                label = "Q" if turn.role == "interviewer" else "R"
                lines.append(f"{label} : {turn.text} (copie {copy})")
                lines.append("")
                if turn.role == "respondent":
                    words += turn.words + 2
            (folder / f"{interview.id}_{copy}.md").write_text("\n".join(lines), encoding="utf-8")
            if words >= target_words:
                break
    return words


def step(kind: str, corpus: str, cache: str, pipeline: str, codebook: str) -> dict:
    """One measured step, run in this process (called through a subprocess)."""
    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus
    from qualcode.nlp.pipelines import BATCH_SIZE, load_pipeline

    docs = read_corpus(corpus)
    texts = [t.text for i in docs for t in i.respondent_turns]
    words = sum(t.words for i in docs for t in i.respondent_turns)
    nlp = load_pipeline("fr", pipeline)
    book = load_codebook(codebook)
    start = time.perf_counter()
    if kind == "bare":
        for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
            pass
    else:
        code_corpus(docs, book, pipeline=pipeline, cache_dir=Path(cache))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kind": kind, "words": words, "seconds": seconds, "peak_mb": peak_mb}


def edited_codebook(source: Path, folder: Path) -> Path:
    """The bundled codebook with one more phrase: a warm run must re-match, not re-parse."""
    text = source.read_text(encoding="utf-8")
    target = folder / "edited.yaml"
    marker = "    patterns:\n      fr:\n"
    assert marker in text, "unexpected codebook layout"
    target.write_text(text.replace(marker, marker + '        - "réseau de partenaires"\n', 1),
                      encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--pipeline", default="accurate", choices=["accurate", "fast"])
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--codebook", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.corpus, args.cache, args.pipeline, args.codebook)))
        return

    from qualcode.codebook import bundled_codebook_path

    work = Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        words = build_corpus(args.words, corpus)
        cache = work / "cache"
        bundled = bundled_codebook_path()
        edited = edited_codebook(bundled, work)
        print(f"corpus: {words:,} respondent words, pipeline {args.pipeline}")
        results = {}
        for kind, book in (("bare", bundled), ("cold", bundled), ("warm", edited)):
            proc = subprocess.run(
                [sys.executable, __file__, "--step", kind, "--corpus", str(corpus),
                 "--cache", str(cache), "--pipeline", args.pipeline, "--codebook", str(book)],
                capture_output=True, text=True, check=True)
            results[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
            r = results[kind]
            print(f"{kind:>5}: {r['words'] / r['seconds']:>10,.0f} words/s  "
                  f"{r['seconds']:8.1f} s  peak {r['peak_mb']:7.0f} MB")
        bare, cold, warm = results["bare"]["seconds"], results["cold"]["seconds"], results["warm"]["seconds"]
        print(f"cold / bare time: {cold / bare:.2f}x  (goal <= 1.25x)")
        print(f"cold / warm time: {cold / warm:.1f}x  (goal >= 20x)")
        print(f"peak memory: {max(r['peak_mb'] for r in results.values()):.0f} MB  (goal < 1536 MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
