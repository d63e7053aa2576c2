"""Coding speed, memory, re-coding, workers, Dask and start-up, each as a whole process.

Prints, in one run, every ratio that docs/performance.md reports:

* cold coding (`qualcode code`, empty cache) against the bare spaCy pipeline
  it uses (same texts: every turn; same components; same batch size), both
  whole processes (interpreter start, imports, model, work, output);
* warm re-coding against cold: codebook unchanged, one phrase added (new
  lemmas: the pipeline parses that phrase), one token pattern with a gap
  edited, one literal token pattern edited;
* peak memory, and the growth of cold coding from 10k to 1M words;
* `--workers 2` against one process, and a Dask `LocalCluster` of 2 workers
  (`--scheduler local:2`) against `--workers 2`;
* `qualcode analyze` on the sample study, warm against cold;
* start-up of `--help`, `--version`, `corpus` and `codebook validate`.

The machine is shared, so every step is repeated (`--repeat`) with the steps
interleaved (one of each, then again), and the median is reported, wall
clock and CPU (user + system, children included) side by side: CPU time is
what another job on the same cores does not change.

    .venv/bin/python benchmarks/bench_coding.py                    # 10k, 100k and 1M words
    .venv/bin/python benchmarks/bench_coding.py --sizes 100000 --repeat 1 --skip startup,analyze
    .venv/bin/python benchmarks/bench_coding.py --profile warm     # where a warm run spends its time
    .venv/bin/python benchmarks/bench_coding.py --profile cold --sizes 100000   # and a cold one

The corpus is built from the French sample interviews, copied until it
holds the words asked for, with about one word in six replaced (seeded) by
a word of the French lookup table, so that the vocabulary grows with the
corpus as a real one's does and no two turns are the same.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "cep_study"
QUALCODE = [sys.executable, "-m", "qualcode"]
BUNDLED = ROOT / "src" / "qualcode" / "codebooks" / "cep_cooperation.yaml"

#: the goals of the issue that asked for these measurements
GOALS = {
    "cold/bare": ("<=", 1.25),
    "cold/warm unchanged": (">=", 20.0),
    "cold/warm one phrase added": (">=", 20.0),
    "cold/warm token pattern edited": (">=", 20.0),
    "cold/warm literal pattern edited": (">=", 20.0),
    "workers 1/workers 2": (">=", 1.4),
    "analyze cold/warm": (">=", 5.0),
    "peak MB": ("<", 1536.0),
}


# --- the corpus ----------------------------------------------------------------------

def french_words() -> list[str]:
    """Plain alphabetic words of the French lookup table, sorted (the table ships with qualcode)."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "fr_lemma_lookup.json.gz"
    table = json.loads(gzip.decompress(path.read_bytes()))
    return sorted(w for w in table if w.isalpha() and w.islower() and 4 <= len(w) <= 12)


def build_corpus(target_words: int, folder: Path, seed: int = 20) -> tuple[int, int]:
    """Copies of the French sample interviews as .md files; (respondent words, turns)."""
    from qualcode.corpus import read_corpus

    corpus = read_corpus(SAMPLE)
    interviews = [i for i in corpus if i.language == "fr"]
    vocabulary = french_words()
    rng = random.Random(seed)
    words = turns = copy = 0

    def vary(text: str) -> str:
        out = []
        for word in text.split(" "):
            if word.isalpha() and len(word) >= 4 and rng.random() < 1 / 6:
                word = rng.choice(vocabulary)
            out.append(word)
        return " ".join(out)

    while words < target_words:
        copy += 1
        for interview in interviews:
            lines = ["---", f"id: {interview.id}_{copy}", f"area: {interview.area}_{copy % 12}",
                     "language: fr", "interviewers: [Q]", "---", ""]
            for turn in interview.turns:
                label = "Q" if turn.role == "interviewer" else "R"
                lines.append(f"{label} : {vary(turn.text)} (copie {copy})")
                lines.append("")
                turns += 1
                if turn.role == "respondent":
                    words += turn.words + 2
            (folder / f"{interview.id}_{copy}.md").write_text("\n".join(lines), encoding="utf-8")
            if words >= target_words:
                break
    return words, turns


def edited_codebooks(folder: Path) -> dict[str, Path]:
    """The bundled codebook with one edit each: a new phrase, a gapped token pattern, a literal one."""
    text = BUNDLED.read_text(encoding="utf-8")
    edits = {
        # a phrase no pattern holds: its lemmas are new, so the pipeline parses it (and only it)
        "one phrase added": ("    patterns:\n      fr:\n",
                             '    patterns:\n      fr:\n        - "réseau de partenaires"\n'),
        # a token pattern with a gap ({OP: "{0,2}"}): spaCy's Matcher runs it
        "token pattern edited": ('"orientation", "territorialer", "territoriau", "localer", "reseau", "partenaire", '
                                 '"partenariat"]}}]',
                                 '"orientation", "territorialer", "territoriau", "localer", "reseau", "partenaire", '
                                 '"partenariat", "plateforme"]}}]'),
        # a literal token pattern (words only): matched on the cached words
        "literal pattern edited": ('{NORM: {IN: ["local", "territorial", "territoriale", "locale", "localer", '
                                   '"territorialer", "territoriau"]}}]',
                                   '{NORM: {IN: ["local", "territorial", "territoriale", "locale", "localer", '
                                   '"territorialer", "territoriau", "departemental"]}}]'),
    }
    found = {}
    for name, (old, new) in edits.items():
        assert old in text, f"the bundled codebook changed: update the {name!r} edit"
        path = folder / (name.replace(" ", "_") + ".yaml")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        found[name] = path
    return found


# --- running and timing ----------------------------------------------------------------

@dataclass
class Timing:
    wall: float
    cpu: float
    peak_mb: float


@dataclass
class Step:
    name: str
    command: list[str]
    before: Callable[[], None] | None = None
    timings: list[Timing] = field(default_factory=list)

    def median(self, what: str) -> float:
        return statistics.median(getattr(t, what) for t in self.timings)


def run(command: list[str], env: dict[str, str] | None = None) -> Timing:
    """A whole process: wall clock, CPU of it and its children, peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    errors = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}\n{errors[-3000:]}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def bare_step(texts_file: str, pipeline: str) -> None:
    """The bare pipeline: the same model and components, the same texts and batch size, nothing else."""
    from qualcode.nlp.pipelines import BATCH_SIZE, load_pipeline

    texts = json.loads(Path(texts_file).read_text(encoding="utf-8"))
    nlp = load_pipeline("fr", pipeline)
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass


def interleave(steps: list[Step], repeat: int) -> None:
    for n in range(repeat):
        for step in steps:
            if step.before is not None:
                step.before()
            step.timings.append(run(step.command))
            t = step.timings[-1]
            print(f"  [{n + 1}/{repeat}] {step.name:<34} {t.wall:8.2f} s wall {t.cpu:8.2f} s CPU "
                  f"{t.peak_mb:7.0f} MB", flush=True)


def has_dask() -> bool:
    try:
        import distributed  # noqa: F401
    except ImportError:
        return False
    help_text = subprocess.run([*QUALCODE, "code", "--help"], capture_output=True, text=True).stdout
    return "--scheduler" in help_text


# --- the measurements ------------------------------------------------------------------

def coding_steps(work: Path, words: int, pipeline: str, dask: bool, edits: dict[str, Path]) -> list[Step]:
    corpus = work / f"corpus{words}"
    corpus.mkdir()
    found, turns = build_corpus(words, corpus)
    from qualcode.corpus import read_corpus

    texts = [t.text for i in read_corpus(corpus) for t in i.turns]
    texts_file = work / f"texts{words}.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    print(f"corpus: {found:,} respondent words, {turns:,} turns, pipeline {pipeline}")
    cold_cache = work / f"cache{words}"
    out = work / f"out{words}"

    def fresh(folder: Path) -> Callable[[], None]:
        return lambda: shutil.rmtree(folder, ignore_errors=True)

    def from_cold(folder: Path) -> Callable[[], None]:
        def copy() -> None:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(cold_cache, folder)
        return copy

    def code(cache: Path, *extra: str, codebook: Path = BUNDLED) -> list[str]:
        return [*QUALCODE, "code", str(corpus), "--out", str(out), "--force", "--quiet", "--pipeline", pipeline,
                "--cache-dir", str(cache), "--codebook", str(codebook), *extra]

    steps = [
        Step("bare", [sys.executable, __file__, "--step", "bare", "--texts", str(texts_file),
                      "--pipeline", pipeline]),
        Step("cold", code(cold_cache), fresh(cold_cache)),
        Step("warm unchanged", code(work / "w0"), from_cold(work / "w0")),
    ]
    for n, (name, path) in enumerate(edits.items(), 1):
        steps.append(Step(f"warm {name}", code(work / f"w{n}", codebook=path), from_cold(work / f"w{n}")))
    steps.append(Step("cold --workers 2", code(work / "c2", "--workers", "2"), fresh(work / "c2")))
    if dask:
        steps.append(Step("cold --scheduler local:2", code(work / "c3", "--scheduler", "local:2"),
                          fresh(work / "c3")))
    return steps


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def verdict(name: str, value: float) -> str:
    if name not in GOALS:
        return ""
    op, goal = GOALS[name]
    ok = value <= goal if op == "<=" else value >= goal if op == ">=" else value < goal
    return f"goal {op} {goal:g}: " + ("met" if ok else f"MISSED by {abs(value - goal) / goal:.0%}")


def report_coding(words: int, steps: list[Step]) -> dict[str, float]:
    by = {s.name: s for s in steps}
    print(f"\n== {words:,} words: medians of {len(steps[0].timings)} interleaved runs ==")
    print(f"{'step':<34} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
    for s in steps:
        print(f"{s.name:<34} {s.median('wall'):8.2f} {s.median('cpu'):8.2f} {s.median('peak_mb'):8.0f}")
    ratios: dict[str, float] = {}
    cold = by["cold"]
    ratios["cold/bare"] = ratio(cold.median("wall"), by["bare"].median("wall"))
    for s in steps:
        if s.name.startswith("warm "):
            ratios[f"cold/{s.name}"] = ratio(cold.median("wall"), s.median("wall"))
    ratios["workers 1/workers 2"] = ratio(cold.median("wall"), by["cold --workers 2"].median("wall"))
    if "cold --scheduler local:2" in by:
        ratios["dask local:2 / workers 2"] = ratio(by["cold --scheduler local:2"].median("wall"),
                                                   by["cold --workers 2"].median("wall"))
    ratios["peak MB"] = max(s.median("peak_mb") for s in steps)
    print("ratio (wall clock)                    value   CPU-time ratio")
    for name, value in ratios.items():
        cpu = ""
        if name == "cold/bare":
            cpu = f"{ratio(cold.median('cpu'), by['bare'].median('cpu')):.2f}"
        elif name.startswith("cold/warm"):
            cpu = f"{ratio(cold.median('cpu'), by[name[5:]].median('cpu')):.1f}"
        print(f"{name:<34} {value:8.2f} {cpu:>10}   {verdict(name, value)}")
    return {**ratios, "cold wall": cold.median("wall"), "cold cpu": cold.median("cpu"),
            "bare wall": by["bare"].median("wall")}


def report_growth(cold: dict[int, tuple[float, float]]) -> None:
    if len(cold) < 2:
        return
    sizes = sorted(cold)
    print("\n== growth of cold coding (wall s, CPU s) ==")
    for words in sizes:
        wall, cpu = cold[words]
        print(f"{words:>10,} words {wall:8.2f} s {cpu:8.2f} s CPU")
    for a, b in itertools.pairwise(sizes):
        slope = (cold[b][1] - cold[a][1]) / (b - a) * 100_000
        print(f"  {a:,} -> {b:,}: {slope:.2f} s CPU per 100k more words")


#: the start-up goal of issue 20, in seconds of CPU (user + system) per command
STARTUP_GOAL = 0.3
#: the commands the goal names
STARTUP_GOALS = ("--help", "--version", "corpus SAMPLE", "codebook validate")


def startup_steps(work: Path) -> list[Step]:
    """The four commands of the goal, then what explains their cost: a user codebook, the floors."""
    user = work / "user-codebook.yaml"
    shutil.copyfile(BUNDLED, user)
    edited = work / "edited-codebook.yaml"
    edits = itertools.count()
    tiny = work / "tiny"
    tiny.mkdir()
    (tiny / "one.txt").write_text("Q : Bonjour ?\n\nR : Bonjour.\n", encoding="utf-8")

    def edit() -> None:  # new bytes each run (a comment): parsed again, its token patterns known to spaCy
        edited.write_text(BUNDLED.read_text(encoding="utf-8") + f"# edit {next(edits)}\n", encoding="utf-8")

    return [
        Step("--help", [*QUALCODE, "--help"]),
        Step("--version", [*QUALCODE, "--version"]),
        Step("corpus SAMPLE", [*QUALCODE, "corpus", str(SAMPLE)]),
        Step("codebook validate", [*QUALCODE, "codebook", "validate"]),
        Step("validate user, remembered", [*QUALCODE, "codebook", "validate", str(user)]),
        Step("validate user, just edited", [*QUALCODE, "codebook", "validate", str(edited)], edit),
        Step("corpus SAMPLE/lisere (5 .md)", [*QUALCODE, "corpus", str(SAMPLE / "lisere")]),
        Step("corpus of one short .txt", [*QUALCODE, "corpus", str(tiny)]),
        Step("floor: python -c pass", [sys.executable, "-c", "pass"]),
        Step("floor: import qualcode.cli", [sys.executable, "-c", "import qualcode.cli"]),
        Step("floor: + Typer's pydantic", [sys.executable, "-c", "import qualcode.cli, typer._adapters"]),
    ]


@contextlib.contextmanager
def startup_environment(work: Path) -> Iterator[None]:
    """Run the commands as an installed qualcode runs: compiled modules (.pyc) kept, a cache folder of
    their own (the codebook memo), whatever PYTHONDONTWRITEBYTECODE says here."""
    saved = dict(os.environ)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    os.environ["QUALCODE_CACHE_DIR"] = str(work / "startup-cache")
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def measure_startup(work: Path, repeat: int) -> None:
    """Start-up of the four commands, medians of interleaved runs, CPU and wall, each against the goal."""
    print("\n== start-up ==")
    with startup_environment(work):
        steps = startup_steps(work)
        for step in steps:  # compile the modules, remember the codebooks
            if step.before is not None:
                step.before()
            subprocess.run(step.command, capture_output=True)
        interleave(steps, max(repeat, 5))
    print(f"{'command':<30} {'CPU s':>7} {'wall s':>7}   goal: under {STARTUP_GOAL} s of CPU")
    for s in steps:
        cpu, wall = s.median("cpu"), s.median("wall")
        goal = ""
        if s.name in STARTUP_GOALS:
            goal = "met" if cpu < STARTUP_GOAL else f"MISSED by {cpu - STARTUP_GOAL:.3f} s"
            goal += "" if wall < STARTUP_GOAL else " (wall over: a loaded machine waits)"
        print(f"{s.name:<30} {cpu:7.3f} {wall:7.3f}   {goal}")


def analyze_steps(work: Path) -> list[Step]:
    cache = work / "analyze-cache"
    out = work / "analyze-out"
    command = [*QUALCODE, "analyze", str(SAMPLE), "--out", str(out), "--force", "--quiet", "--cache-dir", str(cache)]
    return [Step("analyze cold", command, lambda: shutil.rmtree(cache, ignore_errors=True)),
            Step("analyze warm", command)]


#: the steps of a run the profile reports, by the function that holds each (cumulative time)
PROFILE_STEPS = {
    "reading the corpus": ("corpus/read.py", "read_corpus"),
    "loading the codebook (a memo unless edited)": ("codebook/load.py", "load_codebook"),
    "coding (everything below)": ("coding/engine.py", "_code_corpus"),
    "  match cache: token tables read": ("nlp/cache.py", "tables"),
    "  match cache: matches read": ("nlp/cache.py", "hits"),
    "  match cache: writes": ("nlp/cache.py", "_write"),
    "  importing spaCy (when needed)": ("nlp/pipelines.py", "<module>"),
    "  loading the model, its language data (when needed)": ("nlp/pipelines.py", "load_pipeline"),
    "  readings of new phrases (the pipeline parses them)": ("nlp/pipelines.py", "phrase_readings"),
    "  documents read from the DocBin cache (when needed)": ("nlp/cache.py", "get"),
    "  matching new items with spaCy": ("coding/patterns.py", "match_items"),
    "  matching new literal items on the tables": ("coding/patterns.py", "match_literal"),
    "  the rules (conditions, context, statuses)": ("coding/matchers.py", "find"),
    "  the tables (pandas)": ("coding/frames.py", "evidence_frame"),
    "writing the CSV files": ("results/frames.py", "frame_to_csv"),
}


def profile_run(work: Path, pipeline: str, words: int, edit: str, cold: bool = False) -> None:
    """cProfile of a cold run (empty cache) or a warm one (codebook unchanged, or after one edit), in this
    process, top functions by cumulative time."""
    import cProfile
    import pstats

    corpus = work / "pcorpus"
    corpus.mkdir()
    build_corpus(words, corpus)
    cache = work / "pcache"
    edits = edited_codebooks(work)
    if not cold:
        subprocess.run([*QUALCODE, "code", str(corpus), "--quiet", "--cache-dir", str(cache), "--pipeline",
                        pipeline], check=True, stdout=subprocess.DEVNULL)
    codebook = BUNDLED if cold or edit == "unchanged" else edits[edit]
    # the edited codebook validated once, as when its author saved it: the profile shows the re-coding
    subprocess.run([*QUALCODE, "codebook", "validate", str(codebook)], stdout=subprocess.DEVNULL)
    from qualcode.cli import main

    sys.argv = ["qualcode", "code", str(corpus), "--out", str(work / "pout"), "--quiet", "--cache-dir", str(cache),
                "--codebook", str(codebook), "--pipeline", pipeline]
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    with contextlib.suppress(SystemExit):
        main()
    profiler.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    which = "a cold run" if cold else f"a warm run ({edit})"
    print(f"\n== where {which} ({words:,} words) spends its time: {total:.2f} s under the profiler ==")
    raw = stats.stats  # type: ignore[attr-defined]
    for label, (where, name) in PROFILE_STEPS.items():
        found = [v[3] for (path, _, function), v in raw.items() if path.endswith(where) and function == name]
        print(f"  {label:<52} {max(found, default=0.0):7.2f} s")
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="corpus sizes in respondent words")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs per step (the median is shown)")
    parser.add_argument("--pipeline", default="accurate", choices=["accurate", "fast"])
    parser.add_argument("--skip", default="", help="comma-separated: coding, startup, analyze, dask")
    parser.add_argument("--profile", choices=["cold", "warm"], help="profile a cold or a warm run instead")
    parser.add_argument("--edit", default="token pattern edited",
                        choices=["unchanged", "one phrase added", "token pattern edited", "literal pattern edited"],
                        help="with --profile warm: the codebook of the profiled run")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "bare":
        bare_step(args.texts, args.pipeline)
        return
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    work = Path(tempfile.mkdtemp(prefix="qualcode-bench-"))
    env_note = f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start, Python {sys.version.split()[0]}"
    print(f"machine: {env_note}")
    try:
        if args.profile:
            profile_run(work, args.pipeline, int(args.sizes.split(",")[-1]), args.edit, cold=args.profile == "cold")
            return
        if "startup" not in skip:
            measure_startup(work, args.repeat)
        if "analyze" not in skip:
            steps = analyze_steps(work)
            print("\n== analyze on the sample study ==")
            interleave(steps, args.repeat)
            cold, warm = steps[0], steps[1]
            value = ratio(cold.median("wall"), warm.median("wall"))
            print(f"analyze cold {cold.median('wall'):.2f} s, warm {warm.median('wall'):.2f} s: "
                  f"{value:.1f}x (CPU {ratio(cold.median('cpu'), warm.median('cpu')):.1f}x)  "
                  f"{verdict('analyze cold/warm', value)}")
        if "coding" not in skip:
            dask = "dask" not in skip and has_dask()
            edits = edited_codebooks(work)
            growth: dict[int, tuple[float, float]] = {}
            for words in (int(s) for s in args.sizes.split(",")):
                steps = coding_steps(work, words, args.pipeline, dask, edits)
                interleave(steps, args.repeat)
                found = report_coding(words, steps)
                growth[words] = (found["cold wall"], found["cold cpu"])
                for path in work.glob(f"*{words}"):
                    shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink()
            report_growth(growth)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
