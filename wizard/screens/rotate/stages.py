"""The panels of the guided rotation, one per stage, and the checklist that shows where you are.

Only layout lives here; :mod:`wizard.screens.rotate` decides which panel shows and what the
buttons do.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static

from wizard.core.rotation import PORTAL_REMINDER
from wizard.core.visma import PORTAL_URL
from wizard.widgets.marks import MarkedCheckbox
from wizard.widgets.masked_input import MaskedInput

STAGES = (
    "Generate a NEW secret in the portal — do not delete the old one yet",
    "Paste the new secret",
    "Test it with a real token request",
    "Store it (the old one is kept as a backup)",
    "Rewrite the .env files this profile wrote",
    "Delete the old secret in the portal, then confirm",
)
GENERATE, PASTE, TEST, STORE, REWRITE, FINISH = range(len(STAGES))
DONE = len(STAGES)


def checklist(current: int) -> Text:
    """Done stages ticked, the current one highlighted, the rest dimmed."""
    lines = []
    for i, label in enumerate(STAGES):
        if i < current:
            lines.append(Text(f" ✓ {i + 1}. {label} ", style="green"))
        elif i == current:
            lines.append(Text(f" ▶ {i + 1}. {label} ", style="bold reverse"))
        else:
            lines.append(Text(f"   {i + 1}. {label} ", style="dim"))
    return Text("\n").join(lines)


def row(*buttons: Button) -> Horizontal:
    return Horizontal(*buttons, classes="rot-buttons")


def generate_panel(demo: bool) -> ComposeResult:
    yield Static(
        "In the Developer Portal open your application, then its [b]Credentials[/b] tab, and "
        "generate a new client secret. It is shown only once: copy it right away.\n"
        "[b]Keep the old secret[/b]: everything that runs today still uses it until this "
        "rotation is finished."
        + ("\n[i]Demo: the simulator already accepts a second secret for you.[/i]" if demo else ""),
        classes="rot-text",
    )
    yield row(
        Button("Open the Developer Portal", id="open-portal", compact=True),
        Button("I have the new secret →", id="have-secret", variant="primary", compact=True),
    )
    yield Static(f"  {PORTAL_URL}", classes="rot-help")


def paste_panel(demo: bool) -> ComposeResult:
    with Horizontal(id="secret-row"):
        yield Label("New secret", classes="rot-label")
        yield MaskedInput(id="new-secret", password=True, compact=True, placeholder="paste it here")
        yield MarkedCheckbox("Show", id="reveal", value=False)
    yield Static("", id="secret-msg")
    buttons = [Button("Test it →", id="test-secret", variant="primary", compact=True)]
    if demo:
        buttons.insert(0, Button("Use the demo's next secret", id="demo-secret", compact=True))
    yield row(*buttons)


def store_panel() -> ComposeResult:
    yield Static("", id="store-text", classes="rot-text")
    yield row(Button("Store it", id="store", variant="primary", compact=True))


def rewrite_panel() -> ComposeResult:
    yield Static("", id="rewrite-text", classes="rot-text")
    yield row(
        Button("Rewrite them", id="rewrite", variant="primary", compact=True),
        Button("Continue →", id="to-finish", compact=True),
    )


def finish_panel() -> ComposeResult:
    yield Static(
        f"{PORTAL_REMINDER}\nUntil you confirm, the old secret stays in the store as a backup "
        "so you can roll back.",
        classes="rot-text",
    )
    yield row(Button("Open the Developer Portal", id="open-portal-2", compact=True))
    yield row(
        Button("Confirm: I deleted the old secret", id="finish", variant="success", compact=True),
        Button("Roll back", id="rollback", variant="warning", compact=True),
    )


def done_panel() -> ComposeResult:
    yield Static("", id="done-text", classes="rot-text")
    yield row(Button("Back to the start", id="home", variant="primary", compact=True))
