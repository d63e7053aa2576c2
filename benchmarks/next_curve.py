"""Does `--next` teach faster than random segments? A learning curve on devset/tune.

The tune interviews of four areas are the pool the simulated researcher codes
from; the other three areas are the test. Starting from 10 random segments,
rounds of 10 segments are added, chosen by `--next`'s rule
(`qualcode.learning.select`) or at random; after each round a model is
trained (no cross-validation: probability 0.5 as the threshold, rules or
model) and its theme micro-F1 on the test areas is measured against
coder_a. Averaged over seeds.

    python benchmarks/next_curve.py --rounds 8 --seeds 3
"""

from __future__ import annotations

import argparse
import random
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()

    import numpy as np

    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus
    from qualcode.learning.dataset import HumanScope, training_set
    from qualcode.learning.features import FeatureSettings, TokenCollector, Vectoriser
    from qualcode.learning.learners import LearnerSettings, fit_linear, linear_scores
    from qualcode.learning.model import figures
    from qualcode.learning.select import pick, uncertainty
    from qualcode.validation.humans import read_training_codings

    corpus = read_corpus("devset/tune")
    book = load_codebook(None)
    collector = TokenCollector()
    codings = code_corpus(corpus, book, "turn", observer=collector)
    labels = read_training_codings(["devset/human/tune_themes.csv"], codings.segments, book, corpus=corpus,
                                   coder="coder_a")
    pairs = {(s, c) for s, c in zip(labels["segment"], labels["code"]) if c}
    segs = codings.segments
    areas = sorted(set(segs["case"]))
    pool_areas, test_areas = set(areas[:4]), set(areas[4:])
    everything = set(segs["segment_id"])
    full = training_set(codings, collector.segments, HumanScope(pairs, {"theme": everything}), book)
    themes = [j for j, k in enumerate(full.kinds) if k == "theme"]
    case = dict(zip(segs["segment_id"], segs["case"]))
    pool = [i for i, s in enumerate(full.rows) if case[s] in pool_areas]
    test = np.array([i for i, s in enumerate(full.rows) if case[s] in test_areas])
    settings, learner = FeatureSettings(), LearnerSettings()

    def fit_predict(chosen: list[int]) -> tuple[float, np.ndarray]:
        vec = Vectoriser.fit([full.bags[i] for i in chosen], settings)
        X_train = vec.transform([full.bags[i] for i in chosen])
        X_all = vec.transform(full.bags)
        probabilities = np.full((len(full.rows), len(themes)), 0.0)
        decided = full.rules[np.ix_(test, themes)].copy()
        for k, j in enumerate(themes):
            y = full.labels[chosen, j]
            if y.sum() < 1 or y.sum() == len(y):
                continue
            coef, intercept = fit_linear(X_train, y, learner)
            p = 1 / (1 + np.exp(-linear_scores(X_all, coef, intercept)))
            probabilities[:, k] = p
            decided[:, k] |= p[test] >= 0.5
        return figures(full.labels[np.ix_(test, themes)], decided)["f1"] or 0.0, probabilities

    curves: dict[str, list[list[float]]] = {"next": [], "random": []}
    for seed in range(args.seeds):
        for strategy in curves:
            rng = random.Random(seed)
            chosen = rng.sample(pool, 10)
            curve = []
            for _ in range(args.rounds + 1):
                f1, probabilities = fit_predict(chosen)
                curve.append(f1)
                left = [i for i in pool if i not in chosen]
                if strategy == "random":
                    chosen += rng.sample(left, 10)
                else:
                    u = uncertainty(probabilities[left], np.full(len(themes), 0.5))
                    cases = [case[full.rows[i]] for i in left]
                    codes = [str(c) for c in u.argmax(axis=1)]
                    chosen += [left[k] for k in pick(u.max(axis=1), cases, codes, 10)]
            curves[strategy].append(curve)
    print(f"pool: {len(pool)} turns of {sorted(pool_areas)}; test: {len(test)} turns of {sorted(test_areas)}; "
          f"{args.seeds} seeds; theme micro-F1 (rules or model) on the test areas")
    print("segments  " + "  ".join(f"{10 * (r + 1):>5}" for r in range(args.rounds + 1)))
    for strategy, runs in curves.items():
        mean = np.mean(np.array(runs), axis=0)
        print(f"{strategy:<8}  " + "  ".join(f"{v:5.3f}" for v in mean))
    gain = np.mean(np.array(curves["next"])[:, 1:] - np.array(curves["random"])[:, 1:])
    print(f"mean gain of --next over random after the first round: {gain:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
