"""Ask Business NXT which customers and companies a token reaches, and compare with the plan.

For a service application that list is what the User table setup granted. A company in the
profile but missing from the answer is reported *with* the companies that are reachable
(name and Visma.net company ID): either the User table does not grant it yet, or the number
in the profile is not the ID the API uses (the docs do not say that Column no. in the User
table is the Visma.net company ID), and only the user can tell which by matching names.

GraphQL ``errors`` are never swallowed. Partial data (``data`` *and* ``errors``) is
treated as a failure too: a probe with a field missing cannot say which companies are
reachable, and a half answer that looks fine would hide the cause. The server's messages
are in the :class:`~wizard.core.errors.GraphQLError` message either way.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from wizard.core import explain
from wizard.core._http import ClientOptions, clean_text, client_scope, send
from wizard.core.check_results import CompanyGap, ReachableCompany
from wizard.core.errors import GraphQLError, MalformedResponse
from wizard.core.models import Profile
from wizard.core.steps import Step
from wizard.core.text import sanitize
from wizard.core.tokens import Token
from wizard.core.visma import USER_TABLE_ROLES, user_table_steps
from wizard.core.visma_facts import text

WHAT = "the GraphQL endpoint"
# features/errors: "Could not get authorize user using VismaNetCompanyId: 1234567. ..."
_ACCESS_ERROR = re.compile(r"Could not get authorize user using VismaNetCompanyId: (\d+)")
MAX_SHOWN_ERRORS = 5

PROBE_QUERY = """\
query BnxtWizardProbe {
  availableCustomers {
    totalCount
    items { name vismaNetCustomerId }
  }
  availableCompanies {
    totalCount
    items { name vismaNetCompanyId vismaNetCustomerId }
  }
}
"""


class _Item(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, frozen=True)

    name: str

    @field_validator("name", mode="before")
    @classmethod
    def _no_name(cls, value: object) -> object:
        # A name is server text shown on the terminal: no escapes or control characters.
        return "" if value is None else sanitize(value) if isinstance(value, str) else value


class Company(_Item):
    company_no: int = Field(alias="vismaNetCompanyId")
    customer_id: int | None = Field(default=None, alias="vismaNetCustomerId")


class Customer(_Item):
    customer_id: int = Field(alias="vismaNetCustomerId")


class ProbeResult(BaseModel):
    customers: list[Customer]
    companies: list[Company]
    customers_total: int
    companies_total: int


async def probe(
    profile: Profile,
    token: Token,
    *,
    client: httpx.AsyncClient | None = None,
    options: ClientOptions = ClientOptions(),  # noqa: B008 - frozen dataclass, safe default
) -> ProbeResult:
    """Run :data:`PROBE_QUERY`; raise a :class:`WizardError` subclass on any failure."""
    raw = token.access_token.get_secret_value()
    headers = {
        "Accept": "application/json",
        "Authorization": f"Bearer {raw}",
    }
    async with client_scope(client, options, (profile.endpoints.graphql_url,)) as http:
        answer = await send(
            http,
            "POST",
            profile.endpoints.graphql_url,
            what=WHAT,
            options=options,
            headers=headers,
            json_body={"query": PROBE_QUERY, "variables": {}},
            sensitive=(raw,),
        )

    body = answer.json_object()
    errors = body.get("errors") if body is not None else None
    if body is not None and errors and answer.status_code not in (401, 403, 429):
        raise _errors_error(profile, body, (raw,))
    if answer.status_code != 200:
        said = _list_errors(errors, (raw,)) if errors else answer.snippet((raw,))
        raise explain.graphql_status_error(
            profile, answer.status_code, said, answer.looks_like_html
        )
    if body is None:
        raise _malformed(
            "The GraphQL endpoint answered, but not with a JSON object"
            + (" (it sent an HTML page)." if answer.looks_like_html else ".")
        )
    return _result_from(body.get("data"))


def _errors_error(
    profile: Profile, body: dict[str, Any], sensitive: tuple[str, ...]
) -> GraphQLError:
    listed = _list_errors(body["errors"], sensitive)
    data = body.get("data")
    partial = isinstance(data, dict) and any(v is not None for v in data.values())
    head = (
        "GraphQL answered with partial data and errors"
        if partial
        else "GraphQL answered with errors and no data"
    )
    denied = sorted(set(_ACCESS_ERROR.findall(listed)))
    if denied:
        hint = (
            f"{text('company_access_error')} So this caller may not use company "
            f"{', '.join(denied)}. Compare the number with the companies it reaches "
            "(availableCompanies, shown by the check). "
        )
        hint += (
            f"For a service, the User table must grant it to {profile.client_id} "
            "(a Connect Application Access row with an access group)."
            if profile.is_service
            else f"{text('web_companies')}"
        )
        step = Step.USER_TABLE if profile.is_service else Step.TEST
    elif profile.is_service:
        hint = (
            "If the messages mention access, the user or a company, check the User table "
            f"setup in Business NXT: a user named exactly {profile.client_id} with Connect "
            "application ticked, and a Connect Application Access row for each company."
        )
        step = Step.USER_TABLE
    else:
        hint = "Check the messages above; the signed-in user's own rights apply to a web app."
        step = Step.TEST
    return GraphQLError(f"{head}: {listed}", hint=hint, step=step)


def _list_errors(errors: object, sensitive: tuple[str, ...]) -> str:
    items = errors if isinstance(errors, list) else [errors]
    shown = [_describe_error(e, sensitive) for e in items[:MAX_SHOWN_ERRORS]]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def _describe_error(error: object, sensitive: tuple[str, ...]) -> str:
    if not isinstance(error, dict):
        return clean_text(str(error), sensitive, limit=400)
    message = clean_text(str(error.get("message", "(no message)")), sensitive, limit=400)
    extensions = error.get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    path = error.get("path")
    where = ".".join(str(p) for p in path) if isinstance(path, list) and path else ""
    prefix = f"[{clean_text(str(code), limit=40)}] " if code else ""
    suffix = f" (at {clean_text(where, limit=80)})" if where else ""
    return f"{prefix}{message}{suffix}"


def _result_from(data: object) -> ProbeResult:
    if not isinstance(data, dict):
        raise _malformed("The GraphQL answer has no data.")
    try:
        customers = _connection(data, "availableCustomers")
        companies = _connection(data, "availableCompanies")
        return ProbeResult(
            customers=[Customer.model_validate(i) for i in customers["items"]],
            companies=[Company.model_validate(i) for i in companies["items"]],
            customers_total=customers["total"],
            companies_total=companies["total"],
        )
    except (ValidationError, TypeError) as exc:
        count = exc.error_count() if isinstance(exc, ValidationError) else 1
        raise _malformed(
            f"The GraphQL answer does not have the expected shape ({count} problem(s) "
            "in availableCustomers / availableCompanies)."
        ) from None


def _connection(data: dict[str, Any], field: str) -> dict[str, Any]:
    node = data.get(field)
    if not isinstance(node, dict):
        raise _malformed(f"The GraphQL answer has no {field}.")
    items = node.get("items") or []
    if not isinstance(items, list):
        raise _malformed(f"{field}.items in the GraphQL answer is not a list.")
    total = node.get("totalCount")
    return {"items": items, "total": total if isinstance(total, int) else len(items)}


def _malformed(message: str) -> MalformedResponse:
    return MalformedResponse(
        message,
        hint="Check the GraphQL URL points at Business NXT's GraphQL endpoint.",
        step=Step.REVIEW,
    )


def reachable_list(result: ProbeResult) -> str:
    """The companies the answer listed, number and name, for a sentence."""
    if not result.companies:
        return "none"
    return "; ".join(f"{c.company_no} {c.name}".strip() for c in result.companies)


def compare_companies(profile: Profile, result: ProbeResult) -> list[CompanyGap]:
    """Companies in the profile that the answer does not list, each with what to check."""
    reached = {c.company_no for c in result.companies}
    steps = user_table_steps(profile.client_id)
    # No company at all: the user itself may be missing (what Business NXT answers then is
    # not documented), so give every step. Otherwise only the access rows matter.
    todo = steps if not reached else steps[3:]
    truncated = result.companies_total > len(result.companies)
    listed = reachable_list(result)
    reachable = [ReachableCompany(company_no=c.company_no, name=c.name) for c in result.companies]
    gaps: list[CompanyGap] = []
    for grant in profile.companies:
        if grant.company_no in reached:
            continue
        numbered = " ".join(f"{i}. {s}" for i, s in enumerate(todo, 1))
        note = (
            f" (The answer listed only {len(result.companies)} of {result.companies_total} "
            "companies, so it may be among those not shown.)"
            if truncated
            else ""
        )
        match = (
            " If one of those is the company you meant, put its number in the profile "
            "instead: the API knows a company by its Visma.net company ID."
            if result.companies
            else ""
        )
        gaps.append(
            CompanyGap(
                company_no=grant.company_no,
                access_group=grant.access_group,
                reachable=reachable,
                message=(
                    f"Company {grant.company_no} (access group {grant.access_group}) is not "
                    f"among the companies {profile.client_id} reaches. Reachable now: "
                    f"{listed}.{note}{match} {text('column_no')} If it is not granted yet: "
                    f"in Business NXT, signed in as a user with the "
                    f"{' and '.join(USER_TABLE_ROLES)} roles, using {grant.access_group} as "
                    f"the access group: {numbered}"
                ),
            )
        )
    return gaps
