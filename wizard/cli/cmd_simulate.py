"""`bnxt-wizard simulate`: the local Visma Connect + Business NXT simulator, in the foreground."""

from __future__ import annotations

import argparse
import sys

from wizard.core.errors import ConfigError, ValidationFailed
from wizard.core.exitcodes import ExitCode


def run_simulate(args: argparse.Namespace) -> int:
    from wizard.simulator.cli import serve_forever

    if not 0 <= args.port <= 65535:
        raise ValidationFailed(["--port must be 0 (any free port) or 1-65535."])
    try:
        return int(
            serve_forever(port=args.port, host="127.0.0.1", seed_path=args.seed, out=sys.stdout)
        )
    except OSError as exc:
        raise ConfigError(
            f"The simulator could not listen on 127.0.0.1:{args.port} ({exc.strerror or exc}).",
            hint="Pick another --port, or leave it out to use any free port.",
            exit_code=ExitCode.NETWORK,
        ) from None
