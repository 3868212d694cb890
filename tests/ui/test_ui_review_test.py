"""Pilot tests for the Review and Test steps and the .env export modal.

Every network call goes to a real :class:`wizard.simulator.Simulator` on loopback, or to a
local socket that accepts connections and never answers (something to cancel).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from dotenv import dotenv_values
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, RadioButton, Static

from tests.ui_helpers import click, pane_of, plain, settle, text_of
from wizard.app import WizardApp
from wizard.core.models import Profile
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.profiles import Workspace, save_profile
from wizard.core.session import DemoInfo, Session
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.launch import demo_info
from wizard.screens.confirm import ConfirmScreen
from wizard.screens.env_export import EnvExportScreen
from wizard.screens.env_export_preview import other_lines
from wizard.screens.example_request import example_script
from wizard.screens.review import ReviewPane
from wizard.screens.test_run import (
    TestPane as CheckPane,
)  # not "Test*": pytest would collect it
from wizard.screens.welcome import WelcomeScreen
from wizard.simulator import DEMO_WEB_CLIENT_ID, Simulator

SIZE = (100, 40)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator() as simulator:
        yield simulator


@pytest.fixture
def demo(sim: Simulator) -> DemoInfo:
    return demo_info(sim)


@pytest.fixture
def silent_url() -> Iterator[str]:
    """A token URL whose server accepts the connection and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/connect/token"
    listener.close()


def make_app(tmp_path: Path, demo: DemoInfo) -> WizardApp:
    return WizardApp(Session(Workspace(tmp_path / "cfg"), demo=demo, forced_store="file"))


def filled(demo: DemoInfo, name: str = "demo") -> Onboarding:
    """A finished onboarding for the demo service client."""
    state = Onboarding(profile=name)
    state.choose_app_type(AppType.SERVICE, endpoints=demo.endpoints(AppType.SERVICE))
    state.app_name = "Demo app"
    state.client_id = demo.client_id
    state.registration_checks = [True] * 4
    state.integration_checks = [True] * 2
    state.secret = demo.secret
    state.user_table_checks = [True] * 7
    state.companies = [CompanyRow(company_no=str(n), access_group=g) for n, g in demo.companies]
    return state


def saved(app: WizardApp, state: Onboarding, secret: SecretStr | None = None) -> Profile:
    return save_profile(app.workspace, state.to_profile(), secret or state.secret, "file")


async def show(app: WizardApp, pilot: Pilot[int], state: Onboarding, step: Step) -> None:
    app.start_onboarding(state)
    app.goto(step)
    await pilot.pause()


def texts(app: WizardApp, selector: str = "Static") -> str:
    return "\n".join(plain(s) for s in app.screen.query(selector).results(Static))


# -- review ---------------------------------------------------------------------------------


async def test_review_lists_every_problem_with_a_jump_to_its_step(
    tmp_path: Path, demo: DemoInfo
) -> None:
    state = filled(demo)
    state.client_id = "isv_" + "x" * 30
    state.secret = None
    state.companies = []
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, state, Step.REVIEW)
        problems = state.all_problems()
        assert {step for step, _ in problems} == {Step.REGISTRATION, Step.SECRET, Step.USER_TABLE}
        jumps = list(app.screen.query(".jump").results(Button))
        assert len(jumps) == len(problems)
        assert app.screen.query_one("#next", Button).disabled
        await pilot.press("ctrl+n")  # blocked: nothing saved, still on review
        assert isinstance(pane_of(app), ReviewPane)
        assert app.workspace.config.find("demo") is None
        secret_at = next(i for i, (step, _) in enumerate(problems) if step is Step.SECRET)
        assert "Generate and capture the client secret" in str(jumps[secret_at].label)
        await click(pilot, f"#fix-{secret_at}")
        await pilot.pause()
        assert app.state.step is Step.SECRET
        assert getattr(pane_of(app), "STEP", None) is Step.SECRET


async def test_review_masks_the_secret_and_edit_jumps(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, filled(demo), Step.REVIEW)
        shown = texts(app)
        assert demo.secret.get_secret_value() not in shown
        assert f"•••• ({len(demo.secret.get_secret_value())} characters)" in shown
        assert "secrets.toml" in shown  # where it will be stored
        assert not app.screen.query_one("#next", Button).disabled
        await click(pilot, "#edit-user-table")
        await pilot.pause()
        assert app.state.step is Step.USER_TABLE


async def test_save_writes_profile_and_private_secret_file_then_tests(
    tmp_path: Path, demo: DemoInfo
) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        await show(app, pilot, filled(demo), Step.REVIEW)
        assert str(app.screen.query_one("#next", Button).label) == "Save profile"
        await pilot.press("ctrl+n")  # keyboard only
        await settle(app, pilot)
        assert isinstance(pane_of(app), CheckPane)
        profile = app.workspace.config.get("demo")
        assert profile.secret is not None and profile.secret.store == "file"
        assert profile.verified_at is not None  # the check passed right after saving
    folder = tmp_path / "cfg"
    secrets_file = folder / "secrets.toml"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    value = demo.secret.get_secret_value()
    assert value in secrets_file.read_text()
    assert value not in (folder / "config.toml").read_text()
    for draft in folder.rglob("drafts/*.json"):
        assert value not in draft.read_text()


async def test_overwriting_a_saved_profile_asks_first(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        old = filled(demo)
        old.app_name = "Old name"
        saved(app, old)
        await show(app, pilot, filled(demo), Step.REVIEW)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pane_of(app), ReviewPane)
        assert app.workspace.config.get("demo").app_name == "Old name"
        await pilot.press("ctrl+n")
        await pilot.pause()
        await click(pilot, "#confirm-yes")
        await settle(app, pilot)
        assert app.workspace.config.get("demo").app_name == "Demo app"
        assert isinstance(pane_of(app), CheckPane)


# -- test step ------------------------------------------------------------------------------


async def test_check_is_green_with_the_demo_client(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        saved(app, filled(demo))
        app.check_existing("demo")
        await settle(app, pilot)
        assert isinstance(pane_of(app), CheckPane)
        assert "It works" in text_of(app, "#stages")
        table = app.screen.query_one("#companies", DataTable)
        numbers = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert numbers == {"5280101", "5280102"}
        assert "scope business-graphql-service-api" in text_of(app, "#token")
        assert not app.screen.query("#failure")
        assert app.workspace.config.get("demo").verified_at is not None
        await pilot.press("ctrl+n")  # Done: back to the start, no stale draft to resume
        await pilot.pause()
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert app.workspace.drafts.load("demo") is None


async def test_wrong_secret_explains_and_fix_goes_to_secret_step(
    tmp_path: Path, demo: DemoInfo
) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        saved(app, filled(demo), SecretStr("W" * 40))
        app.check_existing("demo")
        await settle(app, pilot)
        failure = texts(app, "#failure Static")
        assert "Not yet" in text_of(app, "#stages")
        assert "invalid_client" in failure or "secret" in failure.lower()
        assert "W" * 40 not in texts(app)
        fix = app.screen.query_one("#fix", Button)
        assert str(fix.label) == "Fix: Generate and capture the client secret"
        assert app.workspace.config.get("demo").verified_at is None
        await click(pilot, "#fix")
        await pilot.pause()
        assert app.state.step is Step.SECRET


async def test_company_not_granted_is_shown_as_missing(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        state = filled(demo)
        state.companies.append(CompanyRow(company_no="5199203", access_group="Full access"))
        saved(app, state)
        app.check_existing("demo")
        await settle(app, pilot)
        gaps = [plain(s) for s in app.screen.query(".gap").results(Static)]
        assert len(gaps) == 1 and "Company 5199203" in gaps[0]
        assert "Connect Application Access" in gaps[0]  # the User table step to do
        assert str(app.screen.query_one("#fix", Button).label).endswith(
            "User table setup in Business NXT"
        )
        assert app.workspace.config.get("demo").verified_at is None


async def stalled_check(
    app: WizardApp, pilot: Pilot[int], demo: DemoInfo, silent_url: str
) -> CheckPane:
    """The Test step of a saved profile whose token URL never answers: its check runs on."""
    state = filled(demo)
    state.token_url = silent_url
    saved(app, state)
    app.check_existing("demo")
    await pilot.pause()
    screen = pane_of(app)
    assert isinstance(screen, CheckPane)
    # the check starts once the step is drawn: on a loaded machine, a few frames later
    for _ in range(400):
        if any(w.group == "check" and w.is_running for w in screen.workers):
            break
        await pilot.pause(0.025)
    return screen


async def test_cancel_stops_a_check_that_never_answers(
    tmp_path: Path, demo: DemoInfo, silent_url: str
) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await stalled_check(app, pilot, demo, silent_url)
        assert screen.query_one("#running").display
        assert any(w.is_running for w in screen.workers)
        await click(pilot, "#cancel")
        await settle(app, pilot)
        assert "Cancelled" in text_of(app, "#cancelled")
        assert not screen.query_one("#running").display
        assert app.workspace.config.get("demo").verified_at is None


async def test_home_stops_a_check_still_running(
    tmp_path: Path, demo: DemoInfo, silent_url: str
) -> None:
    """The Test screen is kept after its visit: leaving it must still stop its check."""
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await stalled_check(app, pilot, demo, silent_url)
        checks = [w for w in screen.workers if w.group == "check"]
        assert checks and checks[0].is_running
        await pilot.press("ctrl+h")
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert checks[0].is_cancelled
        assert not any(w.is_running for w in screen.workers)
        assert app.workspace.config.get("demo").verified_at is None


async def test_escape_cancels_a_running_check_then_goes_home(
    tmp_path: Path, demo: DemoInfo, silent_url: str
) -> None:
    """Escape, not Ctrl+H, is Home: terminals send Ctrl+H as Backspace."""
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = await stalled_check(app, pilot, demo, silent_url)
        await pilot.press("escape")
        await settle(app, pilot)
        assert pane_of(app) is screen
        assert "Cancelled" in text_of(app, "#cancelled")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)


async def test_escape_on_a_step_goes_home_keeping_the_draft(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        state = filled(demo)
        app.start_onboarding(state)
        app.goto(Step.INTEGRATION)
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)  # the pasted secret is not saved yet
        await click(pilot, "#confirm-yes")
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        draft = app.workspace.drafts.load("demo")
        assert draft is not None and draft.step == Step.INTEGRATION.value


async def test_web_profile_says_why_the_probe_is_skipped(tmp_path: Path, sim: Simulator) -> None:
    demo = demo_info(sim)
    web = next(c for c in sim.seed.clients if c.client_id == DEMO_WEB_CLIENT_ID)
    state = Onboarding(profile="web")
    state.choose_app_type(AppType.WEB, endpoints=demo.endpoints(AppType.WEB))
    state.app_name = "Web demo"
    state.client_id = DEMO_WEB_CLIENT_ID
    state.registration_checks = [True] * 4
    state.integration_checks = [True] * 2
    state.secret = web.secrets[0]
    state.local_dev_enabled = False  # no local port: the headless check alone, no sign-in
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        saved(app, state)
        app.check_existing("web")
        await settle(app, pilot)
        stages = text_of(app, "#stages")
        # the headless check proves the client ID and secret, not the sign-in
        assert "It works" not in stages
        assert "Client ID and secret accepted" in stages and "not proven yet" in stages
        assert "bnxt-wizard login --profile web" in stages
        assert "Skipped" in stages and "signed-in" in stages
        assert not app.screen.query("#companies")


async def test_example_request_keeps_the_secret_out(tmp_path: Path, demo: DemoInfo) -> None:
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        profile = saved(app, filled(demo))
        app.check_existing("demo")
        await settle(app, pilot)
        example = text_of(app, "#example-code")
        assert '"$BNXT_CLIENT_ID:$BNXT_CLIENT_SECRET"' in example
        assert "Authorization: Bearer $TOKEN" in example
        assert profile.endpoints.token_url in example
        assert demo.secret.get_secret_value() not in example
        await click(pilot, "#copy")
        assert app.clipboard == example_script(profile)


# -- .env export ----------------------------------------------------------------------------


async def open_export(app: WizardApp, pilot: Pilot[int]) -> EnvExportScreen:
    app.check_existing("demo")
    await settle(app, pilot)
    await click(pilot, "#env")
    await settle(app, pilot)
    assert isinstance(app.screen, EnvExportScreen)
    return app.screen


async def test_env_export_writes_a_dotenv_and_records_it(
    tmp_path: Path, demo: DemoInfo, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        saved(app, filled(demo))
        modal = await open_export(app, pilot)
        assert str(project / ".env") in text_of(app, "#env-resolved")
        assert "new file" in text_of(app, "#env-status")
        await click(pilot, "#env-write")
        await settle(app, pilot)
        assert "Wrote" in text_of(app, "#env-result")
        assert modal.written == project / ".env"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pane_of(app), CheckPane)
    values = dotenv_values(project / ".env")
    assert values["BNXT_CLIENT_ID"] == demo.client_id
    assert values["BNXT_CLIENT_SECRET"] == demo.secret.get_secret_value()
    assert stat.S_IMODE((project / ".env").stat().st_mode) == 0o600
    records = Workspace(tmp_path / "cfg").config.get("demo").env_files
    assert [(r.path, r.format, r.prefix, r.include_secret) for r in records] == [
        (str(project / ".env"), "dotenv", "BNXT_", True)
    ]


async def test_env_export_merges_and_dedupes_the_record(tmp_path: Path, demo: DemoInfo) -> None:
    target = tmp_path / "svc.env"
    target.write_text("# mine\nOTHER=1\nBNXT_CLIENT_ID=old\n")
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        saved(app, filled(demo))
        for _ in range(2):
            await open_export(app, pilot)
            app.screen.query_one("#env-path", Input).value = str(target)
            await settle(app, pilot)
            assert "2 other lines will be kept" in text_of(app, "#env-status")
            await click(pilot, "#env-write")
            await settle(app, pilot)
            await pilot.press("escape")
            await pilot.pause()
    values = dotenv_values(target)
    assert values["OTHER"] == "1" and values["BNXT_CLIENT_ID"] == demo.client_id
    records = Workspace(tmp_path / "cfg").config.get("demo").env_files
    assert [r.path for r in records] == [str(target)]


async def test_env_export_json_without_secret(tmp_path: Path, demo: DemoInfo) -> None:
    target = tmp_path / "bnxt.json"
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        saved(app, filled(demo))
        await open_export(app, pilot)
        app.screen.query_one("#env-path", Input).value = str(target)
        app.screen.query_one("#fmt-json", RadioButton).value = True
        app.screen.query_one("#env-prefix", Input).value = "APP_"
        await pilot.pause()
        await click(pilot, "#env-secret")
        await settle(app, pilot)
        await click(pilot, "#env-write")
        await settle(app, pilot)
    text = target.read_text()
    assert '"APP_CLIENT_ID"' in text and demo.secret.get_secret_value() not in text
    (record,) = Workspace(tmp_path / "cfg").config.get("demo").env_files
    assert (record.format, record.prefix, record.include_secret) == ("json", "APP_", False)


async def test_env_export_refuses_a_git_tracked_file_before_writing(
    tmp_path: Path, demo: DemoInfo
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    (repo / ".env").write_text("A=1\n")
    subprocess.run(["git", "-C", str(repo), "add", ".env"], check=True, env=env)
    app = make_app(tmp_path, demo)
    async with app.run_test(size=SIZE) as pilot:
        saved(app, filled(demo))
        await open_export(app, pilot)
        app.screen.query_one("#env-path", Input).value = str(repo / ".env")
        await settle(app, pilot)
        assert "tracked by git" in text_of(app, "#env-status")
        assert app.screen.query_one("#env-write", Button).disabled
        await click(pilot, "#env-write")
        await settle(app, pilot)
        assert (repo / ".env").read_text() == "A=1\n"
        (repo / "new.env").parent.mkdir(exist_ok=True)
        app.screen.query_one("#env-path", Input).value = str(repo / "new.env")
        await settle(app, pilot)
        assert ".gitignore" in text_of(app, "#env-status")  # warned, not refused
        assert not app.screen.query_one("#env-write", Button).disabled


def test_other_lines_counts_what_a_merge_keeps() -> None:
    text = "# c\n\nA=1\nBNXT_CLIENT_ID=x\nB='two\nlines'\n"
    assert other_lines(text, {"BNXT_CLIENT_ID"}) == 4
