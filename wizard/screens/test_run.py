"""Step: prove the saved profile works: a real token request, then a GraphQL call.

The check runs in a cancellable worker; the core's :class:`CheckReport` says what happened
and which step to revisit, so this screen only shows it. Success is recorded on the profile
(``verified_at``); a failure records nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import SecretStr
from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, HorizontalScroll, Vertical
from textual.widget import Widget
from textual.widgets import Button, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from wizard.core.check_results import CompanyGap, login_command
from wizard.core.checks import CheckReport, run_check
from wizard.core.connect import ClientOptions
from wizard.core.errors import WizardError
from wizard.core.models import Profile
from wizard.core.profiles import mark_verified
from wizard.core.results import ErrorInfo
from wizard.core.steps import Step
from wizard.core.visma import facts
from wizard.screens.base import StepPane
from wizard.screens.example_request import example_script
from wizard.screens.test_login import SignInDone, SignInPanel
from wizard.screens.test_run_report import failure_widgets, report_widgets, stages_view
from wizard.widgets.messages import CheckPassed, GoHome, GotoStep

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding
    from wizard.core.session import Session


class TestPane(StepPane):
    STEP = Step.TEST
    FIRST = "#cancel, #fix, #run"
    WHY = (
        "A real token request to Visma Connect with the saved client ID and secret, then, for "
        "a service, a GraphQL call that lists the companies the User table setup lets it reach."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escape", "Home"),  # while a check runs: cancel it first
        Binding("ctrl+r", "run", "Run again"),
    ]
    options: ClassVar[ClientOptions] = ClientOptions()

    def __init__(self, session: Session, state: Onboarding, *, build: int = 0) -> None:
        super().__init__(session, state, build=build)
        self.profile: Profile | None = None
        self.secret: SecretStr | None = None
        self.saved = False
        self._last_error: ErrorInfo | None = None
        self._report: CheckReport | None = None

    def next_label(self) -> str:
        return "Done"

    def problems(self) -> list[str]:
        return []

    def compose_body(self) -> ComposeResult:
        yield Static("", id="test-target", classes="card")
        with Horizontal(id="running"):
            yield LoadingIndicator(id="spinner")
            yield Static("Starting ...", id="progress-msg")
            yield Button("Cancel", id="cancel", variant="error", compact=True)
        yield Vertical(id="result")
        yield SignInPanel(self.session.demo)
        with Horizontal(id="after"):
            yield Button("Write a .env file", id="env", compact=True)
            yield Button("Run again", id="run", compact=True)
        with Vertical(id="example", classes="card"):
            with Horizontal(id="example-head"):
                yield Static("[b]Try it yourself[/b] (copy-ready, no secret inside)")
                yield Button("Copy", id="copy", compact=True)
            # shell lines never wrap (a folded scope or URL reads as two words): they scroll
            with HorizontalScroll(id="example-scroll"):
                yield Static("", id="example-code", classes="code")

    def left(self) -> None:
        """Leaving the step (Back, Fix) stops a check still running: nobody would see its
        result, and it would still mark the profile verified."""
        self.action_cancel()

    async def shown(self) -> None:
        """Each visit runs the check afresh (the pane may have been built ahead, before the
        profile it tests was saved)."""
        self.query_one("#result", Vertical).remove_children()
        self.query_one(SignInPanel).display = False
        self._load()
        if self.profile is not None:
            code = Syntax(example_script(self.profile), "bash", theme="ansi_dark")
            self.query_one("#example-code", Static).update(code)
            if self.secret is None:
                self.action_run()
                return
            self._show_running(True)
            # started once the step is drawn: setting up the client (its TLS context) would
            # otherwise hold up the transition's first frame
            self.call_after_refresh(self._start_check, self.profile, self.secret)

    def _start_check(self, profile: Profile, secret: SecretStr) -> None:
        if self.display and not self._running_checks():  # not left meanwhile
            self._run_check(profile, secret)

    def _load(self) -> None:
        """The saved profile (or, unsaved, the one being built) and its secret."""
        ws = self.session.workspace
        try:
            found = ws.config.find(self.state.profile)
            self.saved = found is not None
            self.profile = found or self.state.to_profile()
            self.secret = self.state.secret or ws.vault.load(self.profile).value
        except WizardError as err:
            self.secret = None
            self._failed(ErrorInfo.from_error(err))
            return
        p = self.profile
        self.query_one("#test-target", Static).update(
            Text.assemble(
                (f"Profile {p.name}", "bold"),
                f" · {facts(p.app_type).title.lower()} · client ID {p.client_id}\n",
                f"Token URL   {p.endpoints.token_url}\nGraphQL URL {p.endpoints.graphql_url}",
            )
        )
        self.query_one("#env", Button).disabled = not self.saved

    # running -----------------------------------------------------------------
    def action_run(self) -> None:
        if self.profile is None or self.secret is None:
            self._load()
            if self.profile is None or self.secret is None:
                return
        self._show_running(True)
        self.query_one("#result", Vertical).remove_children()
        self.query_one(SignInPanel).display = False
        self._run_check(self.profile, self.secret)

    @work(exclusive=True, exit_on_error=False, group="check")
    async def _run_check(self, profile: Profile, secret: SecretStr) -> CheckReport:
        options = self.session.options or self.options
        return await run_check(profile, secret, options=options, progress=self._progress)

    def _progress(self, message: str) -> None:
        self.query_one("#progress-msg", Static).update(Text(message))

    def _running_checks(self) -> list[Worker[Any]]:
        return [w for w in self.workers if w.group == "check" and w.is_running]

    def action_escape(self) -> None:
        if self.query_one(SignInPanel).running:
            self.query_one(SignInPanel).cancel()
        elif self._running_checks():
            self.action_cancel()
        else:
            self.post_message(GoHome())

    def action_cancel(self) -> None:
        self.query_one(SignInPanel).cancel()
        for worker in self._running_checks():
            worker.cancel()

    def _show_running(self, running: bool) -> None:
        self.query_one("#running").display = running
        self.query_one("#after").display = not running
        if running:
            self.query_one("#cancel", Button).focus()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "check" or event.state in (
            WorkerState.PENDING,
            WorkerState.RUNNING,
        ):
            return
        self._show_running(False)
        if event.state is WorkerState.SUCCESS and isinstance(event.worker.result, CheckReport):
            self._show(event.worker.result)
        elif event.state is WorkerState.CANCELLED:
            note = "Cancelled. Nothing was recorded; press Run again to retry."
            self._mount(Static(note, id="cancelled", classes="hint"))
            self.query_one("#run", Button).focus()
        else:
            # an unexpected exception's text is not shown: it could quote anything
            kind = type(event.worker.error).__name__
            self._failed(
                ErrorInfo(
                    error=kind,
                    title="The check stopped unexpectedly",
                    message=f"An unexpected {kind} ended the check; nothing was recorded.",
                )
            )

    # results -----------------------------------------------------------------
    def _show(self, report: CheckReport) -> None:
        self._report = report
        self._mount(*report_widgets(report, to_prove=self._to_prove()))
        result = self.query_one("#result", Vertical)
        self.call_after_refresh(result.scroll_visible, top=True)
        if report.ok and self._signs_in():
            self._sign_in()
        elif report.ok:
            self._verified()
            self.post_message(CheckPassed())
        else:
            unknown = ErrorInfo(error="CheckFailed", title="Failed", message="")
            self._failed(report.error or unknown, report.missing_companies)

    # the browser sign-in (web) ---------------------------------------------------------
    def _to_prove(self) -> str:
        """What proves a web app's sign-in, said under a check that could not."""
        if self._signs_in():
            return "The browser sign-in below proves the rest."
        name = self.profile.name if self.profile is not None else "NAME"
        return (
            "Save the local port on the Local development URIs step to sign in here, or run "
            f"`{login_command(name)}`."
        )

    def _signs_in(self) -> bool:
        """A web profile with its local port goes on to sign in through the browser."""
        p = self.profile
        return p is not None and not p.is_service and p.local_dev is not None

    def _sign_in(self) -> None:
        assert self.profile is not None and self.secret is not None
        panel = self.query_one(SignInPanel)
        panel.display = True
        options = self.session.options or self.options
        panel.start(self.profile, self.secret, self.session.workspace.folder, options)

    def on_sign_in_done(self, message: SignInDone) -> None:
        message.stop()
        result = message.result
        if result.ok:
            if self._report is not None and self.query("#stages"):
                view = stages_view(self._report, signed_in=True)
                self.query_one("#stages", Static).update(view)
            self._verified()
            self.post_message(CheckPassed())
            self.call_after_refresh(self.query_one("#signin-result").scroll_visible, top=True)
            return
        unknown = ErrorInfo(error="SignInError", title="Sign-in failed", message="")
        self._failed(result.error or unknown)

    def _failed(self, error: ErrorInfo, missing: list[CompanyGap] | None = None) -> None:
        self._last_error = error
        step = self._step_of(error)
        card = Vertical(id="failure", classes="card")
        self._mount(card)
        card.mount_all(failure_widgets(error, missing or [], step))
        if step is not None:
            fix = self.query_one("#fix", Button)
            self.call_after_refresh(fix.focus, scroll_visible=False)

    def _step_of(self, error: ErrorInfo | None) -> Step | None:
        if error is None or error.step is None:
            return None
        try:
            step = Step(error.step)
        except ValueError:
            return None
        return step if step in self.state.steps() and step is not Step.TEST else None

    def _mount(self, *widgets: Widget) -> None:
        self.query_one("#result", Vertical).mount_all(widgets)

    def _verified(self) -> None:
        """Only a passing check of a saved profile is recorded."""
        if not self.saved or self.profile is None:
            return
        try:
            if not mark_verified(self.session.workspace, self.profile):
                self.notify(
                    "The profile changed while the check ran.",
                    title="Not recorded as verified",
                    severity="warning",
                )
        except (WizardError, OSError) as err:
            self.notify(str(err), title="Could not record the check", severity="warning")

    # buttons -----------------------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "cancel": self.action_cancel,
            "run": self.action_run,
            "copy": self._copy,
            "env": self._export,
            "fix": self._fix,
        }
        action = actions.get(event.button.id or "")
        if action is None:
            return
        event.stop()
        action()

    def _fix(self) -> None:
        step = self._step_of(self._last_error)
        if step is not None:
            self.post_message(GotoStep(step, fix=True))

    def _copy(self) -> None:
        if self.profile is not None:
            self.app.copy_to_clipboard(example_script(self.profile))
            self.notify(
                "Sent the example requests (no secret in them) to your terminal's clipboard; "
                "if nothing arrives, select the text."
            )

    def _export(self) -> None:
        from wizard.screens.env_export import EnvExportScreen

        if self.profile is None or not self.saved:
            return
        screen = EnvExportScreen(self.profile.name, self.secret, self.session.workspace)
        self.app.push_screen(screen, self._exported)

    def _exported(self, path: object) -> None:
        if path is not None:
            self.notify(f"Wrote {path}; rotation will rewrite it.", title=".env file written")

    def next_pressed(self) -> bool:
        """Done: home (the profile is saved, so no draft is kept)."""
        self.action_cancel()
        self.post_message(GoHome())
        return True
