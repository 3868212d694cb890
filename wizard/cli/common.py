"""Small helpers shared by the commands."""

from __future__ import annotations

import sys

from wizard.cli.options import CommonOptions
from wizard.core.errors import ValidationFailed
from wizard.core.profiles import Workspace
from wizard.core.steps import Step

MAX_SECRET_BYTES = 16_384


def workspace(args: CommonOptions) -> Workspace:
    return Workspace.open(args.config_dir)


def read_secret_stdin() -> str:
    """Read one secret from stdin: the first line, without its line ending."""
    if sys.stdin is None or sys.stdin.closed:
        raise ValidationFailed(["--secret-stdin was given but there is no standard input."])
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Client secret (input hidden): ")
    data = sys.stdin.read(MAX_SECRET_BYTES + 1)
    if len(data) > MAX_SECRET_BYTES:
        raise ValidationFailed(
            ["The secret on stdin is far too long; pipe in only the secret."], step=Step.SECRET
        )
    # One line, its line ending optional: "a\nb" is refused exactly as "a\nb\n" is.
    line, _, rest = data.partition("\n")
    line = line.removesuffix("\r")
    if rest.strip():
        raise ValidationFailed(
            ["Standard input holds more than one line; pipe in only the secret."],
            step=Step.SECRET,
        )
    return line
