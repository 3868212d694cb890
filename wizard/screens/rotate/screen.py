"""Guided secret rotation: new secret, test, store (old kept), rewrite .env files, finish.

The order is the core's (:mod:`wizard.core.rotation`): nothing stored changes before the new
secret has earned a token, and the old secret stays as a backup until the user confirms it
is deleted in the portal. A rotation interrupted earlier is picked up where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from pydantic import SecretStr
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Footer, Static

from wizard.core import rotation
from wizard.core.connect import ClientOptions
from wizard.core.errors import WizardError
from wizard.core.models import Profile
from wizard.core.text import sanitize
from wizard.core.visma import PORTAL_URL
from wizard.screens.confirm import leave_safely
from wizard.screens.rotate import stages as ui
from wizard.screens.rotate import text as say
from wizard.screens.rotate.paste import SecretPaste
from wizard.screens.rotate.test import RotationTest
from wizard.widgets.messages import LeaveToHome

if TYPE_CHECKING:
    from wizard.core.session import Session

FOCUS = {
    ui.GENERATE: "#have-secret",
    ui.PASTE: "#new-secret",
    ui.STORE: "#store",
    ui.REWRITE: "#rewrite",
    ui.FINISH: "#finish",
    ui.DONE: "#home",
}


class RotateScreen(Screen[None]):
    CSS_PATH = "rotate.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "home", "Home"),
        Binding("ctrl+h", "home", "Home", show=False),
    ]
    options: ClassVar[ClientOptions] = ClientOptions()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.profile: Profile | None = None
        self.current: SecretStr | None = None  # the stored secret when the rotation began
        self.candidate: SecretStr | None = None  # pasted and well formed, not tested yet
        self.new_secret: SecretStr | None = None  # tested: it earned a token
        self.stage = ui.GENERATE

    def compose(self) -> ComposeResult:
        demo = self.session.demo
        yield Static("[b]Rotate a client secret[/b]", id="rot-header")
        with VerticalScroll(id="rot-body"):
            yield Static("", id="rot-notice")  # shown only when it has something to say
            yield Static(ui.checklist(ui.GENERATE), id="rot-checklist", classes="card")
            with ContentSwitcher(initial="stage-none", id="rot-panels"):
                with Vertical(id=f"stage-{ui.GENERATE}", classes="rot-panel"):
                    yield from ui.generate_panel(demo is not None)
                next_secret = demo.next_secret if demo else None
                yield SecretPaste(next_secret, id=f"stage-{ui.PASTE}")
                yield RotationTest(self.session.options or self.options, id=f"stage-{ui.TEST}")
                for stage, panel in (
                    (ui.STORE, ui.store_panel),
                    (ui.REWRITE, ui.rewrite_panel),
                    (ui.FINISH, ui.finish_panel),
                    (ui.DONE, ui.done_panel),
                ):
                    with Vertical(id=f"stage-{stage}", classes="rot-panel"):
                        yield from panel()
                with Vertical(id="stage-none", classes="rot-panel"):
                    yield Static("Looking for saved profiles ...", id="none-text")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        if not self.children:  # mounted while the app shuts down: nothing was composed
            return
        self._notice("")
        try:
            names = self.session.workspace.config.names()
        except WizardError as err:
            self._nothing(f"{err.message}\n{err.hint or ''}")
            return
        if not names:
            self._nothing("No profile is saved yet: finish the setup first, then rotate.")
            return
        preferred = self.session.profile
        names.sort(key=lambda name: name != preferred)  # the session's profile first
        if len(names) == 1:
            self.start(names[0])
            return
        from wizard.screens.pick_profile import PickProfileScreen

        def chosen(name: str | None) -> None:
            if name:
                self.start(name)
            else:
                self.action_home()

        self.app.push_screen(
            PickProfileScreen(names, "Rotate the secret of which profile?"), chosen
        )

    def _nothing(self, text: str) -> None:
        self.query_one("#none-text", Static).update(Text(text))
        self.query_one("#rot-checklist").display = False

    # where to begin ----------------------------------------------------------
    def start(self, name: str) -> None:
        ws = self.session.workspace
        try:
            self.profile = ws.config.get(name)
        except WizardError as err:
            self._nothing(err.message)
            return
        header = Text(f"Rotate the secret of profile {sanitize(name)}", style="bold")
        if self.session.demo:
            header.append("   ").append(" DEMO ", "reverse")
        self.query_one("#rot-header", Static).update(header)
        self.current = self._stored_secret(allow_env=False)
        self.query_one(SecretPaste).setup(self.profile.client_id, self.current)
        try:
            pending = rotation.status(ws, name, deep=True)
        except WizardError as err:
            self._nothing(err.message)
            return
        if pending is not None:
            self._notice(say.pending(name, pending))
        if pending is None:
            self.goto_stage(ui.GENERATE)
        elif not pending.new_stored:
            self.goto_stage(ui.PASTE)
        else:
            self.new_secret = self._stored_secret(allow_env=True)
            self.goto_stage(ui.REWRITE)

    def _stored_secret(self, *, allow_env: bool) -> SecretStr | None:
        if self.profile is None:
            return None
        try:
            return self.session.workspace.vault.load(self.profile, allow_env=allow_env).value
        except WizardError:
            return None

    def goto_stage(self, stage: int) -> None:
        self.stage = stage
        self.query_one("#rot-checklist", Static).update(ui.checklist(stage))
        self.query_one("#rot-panels", ContentSwitcher).current = f"stage-{stage}"
        if self.profile is not None:
            self._prepare(stage, self.profile)
        self.call_after_refresh(self._focus_stage, stage)

    def _prepare(self, stage: int, profile: Profile) -> None:
        """Fill in the texts of a stage from what is true now."""
        if stage == ui.STORE:
            self._set_text("#store-text", say.store(profile, self.session.workspace))
            self.query_one("#store", Button).label = say.store_button(profile)
        elif stage == ui.REWRITE:
            self._set_text("#rewrite-text", say.rewrite(profile, self.new_secret is not None))
            can = bool(profile.env_files) and self.new_secret is not None
            self.query_one("#rewrite", Button).display = can
        elif stage == ui.FINISH:
            backup = bool(profile.secret and profile.secret.previous_store)
            self.query_one("#rollback", Button).display = backup

    def _notice(self, text: str) -> None:
        """One line above the checklist: green for what went well, yellow for a warning."""
        notice = self.query_one("#rot-notice", Static)
        notice.update(Text(text))
        notice.display = bool(text)
        notice.set_class(text.startswith("✓"), "-ok")

    def _set_text(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(Text(text))

    def _focus_stage(self, stage: int) -> None:
        target = FOCUS.get(stage)
        if target is not None and self.stage == stage:
            widget = self.query_one(target)
            if not widget.display:  # e.g. no .env file to rewrite
                widget = self.query_one("#to-finish")
            widget.focus(scroll_visible=False)
            # Scrolled into view once the stage's panel is laid out (its buttons can sit below
            # the checklist at 80x24): Enter never acts on a button out of sight.
            self.call_after_refresh(widget.scroll_visible, animate=False)

    # stages 2 and 3: paste, test ---------------------------------------------
    def on_secret_paste_ready(self, event: SecretPaste.Ready) -> None:
        self.candidate = event.secret
        self._test()

    def _test(self) -> None:
        if self.candidate is None or self.profile is None:
            return
        self.goto_stage(ui.TEST)
        self.query_one(RotationTest).run(self.session.workspace, self.profile, self.candidate)

    def on_rotation_test_passed(self, event: RotationTest.Passed) -> None:
        self.new_secret = self.candidate
        self._notice(say.tested(event.token))
        self.goto_stage(ui.STORE)

    def on_rotation_test_paste_another(self, event: RotationTest.PasteAnother) -> None:
        self.query_one(SecretPaste).clear()
        self.goto_stage(ui.PASTE)

    # stages 4-6 --------------------------------------------------------------
    def _store(self) -> None:
        if self.profile is None or self.new_secret is None:
            return
        try:
            self.profile = rotation.store_new_secret(
                self.session.workspace, self.profile, self.new_secret
            )
        except WizardError as err:
            self._set_text("#store-text", say.failed(err))
            return
        self._notice(say.stored(self.profile, self.session.workspace))
        self.goto_stage(ui.REWRITE)

    def _rewrite(self) -> None:
        if self.profile is None or self.new_secret is None:
            return
        lines = rotation.rewrite_env_files(self.session.workspace, self.profile, self.new_secret)
        self._set_text("#rewrite-text", "\n".join(lines))
        self.query_one("#rewrite", Button).display = False
        self.query_one("#to-finish", Button).focus()

    def _finish(self) -> None:
        if self.profile is None:
            return
        try:
            self.profile = rotation.finish(self.session.workspace, self.profile)
        except WizardError as err:  # e.g. a .env still holds the old secret: back to rewrite
            self._notice(f"! {err.message}")
            self.goto_stage(ui.REWRITE)
            return
        self._set_text("#done-text", say.finished(self.profile))
        self._notice("")
        self.goto_stage(ui.DONE)

    def _rollback(self) -> None:
        from wizard.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.profile is not None:
                self.profile, text = say.roll_back(self.session.workspace, self.profile)
                self._set_text("#done-text", text)
                self._notice("")
                self.goto_stage(ui.DONE)

        self.app.push_screen(ConfirmScreen(say.ROLLBACK_QUESTION, yes="Roll back"), answered)

    # buttons and leaving -----------------------------------------------------
    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions: dict[str, Callable[[], None]] = {
            "open-portal": self._open_portal,
            "open-portal-2": self._open_portal,
            "have-secret": lambda: self.goto_stage(ui.PASTE),
            "store": self._store,
            "rewrite": self._rewrite,
            "to-finish": lambda: self.goto_stage(ui.FINISH),
            "finish": self._finish,
            "rollback": self._rollback,
            "home": self.action_home,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            action()

    def _open_portal(self) -> None:
        self.app.open_url(PORTAL_URL)
        self.notify(f"Opening {PORTAL_URL} in your browser.")

    def secret_at_risk(self) -> bool:
        """A new secret pasted (tested or not) but not stored yet: leaving would lose it."""
        typed = self.query_one(SecretPaste).candidate  # well formed, Test not pressed yet
        pasted = typed is not None or self.candidate is not None or self.new_secret is not None
        return pasted and self.stage <= ui.STORE

    def leave(self, then: Callable[[], object]) -> None:
        """Call ``then``; with a pasted new secret not stored yet, only once confirmed."""
        leave_safely(self, self.secret_at_risk(), then)

    def action_home(self) -> None:
        def home() -> None:
            self.query_one(RotationTest).cancel()
            if ui.STORE < self.stage < ui.DONE:
                self.notify("The rotation is not finished; it is offered again next time.")
            self.post_message(LeaveToHome())

        self.leave(home)
