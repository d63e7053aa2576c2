"""Codebook validation cost against the number of problems it reports: linear, not quadratic.

Builds the minimal test codebook with N unknown keys in its first code (each
one a problem, E210, with its line), validates it with `parse_codebook`, and
prints the time per size and the ratio of each time to the previous one:
doubling N should about double the time (a ratio near 2; a quadratic cost
gives 4). Before issue 21, 24,000 unknown keys took 130 s.

    .venv/bin/python benchmarks/bench_validation.py              # up to 24,000 keys
    .venv/bin/python benchmarks/bench_validation.py --most 48000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "data" / "codebooks" / "minimal.yaml"


def codebook_with_unknown_keys(n: int) -> str:
    """The minimal codebook, its first code given `n` keys that no codebook has."""
    lines = MINIMAL.read_text(encoding="utf-8").split("\n")
    at = lines.index("  - id: local_coordination") + 1
    return "\n".join(lines[:at] + [f"    unknown_key_{k}: x" for k in range(n)] + lines[at:])


def measure(n: int) -> tuple[float, float, int]:
    """Seconds to validate (wall and CPU of this process), and the number of problems reported."""
    from qualcode.codebook import parse_codebook
    from qualcode.errors import CodebookError

    text = codebook_with_unknown_keys(n)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        parse_codebook(text, source="bench.yaml")
    except CodebookError as exc:
        problems = len(exc.problems)
    else:
        problems = 0
    return time.perf_counter() - start, time.process_time() - cpu, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--most", type=int, default=24_000, help="the largest number of unknown keys")
    args = parser.parse_args()
    measure(100)  # imports, the pydantic models and spaCy's pattern check, once
    sizes = []
    n = 1500
    while n <= args.most:
        sizes.append(n)
        n *= 2
    print(f"{'unknown keys':>12} {'problems':>9} {'seconds':>8} {'CPU s':>6} {'ratio':>6}")
    previous = None
    for n in sizes:
        seconds, cpu, problems = measure(n)
        ratio = f"{cpu / previous:.2f}" if previous else "-"
        print(f"{n:>12,} {problems:>9,} {seconds:>8.2f} {cpu:>6.2f} {ratio:>6}")
        previous = cpu
    print("ratio: CPU time against the previous size, which is half as large (linear: about 2, quadratic: 4)")


if __name__ == "__main__":
    main()
