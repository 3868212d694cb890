"""The Textual application: which screen is shown, and leaving safely.

Screens and panes never call the app: they post messages (:mod:`wizard.widgets.messages`) and the
app handles those that change the screen (a new onboarding, a profile to check, rotation,
home). The onboarding state lives on its :class:`OnboardingScreen`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import sys
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen

from wizard.core.session import Session
from wizard.core.steps import Step
from wizard.core.text import sanitize
from wizard.widgets.messages import (
    CheckProfile,
    GotoStep,
    LeaveToHome,
    OpenRotation,
    StartOnboarding,
)

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding
    from wizard.core.workspace import Workspace
    from wizard.screens.onboarding import OnboardingScreen

WARM_UP_DELAY = 0.3  # seconds after the welcome screen is shown before the steps are loaded


def _stdin_is_tty() -> bool:
    stream = sys.__stdin__
    try:
        return stream is not None and os.isatty(stream.fileno())
    except (OSError, ValueError):
        return False


class WizardApp(App[int]):
    # the first screen's stylesheet with the app's: one parse at start-up instead of two
    CSS_PATH: ClassVar[list[str | PurePath]] = ["app.tcss", "screens/welcome.tcss"]
    TITLE = "bnxt-wizard"
    SUB_TITLE = "Visma Business NXT application setup"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._next_state: Onboarding | None = None  # what app.state is before an onboarding
        # Set by launch(), which freezes the cyclic collector before the first screen: what
        # loads later for good is then frozen too. (Tests run many apps in one process:
        # freezing there would keep every earlier app's garbage.)
        self.freeze_gc = False
        if session.demo:
            self.sub_title = "DEMO against the local simulator"
        # A crash is never shown as Textual's traceback with locals (see wizard.crash).
        from rich.console import Console

        from wizard.crash import CrashSink

        self.crash_sink = CrashSink()
        self.crash_error: BaseException | None = None
        self.error_console = Console(file=self.crash_sink, markup=False, highlight=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification is plain text: messages carry names, paths and server text,
        so they are sanitised and never read as markup (``markup`` is ignored)."""
        super().notify(
            sanitize(message, multiline=True),
            title=sanitize(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # crashes -----------------------------------------------------------------------
    def bell(self) -> None:
        """Textual rings the bell while it handles an unhandled exception: note it."""
        error = sys.exc_info()[1]
        if error is not None and self.crash_error is None:
            self.crash_error = error
        super().bell()

    @property
    def crashed(self) -> bool:
        return self.crash_sink.crashed or self.crash_error is not None

    def write_crash_report(self) -> str:
        """The redacted log written and the short message to print (call after a crash)."""
        from wizard.crash import crash_message, secrets_in, write_crash_log

        demo = self.session.demo
        known = [demo.secret, demo.next_secret] if demo else []
        onboarding = self.onboarding
        if onboarding is not None and onboarding.state.secret is not None:
            known.append(onboarding.state.secret)
        sensitive = tuple(s.get_secret_value() for s in known) + secrets_in(self.crash_error)
        env = os.environ.get("BNXT_CLIENT_SECRET")
        sensitive += (env,) if env else ()
        folder = None if self.session.demo else self.workspace.folder
        return crash_message(write_crash_log(self.crash_error, sensitive, folder))

    @property
    def onboarding(self) -> OnboardingScreen | None:
        from wizard.screens.onboarding import OnboardingScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, OnboardingScreen):
                return screen
        return None

    @property
    def state(self) -> Onboarding:
        """The onboarding on screen; before one, the one the next ``goto`` starts."""
        screen = self.onboarding
        if screen is not None:
            return screen.state
        if self._next_state is None:
            from wizard.core.onboarding import Onboarding

            self._next_state = Onboarding(profile=self.session.profile)
        return self._next_state

    @property
    def workspace(self) -> Workspace:
        return self.session.workspace

    def on_mount(self) -> None:
        self._watch_for_hang_up()
        if self.session.start == "rotate":
            self.open_rotation()
        elif self.session.start == "onboarding":
            from wizard.core.onboarding import Onboarding

            self.start_onboarding(Onboarding(profile=self.session.profile))
        else:  # the welcome screen is the default screen (get_default_screen)
            self.run_worker(self._warm_up(), group="warm-up", exit_on_error=False)

    def get_default_screen(self) -> Screen[Any]:
        """The welcome screen, as the app's first screen rather than pushed over an empty
        one: one screen less to build, style and switch away from at start-up."""
        if self.session.start in ("rotate", "onboarding"):
            return super().get_default_screen()
        from wizard.screens.welcome import WelcomeScreen

        return WelcomeScreen(self.session)

    async def _warm_up(self) -> None:
        """Once the welcome screen is shown and the user reads it: import the step panes (and
        pydantic, which the onboarding state needs), so the first step opens as quickly as
        the others. Off the UI thread: a key pressed meanwhile is not held up."""
        from wizard.screens import onboarding

        await asyncio.sleep(WARM_UP_DELAY)
        await asyncio.to_thread(onboarding.import_panes)
        if self.freeze_gc:
            # What was just loaded lives until exit, like what launch() froze before the first
            # screen: freeze it too, or the next full collection scans it all, in the middle of
            # a step transition.
            gc.freeze()

    # a closed terminal ------------------------------------------------------------
    def _watch_for_hang_up(self) -> None:
        """Leave (keeping the draft) when the terminal goes away.

        Closing a terminal window does not always deliver SIGHUP to us (under `make demo` it
        goes to make), and Textual's input thread then spins on end-of-file: so also check
        every second that the terminal is still there.
        """
        if self.is_headless or not _stdin_is_tty():
            return
        self.set_interval(1.0, self._check_terminal, name="terminal-watch")
        with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self._hang_up)

    def _check_terminal(self) -> None:
        if not _stdin_is_tty():
            self._hang_up()

    def _hang_up(self) -> None:
        screen = self.onboarding
        if screen is not None:
            screen.save_draft()
        self.exit(1)

    # what the screens ask for ---------------------------------------------------------
    def on_start_onboarding(self, message: StartOnboarding) -> None:
        self.start_onboarding(message.state)

    def on_check_profile(self, message: CheckProfile) -> None:
        self.check_existing(message.name)

    def on_open_rotation(self, message: OpenRotation) -> None:
        self.open_rotation()

    def on_leave_to_home(self, message: LeaveToHome) -> None:
        self.go_home()

    # navigation ------------------------------------------------------------------
    def start_onboarding(self, state: Onboarding, *, from_saved: bool = False) -> None:
        """A new onboarding screen for ``state``, on its step."""
        from wizard.screens.onboarding import OnboardingScreen

        self._next_state = None
        self._show(OnboardingScreen(self.session, state, from_saved=from_saved))

    def goto(self, step: Step) -> None:
        """Show ``step`` of the onboarding on screen (or start one there)."""
        screen = self.onboarding
        if screen is None:
            state = self.state
            state.step = step
            self.start_onboarding(state)
        else:
            screen.post_message(GotoStep(step))

    def open_rotation(self) -> None:
        from wizard.screens.rotate import RotateScreen

        self.push_screen(RotateScreen(self.session))

    def check_existing(self, name: str) -> None:
        """Load a saved profile and its secret, and go straight to the Test step."""
        from wizard.core.errors import WizardError

        try:
            profile = self.workspace.config.get(name)
            secret = self.workspace.vault.load(profile).value
        except WizardError as err:
            self.notify(err.hint or "", title=err.message, severity="error", timeout=10)
            return
        from wizard.core.onboarding import Onboarding

        state = Onboarding.from_profile(profile)
        state.secret = secret
        state.step = Step.TEST
        self.start_onboarding(state, from_saved=True)

    def go_home(self) -> None:
        from wizard.screens.welcome import WelcomeScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        self._show(WelcomeScreen(self.session))

    def _show(self, screen: Screen[Any]) -> None:
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    async def action_quit(self) -> None:
        """Quit, keeping the draft; a pasted secret that was never saved is asked about."""
        from wizard.screens.onboarding import OnboardingScreen
        from wizard.screens.rotate import RotateScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, OnboardingScreen | RotateScreen):
                screen.leave(lambda: self.exit(0))
                return
        self.exit(0)
