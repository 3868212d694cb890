"""Operating-system refusals the user can fix, as typed errors (exit code 8).

A full disk, a read-only file system or a missing permission is not a bug: each becomes a
:class:`~wizard.core.errors.FileSystemError` that names the file and says what to do.
Any other ``OSError`` is left alone for the caller to judge.
"""

from __future__ import annotations

import errno
import shlex
from pathlib import Path

from wizard.core.errors import FileSystemError
from wizard.core.text import sanitize

DISK_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
READ_ONLY = frozenset({errno.EROFS})
NO_PERMISSION = frozenset({errno.EACCES, errno.EPERM})
HANDLED = DISK_FULL | READ_ONLY | NO_PERMISSION


def file_system_error(
    exc: OSError, path: Path | str | None = None, *, action: str = "write", unchanged: str = ""
) -> FileSystemError | None:
    """The typed error for ``exc`` (None when it is not one of the fixable kinds).

    ``action`` is the verb ("write", "read", "create"); ``unchanged`` a sentence saying what
    was left as it was (an atomic write leaves the old file in place).
    """
    code = exc.errno
    if code is None or code not in HANDLED:
        return None
    where = Path(path if path is not None else exc.filename or ".")
    shown = sanitize(where)
    folder = shlex.quote(str(where.parent if where.parent != Path() else Path(".")))
    tail = f" {unchanged}" if unchanged else ""
    if code in DISK_FULL:
        return FileSystemError(
            f"Could not {action} {shown}: the disk (or your quota) is full.{tail}",
            title="Disk full",
            hint=f"Free some space (df -h {folder} shows what is left), then run the "
            "command again.",
            errno=code,
        )
    if code in READ_ONLY:
        return FileSystemError(
            f"Could not {action} {shown}: it is on a read-only file system.{tail}",
            title="Read-only file system",
            hint="Choose a writable place (--config-dir DIR for the config, --output PATH for "
            ".env files), or remount that file system read-write.",
            errno=code,
        )
    return FileSystemError(
        f"Could not {action} {shown}: permission denied.{tail}",
        title="No permission",
        hint=f"Check who owns it and its mode (ls -ld {shlex.quote(str(where))} {folder}); "
        "run as the user who owns it, or choose another place (--config-dir, --output).",
        errno=code,
    )


def raise_for_os_error(
    exc: OSError, path: Path | str | None = None, *, action: str = "write", unchanged: str = ""
) -> None:
    """Raise the typed error for ``exc`` if it has one (from None: no OSError chained)."""
    typed = file_system_error(exc, path, action=action, unchanged=unchanged)
    if typed is not None:
        raise typed from None
