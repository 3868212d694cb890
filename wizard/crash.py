"""What the wizard does when a bug crashes it: a short message and a redacted log, never a
Rich traceback with local variables (they can hold a plaintext secret).

Textual 8.2.8 has no public hook for unhandled exceptions: ``App._handle_exception`` and
``App._fatal_error`` are private. What it does is public enough to use: it renders
``rich.traceback.Traceback(show_locals=True)`` and prints it at shutdown through
``App.error_console`` (a public attribute), and it rings ``App.bell()`` while the exception
is still being handled. So the app (``wizard.app.WizardApp``) gives Textual an
``error_console`` that writes into a :class:`CrashSink` (memory, never the terminal, never a
file: that text holds the locals), and notes ``sys.exc_info()`` in ``bell()``. After the
app has ended, :func:`write_crash_log` writes the exception with its plain traceback (file,
line and code; no locals), every known secret redacted and every line sanitised, to a 0600
file, and :func:`crash_message` says where it is.
"""

from __future__ import annotations

import io
import os
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from wizard.core.text import redact, sanitize

LOG_PREFIX = "crash-"
MIN_REDACTED = 8


class CrashSink(io.StringIO):
    """Where Textual's error console writes: kept in memory only to know a crash happened."""

    @property
    def crashed(self) -> bool:
        return bool(self.getvalue())

    def isatty(self) -> bool:
        return False


def _log_folder(preferred: Path | None) -> Path:
    if preferred is not None and preferred.is_dir() and os.access(preferred, os.W_OK):
        return preferred
    return Path(tempfile.gettempdir())


def describe_exception(error: BaseException | None, sensitive: tuple[str, ...]) -> str:
    """The exception and its traceback without locals, secrets redacted, lines sanitised."""
    if error is None:
        return "The exception itself was not captured (Textual ended the app first).\n"
    text = "".join(traceback.format_exception(error))
    lines = (sanitize(redact(line, sensitive)) for line in text.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def write_crash_log(
    error: BaseException | None, sensitive: tuple[str, ...], folder: Path | None
) -> Path:
    """A new 0600 file in ``folder`` (else the temp folder) with the redacted details."""
    from wizard import __version__

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    where = _log_folder(folder)
    fd, name = tempfile.mkstemp(prefix=f"{LOG_PREFIX}{stamp}-", suffix=".log", dir=where)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp: 0600, ours alone
        fh.write(f"bnxt-wizard {__version__} crashed at {stamp}. Secrets are redacted.\n\n")
        fh.write(describe_exception(error, sensitive))
    return Path(name)


def secrets_in(error: BaseException | None) -> tuple[str, ...]:
    """Every SecretStr, and every string of 8 or more characters, held in a local variable
    of the failing frames: the exception's message is shown with all of them redacted."""
    found: list[str] = []
    current = error
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for frame, _line in traceback.walk_tb(current.__traceback__):
            for value in list(frame.f_locals.values()):
                reveal = getattr(value, "get_secret_value", None)
                secret = reveal() if callable(reveal) else value
                # Any longer string a frame held may be a secret unwrapped for a moment.
                if isinstance(secret, str) and len(secret) >= MIN_REDACTED:
                    found.append(secret)
        current = current.__cause__ or current.__context__
    return tuple(found)


def crash_message(log: Path) -> str:
    return (
        "bnxt-wizard stopped on an unexpected error. This is a bug in bnxt-wizard.\n"
        "  Your progress up to the last step is saved as a draft.\n"
        f"  Details (no secrets, no values): {sanitize(log)}\n"
        "  what to do: run bnxt-wizard again to resume, and report the bug with that file."
    )
