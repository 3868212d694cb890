"""The slice of Business NXT's GraphQL schema the simulator serves, run by graphql-core.

graphql-core (the Python port of the reference implementation) parses, validates and executes
every request, so a query that the real service would refuse for its shape is refused here
too, with a located error. The wording of those errors is graphql-core's; the real service
runs GraphQL.NET, whose messages differ in form (features/errors shows
``GraphQL.Validation.Errors.FieldsOnCorrectTypeError: Cannot query field ...``).

The schema is modelled on the documented one:

* ``availableCustomers`` / ``availableCompanies``: connections without ``pageInfo``, with the
  documented optional arguments (schema/queries/customers and schema/queries/companies);
* ``useCompany(no:)`` takes the Visma.net company ID as a nullable Int (the GraphQLSamples
  SimpleQuery passes ``$cid : Int``); the connection type names follow the
  ``Query_UseCompany_<Table>_Connection`` pattern seen in features/errors; ``customer`` is the
  customer table with ``customerNo`` and ``name``, paged with ``first``/``after`` and
  ``pageInfo`` like every table connection.

A company the caller cannot reach answers, per field asked for, the documented access error
"Could not get authorize user using VismaNetCompanyId: N. Description: External integration
error. Status: 18." with that field ``null`` (features/errors).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema, build_schema, graphql_sync

from wizard.simulator.seed import SimCompany, SimSeed

SDL = """
type Query {
  "Customers (Visma.net organisations) the caller can reach (schema/queries/customers)."
  availableCustomers(first: Int, last: Int): AvailableCustomerConnection
  "Companies the caller can reach (schema/queries/companies)."
  availableCompanies(customerNo: Int, first: Int, last: Int): AvailableCompanyConnection
  "One company's data; no is its Visma.net company ID."
  useCompany(no: Int): Query_UseCompany
}

type AvailableCustomerConnection {
  totalCount: Int
  items: [AvailableCustomer]
}

type AvailableCustomer {
  name: String
  vismaNetCustomerId: Int
}

type AvailableCompanyConnection {
  totalCount: Int
  items: [AvailableCompany]
}

type AvailableCompany {
  name: String
  vismaNetCompanyId: Int
  vismaNetCustomerId: Int
}

type Query_UseCompany {
  customer(
    first: Int
    after: String
    last: Int
    before: String
  ): Query_UseCompany_Customer_Connection
}

type Query_UseCompany_Customer_Connection {
  totalCount: Int
  pageInfo: PageInfo
  items: [Customer]
}

type PageInfo {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

type Customer {
  customerNo: Int
  name: String
}
"""


def access_error_message(company_no: int) -> str:
    """The documented answer for a company the caller has no access to (features/errors)."""
    return (
        f"Error: Could not get authorize user using VismaNetCompanyId: {company_no}. "
        "Description: External integration error. Status: 18."
    )


@dataclass(frozen=True)
class Caller:
    """Who asks: the world, and the companies this caller may use."""

    seed: SimSeed
    companies: tuple[SimCompany, ...]


@dataclass(frozen=True)
class CompanyScope:
    """What ``useCompany(no:)`` resolved to: the company, or None when it is not reachable."""

    no: int
    company: SimCompany | None


def _slice(items: list[Any], first: int | None, last: int | None) -> list[Any]:
    if first is not None:
        return items[: max(first, 0)]
    if last is not None:
        return items[-last:] if last > 0 else []
    return items


def _available_customers(_root: object, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    caller: Caller = info.context
    owners = {c.customer_id for c in caller.companies}
    rows = [
        {"name": c.name, "vismaNetCustomerId": c.customer_id}
        for c in caller.seed.customers
        if c.customer_id in owners
    ]
    return {"totalCount": len(rows), "items": _slice(rows, args.get("first"), args.get("last"))}


def _available_companies(_root: object, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    caller: Caller = info.context
    customer_no = args.get("customerNo")
    rows = [
        {"name": c.name, "vismaNetCompanyId": c.company_id, "vismaNetCustomerId": c.customer_id}
        for c in caller.companies
        if customer_no is None or c.customer_id == customer_no
    ]
    return {"totalCount": len(rows), "items": _slice(rows, args.get("first"), args.get("last"))}


def _use_company(_root: object, info: GraphQLResolveInfo, no: int | None = None) -> CompanyScope:
    if no is None:
        raise GraphQLError("useCompany needs the company's Visma.net company ID in no.")
    caller: Caller = info.context
    company = next((c for c in caller.companies if c.company_id == no), None)
    return CompanyScope(no, company)


def _cursor(index: int) -> str:
    return base64.b64encode(f"cursor:{index}".encode()).decode()


def _index(cursor: str) -> int:
    try:
        kind, _, number = base64.b64decode(cursor, validate=True).decode().partition(":")
        if kind != "cursor" or not number.isdigit():
            raise ValueError(cursor)
        return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise GraphQLError(f"The cursor {cursor!r} is not one this server gave out.") from None


def _customers(scope: CompanyScope, _info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    if scope.company is None:
        raise GraphQLError(access_error_message(scope.no))
    rows = scope.company.ledger_customers
    start = _index(args["after"]) + 1 if args.get("after") else 0
    end = _index(args["before"]) if args.get("before") else len(rows)
    window = list(range(start, min(end, len(rows))))
    picked = _slice(window, args.get("first"), args.get("last"))
    items = [{"customerNo": rows[i].customer_no, "name": rows[i].name} for i in picked]
    return {
        "totalCount": len(rows),
        "items": items,
        "pageInfo": {
            "hasNextPage": bool(picked) and picked[-1] < len(rows) - 1,
            "hasPreviousPage": bool(picked) and picked[0] > 0,
            "startCursor": _cursor(picked[0]) if picked else None,
            "endCursor": _cursor(picked[-1]) if picked else None,
        },
    }


@cache
def schema() -> GraphQLSchema:
    """Built once per process; the resolvers are set on the fields (graphql-core's public API)."""
    built = build_schema(SDL)
    query = built.query_type
    assert query is not None
    query.fields["availableCustomers"].resolve = _available_customers
    query.fields["availableCompanies"].resolve = _available_companies
    query.fields["useCompany"].resolve = _use_company
    company = built.get_type("Query_UseCompany")
    assert company is not None and hasattr(company, "fields")
    company.fields["customer"].resolve = _customers
    return built


def run(
    caller: Caller,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> dict[str, Any]:
    """Parse, validate and execute one request: the JSON answer, ``data`` and maybe ``errors``."""
    result = graphql_sync(
        schema(),
        query,
        context_value=caller,
        variable_values=variables,
        operation_name=operation_name,
    )
    return dict(result.formatted)
