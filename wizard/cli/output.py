"""How the CLI speaks: plain text for people, JSON with --json. Never a traceback."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from wizard.core.errors import ValidationFailed, WizardError
from wizard.core.steps import describe


def emit_json(data: Any, out: TextIO | None = None) -> None:
    print(json.dumps(data, indent=2, default=str, ensure_ascii=False), file=out or sys.stdout)


def warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def info(message: str) -> None:
    print(message, file=sys.stderr)


def report_error(err: WizardError, *, as_json: bool) -> None:
    if as_json:
        emit_json({"ok": False, **err.to_dict()})
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
    print("\n".join(lines), file=sys.stderr)
