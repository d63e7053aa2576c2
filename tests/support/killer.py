"""Run one write, or the qualcode CLI, and send this very process a signal at a step of the atomic writer.

    python tests/support/killer.py STEP[#N] SIGNAL [--portable] folder TARGET NAME...
    python tests/support/killer.py STEP[#N] SIGNAL [--portable] file TARGET
    python tests/support/killer.py STEP[#N] SIGNAL [--portable] cli ARGS...

The signal goes out through the writer's step hook (`qualcode.base.atomic.
set_step_hook`) at the N-th time (default: the first) the writer reaches
STEP: no sleep, no race, the same place every time. `--portable` turns
`renameat2` off (the two-rename swap of other platforms). `folder` writes
`new NAME` into each file NAME of TARGET; `file` writes `new` into TARGET.
An interruption the writer reports (`Interrupted`) is printed on standard
error and ends the process with its exit code, as the CLI does. The first
line on standard error is `pid N`.
"""

from __future__ import annotations

import os
import signal
import sys

if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]  # this folder holds support/html.py, which would hide the standard library's html


def main(argv: list[str]) -> int:
    spec, name, *rest = argv
    print(f"pid {os.getpid()}", file=sys.stderr, flush=True)  # first line: which leftovers would be this run's
    step, _, nth = spec.partition("#")
    count = int(nth or 1)
    sig = getattr(signal, name)

    from qualcode.base import atomic
    from qualcode.errors import Interrupted

    if rest and rest[0] == "--portable":
        atomic.use_renameat2 = False
        rest = rest[1:]
    seen = 0

    def hook(reached: str) -> None:
        nonlocal seen
        if reached == step:
            seen += 1
            if seen == count:
                os.kill(os.getpid(), sig)

    atomic.set_step_hook(hook)
    mode, *args = rest
    if mode == "cli":
        from qualcode.cli import main as cli

        sys.argv = ["qualcode", *args]
        cli()
        return 0
    try:
        if mode == "folder":
            target, *names = args
            atomic.write_folder(target, {n: f"new {n}\n" for n in names}, force=True)
        else:
            atomic.write_file(args[0], "new\n", force=True)
    except Interrupted as exc:
        print(f"interrupted by {exc.signal_name}: {exc.note}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
