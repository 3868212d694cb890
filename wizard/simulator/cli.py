"""Run the simulator in the foreground (`python -m wizard.simulator`, `bnxt-wizard simulate`)."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TextIO

from pydantic import ValidationError

from wizard.core.exitcodes import ExitCode
from wizard.core.models import describe_validation_error
from wizard.simulator.seed import SimSeed, load_seed
from wizard.simulator.server import BindError, Simulator


def serve_forever(
    port: int = 0,
    host: str = "127.0.0.1",
    seed_path: str | None = None,
    out: TextIO = sys.stdout,
    *,
    stop: threading.Event | None = None,
) -> int:
    """Serve until Ctrl+C (or until ``stop`` is set). Raises :class:`BindError` when the port
    cannot be used, and ``OSError``/``ValueError`` for an unreadable or invalid seed file."""
    return serve(load_seed(seed_path), port, host, out, stop=stop)


def serve(
    seed: SimSeed, port: int, host: str, out: TextIO, *, stop: threading.Event | None = None
) -> int:
    stop = stop or threading.Event()
    with Simulator(seed, host=host, port=port) as sim:
        print(sim.describe(), file=out)
        print("\nPress Ctrl+C to stop.", file=out, flush=True)
        try:
            while not stop.wait(0.2):  # a timed wait lets Ctrl+C through on every platform
                pass
        except KeyboardInterrupt:
            pass
    print("Simulator stopped.", file=out, flush=True)
    return ExitCode.OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m wizard.simulator",
        description="Local stand-in for Visma Connect and the Business NXT GraphQL API.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any free)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--seed", dest="seed_path", help="a seed JSON file (default: built in)")
    return parser


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    err = sys.stderr
    try:
        seed = load_seed(args.seed_path)
    except ValidationError as error:
        problems = "; ".join(describe_validation_error(error)[:3])
        print(f"error: the seed file is invalid: {problems}", file=err)
        return ExitCode.CONFIG
    except (OSError, ValueError) as error:
        print(f"error: cannot read the seed file: {error}", file=err)
        return ExitCode.CONFIG
    try:
        return serve(seed, args.port, args.host, out or sys.stdout)
    except BindError as error:
        print(f"error: {error}", file=err)
        return ExitCode.CONFIG
