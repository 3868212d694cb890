"""The frame every onboarding step shares: step counter, body, problems, Back/Next, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from wizard.core.steps import Step, describe

if TYPE_CHECKING:
    from wizard.app import WizardApp
    from wizard.core.onboarding import Onboarding


class StepScreen(Screen[None]):
    """Subclasses set ``STEP`` and ``WHY``, and implement ``compose_body`` and ``store``."""

    STEP: ClassVar[Step]
    WHY: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+h", "home", "Home", show=False),
    ]

    # Focus the first field at once instead of the scrolling body (and then the field):
    # every focus change restyles the screen.
    AUTO_FOCUS = "#body *"

    can_next: reactive[bool] = reactive(False, bindings=True)

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    @property
    def state(self) -> Onboarding:
        return self.wizard.state

    # layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        number, total = self.state.position(self.STEP)
        yield Static(
            f"[b]Step {number} of {total}[/b] · {describe(self.STEP)}"
            + ("   [reverse] DEMO [/reverse]" if self.wizard.session.demo else ""),
            id="step-header",
        )
        with VerticalScroll(id="body"):
            if self.WHY:
                yield Static(self.WHY, classes="why")
            yield from self.compose_body()
        yield Static("", id="problems")
        with Horizontal(id="nav"):
            yield Button("← Back", id="back", variant="default", compact=True)
            yield Static(classes="spacer")
            yield Button(self.next_label(), id="next", variant="primary", compact=True)
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def next_label(self) -> str:
        return "Next →"

    def on_mount(self) -> None:
        self.refresh_validity()

    # validity ----------------------------------------------------------------
    def store(self) -> None:
        """Copy widget values into ``self.state``. Called on every change."""

    def problems(self) -> list[str]:
        return self.state.problems(self.STEP)

    def refresh_validity(self) -> None:
        self.store()
        problems = self.problems()
        self.can_next = not problems
        next_button = self.query_one("#next", Button)
        next_button.disabled = bool(problems)
        next_button.tooltip = problems[0] if problems else None
        more = f"  (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        text = f"• {problems[0]}{more}" if problems else ""
        self.query_one("#problems", Static).update(text)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a field saves the draft, so a crash loses at most the field being typed."""
        self.store()
        self.wizard.save_draft()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next":
            return True if self.can_next else None
        if action == "back":
            return True
        return True

    # navigation --------------------------------------------------------------
    # Decorated handlers, so a subclass's own on_button_pressed never has to call super():
    # Textual already dispatches a message to every class in the MRO.
    @on(Button.Pressed, "#next")
    def _next_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_back()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Subclasses handle their own buttons here; Back/Next are handled above."""

    def action_next(self) -> None:
        self.refresh_validity()
        if not self.can_next:
            self.notify(self.problems()[0], severity="warning", title="Not yet")
            return
        nxt = self.state.next_step(self.STEP)
        if nxt is not None:
            self.wizard.goto(nxt)

    def action_back(self) -> None:
        self.store()
        prev = self.state.previous_step(self.STEP)
        if prev is None:
            self.wizard.go_home()
        else:
            self.wizard.goto(prev)

    def action_home(self) -> None:
        self.store()
        self.wizard.go_home()
