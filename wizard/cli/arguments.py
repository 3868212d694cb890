"""Each command's argparse options, one builder per command (the table names them).

The option names here are the field names of the command's dataclass in
:mod:`wizard.cli.options`; ``tests/unit/test_cli_table.py`` proves every command parses into it.
"""

from __future__ import annotations

import argparse

from wizard.cli.options import DEFAULT_TIMEOUT
from wizard.core.visma import SERVICE_SCOPES


def add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--config-dir, --profile, --json. After a command they are SUPPRESSed, so a value given
    before the command is not overwritten by the subcommand's default."""
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


def add_ca_bundle(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="CA certificates to trust instead of the default bundle (or set SSL_CERT_FILE)",
    )


def add_network(parser: argparse.ArgumentParser) -> None:
    """--ca-bundle and --timeout: the fields of :class:`~wizard.cli.options.NetworkOptions`."""
    add_ca_bundle(parser)
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="total time limit",
    )


def init_arguments(init: argparse.ArgumentParser) -> None:
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


def check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("--no-graphql", action="store_true", help="skip the GraphQL probe")
    add_network(check)


def login_arguments(login: argparse.ArgumentParser) -> None:
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
    add_ca_bundle(login)


def env_arguments(env: argparse.ArgumentParser) -> None:
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


def profiles_arguments(profiles: argparse.ArgumentParser) -> None:
    profiles.add_argument("action", nargs="?", choices=["list", "show", "delete"], default="list")
    profiles.add_argument("name", nargs="?", help="profile name for show / delete")
    profiles.add_argument("--yes", action="store_true", help="delete without asking")


def rotate_arguments(rotate: argparse.ArgumentParser) -> None:
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
    add_network(rotate)


def simulate_arguments(sim: argparse.ArgumentParser) -> None:
    sim.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    sim.add_argument(
        "--seed", metavar="FILE", help="seed JSON file (default: the built-in demo seed)"
    )
