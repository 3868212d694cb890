"""How the CLI speaks: plain text for people, JSON with --json. Never a traceback.

Nothing the CLI prints can steer the terminal: while a command runs, ``sys.stdout`` and
``sys.stderr`` are :class:`SafeStream` wrappers that pass every write through
:func:`wizard.core.text.sanitize` (escape sequences and control characters removed, lines
kept), and JSON output has every string sanitised before it is encoded. The few outputs that
are data for another program (``token``, ``env -o -``) go through :func:`write_payload`,
which still refuses to pass escape or control characters (they never occur in what the
wizard renders: every value is checked before).
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TextIO, cast

from wizard.core.errors import ValidationFailed, WizardError
from wizard.core.steps import describe
from wizard.core.text import sanitize, sanitize_data


class SafeStream:
    """A text stream that sanitises what is written to it (newlines and tabs kept).

    A plain object, not an ``io`` class: an ``io`` object flushes itself when it is garbage
    collected, and by then the stream it wraps may be closed (a test's capture, a closed
    pipe), which Python reports as an "Exception ignored in" warning. The wrapper owns
    nothing: it never closes the stream it wraps.
    """

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(sanitize(text, multiline=True))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    def writable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return bool(getattr(self.inner, "closed", False))

    @property
    def encoding(self) -> str:
        return str(getattr(self.inner, "encoding", "utf-8") or "utf-8")

    @property
    def errors(self) -> str | None:
        return getattr(self.inner, "errors", None)


@contextlib.contextmanager
def safe_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr sanitised for the duration (restored afterwards)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = cast(TextIO, SafeStream(out))
    sys.stderr = cast(TextIO, SafeStream(err))
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def write_payload(text: str) -> None:
    """Data for another program on stdout, byte for byte (it was checked when rendered)."""
    stream = sys.stdout
    inner = stream.inner if isinstance(stream, SafeStream) else stream
    if sanitize(text, multiline=True) != text.replace("\r\n", "\n"):
        raise ValueError("refusing to print control characters")  # a bug, never user data
    inner.write(text)


def emit_json(data: Any, out: TextIO | None = None) -> None:
    text = json.dumps(sanitize_data(data), indent=2, default=str, ensure_ascii=False)
    print(text, file=out or sys.stdout)


def warn(message: str) -> None:
    print(f"warning: {sanitize(message, multiline=True)}", file=sys.stderr)


def info(message: str) -> None:
    print(sanitize(message, multiline=True), file=sys.stderr)


def report_error(err: WizardError, *, as_json: bool) -> None:
    if as_json:
        from wizard.core.results import ErrorInfo

        emit_json({"ok": False, **ErrorInfo.from_error(err).model_dump(mode="json")})
        return
    lines = [f"error: {err.title}"]
    if isinstance(err, ValidationFailed):
        lines += [f"  - {p}" for p in err.problems]
    else:
        lines.append(f"  {err.message}")
    if err.hint:
        lines.append(f"  what to do: {err.hint}")
    if err.step:
        lines.append(f"  step to revisit: {describe(err.step)}")
    print(sanitize("\n".join(lines), multiline=True), file=sys.stderr)
