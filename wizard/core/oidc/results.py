"""What a sign-in run found, as typed models; JSON is made from them at the edge.

Never a secret, a code or a token: only what they say (who, which scopes, until when).
Its stages and its error are the family the check shares (:mod:`wizard.core.results`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from wizard.core.errors import WizardError
from wizard.core.exitcodes import ExitCode
from wizard.core.results import ErrorInfo, StageResult

__all__ = ["ErrorInfo", "LoginResult", "Reached", "StageResult"]


class Reached(BaseModel):
    """A company or customer the signed-in user reaches."""

    number: int
    name: str


class LoginResult(BaseModel):
    profile: str
    client_id: str
    issuer: str = ""
    sign_in_url: str = ""
    certificate_fingerprint: str | None = None  # SHA-256 of the local app's certificate
    ok: bool = False
    exit_code: int = int(ExitCode.OK)
    stages: list[StageResult] = Field(default_factory=list)
    subject: str | None = None
    name: str | None = None
    email: str | None = None
    scopes: list[str] = Field(default_factory=list)
    access_token_expires_in: int | None = None
    access_token_expires_at: datetime | None = None
    id_token_expires_at: datetime | None = None
    refresh_token: bool = False
    refreshed: bool = False
    companies: list[Reached] = Field(default_factory=list)
    customers: list[Reached] = Field(default_factory=list)
    error: ErrorInfo | None = None

    def fail(self, err: WizardError) -> LoginResult:
        self.ok = False
        self.exit_code = int(err.exit_code)
        self.error = ErrorInfo.from_error(err)
        return self

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
