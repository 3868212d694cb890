"""A labelled input that shows the core rule's message right under itself as you type."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from wizard.core.validation import Finding
from wizard.widgets.masked_input import MaskedInput
from wizard.widgets.validators import RuleValidator


class Field(Vertical):
    def __init__(
        self,
        label: str,
        *,
        input_id: str,
        value: str = "",
        rule: Callable[[str], list[Finding]] | None = None,
        help_text: str = "",
        placeholder: str = "",
        password: bool = False,
        max_length: int = 0,
    ) -> None:
        super().__init__(id=f"{input_id}-field")
        self.label = label
        self.input_id = input_id
        self.value = value
        self.rule = rule
        self.help_text = help_text
        self.placeholder = placeholder
        self.password = password
        self.max_length = max_length

    def compose(self) -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(self.label, classes="field-label")
            input_class = MaskedInput if self.password else Input
            yield input_class(
                value=self.value,
                id=self.input_id,
                placeholder=self.placeholder,
                password=self.password,
                validators=[RuleValidator(self.rule)] if self.rule else [],
                validate_on=["changed", "blur"],
                max_length=self.max_length,
                compact=True,
            )
        if self.help_text:
            yield Static(self.help_text, classes="field-help")
        yield Static("", classes="field-msg", id=f"{self.input_id}-msg")

    def on_mount(self) -> None:
        if not self.children:  # mounted while the app shuts down: nothing was composed
            return
        if self.value:
            self.show(self.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == self.input_id:
            self.show(event.value)

    def show(self, value: str) -> None:
        """Show the first error, else the first warning or hint, for ``value``."""
        message = self.query_one(f"#{self.input_id}-msg", Static)
        findings = self.rule(value) if self.rule else []
        errors = [f.message for f in findings if f.is_error]
        notes = [f.message for f in findings if not f.is_error]
        if errors and value:
            message.set_classes("field-msg -error")
            message.update(Text(f"✗ {errors[0]}"))  # may quote input: no markup
        elif notes:
            message.set_classes("field-msg -hint")
            message.update(Text(f"! {notes[0]}"))
        else:
            message.set_classes("field-msg")
            message.update("")
