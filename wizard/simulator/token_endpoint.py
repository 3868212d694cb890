"""``POST /connect/token``: client credentials, strict where RFC 6749 is strict; the
``authorization_code`` and ``refresh_token`` grants of a browser sign-in are in
:mod:`wizard.simulator.token_grants`.

The point of simulating it is to catch the mistakes real clients make: secrets sent without
form-encoding inside HTTP Basic (RFC 6749 2.3.1), two authentication methods at once, a scope
the integration never granted. Every refusal is an RFC 6749 5.2 error body.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote_plus

from wizard.simulator.messages import Request, Response, json_response
from wizard.simulator.seed import SimClient, SimSeed

if TYPE_CHECKING:
    from wizard.simulator.signin_state import SignInState
    from wizard.simulator.tokens import TokenIssuer

FORM = "application/x-www-form-urlencoded"
BASIC_CHALLENGE = 'Basic realm="Visma Connect simulator"'
GRANT = "client_credentials"
USER_GRANTS = ("authorization_code", "refresh_token")
MAX_FIELDS = 32


class TokenError(Exception):
    """An RFC 6749 5.2 refusal; ``challenge`` is set when HTTP Basic was used and failed."""

    def __init__(self, code: str, description: str, *, status: int = 400) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.status = status
        self.challenge = False

    def response(self) -> Response:
        headers = {"WWW-Authenticate": BASIC_CHALLENGE} if self.challenge else {}
        body = {"error": self.code, "error_description": self.description}
        return json_response(self.status, body, headers)


def _invalid_request(description: str) -> TokenError:
    return TokenError("invalid_request", description)


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    secret: str
    via_basic: bool


def parse_form(request: Request) -> dict[str, str]:
    if request.media_type != FORM:
        raise _invalid_request(f"Send the token request as a form body ({FORM}).")
    try:
        pairs = parse_qsl(
            request.body.decode("utf-8"),
            keep_blank_values=True,
            strict_parsing=False,
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError):
        raise _invalid_request("The form body could not be decoded.") from None
    form: dict[str, str] = {}
    for name, value in pairs:
        if name in form:
            raise _invalid_request(f"The parameter {name} was sent more than once.")
        form[name] = value
    return form


def _basic_credentials(header: str) -> tuple[str, str]:
    """Decode HTTP Basic the OAuth way: base64, then form-decode each half (RFC 6749 2.3.1)."""
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise _invalid_request("Authenticate the client with HTTP Basic or client_secret_post.")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        raw_id, colon, raw_secret = decoded.partition(":")
        if not colon:
            raise ValueError("no colon")
        return (
            unquote_plus(raw_id, errors="strict"),
            unquote_plus(raw_secret, errors="strict"),
        )
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _invalid_request("The Basic Authorization header is malformed.") from None


def client_credentials(request: Request, form: dict[str, str]) -> ClientCredentials:
    header = request.header("authorization")
    form_id, form_secret = form.get("client_id"), form.get("client_secret")
    if header is not None:
        if form_secret is not None:
            raise _invalid_request(
                "The client authenticated twice (HTTP Basic and client_secret); use one method."
            )
        client_id, secret = _basic_credentials(header)
        if form_id is not None and form_id != client_id:
            raise _invalid_request("The client_id field does not match the Basic credentials.")
        return ClientCredentials(client_id, secret, via_basic=True)
    if form_secret is None or not form_id:
        raise _invalid_request(
            "No client authentication: send HTTP Basic, or client_id and client_secret fields."
        )
    return ClientCredentials(form_id, form_secret, via_basic=False)


def authenticate(seed: SimSeed, creds: ClientCredentials) -> SimClient:
    client = seed.client(creds.client_id)
    if client is None or not client.accepts(creds.secret) or not client.approved:
        # Like the real service: one answer for all three, so IDs cannot be probed.
        error = TokenError(
            "invalid_client",
            "Client authentication failed: unknown client, wrong secret, "
            "or the application is not approved.",
            status=401,
        )
        error.challenge = creds.via_basic
        raise error
    return client


def granted_scopes(client: SimClient, requested: str | None) -> list[str]:
    wanted = (requested or "").split()
    if not client.scopes:
        raise TokenError(
            "invalid_scope",
            "No API scope is granted to this client: add the Business NXT API integration "
            "and wait for it to be approved.",
        )
    if not wanted:
        return list(client.scopes)
    missing = [s for s in wanted if s not in client.scopes]
    if missing:
        raise TokenError("invalid_scope", f"Scope not granted to this client: {' '.join(missing)}.")
    return list(dict.fromkeys(wanted))


def handle_token(
    request: Request, seed: SimSeed, issuer: TokenIssuer, signin: SignInState | None = None
) -> Response:
    try:
        form = parse_form(request)
        creds = client_credentials(request, form)
        if not form.get("grant_type"):
            raise _invalid_request("The grant_type parameter is missing.")
        client = authenticate(seed, creds)
        if form["grant_type"] in USER_GRANTS and signin is not None:
            from wizard.simulator.token_grants import handle_user_grant

            return handle_user_grant(form, client, seed, signin, issuer)
        if form["grant_type"] != GRANT:
            raise TokenError("unsupported_grant_type", f"Only the {GRANT} grant is supported here.")
        scopes = granted_scopes(client, form.get("scope"))
    except TokenError as error:
        return error.response()
    token = issuer.issue(client.client_id, scopes)
    return json_response(
        200,
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": issuer.lifetime,
            "scope": " ".join(scopes),
        },
    )
