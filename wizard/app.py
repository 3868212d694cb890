"""The Textual application: owns the onboarding state and moves between step screens.

Screens read and write ``app.state`` (a plain :class:`~wizard.core.onboarding.Onboarding`)
and call ``app.goto(step)``; all rules live in the core.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from wizard.screens.step_cache import StepScreens

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding
    from wizard.core.workspace import Workspace

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
        self._state: Onboarding | None = None  # built on first use: pydantic can wait
        self._last_draft: tuple[str, Step, dict[str, object]] | None = None
        self.step_screens = StepScreens(self)
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
        if self._state is not None and self._state.secret is not None:
            known.append(self._state.secret)
        sensitive = tuple(s.get_secret_value() for s in known) + secrets_in(self.crash_error)
        env = os.environ.get("BNXT_CLIENT_SECRET")
        sensitive += (env,) if env else ()
        folder = None if self.session.demo else self.workspace.folder
        return crash_message(write_crash_log(self.crash_error, sensitive, folder))

    @property
    def state(self) -> Onboarding:
        if self._state is None:
            from wizard.core.onboarding import Onboarding

            self._state = Onboarding(profile=self.session.profile)
        return self._state

    @state.setter
    def state(self, value: Onboarding) -> None:
        if value is not self._state:
            self.step_screens.clear()  # they show (and would write back to) the old one
        self._state = value

    @property
    def workspace(self) -> Workspace:
        return self.session.workspace

    def on_mount(self) -> None:
        self._watch_for_hang_up()
        if self.session.start == "rotate":
            from wizard.screens.rotate import RotateScreen

            self.push_screen(RotateScreen())
        elif self.session.start == "onboarding":
            from wizard.core.onboarding import Onboarding

            self.start_onboarding(Onboarding(profile=self.session.profile))
        # else: the welcome screen is the default screen (get_default_screen)

    def get_default_screen(self) -> Screen[Any]:
        """The welcome screen, as the app's first screen rather than pushed over an empty
        one: one screen less to build, style and switch away from at start-up."""
        if self.session.start in ("rotate", "onboarding"):
            return super().get_default_screen()
        from wizard.screens.welcome import WelcomeScreen

        return WelcomeScreen()

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
        self.save_draft()
        self.exit(1)

    # navigation ------------------------------------------------------------------
    def start_onboarding(self, state: Onboarding) -> None:
        self.state = state
        self.goto(state.step if state.step in state.steps() else Step.APP_TYPE)

    def goto(self, step: Step) -> None:
        """Show the screen of ``step`` and remember it in the draft."""
        self.state.step = step
        self.save_draft()
        screen = self.step_screens.get(step)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.step_screens.settle()

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
        self.state = state
        self.goto(Step.TEST)

    def go_home(self) -> None:
        from wizard.screens.welcome import WelcomeScreen

        self.save_draft()
        self.switch_screen(WelcomeScreen())

    def save_draft(self) -> None:
        """Save what was typed (never the secret). Quietly skipped for an invalid name."""
        if self._state is None:
            return
        if self.state.step is Step.APP_TYPE and self.state.app_type is None:
            return
        if self.state.step is Step.TEST:
            return  # the profile is saved by now; its draft was deleted on purpose
        draft = (self.state.profile, self.state.step, self.state.to_draft())
        if draft == self._last_draft:
            return  # each write is two fsyncs; nothing changed since the last one
        try:
            self.workspace.drafts.save(*draft)
        except (OSError, ValueError):
            return
        self._last_draft = draft

    async def action_quit(self) -> None:
        self.save_draft()
        self.exit(0)
