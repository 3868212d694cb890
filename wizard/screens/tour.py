"""Drive the demo through every screen with Pilot.

One walk, three users: ``make screenshots`` saves each screen as an SVG, the snapshot tests
compare each screen with its stored picture, and the end-to-end Pilot test asserts the walk
ends green. The walk types what a newcomer would type in the demo.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.widgets import Button, Checkbox, ContentSwitcher, Input, RadioButton

from wizard.core.steps import Step

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from wizard.app import WizardApp
    from wizard.core.session import DemoInfo

Snap = Callable[[str], Awaitable[None]]
Action = Callable[["Pilot[int]"], Awaitable[None]]

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
    """Press a button without its 0.2 s pressed highlight, which a picture taken right after
    would catch or not depending on the machine's speed."""
    button = pilot.app.screen.query_one(selector, Button)
    button.active_effect_duration = 0
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


async def _nothing(pilot: Pilot[int]) -> None:
    return None


# what the newcomer does on each screen of the walk -------------------------------------
async def _choose_service(pilot: Pilot[int]) -> None:
    pilot.app.screen.query_one("#service", RadioButton).value = True
    await _settle(pilot)


async def _register(pilot: Pilot[int]) -> None:
    demo = _demo(pilot)
    await _type(pilot, "#app-name", "Invoice sync")
    await _type(pilot, "#client-id", demo.client_id)
    await _type(pilot, "#description", "Posts approved invoices to Business NXT")
    await _tick_all(pilot)


async def _use_demo_secret(pilot: Pilot[int]) -> None:
    await _click(pilot, "#demo-secret")


async def _local_dev(on: bool, pilot: Pilot[int]) -> None:
    pilot.app.screen.query_one("#local-dev", Checkbox).value = on
    await _settle(pilot)


async def _show_local_dev(pilot: Pilot[int]) -> None:
    await _local_dev(True, pilot)


async def _skip_local_dev(pilot: Pilot[int]) -> None:
    await _local_dev(False, pilot)  # a service needs no local URIs
    await _next(pilot)


async def _fill_user_table(pilot: Pilot[int]) -> None:
    await _tick_all(pilot)
    await _click(pilot, "#demo-companies")
    # the button's handler mounts the rows: on a loaded machine, some frames later (bounded)
    state = pilot.app.state  # type: ignore[attr-defined]
    for _ in range(400):
        if len(state.companies) == len(_demo(pilot).companies):
            break
        await pilot.pause(0.025)


async def _save(pilot: Pilot[int]) -> None:
    await _next(pilot)  # Save -> Test, which starts the check at once
    await _settle(pilot)


async def _open_env_export(pilot: Pilot[int]) -> None:
    await _click(pilot, "#env")


async def _close_dialog(pilot: Pilot[int]) -> None:
    await pilot.press("escape")
    await _settle(pilot)


def _demo(pilot: Pilot[int]) -> DemoInfo:
    demo = pilot.app.session.demo  # type: ignore[attr-defined]
    assert demo is not None, "the tour needs a demo session"
    return demo  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Stop:
    """One screen of the onboarding walk: the step on screen, what the newcomer does there
    before its picture, and how the walk goes on from it (``None``: Next)."""

    name: str
    step: Step
    act: Action
    leave: Action | None = None


# Welcome ("01-welcome", then "n") comes before these.
STOPS = (
    Stop("02-app-type", Step.APP_TYPE, _choose_service),
    Stop("03-registration", Step.REGISTRATION, _register),
    Stop("04-integration", Step.INTEGRATION, _tick_all),
    Stop("05-secret", Step.SECRET, _use_demo_secret),
    Stop("06-local-uris", Step.LOCAL_URIS, _show_local_dev, _skip_local_dev),
    Stop("07-user-table", Step.USER_TABLE, _fill_user_table),
    Stop("08-review", Step.REVIEW, _nothing, _save),
    Stop("09-test", Step.TEST, _nothing, _nothing),
    Stop("10-env-export", Step.TEST, _open_env_export, _close_dialog),
)


async def walk_stops(
    pilot: Pilot[int], stops: Sequence[Stop], snap: Snap = _noop, *, upto: str = ""
) -> None:
    """Through ``stops`` from the first one's screen (already shown); stops after ``upto``."""
    app = pilot.app
    for stop in stops:
        await stop.act(pilot)
        app.clear_notifications()  # toasts come and go with time: keep pictures stable
        await pilot.pause()
        await snap(stop.name)
        if stop.name == upto:
            return
        # (Next looked up when called: the transition bench times the walk's Next presses)
        await (stop.leave or _next)(pilot)


async def walk_onboarding(pilot: Pilot[int], snap: Snap = _noop, *, upto: str = "") -> None:
    """Welcome -> a saved, tested service profile in the demo. Stops after ``upto`` if given."""
    _demo(pilot)
    await _settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()
    await snap("01-welcome")
    if upto == "01-welcome":
        return
    await pilot.press("n")
    await _settle(pilot)
    await walk_stops(pilot, STOPS, snap, upto=upto)


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
