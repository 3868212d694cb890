"""The command table: every command parses into its frozen options, imports only when run."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from wizard.cli import commands
from wizard.cli.commands import COMMANDS, find
from wizard.cli.options import (
    DEFAULT_TIMEOUT,
    CheckOptions,
    CommonOptions,
    InitOptions,
    LoginCommandOptions,
    NetworkOptions,
    from_namespace,
)
from wizard.cli.parser import build_parser

CLI = Path(commands.__file__).parent
# The least each command needs to parse (profiles show needs nothing more either).
ARGV = {command.name: [command.name] for command in COMMANDS}


def _options(argv: list[str]) -> CommonOptions:
    namespace = build_parser().parse_args(argv)
    return from_namespace(find(namespace.command).options, namespace)


@pytest.mark.parametrize("argv", [[], *ARGV.values()], ids=["ui", *ARGV])
def test_every_command_parses_into_its_frozen_options(argv: list[str]) -> None:
    options = _options(argv)
    command = find(argv[0] if argv else None)
    assert type(options) is command.options
    assert options.profile == "default" and options.json is False
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.profile = "other"  # type: ignore[misc]
    assert callable(command.load())


def test_the_table_holds_every_command_and_the_parser_only_those() -> None:
    expected = ["init", "check", "login", "token", "env", "profiles", "rotate", "simulate"]
    assert [c.name for c in COMMANDS] == expected
    listed = build_parser().format_help()
    assert all(f"    {name} " in listed for name in expected)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["ui"])  # the wizard is "no command", not a command


def test_options_from_before_and_after_the_command() -> None:
    before = _options(["--profile", "p", "--json", "check", "--timeout", "5"])
    after = _options(["check", "--profile", "p", "--json", "--timeout", "5"])
    assert before == after
    assert isinstance(before, CheckOptions) and before.timeout == 5.0


def test_repeated_options_become_tuples() -> None:
    init = _options(["init", "--company", "1234567:A", "--company", "7654321:B"])
    assert isinstance(init, InitOptions)
    assert init.company == ("1234567:A", "7654321:B")


def test_network_options_become_client_options_in_one_place() -> None:
    check = _options(["check", "--ca-bundle", "ca.pem", "--timeout", "4"])
    assert isinstance(check, NetworkOptions)
    limits = check.client_options()
    assert limits.ca_bundle == "ca.pem" and limits.total_timeout == 4.0
    assert limits.connect_timeout == 2.0 and limits.read_timeout == pytest.approx(3.2)
    login = _options(["login", "--ca-bundle", "ca.pem", "--timeout", "120"])
    assert isinstance(login, LoginCommandOptions)
    # login's --timeout waits for the browser; its network limits are the default ones
    assert login.client_options().total_timeout == DEFAULT_TIMEOUT
    assert login.client_options().ca_bundle == "ca.pem"


def test_a_field_missing_from_the_parser_is_caught() -> None:
    @dataclasses.dataclass(frozen=True)
    class Broken(CommonOptions):
        not_an_option: bool

    with pytest.raises(AttributeError):
        from_namespace(Broken, build_parser().parse_args(["check"]))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(CLI.glob("cmd_*.py")), ids=lambda p: p.name)
def test_commands_take_options_not_a_namespace_and_not_each_other(path: Path) -> None:
    imported = _imports(path)
    assert "argparse" not in imported, "the Namespace ends in wizard.cli.app"
    others = {m for m in imported if m.startswith("wizard.cli.cmd_")} - {"wizard.cli.cmd_ui"}
    assert not others, f"{path.name} imports another command: {others}"
    assert "getattr(args" not in path.read_text().replace("getattr(args, flag)", "")


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["--version"]])
def test_help_and_version_import_no_command_module(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from wizard.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('wizard.cli.cmd_'))\n"
        "heavy = sorted(m for m in ('httpx', 'pydantic') if m in sys.modules)\n"
        "print('LOADED', loaded, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert "LOADED [] []" in done.stdout, done.stdout + done.stderr
