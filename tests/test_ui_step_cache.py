"""Pilot tests for kept and prefetched step screens (wizard/screens/step_cache.py) and the
Footer that redraws only when its keys change (wizard/widgets/footer.py).

No test needs the network: the steps before Test only read and write ``app.state``. Every
app works in a temporary config folder, with the in-memory keyring from conftest.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioButton, Static
from textual.widgets._footer import FooterKey

from tests.ui_helpers import plain, settle, text_of
from wizard.app import WizardApp
from wizard.core import hosts
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.screens import step_cache
from wizard.screens.base import StepScreen
from wizard.screens.integration import IntegrationScreen
from wizard.screens.registration import RegistrationScreen
from wizard.screens.review import ProblemList, ReviewScreen
from wizard.screens.secret import SecretScreen
from wizard.screens.user_table import UserTableScreen
from wizard.widgets.copy_row import CopyRow
from wizard.widgets.footer import QuietFooter

SIZE = (100, 40)
CLIENT_ID = "isv_invoice-sync"
SECRET = "S3cr3t-v4lue-for-tests"
SERVICE_SCOPE = "business-graphql-service-api:"
WEB_SCOPE = "business-graphql-api:access-group-based"

# -- helpers ----------------------------------------------------------------------------


def make_app(tmp_path: Path) -> WizardApp:
    return WizardApp(Session(Workspace(tmp_path / "cfg")))


def onboarding(
    step: Step, *, app_type: AppType = AppType.SERVICE, complete: bool = True, **changes: Any
) -> Onboarding:
    """A state standing on ``step``; ``complete``: every step before Review is done."""
    state = Onboarding(profile="dev", step=step)
    state.choose_app_type(app_type)
    if complete:
        state.app_name = "Invoice sync"
        state.client_id = CLIENT_ID
        state.description = "Posts invoices"
        state.registration_checks = [True] * 4
        state.integration_checks = [True] * 2
        state.secret = SecretStr(SECRET)
        state.user_table_checks = [True] * 7
        state.companies = [CompanyRow(company_no="1234567", access_group="Readers")]
    for name, value in changes.items():
        setattr(state, name, value)
    return state


def current(app: WizardApp) -> StepScreen:
    screen = app.screen
    assert isinstance(screen, StepScreen)
    return screen


async def start(app: WizardApp, pilot: Pilot[int], state: Onboarding) -> StepScreen:
    """Start ``state`` on its step and wait until the step after it is built off-stage."""
    app.start_onboarding(state)
    await settle(app, pilot)
    screen = current(app)
    assert screen.STEP is state.step
    return screen


async def press(app: WizardApp, pilot: Pilot[int], *keys: str) -> StepScreen:
    await pilot.press(*keys)
    await settle(app, pilot)
    return current(app)


async def goto(app: WizardApp, pilot: Pilot[int], step: Step) -> StepScreen:
    """As Review's Edit and Fix buttons do."""
    app.goto(step)
    await settle(app, pilot)
    return current(app)


async def type_into(pilot: Pilot[int], screen: StepScreen, selector: str, text: str) -> None:
    screen.query_one(selector, Input).focus()
    await pilot.press(*text)


def kept(app: WizardApp, step: Step) -> StepScreen | None:
    return app.step_screens._kept.get(step)


def value_of(screen: StepScreen, selector: str) -> str:
    return screen.query_one(selector, Input).value


def footer_keys(screen: StepScreen) -> list[FooterKey]:
    return list(screen.query_one(QuietFooter).query(FooterKey))


def next_key(screen: StepScreen) -> FooterKey:
    (key,) = [k for k in footer_keys(screen) if k.key == "ctrl+n"]
    return key


def next_key_enabled(screen: StepScreen) -> bool:
    return not next_key(screen).has_class("-disabled")


def gone(app: WizardApp, screen: StepScreen) -> bool:
    return not app.is_screen_installed(screen) and not screen.is_running


class SettleGate:
    """Stands in for ``asyncio`` in step_cache: the prefetch's settle sleep waits for a gate,
    so a test can act while a screen is mounted off-stage but not yet settled."""

    def __init__(self, hold: float = step_cache.SETTLE) -> None:
        self.hold = hold  # the sleep that waits for the gate
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, delay: float) -> None:
        if delay == self.hold:
            self.waiting.set()
            await self.gate.wait()
        else:
            await asyncio.sleep(delay)


# -- prefetch ---------------------------------------------------------------------------


async def test_the_next_step_is_built_off_stage_and_next_shows_that_very_screen(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        registration = await start(app, pilot, onboarding(Step.REGISTRATION))
        assert isinstance(registration, RegistrationScreen)
        built = kept(app, Step.INTEGRATION)
        assert isinstance(built, IntegrationScreen)
        assert built.is_running and built.is_mounted and app.is_screen_installed(built)
        assert built is not app.screen and built not in app.screen_stack
        assert built.focused is None  # no cursor blinking off-stage
        assert built.query_one("#int-check-0").region.height > 0  # laid out already
        assert built.state is app.state

        shown = await press(app, pilot, "ctrl+n")
        assert shown is built
        assert app.state.step is Step.INTEGRATION
        assert "Step 3 of 8" in text_of(app, "#step-header")
        assert shown.focused is shown.query_one("#int-check-0")  # focused as it is shown
        assert next_key(shown).description == "Next"
        assert next_key_enabled(shown)  # both integration ticks are in the state


# -- reuse and stale screens ------------------------------------------------------------


async def test_back_shows_the_same_registration_screen_with_what_was_typed(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    state = onboarding(Step.REGISTRATION, complete=False, registration_checks=[True] * 4)
    typed = {"#app-name": "Sync", "#client-id": "isv_ab", "#description": "Po"}
    async with app.run_test(size=SIZE) as pilot:
        registration = await start(app, pilot, state)
        for selector, text in typed.items():
            await type_into(pilot, registration, selector, text)
        await pilot.pause()

        assert isinstance(await press(app, pilot, "ctrl+n"), IntegrationScreen)
        back = await press(app, pilot, "ctrl+b")
        assert back is registration
        assert {s: value_of(back, s) for s in typed} == typed
        assert app.state is state
        assert (state.app_name, state.client_id, state.description) == tuple(typed.values())
        assert "Step 2 of 8" in text_of(app, "#step-header")


async def test_a_kept_screen_whose_fields_changed_elsewhere_is_built_afresh(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    state = onboarding(Step.REGISTRATION)
    async with app.run_test(size=SIZE) as pilot:
        old = await start(app, pilot, state)
        await press(app, pilot, "ctrl+n")
        assert kept(app, Step.REGISTRATION) is old
        state.client_id = "isv_renamed-app"  # as if another path had changed it

        new = await press(app, pilot, "ctrl+b")
        assert isinstance(new, RegistrationScreen)
        assert new is not old
        assert value_of(new, "#client-id") == "isv_renamed-app"
        assert state.client_id == "isv_renamed-app"  # not written back from the old screen
        assert gone(app, old)
        assert kept(app, Step.REGISTRATION) is new
        await press(app, pilot, "ctrl+n")
        assert state.client_id == "isv_renamed-app"


async def test_the_user_table_shows_a_client_id_changed_on_registration_since(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path)
    state = onboarding(Step.LOCAL_URIS)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, state)
        table = await press(app, pilot, "ctrl+n")
        assert isinstance(table, UserTableScreen)
        assert table.query_one("#user-name", CopyRow).value == CLIENT_ID

        registration = await goto(app, pilot, Step.REGISTRATION)
        registration.query_one("#client-id", Input).value = "isv_other-app"
        await pilot.pause()
        assert state.client_id == "isv_other-app"

        shown = await goto(app, pilot, Step.USER_TABLE)
        assert isinstance(shown, UserTableScreen)
        row = shown.query_one("#user-name", CopyRow)
        assert row.value == "isv_other-app"
        assert row.query_one(".copy-value", Static).content == "isv_other-app"
        steps = "\n".join(plain(s) for s in shown.query(".step-text").results(Static))
        assert "isv_other-app" in steps and CLIENT_ID not in steps
        assert shown is not table and gone(app, table)


async def test_a_kept_review_shows_what_was_fixed_since(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    state = onboarding(Step.REVIEW, companies=[])
    async with app.run_test(size=SIZE) as pilot:
        review = await start(app, pilot, state)
        assert isinstance(review, ReviewScreen)
        assert "1 thing to fix" in text_of(app, "#review-problems > Static")
        assert "none yet" in text_of(app, "#rows-user-table")
        assert review.query_one("#next", Button).disabled
        assert not next_key_enabled(review)

        review.query_one("#fix-0", Button).press()
        await settle(app, pilot)
        table = current(app)
        assert isinstance(table, UserTableScreen)
        await type_into(pilot, table, "Input.company-no", "7777777")
        await type_into(pilot, table, "Input.access-group", "Audit")
        await pilot.pause()
        shown = await press(app, pilot, "ctrl+n")

        assert shown is review  # the same app type: kept, only its values are refreshed
        rows = text_of(app, "#rows-user-table")
        assert "Company 77" in rows and "access group Audit" in rows and "none yet" not in rows
        assert not review.query("#review-problems") and not review.query(".jump")
        assert review.query_one(ProblemList).query("#review-ok")
        statics = "\n".join(plain(s) for s in review.query(Static).results(Static))
        assert "to fix" not in statics and "Add at least one company" not in statics
        assert not review.query_one("#next", Button).disabled
        assert next_key_enabled(review)


# -- a new onboarding, a new app type ---------------------------------------------------


async def test_a_new_onboarding_lets_go_of_every_kept_screen(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, onboarding(Step.REGISTRATION))
        await press(app, pilot, "ctrl+n")  # registration, integration and secret are built
        old = dict(app.step_screens._kept)
        assert {Step.REGISTRATION, Step.INTEGRATION, Step.SECRET} <= set(old)

        fresh = onboarding(Step.REGISTRATION, app_name="Other app", client_id="isv_other")
        new = await start(app, pilot, fresh)
        for screen in old.values():
            assert gone(app, screen) and screen not in app.screen_stack
        assert not app.step_screens._retiring
        assert isinstance(new, RegistrationScreen) and new not in old.values()
        assert new.state is fresh
        assert value_of(new, "#app-name") == "Other app"
        assert value_of(new, "#client-id") == "isv_other"
        assert all(s.state is fresh for s in app.step_screens._kept.values())
        integration = await press(app, pilot, "ctrl+n")
        assert integration is not old[Step.INTEGRATION] and integration.state is fresh


async def test_a_kept_service_integration_is_not_shown_for_a_web_app(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, onboarding(Step.REGISTRATION))
        service = kept(app, Step.INTEGRATION)
        assert isinstance(service, IntegrationScreen)
        assert service.query_one("#portal-scope", CopyRow).value.startswith(SERVICE_SCOPE)

        app_type = await press(app, pilot, "ctrl+b")
        app_type.query_one("#web", RadioButton).value = True
        await pilot.pause()
        assert app.state.app_type is AppType.WEB
        await press(app, pilot, "ctrl+n")  # web apps: Local URIs come before Registration
        assert "Step 2 of 7" in text_of(app, "#step-header")
        await press(app, pilot, "ctrl+n")
        assert "Step 3 of 7" in text_of(app, "#step-header")
        web = await press(app, pilot, "ctrl+n")
        assert isinstance(web, IntegrationScreen)
        assert web is not service and gone(app, service)
        assert web.query_one("#portal-scope", CopyRow).value == WEB_SCOPE
        assert web.query("#extra-scopes")
        assert value_of(web, "#scope") == app.state.scope
        assert "Step 4 of 7" in text_of(app, "#step-header")


# -- footer -----------------------------------------------------------------------------


async def test_the_footer_redraws_when_next_is_enabled_but_not_on_a_focus_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recomposed: list[QuietFooter] = []
    recompose = QuietFooter.recompose

    async def counted(self: QuietFooter) -> None:
        recomposed.append(self)
        await recompose(self)

    monkeypatch.setattr(QuietFooter, "recompose", counted)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(app, pilot, onboarding(Step.REGISTRATION, app_name=""))
        before = next_key(screen)
        assert not next_key_enabled(screen)

        await type_into(pilot, screen, "#app-name", "Inv")
        await settle(app, pilot)
        assert not screen.query_one("#next", Button).disabled
        assert next_key_enabled(screen) and next_key(screen) is not before

        keys = footer_keys(screen)
        recomposed.clear()
        for selector in ("#client-id", "#description", "#profile"):
            screen.query_one(selector, Input).focus()
            await pilot.pause()
        await settle(app, pilot)
        assert screen.focused is screen.query_one("#profile", Input)
        assert [footer for footer in recomposed if footer.screen is screen] == []
        assert footer_keys(screen) == keys


# -- a keyring probe deciding a value off-stage; a Next pressed while a step is built --


async def test_next_shows_the_secret_screen_built_off_stage(tmp_path: Path) -> None:
    app = make_app(tmp_path)  # no forced store: the OS keyring (conftest's, usable) is probed
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, onboarding(Step.INTEGRATION, secret=None))
        built = kept(app, Step.SECRET)
        assert isinstance(built, SecretScreen)
        assert app.state.secret_store == "keyring"
        shown = await press(app, pilot, "ctrl+n")
        assert isinstance(shown, SecretScreen)
        assert shown is built


async def test_a_screen_shown_while_it_is_built_off_stage_keeps_its_focus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The gate only makes the window certain: with the real 0.1 s settle, a Next pressed as
    # soon as the screen is mounted off-stage loses the focus just the same.
    gated = SettleGate()
    monkeypatch.setattr(step_cache, "asyncio", gated)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        # A draft resumed on the Secret step: Secret and Local URIs are kept from now on.
        gated.gate.set()
        secret = await start(app, pilot, onboarding(Step.SECRET, secret_store="keyring"))
        gated.gate.clear()
        gated.waiting.clear()
        app.goto(Step.REGISTRATION)  # as Review's Edit does: Integration is built off-stage
        await asyncio.wait_for(gated.waiting.wait(), timeout=10)
        integration = kept(app, Step.INTEGRATION)
        assert isinstance(integration, IntegrationScreen) and integration.is_running
        assert isinstance(app.screen, RegistrationScreen)
        assert kept(app, Step.SECRET) is secret and secret.fits(app.state)

        await pilot.press("ctrl+n")  # the user does not wait for it to settle
        assert current(app) is integration
        assert integration.focused is integration.query_one("#int-check-0")
        gated.gate.set()  # the off-stage build goes on
        await settle(app, pilot)
        assert current(app) is integration
        assert integration.focused is integration.query_one("#int-check-0")


async def test_a_kept_secret_screen_marks_the_input_for_a_changed_client_id(
    tmp_path: Path,
) -> None:
    """The secret's check depends on the client ID: a kept Secret step re-runs it."""
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        secret = await start(app, pilot, onboarding(Step.SECRET, secret_store="keyring"))
        assert not secret.query_one("#secret", Input).has_class("-invalid")
        registration = await goto(app, pilot, Step.REGISTRATION)
        registration.query_one("#client-id", Input).value = SECRET  # the secret, pasted here
        await settle(app, pilot)
        shown = await goto(app, pilot, Step.SECRET)
        assert shown is secret
        assert shown.query_one("#secret", Input).has_class("-invalid")
        assert "That is the client ID" in plain(shown.query_one("#secret-msg", Static))


async def test_a_kept_local_uris_screen_asks_the_resolver_again_on_a_new_visit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user may fix the hosts file between visits: each visit checks app.local again."""
    calls: list[int] = []
    real = hosts.resolve_app_local

    def counted(*args: Any, **kwargs: Any) -> hosts.HostsCheck:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hosts, "resolve_app_local", counted)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start(app, pilot, onboarding(Step.LOCAL_URIS, app_type=AppType.WEB))
        first = len(calls)
        assert first == 1  # once for the first visit, built or shown
        await press(app, pilot, "ctrl+b")
        again = await press(app, pilot, "ctrl+n")
        assert again.STEP is Step.LOCAL_URIS
        assert len(calls) == first + 1


async def test_the_welcome_screen_loads_the_steps_while_the_user_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up stays light, and the first step still opens like the others."""
    gated = SettleGate(hold=step_cache.WARM_UP_DELAY)  # the warm-up's delay, however long
    monkeypatch.setattr(step_cache, "asyncio", gated)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await asyncio.wait_for(gated.waiting.wait(), timeout=10)
        await pilot.pause()
        step_css = StepScreen().css_path
        assert not any(app.stylesheet.has_source(str(path), "") for path in step_css)
        gated.gate.set()
        await settle(app, pilot)  # the warm-up worker, after its delay
        assert all(app.stylesheet.has_source(str(path), "") for path in step_css)
        await pilot.press("n")
        await settle(app, pilot)
        assert current(app).STEP is Step.APP_TYPE


@pytest.mark.parametrize("launched", [True, False], ids=["launched", "in-tests"])
async def test_the_warm_up_freezes_what_it_loads_only_under_launch(
    tmp_path: Path, launched: bool
) -> None:
    """launch() freezes the collector before the first screen, and the warm-up freezes what it
    loads after; apps run some other way (many per test process) leave the collector alone."""
    gc.unfreeze()
    app = make_app(tmp_path)
    app.freeze_gc = launched
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)  # the warm-up worker
            assert (gc.get_freeze_count() > 0) is launched
    finally:
        gc.unfreeze()
