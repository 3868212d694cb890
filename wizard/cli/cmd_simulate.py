"""`bnxt-wizard simulate`: the local Visma Connect + Business NXT simulator, in the foreground."""

from __future__ import annotations

import sys

from wizard.cli.options import SimulateOptions
from wizard.core.errors import ValidationFailed


def run_simulate(args: SimulateOptions) -> int:
    from wizard.simulator.cli import main

    if not 0 <= args.port <= 65535:
        raise ValidationFailed(["--port must be 0 (any free port) or 1-65535."])
    argv = ["--port", str(args.port)]
    if args.seed:
        argv += ["--seed", args.seed]
    return main(argv, out=sys.stdout)
