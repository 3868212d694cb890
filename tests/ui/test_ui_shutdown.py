"""A pane or widget mounted while the app shuts down gets no children (Textual refuses mounts
into a closing node). Its mount handler must not assume them: CI once failed at teardown
when the step built ahead (the prefetch) was mounted as the test app exited, and
LocalUrisPane's handler queried a child that was never composed.

Each test mounts a subclass whose composed children are dropped, as at shutdown, and
checks that the app ran its mount handler without an error.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TypeVar

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget

from wizard.app import WizardApp
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.profiles import Workspace
from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.screens.onboarding import STEP_PANES, pane_class
from wizard.screens.test_login import SignInPanel
from wizard.screens.user_table import CompanyEditor
from wizard.widgets.copy_row import CopyRow
from wizard.widgets.field import Field

W = TypeVar("W", bound=Widget)


def childless(cls: type[W]) -> type[W]:
    """``cls`` whose composed children are never mounted, as while the app shuts down."""

    async def mount_composed_widgets(self: Widget, widgets: list[Widget]) -> None:
        del widgets  # dropped: Textual's mount() into a closing node mounts nothing

    return type(
        f"Childless{cls.__name__}", (cls,), {"mount_composed_widgets": mount_composed_widgets}
    )


class Host(App[None]):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


async def mount_and_exit(widget: Widget) -> None:
    app = Host(widget)
    async with app.run_test() as pilot:  # an error in a handler is raised on exit
        await pilot.pause()
        assert widget.is_mounted
        assert not widget.children


def state(app_type: AppType) -> Onboarding:
    s = Onboarding()
    s.choose_app_type(app_type)
    return s


@pytest.mark.parametrize("app_type", [AppType.WEB, AppType.SERVICE])
@pytest.mark.parametrize("step", list(STEP_PANES), ids=lambda s: s.value)
async def test_a_step_pane_mounted_during_shutdown_does_not_fail(
    tmp_path: Path, step: Step, app_type: AppType
) -> None:
    session = Session(Workspace(tmp_path / "cfg"))
    pane = childless(pane_class(step))(session, state(app_type))
    await mount_and_exit(pane)


async def test_widgets_mounted_during_shutdown_do_not_fail(tmp_path: Path) -> None:
    await mount_and_exit(childless(Field)("Port", input_id="port", value="123"))
    await mount_and_exit(childless(CopyRow)("URI", "https://app.local:1/"))
    await mount_and_exit(
        childless(CompanyEditor)(CompanyRow(company_no="1234567", access_group="Admin"), 1)
    )
    await mount_and_exit(childless(SignInPanel)(None))


@pytest.mark.parametrize("delay", [0.0, 0.02, 0.05, 0.08])
async def test_switching_the_app_type_while_the_next_step_is_built(
    tmp_path: Path, delay: float
) -> None:
    """The next step is built ahead (PREFETCH_DELAY after a step is shown); a new app type
    drops it. Dropped while still mounting, or holding a Changed still queued, it used to
    raise NoMatches (its widgets gone) or leave the test driver waiting on it."""
    from textual.widgets import RadioButton

    from wizard.launch import demo_info
    from wizard.screens.onboarding import OnboardingScreen
    from wizard.simulator import Simulator

    with Simulator() as sim:
        app = WizardApp(
            Session(Workspace(tmp_path / "cfg"), demo=demo_info(sim), forced_store="file")
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("n")
            for kind in ("web", "service", "web", "service", "web"):
                await asyncio.sleep(delay)
                app.screen.query_one(f"#{kind}", RadioButton).value = True
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, OnboardingScreen)
            built_for = {s: p.built_for for s, p in screen.panes.items() if s is not Step.APP_TYPE}
            # (the radio set settles on the last button it processed: not always the last set)
            assert set(built_for.values()) <= {screen.state.app_type}, built_for
            await pilot.press("ctrl+n")
            await pilot.pause()
            assert screen.state.step is screen.state.next_step(Step.APP_TYPE)
