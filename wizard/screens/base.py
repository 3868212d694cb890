"""The frame every onboarding step shares: step counter, body, problems, Back/Next, footer."""

from __future__ import annotations

from copy import deepcopy
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.visual import VisualType
from textual.widgets import Button, Static

from wizard.core.steps import Step, describe
from wizard.screens.step_cache import STEP_SCREENS
from wizard.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from wizard.app import WizardApp
    from wizard.core.onboarding import Onboarding


class StepScreen(Screen[None]):
    """Subclasses set ``STEP``, ``WHY`` and ``WATCHES``, and implement ``compose_body`` and
    ``store``.

    A step screen outlives its visit (see :mod:`wizard.screens.step_cache`): coming back to
    it, or going on to one built while the user read the step before, is a screen switch,
    not a rebuild. So a screen is bound to the :class:`Onboarding` it was built for, and it
    is reused only while the state fields it shows or edits (``WATCHES``) still hold what its
    widgets hold. Whatever it shows from elsewhere without a rebuild, ``sync`` refreshes.
    """

    STEP: ClassVar[Step]
    WHY: ClassVar[str] = ""
    # The frame's stylesheet and every step's (registration.tcss beside registration.py, ...),
    # loaded with the first step screen, not at start-up: each stylesheet Textual loads later
    # re-styles every mounted widget, and step screens stay mounted.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "step.tcss",
        *(f"{ref.partition(':')[0]}.tcss" for ref in STEP_SCREENS.values()),
    ]
    # The Onboarding fields this screen's widgets were built from or write back to (the
    # "Step N of M" header, which follows the app type, is refreshed by ``sync``).
    WATCHES: ClassVar[frozenset[str]] = frozenset()
    # False: built afresh on every visit and never ahead of time.
    REUSABLE: ClassVar[bool] = True
    # True: built ahead like the others, but shown for one visit only (the Test step runs a
    # fresh check on every visit).
    ONE_VISIT: ClassVar[bool] = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        # Escape, since most terminals send Ctrl+H as Backspace (it stays for those that don't)
        Binding("escape", "home", "Home"),
        Binding("ctrl+h", "home", "Home", show=False),
    ]

    # What a visit focuses first: the first field, not the scrolling body (and then the
    # field), since every focus change restyles the screen. Focused by ``focus_first`` as the
    # screen is shown, without scrolling: the body starts at its top, with the step's intro.
    FIRST_FOCUS: ClassVar[str] = "#body *"
    # Not Textual's auto focus: it focuses with scroll_visible=True, which defers a "scroll to
    # centre unless entirely in view" check to the next idle moment. On a screen built as it
    # is shown (the first step; the others are built ahead) that check can land between two
    # layout passes, while the field still has its width from before the body's scrollbar
    # appeared: it then counts as partly hidden and the body scrolls the intro away. Whether it
    # lands there is event-loop timing: it did under Python 3.11 (and under 3.13 in run_test),
    # not under 3.13's App.run, so users saw a different first view of a step by version.
    AUTO_FOCUS = ""

    can_next: reactive[bool] = reactive(False, bindings=True)

    def __init__(self) -> None:
        super().__init__()
        self._state: Onboarding | None = None
        self._snapshot: dict[str, object] | None = None  # set once mounted
        self._visited = False
        # what each Static updated through show() shows, by selector (see show)
        self.shown: dict[str, object] = {"#problems": ""}

    @property
    def wizard(self) -> WizardApp:
        return cast("WizardApp", self.app)

    @property
    def state(self) -> Onboarding:
        """The onboarding this screen was built for (bound on first use)."""
        if self._state is None:
            self._state = self.wizard.state
        return self._state

    # reuse -------------------------------------------------------------------
    def snapshot(self) -> dict[str, object]:
        state = self.state
        return {name: deepcopy(getattr(state, name)) for name in self.WATCHES}

    def remember(self) -> None:
        """Record that the widgets and the watched state fields agree, as of now."""
        self._snapshot = self.snapshot()

    def adopt(self, *fields: str) -> None:
        """Record that this screen itself just set ``fields`` of the state (so its widgets
        agree with them), as when a background check decides a value."""
        if self._snapshot is not None:
            for name in fields:
                self._snapshot[name] = deepcopy(getattr(self.state, name))

    def fits(self, state: Onboarding) -> bool:
        """Whether this screen can be shown again for ``state`` as it is now."""
        if not self.REUSABLE or (self.ONE_VISIT and self._visited):
            return False
        if self._state is None:
            return True  # not composed yet: it will read the state when it is
        if self._state is not state:
            return False
        # no snapshot yet: being built from this state right now
        return self._snapshot is None or self._snapshot == self.snapshot()

    # layout ------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        header = self.shown["#step-header"] = self._header()
        yield Static(header, id="step-header")
        with VerticalScroll(id="body"):
            if self.WHY:
                yield Static(self.WHY, classes="why")
            yield from self.compose_body()
        yield Static("", id="problems")
        with Horizontal(id="nav"):
            yield Button("← Back", id="back", variant="default", compact=True)
            yield Static(classes="spacer")
            yield Button(self.next_label(), id="next", variant="primary", compact=True)
        yield QuietFooter()

    def _header(self) -> str:
        number, total = self.state.position(self.STEP)
        demo = "   [reverse] DEMO [/reverse]" if self.wizard.session.demo else ""
        return f"[b]Step {number} of {total}[/b] · {describe(self.STEP)}{demo}"

    def compose_body(self) -> ComposeResult:
        yield from ()

    def next_label(self) -> str:
        return "Next →"

    def on_mount(self) -> None:
        self.refresh_validity()
        self.remember()

    def on_screen_resume(self) -> None:
        if self.focused is None:  # a first visit, or built ahead (which leaves focus unset)
            self.focus_first()
        if self._snapshot is not None:  # mounted: what other steps changed may show here
            self.sync()
        if not self._visited:
            self._visited = True
            self.first_shown()
        self.wizard.step_screens.prefetch_after(self.STEP)

    def on_screen_suspend(self) -> None:
        if self._snapshot is not None:
            self.store()
            self.remember()

    def first_shown(self) -> None:
        """Called as the screen is shown for the first time (it may have been built ahead)."""

    def show(self, selector: str, content: VisualType, *, made_from: object = None) -> None:
        """Update the Static at ``selector`` unless it shows this already: an update lays
        the whole screen out again. ``made_from`` stands for ``content`` in the comparison
        (the rows a table was drawn from, say)."""
        key = content if made_from is None else made_from
        if selector in self.shown and self.shown[selector] == key:
            return
        self.shown[selector] = key
        self.query_one(selector, Static).update(content)

    def focus_first(self) -> None:
        """Focus what a fresh visit focuses first (``FIRST_FOCUS``), without scrolling."""
        for widget in self.query(self.FIRST_FOCUS):
            if widget.focusable:
                widget.focus(scroll_visible=False)
                return

    def sync(self) -> None:
        """Bring a reused screen up to date with what other steps changed."""
        self.show("#step-header", self._header())
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
        self.show("#problems", Text(text))  # problems may quote what was typed: no markup

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
