"""The command table: each command's name, help, options and the function that runs it.

As in pip's ``_internal/commands/__init__.py``, a command names its module as a string: the
module is imported only when that command runs, so ``--help`` and ``--version`` load none of
them. Each command receives its own frozen options dataclass (:mod:`wizard.cli.options`),
filled from argparse at the boundary by :func:`wizard.cli.app.run`.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wizard.cli import arguments as a
from wizard.cli import options as o


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: str  # "module:function"; the function takes the options and returns an exit code
    options: type[o.CommonOptions]
    arguments: Callable[[argparse.ArgumentParser], None]

    def load(self) -> Callable[[Any], int]:
        """The command's function, importing its module now."""
        module, _, function = self.run.partition(":")
        found: Callable[[Any], int] = getattr(importlib.import_module(module), function)
        return found


def _none(_parser: argparse.ArgumentParser) -> None:
    """The wizard (no command) takes only the top-level options."""


# With no command, bnxt-wizard opens the interactive wizard.
UI = Command("ui", "open the interactive wizard", "wizard.cli.cmd_ui:run_ui", o.UiOptions, _none)

COMMANDS: tuple[Command, ...] = (
    Command(
        "init",
        "create or update a profile (opens the wizard unless --non-interactive)",
        "wizard.cli.cmd_init:run_init",
        o.InitOptions,
        a.init_arguments,
    ),
    Command(
        "check",
        "validate a profile, request a token and probe GraphQL",
        "wizard.cli.cmd_check:run_check_command",
        o.CheckOptions,
        a.check_arguments,
    ),
    Command(
        "login",
        "web apps: sign in through the browser as the registered app, end to end",
        "wizard.cli.cmd_login:run_login",
        o.LoginCommandOptions,
        a.login_arguments,
    ),
    Command(
        "token",
        "print an access token (only the token) on stdout",
        "wizard.cli.cmd_token:run_token_command",
        o.TokenOptions,
        a.add_network,
    ),
    Command(
        "env",
        "write the profile's settings and secret for your services",
        "wizard.cli.cmd_env:run_env",
        o.EnvOptions,
        a.env_arguments,
    ),
    Command(
        "profiles",
        "list profiles, or show or delete one",
        "wizard.cli.cmd_profiles:run_profiles",
        o.ProfilesOptions,
        a.profiles_arguments,
    ),
    Command(
        "rotate",
        "replace the client secret without downtime (opens the wizard unless --secret-stdin)",
        "wizard.cli.cmd_rotate:run_rotate",
        o.RotateOptions,
        a.rotate_arguments,
    ),
    Command(
        "simulate",
        "run the local Visma Connect + Business NXT simulator",
        "wizard.cli.cmd_simulate:run_simulate",
        o.SimulateOptions,
        a.simulate_arguments,
    ),
)


def find(name: str | None) -> Command:
    """The command called ``name``; the wizard when there is none."""
    if name is None:
        return UI
    return next(c for c in COMMANDS if c.name == name)
