"""The wizard's client against the simulator over real HTTP: the gateway's HTML 401, HTTP 200
with errors, 429 with Retry-After, and a profile company the answer does not list."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from wizard.cli.check_report import render_report
from wizard.core import graphql
from wizard.core.checks import run_check
from wizard.core.connect import ClientOptions, request_token
from wizard.core.errors import GraphQLError, HttpStatusError
from wizard.core.exitcodes import ExitCode
from wizard.core.models import CompanyGrant, Endpoints, Profile
from wizard.core.steps import Step
from wizard.core.visma import AppType
from wizard.simulator import DEMO_CLIENT_ID, DEMO_SECRET, Simulator
from wizard.simulator.routes import GRAPHQL_SERVICE_PATH, GRAPHQL_WEB_PATH

SECRET = SecretStr(DEMO_SECRET)


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as running:
        yield running


def service(sim: Simulator, *companies: int, graphql_url: str | None = None) -> Profile:
    endpoints = Endpoints.defaults(AppType.SERVICE).model_copy(
        update={"token_url": sim.token_url, "graphql_url": graphql_url or sim.graphql_service_url}
    )
    return Profile(
        name="sim",
        app_type=AppType.SERVICE,
        app_name="Simulated",
        client_id=DEMO_CLIENT_ID,
        endpoints=endpoints,
        companies=[CompanyGrant(company_no=n, access_group="Full access") for n in companies],
    )


def statuses(sim: Simulator, path: str, count: int = 0) -> list[int]:
    """The statuses answered at ``path``; waits (generously) for ``count`` of them, since the
    simulator records a request just after it has sent the answer."""
    deadline = time.monotonic() + 10
    while True:
        found = [r.status for r in sim.requests if r.path == path]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


async def test_a_service_token_on_the_web_api_is_explained_from_the_html_401(
    sim: Simulator,
) -> None:
    before = len(statuses(sim, GRAPHQL_WEB_PATH))
    report = await run_check(service(sim, 5280101, graphql_url=sim.graphql_url), SECRET)
    assert not report.ok and report.exit_code == ExitCode.GRAPHQL
    error = report.error
    assert error is not None and error.title == "Token refused by GraphQL"
    assert "missing, expired, or for the other API" in error.message
    assert "401 Authorization Required" in error.message  # the page's title, quoted
    assert "a service token on /api/graphql" in (error.hint or "")
    assert error.step == Step.REVIEW.value
    assert statuses(sim, GRAPHQL_WEB_PATH, before + 1)[before:] == [401]


async def test_an_expired_token_is_explained_from_the_html_401(sim: Simulator) -> None:
    profile = service(sim, 5280101)
    token = await request_token(profile, SECRET)
    expired = token.model_copy(
        update={"access_token": SecretStr(sim.issue_token(DEMO_CLIENT_ID, [], lifetime=-60))}
    )
    with pytest.raises(GraphQLError) as caught:
        await graphql.probe(profile, expired)
    assert "missing, expired, or for the other API" in caught.value.message
    assert caught.value.step is Step.INTEGRATION


async def test_200_with_errors_lists_the_servers_messages(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graphql, "PROBE_QUERY", "{ availableCompanies { items { nmae } } }")
    profile = service(sim, 5280101)
    token = await request_token(profile, SECRET)
    before = len(statuses(sim, GRAPHQL_SERVICE_PATH))
    with pytest.raises(GraphQLError) as caught:
        await graphql.probe(profile, token)
    assert "GraphQL answered with errors and no data" in caught.value.message
    assert "Cannot query field 'nmae' on type 'AvailableCompany'" in caught.value.message
    assert statuses(sim, GRAPHQL_SERVICE_PATH, before + 1)[before:] == [200]


async def test_the_documented_access_error_is_explained_with_the_company(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = "{ useCompany(no: 5199203) { customer(first: 1) { totalCount } } }"
    monkeypatch.setattr(graphql, "PROBE_QUERY", query)
    profile = service(sim, 5199203)
    token = await request_token(profile, SECRET)
    with pytest.raises(GraphQLError) as caught:
        await graphql.probe(profile, token)
    error = caught.value
    assert "partial data and errors" in error.message
    assert "VismaNetCompanyId: 5199203" in error.message
    assert "may not use company 5199203" in (error.hint or "")
    assert error.step is Step.USER_TABLE


async def test_429_is_retried_after_retry_after_and_then_succeeds() -> None:
    with Simulator(rate_limit=1, rate_window=1.0) as limited:
        profile = service(limited, 5280101)
        token = await request_token(profile, SECRET)
        await graphql.probe(profile, token)
        options = ClientOptions(retry_after_cap=5.0, total_timeout=30.0)
        result = await graphql.probe(profile, token, options=options)
        assert [c.company_no for c in result.companies] == [5280101, 5280102]
        assert statuses(limited, GRAPHQL_SERVICE_PATH, 3) == [200, 429, 200]


async def test_429_to_the_end_is_explained_with_the_documented_limit() -> None:
    with Simulator(rate_limit=1) as limited:
        profile = service(limited, 5280101)
        token = await request_token(profile, SECRET)
        await graphql.probe(profile, token)
        options = ClientOptions(retry_after_cap=0.05, max_retries=2, total_timeout=10.0)
        with pytest.raises(HttpStatusError) as caught:
            await graphql.probe(profile, token, options=options)
        error = caught.value
        assert error.status_code == 429 and error.title == "Rate limited"
        assert "600 requests a minute per token" in (error.hint or "")
        assert statuses(limited, GRAPHQL_SERVICE_PATH, 4) == [200, 429, 429, 429]


async def test_a_company_missing_from_the_answer_comes_with_the_reachable_list(
    sim: Simulator,
) -> None:
    """1234567 is not what the API knows: the report lists what is reachable, by name."""
    report = await run_check(service(sim, 5280101, 1234567), SECRET)
    assert not report.ok and report.exit_code == ExitCode.GRAPHQL
    [gap] = report.missing_companies
    assert gap.company_no == 1234567
    assert [c.model_dump() for c in gap.reachable] == [
        {"company_no": 5280101, "name": "Nordlys Bakeri AS"},
        {"company_no": 5280102, "name": "Nordlys Bakeri Bergen AS"},
    ]
    message = gap.message
    assert "Reachable now: 5280101 Nordlys Bakeri AS; 5280102 Nordlys Bakeri Bergen AS." in message
    assert "If one of those is the company you meant" in message
    assert "not among the companies" in message and "is not reachable" not in message
    text = render_report(report)
    assert "5280102  Nordlys Bakeri Bergen AS  (not in the profile)" in text
    assert "Companies reached (Visma.net company ID, name):" in text


async def test_a_service_without_a_user_row_is_told_the_list_is_empty(sim: Simulator) -> None:
    secret = sim.seed.client("isv_no_user_row")
    assert secret is not None
    profile = service(sim, 5280101).model_copy(update={"client_id": "isv_no_user_row"})
    report = await run_check(profile, secret.secrets[0])
    [gap] = report.missing_companies
    assert gap.reachable == [] and "Reachable now: none." in gap.message
    assert "Add a user whose name is exactly isv_no_user_row" in gap.message
    assert "Companies reached: none." in render_report(report)
