"""A checkbox and a radio button whose mark differs on and off by its shape, not only by its
colour: ``X`` / blank and ``●`` / blank (Textual draws the same ``X`` or ``●`` in both states,
only coloured differently)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Checkbox, RadioButton


class MarkedCheckbox(Checkbox):
    ON, OFF = "X", " "

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = self.ON if self.value else self.OFF

    def watch_value(self) -> None:
        self.BUTTON_INNER = self.ON if self.value else self.OFF
        super().watch_value()


class MarkedRadioButton(RadioButton):
    ON, OFF = "●", " "

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.BUTTON_INNER = self.ON if self.value else self.OFF

    def watch_value(self) -> None:
        self.BUTTON_INNER = self.ON if self.value else self.OFF
        super().watch_value()
