"""Dispatch a command line to its command, and turn every failure into a message + exit code."""

from __future__ import annotations

import argparse
import os
import sys

from wizard.cli.output import report_error
from wizard.core.errors import WizardError
from wizard.core.exitcodes import ExitCode

_SECRET_FLAGS = ("--secret", "--client-secret", "--secret=", "--client-secret=")


def _refuse_secret_in_argv(argv: list[str]) -> bool:
    for arg in argv:
        if arg in _SECRET_FLAGS[:2] or arg.startswith(_SECRET_FLAGS[2:]):
            print(
                "error: secrets are never accepted as command-line arguments (other users can "
                "read them in the process list).\n"
                "  what to do: pipe the secret in with --secret-stdin, e.g.\n"
                "    bnxt-wizard init ... --secret-stdin < secret.txt\n"
                "  or set BNXT_CLIENT_SECRET in the environment.",
                file=sys.stderr,
            )
            return True
    return False


def run(argv: list[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if _refuse_secret_in_argv(args_list):
        return ExitCode.USAGE
    from wizard.cli.parser import build_parser

    parser = build_parser()
    args = parser.parse_args(args_list)
    as_json = bool(getattr(args, "json", False))
    try:
        return int(_dispatch(args, parser))
    except WizardError as err:
        report_error(err, as_json=as_json)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("interrupted; nothing more was written.", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, no traceback unless asked for
        if os.environ.get("BNXT_WIZARD_DEBUG"):
            raise
        print(
            f"error: unexpected {type(exc).__name__}. This is a bug in bnxt-wizard.\n"
            "  what to do: run again with BNXT_WIZARD_DEBUG=1 to see the details, and report it.",
            file=sys.stderr,
        )
        return ExitCode.CONFIG


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    command = args.command
    if command is None:
        from wizard.cli.cmd_ui import open_wizard

        return open_wizard(args)
    if command == "init":
        from wizard.cli.cmd_init import run_init

        return run_init(args)
    if command in ("check", "token"):
        from wizard.cli.cmd_check import run_check_command, run_token_command

        return run_check_command(args) if command == "check" else run_token_command(args)
    if command == "login":
        from wizard.cli.cmd_login import run_login

        return run_login(args)
    if command == "env":
        from wizard.cli.cmd_env import run_env

        return run_env(args)
    if command == "profiles":
        from wizard.cli.cmd_profiles import run_profiles

        return run_profiles(args)
    if command == "rotate":
        from wizard.cli.cmd_rotate import run_rotate

        return run_rotate(args)
    if command == "simulate":
        from wizard.cli.cmd_simulate import run_simulate

        return run_simulate(args)
    parser.error(f"unknown command {command!r}")
    return ExitCode.USAGE
