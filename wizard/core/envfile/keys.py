"""Which profile settings go into a .env file, and under which variable names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from pydantic import SecretStr

from wizard.core.errors import ValidationFailed
from wizard.core.models import Profile
from wizard.core.validation import Finding, errors
from wizard.core.visma import AppType

DEFAULT_PREFIX = "BNXT_"

# Every key the writer can produce, in the order it writes them (without the prefix).
# Web apps only: ISSUER (whose {issuer}/.well-known/openid-configuration gives the sign-in's
# endpoints), SERVICE_SCOPE when the app also has the Service API integration, and
# LOGIN_URI..REDIRECT_URI when it has local-development URIs. TENANT_ID only when set.
# For a web app SCOPE is the sign-in scopes; SERVICE_SCOPE is its client-credentials scope.
ENV_KEYS: tuple[str, ...] = (
    "CLIENT_ID",
    "CLIENT_SECRET",
    "TOKEN_URL",
    "SCOPE",
    "GRAPHQL_URL",
    "ISSUER",
    "SERVICE_SCOPE",
    "LOGIN_URI",
    "LOGOUT_URI",
    "REDIRECT_URI",
    "TENANT_ID",
)
SECRET_KEY = "CLIENT_SECRET"

EnvValues = Mapping[str, SecretStr | str]

# A portable environment variable name (POSIX shells, python-dotenv, docker compose).
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_prefix(prefix: str) -> list[Finding]:
    """An empty prefix is allowed; otherwise it must itself be a valid variable name."""
    if not prefix:
        return []
    if not NAME_RE.fullmatch(prefix):
        return [
            Finding(
                "error",
                f"The prefix {prefix!r} cannot start a variable name: use letters A-Z, a-z, "
                "digits and '_', not starting with a digit (e.g. BNXT_), or an empty prefix.",
                "prefix",
            )
        ]
    if not prefix.endswith("_"):
        return [
            Finding(
                "hint",
                f"Prefixes usually end with '_' ({prefix}_CLIENT_ID reads better than "
                f"{prefix}CLIENT_ID).",
                "prefix",
            )
        ]
    return []


def env_values(
    profile: Profile, secret: SecretStr | None, prefix: str = DEFAULT_PREFIX
) -> dict[str, SecretStr | str]:
    """The variables for ``profile``, in :data:`ENV_KEYS` order.

    The secret stays a ``SecretStr`` here; only the renderers reveal it, at the moment of
    writing. Without a secret the CLIENT_SECRET key is left out, so a merge keeps whatever
    secret line the file already has.
    """
    problems = errors(check_prefix(prefix))
    if problems:
        raise ValidationFailed(problems)
    raw: dict[str, SecretStr | str | None] = {
        "CLIENT_ID": profile.client_id,
        SECRET_KEY: secret,
        "TOKEN_URL": profile.endpoints.token_url,
        "SCOPE": profile.endpoints.scope,
        "GRAPHQL_URL": profile.endpoints.graphql_url,
    }
    if profile.app_type is AppType.WEB:
        raw["ISSUER"] = profile.endpoints.issuer
        raw["SERVICE_SCOPE"] = profile.endpoints.service_scope
    dev = profile.local_dev
    if profile.app_type is AppType.WEB and dev is not None:
        raw["LOGIN_URI"] = dev.login_uri
        raw["LOGOUT_URI"] = dev.logout_uri
        raw["REDIRECT_URI"] = dev.redirect_uri
    raw["TENANT_ID"] = profile.tenant_id
    return {prefix + key: value for key, value in raw.items() if value is not None}


def reveal(value: SecretStr | str) -> str:
    """The plain text to write. Call only while rendering."""
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def has_secret(values: EnvValues) -> bool:
    return any(isinstance(v, SecretStr) for v in values.values())
