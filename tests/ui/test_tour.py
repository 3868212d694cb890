"""The whole demo walk end to end under Pilot, against the real simulator on loopback."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from tests.ui_helpers import pane_of
from tests.ui_seed import seeded_state
from wizard.app import WizardApp
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.launch import demo_info
from wizard.screens.tour import SCREENS, walk_all, walk_onboarding
from wizard.simulator import DEMO_CLIENT_ID, DEMO_SECRET, Simulator


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as s:
        yield s


def demo_app(sim: Simulator, folder: Path) -> WizardApp:
    return WizardApp(Session(Workspace(folder), demo=demo_info(sim), forced_store="file"))


def step_of(app: WizardApp) -> Step:
    """The current step, read afresh (an assert on app.state.step would narrow its type)."""
    return app.state.step


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def assert_saved_safely(folder: Path) -> None:
    ws = Workspace(folder)
    profile = ws.config.get("default")
    assert profile.client_id == DEMO_CLIENT_ID
    assert [c.company_no for c in profile.companies] == [5280101, 5280102]
    assert profile.verified_at is not None
    assert ws.vault.load(profile).value.get_secret_value() == DEMO_SECRET
    secrets_file = folder / "secrets.toml"
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    for path in files_under(folder):
        if path != secrets_file:
            assert DEMO_SECRET not in path.read_text(errors="replace"), path


@pytest.mark.slow
async def test_the_whole_walk_reaches_every_screen_ends_green_and_saves_safely(
    sim: Simulator, tmp_path: Path
) -> None:
    """The one full walk of the demo in the suite (the snapshots start from seeded states,
    tests/ui_seed.py): every screen in order, the Test step green, the profile and its
    secret saved safely, and on Review the very state the snapshots seed."""
    folder = tmp_path / "cfg"
    app = demo_app(sim, folder)
    demo = app.session.demo
    assert demo is not None
    names: list[str] = []
    panes: list[str] = []

    async def snap(name: str) -> None:
        names.append(name)
        panes.append(type(pane_of(app)).__name__)
        if name == "08-review":
            seeded = seeded_state(demo, Step.REVIEW, app.session.forced_store)
            assert app.state.model_dump() == seeded.model_dump()
            assert app.state.secret == seeded.secret
        elif name == "09-test":
            assert app.state.step is Step.TEST
            assert app.screen.query("#companies")  # the table of companies reached
            assert not app.screen.query("#failure")
            assert_saved_safely(folder)

    async with app.run_test(size=(100, 30)) as pilot:
        await walk_all(pilot, snap)
    assert tuple(names) == SCREENS
    assert panes[0] == "WelcomeScreen" and panes[SCREENS.index("09-test")] == "TestPane"


@pytest.mark.slow
async def test_resume_offers_the_draft_at_its_step(sim: Simulator, tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    app = demo_app(sim, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await walk_onboarding(pilot, upto="05-secret")
        await pilot.press("ctrl+q")
    draft = Workspace(folder).drafts.load("default")
    assert draft is not None and draft.step == Step.SECRET.value
    assert DEMO_SECRET not in (folder / "drafts" / "default.json").read_text()

    app = demo_app(sim, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        resume = app.screen.query_one("#resume-default", Button)
        assert "Generate and capture the client secret" in str(resume.label)
        resume.press()
        await pilot.pause()
        assert app.state.step is Step.SECRET
        assert app.state.client_id == DEMO_CLIENT_ID
        assert app.state.app_name == "Invoice sync"
        assert app.state.secret is None  # never saved: typed again after a restart
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert step_of(app) is Step.INTEGRATION
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert app.screen.query_one("#client-id", Input).value == DEMO_CLIENT_ID


async def test_leaving_a_field_saves_the_draft(sim: Simulator, tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    app = demo_app(sim, folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await walk_onboarding(pilot, upto="02-app-type")
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#app-name", Input).focus()
        await pilot.press(*"Payroll")
        await pilot.press("tab")  # leave the field: no Next, no quit
        await pilot.pause()
        draft = Workspace(folder).drafts.load("default")
        assert draft is not None and draft.values["app_name"] == "Payroll"
