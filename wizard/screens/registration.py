"""Step: register the application (name, client ID, description) and wait for approval."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Static

from wizard.core import validation as v
from wizard.core.onboarding import REGISTRATION_CHECKS
from wizard.core.steps import Step
from wizard.core.visma import CLIENT_ID_MAX, PORTAL_URL, AppType
from wizard.core.visma_facts import text
from wizard.screens.base import StepPane, set_value
from wizard.widgets.field import Field
from wizard.widgets.marks import MarkedCheckbox

APPROVAL = (
    f"{text('pending_approval')} {text('create_after_approval')} {text('portal_cache')} "
    "Until then a token request answers invalid_client."
)


class RegistrationPane(StepPane):
    STEP = Step.REGISTRATION
    FIRST = "#profile"
    WHY = (
        "Fill in the portal's registration form: an application name, a unique client ID and "
        "a description. Type the same values here so the wizard can check them. "
        "Save as draft, then Send for approval."
    )

    def compose_body(self) -> ComposeResult:
        s = self.state
        with Horizontal(id="portal-row"):
            yield Button("Open the Developer Portal", id="open-portal", compact=True)
            yield Static(PORTAL_URL, id="portal-url", markup=False)
        yield Field(
            "Profile name",
            input_id="profile",
            value=s.profile,
            rule=v.check_profile_name,
            help_text="what this wizard calls these settings, e.g. dev or prod",
        )
        yield Field(
            "Application name", input_id="app-name", value=s.app_name, rule=v.check_app_name
        )
        yield Field(
            "Client ID",
            input_id="client-id",
            value=s.client_id,
            rule=v.check_client_id,
            placeholder="isv_my-application",
        )
        yield Static("", id="client-id-counter")
        yield Field(
            "Description", input_id="description", value=s.description, rule=v.check_description
        )
        yield Static(APPROVAL, classes="why", id="reg-approval")
        for i, label in enumerate(REGISTRATION_CHECKS):
            yield MarkedCheckbox(
                label.capitalize(), value=s.registration_checks[i], id=f"reg-check-{i}"
            )

    def prepare(self) -> None:
        self._counter()

    def _counter(self) -> None:
        n = len(self.state.client_id)
        over = n > CLIENT_ID_MAX
        colour = "red" if over else ("yellow" if n > CLIENT_ID_MAX - 4 else "green")
        why = (
            "the client ID is also typed as a user name in Business NXT's User table, where "
            f"names hold at most {CLIENT_ID_MAX} characters (count the isv_ prefix too)."
            if self.state.app_type is not AppType.WEB
            # a web app needs no User table (step 1): the limit is kept as advice only
            else "a web app needs no User table row, but keeping the service limit lets the "
            "same naming rule serve both kinds."
        )
        self.query_one("#client-id-counter", Static).update(
            f"[{colour}]{n}/{CLIENT_ID_MAX} characters[/{colour}] — {why}"
        )

    def load(self) -> None:
        s = self.state
        set_value(self.query_one("#profile", Input), s.profile)
        set_value(self.query_one("#app-name", Input), s.app_name)
        set_value(self.query_one("#client-id", Input), s.client_id)
        set_value(self.query_one("#description", Input), s.description)
        for i, ticked in enumerate(s.registration_checks):
            set_value(self.query_one(f"#reg-check-{i}", Checkbox), ticked)
        self._counter()

    def store(self) -> None:
        s = self.state
        s.profile = self.query_one("#profile", Input).value
        s.app_name = self.query_one("#app-name", Input).value
        s.client_id = self.query_one("#client-id", Input).value
        s.description = self.query_one("#description", Input).value
        s.registration_checks = [
            self.query_one(f"#reg-check-{i}", Checkbox).value
            for i in range(len(REGISTRATION_CHECKS))
        ]

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "client-id":
            self.state.client_id = event.value
            self._counter()

    @on(Button.Pressed, "#open-portal")
    def _open_portal(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.open_url(PORTAL_URL)
        self.notify(f"Opening {PORTAL_URL} in your browser.")
