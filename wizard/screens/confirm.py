"""A yes/no question in a small box: ``ModalScreen[bool]`` that answers True only on "Yes"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    CSS_PATH = "confirm.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "no", "Cancel")]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(self.no_label, id="confirm-no", compact=True)
                yield Button(self.yes_label, id="confirm-yes", variant="warning", compact=True)

    def on_mount(self) -> None:
        if not self.children:  # mounted while the app shuts down: nothing was composed
            return
        # The safe answer has the focus: Enter on a reflex does not overwrite anything.
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_no(self) -> None:
        self.dismiss(False)


SECRET_AT_RISK = (
    "The client secret you pasted is not saved yet, and [b]the portal shows it only "
    "once[/b]. Leave anyway and lose it?"
)


def leave_safely(screen: Screen[Any], at_risk: bool, then: Callable[[], object]) -> None:
    """Call ``then``; with a pasted secret at risk, only once the user confirms."""
    if not at_risk:
        then()
        return

    def answered(yes: bool | None) -> None:
        if yes:
            then()

    screen.app.push_screen(ConfirmScreen(SECRET_AT_RISK, yes="Leave, lose it"), answered)
