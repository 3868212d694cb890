"""Pilot tests of the web app's Integration step: the Service API toggle and the issuer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Collapsible, Input

from tests.ui_helpers import pane_of, settle, text_of
from wizard.app import WizardApp
from wizard.core.onboarding import Onboarding
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.visma import CONNECT_BASE, SERVICE_SCOPE, SERVICE_SCOPE_READONLY, AppType
from wizard.core.visma_facts import SETUP_WEB
from wizard.screens.integration import SERVICE_API_LABEL, IntegrationPane


def state(app_type: AppType = AppType.WEB) -> Onboarding:
    s = Onboarding(profile="portal")
    s.choose_app_type(app_type)
    s.app_name = "Portal"
    s.client_id = "isv_portal"
    s.registration_checks = [True] * 4
    s.secret = SecretStr("S3cr3t-v4lue")
    return s


@pytest.fixture
async def pilot(tmp_path: Path) -> AsyncIterator[Pilot[Any]]:
    app = WizardApp(Session(Workspace(tmp_path / "cfg")))
    async with app.run_test(size=(100, 40)) as running:
        yield running


async def show(pilot: Pilot[Any], s: Onboarding) -> IntegrationPane:
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.start_onboarding(s)
    app.goto(Step.INTEGRATION)
    await settle(app, pilot)
    pane = pane_of(app)
    assert isinstance(pane, IntegrationPane)
    return pane


def next_enabled(pilot: Pilot[Any]) -> bool:
    return not pilot.app.screen.query_one("#next", Button).disabled


async def test_the_service_api_toggle_sets_the_service_scope(pilot: Pilot[Any]) -> None:
    s = state()
    s.integration_checks = [True, True]
    pane = await show(pilot, s)
    box = pane.query_one("#service-api", Checkbox)
    assert SERVICE_API_LABEL in str(box.label)
    assert not box.value and not pane.query_one("#service-api-box").display
    assert next_enabled(pilot)  # optional: unticked, Next is not blocked
    assert s.to_profile().endpoints.service_scope is None

    box.value = True
    await settle(pilot.app, pilot)
    assert pane.query_one("#service-api-box").display
    assert pane.query_one("#service-scope-input", Input).value == SERVICE_SCOPE
    assert SETUP_WEB in text_of(pilot.app, "#service-api-why")  # the fact, with its page
    assert s.service_api and s.to_profile().endpoints.service_scope == SERVICE_SCOPE

    pane.query_one("#service-scope-input", Input).value = SERVICE_SCOPE_READONLY
    await settle(pilot.app, pilot)
    assert s.to_profile().endpoints.service_scope == SERVICE_SCOPE_READONLY
    assert s.to_profile().endpoints.scope.startswith("openid")  # the sign-in scopes stay

    pane.query_one("#service-scope-input", Input).value = ""
    await settle(pilot.app, pilot)
    assert not next_enabled(pilot)
    assert "Enter the scope" in text_of(pilot.app, "#problems")

    box.value = False
    await settle(pilot.app, pilot)
    assert next_enabled(pilot)
    assert s.to_profile().endpoints.service_scope is None


async def test_an_unticked_service_api_box_is_not_a_step_left_undone(pilot: Pilot[Any]) -> None:
    s = state()
    s.integration_checks = [True, False]
    pane = await show(pilot, s)
    assert pane.problem_field() is pane.query_one("#int-check-1", Checkbox)
    s.integration_checks = [True, True]
    pane.load()
    assert pane.problem_field() is None


async def test_the_issuer_is_checked_and_the_token_url_follows_it(pilot: Pilot[Any]) -> None:
    s = state()
    s.integration_checks = [True, True]
    pane = await show(pilot, s)
    issuer = pane.query_one("#issuer", Input)
    assert issuer.value == CONNECT_BASE
    issuer.value = "http://connect.example.com"
    await settle(pilot.app, pilot)
    assert not next_enabled(pilot)
    assert "https://" in text_of(pilot.app, "#issuer-msg")
    issuer.value = "connect.example.com"
    await settle(pilot.app, pilot)
    said = text_of(pilot.app, "#issuer-msg")
    assert "https://connect.visma.com." in said  # the issuer's own example, not a token URL

    issuer.value = "https://connect.example.com"
    await settle(pilot.app, pilot)
    assert next_enabled(pilot)
    assert pane.query_one("#token-url", Input).value == "https://connect.example.com/connect/token"
    profile = s.to_profile()
    assert profile.endpoints.issuer == "https://connect.example.com"
    assert profile.endpoints.token_url == "https://connect.example.com/connect/token"

    # a token URL of the user's own is left alone
    pane.query_one("#token-url", Input).value = "https://tokens.example.com/t"
    issuer.value = "https://connect.example.org"
    await settle(pilot.app, pilot)
    assert pane.query_one("#token-url", Input).value == "https://tokens.example.com/t"


async def test_a_wrong_saved_issuer_opens_the_advanced_section(pilot: Pilot[Any]) -> None:
    s = state()
    s.issuer = "ftp://nowhere"
    pane = await show(pilot, s)
    assert not pane.query_one("#advanced", Collapsible).collapsed
    assert "https://" in text_of(pilot.app, "#issuer-msg")


async def test_the_demo_issuer_is_the_simulator(tmp_path: Path) -> None:
    from wizard.launch import demo_info
    from wizard.simulator import Simulator

    with Simulator() as sim:
        demo = demo_info(sim)
        app = WizardApp(Session(Workspace(tmp_path / "cfg"), demo=demo, forced_store="file"))
        async with app.run_test(size=(100, 40)) as pilot:
            s = state()
            s.choose_app_type(AppType.SERVICE)
            s.choose_app_type(AppType.WEB, endpoints=demo.endpoints(AppType.WEB))
            pane = await show(pilot, s)
            assert pane.query_one("#issuer", Input).value == sim.base_url


async def test_a_service_has_neither_toggle_nor_issuer(pilot: Pilot[Any]) -> None:
    pane = await show(pilot, state(AppType.SERVICE))
    assert not pane.query("#service-api") and not pane.query("#issuer")


async def test_a_saved_web_profile_with_the_service_api_comes_back_ticked(
    pilot: Pilot[Any],
) -> None:
    s = state()
    s.integration_checks = [True, True]
    s.service_api, s.service_scope = True, SERVICE_SCOPE_READONLY
    again = Onboarding.from_profile(s.to_profile())
    assert again.service_api and again.service_scope == SERVICE_SCOPE_READONLY
    pane = await show(pilot, again)
    assert pane.query_one("#service-api", Checkbox).value
    assert pane.query_one("#service-scope-input", Input).value == SERVICE_SCOPE_READONLY


async def test_review_shows_the_issuer_and_the_service_api_scope(pilot: Pilot[Any]) -> None:
    s = state()
    s.integration_checks = [True, True]
    s.service_api = True
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.start_onboarding(s)
    app.goto(Step.REVIEW)
    await settle(app, pilot)
    rows = text_of(app, "#rows-integration")
    assert "Issuer" in rows and CONNECT_BASE in rows
    assert "Service API scope" in rows and SERVICE_SCOPE in rows
    s.service_api = False
    app.goto(Step.INTEGRATION)
    await settle(app, pilot)
    app.goto(Step.REVIEW)
    await settle(app, pilot)
    assert "Service API scope" not in text_of(app, "#rows-integration")
