"""``POST /api/graphql-service`` and ``/api/graphql``: who may see which companies.

A service sees exactly what its Business NXT User table row grants (its Connect Application
Access rows), and nothing at all without that row: the step people most often miss. A web
token stands for a signed-in user whose own Visma.net rights apply: the companies of the
customers that user belongs to (``users`` in the seed); a web client-credentials token has no
user, so no rights, and reaches no company.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from wizard.simulator.gql_parse import (
    GraphQLSyntaxError,
    OperationNotFound,
    parse_document,
    pick_operation,
)
from wizard.simulator.gql_schema import execute, graphql_error, validate
from wizard.simulator.messages import Request, Response, json_response
from wizard.simulator.seed import SimCompany, SimSeed

if TYPE_CHECKING:
    from wizard.simulator.tokens import TokenIssuer

USER_TABLE_ERROR_CODE = "USER_TABLE_SETUP_MISSING"
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
BAD_REQUEST = "BAD_REQUEST"


def _errors(
    status: int, message: str, code: str, headers: dict[str, str] | None = None
) -> Response:
    return json_response(status, {"errors": [graphql_error(message, code=code)]}, headers)


def _unauthorized(description: str) -> Response:
    challenge = f'Bearer error="invalid_token", error_description="{description}"'
    return _errors(401, description, "AUTH_NOT_AUTHENTICATED", {"WWW-Authenticate": challenge})


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.header("authorization") or "").strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def _read_body(request: Request) -> tuple[str, str | None]:
    """The query text and operation name, or ValueError with a message for a 400 answer."""
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
    return query, name


def _user_table_error(client_id: str, reason: str) -> dict[str, Any]:
    return graphql_error(
        f"The client {client_id} is not set up as a user in Business NXT (User table): "
        f"{reason} Add a User table row named {client_id} with Connect application ticked, "
        "then grant companies in the Connect Application Access table.",
        code=USER_TABLE_ERROR_CODE,
    )


def reachable_companies(
    seed: SimSeed, client_id: str, *, web: bool, signed_in: str | None = None
) -> list[SimCompany]:
    """Companies this caller may use; raises LookupError with a reason if it has no user.

    ``signed_in``: the ``sub`` of the user a web token was issued to."""
    if web:
        person = seed.person_by_sub(signed_in) if signed_in else None
        customers = set(person.customers) if person else set()
        return [c for c in seed.companies if c.customer_id in customers]
    user = seed.user_row(client_id)
    if user is None:
        raise LookupError("there is no row with this name.")
    if not user.connect_application:
        raise LookupError("the row exists, but Connect application is not ticked.")
    granted = {row.company_no for row in user.access}
    return [c for c in seed.companies if c.company_id in granted]


def root_value(seed: SimSeed, companies: list[SimCompany]) -> dict[str, Any]:
    owners = {c.customer_id for c in companies}
    customers = [c for c in seed.customers if c.customer_id in owners]
    return {
        "availableCustomers": {
            "totalCount": len(customers),
            "items": [{"name": c.name, "vismaNetCustomerId": c.customer_id} for c in customers],
        },
        "availableCompanies": {
            "totalCount": len(companies),
            "items": [
                {
                    "name": c.name,
                    "vismaNetCompanyId": c.company_id,
                    "vismaNetCustomerId": c.customer_id,
                }
                for c in companies
            ],
        },
    }


def handle_graphql(
    request: Request, seed: SimSeed, issuer: TokenIssuer, *, scope: str, web: bool
) -> Response:
    from wizard.simulator.tokens import InvalidToken

    token = _bearer(request)
    if token is None:
        return _unauthorized("A bearer access token is required.")
    try:
        claims = issuer.verify(token)
    except InvalidToken as error:
        return _unauthorized(str(error))
    if scope not in claims.scopes:
        challenge = f'Bearer error="insufficient_scope", scope="{scope}"'
        message = f"This endpoint needs a token with the scope {scope}."
        return _errors(403, message, "AUTH_NOT_AUTHORIZED", {"WWW-Authenticate": challenge})
    try:
        query, operation_name = _read_body(request)
    except ValueError as error:
        return _errors(400, str(error), BAD_REQUEST)
    result = answer(seed, claims.client_id, query, operation_name, web=web, user=claims.user)
    return json_response(200, result)


def answer(
    seed: SimSeed,
    client_id: str,
    query: str,
    operation_name: str | None,
    *,
    web: bool,
    user: str | None = None,
) -> dict[str, Any]:
    """The GraphQL result for one request: ``data`` and, when something failed, ``errors``."""
    try:
        operation = pick_operation(parse_document(query), operation_name)
    except GraphQLSyntaxError as error:
        located = graphql_error(error.message, code=PARSE_FAILED)
        located["locations"] = [{"line": error.line, "column": error.column}]
        return {"data": None, "errors": [located]}
    except OperationNotFound as error:
        return {"data": None, "errors": [graphql_error(str(error), code=BAD_REQUEST)]}
    if operation.kind != "query":
        message = f"Schema is not configured to execute {operation.kind} operation."
        return {"data": None, "errors": [graphql_error(message, code=BAD_REQUEST)]}
    errors = validate(operation.selections)
    if errors:
        return {"data": None, "errors": errors}
    try:
        companies = reachable_companies(seed, client_id, web=web, signed_in=user)
    except LookupError as reason:
        if all(node.name == "__typename" for node in operation.selections):
            companies = []
        else:
            return {"data": None, "errors": [_user_table_error(client_id, str(reason))]}
    return {"data": execute(operation.selections, root_value(seed, companies))}
