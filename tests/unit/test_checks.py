"""run_check end to end over httpx.MockTransport: the report, never an exception."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
from typing import Any
from urllib.parse import quote_plus

import httpx
import pytest
from pydantic import SecretStr

from wizard.cli.check_report import render_report
from wizard.core import _http
from wizard.core.checks import CheckReport, run_check
from wizard.core.connect import ClientOptions
from wizard.core.exitcodes import ExitCode
from wizard.core.models import CompanyGrant, Endpoints, Profile
from wizard.core.steps import Step
from wizard.core.visma import AppType

CANARY = "chk-canary+%: S3cret"
SECRET = SecretStr(CANARY)
CLIENT_ID = "isv_check_demo"
TOKEN_CANARY = "access-token-canary-xyz"
TOKEN_URL = "https://connect.test/connect/token"
GRAPHQL_URL = "https://bnxt.test/api/graphql-service"
FAST = ClientOptions(backoff_base=0.001, total_timeout=5.0)


def profile(
    app_type: AppType = AppType.SERVICE, companies: tuple[int, ...] = (5280101,)
) -> Profile:
    endpoints = Endpoints.defaults(app_type).model_copy(
        update={"token_url": TOKEN_URL, "graphql_url": GRAPHQL_URL}
    )
    return Profile(
        name="demo",
        app_type=app_type,
        app_name="Check demo",
        client_id=CLIENT_ID,
        endpoints=endpoints,
        companies=[CompanyGrant(company_no=n, access_group="Admin") for n in companies],
    )


def token_ok() -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "access_token": TOKEN_CANARY,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": "business-graphql-service-api:access-group-based",
        },
    )


def graphql_ok(*companies: int) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "data": {
                "availableCustomers": {
                    "totalCount": 1,
                    "items": [{"name": "Demo customer", "vismaNetCustomerId": 9}],
                },
                "availableCompanies": {
                    "totalCount": len(companies),
                    "items": [
                        {"name": f"Co {n}", "vismaNetCompanyId": n, "vismaNetCustomerId": 9}
                        for n in companies
                    ],
                },
            }
        },
    )


class Server:
    """Routes by host: the token endpoint and the GraphQL endpoint answer separately."""

    def __init__(self, token: httpx.Response, graphql: httpx.Response | None = None) -> None:
        self.token, self.graphql = token, graphql
        self.hosts: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.hosts.append(request.url.host)
        if request.url.host == "connect.test":
            return self.token
        assert self.graphql is not None, "GraphQL was not expected to be called"
        return self.graphql


async def check(server: Server, prof: Profile, **kw: Any) -> tuple[CheckReport, list[str]]:
    said: list[str] = []
    async with httpx.AsyncClient(transport=httpx.MockTransport(server)) as client:
        report = await run_check(
            prof, SECRET, options=FAST, progress=said.append, client=client, **kw
        )
    return report, said


def assert_clean(report: CheckReport) -> None:
    dumped = json.dumps(report.to_json_dict()) + render_report(report) + repr(report)
    basic = base64.b64encode(f"{CLIENT_ID}:{quote_plus(CANARY)}".encode()).decode()
    for forbidden in (CANARY, quote_plus(CANARY), basic, TOKEN_CANARY):
        assert forbidden not in dumped


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fake_sleep(delay: float) -> None:
        return None

    monkeypatch.setattr(_http, "_sleep", fake_sleep)


async def test_happy_path_service() -> None:
    server = Server(token_ok(), graphql_ok(5280101, 5300303))
    report, said = await check(server, profile())
    assert report.ok is True
    assert report.exit_code == ExitCode.OK
    assert report.error is None
    assert [s.name for s in report.steps] == ["token", "graphql", "companies"]
    assert all(s.ok for s in report.steps)
    assert all(isinstance(s.seconds, float) for s in report.steps)
    assert report.token is not None and report.token.token_type == "Bearer"
    assert [c.model_dump() for c in report.companies_reached] == [
        {"name": "Co 5280101", "company_no": 5280101, "customer_id": 9, "in_profile": True},
        {"name": "Co 5300303", "company_no": 5300303, "customer_id": 9, "in_profile": False},
    ]
    customers = [c.model_dump() for c in report.customers_reached]
    assert customers == [{"name": "Demo customer", "customer_id": 9}]
    assert report.missing_companies == []
    # A company reached but not in the profile is information, not a failure.
    assert "5300303" in report.steps[2].detail
    assert len(said) == 2
    assert "connect.test" in said[0]
    assert "companies" in said[1]
    assert server.hosts == ["connect.test", "bnxt.test"]
    text = render_report(report)
    assert "Result: OK" in text
    assert "✓ token" in text
    assert "(not in the profile)" in text
    assert_clean(report)


async def test_missing_company_fails_with_exit_6_and_the_user_table_step() -> None:
    report, _ = await check(
        Server(token_ok(), graphql_ok(5280101)), profile(companies=(5280101, 5280202))
    )
    assert report.ok is False
    assert report.exit_code == ExitCode.GRAPHQL
    assert [g.company_no for g in report.missing_companies] == [5280202]
    assert CLIENT_ID in report.missing_companies[0].message
    assert report.error is not None
    assert report.error.step == Step.USER_TABLE.value
    assert "5280202" in report.error.message
    assert (report.steps[-1].name, report.steps[-1].ok) == ("companies", False)
    text = render_report(report)
    assert "✗ companies" in text
    assert "Company 5280202" in text
    assert "User table setup" in text
    assert_clean(report)


async def test_token_failure_is_captured_not_raised() -> None:
    server = Server(httpx.Response(401, json={"error": "invalid_client"}))
    report, said = await check(server, profile())
    assert report.ok is False
    assert report.exit_code == ExitCode.CREDENTIALS
    assert report.token is None
    assert [s.name for s in report.steps] == ["token"]
    assert report.error is not None
    assert report.error.error == "OAuthError"
    assert report.error.step == Step.SECRET.value
    assert len(said) == 1
    assert "bnxt.test" not in server.hosts
    text = render_report(report)
    assert "✗ token" in text
    assert "exit code 3" in text
    assert "Hint:" in text
    assert_clean(report)


async def test_graphql_failure_is_captured() -> None:
    server = Server(token_ok(), httpx.Response(403, text="Forbidden"))
    report, _ = await check(server, profile())
    assert report.ok is False
    assert report.exit_code == ExitCode.GRAPHQL
    assert report.token is not None
    assert [s.ok for s in report.steps] == [True, False]
    assert_clean(report)


def oauth(status: int, code: str) -> httpx.Response:
    return httpx.Response(status, json={"error": code, "error_description": "nope"})


async def test_web_profile_proves_the_secret_with_an_invalid_code() -> None:
    server = Server(oauth(400, "invalid_grant"))  # GraphQL would fail the test if called
    report, said = await check(server, profile(AppType.WEB, companies=()))
    assert report.ok is True
    assert report.exit_code == 0
    assert server.hosts == ["connect.test"]
    client_step, graphql_step = report.steps
    assert client_step.name == "client" and client_step.ok is True
    assert "accepted the client ID and secret" in client_step.detail
    assert "Only `bnxt-wizard login` proves" in client_step.detail
    assert graphql_step.name == "graphql"
    assert graphql_step.skipped is True
    assert "signed-in" in graphql_step.detail
    assert len(said) == 1
    text = render_report(report)
    assert "- graphql" in text
    # honest: the check without a browser proves the credentials, not the sign-in
    assert "Result: OK, the client ID and secret only" in text
    assert "bnxt-wizard login --profile demo" in text
    assert "It works" not in report.verdict()
    assert report.verdict(signed_in=True) == "It works."
    assert_clean(report)


async def test_service_report_says_it_works() -> None:
    report, _ = await check(Server(token_ok(), graphql_ok(5280101)), profile())
    assert report.verdict() == "It works."
    assert render_report(report).endswith("Result: OK")


async def test_web_profile_with_a_wrong_secret_is_exit_3() -> None:
    report, _ = await check(Server(oauth(401, "invalid_client")), profile(AppType.WEB))
    assert report.ok is False
    assert report.exit_code == ExitCode.CREDENTIALS
    assert report.steps[0].name == "client" and report.steps[0].ok is False
    assert_clean(report)


async def test_web_profile_whose_invalid_code_is_accepted_is_not_visma() -> None:
    report, _ = await check(Server(token_ok()), profile(AppType.WEB))
    assert report.ok is False and report.exit_code == ExitCode.NETWORK
    assert "made-up authorization code" in report.steps[0].detail


async def test_graphql_false_skips_the_probe() -> None:
    server = Server(token_ok())
    report, _ = await check(server, profile(), graphql=False)
    assert report.ok is True
    assert report.steps[1].skipped is True
    assert server.hosts == ["connect.test"]


async def test_no_companies_anywhere_is_ok_but_says_the_user_table_is_next() -> None:
    report, _ = await check(Server(token_ok(), graphql_ok()), profile(companies=()))
    assert report.ok is True
    assert "User table" in report.steps[-1].detail


async def test_network_failure_with_own_client_is_captured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    prof = profile()
    prof = prof.model_copy(
        update={
            "endpoints": prof.endpoints.model_copy(
                update={"token_url": f"http://127.0.0.1:{port}/connect/token"}
            )
        }
    )
    report = await run_check(prof, SECRET, options=FAST)
    assert report.ok is False
    assert report.exit_code == ExitCode.NETWORK
    assert report.error is not None and report.error.error == "NetworkError"
    assert_clean(report)


async def test_cancellation_propagates() -> None:
    started = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.sleep(30)
        return token_ok()

    async with httpx.AsyncClient(transport=httpx.MockTransport(hang)) as client:
        task = asyncio.create_task(run_check(profile(), SECRET, options=FAST, client=client))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def test_report_json_is_plain_data() -> None:
    report = CheckReport(
        profile="p",
        app_type="service",
        client_id=CLIENT_ID,
        token_url=TOKEN_URL,
        graphql_url=GRAPHQL_URL,
    )
    data = report.to_json_dict()
    assert json.loads(json.dumps(data)) == data
    assert set(data) >= {
        "ok",
        "exit_code",
        "token",
        "companies_reached",
        "customers_reached",
        "missing_companies",
        "error",
        "steps",
    }


def test_check_and_login_report_with_one_result_family() -> None:
    from wizard.core.oidc.results import LoginResult
    from wizard.core.results import ErrorInfo, StageResult

    check, login = CheckReport.model_fields, LoginResult.model_fields
    assert check["error"].annotation == login["error"].annotation == (ErrorInfo | None)
    assert check["steps"].annotation == login["stages"].annotation == list[StageResult]


def test_error_info_is_the_errors_own_dict_typed() -> None:
    from wizard.core.errors import OAuthError
    from wizard.core.results import ErrorInfo

    err = OAuthError("Refused.", code="invalid_client", hint="Check it.", step=Step.SECRET)
    info = ErrorInfo.from_error(err)
    assert info.model_dump(mode="json") == err.to_dict()
    assert (info.error, info.step, info.exit_code) == ("OAuthError", "secret", int(err.exit_code))
