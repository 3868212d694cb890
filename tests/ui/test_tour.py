"""The whole demo walk end to end under Pilot, against the real simulator on loopback."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from tests.ui_helpers import pane_of
from wizard.app import WizardApp
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.launch import demo_info
from wizard.screens.tour import SCREENS, WEB_SCREENS, walk_all, walk_onboarding
from wizard.simulator import DEMO_CLIENT_ID, DEMO_NEXT_SECRET, DEMO_SECRET, Simulator


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


async def test_onboarding_walk_ends_green_and_saves_safely(sim: Simulator, tmp_path: Path) -> None:
    folder = tmp_path / "cfg"
    app = demo_app(sim, folder)
    seen: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:

        async def snap(name: str) -> None:
            seen.append(type(pane_of(app)).__name__)

        await walk_onboarding(pilot, snap, upto="09-test")
        assert app.state.step is Step.TEST
        assert app.screen.query("#companies")  # the table of companies reached
        assert not app.screen.query("#failure")
    assert seen[0] == "WelcomeScreen" and seen[-1] == "TestPane"
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


async def test_every_screen_of_the_walk_is_reached(sim: Simulator, tmp_path: Path) -> None:
    app = demo_app(sim, tmp_path / "cfg")
    names: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:

        async def snap(name: str) -> None:
            names.append(name)

        await walk_all(pilot, snap)
    assert tuple(names) == SCREENS


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


async def test_screenshots_never_show_a_secret(tmp_path: Path) -> None:
    from wizard.screenshots import capture

    written = await capture(tmp_path / "shots", size=(100, 30))
    narrow = ["03-registration-80x24", "03-registration-60x20"]
    assert [p.stem for p in written] == [*SCREENS, *WEB_SCREENS, *narrow]
    for path in written:
        svg = path.read_text()
        for secret in (DEMO_SECRET, DEMO_NEXT_SECRET):
            assert secret not in svg, path
            assert secret[:12] not in svg, path
        # nor where it was made: the throwaway folders are shown as stand-ins
        assert "bnxt-shots" not in svg and str(tmp_path) not in svg, path


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
