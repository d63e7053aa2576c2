"""The protocol a researcher would run: code a third of each area's interviews by hand, learn, code the rest.

For each area (the `area` attribute), the first third of its interviews in id
order (round(n / 3), at least one) is the hand-coded part: the human coding
of those interviews (themes, and actors when given) goes to `qualcode learn`.
The other interviews are coded with rules and model together
(`qualcode code --model`) and scored against the same coder: theme
micro-F1 (every respondent turn x theme is one decision), beside the rules
alone on the same segments, and beside the grouped cross-validation figure
that `learn` printed (the tool's own estimate). It also times training and
coding, cold (no cache) with and without the model.

    python benchmarks/protocol.py devset/holdout --themes devset/human/holdout_themes.csv \\
        --actors devset/human/holdout_actors.csv
    python benchmarks/protocol.py sample_data/cep_study --themes sample_data/human_coding.csv
    python benchmarks/protocol.py devset/holdout --themes devset/human/holdout_themes.csv \
        --prior devset/tune --prior-human devset/human/tune_themes.csv   # another study coded before

The figures in docs/learning.md come from this script.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def third(corpus: object, by: str = "area") -> set[str]:
    """The hand-coded interviews: the first round(n/3) (at least 1) of each area, in id order."""
    areas: dict[str, list[str]] = defaultdict(list)
    for interview in corpus:  # type: ignore[attr-defined]
        areas[str(interview.get(by))].append(interview.id)
    chosen: set[str] = set()
    for ids in areas.values():
        ids.sort()
        chosen.update(ids[:max(1, round(len(ids) / 3))])
    return chosen


def filtered(path: Path, keep: set[str], coder: str, out: Path) -> Path:
    with path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0].keys())
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(r for r in rows if r["coder"] == coder and r["segment"].split("#")[0] in keep)
    return out


def prf(reference: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> tuple[float, float, float]:
    tp = len(reference & predicted)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(reference) if reference else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--themes", type=Path, required=True)
    parser.add_argument("--actors", type=Path, default=None)
    parser.add_argument("--coder", default="coder_a")
    parser.add_argument("--codebook", type=Path, default=None)
    parser.add_argument("--no-timing", action="store_true", help="skip the cold coding times")
    parser.add_argument("--prior", type=Path, default=None, help="a study coded before, learnt from too")
    parser.add_argument("--prior-human", type=Path, action="append", default=[], help="its human coding")
    args = parser.parse_args()

    from qualcode.base.atomic import write_folder
    from qualcode.corpus import read_corpus
    from qualcode.workflows.code import CodingOptions, code
    from qualcode.workflows.learn import PriorStudy, learn

    corpus = read_corpus(args.corpus)
    with args.themes.open(encoding="utf-8-sig") as handle:
        coded = {r["segment"].split("#")[0] for r in csv.DictReader(handle) if r["coder"] == args.coder}
    # only the interviews the coder coded can be hand-coded or scored (the sample's coding covers two areas)
    train_ids = third([i for i in corpus if i.id in coded])
    test_ids = coded - train_ids
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        human = [filtered(args.themes, train_ids, args.coder, tmp / "themes.csv")]
        if args.actors:
            human.append(filtered(args.actors, train_ids, args.coder, tmp / "actors.csv"))
        started = time.perf_counter()
        prior = [PriorStudy(args.prior, args.prior_human, args.coder)] if args.prior else []
        run = learn(corpus, human, args.codebook, coder=args.coder, prior=prior)
        trained = time.perf_counter() - started
        write_folder(tmp / "model", run.files(), force=True)
        with_model = code(corpus, args.codebook, options=CodingOptions(model=tmp / "model"))
        rules = run.codings
        segments = rules.segments
        ids = set(segments.loc[segments["interview_id"].isin(test_ids), "segment_id"])
        themes = set(run.codebook.theme_ids)
        with args.themes.open(encoding="utf-8-sig") as handle:
            reference = {(r["segment"], r["code"]) for r in csv.DictReader(handle)
                         if r["coder"] == args.coder and r["segment"] in ids and r["code"] in themes}

        def pairs(kind_frame: object) -> set[tuple[str, str]]:
            frame = kind_frame  # a DataFrame of (segment_id, code)
            return {(s, c) for s, c in zip(frame["segment_id"], frame["code"]) if s in ids}  # type: ignore[index]

        machine = pairs(with_model.codings.applied("theme"))
        alone = pairs(rules.applied("theme"))
        cv, cv_rules = run.model.cv.get("theme"), run.model.cv.get("theme_rules")
        print(f"{args.corpus}: {len(train_ids)} interviews hand-coded (a third of each area), "
              f"{len(test_ids)} coded by qualcode and scored ({len(ids)} respondent turns), reference {args.coder}"
              + (f"; prior study {args.prior}" if args.prior else ""))
        for label, predicted in (("rules and model", machine), ("rules alone", alone)):
            p, r, f = prf(reference, predicted)
            print(f"  {label:<28} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   ({len(predicted)} coded, {len(reference)} in reference)")
        f_model, f_rules = prf(reference, machine)[2], prf(reference, alone)[2]
        print(f"  gain over rules alone         {f_model - f_rules:+.3f}")
        if cv and cv_rules:
            print(f"  learn's grouped CV estimate   F1 {cv['f1']:.3f} (rules alone {cv_rules['f1']:.3f}); "
                  f"held-out minus estimate {f_model - (cv['f1'] or 0):+.3f}")
        learnt = [c.code for c in run.model.codes if c.learnt and c.threshold <= 1]
        print(f"  codes the model codes: {len(learnt)} of {len(run.model.codes)}; training took {trained:.1f} s "
              f"(coding with the cache included)")
        if not args.no_timing:
            for label, options in (("cold coding, rules alone", CodingOptions(cache_dir=False)),
                                   ("cold coding, with the model", CodingOptions(cache_dir=False,
                                                                                 model=tmp / "model"))):
                started = time.perf_counter()
                code(corpus, args.codebook, options=options)
                print(f"  {label:<28} {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
