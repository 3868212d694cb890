"""Ask Visma Connect for a client-credentials token, and explain every way it can fail.

Transport rules (timeouts, retries, body limits, redirects) live in :mod:`wizard.core._http`;
what an OAuth error means for the user lives in :mod:`wizard.core.explain`. This module
builds the request exactly as the Developer Portal's documentation and RFC 6749 describe,
and turns the answer into a :class:`~wizard.core.tokens.Token` or a typed error.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote_plus

import httpx
from pydantic import SecretStr

from wizard.core import explain
from wizard.core._http import ClientOptions, clean_text, client_scope, make_client, send
from wizard.core.errors import MalformedResponse
from wizard.core.models import Profile
from wizard.core.steps import Step
from wizard.core.text import sanitize
from wizard.core.tokens import Token

__all__ = ["ClientOptions", "basic_credentials", "make_client", "request_token"]

WHAT = "the token endpoint"


def basic_credentials(client_id: str, secret: SecretStr) -> str:
    """The HTTP Basic value per RFC 6749 2.3.1: form-urlencode each part, then base64.

    Without the urlencoding a secret holding ``:``, ``+``, ``%`` or a space would be read
    differently by the server.
    """
    pair = f"{quote_plus(client_id)}:{quote_plus(secret.get_secret_value())}"
    return "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")


def _request_parts(profile: Profile, secret: SecretStr) -> tuple[dict[str, str], dict[str, str]]:
    headers = {"Accept": "application/json"}
    form = {"grant_type": "client_credentials", "scope": profile.endpoints.scope}
    if profile.tenant_id:
        form["tenant_id"] = profile.tenant_id
    if profile.auth_method == "post":
        form["client_id"] = profile.client_id
        form["client_secret"] = secret.get_secret_value()
    else:
        headers["Authorization"] = basic_credentials(profile.client_id, secret)
    return headers, form


async def request_token(
    profile: Profile,
    secret: SecretStr,
    *,
    client: httpx.AsyncClient | None = None,
    options: ClientOptions = ClientOptions(),  # noqa: B008 - frozen dataclass, safe default
) -> Token:
    """POST the client-credentials request; raise a :class:`WizardError` subclass on failure."""
    headers, form = _request_parts(profile, secret)
    basic = basic_credentials(profile.client_id, secret).removeprefix("Basic ")
    sensitive = (secret.get_secret_value(), quote_plus(secret.get_secret_value()), basic)
    async with client_scope(client, options, (profile.endpoints.token_url,)) as http:
        answer = await send(
            http,
            "POST",
            profile.endpoints.token_url,
            what=WHAT,
            options=options,
            headers=headers,
            data=form,
            sensitive=sensitive,
        )

    body = answer.json_object()
    # Any 4xx with an RFC 6749 error body, except 429 (rate limiting, not a refusal).
    is_client_error = 400 <= answer.status_code < 500 and answer.status_code != 429
    if is_client_error and body is not None and isinstance(body.get("error"), str):
        code = clean_text(body["error"], sensitive, limit=60) or "unknown_error"
        description = body.get("error_description")
        described = (
            clean_text(description, sensitive, limit=300) if isinstance(description, str) else ""
        )
        raise explain.oauth_error(profile, code, described, answer.status_code)
    if not 200 <= answer.status_code < 300:
        raise explain.token_status_error(
            profile, answer.status_code, answer.snippet(sensitive), answer.looks_like_html
        )
    if body is None:
        raise _malformed(
            "The token endpoint answered, but not with a JSON object"
            + (" (it sent an HTML page)." if answer.looks_like_html else ".")
        )
    return _token_from(body, profile)


def _token_from(body: dict[str, Any], profile: Profile) -> Token:
    access = body.get("access_token")
    if not isinstance(access, str) or not access:
        fields = ", ".join(sorted(clean_text(str(k), limit=40) for k in body)[:10]) or "none"
        raise _malformed(f"The token answer has no access_token (fields present: {fields}).")
    if not access.isprintable() or any(c.isspace() for c in access):
        # RFC 6750 2.1: a bearer token is visible ASCII; `token` prints it for other programs.
        raise _malformed("The token answer's access_token holds spaces or control characters.")
    token_type = body.get("token_type")
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        shown = clean_text(str(token_type), limit=30) if token_type is not None else "missing"
        raise _malformed(
            f"The token answer has token_type '{shown}'; Business NXT needs a Bearer token."
        )
    scope = body.get("scope")
    return Token.from_value(
        access,
        token_type=token_type,
        expires_in=_int_or_none(body.get("expires_in")),
        # RFC 6749 5.1: scope may be left out when it is exactly the one requested.
        scope=sanitize(scope) if isinstance(scope, str) else profile.endpoints.scope,
    )


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    return None


def _malformed(message: str) -> MalformedResponse:
    return MalformedResponse(
        message,
        hint="Check the token URL points at Visma Connect's /connect/token "
        "(https://connect.visma.com/connect/token) and that no proxy rewrites the answer.",
        step=Step.REVIEW,
    )
