"""Pilot tests for the guided rotation screen, against the simulator on loopback.

The demo client accepts two secrets (``demo.secret`` and ``demo.next_secret``), exactly the
portal's situation while a rotation is under way.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from dotenv import dotenv_values
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Button, Input

from tests.ui_helpers import click, settle, text_of
from wizard.app import WizardApp
from wizard.core import rotation
from wizard.core import rotation_journal as journal
from wizard.core.connect import request_token
from wizard.core.envfile import env_values, write_env_file
from wizard.core.models import EnvFileRecord, Profile, SecretStoreKind
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.profiles import Workspace, save_profile
from wizard.core.secrets import ENV_SECRET, Slot
from wizard.core.session import DemoInfo, Session
from wizard.core.visma import AppType
from wizard.launch import demo_info
from wizard.screens.pick_profile import PickProfileScreen
from wizard.screens.rotate import RotateScreen
from wizard.screens.rotate import stages as ui
from wizard.screens.welcome import WelcomeScreen
from wizard.simulator import Simulator

SIZE = (100, 40)
WRONG = SecretStr("Wrong-but-well-formed-secret-0123456789")


@pytest.fixture
def demo() -> Iterator[DemoInfo]:
    with Simulator() as sim:
        yield demo_info(sim)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "cfg")


def save_demo_profile(
    ws: Workspace,
    demo: DemoInfo,
    name: str = "default",
    *,
    store: SecretStoreKind = "file",
    env_file: Path | None = None,
    token_url: str | None = None,
) -> Profile:
    state = Onboarding(profile=name)
    state.choose_app_type(AppType.SERVICE, endpoints=demo.endpoints(AppType.SERVICE))
    state.app_name = "Demo app"
    state.client_id = demo.client_id
    state.registration_checks = [True] * 4
    state.integration_checks = [True] * 2
    state.secret = demo.secret
    state.user_table_checks = [True] * 7
    state.companies = [CompanyRow(company_no=str(n), access_group=g) for n, g in demo.companies]
    state.token_url = token_url or state.token_url
    profile = save_profile(ws, state.to_profile(), demo.secret, store)
    if env_file is not None:
        write_env_file(env_file, env_values(profile, demo.secret), profile=name)
        profile = profile.model_copy(update={"env_files": [EnvFileRecord(path=str(env_file))]})
        ws.config.save(profile)
    return profile


def make_app(ws: Workspace, demo: DemoInfo, *, start: str = "rotate") -> WizardApp:
    return WizardApp(Session(ws, demo=demo, forced_store="file", start=start))


def stored(ws: Workspace, slot: Slot = Slot.CURRENT) -> str | None:
    value = ws.vault.fetch("default", "file", slot)
    return value.get_secret_value() if value else None


def screen(app: WizardApp) -> RotateScreen:
    assert isinstance(app.screen, RotateScreen)
    return app.screen


async def paste_and_test(app: WizardApp, pilot: Pilot[int], secret: SecretStr) -> None:
    await click(pilot, "#have-secret")
    assert screen(app).stage == ui.PASTE
    app.screen.query_one("#new-secret", Input).value = secret.get_secret_value()
    await pilot.pause()
    await click(pilot, "#test-secret")
    await settle(app, pilot)


async def test_rotation_end_to_end_with_the_demo_next_secret(
    tmp_path: Path, ws: Workspace, demo: DemoInfo
) -> None:
    env_file = tmp_path / ".env"
    save_demo_profile(ws, demo, env_file=env_file)
    old, new = demo.secret.get_secret_value(), demo.next_secret.get_secret_value()
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen(app).stage == ui.GENERATE
        assert "▶ 1. Generate a NEW secret" in text_of(app, "#rot-checklist")
        await click(pilot, "#have-secret")
        assert app.screen.query_one("#new-secret", Input).password  # masked by default
        await click(pilot, "#demo-secret")
        assert new not in text_of(app, "#secret-msg")
        await click(pilot, "#test-secret")
        await settle(app, pilot)
        # tested, not stored: the old secret is still the current one
        assert screen(app).stage == ui.STORE
        assert "The new secret works" in text_of(app, "#rot-notice")
        assert stored(ws) == old
        assert rotation.status(ws, "default") is None  # a test alone records nothing
        await click(pilot, "#store")
        assert stored(ws) == new
        assert stored(ws, Slot.PREVIOUS) == old  # the backup
        assert screen(app).stage == ui.REWRITE
        assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == old
        await click(pilot, "#rewrite")
        assert f"rewrote {env_file}" in text_of(app, "#rewrite-text")
        assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == new
        await click(pilot, "#to-finish")
        assert screen(app).stage == ui.FINISH
        assert stored(ws, Slot.PREVIOUS) == old  # kept until confirmed
        await click(pilot, "#finish")
        assert screen(app).stage == ui.DONE
        assert "finished" in text_of(app, "#done-text")
    assert stored(ws) == new
    assert stored(ws, Slot.PREVIOUS) is None
    assert rotation.status(ws, "default") is None
    profile = ws.config.get("default")
    assert profile.secret is not None and profile.secret.previous_store is None
    assert profile.rotated_at is not None


async def test_rotation_keyboard_only(ws: Workspace, demo: DemoInfo) -> None:
    save_demo_profile(ws, demo)
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # "I have the new secret"
        await pilot.pause()
        assert screen(app).stage == ui.PASTE
        await pilot.press(*demo.next_secret.get_secret_value(), "enter")
        await settle(app, pilot)
        assert screen(app).stage == ui.STORE
        for stage in (ui.REWRITE, ui.FINISH, ui.DONE):  # Store, Continue, Confirm
            await pilot.press("enter")
            await pilot.pause()
            assert screen(app).stage == stage
    assert stored(ws) == demo.next_secret.get_secret_value()


async def test_bad_new_secret_leaves_the_old_one_stored_and_working(
    ws: Workspace, demo: DemoInfo
) -> None:
    profile = save_demo_profile(ws, demo)
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await paste_and_test(app, pilot, WRONG)
        assert screen(app).stage == ui.TEST
        failure = text_of(app, "#rot-failure")
        assert "old secret is still stored" in failure
        assert "client ID or secret" in failure or "invalid_client" in failure
        assert WRONG.get_secret_value() not in failure
        await click(pilot, "#retry-paste")
        assert screen(app).stage == ui.PASTE
        assert app.screen.query_one("#new-secret", Input).value == ""
    assert stored(ws) == demo.secret.get_secret_value()
    assert rotation.status(ws, "default") is None
    token = await request_token(profile, ws.vault.load(profile).value)
    assert token.access_token.get_secret_value()


async def test_the_current_secret_is_refused_as_new(ws: Workspace, demo: DemoInfo) -> None:
    save_demo_profile(ws, demo)
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await click(pilot, "#have-secret")
        app.screen.query_one("#new-secret", Input).value = demo.secret.get_secret_value()
        await pilot.pause()
        assert "already stored" in text_of(app, "#secret-msg")
        assert app.screen.query_one("#test-secret", Button).disabled
        await click(pilot, "#reveal")
        assert not app.screen.query_one("#new-secret", Input).password


async def test_cancel_a_test_that_never_answers(ws: Workspace, demo: DemoInfo) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        save_demo_profile(ws, demo, token_url=f"http://127.0.0.1:{port}/connect/token")
        app = make_app(ws, demo)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await click(pilot, "#have-secret")
            await click(pilot, "#demo-secret")
            await click(pilot, "#test-secret")
            assert app.screen.query_one("#rot-running").display
            await click(pilot, "#rot-cancel")
            await settle(app, pilot)
            assert "Cancelled" in text_of(app, "#rot-failure")
            assert not app.screen.query_one("#rot-running").display
    finally:
        listener.close()
    assert rotation.status(ws, "default") is None
    assert stored(ws) == demo.secret.get_secret_value()


async def test_pending_rotation_resumes_where_it_stopped(
    tmp_path: Path, ws: Workspace, demo: DemoInfo
) -> None:
    env_file = tmp_path / ".env"
    profile = save_demo_profile(ws, demo, env_file=env_file)
    rotation.store_new_secret(ws, profile, demo.next_secret)  # interrupted right after
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen(app).stage == ui.REWRITE
        assert "already uses its new secret" in text_of(app, "#rot-notice")
        await click(pilot, "#rewrite")
        assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == demo.next_secret.get_secret_value()


async def test_interrupted_after_testing_asks_for_the_secret_again(
    ws: Workspace, demo: DemoInfo
) -> None:
    save_demo_profile(ws, demo)
    journal.record(ws, journal.Journal("default", "tested", "file"))  # stopped right there
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen(app).stage == ui.PASTE
        assert "paste the new secret again" in text_of(app, "#rot-notice")


async def test_roll_back_restores_the_old_secret_and_env_file(
    tmp_path: Path, ws: Workspace, demo: DemoInfo
) -> None:
    env_file = tmp_path / ".env"
    save_demo_profile(ws, demo, env_file=env_file)
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await paste_and_test(app, pilot, demo.next_secret)
        await click(pilot, "#store")
        await click(pilot, "#rewrite")
        await click(pilot, "#to-finish")
        await click(pilot, "#rollback")
        await click(pilot, "#confirm-yes")
        assert screen(app).stage == ui.DONE
        assert "Rolled back" in text_of(app, "#done-text")
    old = demo.secret.get_secret_value()
    assert stored(ws) == old
    assert stored(ws, Slot.PREVIOUS) is None
    assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == old
    assert rotation.status(ws, "default") is None


async def test_env_store_profile_has_nothing_to_store(
    ws: Workspace, demo: DemoInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_demo_profile(ws, demo, store="env")
    monkeypatch.setenv(ENV_SECRET, demo.secret.get_secret_value())
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await paste_and_test(app, pilot, demo.next_secret)
        assert screen(app).stage == ui.STORE
        assert ENV_SECRET in text_of(app, "#store-text")
        assert str(app.screen.query_one("#store", Button).label) == f"I updated {ENV_SECRET} →"
        await click(pilot, "#store")
        await click(pilot, "#to-finish")  # no .env file recorded: nothing to rewrite
        assert not app.screen.query_one("#rollback", Button).display  # no backup to go back to
        await click(pilot, "#finish")
        assert screen(app).stage == ui.DONE
    assert not (ws.folder / "secrets.toml").exists()
    assert rotation.status(ws, "default") is None


async def test_several_profiles_ask_which_one_session_profile_first(
    ws: Workspace, demo: DemoInfo
) -> None:
    save_demo_profile(ws, demo, "alpha")
    save_demo_profile(ws, demo, "default")
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickProfileScreen)
        assert app.screen.profiles == ["default", "alpha"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen(app).profile is not None and screen(app).profile.name == "alpha"  # type: ignore[union-attr]


async def test_from_welcome_and_back(ws: Workspace, demo: DemoInfo) -> None:
    save_demo_profile(ws, demo)
    app = make_app(ws, demo, start="welcome")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert screen(app).stage == ui.GENERATE
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_no_saved_profile_says_so(ws: Workspace, demo: DemoInfo) -> None:
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "No profile is saved yet" in text_of(app, "#none-text")


async def test_confirm_is_refused_while_a_env_file_holds_the_old_secret(
    tmp_path: Path, ws: Workspace, demo: DemoInfo
) -> None:
    env_file = tmp_path / ".env"
    save_demo_profile(ws, demo, env_file=env_file)
    old = demo.secret.get_secret_value()
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await paste_and_test(app, pilot, demo.next_secret)
        await click(pilot, "#store")
        await click(pilot, "#to-finish")  # went on without rewriting the .env file
        await click(pilot, "#finish")
        assert screen(app).stage == ui.REWRITE  # sent back, with the reason
        assert "still hold the old secret" in text_of(app, "#rot-notice")
        assert old not in text_of(app, "#rot-notice")
        assert stored(ws, Slot.PREVIOUS) == old  # the backup is kept
        await click(pilot, "#rewrite")
        await click(pilot, "#to-finish")
        await click(pilot, "#finish")
        assert screen(app).stage == ui.DONE
    assert dotenv_values(env_file)["BNXT_CLIENT_SECRET"] == demo.next_secret.get_secret_value()
    assert stored(ws, Slot.PREVIOUS) is None
    assert rotation.status(ws, "default") is None


def focused_in_view(app: WizardApp) -> bool:
    focused = app.focused
    assert focused is not None
    body = app.screen.query_one("#rot-body").region
    return body.contains_region(focused.region) and focused.region.height > 0


async def test_each_stage_focus_is_on_screen_at_80x24(
    tmp_path: Path, ws: Workspace, demo: DemoInfo
) -> None:
    """Store, Continue, Confirm and Roll back sit below the checklist: the focused one is
    scrolled into view at 80x24, so Enter never acts on a button the user cannot see."""
    save_demo_profile(ws, demo)
    app = make_app(ws, demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*demo.next_secret.get_secret_value(), "enter")
        await settle(app, pilot)
        for stage in (ui.STORE, ui.REWRITE, ui.FINISH):
            assert screen(app).stage == stage
            await pilot.pause()
            assert focused_in_view(app), (stage, app.focused)
            await pilot.press("enter")
            await settle(app, pilot)
        assert screen(app).stage == ui.DONE


@pytest.mark.parametrize("key", ["escape", "ctrl+q"])
async def test_leaving_with_a_new_secret_not_stored_asks_first(
    ws: Workspace, demo: DemoInfo, key: str
) -> None:
    """The portal shows the new secret once: Home or Quit before it is stored asks."""
    from wizard.screens.confirm import ConfirmScreen

    save_demo_profile(ws, demo)
    app = make_app(ws, demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await click(pilot, "#have-secret")
        await click(pilot, "#demo-secret")  # typed, not tested yet
        await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # Cancel
        await settle(app, pilot)
        assert screen(app).stage == ui.PASTE and app.is_running
        assert app.screen.query_one("#new-secret", Input).value
