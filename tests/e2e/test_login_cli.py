"""`init --app-type web`, `check` and `login` as a user runs them, in child processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli_helpers import Result, run_cli
from tests.signin_helpers import cert_file, free_port, web_secret, web_seed
from wizard.core.exitcodes import ExitCode
from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator, browser


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def sim(port: int) -> Iterator[Simulator]:
    with Simulator(web_seed(port)) as running:
        yield running


def init_web(sim: Simulator, config_dir: Path, port: int, secret: str) -> Result:
    return run_cli(
        "init",
        "--non-interactive",
        "--app-type",
        "web",
        "--app-name",
        "Web demo",
        "--client-id",
        DEMO_WEB_CLIENT_ID,
        "--issuer",
        sim.base_url,
        "--graphql-url",
        sim.graphql_url,
        "--port",
        str(port),
        "--secret-stdin",
        "--secret-store",
        "file",
        config_dir=config_dir,
        stdin=secret + "\n",
    )


def start_login(config_dir: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env["BNXT_WIZARD_CONFIG_DIR"] = str(config_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "wizard", "login", "--no-browser", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def stop(proc: subprocess.Popen[str]) -> None:
    """Kill the login if it still runs, and close its pipes: a failed test must not leave open
    files behind for the next test on this worker (ResourceWarning is an error)."""
    proc.kill()
    proc.wait()
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


def read_url(proc: subprocess.Popen[str]) -> tuple[str, list[str]]:
    """Read stderr up to the sign-in URL, which stands on a line of its own."""
    assert proc.stderr is not None
    seen: list[str] = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("https://app.local:"):
            return line.strip(), seen
    raise AssertionError("no sign-in URL printed: " + "".join(seen))


def test_init_web_takes_its_endpoints_from_the_issuer(
    sim: Simulator, config_dir: Path, port: int
) -> None:
    made = init_web(sim, config_dir, port, web_secret(sim).get_secret_value())
    assert made.code == 0, made.err
    shown = run_cli("profiles", "show", "default", "--json", config_dir=config_dir)
    endpoints = json.loads(shown.out)["endpoints"]
    assert endpoints["issuer"] == sim.base_url
    assert endpoints["token_url"] == sim.token_url
    assert endpoints["scope"].split() == [
        "openid",
        "profile",
        "email",
        "offline_access",
        "business-graphql-api:access-group-based",
    ]


def test_issuer_is_for_web_apps_only(sim: Simulator, config_dir: Path) -> None:
    made = run_cli(
        "init", "--non-interactive", "--app-type", "service", "--app-name", "S",
        "--client-id", "isv_s", "--issuer", sim.base_url, "--secret-store", "env",
        config_dir=config_dir,
    )  # fmt: skip
    assert made.code == ExitCode.CONFIG and "--issuer is for web applications only" in made.err


def test_headless_check_proves_the_web_secret(sim: Simulator, config_dir: Path, port: int) -> None:
    assert init_web(sim, config_dir, port, web_secret(sim).get_secret_value()).code == 0
    good = run_cli("check", "--json", config_dir=config_dir)
    assert good.code == 0, good.out
    report = json.loads(good.out)
    assert [s["name"] for s in report["steps"]] == ["client", "graphql"]
    assert "invalid_grant" in report["steps"][0]["detail"]
    text = run_cli("check", config_dir=config_dir)
    assert "Only `bnxt-wizard login` proves the rest" in text.out
    shown = json.loads(run_cli("profiles", "show", "default", "--json", config_dir=config_dir).out)
    assert shown["verified_at"] is None  # verified by a sign-in, not by this check
    wrong = run_cli(
        "check", config_dir=config_dir, env={"BNXT_CLIENT_SECRET": "wrong-secret-value-123"}
    )
    assert wrong.code == ExitCode.CREDENTIALS and "invalid_client" in wrong.out


def test_login_end_to_end_as_json(sim: Simulator, config_dir: Path, port: int) -> None:
    secret = web_secret(sim).get_secret_value()
    assert init_web(sim, config_dir, port, secret).code == 0
    proc = start_login(config_dir, "--json", "--timeout", "60")
    try:
        url, before = read_url(proc)
        assert url == f"https://app.local:{port}/"
        assert any("SHA-256 fingerprint" in line for line in before)
        with browser.client(cert_file(config_dir)) as http:
            landing = browser.sign_in(http, url)
        out, err = proc.communicate(timeout=60)
    finally:
        stop(proc)
    assert "Signed in as" in landing.text
    assert proc.returncode == 0, err
    result = json.loads(out)
    assert result["ok"] is True and result["name"] == "Dana Demo"
    shown = json.loads(run_cli("profiles", "show", "default", "--json", config_dir=config_dir).out)
    assert shown["verified_at"]  # a passing sign-in is recorded, as a passing check is
    assert result["refreshed"] is True and result["companies"]
    assert result["certificate_fingerprint"] in "".join(before)
    for text in (out, err):
        assert secret not in text and "eyJ" not in text
        assert not re.search(r"code=[A-Za-z0-9_-]", text)  # "?code=..." in advice only


def test_login_paste_fallback_and_text_report(sim: Simulator, config_dir: Path, port: int) -> None:
    assert init_web(sim, config_dir, port, web_secret(sim).get_secret_value()).code == 0
    proc = start_login(config_dir, "--no-graphql")
    try:
        url, _ = read_url(proc)
        import httpx

        with browser.client(cert_file(config_dir)) as http:
            authorize = http.get(url, follow_redirects=False).headers["location"]
        with httpx.Client(follow_redirects=True) as plain:  # cannot reach app.local
            ended = browser.sign_in(plain, authorize, follow_back=False)
        out, err = proc.communicate(input=ended.url + "\n", timeout=60)
    finally:
        stop(proc)
    assert proc.returncode == 0, err
    assert "Result: OK" in out and "Signed in:" in out
    assert "- graphql" in out and "--no-graphql" in out


def test_login_times_out_with_exit_7(sim: Simulator, config_dir: Path, port: int) -> None:
    assert init_web(sim, config_dir, port, web_secret(sim).get_secret_value()).code == 0
    timed = run_cli("login", "--no-browser", "--timeout", "1", "--json", config_dir=config_dir)
    assert timed.code == ExitCode.SIGN_IN
    assert json.loads(timed.out)["error"]["title"] == "Sign-in timed out"
    shown = json.loads(run_cli("profiles", "show", "default", "--json", config_dir=config_dir).out)
    assert shown["verified_at"] is None  # a failed sign-in records nothing
    assert f"https://app.local:{port}/\n" in timed.err


def test_login_refuses_a_service_profile(config_dir: Path) -> None:
    made = run_cli(
        "init", "--non-interactive", "--app-type", "service", "--app-name", "S",
        "--client-id", "isv_s", "--company", "5280101:Full access", "--secret-store", "env",
        config_dir=config_dir,
    )  # fmt: skip
    assert made.code == 0, made.err
    refused = run_cli("login", "--no-browser", config_dir=config_dir)
    assert refused.code == ExitCode.CONFIG and "bnxt-wizard check" in refused.err


def test_login_with_missing_cert_files(sim: Simulator, config_dir: Path, port: int) -> None:
    assert init_web(sim, config_dir, port, web_secret(sim).get_secret_value()).code == 0
    missing = run_cli(
        "login", "--no-browser", "--cert", str(config_dir / "nope.crt"), "--key",
        str(config_dir / "nope.key"), config_dir=config_dir,
    )  # fmt: skip
    assert missing.code == ExitCode.CONFIG and "does not exist" in missing.out + missing.err


def test_help_documents_exit_code_7() -> None:
    shown = run_cli("login", "--help", config_dir=Path("unused"))
    assert "7 sign-in failed, refused, cancelled or timed out" in shown.out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX-only")
def test_ctrl_c_cancels_cleanly_with_exit_7(sim: Simulator, config_dir: Path, port: int) -> None:
    import signal

    assert init_web(sim, config_dir, port, web_secret(sim).get_secret_value()).code == 0
    proc = start_login(config_dir, "--timeout", "60")
    try:
        read_url(proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        stop(proc)
    assert proc.returncode == ExitCode.SIGN_IN, err
    assert "Sign-in cancelled" in out and "Traceback" not in err


def test_env_of_a_web_profile_holds_what_the_web_app_needs(
    sim: Simulator, config_dir: Path, port: int
) -> None:
    secret = web_secret(sim).get_secret_value()
    assert init_web(sim, config_dir, port, secret).code == 0
    shown = run_cli("env", "-o", "-", "--format", "json", config_dir=config_dir)
    assert shown.code == 0, shown.err
    values = json.loads(shown.out)
    assert values["BNXT_ISSUER"] == sim.base_url
    assert values["BNXT_REDIRECT_URI"] == f"https://app.local:{port}/signin-oidc"
    assert values["BNXT_SCOPE"].split()[0] == "openid"
    assert "BNXT_SERVICE_SCOPE" not in values  # no Service API integration
