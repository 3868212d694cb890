"""Step screens that outlive their visit, and the next one built while the user reads.

Building a step screen (composing, styling and laying out some forty widgets) takes a few
hundred milliseconds on a slow machine; switching to one that is already built takes a
screen refresh. So every step screen stays installed after its first visit, and once a
step is on screen and painted, the step after it is built off-stage in a worker. Next then
switches to a finished screen.

A kept screen is shown again only while it :meth:`~StepScreen.fits` the onboarding: the
same state object, and the fields it shows unchanged since it last stored them. Otherwise
it is dropped and built afresh, so a reused screen never shows, or writes back, stale
values.
"""

from __future__ import annotations

import asyncio
import gc
from importlib import import_module
from typing import TYPE_CHECKING

from wizard.core.steps import Step

if TYPE_CHECKING:
    from wizard.app import WizardApp
    from wizard.core.onboarding import Onboarding
    from wizard.screens.base import StepScreen

PREFETCH_DELAY = 0.05  # seconds after the paint before the next screen is built
SETTLE = 0.1  # seconds for a built screen's own updates before it is laid out
LAYOUT_TICK = 0.02  # seconds for the resize events of one layout to come back
WARM_UP_DELAY = 0.3  # seconds after the welcome screen is shown before the steps are loaded

# step -> "module:Class" under wizard.screens, imported only when first needed
STEP_SCREENS: dict[Step, str] = {
    Step.APP_TYPE: "app_type:AppTypeScreen",
    Step.REGISTRATION: "registration:RegistrationScreen",
    Step.INTEGRATION: "integration:IntegrationScreen",
    Step.SECRET: "secret:SecretScreen",
    Step.LOCAL_URIS: "local_uris:LocalUrisScreen",
    Step.USER_TABLE: "user_table:UserTableScreen",
    Step.REVIEW: "review:ReviewScreen",
    Step.TEST: "test_run:TestScreen",
}


def screen_class(step: Step) -> type[StepScreen]:
    module, _, name = STEP_SCREENS[step].partition(":")
    cls: type[StepScreen] = getattr(import_module(f"wizard.screens.{module}"), name)
    return cls


def _import_steps() -> None:
    for step in STEP_SCREENS:  # (they import the onboarding state, and pydantic with it)
        screen_class(step)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class StepScreens:
    """The app's kept step screens, at most one per step."""

    def __init__(self, app: WizardApp) -> None:
        self.app = app
        self._kept: dict[Step, StepScreen] = {}
        self._retiring: list[StepScreen] = []
        self._warmed = False

    def get(self, step: Step) -> StepScreen:
        """A screen for ``step`` that fits the current onboarding: kept, or new."""
        state = self.app.state
        kept = self._kept.get(step)
        if kept is not None and kept.fits(state):
            return kept
        self.drop(step)
        screen = screen_class(step)()
        if screen.REUSABLE:
            self._kept[step] = screen
            self.app.install_screen(screen, f"step:{step.value}:{id(screen)}")
        return screen

    def warm_up(self) -> None:
        """From the welcome screen, once it is painted and the user reads it: import the
        step screens (and pydantic, which the onboarding state needs) and parse their
        stylesheets, so the first step opens as quickly as the others."""
        if self._warmed:
            return
        self._warmed = True
        self.app.run_worker(self._warm_up(), group="step-warm-up", exit_on_error=False)

    async def _warm_up(self) -> None:
        await asyncio.sleep(WARM_UP_DELAY)
        await asyncio.to_thread(_import_steps)  # a key pressed meanwhile is not held up
        from wizard.screens.base import StepScreen

        self.app._load_screen_css(StepScreen())  # the stylesheets every step screen shares
        if self.app.freeze_gc:
            # What was just loaded lives until exit, like what launch() froze before the first
            # screen: freeze it too, or the next full collection scans it all, in the middle of
            # a step transition (some 70 ms here).
            gc.freeze()

    def prefetch_after(self, step: Step) -> None:
        """Once ``step`` is painted, build the step after it (if it is not built already)."""
        nxt = self.app.state.next_step(step)
        if nxt is None:
            return
        kept = self._kept.get(nxt)
        if kept is not None and kept.fits(self.app.state):
            return
        self.app.run_worker(
            self._build(nxt, self.app.state),
            group="step-prefetch",
            exclusive=True,
            exit_on_error=False,
        )

    async def _build(self, step: Step, state: Onboarding) -> None:
        painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.app.screen.call_after_refresh(_resolve, painted)
        await painted
        await asyncio.sleep(PREFETCH_DELAY)  # let the new screen take its first keys
        if self.app.state is not state or not screen_class(step).REUSABLE:
            return
        screen = self.get(step)
        if screen.is_running or screen in self.app.screen_stack:
            return
        # Textual offers no public call to mount or lay out a screen that is not shown yet;
        # these are what push_screen does (Textual is pinned, and a test covers this).
        self.app._load_screen_css(screen)
        await self.app._get_screen(screen)[1]
        await asyncio.sleep(SETTLE)  # what its mount handlers update, and its footer
        # Each step below is skipped once the user has moved on to this screen meanwhile, or
        # it was dropped (a new onboarding, a changed field).
        if not self._building(step, screen):
            return
        # Focus comes as it is shown (StepScreen.focus_first): a cursor blinking off-stage would
        # come on screen at any point of its blink.
        screen.set_focus(None, scroll_visible=False)
        # Laid out now, not as it is shown. A first layout resizes widgets, which can ask for
        # another: repeat until it holds (as Textual's own refresh timer would).
        for _ in range(4):
            screen._refresh_layout(self.app.size)
            screen._layout_required = False
            await asyncio.sleep(LAYOUT_TICK)
            if not self._building(step, screen):
                return
            if not screen._layout_required:
                break
        screen._compositor.render_update(full=True)  # drawn once: its lines are cached
        # A screen's refresh timer waits one whole frame on its very first start: start it now,
        # so the first frame after Next is drawn at once (off-stage, its ticks do nothing).
        screen._update_timer.resume()

    def _building(self, step: Step, screen: StepScreen) -> bool:
        """Whether ``screen`` is still the off-stage screen kept for ``step``."""
        return (
            screen.is_running and self._kept.get(step) is screen and self.app.screen is not screen
        )

    def drop(self, step: Step) -> None:
        screen = self._kept.pop(step, None)
        if screen is None:
            return
        if screen in self.app.screen_stack:
            self._retiring.append(screen)  # Textual can only let go of it once it is left
            return
        self.app.uninstall_screen(screen)
        if screen.is_running:
            screen.remove()

    def settle(self) -> None:
        """Uninstall dropped screens that have left the stack: Textual then removes them as
        it finishes the switch."""
        stack = self.app.screen_stack
        for screen in [s for s in self._retiring if s not in stack]:
            self._retiring.remove(screen)
            self.app.uninstall_screen(screen)

    def clear(self) -> None:
        """Forget every kept screen (a new onboarding was started or loaded)."""
        for step in list(self._kept):
            self.drop(step)
