"""Crash-safe file writes and inter-process locks.

A write goes to a temporary file in the same folder, is fsynced, gets its final mode, and
then replaces the target with ``os.replace``: a reader (or a process killed mid-write)
sees the old file or the new one, never half of one.

The temporary file must never be a place a secret can be left where git or a glob picks it
up. Where Linux offers ``O_TMPFILE`` the content is written to a file with no name at all,
which is given one (``linkat`` through ``/proc/self/fd``) only once it is complete, for the
instant before the rename. Elsewhere the temporary name is the target's own name plus
``.bnxt-tmp-XXXXXX`` (``.env.bnxt-tmp-k3j9x2``): an ignore line ``.env*`` covers it. A
writer holds an ``flock`` on its temporary file; the next write of the same target removes
leftovers nobody holds (a killed writer's), and the ``..env.XXXX.tmp`` names older versions
left.

A symlinked target stays a symlink: the write goes atomically to the file it points at.

Portable: ``os.fchmod`` (Windows before Python 3.13), ``O_NOFOLLOW``, ``O_TMPFILE`` and
``fcntl`` are each used only where they exist.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

LOCK_TIMEOUT = 10.0
TMP_MARK = ".bnxt-tmp-"
STALE_SECONDS = 2.0  # a leftover younger than this may be a writer still setting up
_UNCHANGED = "Nothing was changed: the file is as it was before."
# linkat through /proc refused: fall back to a named temporary file
_NO_LINK = frozenset(
    {errno.EXDEV, errno.EPERM, errno.ENOSYS, errno.ENOENT, errno.EOPNOTSUPP, errno.EINVAL}
)


def _flock(fd: int, *, wait: bool) -> bool:
    """An exclusive flock on ``fd``; False when another process holds one (or no fcntl)."""
    try:
        import fcntl
    except ImportError:
        return False
    flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
    try:
        fcntl.flock(fd, flags)
    except OSError:
        return False
    return True


def _set_mode(fd: int, path: Path | None, mode: int) -> None:
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    elif path is not None:
        os.chmod(path, mode)  # Windows: only the read-only flag means anything there


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fsync(fd)


def _temp_name(target: Path) -> Path:
    return target.with_name(f"{target.name}{TMP_MARK}{secrets.token_hex(4)}")


def _link_fd(fd: int, name: Path) -> None:
    """linkat(AT_SYMLINK_FOLLOW) of /proc/self/fd/N: os.link uses linkat (and follows the
    magic link) only when given a directory fd; plain link(2) refuses with EXDEV."""
    proc = os.open("/proc/self/fd", os.O_RDONLY)
    try:
        os.link(str(fd), name, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _named_tmpfile(target: Path, data: bytes, mode: int) -> tuple[int, Path] | None:
    """Linux: write an unnamed file, then name it. None where that is not possible."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not Path("/proc/self/fd").is_dir():
        return None
    try:
        fd = os.open(target.parent, flag | os.O_WRONLY, mode)
    except OSError:
        return None  # file system or kernel without O_TMPFILE
    try:
        _flock(fd, wait=True)
        _set_mode(fd, None, mode)
        _write_all(fd, data)
        tmp = _temp_name(target)
        _link_fd(fd, tmp)
    except OSError as exc:
        os.close(fd)
        if isinstance(exc, FileExistsError) or exc.errno in _NO_LINK:
            return None
        raise
    return fd, tmp


def _named_tempfile(target: Path, data: bytes, mode: int) -> tuple[int, Path]:
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    binary = getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = _temp_name(target)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow | binary, 0o600)
        except FileExistsError:
            continue
        try:
            _flock(fd, wait=True)
            _set_mode(fd, tmp, mode)
            _write_all(fd, data)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return fd, tmp
    raise FileExistsError(f"no free temporary name next to {target}")


def write_target(path: Path) -> Path:
    """The file a write of ``path`` really replaces: a symlink's target, so the link stays."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def atomic_write_text(path: Path, text: str, mode: int = 0o600) -> None:
    """Replace ``path`` with ``text`` (UTF-8, mode ``mode``) in one step.

    Raises :class:`~wizard.core.errors.FileSystemError` for a full disk, a read-only file
    system or a missing permission; the old file is then unchanged.
    """
    from wizard.core.fserrors import raise_for_os_error

    target = write_target(Path(path))
    data = text.encode("utf-8")
    try:
        clean_leftovers(target)
        made = _named_tmpfile(target, data, mode) or _named_tempfile(target, data, mode)
    except OSError as exc:
        raise_for_os_error(exc, target, unchanged=_UNCHANGED)
        raise
    fd, tmp = made
    if os.name == "nt":  # Windows cannot replace a file that is still open
        os.close(fd)
    try:
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise_for_os_error(exc, target, unchanged=_UNCHANGED)
        raise
    finally:
        if os.name != "nt":
            os.close(fd)  # held (and flocked) until the rename: no cleaner takes it
    _fsync_dir(target.parent)


def _leftover_names(target: Path) -> re.Pattern[str]:
    name = re.escape(target.name)
    # ours (".env.bnxt-tmp-1a2b3c4d") and older versions' ("..env.k2j_x9.tmp")
    return re.compile(rf"{name}{re.escape(TMP_MARK)}[0-9a-f]+|\.{name}\.[A-Za-z0-9_]+\.tmp")


def clean_leftovers(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove temporary files of ``target`` that a killed writer left (nobody holds them)."""
    pattern = _leftover_names(target)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    now = time.time() if now is None else now
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_SECONDS:
                continue
            if _held_by_a_writer(path):
                continue
            path.unlink()
            removed.append(path)
    return removed


def _held_by_a_writer(path: Path) -> bool:
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, os.O_RDONLY | nofollow)
    except OSError:
        return True  # cannot look: leave it
    try:
        try:
            import fcntl  # noqa: F401
        except ImportError:
            return False  # no flock here: age alone decides
        return not _flock(fd, wait=False)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path.lock`` while reading-modifying-writing ``path``."""
    from filelock import FileLock, Timeout

    from wizard.core.errors import ConfigError
    from wizard.core.fserrors import raise_for_os_error

    lock = FileLock(str(path) + ".lock", mode=0o600)
    try:
        with lock.acquire(timeout=timeout):
            yield
    except Timeout:
        raise ConfigError(
            f"Another bnxt-wizard is writing {path.name} and did not finish within "
            f"{timeout:.0f} seconds.",
            hint=f"Wait for it to finish, or remove {path}.lock if no other copy is running.",
        ) from None
    except OSError as exc:
        if exc.filename and str(exc.filename).endswith(".lock"):
            raise_for_os_error(exc, Path(str(exc.filename)), action="create the lock file")
        raise
