"""Crash-safe file writes and inter-process locks.

A write goes to a temporary file in the same folder, is fsynced, gets its final mode, and
then replaces the target with ``os.replace``: a reader (or a process killed mid-write)
sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

LOCK_TIMEOUT = 10.0


def atomic_write_text(path: Path, text: str, mode: int = 0o600) -> None:
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


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
