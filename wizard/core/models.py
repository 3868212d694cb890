"""Pydantic models of a profile. Field rules come from :mod:`wizard.core.validation`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from wizard.core import validation as v
from wizard.core.visma import (
    CONNECT_BASE,
    LOCAL_DEV_HOST,
    LOGIN_PATH,
    LOGOUT_PATH,
    REDIRECT_PATH,
    TOKEN_URL,
    WEB_SIGN_IN_SCOPE,
    AppType,
    facts,
)

AuthMethod = Literal["basic", "post"]
SecretStoreKind = Literal["keyring", "file", "env"]


def _no_bool(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("Enter a whole number, not true/false.")
    return value


NotBool = Annotated[int, BeforeValidator(_no_bool)]


def _raise(findings: list[v.Finding]) -> None:
    errs = v.errors(findings)
    if errs:
        raise ValueError(" ".join(errs))


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Endpoints(_Model):
    """Where the app talks to. ``scope`` is what the app requests: a service's client-credentials
    scope, a web app's sign-in scopes. Web apps only: ``issuer`` names the Visma Connect whose
    discovery document (``{issuer}/.well-known/openid-configuration``) gives the authorize,
    JWKS and end-session endpoints, each overridden when set here; ``service_scope`` is set
    when the web app also has the Service API integration (client credentials; visma_facts
    "web_grants")."""

    token_url: str = TOKEN_URL
    authorize_url: str | None = None
    graphql_url: str
    scope: str
    issuer: str | None = None
    jwks_url: str | None = None
    end_session_url: str | None = None
    service_scope: str | None = None

    @field_validator(
        "token_url", "graphql_url", "authorize_url", "issuer", "jwks_url", "end_session_url"
    )
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None:
            _raise(v.check_endpoint_url(value))
        return value

    @field_validator("issuer")
    @classmethod
    def _issuer(cls, value: str | None) -> str | None:
        return value.rstrip("/") if value is not None else None

    @field_validator("scope")
    @classmethod
    def _scope(cls, value: str) -> str:
        _raise(v.check_scope(value))
        return value

    @field_validator("service_scope")
    @classmethod
    def _service_scope(cls, value: str | None) -> str | None:
        if value is not None:
            _raise(v.check_scope(value))
        return value

    @classmethod
    def defaults(cls, app_type: AppType | str) -> Endpoints:
        f = facts(app_type)
        if AppType(app_type) is AppType.SERVICE:
            return cls(token_url=TOKEN_URL, graphql_url=f.graphql_url, scope=f.scope)
        return cls(  # visma_facts "web_sign_in_scopes" (Visma's web sample)
            token_url=TOKEN_URL,
            graphql_url=f.graphql_url,
            scope=WEB_SIGN_IN_SCOPE,
            issuer=CONNECT_BASE,
        )


class LocalDev(_Model):
    host: str = LOCAL_DEV_HOST
    port: NotBool = 12345
    login_path: str = LOGIN_PATH
    logout_path: str = LOGOUT_PATH
    redirect_path: str = REDIRECT_PATH

    @field_validator("port")
    @classmethod
    def _port(cls, value: int) -> int:
        _raise(v.check_port(value))
        return value

    @field_validator("login_path", "logout_path", "redirect_path")
    @classmethod
    def _path(cls, value: str) -> str:
        _raise(v.check_uri_path(value))
        return value

    def _uri(self, path: str) -> str:
        return f"https://{self.host}:{self.port}{path}"

    @property
    def login_uri(self) -> str:
        return self._uri(self.login_path)

    @property
    def logout_uri(self) -> str:
        return self._uri(self.logout_path)

    @property
    def redirect_uri(self) -> str:
        return self._uri(self.redirect_path)

    @model_validator(mode="after")
    def _uris(self) -> LocalDev:
        for uri, path in (
            (self.login_uri, self.login_path),
            (self.logout_uri, self.logout_path),
            (self.redirect_uri, self.redirect_path),
        ):
            _raise(v.check_portal_uri(uri, path))
        return self


class CompanyGrant(_Model):
    company_no: NotBool
    access_group: str

    @field_validator("company_no")
    @classmethod
    def _no(cls, value: int) -> int:
        _raise(v.check_company_number(value))
        return value

    @field_validator("access_group")
    @classmethod
    def _group(cls, value: str) -> str:
        _raise(v.check_access_group(value))
        return value.strip()


class SecretRef(_Model):
    """Where a profile's secret lives. The secret itself is never in the config."""

    store: SecretStoreKind
    previous_store: SecretStoreKind | None = None  # backup kept during rotation, if any


class EnvFileRecord(_Model):
    """A file `bnxt-wizard env` wrote for this profile, rewritten when the secret rotates."""

    path: str
    format: Literal["dotenv", "json", "shell"] = "dotenv"
    prefix: str = "BNXT_"
    include_secret: bool = True


class Profile(_Model):
    name: str = "default"
    app_type: AppType
    app_name: str
    client_id: str
    description: str = ""
    endpoints: Endpoints
    auth_method: AuthMethod = "basic"
    tenant_id: str | None = None
    local_dev: LocalDev | None = None
    companies: list[CompanyGrant] = Field(default_factory=list)
    secret: SecretRef | None = None
    env_files: list[EnvFileRecord] = Field(default_factory=list)
    created_at: datetime = Field(default_factory=utcnow)
    rotated_at: datetime | None = None
    verified_at: datetime | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        _raise(v.check_profile_name(value))
        return value

    @field_validator("app_name")
    @classmethod
    def _app_name(cls, value: str) -> str:
        _raise(v.check_app_name(value))
        return value.strip()

    @field_validator("client_id")
    @classmethod
    def _client_id(cls, value: str) -> str:
        _raise(v.check_client_id(value))
        return value

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        _raise(v.check_description(value))
        return value

    @field_validator("tenant_id")
    @classmethod
    def _tenant(cls, value: str | None) -> str | None:
        if value:
            _raise(v.check_tenant_id(value))
        return value or None

    @model_validator(mode="after")
    def _companies_unique(self) -> Profile:
        numbers = [c.company_no for c in self.companies]
        dupes = sorted({n for n in numbers if numbers.count(n) > 1})
        if dupes:
            raise ValueError(
                f"Company {dupes[0]} is listed twice; keep one access group per company."
            )
        return self

    @property
    def is_service(self) -> bool:
        return self.app_type is AppType.SERVICE


def describe_validation_error(exc: Exception) -> list[str]:
    """Turn a pydantic ValidationError into plain messages, without echoing input values."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return [str(exc)]
    out: list[str] = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        out.append(f"{loc}: {msg}" if loc else msg)
    return out
