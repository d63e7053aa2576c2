"""Two learners under the same grouped cross-validation on devset/tune's fold A: which one `learn` uses.

* `logistic`: qualcode's default, one logistic regression per code on the
  sparse features of `qualcode.learning.features` (lemma n-grams, the
  question, the codebook's hits), calibrated and thresholded as `learn` does;
* `textcat`: spaCy's `textcat_multilabel` (bag-of-words architecture, the
  one that trains in seconds on a CPU), on the segments' text, 10 epochs,
  0.5 threshold, rules or model as above.

Folds are the same five groups of interviews for both. Prints the theme
micro-F1 (rules or model) and the time each took. Only fold A's areas
(devset/tune/folds.csv) are used: fold B is never read, not even to train.

    python benchmarks/compare_learners.py
"""

from __future__ import annotations

import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

TUNE = Path("devset/tune")
HUMAN = Path("devset/human/tune_themes.csv")


def fold_a(scratch: Path) -> tuple[Path, Path]:
    """A copy of fold A's areas and of their human rows."""
    with (TUNE / "folds.csv").open(encoding="utf-8") as handle:
        areas = sorted(r["area"] for r in csv.DictReader(handle) if r["fold"] == "A")
    corpus = scratch / "fold_a"
    for area in areas:
        shutil.copytree(TUNE / area, corpus / area)
    human = scratch / "fold_a.csv"
    with HUMAN.open(encoding="utf-8") as source, human.open("w", encoding="utf-8", newline="") as target:
        reader = csv.DictReader(source)
        writer = csv.DictWriter(target, fieldnames=list(reader.fieldnames or []))
        writer.writeheader()
        writer.writerows(r for r in reader if any(r["segment"].startswith(f"{a}_") for a in areas))
    return corpus, human


def main() -> int:
    import numpy as np
    import spacy
    from spacy.training import Example

    from qualcode.codebook import load_codebook
    from qualcode.coding.engine import code_corpus
    from qualcode.corpus import read_corpus
    from qualcode.learning.dataset import human_scope, training_set
    from qualcode.learning.features import TokenCollector
    from qualcode.learning.model import figures
    from qualcode.learning.training import _folds, estimate, summary, train
    from qualcode.validation.humans import read_training_codings

    scratch = Path(tempfile.mkdtemp(prefix="compare-learners-"))
    corpus_dir, human = fold_a(scratch)
    corpus = read_corpus(corpus_dir)
    book = load_codebook(None)
    collector = TokenCollector()
    codings = code_corpus(corpus, book, "turn", observer=collector)
    labels = read_training_codings([human], codings.segments, book, corpus=corpus, coder="coder_a")
    shutil.rmtree(scratch)
    ts = training_set(codings, collector.segments, human_scope(labels, codings.segments), book)
    themes = [j for j, k in enumerate(ts.kinds) if k == "theme"]
    started = time.perf_counter()
    _, models, _ = train(ts)
    lr = summary(models)["theme"]
    lr_time = time.perf_counter() - started
    text = dict(zip(codings.segments["segment_id"], codings.segments["text"]))
    folds = _folds(ts.groups, 5)
    started = time.perf_counter()
    decided = ts.rules[:, themes].copy()
    names = [ts.codes[j] for j in themes]
    for train_rows, test_rows in folds:
        nlp = spacy.blank("fr")
        textcat = nlp.add_pipe("textcat_multilabel", config={"model": {
            "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
            "no_output_layer": False}})
        for name in names:
            textcat.add_label(name)
        examples = [Example.from_dict(nlp.make_doc(text[ts.rows[i]]),
                                      {"cats": {n: float(ts.labels[i, j]) for n, j in zip(names, themes)}})
                    for i in train_rows if ts.rows[i] in text]
        optimizer = nlp.initialize(lambda examples=examples: examples)
        rng = random.Random(0)
        for _ in range(10):
            rng.shuffle(examples)
            for k in range(0, len(examples), 16):
                nlp.update(examples[k:k + 16], sgd=optimizer)
        for i, doc in zip(test_rows, nlp.pipe(text[ts.rows[i]] for i in test_rows)):
            decided[i] |= np.array([doc.cats[n] >= 0.5 for n in names])
    tested = np.concatenate([t for _, t in folds])
    tc = figures(ts.labels[np.ix_(tested, themes)], decided[tested])
    tc_time = time.perf_counter() - started
    rules = figures(ts.labels[np.ix_(tested, themes)], ts.rules[np.ix_(tested, themes)])
    print(f"devset/tune fold A, {len(set(ts.groups))} interviews, {len(folds)} folds grouped by interview; theme micro-F1")
    print(f"  rules alone                        F1 {rules['f1']:.3f}")
    print(f"  logistic (qualcode learn)          F1 {lr['f1']:.3f}  P {lr['precision']:.3f}  R {lr['recall']:.3f}"
          f"   {lr_time:.1f} s (cross-validation and final fit)")
    print(f"  spaCy textcat_multilabel (bow)     F1 {tc['f1']:.3f}  P {tc['precision']:.3f}  R {tc['recall']:.3f}"
          f"   {tc_time:.1f} s (cross-validation only)")
    del estimate
    return 0


if __name__ == "__main__":
    sys.exit(main())
