"""Screen 1: what this is, what you need, and where to start."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from wizard.core.drafts import Draft
from wizard.core.errors import WizardError
from wizard.core.steps import Step, describe
from wizard.core.text import sanitize
from wizard.core.visma import PORTAL_URL, USER_TABLE_ROLES
from wizard.widgets.messages import CheckProfile, OpenRotation, StartOnboarding

if TYPE_CHECKING:
    from wizard.core.session import Session

NEEDS = (
    "[b]You will need[/b]\n"
    f"• a Visma Developer Portal account: {PORTAL_URL}\n"
    f"• for a service: a Visma.net user with the {USER_TABLE_ROLES[0]} and "
    f"{USER_TABLE_ROLES[1]} roles (to set up the User table in Business NXT)"
)


class WelcomeScreen(Screen[None]):
    CSS_PATH = "welcome.tcss"
    # Not Textual's auto focus: it focuses with scroll_visible=True, whose deferred "scroll
    # into view" check can land between two layout passes and scroll the intro away on some
    # Pythons and not others (issue 13). The first button is focused without scrolling.
    AUTO_FOCUS = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New profile"),
        Binding("r", "resume", "Resume"),
        Binding("o", "rotate", "Rotate"),
        Binding("c", "check", "Check"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        drafts = self._drafts()
        profiles = self._profiles()
        with VerticalScroll(id="welcome"):
            yield Static("[b]Welcome to bnxt-wizard[/b]", id="welcome-title")
            yield Static(
                "Register a Visma Business NXT application step by step, check every value as "
                "you type it, store the secret safely, and prove it works with a real token "
                "request and a GraphQL call.",
                classes="why",
            )
            with Vertical(id="choices"):
                yield Button("Start a new profile", id="new", variant="primary", compact=True)
                for draft in drafts:
                    # Names are data, never markup; a dotted name is no valid widget id.
                    yield Button(
                        Text(f"Resume '{draft.profile}' at: {self._step_title(draft)}"),
                        name=draft.profile,
                        id=f"resume-{draft.profile}" if "." not in draft.profile else None,
                        classes="resume",
                        compact=True,
                    )
                yield Button("Rotate a secret", id="rotate", disabled=not profiles, compact=True)
                yield Button(
                    "Check an existing profile", id="check", disabled=not profiles, compact=True
                )
            if profiles:
                yield Static(
                    Text("Saved profiles: " + ", ".join(sanitize(p) for p in profiles)),
                    classes="field-help",
                    id="saved",
                )
            demo = self.session.demo
            if demo:  # first: at 80x24 it shows without scrolling
                folder = (
                    "the config folder is thrown away on exit"
                    if self.session.throwaway_folder
                    else f"profiles are kept in {escape(str(self.session.workspace.folder))}"
                )
                yield Static(
                    "[b]Demo mode[/b]: a local Visma Connect simulator runs at "
                    f"{demo.base_url}; nothing leaves this machine and {folder}.\n"
                    f"Client IDs: service [b]{demo.client_id}[/b]"
                    + (
                        f", web application [b]{demo.web_client_id}[/b] (port 12345)"
                        if demo.web_client_id
                        else ""
                    )
                    + ". Secret: press 'Use the demo secret' on the secret step (it stays "
                    "masked)\n"
                    "Companies granted in its User table: "
                    + ", ".join(f"{no} ({group})" for no, group in demo.companies),
                    classes="card",
                    id="demo-card",
                )
            yield Static(NEEDS, classes="card", id="needs")
        yield Footer(show_command_palette=False)

    def on_screen_resume(self) -> None:
        if self.focused is None:  # (a screen resumed while the app shuts down has no children)
            for button in self.query("#new").results(Button):
                button.focus(scroll_visible=False)

    def _drafts(self) -> list[Draft]:
        return self.session.workspace.drafts.list()

    def _profiles(self) -> list[str]:
        try:
            return list(self.session.workspace.config.names())
        except WizardError as err:
            self.notify(
                sanitize(err.message), title=err.title, severity="error", timeout=10, markup=False
            )
            return []

    @staticmethod
    def _step_title(draft: Draft) -> str:
        try:
            return describe(Step(draft.step))
        except ValueError:
            return draft.step

    def on_button_pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        if button == "new":
            self.action_new()
        elif event.button.has_class("resume") and event.button.name:
            self._resume(event.button.name)
        elif button == "rotate":
            self.action_rotate()
        elif button == "check":
            self.action_check()

    def action_new(self) -> None:
        from wizard.core.onboarding import Onboarding

        self.post_message(StartOnboarding(Onboarding(profile=self._free_name())))

    def _free_name(self) -> str:
        taken = set(self._profiles()) | {d.profile for d in self._drafts()}
        name = self.session.profile
        n = 2
        while name in taken:
            name = f"{self.session.profile}-{n}"
            n += 1
        return name

    def action_resume(self) -> None:
        drafts = self._drafts()
        if drafts:
            self._resume(drafts[0].profile)
        else:
            self.notify("There is no saved draft to resume.", severity="information")

    def _resume(self, name: str) -> None:
        draft = self.session.workspace.drafts.load(name)
        if draft is None:
            self.notify(
                f"The draft for '{sanitize(name)}' could not be read.",
                severity="error",
                markup=False,
            )
            return
        from wizard.core.onboarding import Onboarding

        state = Onboarding.from_draft({**draft.values, "profile": name})
        try:
            state.step = Step(draft.step)
        except ValueError:
            state.step = Step.APP_TYPE
        self.post_message(StartOnboarding(state))

    def action_rotate(self) -> None:
        if not self._profiles():
            self.notify("Save a profile first; then its secret can be rotated.")
            return
        self.post_message(OpenRotation())

    def action_check(self) -> None:
        profiles = self._profiles()
        if not profiles:
            self.notify("Save a profile first; then it can be checked.")
            return
        from wizard.screens.pick_profile import PickProfileScreen

        def chosen(name: str | None) -> None:
            if name:
                self.post_message(CheckProfile(name))

        self.app.push_screen(PickProfileScreen(profiles, "Check which profile?"), chosen)
