"""What the user has typed so far in the wizard, and what is still wrong with it.

This is the wizard's brain without a screen: which steps apply to an app type, what blocks
Next on each step, how a draft is saved (never the secret) and how the final Profile is
built. The Textual screens only read and write these fields.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator

from wizard.core import validation as v
from wizard.core.errors import ValidationFailed
from wizard.core.models import AuthMethod, Endpoints, Profile, SecretStoreKind
from wizard.core.steps import Step
from wizard.core.visma import SERVICE_SCOPE, TOKEN_URL, AppType, facts

# The portal's states in order (authentication/service/application_registration: Save as draft,
# Send for approval, Pending approval; docs.connect.visma.com create-your-application: Create).
REGISTRATION_CHECKS = ("saved as draft", "sent for approval", "approved", "created")
INTEGRATION_CHECKS = ("integration added", "integration approved")
USER_TABLE_STEP_COUNT = 7


class CompanyRow(BaseModel):
    company_no: str = ""
    access_group: str = ""


class Onboarding(BaseModel):
    model_config = ConfigDict(validate_assignment=False)

    profile: str = "default"
    step: Step = Step.APP_TYPE
    app_type: AppType | None = None
    app_name: str = ""
    client_id: str = ""
    description: str = ""
    registration_checks: list[bool] = Field(
        default_factory=lambda: [False] * len(REGISTRATION_CHECKS)
    )
    integration_checks: list[bool] = Field(
        default_factory=lambda: [False] * len(INTEGRATION_CHECKS)
    )
    secret: SecretStr | None = Field(default=None, exclude=True)
    secret_store: SecretStoreKind | None = None
    local_dev_enabled: bool = False
    port: str = "12345"
    user_table_checks: list[bool] = Field(default_factory=lambda: [False] * USER_TABLE_STEP_COUNT)
    companies: list[CompanyRow] = Field(default_factory=list)
    token_url: str = TOKEN_URL
    graphql_url: str = ""
    scope: str = ""
    authorize_url: str | None = None
    issuer: str | None = None  # web apps: whose discovery document gives the endpoints
    service_api: bool = False  # web apps: the Service API integration is added too
    service_scope: str = SERVICE_SCOPE  # its client-credentials scope (used when service_api)
    auth_method: AuthMethod = "basic"
    tenant_id: str = ""

    @field_validator("registration_checks", "integration_checks")
    @classmethod
    def _one_per_check(cls, value: list[bool], info: ValidationInfo) -> list[bool]:
        """A draft saved before a check was added gets it unticked."""
        labels = (
            REGISTRATION_CHECKS if info.field_name == "registration_checks" else INTEGRATION_CHECKS
        )
        return (list(value) + [False] * len(labels))[: len(labels)]

    # app type ----------------------------------------------------------------
    def choose_app_type(self, app_type: AppType, *, endpoints: Endpoints | None = None) -> None:
        """Pick the type and the endpoints it implies (a demo passes simulator endpoints)."""
        changed = self.app_type is not app_type
        self.app_type = app_type
        if changed or not self.graphql_url:
            ep = endpoints or Endpoints.defaults(app_type)
            self.token_url = ep.token_url
            self.graphql_url = ep.graphql_url
            self.scope = ep.scope
            self.authorize_url = ep.authorize_url
            self.issuer = ep.issuer
            self.local_dev_enabled = app_type is AppType.WEB

    @property
    def is_service(self) -> bool:
        return self.app_type is AppType.SERVICE

    def steps(self) -> list[Step]:
        """The steps for this app type, in order (before a type is chosen: the service list).

        Services may skip the local URIs step (a switch on that step); web apps have no User
        table step, since the signed-in user's own rights apply, and take the local URIs
        right after the type: the portal's registration form asks for them.
        """
        if self.app_type is not AppType.WEB:
            return list(Step)
        rest = [s for s in Step if s not in (Step.APP_TYPE, Step.LOCAL_URIS, Step.USER_TABLE)]
        return [Step.APP_TYPE, Step.LOCAL_URIS, *rest]

    def next_step(self, step: Step) -> Step | None:
        order = self.steps()
        i = order.index(step) if step in order else 0
        return order[i + 1] if i + 1 < len(order) else None

    def previous_step(self, step: Step) -> Step | None:
        order = self.steps()
        i = order.index(step) if step in order else 0
        return order[i - 1] if i > 0 else None

    def position(self, step: Step) -> tuple[int, int]:
        order = self.steps()
        return (order.index(step) + 1 if step in order else 1), len(order)

    # what blocks Next ----------------------------------------------------------
    def problems(self, step: Step) -> list[str]:
        checks = {
            Step.APP_TYPE: self._app_type_problems,
            Step.REGISTRATION: self._registration_problems,
            Step.INTEGRATION: self._integration_problems,
            Step.SECRET: self._secret_problems,
            Step.LOCAL_URIS: self._local_problems,
            Step.USER_TABLE: self._user_table_problems,
        }
        check = checks.get(step)
        return check() if check else []

    def all_problems(self) -> list[tuple[Step, str]]:
        return [
            (step, msg)
            for step in self.steps()
            if step not in (Step.REVIEW, Step.TEST)
            for msg in self.problems(step)
        ]

    def _app_type_problems(self) -> list[str]:
        return [] if self.app_type else ["Choose Service or Web to continue."]

    def _registration_problems(self) -> list[str]:
        found = v.errors(v.check_profile_name(self.profile))
        found += v.errors(v.check_app_name(self.app_name))
        found += v.errors(v.check_client_id(self.client_id))
        found += v.errors(v.check_description(self.description))
        for label, done in zip(REGISTRATION_CHECKS, self.registration_checks, strict=False):
            if not done:
                found.append(
                    f"Tick '{label}' once it is done in the portal: the app must be approved "
                    "and created before anything else works."
                )
                break
        return found

    def _integration_problems(self) -> list[str]:
        found = v.errors(v.check_endpoint_url(self.token_url, "token_url"))
        found += v.errors(v.check_endpoint_url(self.graphql_url, "graphql_url"))
        found += v.errors(v.check_scope(self.scope))
        found += v.errors(v.check_tenant_id(self.tenant_id))
        if self.app_type is AppType.WEB:
            found += v.errors(v.check_endpoint_url(self.issuer or "", "issuer"))
            if self.service_api:
                found += v.errors(v.check_scope(self.service_scope))
        for label, done in zip(INTEGRATION_CHECKS, self.integration_checks, strict=False):
            if not done:
                found.append(
                    f"Tick '{label}' once it is done: the integration needs its own approval."
                )
                break
        return found

    def _secret_problems(self) -> list[str]:
        if self.secret is None:
            return ["Paste the client secret from the Credentials tab."]
        return v.errors(v.check_secret(self.secret.get_secret_value(), self.client_id))

    def _local_problems(self) -> list[str]:
        if not self.local_dev_enabled:
            return []
        return v.errors(v.check_port(self.port))

    def _user_table_problems(self) -> list[str]:
        found: list[str] = []
        if not all(self.user_table_checks):
            missing = self.user_table_checks.index(False) + 1
            found.append(f"Tick step {missing} of the User table setup once it is done.")
        rows = [r for r in self.companies if r.company_no.strip() or r.access_group.strip()]
        if not rows:
            found.append("Add at least one company the service may reach, with its access group.")
        seen: set[str] = set()
        for row in rows:
            found += v.errors(v.check_company_number(row.company_no))
            found += v.errors(v.check_access_group(row.access_group))
            if row.company_no.strip() in seen:
                found.append(f"Company {row.company_no.strip()} is listed twice; keep one row.")
            seen.add(row.company_no.strip())
        return found

    # results -----------------------------------------------------------------
    def to_profile(self) -> Profile:
        problems = [msg for _, msg in self.all_problems()]
        if problems or self.app_type is None:
            raise ValidationFailed(problems or ["Choose an application type."])
        f = facts(self.app_type)
        data: dict[str, Any] = {
            "name": self.profile,
            "app_type": self.app_type,
            "app_name": self.app_name,
            "client_id": self.client_id,
            "description": self.description,
            "endpoints": {
                "token_url": self.token_url,
                "graphql_url": self.graphql_url,
                "scope": self.scope or f.scope,
                "authorize_url": self.authorize_url,
                "issuer": self.issuer if self.app_type is AppType.WEB else None,
                "service_scope": self.service_scope.strip()
                if self.app_type is AppType.WEB and self.service_api
                else None,
            },
            "auth_method": self.auth_method,
            "tenant_id": self.tenant_id or None,
            "local_dev": {"port": int(self.port)} if self.local_dev_enabled else None,
            "companies": [
                {"company_no": int(r.company_no), "access_group": r.access_group}
                for r in self.companies
                if r.company_no.strip()
            ]
            if self.is_service
            else [],
        }
        from wizard.core.profiles import build_profile

        return build_profile(data)

    def to_draft(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"secret"})

    @classmethod
    def from_draft(cls, values: dict[str, Any]) -> Onboarding:
        clean = {k: val for k, val in values.items() if k != "secret"}
        try:
            return cls.model_validate(clean)
        except ValueError:
            return cls(profile=str(values.get("profile", "default")))

    @classmethod
    def from_profile(cls, profile: Profile) -> Onboarding:
        ob = cls(
            profile=profile.name,
            app_type=profile.app_type,
            app_name=profile.app_name,
            client_id=profile.client_id,
            description=profile.description,
            registration_checks=[True] * len(REGISTRATION_CHECKS),
            integration_checks=[True] * len(INTEGRATION_CHECKS),
            secret_store=profile.secret.store if profile.secret else None,
            local_dev_enabled=profile.local_dev is not None,
            port=str(profile.local_dev.port) if profile.local_dev else "12345",
            user_table_checks=[True] * USER_TABLE_STEP_COUNT,
            companies=[
                CompanyRow(company_no=str(c.company_no), access_group=c.access_group)
                for c in profile.companies
            ],
            token_url=profile.endpoints.token_url,
            graphql_url=profile.endpoints.graphql_url,
            scope=profile.endpoints.scope,
            authorize_url=profile.endpoints.authorize_url,
            issuer=profile.endpoints.issuer,
            service_api=profile.endpoints.service_scope is not None,
            service_scope=profile.endpoints.service_scope or SERVICE_SCOPE,
            auth_method=profile.auth_method,
            tenant_id=profile.tenant_id or "",
        )
        return ob
