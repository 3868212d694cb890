"""Step: Service or Web application, and what each choice implies."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet, Static

from wizard.core.steps import Step
from wizard.core.visma import AppType, facts
from wizard.screens.base import StepPane
from wizard.widgets.fit import LabelledRows
from wizard.widgets.marks import MarkedRadioButton
from wizard.widgets.messages import AppTypeChosen


def _implies(app_type: AppType) -> Group:
    """The card for one app type. Values wrap between words only: where a scope or a URL
    does not fit beside its label, the values go under their labels (LabelledRows)."""
    f = facts(app_type)
    rows = [
        ("OAuth grant", f.grant),
        ("API to add", f.api_name),
        ("Scope", " ".join((f.scope, *f.extra_scopes))),
        ("GraphQL", f.graphql_url),
        (
            "User table",
            "required: the client ID becomes a Business NXT user"
            if f.needs_user_table
            else "not needed: the signed-in user's own rights apply",
        ),
    ]
    table = LabelledRows((Text(f"  {label}:"), Text(value)) for label, value in rows)
    title = Text.assemble((f.title, "bold"), f": {f.summary}")
    return Group(title, table)


# Each choice's label, and the shorter one of the compact layout (under 80 columns, where
# the long one would be cut; the grant stays on the card under the choices).
LABELS = {
    AppType.SERVICE: (
        "Service — machine to machine (client credentials)",
        "Service — machine to machine",
    ),
    AppType.WEB: (
        "Web — users sign in (authorization code with PKCE)",
        "Web — users sign in",
    ),
}


class AppTypePane(StepPane):
    STEP = Step.APP_TYPE
    WHY = (
        "In the Developer Portal, choose My Applications → Add application, then the type. "
        "The type decides the sign-in flow, the API you integrate with, and the scope."
    )

    @property
    def stale(self) -> bool:
        return False  # the one pane that changes the app type, and outlives the change

    def compose_body(self) -> ComposeResult:
        current = self.state.app_type
        with RadioSet(id="app-type"):
            for app_type in AppType:
                yield MarkedRadioButton(
                    LABELS[app_type][0], id=app_type.value, value=current is app_type
                )
        yield Static(_implies(AppType.SERVICE), classes="card", id="implies-service")
        yield Static(_implies(AppType.WEB), classes="card", id="implies-web")

    def prepare(self) -> None:
        self._highlight()

    def on_resize(self, event: events.Resize) -> None:
        # the screen's layout class (its -tiny breakpoint) follows the new width first
        self.call_after_refresh(self._fit_labels)

    def _fit_labels(self) -> None:
        if not self.children:
            return
        compact = self.screen.has_class("-tiny")
        for app_type in AppType:
            radio = self.query_one(f"#{app_type.value}", RadioButton)
            label = LABELS[app_type][compact]
            if str(radio.label) != label:
                radio.label = label

    def load(self) -> None:
        for app_type in AppType:
            radio = self.query_one(f"#{app_type.value}", RadioButton)
            if radio.value != (self.state.app_type is app_type):
                radio.value = self.state.app_type is app_type
        self._highlight()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        chosen = AppType(event.pressed.id or "service")
        if chosen is not self.state.app_type:
            demo = self.session.demo
            self.state.choose_app_type(chosen, endpoints=demo.endpoints(chosen) if demo else None)
            self.post_message(AppTypeChosen())
        self._highlight()

    def _highlight(self) -> None:
        for app_type in AppType:
            card = self.query_one(f"#implies-{app_type.value}", Static)
            card.set_class(self.state.app_type is app_type, "chosen")
