"""A value the user must paste somewhere else (portal URI, hosts line), with a Copy button.

Copying goes through the terminal (OSC 52), which some terminals ignore. A URI, a scope or a
hosts line is never broken mid-token: it stays on one line, cut with an ellipsis where the
terminal is too narrow (the Copy button and the tooltip still have all of it; at wider sizes
it is shown whole, to select by hand). Never use this for secrets.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static


class CopyRow(Horizontal):
    DEFAULT_CSS = """
    CopyRow {
        height: auto;
        min-height: 1;
    }
    CopyRow .copy-label {
        width: 16;
        text-style: bold;
    }
    CopyRow .copy-value {
        width: 1fr;
        height: 1;
        color: $text-accent;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CopyRow .copy-button {
        margin-left: 1;
        min-width: 6;
    }
    """

    def __init__(self, label: str, value: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="copy-row")
        self.label = label
        self.value = value

    def on_mount(self) -> None:
        if not self.children:  # mounted while the app shuts down: nothing was composed
            return
        self.query_one(".copy-value", Static).tooltip = self.value or None

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="copy-label", markup=False)
        yield Static(self.value or "—", classes="copy-value", markup=False)
        yield Button("Copy", classes="copy-button", compact=True, disabled=not self.value)

    def set_value(self, value: str) -> None:
        """Show ``value``; an empty value greys out the button (nothing valid to copy). An
        unchanged value changes nothing (a step shown again lays nothing out again)."""
        if value == self.value and self.is_mounted:
            return
        self.value = value
        shown = self.query_one(".copy-value", Static)
        shown.update(value or "—")
        shown.tooltip = value or None
        self.query_one(".copy-button", Button).disabled = not value

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if not self.value:
            return
        self.app.copy_to_clipboard(self.value)
        self.notify(
            f"Sent the {self.label.lower().rstrip(':')} to your terminal's clipboard; if nothing "
            "arrives, select the text.",
            timeout=5,
        )
