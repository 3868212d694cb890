"""Stage 3 of a rotation: one token request with the new secret, cancellable, nothing stored.

A widget of its own so the worker, its progress and its outcome live together; it tells the
screen how it went with messages (:class:`Passed`, :class:`PasteAnother`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from wizard.core import rotation
from wizard.core.connect import ClientOptions
from wizard.core.errors import WizardError
from wizard.core.models import Profile
from wizard.core.profiles import Workspace
from wizard.core.steps import Step
from wizard.core.tokens import Token

UNTOUCHED = "Nothing changed: the old secret is still stored and in use."
NEW_SECRET_REFUSED = (
    "The stored secret works, so the application is approved and its client ID is right: "
    "the new secret is what was refused. Copy it again from the Credentials tab; if it is no "
    "longer shown, generate another one there."
)


class RotationTest(Vertical):
    @dataclass
    class Passed(Message):
        token: Token

    class PasteAnother(Message):
        pass

    def __init__(self, options: ClientOptions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = options
        self._last: tuple[Workspace, Profile, SecretStr] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="rot-running"):
            yield LoadingIndicator(id="rot-spinner")
            yield Static("", id="rot-progress")
            yield Button("Cancel", id="rot-cancel", variant="error", compact=True)
        yield Static("", id="rot-failure")
        with Horizontal(classes="rot-buttons", id="rot-retry"):
            yield Button("Paste another secret", id="retry-paste", compact=True)
            yield Button("Test again", id="retest", compact=True)

    def run(self, ws: Workspace, profile: Profile, secret: SecretStr) -> None:
        self._last = (ws, profile, secret)
        self._show_running(True)
        self.query_one("#rot-failure", Static).update("")
        self.query_one("#rot-progress", Static).update(
            Text(f"Requesting a token from {profile.endpoints.token_url} with the new secret ...")
        )
        self._test(ws, profile, secret)

    @work(exclusive=True, exit_on_error=False, group="rotate-test")
    async def _test(
        self, ws: Workspace, profile: Profile, secret: SecretStr
    ) -> Token | WizardError:
        """A refusal is an answer, not a crash: it comes back as the result."""
        try:
            return await rotation.test_new_secret(ws, profile, secret, self.options)
        except WizardError as err:
            return err

    def cancel(self) -> None:
        for worker in self.workers:
            if worker.group == "rotate-test" and worker.is_running:
                worker.cancel()

    def _show_running(self, running: bool) -> None:
        self.query_one("#rot-running").display = running
        self.query_one("#rot-retry").display = not running
        if running:
            self.query_one("#rot-cancel", Button).focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        event.stop()
        if event.state in (WorkerState.PENDING, WorkerState.RUNNING):
            return
        self._show_running(False)
        result, error = event.worker.result, event.worker.error
        if isinstance(result, WizardError):
            error = result
        if event.state is WorkerState.SUCCESS and isinstance(result, Token):
            self.post_message(self.Passed(result))
            return
        if event.state is WorkerState.CANCELLED:
            lines = [Text("Cancelled.", style="bold")]
        elif isinstance(error, WizardError):
            lines = [Text(f"✗ {error.title}", style="bold red"), Text(error.message)]
            # The onboarding's hint for a refused secret (check the client ID, "Pending
            # approval", ...) does not fit here: the stored secret works, so the app is approved
            # and its client ID right; only the new secret can be wrong.
            hint = NEW_SECRET_REFUSED if error.step is Step.SECRET else error.hint
            if hint:
                lines.append(Text(f"Hint: {hint}", style="yellow"))
        else:  # an unexpected exception's text is not shown: it could quote anything
            lines = [Text(f"✗ An unexpected {type(error).__name__} stopped the test.", "bold red")]
        lines.append(Text(UNTOUCHED, style="green"))
        self.query_one("#rot-failure", Static).update(Text("\n").join(lines))
        self.query_one("#retry-paste", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "rot-cancel":
            self.cancel()
        elif event.button.id == "retest" and self._last is not None:
            self.run(*self._last)
        elif event.button.id == "retry-paste":
            self.post_message(self.PasteAnother())
