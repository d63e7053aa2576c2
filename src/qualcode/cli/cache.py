"""`qualcode cache ...`: what the cache folder holds, and removing it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from qualcode.cli.output import err, handle_errors, out

cache_app = typer.Typer(
    help="Show or clear the cache folder (parsed interviews, validated codebooks, the key of anonymised copies).",
    no_args_is_help=True,
    rich_markup_mode="rich",
)

CacheDir = Annotated[Path | None, typer.Option(
    "--cache-dir", help="The cache folder. Default: $QUALCODE_CACHE_DIR, else ~/.cache/qualcode.",
    show_default=False)]


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"


@cache_app.command("info")
@handle_errors
def info_cmd(cache_dir: CacheDir = None) -> None:
    """Say where the cache folder is and what it holds.

    Parsed interviews are kept there verbatim (respondents' words included),
    with their token tables (the words' lemmas) and matches, until
    `qualcode cache clear` removes them.

    Example: qualcode cache info
    """
    from qualcode.base.userdirs import cache_contents

    found = cache_contents(cache_dir)
    out().print(Text(f"{found.folder}: {found.documents} parsed interview(s), {found.matches} match cache "
                     f"file(s), {found.codebooks} validated codebook(s), {found.other_entries} other file(s); "
                     f"{_size(found.size)}"))
    if found.foreign:
        err().print(Text(f"{len(found.foreign)} other file(s) in it are not qualcode's and are left alone"))


@cache_app.command("clear")
@handle_errors
def clear_cmd(cache_dir: CacheDir = None) -> None:
    """Remove what qualcode keeps in the cache folder: parsed interviews (verbatim text), their token
    tables and matches, validated codebooks, and the key that ties anonymised copies to their maps.

    Run it when the original transcripts are deleted: the cache would still
    hold their text. Coding is slower once, until the cache fills again. Files
    that qualcode did not put there are left.

    Example: qualcode cache clear
    """
    from qualcode.base.userdirs import clear_cache

    found = clear_cache(cache_dir)
    err().print(Text(f"removed {len(found.files)} file(s) ({_size(found.size)}) from {found.folder}: "
                     f"{found.documents} parsed interview(s), {found.matches} match cache file(s), "
                     f"{found.codebooks} validated codebook(s)"
                     + (f"; left {len(found.foreign)} file(s) that are not qualcode's" if found.foreign else "")))
