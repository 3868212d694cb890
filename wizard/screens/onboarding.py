"""The onboarding: one screen holding the header, the step rail, Back/Next and the footer
once, with each step as a pane in a ``ContentSwitcher``.

A pane is built the first time its step is shown (or, while the user reads a step, the
step after it is built off-stage), and stays mounted for the rest of this onboarding: going
back and forth is a switch, and a pane reads the state again each time it is shown. A new
onboarding (a new profile, a resumed draft, a saved profile to check) is a new screen.

Leaving with a pasted secret that was never saved asks first: the portal shows a secret
only once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from importlib import import_module
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Static

from wizard.core.steps import Step, describe
from wizard.screens.confirm import leave_safely
from wizard.widgets.footer import QuietFooter
from wizard.widgets.messages import (
    AppTypeChosen,
    CheckPassed,
    GoHome,
    GotoStep,
    LeaveToHome,
    ProfileSaved,
    StepChanged,
)
from wizard.widgets.step_rail import SHORT, StepRail

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding
    from wizard.core.session import Session
    from wizard.screens.base import StepPane

# step -> "module:Class" under wizard.screens, imported only when first needed
STEP_PANES: dict[Step, str] = {
    Step.APP_TYPE: "app_type:AppTypePane",
    Step.REGISTRATION: "registration:RegistrationPane",
    Step.INTEGRATION: "integration:IntegrationPane",
    Step.SECRET: "secret:SecretPane",
    Step.LOCAL_URIS: "local_uris:LocalUrisPane",
    Step.USER_TABLE: "user_table:UserTablePane",
    Step.REVIEW: "review:ReviewPane",
    Step.TEST: "test_run:TestPane",
}
PREFETCH_DELAY = 0.05  # seconds after a step is painted before the next one is built


def pane_class(step: Step) -> type[StepPane]:
    module, _, name = STEP_PANES[step].partition(":")
    cls: type[StepPane] = getattr(import_module(f"wizard.screens.{module}"), name)
    return cls


# Imported lazily by the libraries that use them, at the first save (the file lock) and the
# first request (httpx's transport): without the warm-up, inside the Review -> Test transition.
WARM_MODULES = ("filelock", "httpcore")


def import_panes() -> None:
    """Import every pane module (and pydantic with them), and what the last steps import on
    first use: the warm-up, off the UI thread."""
    for step in STEP_PANES:
        pane_class(step)
    for module in WARM_MODULES:
        import_module(module)


class OnboardingScreen(Screen[None]):
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "step.tcss",
        *(f"{ref.partition(':')[0]}.tcss" for ref in STEP_PANES.values()),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        # Escape, since most terminals send Ctrl+H as Backspace (it stays for those that don't)
        Binding("escape", "home", "Home"),
        Binding("ctrl+h", "home", "Home", show=False),
    ]
    # the step rail shows at 100 columns and more; below, the one-line header says it all
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (80, "-narrow"), (100, "-wide")]

    can_next: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, session: Session, state: Onboarding, *, from_saved: bool = False) -> None:
        super().__init__()
        self.session = session
        self.state = state
        self.panes: dict[Step, StepPane] = {}
        self._mounting: dict[Step, AwaitComplete] = {}
        self._builds = 0  # panes built so far (each build gets its own id)
        # Saved (Review's Save, or loaded to be checked): no pasted secret left to lose, and,
        # until something changes, no draft to write.
        self.secret_saved = from_saved
        self._saved_values = self._draft_values() if from_saved else None
        self._draft_name: str | None = None  # the profile name the last draft was saved as
        self._last_draft: tuple[str, Step, dict[str, object]] | None = None
        self._draft_lock = asyncio.Lock()  # draft writes in the background, one at a time

    # layout ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static("", id="step-header")
        yield Static("", id="step-header-short")  # under 80 columns (step.tcss)
        with Horizontal(id="frame"):
            with Vertical(id="rail-box"):
                yield StepRail(id="rail")
            with Vertical(id="column"):
                with VerticalScroll(id="body"):
                    yield ContentSwitcher(id="steps")
                yield Static("", id="problems")
                with Horizontal(id="nav"):
                    yield Button("← Back", id="back", compact=True)
                    yield Static(classes="spacer")
                    yield Button("Next →", id="next", variant="primary", compact=True)
        yield QuietFooter(show_command_palette=False)

    async def on_mount(self) -> None:
        first = self.state.step if self.state.step in self.state.steps() else Step.APP_TYPE
        await self.show_step(first)

    @property
    def pane(self) -> StepPane:
        return self.panes[self.state.step]

    def _pane_for(self, step: Step) -> StepPane:
        """The pane of ``step``; a new one is mounted, hidden (await ``_mounting[step]``)."""
        pane = self.panes.get(step)
        if pane is None:
            self._builds += 1
            pane = pane_class(step)(self.session, self.state, build=self._builds)
            self.panes[step] = pane
            self._mounting[step] = self.query_one("#steps", ContentSwitcher).add_content(pane)
        return pane

    # moving between steps ----------------------------------------------------------
    async def show_step(self, step: Step, *, fix: bool = False) -> None:
        """Make ``step`` the current pane: it reads the state, gets the focus on its first
        field (``fix``: on its first wrong one), and the draft remembers where the user is."""
        old = self.panes.get(self.state.step)
        if old is not None and old.is_mounted:
            old.store()
            if old.STEP is not step:
                old.left()
        self.state.step = step
        pane = self._pane_for(step)
        mounting = self._mounting.pop(step, None)
        if mounting is not None:
            await mounting  # (built ahead, the state may have changed since: load anyway)
        pane.load()
        switcher = self.query_one("#steps", ContentSwitcher)
        with self.app.batch_update():
            pane.unstage()
            switcher.current = pane.id  # (hides the step left)
            self._keep_neighbours(step, left=old)
            self.query_one("#body", VerticalScroll).scroll_home(animate=False)
            self._frame(pane)
        await pane.shown()
        self.refresh_validity()
        self.focus_first(fix=fix)
        self.call_after_refresh(self._after_shown)

    def _frame(self, pane: StepPane) -> None:
        number, total = self.state.position(pane.STEP)
        demo = "   [reverse] DEMO [/reverse]" if self.session.demo else ""
        count = f"[b]Step {number} of {total}[/b]"
        self.query_one("#step-header", Static).update(f"{count} · {describe(pane.STEP)}{demo}")
        self.query_one("#step-header-short", Static).update(f"{count} · {SHORT[pane.STEP]}{demo}")
        next_button = self.query_one("#next", Button)
        if str(next_button.label) != pane.next_label():
            next_button.label = pane.next_label()
            next_button.refresh(layout=True)  # its width follows the label
        self.query_one(StepRail).show(self.state, pane.STEP)

    def focus_first(self, *, fix: bool = False) -> None:
        field = (fix and self.pane.problem_field()) or self.pane.first_field()
        if field is not None:
            # Without scrolling (issue 13): the step's first view starts at its intro on every
            # Python; a Fix, which can aim below the fold, scrolls once the pane is laid out.
            field.focus(scroll_visible=False)
            if fix:  # a Fix can aim below the fold: into view once the pane is laid out
                self.call_after_refresh(field.scroll_visible, animate=False)
        else:
            self.set_focus(None)

    def _after_shown(self) -> None:
        """Once the step is drawn: the draft remembers where the user is (two fsyncs, kept out
        of the transition), and the next step is built a moment later."""
        self.save_draft(background=True)
        self.set_timer(PREFETCH_DELAY, self._prefetch, name="prefetch-next-step")

    def _neighbours(self, step: Step) -> set[Step]:
        return {s for s in (self.state.previous_step(step), self.state.next_step(step)) if s}

    def _keep_neighbours(self, step: Step, *, left: StepPane | None) -> None:
        """As ``step`` is shown: the step just left waits staged off-screen when it is a
        neighbour (Back or Next returns to it: a switch to lines already drawn), and a pane
        staged for a step that is no neighbour any more is hidden."""
        near = self._neighbours(step)
        if left is not None and left.is_mounted and not left.stale and left.STEP in near:
            left.stage()
        for other in self.panes.values():
            if other.staged and other.STEP not in near and other.display:
                other.display = False

    async def _prefetch(self) -> None:
        """While the user reads this step, build the next step's pane if it is not built
        yet, and stage both neighbours off-screen (``StepPane.stage``): showing either is
        then a switch to a pane already laid out and drawn."""
        here = self.state.step
        nxt = self.state.next_step(here)
        if nxt is not None and nxt not in self.panes and self.is_current:
            self._pane_for(nxt)
        for step in self._neighbours(here):
            pane = self.panes.get(step)
            mounting = self._mounting.get(step)
            if pane is None:
                continue
            if mounting is not None:
                await mounting
            if self.state.step is not here or not self.is_current:
                return  # moved on meanwhile: that step stages its own neighbours
            if pane.is_mounted and not pane.stale and not (pane.staged and pane.display):
                pane.stage()
                self.call_after_refresh(pane.warm)

    async def forget_panes_after(self, step: Step) -> None:
        """Drop the panes of the steps after ``step`` (the app type changed: what they show
        and which steps there are changed with it).

        A pane still being built (the step built ahead) is removed once its mount is done:
        removed halfway, its children would never mount while its handlers still ran. A
        dropped pane takes no more messages (``StepPane.retire``)."""
        steps = list(Step)
        for later in steps[steps.index(step) + 1 :]:
            pane = self.panes.pop(later, None)
            mounting = self._mounting.pop(later, None)
            if pane is None:
                continue
            pane.retire()
            if mounting is not None:
                await mounting
            pane.remove()

    # validity ----------------------------------------------------------------------
    def refresh_validity(self) -> None:
        pane = self.pane
        problems = pane.problems()
        self.can_next = not problems
        next_button = self.query_one("#next", Button)
        next_button.disabled = bool(problems)
        next_button.tooltip = problems[0] if problems else None
        more = f"  (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        self.query_one("#problems", Static).update(f"• {problems[0]}{more}" if problems else "")

    def on_step_changed(self, event: StepChanged) -> None:
        event.stop()
        if self.state.step in self.panes:
            self.refresh_validity()
            self.query_one(StepRail).show(self.state, self.state.step)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return True if self.can_next else None
        return True

    # navigation --------------------------------------------------------------------
    @on(Button.Pressed, "#next")
    async def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_next()

    @on(Button.Pressed, "#back")
    async def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_back()

    async def action_next(self) -> None:
        pane = self.pane
        pane.store()
        self.refresh_validity()
        if not self.can_next:
            self.notify(pane.problems()[0], severity="warning", title="Not yet")
            return
        if pane.next_pressed():
            return
        nxt = self.state.next_step(pane.STEP)
        if nxt is not None:
            await self.show_step(nxt)

    async def action_back(self) -> None:
        self.pane.store()
        prev = self.state.previous_step(self.state.step)
        if prev is None:
            self.action_home()
        else:
            await self.show_step(prev)

    async def on_goto_step(self, event: GotoStep) -> None:
        event.stop()
        if event.step in self.state.steps():
            await self.show_step(event.step, fix=event.fix)

    async def on_profile_saved(self, event: ProfileSaved) -> None:
        event.stop()
        self.mark_saved()
        await self.show_step(Step.TEST)

    def on_check_passed(self, event: CheckPassed) -> None:
        event.stop()
        self.query_one("#next", Button).focus(scroll_visible=False)

    async def on_app_type_chosen(self, event: AppTypeChosen) -> None:
        event.stop()
        await self.forget_panes_after(Step.APP_TYPE)
        if self.state.step in self.panes:  # "Step 1 of N": N follows the type
            self._frame(self.pane)
        # the next step's pane again, built for the new type while the user reads
        self.set_timer(PREFETCH_DELAY, self._prefetch, name="prefetch-next-step")

    def on_screen_suspend(self) -> None:
        if self.state.step in self.panes:
            self.pane.left()

    def on_go_home(self, event: GoHome) -> None:
        event.stop()
        self.action_home()

    def action_home(self) -> None:
        if self.state.step in self.panes:
            self.pane.store()
        self.leave(lambda: self.post_message(LeaveToHome()))

    # leaving -----------------------------------------------------------------------
    def secret_at_risk(self) -> bool:
        """A pasted secret that was never saved: leaving would lose it for good."""
        if self.state.step in self.panes and self.pane.is_mounted:
            self.pane.store()
        return self.state.secret is not None and not self.secret_saved

    def leave(self, then: Callable[[], object]) -> None:
        """Save the draft and call ``then``; with a secret at risk, only once confirmed."""

        def go() -> None:
            self.save_draft()
            then()

        leave_safely(self, self.secret_at_risk(), go)

    def mark_saved(self) -> None:
        """Review saved the profile and its secret: nothing left to lose, no draft to keep."""
        self.secret_saved = True
        self._saved_values = self._draft_values()
        if self._draft_name is not None:  # after any write still queued
            self.run_worker(self._in_order(self._delete_draft, self._draft_name), group="draft")
        self._draft_name = None

    # the draft ---------------------------------------------------------------------
    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a field saves the draft, so a crash loses at most the field being typed."""
        self.save_draft(background=True)

    def save_draft(self, *, background: bool = False) -> None:
        """Save what was typed (never the secret), under the current profile name: a rename
        moves the draft. Nothing for a saved profile that is unchanged, nor on the Test
        step (the profile is saved by then), nor for an invalid name. ``background``: the
        write (two fsyncs) runs off the UI thread, in order with the others."""
        s = self.state
        if s.step is Step.TEST or (s.step is Step.APP_TYPE and s.app_type is None):
            return
        values = s.to_draft()
        if self._saved_values is not None and self._draft_values() == self._saved_values:
            return
        draft = (s.profile, s.step, values)
        if draft == self._last_draft and background:
            return  # nothing changed since the last one (on leaving, written anyway: a
            # write still queued would not outlive the screen)
        old = self._draft_name if self._draft_name != s.profile else None
        self._draft_name, self._last_draft = s.profile, draft
        if background:
            self.run_worker(self._in_order(self._write_draft, draft, old), group="draft")
        else:
            self._write_draft(draft, old)

    def _write_draft(self, draft: tuple[str, Step, dict[str, object]], old: str | None) -> None:
        try:
            self.session.workspace.drafts.save(*draft)
        except (OSError, ValueError):
            return
        if old is not None:
            self._delete_draft(old)

    async def _in_order(self, write: Callable[..., None], *args: object) -> None:
        """Run a draft write in a thread, after the ones queued before it."""
        async with self._draft_lock:
            await asyncio.to_thread(write, *args)

    def _draft_values(self) -> dict[str, object]:
        """What a draft would hold, but for the step the user stands on."""
        values: dict[str, object] = self.state.to_draft()
        values.pop("step", None)
        return values

    def _delete_draft(self, name: str) -> None:
        try:
            self.session.workspace.drafts.delete(name)
        except (OSError, ValueError):
            pass
