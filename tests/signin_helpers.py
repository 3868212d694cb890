"""A web profile, a simulator that registered its redirect URI, and a script as the browser."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from wizard.core.models import Endpoints, LocalDev, Profile
from wizard.core.oidc.listener import free_port
from wizard.core.oidc.login import LoginEvent, LoginOptions, LoginSession
from wizard.core.oidc.results import LoginResult
from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator, browser, load_seed
from wizard.simulator.browser import Landing


def loopback(*_args: Any) -> list[tuple[Any, ...]]:
    """A resolver that puts app.local on this machine (no hosts file needed)."""
    return [(2, 1, 6, "", ("127.0.0.1", 0))]


def web_seed(port: int) -> Any:
    seed = load_seed()
    web = seed.client(DEMO_WEB_CLIENT_ID)
    assert web is not None
    web.redirect_uris[:] = [f"https://app.local:{port}/signin-oidc"]
    return seed


def web_secret(sim: Simulator) -> SecretStr:
    web = sim.seed.client(DEMO_WEB_CLIENT_ID)
    assert web is not None
    return web.secrets[0]


def web_profile(sim: Simulator, port: int, **changes: Any) -> Profile:
    endpoints = Endpoints.defaults("web").model_copy(
        update={"issuer": sim.base_url, "token_url": sim.token_url, "graphql_url": sim.graphql_url}
    )
    data: dict[str, Any] = {
        "name": "web",
        "app_type": "web",
        "app_name": "Web demo",
        "client_id": DEMO_WEB_CLIENT_ID,
        "endpoints": endpoints,
        "local_dev": LocalDev(port=port),
    }
    data.update(changes)
    return Profile.model_validate(data)


@dataclass
class Run:
    result: LoginResult
    landing: Landing | None
    events: list[LoginEvent] = field(default_factory=list)

    def stage(self, name: str) -> dict[str, Any]:
        return next(s.model_dump() for s in self.result.stages if s.name == name)


def cert_file(folder: Path) -> Path:
    return folder / "tls" / "app.local.crt"


def play_demo(folder: Path, **kw: Any) -> Callable[[str], Landing]:
    def play(url: str) -> Landing:
        with browser.client(cert_file(folder)) as http:
            return browser.sign_in(http, url, **kw)

    return play


async def run_login(
    sim: Simulator,
    folder: Path,
    port: int,
    play: Callable[[str], Landing | None] | None,
    *,
    after_url: Callable[[LoginSession], None] | None = None,
    secret: SecretStr | None = None,
    profile: Profile | None = None,
    **options: Any,
) -> Run:
    """Run a sign-in; when it tells the sign-in URL, ``play`` the browser in a thread."""
    events: list[LoginEvent] = []
    url_ready = asyncio.Event()

    def tell(event: LoginEvent) -> None:
        events.append(event)
        if event.kind == "url":
            url_ready.set()

    opts = {"timeout": 60.0, "resolver": loopback, **options}
    session = LoginSession(
        profile or web_profile(sim, port),
        secret or web_secret(sim),
        folder,
        LoginOptions(**opts),
        on_event=tell,
    )
    task = asyncio.create_task(session.run())
    waiter = asyncio.create_task(url_ready.wait())
    done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    landing = None
    if waiter in done:
        if after_url is not None:
            after_url(session)
        if play is not None:
            landing = await asyncio.to_thread(play, session.sign_in_url)
    else:
        waiter.cancel()
    result = await task
    return Run(result, landing, events)


__all__ = ["free_port"]
