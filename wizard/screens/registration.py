"""Step: register the application (name, client ID, description) and wait for approval."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Checkbox, Input, Static

from wizard.core import validation as v
from wizard.core.onboarding import REGISTRATION_CHECKS
from wizard.core.steps import Step
from wizard.core.visma import CLIENT_ID_MAX, PORTAL_URL
from wizard.core.visma_facts import text
from wizard.screens.base import StepScreen
from wizard.widgets.field import Field

APPROVAL = (
    f"{text('pending_approval')} {text('create_after_approval')} {text('portal_cache')} "
    "Until then a token request answers invalid_client."
)


class RegistrationScreen(StepScreen):
    STEP = Step.REGISTRATION
    FIRST_FOCUS = "#profile"
    WATCHES = frozenset(
        {"profile", "app_name", "client_id", "description", "registration_checks"}
    )
    WHY = (
        "Fill in the portal's registration form: an application name, a unique client ID and "
        "a description. Type the same values here so the wizard can check them. "
        "Save as draft, then Send for approval."
    )

    def compose_body(self) -> ComposeResult:
        s = self.state
        with Horizontal(id="portal-row"):
            yield Button(
                f"Open the Developer Portal ({PORTAL_URL})", id="open-portal", compact=True
            )
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
        yield Static(APPROVAL, classes="why", id="approval")
        for i, label in enumerate(REGISTRATION_CHECKS):
            yield Checkbox(label.capitalize(), value=s.registration_checks[i], id=f"reg-check-{i}")

    def on_mount(self) -> None:
        self._counter()

    def _counter(self) -> None:
        n = len(self.state.client_id)
        over = n > CLIENT_ID_MAX
        colour = "red" if over else ("yellow" if n > CLIENT_ID_MAX - 4 else "green")
        self.query_one("#client-id-counter", Static).update(
            f"[{colour}]{n}/{CLIENT_ID_MAX} characters[/{colour}] — the client ID is also typed "
            f"as a user name in Business NXT's User table, where names hold at most "
            f"{CLIENT_ID_MAX} characters (count the isv_ prefix too)."
        )

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
        self.refresh_validity()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.refresh_validity()

    @on(Button.Pressed, "#open-portal")
    def _open_portal(self, event: Button.Pressed) -> None:
        event.stop()
        self.app.open_url(PORTAL_URL)
        self.notify(f"Opening {PORTAL_URL} in your browser.")
