"""`login`'s core end to end: the real HTTPS listener, the simulator, a script as the browser.

No hosts file and no real browser: the script reaches https://app.local:PORT on 127.0.0.1 with
Host and SNI app.local, trusting the certificate the run made.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.signin_helpers import (
    cert_file,
    free_port,
    play_demo,
    run_login,
    web_profile,
    web_secret,
    web_seed,
)
from wizard.core.exitcodes import ExitCode
from wizard.core.oidc import pkce
from wizard.core.oidc.login import LoginSession
from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator, browser
from wizard.simulator.browser import Landing


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def sim(port: int) -> Iterator[Simulator]:
    with Simulator(web_seed(port)) as running:
        yield running


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "config"


def demo_companies(sim: Simulator, username: str = "demo") -> list[int]:
    person = sim.seed.person(username)
    assert person is not None
    return [c.company_id for c in sim.seed.companies if c.customer_id in person.customers]


async def test_sign_in_end_to_end(sim: Simulator, folder: Path, port: int) -> None:
    run = await run_login(sim, folder, port, play_demo(folder))
    result = run.result
    assert result.ok and result.exit_code == 0, result.error
    assert [s.name for s in result.stages] == [
        "hosts",
        "discovery",
        "certificate",
        "listener",
        "sign-in",
        "exchange",
        "id_token",
        "refresh",
        "graphql",
    ]
    person = sim.seed.person("demo")
    assert person is not None
    assert (result.subject, result.name, result.email) == (person.sub, person.name, person.email)
    assert result.issuer == sim.base_url
    assert {"openid", "offline_access"} <= set(result.scopes)
    assert result.refresh_token and result.refreshed
    assert result.access_token_expires_in == sim.token_lifetime
    # Only the signed-in user's companies, not every company of the simulator.
    reached = [c.number for c in result.companies]
    assert reached == demo_companies(sim) and len(reached) < len(sim.seed.companies)
    assert run.landing is not None and run.landing.status == 200
    assert "Signed in as Dana Demo" in run.landing.text
    assert run.landing.url.startswith(f"https://app.local:{port}/signin-oidc?code=")
    dumped = json.dumps(result.to_json_dict())
    assert web_secret(sim).get_secret_value() not in dumped
    assert "eyJ" not in dumped  # no JWT (access or ID token) anywhere
    assert not re.search(r"code=[A-Za-z0-9_-]", dumped)
    cert = cert_file(folder)
    assert (folder / "tls" / "app.local.key").stat().st_mode & 0o777 == 0o600
    assert cert.is_file()
    [url_event] = [e for e in run.events if e.kind == "url"]
    assert url_event.url == f"https://app.local:{port}/"


async def test_a_second_run_reuses_the_certificate(sim: Simulator, folder: Path, port: int) -> None:
    first = await run_login(sim, folder, port, play_demo(folder))
    kept = cert_file(folder).read_bytes()
    second = await run_login(sim, folder, port, play_demo(folder))
    assert first.result.ok and second.result.ok
    assert cert_file(folder).read_bytes() == kept


async def test_tampered_state_is_refused(sim: Simulator, folder: Path, port: int) -> None:
    seen: list[LoginSession] = []

    def play(_url: str) -> Landing:
        authorize = seen[0].authorize_url.replace(f"state={seen[0].state}", "state=forged")
        with browser.client(cert_file(folder)) as http:
            return browser.sign_in(http, authorize)

    run = await run_login(sim, folder, port, play, after_url=seen.append)
    assert run.result.exit_code == ExitCode.SIGN_IN
    assert run.result.error is not None and "state" in run.result.error.message
    assert run.stage("sign-in")["ok"] is False
    assert run.landing is not None and run.landing.status == 400
    assert "state this sign-in did not send" in run.landing.text


async def test_access_denied_is_explained(sim: Simulator, folder: Path, port: int) -> None:
    run = await run_login(sim, folder, port, play_demo(folder, allow=False))
    assert run.result.exit_code == ExitCode.SIGN_IN
    assert run.result.error is not None
    assert run.result.error.title == "Sign-in refused: access_denied"
    assert "declined or cancelled" in run.result.error.message
    assert run.landing is not None and run.landing.status == 400
    assert "access_denied" in run.landing.text


async def test_wrong_secret_at_the_exchange_is_exit_3(
    sim: Simulator, folder: Path, port: int
) -> None:
    from pydantic import SecretStr

    wrong = SecretStr("not-the-secret-" + "x" * 20)
    run = await run_login(sim, folder, port, play_demo(folder), secret=wrong)
    assert run.result.exit_code == ExitCode.CREDENTIALS
    assert run.stage("exchange")["ok"] is False
    assert "invalid_client" in run.stage("exchange")["detail"]
    assert run.landing is not None and run.landing.status == 400
    assert wrong.get_secret_value() not in json.dumps(run.result.to_json_dict())


async def test_wrong_verifier_is_refused(sim: Simulator, folder: Path, port: int) -> None:
    def swap_verifier(session: LoginSession) -> None:
        session.verifier = pkce.new_verifier()  # not the one the challenge was made from

    run = await run_login(sim, folder, port, play_demo(folder), after_url=swap_verifier)
    assert run.result.exit_code == ExitCode.SIGN_IN
    assert "invalid_grant" in run.stage("exchange")["detail"]


async def test_unregistered_redirect_uri_never_reaches_the_app(
    sim: Simulator, folder: Path
) -> None:
    other = free_port()  # the profile's port differs from the registered redirect URI
    seen: list[LoginSession] = []

    def play(url: str) -> Landing:
        with browser.client(cert_file(folder)) as http:
            landing = http.get(url)
        seen[0].cancel()
        return Landing(str(landing.url), landing.status_code, landing.text)

    run = await run_login(sim, folder, other, play, after_url=seen.append)
    assert run.landing is not None and run.landing.status == 400
    assert "is not registered" in run.landing.text
    assert run.landing.url.startswith(sim.authorize_url)
    assert run.result.exit_code == ExitCode.SIGN_IN
    assert run.result.error is not None and run.result.error.title == "Sign-in cancelled"


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("aud", "issued for another client"),
        ("nonce", "nonce is not the one"),
        ("expired", "has expired"),
        ("key", "signature does not match"),
        ("iss", "another issuer"),
    ],
)
async def test_bad_id_tokens_are_refused(
    sim: Simulator, folder: Path, port: int, fault: str, words: str
) -> None:
    sim.signin.tamper_id_token = fault  # type: ignore[assignment]
    run = await run_login(sim, folder, port, play_demo(folder))
    assert run.result.exit_code == ExitCode.SIGN_IN
    stage = run.stage("id_token")
    assert stage["ok"] is False and words in stage["detail"]
    assert run.result.subject is None
    assert run.landing is not None and run.landing.status == 400
    assert "ID token refused" in run.landing.text


async def test_timeout_is_exit_7(sim: Simulator, folder: Path, port: int) -> None:
    run = await run_login(sim, folder, port, None, timeout=0.3)
    assert run.result.exit_code == ExitCode.SIGN_IN
    assert run.result.error is not None and run.result.error.title == "Sign-in timed out"


async def test_port_in_use_is_named(sim: Simulator, folder: Path, port: int) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        run = await run_login(sim, folder, port, None)
    assert run.result.exit_code == ExitCode.CONFIG
    assert run.result.error is not None
    assert f"Port {port}" in run.result.error.message
    assert run.stage("listener")["ok"] is False


async def test_pasted_address_completes_the_sign_in(
    sim: Simulator, folder: Path, port: int
) -> None:
    """The fallback when the browser cannot reach app.local: paste where it ended."""
    seen: list[LoginSession] = []
    pages: list[str] = []

    def play(_url: str) -> Landing:
        with httpx.Client(follow_redirects=True) as http:  # knows nothing of app.local
            landing = browser.sign_in(http, seen[0].authorize_url, follow_back=False)
        assert landing.status == 302 and "code=" in landing.url
        pages.append(seen[0].submit_redirect("  " + landing.url + "\n").html)
        pages.append(seen[0].submit_redirect(landing.url).html)  # a second one: ignored
        return landing

    run = await run_login(sim, folder, port, play, after_url=seen.append)
    assert run.result.ok, run.result.error
    assert "Signed in as Dana Demo" in pages[0]
    assert "Already done" in pages[1]


async def test_other_addresses_of_the_local_app(sim: Simulator, folder: Path, port: int) -> None:
    seen: list[LoginSession] = []
    answers: dict[str, httpx.Response] = {}

    def play(url: str) -> None:
        with browser.client(cert_file(folder)) as http:
            first = http.get(url, follow_redirects=False)
            answers["login"] = first
            answers["logout"] = http.get(url + "logout")
            answers["long"] = http.get(url + "signin-oidc?x=" + "a" * 9000)
            answers["other"] = http.get(url + "admin")
            answers["post"] = http.post(url + "signin-oidc")
        seen[0].cancel()

    run = await run_login(sim, folder, port, play, after_url=seen.append)
    assert answers["login"].status_code == 302
    assert answers["login"].headers["location"] == seen[0].authorize_url
    assert "code_challenge_method=S256" in seen[0].authorize_url
    assert answers["logout"].status_code == 200 and "Signed out" in answers["logout"].text
    assert answers["long"].status_code == 414
    assert answers["other"].status_code == 404
    assert answers["post"].status_code == 405
    notices = [e.message for e in run.events if e.kind == "notice"]
    assert any("longer than" in n for n in notices)
    assert any("logout" in n for n in notices)
    assert run.result.exit_code == ExitCode.SIGN_IN  # cancelled in the end


async def test_missing_hosts_line_is_said_and_the_run_goes_on(
    sim: Simulator, folder: Path, port: int
) -> None:
    def nowhere(*_args: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    run = await run_login(sim, folder, port, play_demo(folder), resolver=nowhere)
    assert run.result.ok
    hosts = run.stage("hosts")
    assert hosts["ok"] is False and "127.0.0.1 app.local" in hosts["detail"]
    assert "paste" in hosts["detail"]


async def test_discovery_unreachable_is_exit_5(folder: Path, port: int) -> None:
    with Simulator(web_seed(port)) as gone:
        pass  # stopped: nothing answers at its address any more
    run = await run_login(gone, folder, port, None, profile=web_profile(gone, port))
    assert run.result.exit_code == ExitCode.NETWORK
    assert run.stage("discovery")["ok"] is False


async def test_client_id_is_the_audience(sim: Simulator, folder: Path, port: int) -> None:
    run = await run_login(sim, folder, port, play_demo(folder, username="fjord", password="fjord"))
    assert run.result.ok
    assert run.result.client_id == DEMO_WEB_CLIENT_ID
    assert [c.number for c in run.result.companies] == demo_companies(sim, "fjord")


async def test_app_local_on_ipv6_only_says_it_must_map_to_127_0_0_1(
    sim: Simulator, folder: Path, port: int
) -> None:
    """The local app listens on 127.0.0.1: an app.local that resolves to ::1 alone would send
    the browser nowhere, and the hosts stage says so (the run goes on: paste fallback)."""

    def ipv6_only(*_args: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", 0, 0, 0))]

    run = await run_login(sim, folder, port, play_demo(folder), resolver=ipv6_only)
    assert run.result.ok  # the script connects to 127.0.0.1 with Host: app.local
    hosts = run.stage("hosts")
    assert hosts["ok"] is False
    assert "app.local must map to 127.0.0.1" in hosts["detail"]
    assert "127.0.0.1 app.local" in hosts["detail"] and "paste" in hosts["detail"]
