"""Pilot tests of the web Test step's browser sign-in, against the real simulator on loopback.

The browser is played by :mod:`wizard.simulator.browser` (through the demo button, or by a
script that stops before the redirect, as a browser without a hosts line would): no hosts
file, no real browser.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input

from tests.signin_helpers import loopback, web_seed
from tests.ui_helpers import click, settle, text_of
from wizard.app import WizardApp
from wizard.core.oidc.listener import free_port
from wizard.core.onboarding import Onboarding
from wizard.core.profiles import Workspace, save_profile
from wizard.core.session import DemoInfo, Session
from wizard.core.visma import AppType
from wizard.launch import demo_info
from wizard.screens.test_login import SignInPanel
from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator, browser

SIZE = (100, 40)


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def sim(port: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    monkeypatch.setattr(SignInPanel, "resolver", loopback)  # app.local -> 127.0.0.1
    monkeypatch.setattr(SignInPanel, "timeout", 60.0)
    with Simulator(web_seed(port)) as simulator:
        yield simulator


def web_app(tmp_path: Path, sim: Simulator, port: int) -> WizardApp:
    demo = demo_info(sim)
    app = WizardApp(Session(Workspace(tmp_path / "cfg"), demo=demo, forced_store="file"))
    state = Onboarding(profile="web")
    state.choose_app_type(AppType.WEB, endpoints=demo.endpoints(AppType.WEB))
    state.app_name = "Web demo"
    state.client_id = DEMO_WEB_CLIENT_ID
    state.port = str(port)
    state.registration_checks = [True] * 4
    state.integration_checks = [True] * 2
    state.secret = demo.secret_for(DEMO_WEB_CLIENT_ID)
    save_profile(app.workspace, state.to_profile(), state.secret, "file")
    return app


async def until_waiting(app: WizardApp, pilot: Pilot[int]) -> SignInPanel:
    """Until the sign-in tells its address (the listener is up and waiting)."""
    for _ in range(1200):  # a generous bound (a loaded machine), never a timing window
        await pilot.pause()
        for panel in app.screen.query(SignInPanel).results(SignInPanel):
            if panel.session is not None and panel.query_one("#paste-row").display:
                return panel
        if app.screen.query("#failure"):  # it ended instead: say why
            raise AssertionError(text_of(app, "#failure Static"))
        await asyncio.sleep(0.05)
    raise AssertionError("the sign-in never started waiting for the browser")


async def until_result(app: WizardApp, pilot: Pilot[int]) -> str:
    """The sign-in's result once shown (it comes from the listener: on a loaded machine after
    the app's workers are done), bounded."""
    for _ in range(600):
        await settle(app, pilot)
        result = text_of(app, "#signin-result")
        if result.strip():
            return result
        await asyncio.sleep(0.05)
    raise AssertionError("the sign-in never showed a result")


def demo_of(app: WizardApp) -> DemoInfo:
    assert app.session.demo is not None
    return app.session.demo


async def test_demo_sign_in_passes_and_marks_the_profile_verified(
    tmp_path: Path, sim: Simulator, port: int
) -> None:
    app = web_app(tmp_path, sim, port)
    async with app.run_test(size=SIZE) as pilot:
        app.check_existing("web")
        panel = await until_waiting(app, pilot)
        assert f"https://app.local:{port}/" in text_of(app, "#signin-url")
        stages = text_of(app, "#signin-stages")
        assert "certificate" in stages and "SHA-256" in stages
        verdict = text_of(app, "#stages")  # before the sign-in: the credentials only
        assert "It works" not in verdict and "not proven yet" in verdict
        assert "sign-in below" in verdict
        assert "demo play the browser" in text_of(app, "#demo-label")
        await click(pilot, "#demo-signin-0")
        result = await until_result(app, pilot)
        assert "Signed in through the browser" in result
        assert panel.session is not None and panel.session.result.subject
        assert panel.session.result.subject in result
        assert "business-graphql-api:access-group-based" in result
        assert "Companies" in result
        assert "It works." in text_of(app, "#stages")  # after the sign-in, and only then
        assert not app.screen.query("#failure")
        assert app.workspace.config.get("web").verified_at is not None


async def test_paste_fallback_finishes_the_sign_in(
    tmp_path: Path, sim: Simulator, port: int
) -> None:
    app = web_app(tmp_path, sim, port)
    async with app.run_test(size=SIZE) as pilot:
        app.check_existing("web")
        panel = await until_waiting(app, pilot)
        assert panel.session is not None and panel.session.certificate is not None
        cert, url = panel.session.certificate.cert_path, panel.session.sign_in_url

        def stop_before_redirect() -> browser.Landing:
            with browser.client(cert) as http:
                return browser.sign_in(http, url, follow_back=False)

        landing = await asyncio.to_thread(stop_before_redirect)
        assert "code=" in landing.url
        app.screen.query_one("#paste", Input).value = landing.url
        await click(pilot, "#paste-go")
        assert "Signed in through the browser" in await until_result(app, pilot)
        assert app.workspace.config.get("web").verified_at is not None


async def test_escape_cancels_the_sign_in_cleanly(
    tmp_path: Path, sim: Simulator, port: int
) -> None:
    app = web_app(tmp_path, sim, port)
    async with app.run_test(size=SIZE) as pilot:
        app.check_existing("web")
        panel = await until_waiting(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not panel.running
        failure = text_of(app, "#failure Static")
        assert "cancelled" in failure.lower()
        assert app.workspace.config.get("web").verified_at is None
        with socket.socket() as probe:  # the listener has stopped: its port is free again
            probe.bind(("127.0.0.1", port))


async def test_the_demo_signs_in_as_the_user_picked(
    tmp_path: Path, sim: Simulator, port: int
) -> None:
    app = web_app(tmp_path, sim, port)
    users = demo_of(app).users
    assert len(users) >= 2
    second = sim.seed.users[1]
    async with app.run_test(size=SIZE) as pilot:
        app.check_existing("web")
        panel = await until_waiting(app, pilot)
        buttons = [str(b.label) for b in panel.query(".demo-signin").results(Button)]
        assert buttons == [name for name, _ in users]  # one button per demo user
        for button in panel.query(".demo-signin").results(Button):  # each one in view
            button.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            assert button.region.width == button.outer_size.width > 0
            assert button.region.right <= SIZE[0]
        await click(pilot, "#demo-signin-1")
        result = await until_result(app, pilot)
        assert "Signed in through the browser" in result
        assert panel.session is not None and panel.session.result.subject == second.sub
        assert second.name in result
        assert all(b.disabled for b in panel.query(".demo-signin").results(Button))
