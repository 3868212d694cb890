"""The headless CLI end to end: a real child process against the real simulator on loopback."""

from __future__ import annotations

import json
import socket
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_helpers import Result, init_service, run_cli
from wizard.simulator import DEMO_CLIENT_ID, DEMO_NEXT_SECRET, DEMO_SECRET, Simulator, load_seed


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


Init = Callable[..., Result]


@pytest.fixture
def init(sim: Simulator, config_dir: Path) -> Init:
    """`bnxt-wizard init` for a service on the simulator (the demo client unless told)."""

    def run(client_id: str = DEMO_CLIENT_ID, secret: str = DEMO_SECRET, **kw: Any) -> Result:
        return init_service(
            sim.token_url,
            sim.graphql_service_url,
            config_dir=config_dir,
            client_id=client_id,
            secret=secret,
            **kw,
        )

    return run


def secret_of(client_id: str) -> str:
    client = next(c for c in load_seed().clients if c.client_id == client_id)
    return client.secrets[0].get_secret_value()


def test_correct_profile_checks_green(init: Init, config_dir: Path) -> None:
    r = init()
    assert r.code == 0, r.err
    assert DEMO_SECRET not in r.out + r.err
    r = run_cli("check", config_dir=config_dir)
    assert r.code == 0, r.out + r.err
    assert "5280101" in r.out and "5280102" in r.out
    assert DEMO_SECRET not in r.out + r.err
    r = run_cli("check", "--json", config_dir=config_dir)
    data = json.loads(r.out)
    assert data["ok"] is True and data["exit_code"] == 0
    assert {c["company_no"] for c in data["companies_reached"]} == {5280101, 5280102}
    assert DEMO_SECRET not in r.out
    shown = run_cli("profiles", "show", "default", "--json", config_dir=config_dir)
    assert json.loads(shown.out)["verified_at"]


def test_config_and_secret_files_are_private(init: Init, config_dir: Path) -> None:
    init()
    config = config_dir / "config.toml"
    secrets_file = config_dir / "secrets.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert DEMO_SECRET not in config.read_text()
    listing = run_cli("profiles", config_dir=config_dir)
    assert "plaintext" in listing.out


def test_an_environment_secret_says_it_overrides_the_stored_one(
    init: Init, config_dir: Path
) -> None:
    init()
    env = {"BNXT_CLIENT_SECRET": "wrong-but-set-1234"}
    r = run_cli("check", "--no-graphql", config_dir=config_dir, env=env)
    assert r.code == 3  # the variable was used, not the stored (right) secret
    assert "BNXT_CLIENT_SECRET is set: it is used instead of the secret stored" in r.err
    assert "is stored in a" not in r.err  # no warning about a stored copy it did not use
    assert "Note: BNXT_CLIENT_SECRET is set" in r.out + r.err  # and in the refusal's hint
    shown = run_cli("profiles", "show", "default", config_dir=config_dir, env=env)
    assert "BNXT_CLIENT_SECRET is set" in shown.out
    listing = run_cli("profiles", config_dir=config_dir, env=env)
    assert "overridden: BNXT_CLIENT_SECRET is set" in listing.out
    assert "overridden" not in run_cli("profiles", config_dir=config_dir).out


def test_wrong_secret_exits_3_with_explanation(init: Init, config_dir: Path) -> None:
    r = init(
        client_id=DEMO_CLIENT_ID,
        secret="not-the-right-secret-123",
    )
    assert r.code == 0, r.err
    r = run_cli("check", config_dir=config_dir)
    assert r.code == 3, r.out + r.err
    text = r.out + r.err
    assert "invalid_client" in text
    assert "approved" in text.lower()
    assert "not-the-right-secret-123" not in text


def test_missing_integration_exits_4(init: Init, config_dir: Path) -> None:
    init(
        client_id="isv_no_integration",
        secret=secret_of("isv_no_integration"),
    )
    r = run_cli("check", config_dir=config_dir)
    assert r.code == 4, r.out + r.err
    assert "Business NXT GraphQL Service API" in r.out + r.err


def test_wrong_scope_exits_4(init: Init, config_dir: Path) -> None:
    init(
        extra=("--scope", "business-graphql-api:access-group-based"),
    )
    r = run_cli("check", "--json", config_dir=config_dir)
    assert r.code == 4
    assert json.loads(r.out)["error"]["step"] == "integration"


def test_the_read_only_service_scope_is_a_choice(init: Init, config_dir: Path) -> None:
    readonly = "business-graphql-service-api:access-group-based-readonly"
    r = init(
        client_id="isv_readonly_app",
        secret=secret_of("isv_readonly_app"),
        companies=("5280102:Read only",),
        extra=("--scope", readonly),
    )
    assert r.code == 0 and "scope" not in r.err
    r = run_cli("check", "--json", config_dir=config_dir)
    assert r.code == 0, r.out + r.err
    assert json.loads(r.out)["token"]["scope"] == readonly


def test_an_undocumented_scope_is_kept_with_a_warning(init: Init, config_dir: Path) -> None:
    r = init(extra=("--scope", "business-graphql-service-api:everything"))
    assert r.code == 0, r.err
    assert "warning: Not among the scopes Visma documents for Business NXT" in r.err
    assert "business-graphql-service-api:access-group-based-readonly" in r.err
    shown = run_cli("profiles", "show", "default", "--json", config_dir=config_dir)
    assert "business-graphql-service-api:everything" in shown.out


def test_a_short_company_number_is_refused_with_the_reason(init: Init, config_dir: Path) -> None:
    r = init(companies=("1001:Full access",))
    assert r.code == 1
    assert "Too short to be a Visma.net company ID (1001)" in r.err
    assert "useCompany(no:)" in r.err


def test_company_missing_from_user_table_exits_6_naming_it(init: Init, config_dir: Path) -> None:
    init(
        companies=("5280101:Full access", "5199203:Sales"),
    )
    r = run_cli("check", config_dir=config_dir)
    assert r.code == 6, r.out + r.err
    assert "5199203" in r.out + r.err
    assert DEMO_CLIENT_ID in r.out + r.err
    assert "Reachable now: 5280101 Nordlys Bakeri AS; 5280102 Nordlys Bakeri Bergen AS" in r.out


def test_no_user_table_row_exits_6(init: Init, config_dir: Path) -> None:
    init(
        client_id="isv_no_user_row",
        secret=secret_of("isv_no_user_row"),
        companies=("5280101:Full access",),
    )
    r = run_cli("check", config_dir=config_dir)
    assert r.code == 6, r.out + r.err
    assert "User table" in r.out + r.err


def test_simulator_down_exits_5_quickly(config_dir: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    init_service(
        f"{url}/connect/token",
        f"{url}/api/graphql-service",
        config_dir=config_dir,
        client_id=DEMO_CLIENT_ID,
        secret=DEMO_SECRET,
    )
    start = time.monotonic()
    r = run_cli("check", "--timeout", "10", config_dir=config_dir)
    assert r.code == 5, r.out + r.err
    assert time.monotonic() - start < 10
    assert "127.0.0.1" in r.out + r.err


def test_token_prints_only_the_token(init: Init, config_dir: Path) -> None:
    init()
    r = run_cli("token", config_dir=config_dir)
    assert r.code == 0, r.err
    token = r.out.strip()
    assert token.count(".") == 2 and "\n" not in token
    assert r.err == ""


def test_env_override_secret(init: Init, config_dir: Path) -> None:
    init(
        client_id=DEMO_CLIENT_ID,
        secret="stale-secret-value",
    )
    r = run_cli(
        "check", "--no-graphql", config_dir=config_dir, env={"BNXT_CLIENT_SECRET": DEMO_NEXT_SECRET}
    )
    assert r.code == 0, r.out + r.err
    assert "BNXT_CLIENT_SECRET" in r.out


def test_env_command_writes_dotenv(
    sim: Simulator, init: Init, config_dir: Path, tmp_path: Path
) -> None:
    from dotenv import dotenv_values

    init()
    target = tmp_path / "svc" / ".env"
    target.parent.mkdir()
    target.write_text("# mine\nOTHER=1\n")
    r = run_cli("env", "--output", str(target), config_dir=config_dir)
    assert r.code == 0, r.err
    values = dotenv_values(target)
    assert values["OTHER"] == "1"
    assert values["BNXT_CLIENT_SECRET"] == DEMO_SECRET
    assert values["BNXT_CLIENT_ID"] == DEMO_CLIENT_ID
    assert values["BNXT_TOKEN_URL"] == sim.token_url
    assert target.read_text().startswith("# mine\nOTHER=1\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert DEMO_SECRET not in r.out + r.err


def test_rotation_headless(init: Init, config_dir: Path, tmp_path: Path) -> None:
    from dotenv import dotenv_values

    init()
    env_file = tmp_path / ".env"
    assert run_cli("env", "-o", str(env_file), config_dir=config_dir).code == 0
    bad = run_cli("rotate", "--secret-stdin", config_dir=config_dir, stdin="wrong-new-secret\n")
    assert bad.code == 3
    assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == DEMO_SECRET
    assert run_cli("check", "--no-graphql", config_dir=config_dir).code == 0
    r = run_cli("rotate", "--secret-stdin", config_dir=config_dir, stdin=DEMO_NEXT_SECRET + "\n")
    assert r.code == 0, r.out + r.err
    assert "Delete the OLD secret" in r.out
    assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == DEMO_NEXT_SECRET
    secrets_text = (config_dir / "secrets.toml").read_text()
    assert DEMO_SECRET in secrets_text  # the backup, until --finish
    assert run_cli("check", "--no-graphql", config_dir=config_dir).code == 0
    assert run_cli("rotate", "--finish", config_dir=config_dir).code == 0
    assert DEMO_SECRET not in (config_dir / "secrets.toml").read_text()


def test_secret_as_argument_is_refused(config_dir: Path) -> None:
    r = run_cli("init", "--non-interactive", "--secret", "abc", config_dir=config_dir)
    assert r.code == 2
    assert "--secret-stdin" in r.err
    assert "abc" not in r.err


def test_bad_input_lists_every_problem(config_dir: Path) -> None:
    r = run_cli(
        "init",
        "--non-interactive",
        "--app-type",
        "service",
        "--app-name",
        "x",
        "--client-id",
        "isv_this_is_far_too_long_for_bnxt",
        "--company",
        "0:",
        "--token-url",
        "http://example.com/token",
        "--secret-stdin",
        "--secret-store",
        "file",
        config_dir=config_dir,
        stdin="s3cret\n",
    )
    assert r.code == 1
    assert "Traceback" not in r.err
    assert "24" in r.err and "https" in r.err and "company" in r.err.lower()
    assert not (config_dir / "config.toml").exists()


def test_a_service_without_a_company_is_refused_as_in_the_wizard(config_dir: Path) -> None:
    r = run_cli(
        "init",
        "--non-interactive",
        "--app-type",
        "service",
        "--app-name",
        "x",
        "--client-id",
        "isv_ok",
        "--secret-stdin",
        "--secret-store",
        "file",
        config_dir=config_dir,
        stdin="S3cr3t-v4lue\n",
    )
    assert r.code == 1
    assert "--company" in r.err and "Traceback" not in r.err
    assert not (config_dir / "config.toml").exists()


def test_no_keyring_non_interactive_names_the_choices(config_dir: Path) -> None:
    r = run_cli(
        "init",
        "--non-interactive",
        "--app-type",
        "service",
        "--app-name",
        "x",
        "--client-id",
        "isv_ok",
        "--company",
        "5280101:Admin",
        "--secret-stdin",
        config_dir=config_dir,
        stdin="abc\n",
    )
    assert r.code == 1
    assert "--secret-store file" in r.err and "--secret-store env" in r.err
    assert not (config_dir / "secrets.toml").exists()


def test_broken_config_names_the_line_and_is_kept(config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    broken = "schema_version = 1\n[profiles.default]\napp_type = \n"
    (config_dir / "config.toml").write_text(broken)
    r = run_cli("profiles", config_dir=config_dir)
    assert r.code == 1
    assert "line 3" in r.err
    assert "Traceback" not in r.err
    r = run_cli(
        "init",
        "--non-interactive",
        "--app-type",
        "service",
        "--app-name",
        "x",
        "--client-id",
        "isv_ok",
        "--secret-stdin",
        "--secret-store",
        "file",
        config_dir=config_dir,
        stdin="abc\n",
    )
    assert r.code == 1
    assert (config_dir / "config.toml").read_text() == broken


def test_profiles_delete_removes_secret(init: Init, config_dir: Path) -> None:
    init(
        profile="dev",
    )
    r = run_cli("profiles", "delete", "dev", "--yes", config_dir=config_dir)
    assert r.code == 0, r.err
    assert DEMO_SECRET not in (config_dir / "secrets.toml").read_text()
    assert run_cli("profiles", "show", "dev", config_dir=config_dir).code == 1


def test_missing_profile_exit_1(config_dir: Path) -> None:
    r = run_cli("check", "--profile", "nope", config_dir=config_dir)
    assert r.code == 1
    assert "nope" in r.err


def test_usage_error_exit_2(config_dir: Path) -> None:
    assert run_cli("frobnicate", config_dir=config_dir).code == 2


def test_headless_commands_do_not_import_textual(config_dir: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, runpy\n"
        "sys.argv = ['bnxt-wizard', 'profiles']\n"
        "from wizard.cli import main\n"
        "rc = main(['profiles'])\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
        "print('clean', rc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"BNXT_WIZARD_CONFIG_DIR": str(config_dir), "PATH": "/usr/bin:/bin"},
        timeout=30,
    )
    assert "clean 0" in out.stdout, out.stderr


def test_second_rotation_before_finish_is_refused(init: Init, config_dir: Path) -> None:
    init()
    assert (
        run_cli(
            "rotate", "--secret-stdin", config_dir=config_dir, stdin=DEMO_NEXT_SECRET + "\n"
        ).code
        == 0
    )
    again = run_cli("rotate", "--secret-stdin", config_dir=config_dir, stdin="another\n")
    assert again.code == 1
    assert "--finish" in again.err and "--rollback" in again.err
    assert DEMO_SECRET in (config_dir / "secrets.toml").read_text()  # the backup survived


def test_rollback_restores_old_secret_and_rewrites_env(
    init: Init, config_dir: Path, tmp_path: Path
) -> None:
    from dotenv import dotenv_values

    init()
    env_file = tmp_path / ".env"
    assert run_cli("env", "-o", str(env_file), config_dir=config_dir).code == 0
    assert (
        run_cli(
            "rotate", "--secret-stdin", config_dir=config_dir, stdin=DEMO_NEXT_SECRET + "\n"
        ).code
        == 0
    )
    assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == DEMO_NEXT_SECRET
    r = run_cli("rotate", "--rollback", config_dir=config_dir)
    assert r.code == 0, r.err
    assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == DEMO_SECRET
    assert "BNXT_CLIENT_SECRET" not in r.out and DEMO_SECRET not in r.out
