"""`bnxt-wizard login`: start-up to the sign-in URL, and how fast the local app answers.

Start-up: fresh `python -m wizard login --no-browser` processes, timed from just before the
process starts until the sign-in URL line appears on its stderr (then it is cancelled with
SIGINT), interleaved with fresh `python -m wizard check --no-graphql` processes on the same
web profile (both make one request to the simulator before their figure ends: discovery for
login, the client check for check). The certificate is made once before timing, as after a
first run.

Redirect latency: in this process, full sign-ins against the simulator with a script as the
browser; for each, the time the local app took to answer the redirect to /signin-oidc minus
the code exchange and ID token check it waits for (so: parsing, checks, the page, TLS), and
the time it took to answer / (the redirect to the authorize endpoint).

    python bench/login.py [--repeats N] [--json]
"""

from __future__ import annotations

import asyncio
import signal
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

import benchlib


def _wizard(config: Path, *args: str) -> list[str]:
    return [benchlib.PYTHON, "-m", "wizard", "--config-dir", str(config), *args]


def _until_url(cmd: list[str], env: dict[str, str]) -> float:
    start = benchlib.now()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=benchlib.ROOT,
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("https://app.local:"):
                elapsed = benchlib.now() - start
                break
        else:
            raise RuntimeError("login printed no sign-in URL")
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        proc.kill()
    return elapsed


def _loopback(*_args: object) -> list[tuple[Any, ...]]:
    return [(2, 1, 6, "", ("127.0.0.1", 0))]


def _one_sign_in(folder: Path, profile: Any, secret: Any) -> tuple[float, float]:
    """(redirect answer minus the exchange and ID token check, / answer), in ms."""
    from wizard.core.oidc.login import LoginEvent, LoginOptions, LoginSession
    from wizard.simulator import browser

    ready = threading.Event()
    timings: dict[str, float] = {}

    def tell(event: LoginEvent) -> None:
        if event.kind == "url":
            ready.set()

    options = LoginOptions(timeout=60, resolver=_loopback, graphql=False)
    session = LoginSession(profile, secret, folder, options, tell)

    def play() -> None:
        ready.wait(30)
        with browser.client(folder / "tls" / "app.local.crt") as http:
            start = benchlib.now()
            first = http.get(session.sign_in_url, follow_redirects=False)
            timings["login"] = benchlib.now() - start
            landing = browser.sign_in(http, first.headers["location"], follow_back=False)
            start = benchlib.now()
            http.get(landing.url)
            timings["redirect"] = benchlib.now() - start

    player = threading.Thread(target=play)
    player.start()
    result = asyncio.run(session.run())
    player.join(30)
    if not result.ok:
        raise RuntimeError(f"sign-in failed: {result.error}")
    waited = sum(s.seconds for s in result.stages if s.name in ("exchange", "id_token"))
    return (timings["redirect"] - waited) * 1000, timings["login"] * 1000


def _redirects(sim: Any, folder: Path, port: int, repeats: int) -> tuple[list[float], list[float]]:
    from wizard.core.models import Endpoints, LocalDev, Profile
    from wizard.simulator import DEMO_WEB_CLIENT_ID

    endpoints = Endpoints.defaults("web").model_copy(
        update={"issuer": sim.base_url, "token_url": sim.token_url, "graphql_url": sim.graphql_url}
    )
    profile = Profile(
        app_type="web",
        app_name="Bench",
        client_id=DEMO_WEB_CLIENT_ID,
        endpoints=endpoints,
        local_dev=LocalDev(port=port),
    )
    secret = sim.seed.client(DEMO_WEB_CLIENT_ID).secrets[0]
    runs = [_one_sign_in(folder, profile, secret) for _ in range(repeats)]
    return [r[0] for r in runs], [r[1] for r in runs]


def measure(repeats: int) -> dict[str, Any]:
    from wizard.core.oidc.cert import ensure_certificate
    from wizard.core.oidc.listener import free_port
    from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator, load_seed

    port = free_port()
    seed = load_seed()
    web = seed.client(DEMO_WEB_CLIENT_ID)
    assert web is not None
    web.redirect_uris[:] = [f"https://app.local:{port}/signin-oidc"]
    with tempfile.TemporaryDirectory(prefix="bnxt-bench-login-") as tmp, Simulator(seed) as sim:
        folder = Path(tmp)
        env = benchlib.isolated_env(folder)
        config = folder / "config"
        init = _wizard(config, "init", "--non-interactive", "--app-type", "web")
        init += ["--app-name", "Bench", "--client-id", DEMO_WEB_CLIENT_ID, "--port", str(port)]
        init += ["--issuer", sim.base_url, "--graphql-url", sim.graphql_url]
        init += ["--secret-stdin", "--secret-store", "file"]
        benchlib.timed_run(init, env=env, stdin=web.secrets[0].get_secret_value() + "\n")
        ensure_certificate(config)  # made once, as after a first run

        check = _wizard(config, "check", "--no-graphql")
        login = _wizard(config, "login", "--no-browser", "--timeout", "30")
        benchlib.timed_run(check, env=env)  # warm-up: bytecode, page cache
        _until_url(login, env)
        times: dict[str, list[float]] = {"login": [], "check": []}
        for i in range(repeats):
            for side in ("login", "check") if i % 2 == 0 else ("check", "login"):
                if side == "login":
                    times["login"].append(_until_url(login, env))
                else:
                    times["check"].append(benchlib.timed_run(check, env=env)[0])
        redirect_ms, login_redirect_ms = _redirects(sim, config, port, max(3, repeats))
    login_ms = benchlib.median_ms(times["login"])
    check_ms = benchlib.median_ms(times["check"])
    return {
        "repeats": repeats,
        "login_ms": login_ms,
        "check_ms": check_ms,
        "ratio": login_ms / check_ms,
        "redirect_ms": statistics.median(redirect_ms),
        "redirect_max_ms": max(redirect_ms),
        "login_redirect_ms": statistics.median(login_redirect_ms),
    }


def report(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"login start-up, median of {result['repeats']} fresh processes each:",
            f"  login --no-browser, until the sign-in URL  {result['login_ms']:6.0f} ms",
            f"  check --no-graphql (same web profile)      {result['check_ms']:6.0f} ms",
            f"  ratio {result['ratio']:.2f}x (goal: at most 1.3x)",
            "local app answers (median):",
            f"  redirect to /signin-oidc, exchange aside    {result['redirect_ms']:6.1f} ms"
            f" (slowest {result['redirect_max_ms']:.1f} ms; goal < 100 ms)",
            f"  / (redirect to authorize)                  {result['login_redirect_ms']:6.1f} ms",
        ]
    )


def main() -> int:
    return benchlib.script_main("login start-up and local app latency", 9, measure, report)


if __name__ == "__main__":
    raise SystemExit(main())
