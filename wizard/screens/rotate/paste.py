"""Stage 2 of a rotation: paste the new secret, masked, checked by the core as it is typed.

A widget of its own; it says :class:`Ready` with a well-formed secret that differs from the
stored one when the user asks to test it (button or Enter).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Static

from wizard.core import rotation
from wizard.core.errors import ValidationFailed
from wizard.core.profiles import prepare_secret
from wizard.screens.rotate import stages as ui


class SecretPaste(Vertical):
    @dataclass
    class Ready(Message):
        secret: SecretStr

    def __init__(self, demo_secret: SecretStr | None, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="rot-panel")
        self.demo_secret = demo_secret
        self.client_id: str | None = None
        self.current: SecretStr | None = None  # the stored secret, refused as "new"
        self.candidate: SecretStr | None = None

    def compose(self) -> ComposeResult:
        yield from ui.paste_panel(self.demo_secret is not None)

    def setup(self, client_id: str, current: SecretStr | None) -> None:
        self.client_id, self.current = client_id, current

    def clear(self) -> None:
        self.query_one("#new-secret", Input).value = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.candidate = None
        message = self.query_one("#secret-msg", Static)
        try:
            secret, warnings = prepare_secret(event.value, self.client_id)
        except ValidationFailed as err:
            message.update(Text(f"✗ {err.problems[0]}" if event.value else ""))
            message.set_classes("-error")
        else:
            if rotation.is_same_secret(secret, self.current):
                message.update(f"✗ {rotation.SAME_SECRET}")
                message.set_classes("-error")
            else:
                self.candidate = secret
                length = len(secret.get_secret_value())
                message.update(Text(f"! {warnings[0]}" if warnings else f"✓ {length} characters"))
                message.set_classes("-hint" if warnings else "-ok")
        self.query_one("#test-secret", Button).disabled = self.candidate is None

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.checkbox.id == "reveal":
            self.query_one("#new-secret", Input).password = not event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._send_ready()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "demo-secret" and self.demo_secret is not None:
            self.query_one("#new-secret", Input).value = self.demo_secret.get_secret_value()
            self.query_one("#test-secret", Button).focus()
        elif event.button.id == "test-secret":
            self._send_ready()

    def _send_ready(self) -> None:
        if self.candidate is not None:
            self.post_message(self.Ready(self.candidate))
