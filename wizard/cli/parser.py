"""The argparse tree, built from the command table. `--help` imports no command module."""

from __future__ import annotations

import argparse

from wizard import __version__
from wizard.cli.arguments import add_common
from wizard.cli.commands import COMMANDS
from wizard.cli.usage import QuietParser

EPILOG = """exit codes:
  0 ok                          5 network, TLS or timeout
  1 config missing or invalid   6 GraphQL or User-table problem
  2 usage                       7 sign-in failed, refused, cancelled or timed out
  3 credentials rejected        8 file system: disk full, read-only, no permission
  4 scope / API integration     9 incomplete: a step was not done (see the message)
    not granted               141 output closed early (e.g. piped into head)

Secrets are never accepted as arguments: pipe them in with --secret-stdin or set
BNXT_CLIENT_SECRET."""


def build_parser() -> argparse.ArgumentParser:
    parser = QuietParser(
        prog="bnxt-wizard",
        description="Register, verify and maintain Visma Business NXT API applications. "
        "With no command, opens the interactive wizard.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"bnxt-wizard {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the wizard against a built-in simulator with a throwaway config folder",
    )
    add_common(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        p = sub.add_parser(
            command.name,
            help=command.help,
            description=command.help,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add_common(p, suppress=True)
        command.arguments(p)
    return parser
