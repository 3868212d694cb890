"""What the end-to-end check found, as typed models; JSON is made from them at the edge.

:class:`CheckReport` is what :func:`wizard.core.checks.run_check` returns and what the CLI text,
``check --json`` and the wizard's Test step all render. Its stages and its error are the
family the web sign-in shares (:mod:`wizard.core.results`). Never a secret or a token: only
what the token says (:class:`~wizard.core.tokens.TokenSummary`).
"""

from __future__ import annotations

import shlex
from typing import Any

from pydantic import BaseModel, Field

from wizard.core.errors import WizardError
from wizard.core.exitcodes import ExitCode
from wizard.core.results import ErrorInfo, StageResult
from wizard.core.tokens import TokenSummary


class ReachedCompany(BaseModel):
    """A company the GraphQL answer listed, and whether the profile names it."""

    name: str
    company_no: int  # the Visma.net company ID (vismaNetCompanyId)
    customer_id: int | None = None
    in_profile: bool = False


class ReachedCustomer(BaseModel):
    name: str
    customer_id: int  # vismaNetCustomerId


class ReachableCompany(BaseModel):
    """A company the answer listed, as a missing company's message quotes it."""

    company_no: int
    name: str


class CompanyGap(BaseModel):
    """A company in the profile that the answer does not list, with what to check."""

    company_no: int
    access_group: str
    message: str
    reachable: list[ReachableCompany] = Field(default_factory=list)


def login_command(profile: str) -> str:
    """The command that proves a web profile's sign-in (what a check without a browser cannot)."""
    return f"bnxt-wizard login --profile {shlex.quote(profile)}"


class CheckReport(BaseModel):
    profile: str
    app_type: str
    client_id: str
    token_url: str
    graphql_url: str
    ok: bool = False
    exit_code: int = int(ExitCode.OK)
    token: TokenSummary | None = None
    companies_reached: list[ReachedCompany] = Field(default_factory=list)
    customers_reached: list[ReachedCustomer] = Field(default_factory=list)
    missing_companies: list[CompanyGap] = Field(default_factory=list)
    error: ErrorInfo | None = None
    steps: list[StageResult] = Field(default_factory=list)

    def fail(self, stage: StageResult, err: WizardError) -> CheckReport:
        self.steps.append(stage)
        self.ok = False
        self.exit_code = int(err.exit_code)
        self.error = ErrorInfo.from_error(err)
        return self

    @property
    def proves_sign_in(self) -> bool:
        """False for a web app: a check without a browser proves its client ID and secret
        (a deliberately invalid code answered invalid_grant), never the sign-in itself."""
        return self.app_type != "web"

    def works(self, *, signed_in: bool = False) -> bool:
        """Passed, and proven whole: a service by this check, a web app only once its
        browser sign-in (``signed_in``) passed too."""
        return self.ok and (self.proves_sign_in or signed_in)

    def verdict(self, *, signed_in: bool = False) -> str:
        """One honest line: "It works" only once what the app does has been proven."""
        if not self.ok:
            return "Not yet."
        if self.works(signed_in=signed_in):
            return "It works."
        return "Client ID and secret accepted; the browser sign-in is not proven yet."

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
