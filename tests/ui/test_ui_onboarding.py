"""Pilot tests for the onboarding screen (wizard/screens/onboarding.py): its panes, leaving
with an unsaved secret, drafts that match what the user did, focus, and the step rail.

No test needs the network: the steps before Test only read and write the state. Every app
works in a temporary config folder, with the in-memory keyring from conftest.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from textual.widgets import Button, Checkbox, Input, RadioButton, Static, Switch

from tests.ui_helpers import click, pane_of, plain, settle
from wizard import launch as launch_module
from wizard.app import WizardApp
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.profiles import Workspace, save_profile
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.screens.confirm import ConfirmScreen
from wizard.screens.onboarding import OnboardingScreen
from wizard.screens.welcome import WelcomeScreen
from wizard.widgets.copy_row import CopyRow
from wizard.widgets.marks import MarkedCheckbox, MarkedRadioButton
from wizard.widgets.step_rail import StepRail

CLIENT_ID = "isv_invoice-sync"
SECRET = "S3cr3t-v4lue-for-tests"


def make_app(tmp_path: Path) -> WizardApp:
    return WizardApp(Session(Workspace(tmp_path / "cfg"), forced_store="file"))


def filled(step: Step, *, secret: bool = True, **changes: Any) -> Onboarding:
    state = Onboarding(profile="dev", step=step)
    state.choose_app_type(AppType.SERVICE)
    state.app_name = "Invoice sync"
    state.client_id = CLIENT_ID
    state.description = "Posts invoices"
    state.registration_checks = [True] * 4
    state.integration_checks = [True] * 2
    state.secret = SecretStr(SECRET) if secret else None
    state.user_table_checks = [True] * 7
    state.companies = [CompanyRow(company_no="5280101", access_group="Readers")]
    for name, value in changes.items():
        setattr(state, name, value)
    return state


async def begin(app: WizardApp, pilot: Any, state: Onboarding) -> OnboardingScreen:
    app.start_onboarding(state)
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, OnboardingScreen)
    return screen


# -- a once-shown secret is never lost silently ------------------------------------------


@pytest.mark.parametrize("key", ["escape", "ctrl+q"])
async def test_leaving_with_an_unsaved_secret_asks_first(tmp_path: Path, key: str) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.SECRET))
        await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "only once" in plain(app.screen.query_one("#confirm-question", Static))
        assert app.screen.focused is app.screen.query_one("#confirm-no")  # the safe answer
        await pilot.press("enter")  # Cancel: back where the user was, the secret still there
        await settle(app, pilot)
        now_showing: object = app.screen
        assert now_showing is screen and app.is_running
        assert screen.query_one("#secret", Input).value == SECRET
        await pilot.press(key)
        await settle(app, pilot)
        await click(pilot, "#confirm-yes")
        await settle(app, pilot)
        if key == "escape":
            assert isinstance(app.screen, WelcomeScreen)
    if key == "ctrl+q":
        assert app.return_code == 0


async def test_back_from_the_secret_step_keeps_it_without_asking(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.SECRET))
        await pilot.press("ctrl+b")  # still in this onboarding: nothing is lost
        await settle(app, pilot)
        assert app.screen is screen and screen.state.step is Step.INTEGRATION
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert screen.query_one("#secret", Input).value == SECRET


async def test_home_without_a_pasted_secret_does_not_ask(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(app, pilot, filled(Step.REGISTRATION, secret=False))
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)


# -- drafts --------------------------------------------------------------------------------


async def test_renaming_the_profile_moves_its_draft(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.REGISTRATION, secret=False))
        assert [d.profile for d in app.workspace.drafts.list()] == ["dev"]
        screen.query_one("#profile", Input).value = "prod"
        await settle(app, pilot)
        await pilot.press("tab")  # leaving the field saves the draft
        await settle(app, pilot)
        assert [d.profile for d in app.workspace.drafts.list()] == ["prod"]


async def test_checking_a_saved_profile_writes_no_draft(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    listener = socket.socket()  # a token URL that takes the connection and never answers
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    state = filled(Step.REVIEW, token_url=f"http://127.0.0.1:{port}/connect/token")
    save_profile(app.workspace, state.to_profile(), state.secret, "file")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.check_existing("dev")
        await pilot.pause()
        assert getattr(pane_of(app), "STEP", None) is Step.TEST
        app.screen.query_one("#cancel", Button).press()
        await settle(app, pilot)
        await pilot.press("ctrl+b")  # Back to Review, then Home: nothing was changed
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)  # saved: no secret at risk, no question
        assert app.workspace.drafts.list() == []
    listener.close()


def test_demo_honours_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[WizardApp] = []
    monkeypatch.setattr(launch_module, "_run", lambda app: seen.append(app) or 0)  # type: ignore[func-returns-value]
    assert launch_module.launch(config_dir=str(tmp_path / "mine"), profile="x", demo=True) == 0
    session = seen[0].session
    assert session.demo is not None
    assert session.workspace.folder == tmp_path / "mine"
    assert not session.throwaway_folder
    launch_module.launch(config_dir=None, profile="x", demo=True)
    assert seen[1].session.throwaway_folder
    assert not seen[1].session.workspace.folder.exists()  # thrown away on exit
    # the next demo in the kept folder listens where this one did: its drafts still reach it
    launch_module.launch(config_dir=str(tmp_path / "mine"), profile="x", demo=True)
    again = seen[2].session.demo
    assert again is not None and again.token_url == session.demo.token_url


# -- panes read the state when shown ---------------------------------------------------------


async def test_a_step_shows_what_an_earlier_step_changed(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await begin(app, pilot, filled(Step.USER_TABLE))
        assert screen.query_one("#user-name", CopyRow).value == CLIENT_ID
        app.goto(Step.REGISTRATION)
        await settle(app, pilot)
        screen.query_one("#client-id", Input).value = "isv_other"
        await settle(app, pilot)
        app.goto(Step.USER_TABLE)
        await settle(app, pilot)
        assert screen.query_one("#user-name", CopyRow).value == "isv_other"
        texts = " ".join(plain(s) for s in screen.query(".step-text").results(Static))
        assert "isv_other" in texts and CLIENT_ID not in texts


async def test_a_new_app_type_rebuilds_the_later_steps(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await begin(app, pilot, filled(Step.INTEGRATION))
        assert "service" in screen.query_one("#portal-scope", CopyRow).value
        app.goto(Step.APP_TYPE)
        await settle(app, pilot)
        assert "Step 1 of 8" in plain(screen.query_one("#step-header", Static))
        screen.query_one("#web", RadioButton).value = True
        await settle(app, pilot)
        # the header counts the new type's steps at once (it said "of 8" until Next)
        assert "Step 1 of 7" in plain(screen.query_one("#step-header", Static))
        app.goto(Step.INTEGRATION)
        await settle(app, pilot)
        assert screen.query_one("#portal-scope", CopyRow).value == (
            "business-graphql-api:access-group-based"
        )
        assert Step.USER_TABLE not in screen.state.steps()


# -- focus -----------------------------------------------------------------------------------


async def test_coming_back_to_a_step_focuses_its_first_field(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await begin(app, pilot, filled(Step.REGISTRATION))
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert app.focused is not None and app.focused.id == "profile"  # not "← Back"


async def test_fix_on_review_focuses_the_wrong_field(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await begin(app, pilot, filled(Step.REVIEW, client_id="not a client id"))
        fixes = [b for b in app.screen.query(".jump").results(Button)]
        assert fixes
        await click(pilot, f"#{fixes[0].id}")
        await settle(app, pilot)
        assert app.focused is not None and app.focused.id == "client-id"


async def test_marks_differ_by_shape_not_only_by_colour(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.REGISTRATION))
        box = screen.query_one("#reg-check-0", Checkbox)
        assert isinstance(box, MarkedCheckbox)
        ticked = box.render_line(0).text
        box.value = False
        await settle(app, pilot)
        assert "X" in ticked and "X" not in box.render_line(0).text


async def test_the_local_dev_toggle_reads_on_and_off_without_colour(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.LOCAL_URIS))
        box = screen.query_one("#local-dev", Checkbox)
        assert isinstance(box, MarkedCheckbox) and app.focused is box
        off = box.render_line(0).text
        await pilot.press("space")
        await settle(app, pilot)
        assert screen.state.local_dev_enabled
        on = box.render_line(0).text
        assert "X" in on and "X" not in off
        assert "local web front end" in on


async def test_every_toggle_in_the_onboarding_has_a_shape_mark(tmp_path: Path) -> None:
    """No Switch and no plain Checkbox or RadioButton on any step, service or web."""
    for app_type in AppType:
        app = make_app(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            state = filled(Step.APP_TYPE)
            state.choose_app_type(app_type)
            screen = await begin(app, pilot, state)
            for step in state.steps():
                await screen.show_step(step)
                await settle(app, pilot)
            toggles = [*screen.query(Checkbox), *screen.query(RadioButton)]
            assert len(toggles) > 10
            assert all(isinstance(t, MarkedCheckbox | MarkedRadioButton) for t in toggles)
            assert not screen.query(Switch)


# -- the step built ahead ------------------------------------------------------------------


async def staged_next(app: WizardApp, pilot: Any, screen: OnboardingScreen) -> Any:
    """The next step's pane once it is built ahead and staged (a generous bound, no timing)."""
    nxt = screen.state.next_step(screen.state.step)
    assert nxt is not None
    for _ in range(400):
        await pilot.pause(0.025)
        pane = screen.panes.get(nxt)
        if pane is not None and pane.staged and pane.region.area:
            return pane
    raise AssertionError("the next step was never staged")


async def test_the_step_built_ahead_is_neither_seen_nor_reached(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.SECRET))
        body = screen.query_one("#body")
        staged = await staged_next(app, pilot, screen)
        assert staged.STEP is Step.LOCAL_URIS and staged.display
        assert staged.region.y >= app.size.height  # laid out, but below the screen
        # no scrolling down to it: the scroll extent is the shown step's alone
        assert body.virtual_size.height <= screen.pane.outer_size.height + 2
        chain = screen.focus_chain
        assert chain and not any(staged in w.ancestors for w in chain)
        for _ in range(len(chain) + 2):  # Tab never lands in it
            await pilot.press("tab")
            assert app.focused is not None and staged not in app.focused.ancestors
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert screen.pane is staged and not staged.staged
        assert staged.region.y < app.size.height  # in its place now
        assert app.focused is screen.query_one("#local-dev")


async def test_the_step_left_waits_staged_while_a_neighbour(tmp_path: Path) -> None:
    """Back keeps the step left laid out and drawn, off-screen (Next returns to it with a
    switch); a step that is no neighbour any more is hidden, not kept staged."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.SECRET))
        after = await staged_next(app, pilot, screen)
        secret = screen.pane
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert screen.state.step is Step.INTEGRATION
        assert secret.staged and secret.display and secret.region.y >= app.size.height
        assert not after.display  # two steps away now
        assert not any(secret in w.ancestors for w in screen.focus_chain)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert screen.pane is secret and not secret.staged
        assert secret.region.y < app.size.height


async def test_a_step_built_ahead_does_not_animate_while_waiting(tmp_path: Path) -> None:
    """The Test step waits staged while the Review is read: its spinner (which redraws
    itself 16 times a second) shows only while a check runs."""
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await begin(app, pilot, filled(Step.REVIEW))
        staged = await staged_next(app, pilot, screen)
        assert staged.STEP is Step.TEST
        animated = [
            w
            for w in staged.query("*")
            if w.auto_refresh and all(a.display for a in (w, *w.ancestors) if a is not screen)
        ]
        assert animated == []


# -- the step rail -------------------------------------------------------------------------


async def test_the_step_rail_shows_on_wide_terminals_only(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await begin(app, pilot, filled(Step.SECRET))
        rail = screen.query_one(StepRail)
        assert rail.display and rail.region.width > 0
        prompts = [str(rail.get_option_at_index(i).prompt) for i in range(rail.option_count)]
        assert prompts[0].startswith("✓") and prompts[3].startswith("▶")
        assert prompts[4].startswith("·")
        assert rail.get_option_at_index(4).disabled and not rail.get_option_at_index(1).disabled
        rail.focus()
        rail.highlighted = 1
        await pilot.press("enter")  # a done step is one key away
        await settle(app, pilot)
        assert screen.state.step is Step.REGISTRATION
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert screen.query_one(StepRail).region.width == 0
        assert "Step 2 of" in plain(screen.query_one("#step-header", Static))


async def test_the_rail_marks_a_skipped_problem(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await begin(app, pilot, filled(Step.REVIEW, app_name=""))
        rail = screen.query_one(StepRail)
        assert str(rail.get_option_at_index(1).prompt).startswith("!")


# -- client options reach every flow of the UI ------------------------------------------------


def test_rotate_with_a_ca_bundle_opening_the_ui_keeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.cli.app import run

    bundle = tmp_path / "corp-ca.pem"
    bundle.write_text("not read here\n")
    seen: list[WizardApp] = []
    monkeypatch.setattr(launch_module, "_run", lambda app: seen.append(app) or 0)  # type: ignore[func-returns-value]
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    # the whole command line, through the command table, as a user types it
    assert run(["rotate", "--config-dir", str(tmp_path / "cfg"), "--ca-bundle", str(bundle)]) == 0
    options = seen[0].session.options
    assert options is not None and str(options.ca_bundle) == str(bundle)


async def test_the_test_step_uses_the_session_client_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wizard.screens.test_run as test_run
    from wizard.core.connect import ClientOptions

    used: list[object] = []

    async def fake_check(*args: Any, options: Any = None, **kwargs: Any) -> Any:
        used.append(options)
        raise RuntimeError("stop here")

    monkeypatch.setattr(test_run, "run_check", fake_check)
    options = ClientOptions(ca_bundle=str(tmp_path / "ca.pem"), total_timeout=7.0)
    app = WizardApp(Session(Workspace(tmp_path / "cfg"), forced_store="file", options=options))
    state = filled(Step.REVIEW)
    save_profile(app.workspace, state.to_profile(), state.secret, "file")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.check_existing("dev")
        await settle(app, pilot)
    assert used == [options]
