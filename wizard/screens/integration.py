"""Step: add the Business NXT API integration to the app, and wait for its own approval."""

from __future__ import annotations

from functools import partial

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Collapsible, Input, RadioButton, RadioSet, Static

from wizard.core import validation as v
from wizard.core.onboarding import INTEGRATION_CHECKS
from wizard.core.steps import Step
from wizard.core.visma import (
    SERVICE_SCOPE,
    SERVICE_SCOPE_READONLY,
    SERVICE_SCOPES,
    WEB_SIGN_IN_SCOPE,
    AppType,
    facts,
)
from wizard.core.visma_facts import fact, text
from wizard.screens.base import StepPane, set_value
from wizard.widgets.copy_row import CopyRow
from wizard.widgets.field import Field
from wizard.widgets.marks import MarkedCheckbox, MarkedRadioButton

APPROVAL = (
    f"{text('integration_approval')} Until it is approved a token request answers "
    f"[i]invalid_scope[/i]. {text('portal_cache')}"
)
SCOPE_IDS = {SERVICE_SCOPE: "scope-full", SERVICE_SCOPE_READONLY: "scope-readonly"}
ADVANCED_HELP = (
    "Only change these if Visma gave you other endpoints, or your setup needs a tenant ID "
    "(Business NXT does not). The defaults match the app type."
)
# (input id, state field, label, rule)
ADVANCED_FIELDS = (
    ("token-url", "token_url", "Token URL", partial(v.check_endpoint_url, field="token_url")),
    (
        "graphql-url",
        "graphql_url",
        "GraphQL URL",
        partial(v.check_endpoint_url, field="graphql_url"),
    ),
    ("scope", "scope", "Scope", v.check_scope),
    ("tenant-id", "tenant_id", "Tenant ID (optional)", v.check_tenant_id),
)
# web apps only: whose discovery document gives the authorize, JWKS and end-session endpoints
ISSUER_HELP = (
    "The sign-in reads its endpoints from this address + /.well-known/openid-configuration."
)
SERVICE_API_LABEL = "This app also has the Service API integration (client credentials)"


def sourced(key: str) -> str:
    """A Visma fact with the page it comes from (markup-free: the text is ours)."""
    f = fact(key)
    return f"{f.text} (Source: {f.source})" if f.source else f.text


def check_issuer(value: str) -> list[v.Finding]:
    return v.check_endpoint_url(value, "issuer")


class IntegrationPane(StepPane):
    STEP = Step.INTEGRATION
    FIRST = "#int-check-0"
    issuer_base = ""  # the last valid issuer: the token URL follows it while it is its own
    WHY = (
        "Once the app is approved, open it in the Developer Portal and connect it to the "
        "Business NXT API: that is what lets its tokens reach GraphQL."
    )

    @property
    def app_type(self) -> AppType:
        return self.state.app_type or AppType.SERVICE

    def compose_body(self) -> ComposeResult:
        s = self.state
        f = facts(self.app_type)
        yield Static(
            "[b]In the portal:[/b] Integrations tab → [b]New integration[/b] → pick the API → "
            "pick the scope → [b]Confirm integration[/b] → wait for approval.",
            id="integration-how",
        )
        yield CopyRow("API to pick", f.api_name, id="api-name")
        if self.app_type is AppType.SERVICE:
            chosen = s.scope if s.scope in SERVICE_SCOPES else SERVICE_SCOPE
            yield Static("The integration offers two scopes; pick the one your service needs:")
            with RadioSet(id="service-scope"):
                for scope, allows in SERVICE_SCOPES.items():
                    yield MarkedRadioButton(
                        allows.capitalize(), id=SCOPE_IDS[scope], value=scope == chosen
                    )
            yield CopyRow("Scope to pick", chosen, id="portal-scope")
        else:
            yield CopyRow("Scope to pick", f.scope, id="portal-scope")
            yield Static(
                f"A user's sign-in asks for [b]{WEB_SIGN_IN_SCOPE}[/b]: openid, profile and "
                f"email identify the user; {text('offline_access')}",
                classes="field-help",
                id="extra-scopes",
            )
        yield Static(APPROVAL, classes="why", id="int-approval")
        for i, label in enumerate(INTEGRATION_CHECKS):
            yield MarkedCheckbox(
                label.capitalize(), value=s.integration_checks[i], id=f"int-check-{i}"
            )
        if self.app_type is AppType.WEB:
            yield from self._service_api()
        with Collapsible(title="Advanced: endpoints and client authentication", id="advanced"):
            yield Static(ADVANCED_HELP, classes="field-help", id="advanced-help")
            if self.app_type is AppType.WEB:
                yield Field(
                    "Issuer",
                    input_id="issuer",
                    value=s.issuer or "",
                    rule=check_issuer,
                    help_text=ISSUER_HELP,
                )
            for input_id, attr, label, rule in ADVANCED_FIELDS:
                yield Field(label, input_id=input_id, value=str(getattr(s, attr)), rule=rule)
            yield Static("Client authentication", classes="field-label", id="auth-label")
            with RadioSet(id="auth-method"):
                yield MarkedRadioButton(
                    "HTTP Basic header (the default, as in Visma's Postman setup)",
                    id="auth-basic",
                    value=s.auth_method == "basic",
                )
                yield MarkedRadioButton(
                    "client_secret_post (ID and secret in the form body)",
                    id="auth-post",
                    value=s.auth_method == "post",
                )

    def _service_api(self) -> ComposeResult:
        """Web apps: the optional Service API integration and its client-credentials scope."""
        s = self.state
        yield MarkedCheckbox(
            SERVICE_API_LABEL, value=s.service_api, id="service-api", classes="optional"
        )
        with Vertical(id="service-api-box"):
            yield Static(sourced("web_grants"), classes="field-help", id="service-api-why")
            yield Field(
                "Service scope",
                input_id="service-scope-input",
                value=s.service_scope,
                rule=v.check_scope,
                help_text="Client credentials ask for this scope, never the sign-in scopes.",
            )

    def prepare(self) -> None:
        if self._advanced_problems():
            # a bad value hidden behind a closed section would block Next with no way to see it
            self.query_one("#advanced", Collapsible).collapsed = False

    def _advanced_problems(self) -> list[str]:
        s = self.state
        found = [
            msg
            for _, attr, _, rule in ADVANCED_FIELDS
            for msg in v.errors(rule(str(getattr(s, attr))))
        ]
        if self.app_type is AppType.WEB:
            found += v.errors(check_issuer(s.issuer or ""))
        return found

    def load(self) -> None:
        s = self.state
        for i, ticked in enumerate(s.integration_checks):
            set_value(self.query_one(f"#int-check-{i}", Checkbox), ticked)
        for input_id, attr, _, _ in ADVANCED_FIELDS:
            set_value(self.query_one(f"#{input_id}", Input), str(getattr(s, attr)))
        set_value(self.query_one("#auth-post", RadioButton), s.auth_method == "post")
        set_value(self.query_one("#auth-basic", RadioButton), s.auth_method != "post")
        if self.app_type is AppType.WEB:
            self.issuer_base = (s.issuer or "").rstrip("/")
            set_value(self.query_one("#issuer", Input), s.issuer or "")
            set_value(self.query_one("#service-api", Checkbox), s.service_api)
            set_value(self.query_one("#service-scope-input", Input), s.service_scope)
            self.query_one("#service-api-box").display = s.service_api
        if self.app_type is AppType.SERVICE and s.scope in SCOPE_IDS:
            set_value(self.query_one(f"#{SCOPE_IDS[s.scope]}", RadioButton), True)
            self.query_one("#portal-scope", CopyRow).set_value(s.scope)

    def store(self) -> None:
        s = self.state
        s.integration_checks = [
            self.query_one(f"#int-check-{i}", Checkbox).value
            for i in range(len(INTEGRATION_CHECKS))
        ]
        for input_id, attr, _, _ in ADVANCED_FIELDS:
            setattr(s, attr, self.query_one(f"#{input_id}", Input).value)
        s.auth_method = "post" if self.query_one("#auth-post", RadioButton).value else "basic"
        if self.app_type is AppType.WEB:
            s.issuer = self.query_one("#issuer", Input).value.strip()
            s.service_api = self.query_one("#service-api", Checkbox).value
            s.service_scope = self.query_one("#service-scope-input", Input).value
            self.query_one("#service-api-box").display = s.service_api

    def on_input_changed(self, event: Input.Changed) -> None:
        """The token URL follows the issuer while it is the issuer's own (Visma Connect's
        layout, as ``init --issuer`` does)."""
        if event.input.id == "issuer":
            new = event.value.strip().rstrip("/")
            if not v.errors(check_issuer(new)):
                token = self.query_one("#token-url", Input)
                if token.value == f"{self.issuer_base}/connect/token":
                    token.value = f"{new}/connect/token"
                self.issuer_base = new
        super().on_input_changed(event)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "service-scope":
            chosen = next(s for s, i in SCOPE_IDS.items() if i == event.pressed.id)
            self.query_one("#portal-scope", CopyRow).set_value(chosen)
            self.query_one("#scope", Input).value = chosen  # the token request asks for it
        self.changed()
