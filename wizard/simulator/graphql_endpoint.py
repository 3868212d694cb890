"""``POST /api/graphql-service`` and ``/api/graphql``: answered as Business NXT answers.

Each behaviour and where it comes from (docs.vismasoftware.no, businessnxtapi):

* no token, a token this simulator did not sign, an expired one, or a token for the other
  API (a service token on /api/graphql, a web token on /api/graphql-service): HTTP 401 with
  the gateway's HTML page "401 Authorization Required" (features/errors shows that page for
  a failed authorization; which API a token opens: authentication/service/integrations_service
  and authentication/web/integrations_web);
* more than 600 requests a minute with one token: HTTP 429 with ``Retry-After``
  (apireference/ratelimits; the body is not documented: the simulator sends a JSON errors
  array, an assumption);
* everything else is HTTP 200: ``data``, plus ``errors`` when something failed, including
  query syntax and validation errors (features/errors), parsed and validated by graphql-core
  (see :mod:`wizard.simulator.gql_schema`);
* a service reaches exactly the companies its User table row grants (authentication/service/
  user_setup); a web token stands for a signed-in user whose own Visma.net rights apply
  (authentication/web/integrations_web): the companies of the customers that user belongs
  to (``users`` in the seed); a web client-credentials token has no user, so no rights, and
  reaches no company;
* a service without a User table row, or with Connect application unticked, reaches no
  company: its available lists are empty and ``useCompany`` answers the access error. What
  the real service answers then is not documented: this is the simulator's assumption.
* a body that is not a JSON object with a query: HTTP 400 with an errors array (not
  documented either; an assumption).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from wizard.core.visma import SERVICE_SCOPES, WEB_API_SCOPE
from wizard.simulator.messages import Request, Response, json_response
from wizard.simulator.seed import SimCompany, SimSeed

if TYPE_CHECKING:
    from wizard.simulator.rate_limit import RateLimiter
    from wizard.simulator.tokens import TokenIssuer

# features/errors: the body of a failed authorization, as the gateway (nginx) sends it.
UNAUTHORIZED_PAGE = b"""<html>
<head><title>401 Authorization Required</title></head>
<body>
<center><h1>401 Authorization Required</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


def unauthorized() -> Response:
    return Response(401, UNAUTHORIZED_PAGE, {"Content-Type": "text/html"})


def too_many_requests(retry_after: int, limit: int) -> Response:
    message = (
        f"Too many requests: at most {limit} requests a minute per access token. "
        f"Retry after {retry_after} s."
    )
    return json_response(429, {"errors": [{"message": message}]}, {"Retry-After": str(retry_after)})


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.header("authorization") or "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _read_body(request: Request) -> tuple[str, dict[str, Any] | None, str | None]:
    """The query, variables and operation name, or ValueError with a message for a 400."""
    try:
        payload = json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        raise ValueError("The body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise ValueError("The body must be a JSON object with a query.")
    query, name = payload.get("query"), payload.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise ValueError("The body has no query.")
    if name is not None and not isinstance(name, str):
        raise ValueError("operationName must be a string.")
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise ValueError("variables must be a JSON object.")
    return query, variables, name


def reachable_companies(
    seed: SimSeed, client_id: str, *, web: bool, signed_in: str | None = None
) -> list[SimCompany]:
    """The companies this caller may use (none for a service without a ticked user row).

    ``signed_in``: the ``sub`` of the user a web token was issued to."""
    if web:
        person = seed.person_by_sub(signed_in) if signed_in else None
        customers = set(person.customers) if person else set()
        return [c for c in seed.companies if c.customer_id in customers]
    user = seed.user_row(client_id)
    if user is None or not user.connect_application:
        return []
    granted = {row.company_no for row in user.access}
    return [c for c in seed.companies if c.company_id in granted]


def _opens(scopes: frozenset[str], *, web: bool) -> bool:
    """Whether a token's scopes open this API: the web API or the service API."""
    return WEB_API_SCOPE in scopes if web else any(s in scopes for s in SERVICE_SCOPES)


def handle_graphql(
    request: Request,
    seed: SimSeed,
    issuer: TokenIssuer,
    limiter: RateLimiter,
    *,
    web: bool,
) -> Response:
    from wizard.simulator.tokens import InvalidToken

    token = _bearer(request)
    if token is None:
        return unauthorized()
    try:
        claims = issuer.verify(token)
    except InvalidToken:
        return unauthorized()
    if not _opens(claims.scopes, web=web):
        return unauthorized()
    wait = limiter.retry_after(token)
    if wait is not None:
        return too_many_requests(wait, limiter.limit)
    try:
        query, variables, operation_name = _read_body(request)
    except ValueError as error:
        return json_response(400, {"errors": [{"message": str(error)}]})
    companies = reachable_companies(seed, claims.client_id, web=web, signed_in=claims.user)
    return json_response(200, answer(seed, companies, query, variables, operation_name))


def answer(
    seed: SimSeed,
    companies: list[SimCompany],
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> dict[str, Any]:
    """The GraphQL result for one request: ``data`` and, when something failed, ``errors``."""
    from wizard.simulator.gql_schema import Caller, run  # graphql-core loads on first use

    return run(Caller(seed, tuple(companies)), query, variables, operation_name)
