"""Step: capture the client secret (shown once by the portal) and decide where it is kept."""

from __future__ import annotations

import asyncio

from pydantic import SecretStr
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.markup import escape
from textual.widgets import Button, Checkbox, Input, Label, RadioSet, Static
from textual.worker import Worker, WorkerState

from wizard.core import secrets as secret_stores
from wizard.core import validation as v
from wizard.core.models import SecretStoreKind
from wizard.core.secrets import ENV_SECRET, FileBackend, KeyringProbe
from wizard.core.steps import Step
from wizard.core.visma_facts import text
from wizard.screens.base import StepPane
from wizard.widgets.marks import MarkedCheckbox, MarkedRadioButton
from wizard.widgets.masked_input import MaskedInput
from wizard.widgets.messages import StepChanged
from wizard.widgets.validators import RuleValidator

SHOWN_ONCE = (
    f"[b]The portal shows the secret ONCE.[/b] {text('secret_shown_once')} Copy it now, "
    "before you leave the page. If it is lost, generate a new one and delete the old one."
)
KEPT_IN_MEMORY = (
    "It stays in memory until you save on the Review step; it is never written to the draft."
)
STORE_NOTES: dict[SecretStoreKind, str] = {
    "keyring": "",
    "file": "Plaintext in a file only you can read (mode 0600): {path}. Keep it out of backups "
    "and version control.",
    "env": f"Nothing is stored: export {ENV_SECRET} wherever bnxt-wizard or your app runs. "
    "The test step uses the secret typed here.",
}


class SecretInput(MaskedInput):
    """An Input that takes a pasted secret whole (the pane then trims stray whitespace and
    says so).

    Textual's Input keeps only the first line of a paste, so a copy that starts with a line
    break would silently paste nothing. This handler runs before Input's own and stops it.
    """

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()
        if not event.text:
            return
        if any(c in event.text.strip() for c in "\r\n"):
            self.notify(
                "The clipboard holds more than one line; copy only the secret.",
                title="Not pasted",
                severity="warning",
            )
            return
        flat = event.text.replace("\r", " ").replace("\n", " ")
        if self.selection.is_empty:
            self.insert_text_at_cursor(flat)
        else:
            self.replace(flat, *self.selection)


class SecretPane(StepPane):
    STEP = Step.SECRET
    FIRST = "#secret"
    WHY = (
        "Every token request proves who the app is with its client ID and this secret. "
        "Paste it here; it stays masked unless you choose to show it."
    )

    probe: KeyringProbe | None = None
    probing: bool = False
    trimmed: str = ""  # the note for whitespace just removed from the field

    def compose_body(self) -> ComposeResult:
        yield Static(SHOWN_ONCE, id="shown-once")
        current = self.state.secret.get_secret_value() if self.state.secret else ""
        with Horizontal(classes="field-row"):
            yield Label("Client secret", classes="field-label")
            yield SecretInput(
                value=current,
                id="secret",
                password=True,
                placeholder="paste the secret from the Credentials tab",
                validators=[RuleValidator(self._findings)],
                validate_on=["changed", "blur"],
                compact=True,
            )
        with Horizontal(id="secret-tools"):
            yield MarkedCheckbox("Show the secret", value=False, id="reveal")
            if self.session.demo:
                yield Button("Use the demo secret", id="demo-secret", compact=True)
        yield Static("", classes="field-msg", id="secret-msg")
        yield Static(KEPT_IN_MEMORY, classes="field-help", id="kept")
        yield Static("[b]Where it will be stored[/b]", id="store-title")
        yield Static("", id="store-status")
        with RadioSet(id="store-choice"):
            yield MarkedRadioButton(
                "Private file (plaintext, mode 0600) in the config folder",
                id="store-file",
                value=self.state.secret_store == "file",
            )
            yield MarkedRadioButton(
                f"Environment only ({ENV_SECRET}); nothing is stored",
                id="store-env",
                value=self.state.secret_store == "env",
            )
        yield Static("", classes="field-help", id="store-note")

    def prepare(self) -> None:
        self.query_one("#store-choice").display = False
        forced = self.session.forced_store
        if forced:
            self.state.secret_store = forced
            where = self.session.workspace.vault.backend(forced).describe()
            throwaway = self.session.demo and self.session.throwaway_folder
            why = "Demo: kept in the throwaway folder" if throwaway else "Fixed"
            self._status(f"{why}: {escape(where)}.")
            self._note()
        else:
            self.probing = True
            self._status("[i]Checking the OS keyring…[/i] (this can take a few seconds)")
            self.run_probe()
        self._show_findings(self.query_one("#secret", Input).value)

    # the keyring probe -------------------------------------------------------------
    @work(exclusive=True, exit_on_error=False, group="keyring-probe")
    async def run_probe(self) -> None:
        session = self.session
        if session.keyring_probe is None:
            session.keyring_probe = await asyncio.to_thread(secret_stores.probe_keyring)
        self._probed(session.keyring_probe)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "keyring-probe" and event.state is WorkerState.ERROR:
            self._probed(KeyringProbe(False, "unknown", "the keyring check failed"))

    def _probed(self, probe: KeyringProbe) -> None:
        self.probe, self.probing = probe, False
        if probe.usable:
            self.state.secret_store = "keyring"
            self._status(f"[green]✓[/green] OS keyring ({escape(probe.backend)})")
        else:
            if self.state.secret_store == "keyring":
                self.state.secret_store = None
            self._status(
                f"[yellow]The OS keyring is not usable here[/yellow]: {escape(probe.reason)}. "
                "Choose where the secret goes instead:"
            )
            self.query_one("#store-choice").display = True
        self._note()
        self.post_message(StepChanged())

    def load(self) -> None:
        secret = self.query_one("#secret", Input)
        current = self.state.secret.get_secret_value() if self.state.secret else ""
        if secret.value != current:
            secret.value = current
        secret.validate(secret.value)  # its findings depend on the client ID
        self._show_findings(secret.value)

    def _status(self, text: str) -> None:
        self.query_one("#store-status", Static).update(text)

    def _note(self) -> None:
        kind = self.state.secret_store
        path = FileBackend(self.session.workspace.vault.folder).path
        note = STORE_NOTES[kind].format(path=path) if kind else f"The file would be {path}."
        self.query_one("#store-note", Static).update(escape(note))

    # values and problems -----------------------------------------------------------
    def _findings(self, raw: str) -> list[v.Finding]:
        value, found = v.normalize_secret(raw)
        return found + v.check_secret(value, self.state.client_id)

    def _show_findings(self, raw: str) -> None:
        found = self._findings(raw)
        errs = [f"✗ {f.message}" for f in found if f.is_error] if raw else []
        notes = [f"! {f.message}" for f in found if not f.is_error]
        if self.trimmed and raw:
            notes.insert(0, f"! {self.trimmed}")
        message = self.query_one("#secret-msg", Static)
        message.set_classes(
            "field-msg -error" if errs else "field-msg -hint" if notes else "field-msg"
        )
        message.update(Text("\n".join(errs[:1] + notes)))

    def store(self) -> None:
        raw = self.query_one("#secret", Input).value
        value, _ = v.normalize_secret(raw)
        self.state.secret = SecretStr(value) if value.strip() else None
        if self.probe is not None and not self.probe.usable:
            pressed = self.query_one("#store-choice", RadioSet).pressed_button
            if pressed is not None:
                self.state.secret_store = "env" if pressed.id == "store-env" else "file"

    def problems(self) -> list[str]:
        found = super().problems()
        if self.probing:
            found.append("Checking whether the OS keyring works; one moment.")
        elif self.state.secret_store is None:
            found.append("Choose where the secret is kept: a private file or the environment.")
        return found

    # events -------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "secret":
            return
        value, found = v.normalize_secret(event.value)
        if value != event.value and value:
            # The field holds exactly what will be saved; the note says what was removed.
            self.trimmed = found[0].message.split(" The secret")[0] if found else ""
            event.input.value = value
            return
        if not value:
            self.trimmed = ""
        self._show_findings(event.value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "reveal":
            self.query_one("#secret", Input).password = not event.value

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.store()
        self._note()

    @on(Button.Pressed, "#demo-secret")
    def _demo_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        demo = self.session.demo
        if demo:
            secret = demo.secret_for(self.state.client_id.strip())
            if secret is None:
                self.notify(
                    f"The demo secrets belong to the demo client IDs: {demo.client_id} "
                    f"(service) and {demo.web_client_id} (web). Type one on the Registration "
                    "step first.",
                    severity="warning",
                )
                return
            secret_input = self.query_one("#secret", Input)
            secret_input.value = secret.get_secret_value()
            secret_input.focus()
