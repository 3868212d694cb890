"""The steps of an onboarding down the left side (wide terminals): done, current, to do.

Each step carries a mark as well as a colour (✓ done, ▶ current, ! visited but something is
missing, · to do), so it reads without colour too. Steps before the current one can be
chosen (click, or the arrows and Enter); the rail says so with :class:`GotoStep`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wizard.core.steps import Step
from wizard.widgets.messages import GotoStep

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding

SHORT: dict[Step, str] = {
    Step.APP_TYPE: "Application type",
    Step.REGISTRATION: "Registration",
    Step.INTEGRATION: "API integration",
    Step.SECRET: "Client secret",
    Step.LOCAL_URIS: "Local URIs",
    Step.USER_TABLE: "User table",
    Step.REVIEW: "Review and save",
    Step.TEST: "Test",
}
# mark, style, and the word a screen reader or a colourless terminal still has
MARKS: dict[str, tuple[str, str]] = {
    "done": ("✓", "green"),
    "current": ("▶", "bold"),
    "missing": ("!", "yellow"),
    "todo": ("·", "dim"),
}


def step_marks(state: Onboarding, current: Step) -> list[tuple[Step, str]]:
    """Each step of ``state`` with its kind of mark: done, current, missing or todo."""
    steps = state.steps()
    here = steps.index(current) if current in steps else 0
    marks: list[tuple[Step, str]] = []
    for i, step in enumerate(steps):
        if i == here:
            kind = "current"
        elif i > here:
            kind = "todo"
        else:
            kind = "missing" if state.problems(step) else "done"
        marks.append((step, kind))
    return marks


class StepRail(OptionList):
    """The step list; ``show`` redraws it only when a mark changed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: list[tuple[Step, str]] = []

    def show(self, state: Onboarding, current: Step) -> None:
        marks = step_marks(state, current)
        if marks == self.shown:
            return
        self.shown = marks
        options = []
        for number, (step, kind) in enumerate(marks, start=1):
            mark, style = MARKS[kind]
            prompt = Text.assemble((mark, style), f"  {number}. {SHORT[step]}")
            if kind == "current":
                prompt.stylize("bold")
            options.append(Option(prompt, id=step.value, disabled=kind == "todo"))
        self.set_options(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(GotoStep(Step(event.option.id)))
