"""A step's first view is the same on every Python: its intro at the top, its first field focused.

Textual's auto focus focuses with ``scroll_visible=True``, which defers a "scroll to centre
unless entirely in view" check. On the first step (built as it is shown; later steps are built
ahead) that check could land between two layout passes and scroll the intro off screen, or
not, depending on the event loop's timing: it did under Python 3.11 and under ``run_test``,
it did not under 3.13's ``App.run``. Steps now focus their first field without scrolling.
Both ways of running an app are checked here, since they schedule differently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import RadioButton

from wizard.app import WizardApp
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.screens.onboarding import OnboardingScreen

FIRST_FIELD = {Step.APP_TYPE: "app-type", Step.REGISTRATION: "profile"}


async def first_views(pilot: Pilot[Any]) -> list[tuple[Step, float, str | None]]:
    """(step, body scroll offset, focused id) for the app type and registration steps."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    seen: list[tuple[Step, float, str | None]] = []
    await pilot.press("n")  # Welcome: New
    for step in FIRST_FIELD:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OnboardingScreen) and screen.pane.STEP is step
        body = screen.query_one("#body", VerticalScroll)
        seen.append((step, body.scroll_y, app.focused.id if app.focused else None))
        if step is Step.APP_TYPE:
            screen.query_one("#service", RadioButton).value = True
            await pilot.pause()
            await pilot.press("ctrl+n")
    return seen


def expected() -> list[tuple[Step, float, str | None]]:
    return [(step, 0, field) for step, field in FIRST_FIELD.items()]


def make_app(tmp_path: Path) -> WizardApp:
    return WizardApp(Session(Workspace(tmp_path / "cfg")))


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_under_run_test(tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=size) as pilot:
        assert await first_views(pilot) == expected()


def test_under_app_run(tmp_path: Path) -> None:
    """As a user runs it (``App.run``), and as the snapshot plugin does."""
    app = make_app(tmp_path)
    seen: list[tuple[Step, float, str | None]] = []

    async def auto_pilot(pilot: Pilot[Any]) -> None:
        seen.extend(await first_views(pilot))
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=auto_pilot)
    assert seen == expected()
