"""The token endpoint calls of a web app: code exchange, refresh, and the headless client check.

Client authentication is the profile's: HTTP Basic with RFC 6749 2.3.1 encoding
(:func:`wizard.core.connect.basic_credentials`) or ``client_secret_post``. Transport rules
are :mod:`wizard.core._http`'s. Tokens come back wrapped (``SecretStr``) and never appear in a
message.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import quote_plus

import httpx
from pydantic import SecretStr

from wizard.core import explain
from wizard.core._http import Answer, ClientOptions, clean_text, send
from wizard.core.connect import basic_credentials
from wizard.core.errors import MalformedResponse, OAuthError, SignInError, WizardError
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Profile
from wizard.core.steps import Step
from wizard.core.tokens import Token

WHAT = "the token endpoint"


@dataclass(frozen=True)
class TokenSet:
    access: Token
    id_token: SecretStr | None
    refresh_token: SecretStr | None


@dataclass(frozen=True)
class _Call:
    headers: dict[str, str]
    form: dict[str, str]
    sensitive: tuple[str, ...]


def _authenticated(profile: Profile, secret: SecretStr, form: dict[str, str]) -> _Call:
    headers = {"Accept": "application/json"}
    form = dict(form)
    if profile.tenant_id:
        form["tenant_id"] = profile.tenant_id
    raw = secret.get_secret_value()
    basic = basic_credentials(profile.client_id, secret)
    if profile.auth_method == "post":
        form["client_id"] = profile.client_id
        form["client_secret"] = raw
    else:
        headers["Authorization"] = basic
    sensitive: tuple[str, ...] = (raw, quote_plus(raw), basic.removeprefix("Basic "))
    sensitive += tuple(form[k] for k in ("code", "code_verifier", "refresh_token") if k in form)
    return _Call(headers, form, sensitive)


async def _post(http: httpx.AsyncClient, url: str, call: _Call, options: ClientOptions) -> Answer:
    return await send(
        http,
        "POST",
        url,
        what=WHAT,
        options=options,
        headers=call.headers,
        data=call.form,
        sensitive=call.sensitive,
    )


def _oauth_code(answer: Answer, sensitive: tuple[str, ...]) -> tuple[str, str] | None:
    """(error, description) of an RFC 6749 5.2 error body, scrubbed; None if it is not one."""
    body = answer.json_object()
    if not (400 <= answer.status_code < 500 and answer.status_code != 429):
        return None
    if body is None or not isinstance(body.get("error"), str):
        return None
    code = clean_text(body["error"], sensitive, limit=60) or "unknown_error"
    said = body.get("error_description")
    return code, clean_text(said, sensitive, limit=300) if isinstance(said, str) else ""


def _refused(profile: Profile, code: str, said: str, status: int, during: str) -> WizardError:
    detail = f" The server said: {said}" if said else ""
    if code == "invalid_grant":
        return SignInError(
            f"Visma Connect refused the {during} (invalid_grant, HTTP {status}): the code or "
            "refresh token is expired or used, or the code_verifier or redirect URI does not "
            f"match the sign-in it came from.{detail}",
            title=f"{during.capitalize()} refused",
            hint="Sign in again; check the profile's port matches the redirect URI registered "
            "in the Developer Portal exactly.",
            step=Step.LOCAL_URIS,
        )
    if code == "unauthorized_client":
        return OAuthError(
            f"Visma Connect refused the {during} (unauthorized_client, HTTP {status}): this "
            f"application may not use that grant.{detail}",
            code=code,
            title="Grant not allowed",
            hint="Check the application is registered as a Web application in the Developer "
            "Portal (and, for a refresh, that Offline Access is ticked on its Details tab).",
            step=Step.APP_TYPE,
            exit_code=ExitCode.CREDENTIALS,
        )
    return explain.oauth_error(profile, code, said, status)


def _token_set(answer: Answer, profile: Profile, sensitive: tuple[str, ...]) -> TokenSet:
    body = answer.json_object()
    if not 200 <= answer.status_code < 300:
        raise explain.token_status_error(
            profile, answer.status_code, answer.snippet(sensitive), answer.looks_like_html
        )
    access = body.get("access_token") if body else None
    token_type = body.get("token_type") if body else None
    if body is None or not isinstance(access, str) or not access:
        raise MalformedResponse(
            "The token endpoint answered without an access_token.",
            hint="Check the token URL points at Visma Connect's /connect/token.",
            step=Step.REVIEW,
        )
    if not isinstance(token_type, str) or token_type.lower() != "bearer":
        raise MalformedResponse(
            "The token answer is not a Bearer token.",
            hint="Check the token URL points at Visma Connect's /connect/token.",
            step=Step.REVIEW,
        )
    expires = body.get("expires_in")
    if not isinstance(expires, int) or isinstance(expires, bool):
        expires = None
    scope = body.get("scope")
    id_token, refresh = body.get("id_token"), body.get("refresh_token")
    return TokenSet(
        access=Token.from_value(
            access,
            token_type=token_type,
            expires_in=expires,
            scope=scope if isinstance(scope, str) else "",
        ),
        id_token=SecretStr(id_token) if isinstance(id_token, str) and id_token else None,
        refresh_token=SecretStr(refresh) if isinstance(refresh, str) and refresh else None,
    )


async def exchange_code(
    http: httpx.AsyncClient,
    profile: Profile,
    secret: SecretStr,
    *,
    token_url: str,
    code: str,
    verifier: str,
    redirect_uri: str,
    options: ClientOptions,
) -> TokenSet:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    call = _authenticated(profile, secret, form)
    answer = await _post(http, token_url, call, options)
    refused = _oauth_code(answer, call.sensitive)
    if refused:
        raise _refused(profile, *refused, answer.status_code, "code exchange")
    return _token_set(answer, profile, call.sensitive)


async def refresh(
    http: httpx.AsyncClient,
    profile: Profile,
    secret: SecretStr,
    *,
    token_url: str,
    refresh_token: SecretStr,
    options: ClientOptions,
) -> TokenSet:
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token.get_secret_value()}
    call = _authenticated(profile, secret, form)
    answer = await _post(http, token_url, call, options)
    refused = _oauth_code(answer, call.sensitive)
    if refused:
        raise _refused(profile, *refused, answer.status_code, "refresh")
    return _token_set(answer, profile, call.sensitive)


CLIENT_CHECK_PROVES = (
    "Proves: the client ID and secret are accepted by the token endpoint (the server checks "
    "the client before it looks at a code). Only `bnxt-wizard login` proves the rest: the "
    "redirect URI, app.local, PKCE, the sign-in itself and what the user reaches."
)


async def check_client(
    http: httpx.AsyncClient,
    profile: Profile,
    secret: SecretStr,
    *,
    redirect_uri: str,
    options: ClientOptions,
) -> str:
    """Exchange a deliberately invalid code: ``invalid_grant`` means the client authenticated.

    Returns what that proves; raises :class:`OAuthError` (exit 3) on ``invalid_client``.
    """
    form = {
        "grant_type": "authorization_code",
        "code": "bnxt-wizard-check-" + secrets.token_urlsafe(16),  # never a real code
        "redirect_uri": redirect_uri,
        "code_verifier": secrets.token_urlsafe(48),
    }
    call = _authenticated(profile, secret, form)
    answer = await _post(http, profile.endpoints.token_url, call, options)
    refused = _oauth_code(answer, call.sensitive)
    if refused is not None and refused[0] == "invalid_grant":
        return (
            "The token endpoint accepted the client ID and secret (it refused only the "
            "deliberately invalid code, with invalid_grant). " + CLIENT_CHECK_PROVES
        )
    if refused is not None:
        code, said = refused
        if code == "invalid_client":
            raise explain.oauth_error(profile, code, said, answer.status_code)
        raise _refused(profile, code, said, answer.status_code, "client check")
    if 200 <= answer.status_code < 300:
        raise MalformedResponse(
            "The token endpoint accepted a made-up authorization code; it cannot be Visma Connect.",
            hint="Check the token URL in the profile.",
            step=Step.REVIEW,
        )
    raise explain.token_status_error(
        profile, answer.status_code, answer.snippet(call.sensitive), answer.looks_like_html
    )
