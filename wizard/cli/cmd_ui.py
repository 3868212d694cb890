"""Open the Textual wizard. The only CLI module that reaches for Textual, and only when run."""

from __future__ import annotations

import sys

from wizard.cli.options import CommonOptions, NetworkOptions, UiOptions, client_options
from wizard.core.errors import WizardError
from wizard.core.exitcodes import ExitCode


def run_ui(args: UiOptions) -> int:
    """`bnxt-wizard` with no command (``--demo``: against the built-in simulator)."""
    return open_wizard(args, demo=args.demo)


def open_wizard(args: CommonOptions, start: str = "welcome", *, demo: bool = False) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise WizardError(
            "The interactive wizard needs a terminal.",
            hint="Use the headless commands instead, e.g. `bnxt-wizard init --non-interactive "
            "...`; see `bnxt-wizard --help`.",
            exit_code=ExitCode.USAGE,
        )
    from wizard.launch import launch

    # `rotate --ca-bundle X` opening the UI keeps X; without network options, the defaults
    options = args.client_options() if isinstance(args, NetworkOptions) else client_options(None)
    return launch(
        config_dir=args.config_dir,
        profile=args.profile,
        demo=demo,
        start=start,
        options=options,
    )
