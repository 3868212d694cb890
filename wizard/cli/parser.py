"""The argparse tree. Kept apart from the commands so `--help` imports nothing heavy."""

from __future__ import annotations

import argparse

from wizard import __version__
from wizard.cli.usage import QuietParser
from wizard.core.visma import SERVICE_SCOPES

EPILOG = """exit codes:
  0 ok                          5 network, TLS or timeout
  1 config missing or invalid   6 GraphQL or User-table problem
  2 usage                       7 sign-in failed, refused, cancelled or timed out
  3 credentials rejected        8 file system: disk full, read-only, no permission
  4 scope / API integration     9 incomplete: a step was not done (see the message)
    not granted               141 output closed early (e.g. piped into head)

Secrets are never accepted as arguments: pipe them in with --secret-stdin or set
BNXT_CLIENT_SECRET."""


def _globals(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--config-dir",
        default=default,
        metavar="DIR",
        help="config folder (default: $BNXT_WIZARD_CONFIG_DIR or the platform's config folder)",
    )
    parser.add_argument(
        "--profile",
        default=argparse.SUPPRESS if suppress else "default",
        metavar="NAME",
        help="profile to use (default: default)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="print structured output as JSON",
    )


def _network(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="CA certificates to trust instead of the default bundle (or set SSL_CERT_FILE)",
    )
    parser.add_argument(
        "--timeout", type=float, default=30.0, metavar="SECONDS", help="total time limit"
    )


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
    _globals(parser, suppress=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _globals(p, suppress=True)
        return p

    init = add("init", "create or update a profile (opens the wizard unless --non-interactive)")
    init.add_argument(
        "--non-interactive", action="store_true", help="no UI: take every value from flags"
    )
    init.add_argument("--app-type", choices=["service", "web"])
    init.add_argument("--app-name", metavar="NAME")
    init.add_argument("--client-id", metavar="ID")
    init.add_argument("--description", metavar="TEXT")
    init.add_argument(
        "--secret-stdin", action="store_true", help="read the client secret from stdin"
    )
    init.add_argument("--secret-store", choices=["keyring", "file", "env"])
    init.add_argument("--token-url", metavar="URL")
    init.add_argument("--authorize-url", metavar="URL")
    init.add_argument(
        "--issuer",
        metavar="URL",
        help="web apps: the Visma Connect whose discovery document gives the endpoints "
        "(default https://connect.visma.com; the token URL follows it unless --token-url)",
    )
    init.add_argument("--jwks-url", metavar="URL", help="web apps: override the discovered one")
    init.add_argument(
        "--end-session-url", metavar="URL", help="web apps: override the discovered one"
    )
    init.add_argument(
        "--service-scope",
        metavar="SCOPE",
        help="web apps with the Service API integration: the client-credentials scope",
    )
    init.add_argument("--graphql-url", metavar="URL")
    init.add_argument(
        "--scope",
        metavar="SCOPE",
        help="a service: the scope its token request asks for (a web app: its sign-in "
        "scopes); a service integration offers "
        + "; ".join(f"{scope} ({allows})" for scope, allows in SERVICE_SCOPES.items())
        + ". Another scope is kept, with a warning",
    )
    init.add_argument("--tenant-id", metavar="ID")
    init.add_argument(
        "--auth", choices=["basic", "post"], help="client authentication (default basic)"
    )
    init.add_argument(
        "--company",
        action="append",
        metavar="NO:GROUP",
        default=None,
        help="a company granted in the User table, by its Visma.net company ID "
        "(vismaNetCompanyId), e.g. 1234567:Admin (repeatable)",
    )
    init.add_argument("--port", metavar="N", help="local development port (web apps)")

    check = add("check", "validate a profile, request a token and probe GraphQL")
    check.add_argument("--no-graphql", action="store_true", help="skip the GraphQL probe")
    _network(check)

    login = add(
        "login", "web apps: sign in through the browser as the registered app, end to end"
    )
    login.add_argument(
        "--no-browser",
        action="store_true",
        help="do not open a browser: print the sign-in address on stderr and wait",
    )
    login.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="how long to wait for the browser (default 300)",
    )
    login.add_argument("--cert", metavar="FILE", help="your own certificate for app.local (PEM)")
    login.add_argument("--key", metavar="FILE", help="the key of --cert (PEM, unencrypted)")
    login.add_argument(
        "--no-graphql", action="store_true", help="skip the GraphQL call with the user's token"
    )
    login.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="CA certificates to trust instead of the default bundle (or set SSL_CERT_FILE)",
    )

    token = add("token", "print an access token (only the token) on stdout")
    _network(token)

    env = add("env", "write the profile's settings and secret for your services")
    env.add_argument(
        "--output",
        "-o",
        default=".env",
        metavar="PATH",
        help="file, or - for stdout (default .env)",
    )
    env.add_argument("--format", choices=["dotenv", "json", "shell"], default="dotenv")
    env.add_argument("--prefix", default="BNXT_", help="variable name prefix (default BNXT_)")
    env.add_argument("--no-secret", action="store_true", help="leave the client secret out")

    profiles = add("profiles", "list profiles, or show or delete one")
    profiles.add_argument("action", nargs="?", choices=["list", "show", "delete"], default="list")
    profiles.add_argument("name", nargs="?", help="profile name for show / delete")
    profiles.add_argument("--yes", action="store_true", help="delete without asking")

    rotate = add(
        "rotate",
        "replace the client secret without downtime (opens the wizard unless --secret-stdin)",
    )
    rotate.add_argument(
        "--secret-stdin", action="store_true", help="read the NEW secret from stdin"
    )
    rotate.add_argument(
        "--finish", action="store_true", help="delete the kept backup of the old secret"
    )
    rotate.add_argument("--rollback", action="store_true", help="put the old secret back")
    rotate.add_argument(
        "--status", action="store_true", help="say where a rotation stands and what continues it"
    )
    rotate.add_argument(
        "--resume", action="store_true", help="continue an interrupted rotation (no input)"
    )
    _network(rotate)

    sim = add("simulate", "run the local Visma Connect + Business NXT simulator")
    sim.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    sim.add_argument(
        "--seed", metavar="FILE", help="seed JSON file (default: the built-in demo seed)"
    )
    return parser
