"""Files and folders written whole or not at all: the one writer every output goes through.

A file is written to a temporary sibling and renamed into place; a folder is
written in full into a temporary sibling folder, then swapped in. Whatever
happens (a full disk, an error, Ctrl-C, SIGTERM, SIGHUP, even SIGKILL), the
target is either as it was or complete with the new content, never missing,
never half-written:

* **Names.** Siblings are made by `mkstemp`/`mkdtemp` (a fresh name, created
  exclusively: never an existing file, never through a link) and named
  `.NAME.tmp-PID-XXXXXXXX` (being written) or `.NAME.old-PID-XXXXXXXX` (the
  previous folder, while it is swapped out), so that a later run knows what
  it may clean. Files inside a staged folder are created with `O_EXCL` and
  `O_NOFOLLOW`; a target that is a symbolic link is refused (E442).
* **The swap.** Where the platform has it (Linux 3.15+), the new folder and
  the old one trade places in one step (`renameat2(RENAME_EXCHANGE)`), and a
  new folder takes a free name with `RENAME_NOREPLACE`, so that a folder
  another run wrote meanwhile is never silently replaced (E444). Elsewhere,
  the old folder is moved aside and the new one renamed in; if the process
  dies between the two renames, `sweep` puts the old folder back.
* **Signals.** While a write stages its files, SIGTERM, SIGHUP and SIGINT
  stop it: the temporary sibling is removed and `Interrupted` says that
  nothing was written. While it commits (the renames and the removal of the
  old folder), they are held and delivered once the new output is in place,
  and `Interrupted` says so.
* **Leftovers.** SIGKILL (or a power cut) can still leave a sibling. `sweep`,
  which the output guard runs at the start of every command that writes,
  removes those of dead processes, puts a previous folder back when the
  target is missing, and says what it did for a map (which holds names).
* **Modes.** A replaced file or folder keeps its mode; a new one gets the
  usual mode less the umask (not the 600/700 of `mkstemp`/`mkdtemp`), unless
  the caller asks for another (the anonymisation map is 600).

Every step calls the step hook (`set_step_hook`): the tests inject failures
and kills there. Nothing heavy is imported here.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import FrameType

from qualcode.base.paths import folder_is_ours
from qualcode.errors import Errors, Interrupted, OutputError, ResultsError

#: a write's hidden siblings: `.NAME.tmp-PID-XXXXXXXX` and `.NAME.old-PID-XXXXXXXX`; older
#: versions of qualcode wrote `.NAME.tmp-XXXXXXXX`, `.NAME.old-XXXXXXXX` and (maps) `.NAME.XXXXXXXX.tmp`
_SIBLING = re.compile(r"^\.(?P<name>.+?)\.(?P<what>tmp|old)-(?:(?P<pid>\d+)-)?[A-Za-z0-9_]{8}$")
_LEGACY_MAP = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")
#: scratch folders in the system's temporary folder: `qualcode-WHAT-PID-XXXXXXXX`
_SCRATCH = re.compile(r"^qualcode-(?P<what>[a-z]+)-(?P<pid>\d+)-[A-Za-z0-9_]{8}$")

StepHook = Callable[[str], None]
_hook: StepHook | None = None

#: `renameat2` flags (linux/fs.h)
_NOREPLACE, _EXCHANGE = 1, 2
#: whether to try `renameat2`; the tests turn it off to exercise the portable path
use_renameat2 = True
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


# --- steps, signals -------------------------------------------------------------------

def set_step_hook(hook: StepHook | None) -> StepHook | None:
    """Call `hook(step)` at every step of every write; returns the previous hook.

    The steps: `file:written` (the temporary file is complete), `file:replaced`;
    `folder:file` (after each file of a folder), `folder:staged` (every file
    written), `folder:moved-aside` (portable swap only: the old folder is
    aside, the new one not yet in), `folder:swapped` (the new folder is in
    place, the old one not yet removed), `folder:done`.
    """
    global _hook
    previous, _hook = _hook, hook
    return previous


def _step(name: str) -> None:
    if _hook is not None:
        _hook(name)


class _Signals:
    """SIGTERM, SIGHUP and SIGINT during a write: raised as `Interrupted` while staging, held while committing.

    Handlers can only be set in the main thread; elsewhere the write runs with
    the process' own handlers. A write inside another (the map, written while
    its copy is committed) shares the outer one's handlers: what the outer one
    holds, it holds too.
    """

    _current: _Signals | None = None

    def __init__(self) -> None:
        self.holding = 0
        self.pending: int | None = None
        self.previous: dict[int, object] = {}
        self.outer: _Signals | None = None

    def __enter__(self) -> _Signals:
        if _Signals._current is not None:
            self.outer = _Signals._current
            return self
        if threading.current_thread() is threading.main_thread():
            for sig in _SIGNALS:
                try:
                    self.previous[sig] = signal.signal(sig, self._handle)
                except (ValueError, OSError):  # not settable here
                    continue
            _Signals._current = self
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.holding:
            self.pending = self.pending or signum
            return
        raise Interrupted(signum)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        owner = self.outer or self
        owner.holding += 1
        try:
            yield
        finally:
            owner.holding -= 1

    def __exit__(self, *exc: object) -> None:
        if self.outer is not None:
            return
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        if self.previous:
            _Signals._current = None
        self.previous = {}

    def deliver(self, note: str) -> None:
        """A signal held during the commit: raise it now, saying what was written."""
        if self.outer is None and self.pending is not None:
            signum, self.pending = self.pending, None
            raise Interrupted(signum, note)


def _noted(exc: BaseException, note: str) -> None:
    """Say what is on disk in an interruption that does not say it yet."""
    if isinstance(exc, Interrupted) and not exc.note:
        exc.note = note


# --- modes, renames -------------------------------------------------------------------

def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(target: Path, mode: int | None, *, folder: bool) -> int:
    """The mode of what replaces `target`: the caller's, else that of `target`, else the default."""
    if mode is not None:
        return mode
    try:
        info = os.lstat(target)
        if stat.S_ISDIR(info.st_mode) == folder and not stat.S_ISLNK(info.st_mode):
            return stat.S_IMODE(info.st_mode)
    except OSError:
        pass
    return (0o777 if folder else 0o666) & ~_umask()


_LIBC: object | None = None


def _libc() -> ctypes.CDLL | None:
    global _LIBC
    if _LIBC is None:
        try:
            _LIBC = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _LIBC = False
    return _LIBC or None  # type: ignore[return-value]


def _renameat2(src: Path, dst: Path, flags: int) -> bool:
    """`renameat2(src, dst, flags)`; False when the platform or the file system lacks it."""
    libc = _libc() if use_renameat2 else None
    call = getattr(libc, "renameat2", None) if libc is not None else None
    if call is None:
        return False
    at_fdcwd = -100
    if call(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), os.fspath(dst))


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (ignored where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    """Remove a file, a link or a whole folder (links inside never followed); errors ignored."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def _parent(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")


def _sibling_prefix(target: Path, what: str) -> str:
    return f".{target.name}.{what}-{os.getpid()}-"


# --- files -----------------------------------------------------------------------------

def _write_all(fd: int, payload: bytes, durable: bool) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    if durable:
        os.fsync(fd)


def write_file_atomic(path: Path | str, data: str | bytes, *, mode: int | None = None,
                      durable: bool = True) -> Path:
    """Write one file through a temporary sibling renamed into place: it is whole or as it was.

    Text is written as UTF-8 with the line ends it has. The temporary file is
    removed on any failure, an interruption included. A replaced file keeps
    its mode, a new one gets `mode` (default: 666 less the umask). `durable`:
    flush to the disk before the rename (outputs do; the cache does not need to).
    Raises OSError (the caller says which of its messages fits); `write_file`
    says it for you.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    parent = _parent(path)
    final_mode = _mode_for(path, mode, folder=False)
    with _Signals() as signals:
        handle, tmp = tempfile.mkstemp(prefix=_sibling_prefix(path, "tmp"), dir=parent)
        replaced = False
        try:
            try:
                os.fchmod(handle, final_mode)
                _write_all(handle, payload, durable)
            finally:
                os.close(handle)
            _step("file:written")
            with signals.held():
                os.replace(tmp, path)
                replaced = True
                if durable:
                    _sync_folder(parent)
            _step("file:replaced")
        except BaseException as exc:
            if not replaced:
                Path(tmp).unlink(missing_ok=True)
            _noted(exc, f"{path} was written in full" if replaced else f"nothing was written: {path} is as it was")
            raise
        signals.deliver(f"{path} was written in full")
    return path


def write_file(path: Path | str, data: str | bytes, *, force: bool = False, parents: bool = False,
               mode: int | None = None) -> Path:
    """Write one output file atomically; an existing file is replaced only with `force`.

    `parents`: create the folders it goes in (exports do; a report or a table
    given a folder that does not exist is more likely a typo). `mode`: see
    `write_file_atomic`. Whether `force` may replace what is there (a file
    qualcode wrote, not an input) is the output guard's question
    (`qualcode.base.guard`), asked before the long work.

    Raises:
        OutputError: the path is a link (E442) or a folder (E438), exists
            without `force` (E437), or cannot be written (E438).
    """
    path = Path(path)
    if path.is_symlink():
        raise OutputError(Errors.E442, path=path)
    if path.is_dir():
        raise OutputError(Errors.E438.format(path=path, reason="it is a folder"), path=path)
    if path.exists() and not force:
        raise OutputError(Errors.E437, path=path)
    try:
        if parents and str(path.parent):
            path.parent.mkdir(parents=True, exist_ok=True)
        return write_file_atomic(path, data, mode=mode)
    except OSError as exc:
        raise OutputError(Errors.E438.format(path=path, reason=exc.strerror or exc), path=path) from None


# --- folders ---------------------------------------------------------------------------

def _relative(name: str) -> PurePosixPath:
    """A file name inside a folder: relative, no `..` (the names come from qualcode, this is a guard)."""
    rel = PurePosixPath(name)
    if rel.is_absolute() or not rel.parts or any(part in ("", ".", "..") for part in rel.parts):
        raise ValueError(f"not a relative file name: {name!r}")
    return rel


@dataclass
class StagedFolder:
    """A folder being written beside its target; `commit` swaps it in, `abort` removes it.

    Use `staged_folder`, which commits when its block ends and aborts on any
    exception. `path` may be read while staging (the anonymised copy is read
    back from it before it is committed).
    """

    target: Path
    path: Path
    force: bool
    mode: int
    signals: _Signals
    names: list[str] = field(default_factory=list)
    committed: bool = False
    #: run with the swap, signals held (the anonymisation map is written here: map and copy together)
    before_commit: Callable[[], object] | None = None
    #: what an interruption after the swap says is on disk (default: the folder, written in full)
    written: str = ""

    def write(self, name: str, content: str | bytes) -> Path:
        """Write one file (`name` relative, `/`-separated) into the staged folder."""
        rel = _relative(name)
        target = self.path.joinpath(*rel.parts)
        if len(rel.parts) > 1:
            target.parent.mkdir(parents=True, exist_ok=True)
        payload = content.encode("utf-8") if isinstance(content, str) else content
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(target, flags, 0o666)
        try:
            _write_all(fd, payload, durable=True)
        finally:
            os.close(fd)
        self.names.append(rel.as_posix())
        _step("folder:file")
        return target

    def copy(self, name: str, source: Path) -> None:
        """Copy a file into the staged folder (a link is copied as a link, never followed)."""
        rel = _relative(name)
        target = self.path.joinpath(*rel.parts)
        if len(rel.parts) > 1:
            target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        else:
            shutil.copyfile(source, target, follow_symlinks=False)
            shutil.copymode(source, target, follow_symlinks=False)
        self.names.append(rel.as_posix())
        _step("folder:file")

    def abort(self) -> None:
        _remove(self.path)

    def commit(self) -> None:
        """Swap the staged folder in; `before_commit` runs first, with the swap, signals held."""
        _step("folder:staged")
        os.chmod(self.path, self.mode)
        _sync_folder(self.path)
        with self.signals.held():
            if self.before_commit is not None:
                self.before_commit()
            previous = _swap_in(self.path, self.target, self.force)
            self.committed = True
            _step("folder:swapped")
            if previous is not None:
                _remove(previous)
            _sync_folder(_parent(self.target))
        _step("folder:done")


def _swap_in(staged: Path, out: Path, force: bool) -> Path | None:
    """Put `staged` in the place of `out`; returns where the previous folder now is (None: there was none).

    Exchanged with `out` in one step where the platform allows it, renamed to
    a free name when `out` is missing; else `out` is moved aside, then
    `staged` renamed in (if the process dies between the two, `sweep` puts
    the previous folder back).
    """
    if not os.path.lexists(out):
        try:
            if not _renameat2(staged, out, _NOREPLACE):
                os.rename(staged, out)  # onto a folder made meanwhile: fails unless it is empty
            return None
        except OSError as exc:
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
            if not force:
                raise ResultsError(Errors.E444, path=out) from None
    elif not force:  # it was not there when the write began: another run wrote it meanwhile
        raise ResultsError(Errors.E444, path=out)
    if _renameat2(staged, out, _EXCHANGE):
        return staged
    old = Path(tempfile.mkdtemp(prefix=_sibling_prefix(out, "old"), dir=_parent(out)))
    old.rmdir()
    os.rename(out, old)
    try:
        _step("folder:moved-aside")
        os.rename(staged, out)
    except BaseException:
        os.rename(old, out)  # the previous folder goes back where it was
        raise
    return old


@contextlib.contextmanager
def staged_folder(out: Path | str, *, force: bool = False, mode: int | None = None) -> Iterator[StagedFolder]:
    """Stage a folder beside `out`, and swap it in when the block ends (all of it, or nothing).

    `force` replaces only a folder qualcode wrote (`qualcode.base.paths.folder_is_ours`:
    empty, or holding manifest.json or .qualcode.json), even called from a script.

    Raises:
        ResultsError: `out` exists (without `force`), is a link or a file (E402,
            E442, E403), is not qualcode's (E439), another run wrote it meanwhile
            (E444), or it cannot be written (E802).
        Interrupted: a signal stopped the write; its note says what is on disk.
    """
    out = Path(out)
    if out.is_symlink():
        raise ResultsError(Errors.E442, path=out)
    if out.exists() and not out.is_dir():
        raise ResultsError(Errors.E403, path=out)
    if out.exists() and not force:
        raise ResultsError(Errors.E402, path=out)
    if out.exists() and not folder_is_ours(out):
        raise ResultsError(Errors.E439, path=out)
    parent = _parent(out)
    final_mode = _mode_for(out, mode, folder=True)
    with _Signals() as signals:
        stage: StagedFolder | None = None
        try:
            parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=_sibling_prefix(out, "tmp"), dir=parent))
            stage = StagedFolder(out, tmp, force, final_mode, signals)
            yield stage
            stage.commit()
        except BaseException as exc:
            committed = stage is not None and stage.committed
            if stage is not None:
                stage.abort()  # after the swap, what it removes is the previous folder
            written = (stage.written if stage is not None else "") or f"{out} was written in full"
            _noted(exc, written if committed else f"nothing was written: {out} is as it was")
            if isinstance(exc, OSError) and not committed:
                raise ResultsError(Errors.E802.format(reason=exc.strerror or exc), path=out) from exc
            raise
        signals.deliver(stage.written or f"{out} was written in full")


def write_folder(out: Path | str, files: Mapping[str, str | bytes], *, force: bool = False,
                 mode: int | None = None) -> Path:
    """Write every file into `out` at once: all of them, or none.

    The files are written into a hidden sibling, which then takes the place of
    `out`. Whatever fails (a full disk, a file that cannot be written, an
    interruption), the previous `out` is left as it was and no sibling stays.

    Raises:
        ResultsError: `out` exists (without `force`), is a file or a link (E402,
            E403, E442), or cannot be written (E802).
    """
    with staged_folder(out, force=force, mode=mode) as stage:
        for name in sorted(files):
            stage.write(name, files[name])
    return Path(out)


# --- leftovers ---------------------------------------------------------------------------

def _alive(pid: int | None) -> bool:
    """Whether a process with this id runs (another than this one); None (an old name): no."""
    if pid is None or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def sweep(target: Path | str, *, private: bool = False) -> list[str]:
    """Clean what interrupted writes of `target` left beside it; returns warnings for the user.

    Siblings of processes that still run are left alone (another run is
    writing). When `target` is missing and a previous folder was left aside
    (`.NAME.old-*`), it is put back (W801). `private`: the target is a map,
    and removing a staged copy of it is said (W802).
    """
    target = Path(target)
    parent = _parent(target)
    try:
        entries = sorted(os.scandir(parent), key=lambda e: e.name)
    except OSError:
        return []
    notes: list[str] = []
    found: list[tuple[str, Path]] = []
    for entry in entries:
        match = _SIBLING.match(entry.name)
        legacy = _LEGACY_MAP.match(entry.name) if private and not match else None
        if match is not None and match.group("name") == target.name:
            pid = int(match.group("pid")) if match.group("pid") else None
            if not _alive(pid):
                found.append((match.group("what"), Path(entry.path)))
        elif legacy is not None and legacy.group("name") == target.name:
            found.append(("tmp", Path(entry.path)))
    for what, path in found:
        if what == "old" and not os.path.lexists(target) and path.is_dir() and not path.is_symlink():
            try:
                os.rename(path, target)
                notes.append(Errors.W801.format(target=target, sibling=path.name))
                continue
            except OSError:
                pass
        _remove(path)
        if private:
            notes.append(Errors.W802.format(sibling=path))
    return notes


@contextlib.contextmanager
def scratch_folder(what: str) -> Iterator[Path]:
    """A private folder in the system's temporary folder for the length of a block, then removed.

    Named `qualcode-WHAT-PID-XXXXXXXX`; those that killed runs left behind are
    removed when the next one is made.
    """
    base = Path(tempfile.gettempdir())
    try:
        for entry in os.scandir(base):
            match = _SCRATCH.match(entry.name)
            if match is not None and match.group("what") == what and not _alive(int(match.group("pid"))):
                _remove(Path(entry.path))
    except OSError:
        pass
    folder = Path(tempfile.mkdtemp(prefix=f"qualcode-{what}-{os.getpid()}-"))
    try:
        yield folder
    finally:
        _remove(folder)
