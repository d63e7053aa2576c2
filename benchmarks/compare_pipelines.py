"""Compare the accurate and fast French pipelines on the sample corpus.

Codes `sample_data/cep_study` with both pipelines and the bundled codebook and
prints: the time each took (cold, no cache), how far the two codings agree
(pooled kappa over segment x code), each pipeline's agreement with the human
coder (`coder_a` of `sample_data/human_coding.csv`), the codes on which they
differ most, and the classification each gives. This is the evidence behind
the default pipeline (docs/performance.md).

    .venv/bin/python benchmarks/compare_pipelines.py
"""

from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from qualcode.classification.classify import classify
    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus
    from qualcode.validation.agreement import compare
    from qualcode.validation.humans import read_human_codings

    corpus = read_corpus(ROOT / "sample_data" / "cep_study")
    book = load_codebook(None)
    results = {}
    for kind in ("accurate", "fast"):
        from qualcode.nlp.pipelines import load_pipeline

        load_pipeline("fr", kind)  # loading is not coding
        start = time.perf_counter()
        codings = code_corpus(corpus, book, pipeline=kind, cache_dir=False)
        results[kind] = (codings, time.perf_counter() - start)
        print(f"{kind:>8}: {time.perf_counter() - start:6.1f} s for "
              f"{sum(i.respondent_words for i in corpus):,} respondent words")

    accurate, fast = results["accurate"][0], results["fast"][0]
    segments = list(accurate.segments["segment_id"])
    codes = list(book.theme_ids)
    between = compare(accurate.applied(), fast.applied(), segments, codes,
                      names=("accurate", "fast"))
    print(f"\naccurate vs fast: pooled kappa {between.overall.kappa:.3f}, "
          f"agreement {between.overall.agreement:.4f}, "
          f"{between.overall.coded['accurate']} vs {between.overall.coded['fast']} coded segment x code")
    gaps = sorted(((abs(c.coded["accurate"] - c.coded["fast"]), code, c.coded["accurate"],
                    c.coded["fast"]) for code, c in between.codes.items()), reverse=True)[:6]
    for gap, code, a, b in gaps:
        if gap:
            print(f"   {code:<32} accurate {a:>3}  fast {b:>3}")

    human = read_human_codings(ROOT / "sample_data" / "human_coding.csv", accurate.segments, book,
                               corpus=corpus)
    human = human[human["coder"] == "coder_a"]
    coded_interviews = {s.split("#")[0] for s in human["segment"]}
    scope = [s for s in segments if s.split("#")[0] in coded_interviews]
    pairs = set(zip(human["segment"], human["code"]))
    print("\nagainst coder_a (brevanne and sorlin, turn unit):")
    for kind, (codings, _) in results.items():
        machine = {(s, c) for s, c in zip(codings.applied()["segment_id"], codings.applied()["code"])
                   if s.split("#")[0] in coded_interviews}
        agreement = compare(pairs, machine, scope, codes, names=("coder_a", kind))
        o = agreement.overall
        print(f"   {kind:>8}: kappa {o.kappa:.3f}  precision {o.precision:.3f}  "
              f"recall {o.recall:.3f}  F1 {o.f1:.3f}")

    print("\nclassification:")
    for kind, (codings, _) in results.items():
        table = classify(codings, book).table
        verdicts = ", ".join(f"{r.case}={r.verdict}" for r in table.itertuples())
        print(f"   {kind:>8}: {verdicts}")


if __name__ == "__main__":
    main()
