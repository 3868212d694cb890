"""Drive the demo through every screen with Pilot.

One walk, three users: ``make screenshots`` saves each screen as an SVG, the snapshot tests
compare each screen with its stored picture, and the end-to-end Pilot test asserts the walk
ends green. The walk types what a newcomer would type in the demo.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual.widgets import Button, Checkbox, ContentSwitcher, Input, RadioButton

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from wizard.app import WizardApp

Snap = Callable[[str], Awaitable[None]]

SCREENS = (
    "01-welcome",
    "02-app-type",
    "03-registration",
    "04-integration",
    "05-secret",
    "06-local-uris",
    "07-user-table",
    "08-review",
    "09-test",
    "10-env-export",
    "11-rotate",
)
WEB_SCREENS = ("12-web-test",)  # walk_web's: a second walk, for a web profile


async def _settle(pilot: Pilot[int]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _click(pilot: Pilot[int], selector: str) -> None:
    button = pilot.app.screen.query_one(selector, Button)
    button.press()
    await _settle(pilot)


async def _type(pilot: Pilot[int], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.value = text
    await _settle(pilot)


async def _tick_all(pilot: Pilot[int]) -> None:
    """Tick the current step's boxes, as its reader would (not those of the steps built
    ahead or left behind, nor the ones that may stay unticked)."""
    pane = pilot.app.screen.query_one("#steps", ContentSwitcher).visible_content
    assert pane is not None
    for box in pane.query(Checkbox):
        if not box.value and box.id != "reveal" and not box.has_class("optional"):
            box.value = True
    await _settle(pilot)


async def _next(pilot: Pilot[int]) -> None:
    await pilot.press("ctrl+n")
    await _settle(pilot)


async def _noop(name: str) -> None:
    return None


async def walk_onboarding(pilot: Pilot[int], snap: Snap = _noop, *, upto: str = "") -> None:
    """Welcome -> a saved, tested service profile in the demo. Stops after ``upto`` if given."""
    app: WizardApp = pilot.app  # type: ignore[assignment]
    assert app.session.demo is not None, "the tour needs a demo session"
    demo = app.session.demo

    async def shot(name: str) -> bool:
        app.clear_notifications()  # toasts come and go with time: keep pictures stable
        await pilot.pause()
        await snap(name)
        return name == upto

    await _settle(pilot)
    if await shot("01-welcome"):
        return
    await pilot.press("n")
    await _settle(pilot)
    app.screen.query_one("#service", RadioButton).value = True
    await _settle(pilot)
    if await shot("02-app-type"):
        return
    await _next(pilot)
    await _type(pilot, "#app-name", "Invoice sync")
    await _type(pilot, "#client-id", demo.client_id)
    await _type(pilot, "#description", "Posts approved invoices to Business NXT")
    await _tick_all(pilot)
    if await shot("03-registration"):
        return
    await _next(pilot)
    await _tick_all(pilot)
    if await shot("04-integration"):
        return
    await _next(pilot)
    await _click(pilot, "#demo-secret")
    if await shot("05-secret"):
        return
    await _next(pilot)
    app.screen.query_one("#local-dev", Checkbox).value = True
    await _settle(pilot)
    if await shot("06-local-uris"):
        return
    app.screen.query_one("#local-dev", Checkbox).value = False
    await _settle(pilot)
    await _next(pilot)
    await _tick_all(pilot)
    await _click(pilot, "#demo-companies")
    if await shot("07-user-table"):
        return
    await _next(pilot)
    if await shot("08-review"):
        return
    await _next(pilot)  # Save -> Test, which starts the check at once
    await _settle(pilot)
    if await shot("09-test"):
        return
    await _click(pilot, "#env")
    if await shot("10-env-export"):
        return
    await pilot.press("escape")
    await _settle(pilot)


async def walk_rotation(pilot: Pilot[int], snap: Snap = _noop) -> None:
    """From a saved demo profile: open rotation, paste the demo's next secret."""
    from wizard.screens.rotate import RotateScreen

    app: WizardApp = pilot.app  # type: ignore[assignment]
    await app.push_screen(RotateScreen(app.session))
    await _settle(pilot)
    await _click(pilot, "#have-secret")
    await _click(pilot, "#demo-secret")
    await snap("11-rotate")


async def walk_web(pilot: Pilot[int], snap: Snap = _noop, *, port: int = 12345) -> None:
    """From home: a web profile for the demo web client on ``port``, saved and tested, the
    demo user signing in (the demo playing the browser). The simulator must have the
    redirect URI on ``port`` registered (the demo's web client has 12345)."""
    from wizard.screens.test_login import SignInPanel

    app: WizardApp = pilot.app  # type: ignore[assignment]
    assert app.session.demo is not None, "the tour needs a demo session"
    demo = app.session.demo
    app.go_home()
    await _settle(pilot)
    await pilot.press("n")
    await _settle(pilot)
    app.screen.query_one("#web", RadioButton).value = True
    await _settle(pilot)
    await _next(pilot)
    await _type(pilot, "#port", str(port))
    await _next(pilot)
    await _type(pilot, "#profile", "web")
    await _type(pilot, "#app-name", "Customer portal")
    await _type(pilot, "#client-id", demo.web_client_id)
    await _type(pilot, "#description", "Lets customers see their orders")
    await _tick_all(pilot)
    await _next(pilot)
    await _tick_all(pilot)
    await _next(pilot)
    await _click(pilot, "#demo-secret")
    await _next(pilot)  # Review
    await pilot.press("ctrl+n")  # Save -> Test: the check, then the sign-in waits
    for _ in range(600):
        await pilot.pause(0.05)
        panels = list(app.screen.query(SignInPanel).results(SignInPanel))
        waiting = panels and panels[0].query_one("#paste-row").display
        if waiting and panels[0].query("#demo-signin-0"):
            break
    await _click(pilot, "#demo-signin-0")
    app.clear_notifications()
    await pilot.pause()
    await snap("12-web-test")


async def walk_all(pilot: Pilot[int], snap: Snap = _noop) -> None:
    await walk_onboarding(pilot, snap)
    await walk_rotation(pilot, snap)
