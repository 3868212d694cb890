"""Open the Textual wizard. The only CLI module that reaches for Textual, and only when run."""

from __future__ import annotations

import argparse
import sys

from wizard.core.errors import WizardError
from wizard.core.exitcodes import ExitCode


def open_wizard(args: argparse.Namespace, start: str = "welcome") -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise WizardError(
            "The interactive wizard needs a terminal.",
            hint="Use the headless commands instead, e.g. `bnxt-wizard init --non-interactive "
            "...`; see `bnxt-wizard --help`.",
            exit_code=ExitCode.USAGE,
        )
    from wizard.cli.cmd_check import client_options
    from wizard.launch import launch

    return launch(
        config_dir=getattr(args, "config_dir", None),
        profile=getattr(args, "profile", "default"),
        demo=bool(getattr(args, "demo", False)),
        start=start,
        options=client_options(args),  # `rotate --ca-bundle X` opening the UI keeps X
    )
