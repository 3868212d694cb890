"""Which path answers which request. Everything the simulator says goes through here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from wizard.simulator import authorize
from wizard.simulator.discovery import discovery_document
from wizard.simulator.graphql_endpoint import handle_graphql
from wizard.simulator.messages import (
    Request,
    Response,
    json_response,
    method_not_allowed,
    not_found,
)
from wizard.simulator.seed import SimSeed
from wizard.simulator.signin_state import SignInState
from wizard.simulator.token_endpoint import handle_token

if TYPE_CHECKING:
    from wizard.simulator.rate_limit import RateLimiter
    from wizard.simulator.tokens import TokenIssuer

DISCOVERY_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/.well-known/openid-configuration/jwks"
TOKEN_PATH = "/connect/token"
AUTHORIZE_PATH = "/connect/authorize"
END_SESSION_PATH = "/connect/endsession"
GRAPHQL_SERVICE_PATH = "/api/graphql-service"
GRAPHQL_WEB_PATH = "/api/graphql"

Handler = Callable[[Request], Response]


class Routes:
    def __init__(
        self,
        seed: Callable[[], SimSeed],
        issuer: TokenIssuer,
        base_url: str,
        limiter: RateLimiter,
        signin: SignInState | None = None,
    ) -> None:
        """``seed`` is read per request, so a test may swap the world of a running simulator."""
        state = signin or SignInState()
        self._table: dict[str, tuple[str, Handler]] = {
            DISCOVERY_PATH: ("GET", lambda _: json_response(200, discovery_document(base_url))),
            JWKS_PATH: ("GET", lambda _: json_response(200, issuer.jwks())),
            TOKEN_PATH: ("POST", lambda r: handle_token(r, seed(), issuer, state)),
            AUTHORIZE_PATH: (
                "GET",
                lambda r: authorize.handle_authorize(r, seed(), state, base_url),
            ),
            authorize.LOGIN_PATH: (
                "POST",
                lambda r: authorize.handle_login(r, seed(), state, base_url),
            ),
            authorize.CONSENT_PATH: (
                "POST",
                lambda r: authorize.handle_consent(r, state, base_url),
            ),
            END_SESSION_PATH: ("GET", authorize.handle_end_session),
            GRAPHQL_SERVICE_PATH: (
                "POST",
                lambda r: handle_graphql(r, seed(), issuer, limiter, web=False),
            ),
            GRAPHQL_WEB_PATH: (
                "POST",
                lambda r: handle_graphql(r, seed(), issuer, limiter, web=True),
            ),
        }

    def handle(self, request: Request) -> Response:
        route = self._table.get(request.path)
        if route is None:
            return not_found(request.path)
        method, handler = route
        allowed = {method, "HEAD"} if method == "GET" else {method}
        if request.method not in allowed:
            return method_not_allowed(method)
        return handler(request)
