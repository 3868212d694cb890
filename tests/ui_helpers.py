"""Pilot helpers shared by the UI tests."""

from __future__ import annotations

import contextlib
import io

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkerCancelled


async def click(pilot: Pilot[int], selector: str) -> None:
    """Scroll the widget into view first, as a user would, then click it (once it is on
    screen: on a loaded machine a screen just shown may need a few more frames)."""
    widget = pilot.app.screen.query_one(selector)
    for _ in range(200):
        widget.scroll_visible(animate=False, immediate=True)
        await pilot.pause()
        where = widget.region
        if where.area and pilot.app.screen.region.contains(where.x, where.y):
            break
        await pilot.pause(0.025)
    await pilot.click(selector)
    await pilot.pause()


async def settle(app: App[int], pilot: Pilot[int]) -> None:
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):  # a cancelled worker is an expected outcome
        await app.workers.wait_for_complete()
    await pilot.pause()


def plain(static: Static) -> str:
    """What a Static shows, as plain text (markup, Text and Rich tables alike)."""
    console = Console(width=200, file=io.StringIO(), record=True)
    console.print(static.content)
    return console.export_text()


def text_of(app: App[int], selector: str) -> str:
    return plain(app.screen.query_one(selector, Static))


def pane_of(app: App[int]) -> Widget:
    """The step pane on screen (the screen itself when it is not the onboarding)."""
    from wizard.screens.onboarding import OnboardingScreen

    screen = app.screen
    return screen.pane if isinstance(screen, OnboardingScreen) else screen
