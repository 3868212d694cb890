"""What each command was asked, as frozen dataclasses: the argparse Namespace ends here.

:func:`from_namespace` copies exactly the fields a dataclass declares out of the parsed
Namespace (a missing one is a bug in the command table, caught by its test) and turns lists
into tuples, so a command receives a typed, immutable value and never an ``argparse.Namespace``.
The options every command shares (:class:`CommonOptions`) and the network ones
(:class:`NetworkOptions`, turned into the core's ``ClientOptions`` in one place) are bases the
commands' options extend. Only the standard library is imported: ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from wizard.core._http import ClientOptions

DEFAULT_TIMEOUT = 30.0  # seconds, total, for each network stage


def client_options(ca_bundle: str | None, timeout: float = DEFAULT_TIMEOUT) -> ClientOptions:
    """The core's HTTP limits from ``--ca-bundle`` and ``--timeout``: the one place they meet."""
    from wizard.core._http import ClientOptions

    total = max(1.0, timeout or DEFAULT_TIMEOUT)  # 0 means the default, as it always has
    return ClientOptions(
        ca_bundle=ca_bundle,
        total_timeout=total,
        connect_timeout=min(5.0, total / 2),
        read_timeout=min(10.0, total * 0.8),
    )


@dataclass(frozen=True)
class CommonOptions:
    """--config-dir, --profile and --json: accepted before or after every command."""

    config_dir: str | None
    profile: str
    json: bool


@dataclass(frozen=True)
class UiOptions(CommonOptions):
    demo: bool  # the top-level --demo: the wizard against the built-in simulator


@dataclass(frozen=True)
class NetworkOptions(CommonOptions):
    """--ca-bundle and --timeout, for the commands that call Visma."""

    ca_bundle: str | None
    timeout: float

    def client_options(self) -> ClientOptions:
        return client_options(self.ca_bundle, self.timeout)


@dataclass(frozen=True)
class InitOptions(CommonOptions):
    demo: bool  # top-level; used when init opens the wizard
    non_interactive: bool
    app_type: Literal["service", "web"] | None
    app_name: str | None
    client_id: str | None
    description: str | None
    secret_stdin: bool
    secret_store: Literal["keyring", "file", "env"] | None
    token_url: str | None
    authorize_url: str | None
    issuer: str | None
    jwks_url: str | None
    end_session_url: str | None
    service_scope: str | None
    graphql_url: str | None
    scope: str | None
    tenant_id: str | None
    auth: Literal["basic", "post"] | None
    company: tuple[str, ...] | None
    port: str | None


@dataclass(frozen=True)
class CheckOptions(NetworkOptions):
    no_graphql: bool


@dataclass(frozen=True)
class TokenOptions(NetworkOptions):
    pass


@dataclass(frozen=True)
class LoginCommandOptions(CommonOptions):
    """`login`: its --timeout is how long to wait for the browser, not a network limit."""

    no_browser: bool
    timeout: float
    cert: str | None
    key: str | None
    no_graphql: bool
    ca_bundle: str | None

    def client_options(self) -> ClientOptions:
        return client_options(self.ca_bundle)


@dataclass(frozen=True)
class EnvOptions(CommonOptions):
    output: str
    format: Literal["dotenv", "json", "shell"]
    prefix: str
    no_secret: bool


@dataclass(frozen=True)
class ProfilesOptions(CommonOptions):
    action: Literal["list", "show", "delete"]
    name: str | None
    yes: bool


@dataclass(frozen=True)
class RotateOptions(NetworkOptions):
    demo: bool  # top-level; used when rotate opens the wizard
    secret_stdin: bool
    finish: bool
    rollback: bool
    status: bool
    resume: bool


@dataclass(frozen=True)
class SimulateOptions(CommonOptions):
    port: int
    seed: str | None


Options = TypeVar("Options", bound=CommonOptions)


def from_namespace(cls: type[Options], namespace: argparse.Namespace) -> Options:
    """``cls`` filled from the parsed arguments: every field it declares, lists as tuples."""
    values: dict[str, Any] = {}
    for field in fields(cls):
        value = getattr(namespace, field.name)
        values[field.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)
