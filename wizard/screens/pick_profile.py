"""A small question: which saved profile? Returns its name, or None when cancelled."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from wizard.core.text import sanitize


class PickProfileScreen(ModalScreen[str | None]):
    CSS_PATH = "pick_profile.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, profiles: list[str], question: str) -> None:
        super().__init__()
        self.profiles = profiles
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="pick"):
            yield Label(self.question, id="pick-question")
            # A name read from the config file is data: never markup, never an escape.
            options = [Option(Text(sanitize(name)), id=name) for name in self.profiles]
            yield OptionList(*options, id="pick-list")
            yield Label("Enter to choose, Esc to cancel", classes="field-help")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
