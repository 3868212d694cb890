"""``/connect/authorize``: a browser sign-in as Visma Connect runs it, for web applications.

GET checks the request (registered client, the exact registered redirect URI, ``response_type
=code``, PKCE with S256, scopes the client was granted) and shows a login page with the demo
users; the login form, then a consent step, post back here. The browser is then sent to the
redirect URI with ``code`` and ``state`` (and ``iss``, RFC 9207), or with ``error``.

As RFC 6749 4.1.2.1 requires, an unknown client or a redirect URI that is not registered is
shown as an error page and never redirected to.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from wizard.simulator.messages import Request, Response, html_response, redirect
from wizard.simulator.pages import consent_page, error_page, login_page, signed_out_page
from wizard.simulator.seed import SimSeed
from wizard.simulator.signin_state import AuthRequest, Grant, SignInState
from wizard.simulator.token_endpoint import TokenError, parse_form

LOGIN_PATH = "/connect/authorize/login"
CONSENT_PATH = "/connect/authorize/consent"
MAX_QUERY_FIELDS = 32


class _Refused(Exception):
    """Shown on a page, not redirected: the redirect URI cannot be trusted."""


def _query(request: Request) -> dict[str, str]:
    try:
        pairs = parse_qsl(request.query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        raise _Refused("The authorization request has too many parameters.") from None
    found: dict[str, str] = {}
    for name, value in pairs:
        if name in found:
            raise _Refused(f"The parameter {name} was sent more than once.")
        found[name] = value
    return found


def _error_redirect(
    redirect_uri: str, error: str, description: str, state: str | None, issuer: str
) -> Response:
    params = {"error": error, "error_description": description, "iss": issuer}
    if state is not None:
        params["state"] = state
    return redirect(_with_query(redirect_uri, params))


def _with_query(uri: str, params: dict[str, str]) -> str:
    return uri + ("&" if "?" in uri else "?") + urlencode(params)


def _check(q: dict[str, str], seed: SimSeed) -> AuthRequest | tuple[str, str]:
    """The checked request, or (error, description) to send back to the redirect URI."""
    client = seed.client(q.get("client_id", ""))
    if client is None or client.app_type != "web" or not client.approved:
        raise _Refused(
            "Unknown client, not a web application, or not approved yet: check the client ID "
            "and the application's status in the Developer Portal."
        )
    uri = q.get("redirect_uri", "")
    if uri not in client.redirect_uris:
        registered = ", ".join(client.redirect_uris) or "none"
        raise _Refused(
            f"The redirect URI {uri or '(none)'} is not registered for {client.client_id}; "
            f"registered: {registered}. It must match exactly (scheme, host, port and path)."
        )
    if q.get("response_type") != "code":
        return "unsupported_response_type", "Only response_type=code is supported."
    if not q.get("code_challenge"):
        return "invalid_request", "PKCE is required: send code_challenge (S256)."
    if q.get("code_challenge_method") != "S256":
        return "invalid_request", "Only code_challenge_method=S256 is accepted."
    scopes = tuple(dict.fromkeys(q.get("scope", "").split()))
    if "openid" not in scopes:
        return "invalid_scope", "A sign-in needs the openid scope."
    missing = [s for s in scopes if s not in client.scopes]
    if missing:
        return "invalid_scope", f"Scope not granted to this client: {' '.join(missing)}."
    return AuthRequest(
        client_id=client.client_id,
        redirect_uri=uri,
        scopes=scopes,
        state=q.get("state"),
        nonce=q.get("nonce"),
        code_challenge=q["code_challenge"],
    )


def handle_authorize(request: Request, seed: SimSeed, state: SignInState, issuer: str) -> Response:
    try:
        q = _query(request)
        checked = _check(q, seed)
    except _Refused as refused:
        return html_response(400, error_page("Sign-in request refused", str(refused)))
    if isinstance(checked, tuple):
        error, description = checked
        return _error_redirect(q["redirect_uri"], error, description, q.get("state"), issuer)
    key = state.hold(checked)
    return html_response(200, login_page(issuer + LOGIN_PATH, key, list(seed.users)))


def _form(request: Request) -> dict[str, str]:
    try:
        return parse_form(request)
    except TokenError as error:
        raise _Refused(error.description) from None


def handle_login(request: Request, seed: SimSeed, state: SignInState, issuer: str) -> Response:
    try:
        form = _form(request)
    except _Refused as refused:
        return html_response(400, error_page("Sign-in failed", str(refused)))
    key = form.get("request_id", "")
    found = state.pending(key)
    if found is None:
        return html_response(
            400, error_page("Sign-in expired", "Start the sign-in again from the application.")
        )
    auth, _ = found
    if form.get("action") == "cancel":
        state.finish(key)
        return _error_redirect(
            auth.redirect_uri, "access_denied", "The user cancelled.", auth.state, issuer
        )
    person = seed.person(form.get("username", ""))
    if person is None or person.password.get_secret_value() != form.get("password", ""):
        wrong = "Wrong user name or password."
        page = login_page(issuer + LOGIN_PATH, key, list(seed.users), wrong)
        return html_response(200, page)
    state.logged_in(key, person.sub)
    client = seed.client(auth.client_id)
    app = client.client_id if client else auth.client_id
    who = f"{person.name} ({person.email})"
    page = consent_page(issuer + CONSENT_PATH, key, app, who, list(auth.scopes))
    return html_response(200, page)


def handle_consent(request: Request, state: SignInState, issuer: str) -> Response:
    try:
        form = _form(request)
    except _Refused as refused:
        return html_response(400, error_page("Sign-in failed", str(refused)))
    found = state.finish(form.get("request_id", ""))
    auth, sub = found if found is not None else (None, None)
    if auth is None or sub is None:
        return html_response(
            400, error_page("Sign-in expired", "Start the sign-in again from the application.")
        )
    if form.get("decision") != "allow":
        return _error_redirect(
            auth.redirect_uri, "access_denied", "The user denied access.", auth.state, issuer
        )
    code = state.new_code(
        Grant(
            client_id=auth.client_id,
            user=sub,
            scopes=auth.scopes,
            redirect_uri=auth.redirect_uri,
            code_challenge=auth.code_challenge,
            nonce=auth.nonce,
        )
    )
    params = {"code": code, "iss": issuer}
    if auth.state is not None:
        params["state"] = auth.state
    return redirect(_with_query(auth.redirect_uri, params))


def handle_end_session(_request: Request) -> Response:
    """Front-channel sign-out ends nothing else here: the simulator keeps no browser session."""
    return html_response(200, signed_out_page())
