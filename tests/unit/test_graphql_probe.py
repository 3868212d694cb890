"""The GraphQL probe and the company comparison, against httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from wizard.core import _http
from wizard.core.connect import ClientOptions
from wizard.core.errors import GraphQLError, HttpStatusError, MalformedResponse
from wizard.core.exitcodes import ExitCode
from wizard.core.graphql import (
    PROBE_QUERY,
    Company,
    Customer,
    ProbeResult,
    compare_companies,
    probe,
)
from wizard.core.models import CompanyGrant, Endpoints, Profile
from wizard.core.steps import Step
from wizard.core.tokens import Token
from wizard.core.visma import AppType, facts

TOKEN_CANARY = "tok-canary-0123456789"
TOKEN = Token.from_value(TOKEN_CANARY, expires_in=3600)
CLIENT_ID = "isv_probe_demo"
FAST = ClientOptions(backoff_base=0.001, total_timeout=5.0)


def profile(app_type: AppType = AppType.SERVICE, **changes: Any) -> Profile:
    data: dict[str, Any] = {
        "app_type": app_type,
        "app_name": "Probe demo",
        "client_id": CLIENT_ID,
        "endpoints": Endpoints.defaults(app_type),
        "companies": [
            CompanyGrant(company_no=5280101, access_group="Admin"),
            CompanyGrant(company_no=5280202, access_group="Reader"),
        ],
    }
    data.update(changes)
    return Profile.model_validate(data)


def data_body(companies: list[tuple[str, int, int | None]] | None = None) -> dict[str, Any]:
    companies = (
        companies
        if companies is not None
        else [("Alpha AS", 5280101, 77), ("Beta AS", 5280202, 77)]
    )
    return {
        "data": {
            "availableCustomers": {
                "totalCount": 1,
                "items": [{"name": "Demo customer", "vismaNetCustomerId": 77}],
            },
            "availableCompanies": {
                "totalCount": len(companies),
                "items": [
                    {"name": n, "vismaNetCompanyId": no, "vismaNetCustomerId": cust}
                    for n, no, cust in companies
                ],
            },
        }
    }


class Recorder:
    def __init__(
        self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]
    ) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        return answer(request) if callable(answer) else answer


async def run(rec: Recorder, prof: Profile | None = None) -> ProbeResult:
    async with httpx.AsyncClient(transport=httpx.MockTransport(rec)) as client:
        return await probe(prof or profile(), TOKEN, client=client, options=FAST)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_sleep(delay: float) -> None:
        return None

    monkeypatch.setattr(_http, "_sleep", fake_sleep)


async def test_probe_ok_parses_companies_and_customers() -> None:
    rec = Recorder(httpx.Response(200, json=data_body()))
    result = await run(rec)
    assert result.companies == [
        Company(name="Alpha AS", company_no=5280101, customer_id=77),
        Company(name="Beta AS", company_no=5280202, customer_id=77),
    ]
    assert result.customers == [Customer(name="Demo customer", customer_id=77)]
    assert (result.companies_total, result.customers_total) == (2, 1)

    request = rec.requests[0]
    assert request.method == "POST"
    assert str(request.url) == facts(AppType.SERVICE).graphql_url
    assert request.headers["authorization"] == f"Bearer {TOKEN_CANARY}"
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {"query": PROBE_QUERY, "variables": {}}


def test_probe_query_asks_for_the_documented_fields() -> None:
    flat = " ".join(PROBE_QUERY.split())
    assert "availableCustomers { totalCount items { name vismaNetCustomerId } }" in flat
    assert (
        "availableCompanies { totalCount items { name vismaNetCompanyId vismaNetCustomerId } }"
        in flat
    )


async def test_errors_without_data_are_a_graphql_error_with_server_messages() -> None:
    body = {
        "data": None,
        "errors": [
            {
                "message": "Not authorized to access availableCompanies",
                "path": ["availableCompanies"],
                "extensions": {"code": "AUTH_NOT_AUTHORIZED"},
            },
            {"message": "Second problem"},
        ],
    }
    with pytest.raises(GraphQLError) as info:
        await run(Recorder(httpx.Response(200, json=body)))
    err = info.value
    assert err.exit_code is ExitCode.GRAPHQL
    assert "Not authorized to access availableCompanies" in err.message
    assert "AUTH_NOT_AUTHORIZED" in err.message
    assert "Second problem" in err.message
    assert "no data" in err.message
    assert err.step is Step.USER_TABLE
    assert CLIENT_ID in (err.hint or "")


async def test_partial_data_with_errors_is_still_an_error() -> None:
    body = data_body()
    body["data"]["availableCustomers"] = None
    body["errors"] = [{"message": "customers resolver failed", "path": ["availableCustomers"]}]
    with pytest.raises(GraphQLError) as info:
        await run(Recorder(httpx.Response(200, json=body)))
    assert "partial" in info.value.message
    assert "customers resolver failed" in info.value.message
    assert "availableCustomers" in info.value.message


async def test_many_errors_are_summarised() -> None:
    body = {"errors": [{"message": f"problem {i}"} for i in range(9)]}
    with pytest.raises(GraphQLError) as info:
        await run(Recorder(httpx.Response(200, json=body)))
    assert "problem 4" in info.value.message
    assert "problem 5" not in info.value.message
    assert "and 4 more" in info.value.message


async def test_400_with_errors_array_is_surfaced() -> None:
    body = {"errors": [{"message": "Syntax Error: Unexpected Name"}]}
    rec = Recorder(httpx.Response(400, json=body))
    with pytest.raises(GraphQLError) as info:
        await run(rec)
    assert "Syntax Error" in info.value.message
    assert len(rec.requests) == 1


async def test_401_explains_the_token_was_refused() -> None:
    rec = Recorder(httpx.Response(401, json={"errors": [{"message": "Unauthorized"}]}))
    with pytest.raises(GraphQLError) as info:
        await run(rec)
    err = info.value
    assert err.exit_code is ExitCode.GRAPHQL
    assert "refused the token" in err.message
    assert "Unauthorized" in err.message
    assert err.step is Step.INTEGRATION
    assert facts(AppType.SERVICE).graphql_url in (err.hint or "")
    assert len(rec.requests) == 1


async def test_401_at_the_wrong_endpoint_for_the_app_type_says_so() -> None:
    endpoints = Endpoints.defaults(AppType.SERVICE).model_copy(
        update={"graphql_url": facts(AppType.WEB).graphql_url}
    )
    with pytest.raises(GraphQLError) as info:
        await run(Recorder(httpx.Response(401)), profile(endpoints=endpoints))
    assert facts(AppType.WEB).graphql_url in info.value.message
    assert facts(AppType.SERVICE).graphql_url in info.value.message
    assert info.value.step is Step.REVIEW


async def test_403_explains_the_missing_scope() -> None:
    with pytest.raises(GraphQLError) as info:
        await run(Recorder(httpx.Response(403, text="Forbidden")))
    err = info.value
    assert "scope" in err.message
    assert facts(AppType.SERVICE).scope in err.message
    assert err.step is Step.INTEGRATION


async def test_5xx_is_retried_like_the_token_request() -> None:
    rec = Recorder(httpx.Response(503), httpx.Response(200, json=data_body()))
    result = await run(rec)
    assert len(rec.requests) == 2
    assert len(result.companies) == 2


async def test_other_status_is_an_http_status_error() -> None:
    with pytest.raises(HttpStatusError) as info:
        await run(Recorder(httpx.Response(404, html="<html><title>Not here</title></html>")))
    assert info.value.status_code == 404
    assert "Not here" in info.value.message


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"availableCustomers": {"items": []}}},
        {
            "data": {
                "availableCustomers": {"items": []},
                "availableCompanies": {"items": [{"name": "x"}]},
            }
        },
        {"data": None},
        {"something": "else"},
    ],
)
async def test_unexpected_shape_is_malformed(body: dict[str, Any]) -> None:
    with pytest.raises(MalformedResponse):
        await run(Recorder(httpx.Response(200, json=body)))


async def test_non_json_answer_is_malformed() -> None:
    with pytest.raises(MalformedResponse):
        await run(Recorder(httpx.Response(200, text="not json")))


async def test_the_token_never_appears_in_messages() -> None:
    body = {"errors": [{"message": f"bad token {TOKEN_CANARY}"}]}
    with pytest.raises(GraphQLError) as info:
        await run(Recorder(httpx.Response(200, json=body)))
    for text in (
        info.value.message,
        info.value.hint,
        repr(info.value),
        json.dumps(info.value.to_dict()),
    ):
        assert TOKEN_CANARY not in str(text)
    with pytest.raises(HttpStatusError) as info2:
        await run(Recorder(httpx.Response(500, text=f"echo Bearer {TOKEN_CANARY}")))
    assert TOKEN_CANARY not in info2.value.message


async def test_null_names_and_missing_customer_are_tolerated() -> None:
    body = data_body([("", 5280101, None)])
    body["data"]["availableCompanies"]["items"][0]["name"] = None
    result = await run(Recorder(httpx.Response(200, json=body)))
    assert result.companies == [Company(name="", company_no=5280101, customer_id=None)]


# --- compare_companies ---------------------------------------------------------------


def result_with(*numbers: int, total: int | None = None) -> ProbeResult:
    companies = [Company(name=f"Company {n}", company_no=n) for n in numbers]
    return ProbeResult(
        customers=[],
        companies=companies,
        customers_total=0,
        companies_total=total if total is not None else len(companies),
    )


def test_gap_message_names_client_id_company_and_user_table_steps() -> None:
    gaps = compare_companies(profile(), result_with(5280101))
    assert [(g.company_no, g.access_group) for g in gaps] == [(5280202, "Reader")]
    message = gaps[0].message
    assert CLIENT_ID in message
    assert "5280202" in message
    assert "Reader" in message
    assert "Connect Application Access" in message
    assert "Column no." in message
    assert "System supervisor" in message


def test_nothing_reached_gives_every_user_table_step() -> None:
    gaps = compare_companies(profile(), result_with())
    assert [g.company_no for g in gaps] == [5280101, 5280202]
    assert f"Add a user whose name is exactly {CLIENT_ID}" in gaps[0].message
    assert "Unhide its Connect Application column" in gaps[0].message


def test_some_reached_skips_creating_the_user() -> None:
    gaps = compare_companies(profile(), result_with(5280101))
    assert "Add a user whose name is exactly" not in gaps[0].message


def test_all_reached_and_extras_are_no_gap() -> None:
    assert compare_companies(profile(), result_with(5280101, 5280202, 5300303)) == []


def test_truncated_listing_is_mentioned() -> None:
    gaps = compare_companies(profile(), result_with(5280101, total=50))
    assert "only 1 of 50" in gaps[0].message


def test_gap_to_dict_is_json_safe() -> None:
    gap = compare_companies(profile(), result_with())[0]
    assert json.loads(gap.model_dump_json())["company_no"] == 5280101
