"""What every onboarding step pane shares: its explanation, its state, and the hooks the
onboarding screen (:mod:`wizard.screens.onboarding`) calls.

A pane is one step's body inside the onboarding screen's ``ContentSwitcher``. It is built
from the :class:`Onboarding` it was given, reads that state again (``load``) each time it is
shown, and writes back (``store``) on every change, then posts :class:`StepChanged` so the
screen re-checks what blocks Next. It never calls the screen or the app: it asks with
messages (:class:`GotoStep`, :class:`GoHome`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.match import match
from textual.css.parse import parse_selectors
from textual.widget import Widget
from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Static

from wizard.core.steps import Step
from wizard.widgets.messages import StepChanged

if TYPE_CHECKING:
    from wizard.core.onboarding import Onboarding
    from wizard.core.session import Session


class StepPane(Vertical):
    """Subclasses set ``STEP`` and ``WHY``, and implement ``compose_body``, ``load`` and
    ``store``."""

    STEP: ClassVar[Step]
    WHY: ClassVar[str] = ""
    # What a visit focuses first: the first focusable widget matching this selector.
    FIRST: ClassVar[str] = "Input, Checkbox, RadioSet, Button"
    retired: bool = False
    staged: bool = False  # built ahead, waiting off-screen (see ``stage``)
    OFFSTAGE_ROWS: ClassVar[int] = 10_000  # how far below the screen a staged pane waits

    def __init__(self, session: Session, state: Onboarding, *, build: int = 0) -> None:
        # a pane dropped for a new app type may still be leaving the DOM as its successor
        # arrives: each build of a step has its own id
        name = f"pane-{self.STEP.value}" + (f"-{build}" if build else "")
        super().__init__(id=name, classes="step-pane")
        self.session = session
        self.state = state
        self.built_for = state.app_type  # what it shows depends on it (see ``stale``)

    def compose(self) -> ComposeResult:
        if self.WHY:
            yield Static(self.WHY, classes="why")
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # A pane mounted while the app shuts down (a step built ahead as the user quits) gets
        # no children: Textual refuses mounts into a closing node. Nothing to prepare then.
        if self.children:
            self.prepare()

    def prepare(self) -> None:
        """Called once, when the pane's widgets are mounted."""

    def retire(self) -> None:
        """The screen dropped this pane (the app type changed)."""
        self.retired = True

    # built ahead --------------------------------------------------------------------
    def stage(self) -> None:
        """Wait, built ahead, where nobody sees it: laid out at the width it will have, but
        out of the flow and of the scroll extent (an overlay), far below the screen, and out
        of the focus chain. Its first showing then finds its widgets sized (``warm`` also
        drew them into Textual's line caches) instead of doing both inside the transition."""
        self.staged = True
        self.styles.overlay = "screen"
        self.styles.offset = (0, self.OFFSTAGE_ROWS)
        self.display = True

    def warm(self) -> None:
        """Render the staged pane's widgets once, off-screen (``Widget.render_lines``, as the
        compositor would), so that its first frame on screen reuses those lines."""
        if not self.staged or not self.is_mounted:
            return
        for widget in (self, *self.query("*")):
            region = widget.region
            if widget.display and region.area:
                widget.render_lines(region.reset_offset)

    def unstage(self) -> None:
        """Take its place in the flow: the step is being shown."""
        if self.staged:
            self.staged = False
            self.styles.clear_rule("overlay")
            self.styles.clear_rule("offset")
            # laid out again where it now stands; its lines, drawn off-screen, still hold
            self.refresh(repaint=False, layout=True)

    def allow_focus_children(self) -> bool:
        return not self.staged and super().allow_focus_children()

    @property
    def stale(self) -> bool:
        """Built for another app type (the screen drops it, or is about to): a change still
        queued for it (a child's Changed, a blur) must not reach the state, nor its widgets,
        which are being removed."""
        return self.retired or self.state.app_type is not self.built_for

    # hooks the onboarding screen calls ------------------------------------------------
    def load(self) -> None:
        """Show what the state holds now (other steps may have changed it since)."""

    def store(self) -> None:
        """Copy the widgets' values into ``self.state``."""

    async def shown(self) -> None:
        """Called each time the pane becomes the current step, after ``load``."""

    def left(self) -> None:
        """Called as another step (or another screen) takes its place."""

    def problems(self) -> list[str]:
        return self.state.problems(self.STEP)

    def next_label(self) -> str:
        return "Next →"

    def first_field(self) -> Widget | None:
        """What a visit focuses first: the step's first field, never the Back button."""
        # What can take the focus now (shown, enabled), in order: a few widgets to match,
        # where querying the pane would walk and match all of its widgets on every visit.
        selectors = parse_selectors(self.FIRST)
        for widget in self.screen.focus_chain:
            if self in widget.ancestors and match(selectors, widget):
                return widget
        return None

    def problem_field(self) -> Widget | None:
        """The first field that holds something wrong, or the first box left unticked (but
        for the ones that may stay so: ``reveal``, class ``optional``)."""
        chain = self.screen.focus_chain
        for field in self.query(Input):
            if field in chain and field.validators:
                result = field.validate(field.value)
                if result is not None and not result.is_valid:
                    return field
        for box in self.query(Checkbox):
            # an optional box (class "optional") is a choice, not a step left undone
            if (
                box in chain
                and not box.value
                and box.id != "reveal"
                and not box.has_class("optional")
            ):
                return box
        return None

    def next_pressed(self) -> bool:
        """Next was pressed and the step has no problems; True when the pane took care of
        it (Review saves first), False to go on to the next step."""
        return False

    # changes ---------------------------------------------------------------------------
    def changed(self) -> None:
        """Store, then tell the screen (it re-checks what blocks Next)."""
        if self.stale:
            return
        self.store()
        self.post_message(StepChanged())

    def on_input_changed(self, event: Input.Changed) -> None:
        self.changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.changed()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.changed()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if not self.stale:
            self.store()


def set_value(widget: Input | Checkbox | RadioButton, value: str | bool) -> None:
    """Set a widget's value only when it differs: an unchanged value posts no Changed
    message and lays nothing out again."""
    if widget.value != value:
        widget.value = value
