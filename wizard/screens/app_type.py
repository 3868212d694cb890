"""Step: Service or Web application, and what each choice implies."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet, Static

from wizard.core.steps import Step
from wizard.core.visma import AppType, facts
from wizard.screens.base import StepScreen


def _implies(app_type: AppType) -> str:
    f = facts(app_type)
    lines = [
        f"[b]{f.title}[/b]: {f.summary}",
        f"  OAuth grant:  {f.grant}",
        f"  API to add:   {f.api_name}",
        f"  Scope:        {' '.join((f.scope, *f.extra_scopes))}",
        f"  GraphQL:      {f.graphql_url}",
        "  User table:   "
        + (
            "required: the client ID becomes a Business NXT user"
            if f.needs_user_table
            else "not needed: the signed-in user's own rights apply"
        ),
    ]
    return "\n".join(lines)


class AppTypeScreen(StepScreen):
    STEP = Step.APP_TYPE
    FIRST_FOCUS = "#app-type"
    WATCHES = frozenset({"app_type"})
    WHY = (
        "In the Developer Portal, choose My Applications → Add application, then the type. "
        "The type decides the sign-in flow, the API you integrate with, and the scope."
    )

    def compose_body(self) -> ComposeResult:
        current = self.state.app_type
        with RadioSet(id="app-type"):
            yield RadioButton(
                "Service — machine to machine (client credentials)",
                id="service",
                value=current is AppType.SERVICE,
            )
            yield RadioButton(
                "Web — users sign in (authorization code with PKCE)",
                id="web",
                value=current is AppType.WEB,
            )
        yield Static(_implies(AppType.SERVICE), classes="card", id="implies-service")
        yield Static(_implies(AppType.WEB), classes="card", id="implies-web")

    def on_mount(self) -> None:
        self._highlight()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        chosen = AppType(event.pressed.id or "service")
        demo = self.wizard.session.demo
        self.state.choose_app_type(chosen, endpoints=demo.endpoints(chosen) if demo else None)
        self._highlight()
        self.refresh_validity()

    def _highlight(self) -> None:
        for app_type in AppType:
            card = self.query_one(f"#implies-{app_type.value}", Static)
            card.set_class(self.state.app_type is app_type, "chosen")
