"""The ``authorization_code`` and ``refresh_token`` grants of ``POST /connect/token``.

Called after the client authenticated (so a wrong secret is ``invalid_client`` before anything
about the code is looked at, as at Visma Connect). PKCE is required: a missing or wrong
``code_verifier`` is ``invalid_grant`` (RFC 7636 4.6), as is a ``redirect_uri`` other than
the one the code was issued for (RFC 6749 4.1.3), or a code used twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import TYPE_CHECKING, Any

from wizard.simulator.messages import Response, json_response
from wizard.simulator.seed import SimClient, SimSeed
from wizard.simulator.signin_state import Grant, SignInState

if TYPE_CHECKING:
    from wizard.simulator.tokens import TokenIssuer

ID_TOKEN_LIFETIME = 300


class GrantError(Exception):
    def __init__(self, code: str, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", errors="replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _web_only(client: SimClient, grant_type: str) -> None:
    if client.app_type != "web":
        raise GrantError("unauthorized_client", f"This client may not use the {grant_type} grant.")


def _code_grant(form: dict[str, str], client: SimClient, state: SignInState) -> Grant:
    _web_only(client, "authorization_code")
    code = form.get("code")
    if not code:
        raise GrantError("invalid_request", "The code parameter is missing.")
    grant = state.redeem_code(code)
    if grant is None or grant.client_id != client.client_id:
        raise GrantError("invalid_grant", "The authorization code is invalid, expired or used.")
    if form.get("redirect_uri") != grant.redirect_uri:
        raise GrantError(
            "invalid_grant", "The redirect_uri differs from the one the code was issued for."
        )
    verifier = form.get("code_verifier", "")
    if not verifier or not hmac.compare_digest(s256(verifier), grant.code_challenge):
        raise GrantError("invalid_grant", "The code_verifier does not match the code_challenge.")
    return grant


def _refresh_grant(form: dict[str, str], client: SimClient, state: SignInState) -> Grant:
    _web_only(client, "refresh_token")
    token = form.get("refresh_token")
    if not token:
        raise GrantError("invalid_request", "The refresh_token parameter is missing.")
    grant = state.use_refresh_token(token)
    if grant is None or grant.client_id != client.client_id:
        raise GrantError("invalid_grant", "The refresh token is invalid or was used already.")
    return grant


def id_token_claims(grant: Grant, seed: SimSeed, issuer: str, fault: str | None) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": grant.user,
        "aud": grant.client_id,
        "iat": now,
        "nbf": now,
        "exp": now + ID_TOKEN_LIFETIME,
        "auth_time": now,
    }
    if grant.nonce is not None:
        claims["nonce"] = grant.nonce
    person = seed.person_by_sub(grant.user)
    if person is not None and "profile" in grant.scopes:
        claims["name"] = person.name
    if person is not None and "email" in grant.scopes:
        claims["email"] = person.email
    if fault == "aud":
        claims["aud"] = "isv_someone_else"
    elif fault == "nonce":
        claims["nonce"] = "not-the-nonce-you-sent"
    elif fault == "expired":
        claims.update(iat=now - 3600, nbf=now - 3600, exp=now - 1800)
    elif fault == "iss":
        claims["iss"] = "https://attacker.example"
    return claims


def handle_user_grant(
    form: dict[str, str],
    client: SimClient,
    seed: SimSeed,
    state: SignInState,
    issuer: TokenIssuer,
) -> Response:
    """Answer an authenticated ``authorization_code`` or ``refresh_token`` request."""
    try:
        if form["grant_type"] == "authorization_code":
            grant = _code_grant(form, client, state)
        else:
            grant = _refresh_grant(form, client, state)
    except GrantError as error:
        return json_response(400, {"error": error.code, "error_description": error.description})
    scopes = list(grant.scopes)
    fault = state.tamper_id_token
    body: dict[str, Any] = {
        "access_token": issuer.issue(client.client_id, scopes, user=grant.user),
        "token_type": "Bearer",
        "expires_in": issuer.lifetime,
        "scope": " ".join(scopes),
        "id_token": issuer.sign(
            id_token_claims(grant, seed, issuer.issuer, fault), foreign_key=fault == "key"
        ),
    }
    if "offline_access" in scopes:
        fresh = Grant(client_id=grant.client_id, user=grant.user, scopes=grant.scopes)
        body["refresh_token"] = state.new_refresh_token(fresh)
    return json_response(200, body)
