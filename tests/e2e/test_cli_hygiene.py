"""CLI hygiene: usage errors never echo a value, --json never skips a confirmation, stdin
without a final newline is judged like stdin with one, a closed pipe ends quietly, and
loopback is reached without a proxy (and ``localhost.`` is not loopback)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli
from tests.faults.helpers import SECRET, profile, token_json
from tests.faults.server import FaultServer, Reply
from wizard.cli.usage import scrub
from wizard.core import validation as v
from wizard.core.connect import ClientOptions, request_token

SECRETISH = "S3cr3t-Value-" + "x" * 12


@pytest.mark.parametrize(
    "argv",
    [
        ["init", "--non-interactive", f"--secret-stdin={SECRETISH}"],
        ["init", f"--secre={SECRETISH}"],
        ["init", "--non-interactive", "--secret-stdin", SECRETISH],
        [SECRETISH],
        ["profiles", SECRETISH],
        ["init", "--app-type", SECRETISH],
        ["check", "--timeout", SECRETISH],
        ["rotate", f"--secret-std={SECRETISH}"],
        ["rotate", f"-x={SECRETISH}"],
    ],
)
def test_no_usage_error_echoes_a_value(argv: list[str], tmp_path: Path) -> None:
    result = run_cli(*argv, config_dir=tmp_path / "cfg")
    assert result.code == 2, result.err
    assert SECRETISH not in result.out + result.err
    assert SECRETISH[:8] not in result.err
    assert "error:" in result.err


def test_scrubbed_messages_still_say_what_is_wrong() -> None:
    assert scrub("unrecognized arguments: --secre=abc def") == (
        "unrecognized arguments: --secre (and 1 value not shown)"
    )
    assert scrub("argument --secret-stdin: ignored explicit argument 'abc'") == (
        "argument --secret-stdin: takes no value (leave out the '=...')"
    )
    assert scrub("argument --app-type: invalid choice: 'abc' (choose from 'service', 'web')") == (
        "argument --app-type: invalid choice (choose from 'service', 'web')"
    )
    assert scrub("argument --timeout: invalid float value: 'abc'") == (
        "argument --timeout: invalid float value"
    )


def test_abbreviations_are_not_accepted(tmp_path: Path) -> None:
    """``--no-g`` would once have meant ``--no-graphql``; prefixes can hide a mistyped flag."""
    result = run_cli("check", "--no-g", config_dir=tmp_path / "cfg")
    assert result.code == 2 and "--no-g" in result.err


def _init(config: Path, name: str = "dev") -> None:
    result = run_cli(
        "init", "--non-interactive", "--profile", name, "--app-type", "web", "--app-name", "x",
        "--client-id", "isv_x", "--secret-stdin", "--secret-store", "file", "--port", "5001",
        config_dir=config, stdin="s" * 30 + "\n",
    )  # fmt: skip
    assert result.code == 0, result.err


def test_json_never_skips_the_delete_confirmation(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    _init(config)
    refused = run_cli("--json", "profiles", "delete", "dev", config_dir=config)
    assert refused.code == 1 and "--yes" in refused.out
    assert "dev" in run_cli("profiles", config_dir=config).out
    done = run_cli("--json", "profiles", "delete", "dev", "--yes", config_dir=config)
    assert done.code == 0 and '"deleted": "dev"' in done.out


@pytest.mark.parametrize("stdin", ["a-secret-value\nb", "a-secret-value\nb\n", "x\r\ny"])
def test_two_lines_on_stdin_are_refused_with_or_without_the_final_newline(
    tmp_path: Path, stdin: str
) -> None:
    result = run_cli(
        "init", "--non-interactive", "--app-type", "web", "--app-name", "x", "--client-id",
        "isv_x", "--secret-stdin", "--secret-store", "file", "--port", "5001",
        config_dir=tmp_path / "cfg", stdin=stdin,
    )  # fmt: skip
    assert result.code == 1 and "more than one line" in result.err


def test_a_closed_pipe_ends_quietly_with_141(tmp_path: Path) -> None:
    """`bnxt-wizard profiles | true`: the reader is gone before we write."""
    config = tmp_path / "cfg"
    for n in range(3):
        _init(config, f"p{n}")
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE
    env = {**os.environ, "BNXT_WIZARD_CONFIG_DIR": str(config)}
    env.pop("BNXT_CLIENT_SECRET", None)
    proc = subprocess.run(
        [sys.executable, "-m", "wizard", "profiles"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,
        check=False,
    )
    os.close(write_end)
    assert proc.returncode == 141
    assert proc.stderr == b""  # no "This is a bug", no "Exception ignored"


def test_localhost_with_a_root_dot_is_not_loopback() -> None:
    assert v.check_endpoint_url("http://localhost:8080/connect/token") == []
    assert v.check_endpoint_url("http://localhost.:8080/connect/token")
    assert v.check_portal_uri("https://localhost./")  # still refused by the portal rule
    assert not v.is_loopback_host("localhost.")
    assert v.is_loopback_host("127.0.0.2") and v.is_loopback_host("::ffff:127.0.0.1")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_never_reached_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    """HTTP_PROXY would receive the plain-http request, Basic credentials and all."""
    with FaultServer(Reply(body=token_json())) as target, FaultServer(Reply(status=502)) as proxy:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "HTTPS_PROXY"):
            monkeypatch.setenv(name, proxy.url())
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        options = ClientOptions(total_timeout=5, max_retries=0)
        token = asyncio.run(
            request_token(profile(target.url("/connect/token", host=host)), SECRET, options=options)
        )
    assert token.token_type.lower() == "bearer"
    assert proxy.seen == [] and len(target.seen) == 1
