"""The GraphQL probe, and the whole check, against a real loopback server that misbehaves.

One server plays both parts: ``/connect/token`` hands out a good token, ``/graphql``
misbehaves. The token is a canary too: it must never show up in a message.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.faults.helpers import (
    CLIENT_ID,
    HANG,
    LIMITS,
    SECRET,
    assert_no_secret,
    profile,
    timed,
    token_json,
)
from tests.faults.server import FaultServer, Reply, Script, Seen
from wizard.core.checks import run_check
from wizard.core.errors import (
    GraphQLError,
    HttpStatusError,
    MalformedResponse,
    NetworkError,
    WizardError,
)
from wizard.core.exitcodes import ExitCode
from wizard.core.graphql import probe
from wizard.core.models import Profile
from wizard.core.steps import Step
from wizard.core.tokens import Token

TOKEN = "tok-canary-G9aphQL-0123456789"
TOKEN_PATH = "/connect/token"
GRAPHQL_PATH = "/graphql"


def companies(*numbers: int) -> dict[str, Any]:
    return {
        "availableCustomers": {
            "totalCount": 1,
            "items": [{"name": "Customer", "vismaNetCustomerId": 42}],
        },
        "availableCompanies": {
            "totalCount": len(numbers),
            "items": [
                {"name": f"Company {n}", "vismaNetCompanyId": n, "vismaNetCustomerId": 42}
                for n in numbers
            ],
        },
    }


def routed(graphql: Script) -> Script:
    """Token requests get a good token; GraphQL requests get ``graphql``."""
    replies = [graphql] if isinstance(graphql, Reply) else graphql
    asked: list[Seen] = []

    def respond(seen: Seen) -> Reply:
        if seen.path == TOKEN_PATH:
            return Reply(body=token_json(access_token=TOKEN))
        if callable(replies):
            return replies(seen)
        asked.append(seen)
        return replies[min(len(asked) - 1, len(replies) - 1)]

    return respond


def service(srv: FaultServer) -> Profile:
    return profile(srv.url(TOKEN_PATH), srv.url(GRAPHQL_PATH))


def graphql_calls(srv: FaultServer) -> list[Seen]:
    return [s for s in srv.seen if s.path == GRAPHQL_PATH]


async def probe_fails(graphql: Script, *, budget: float = HANG) -> tuple[WizardError, FaultServer]:
    with FaultServer(routed(graphql)) as srv, timed() as clock:
        with pytest.raises(WizardError) as info:
            await probe(service(srv), Token.from_value(TOKEN), options=LIMITS)
    assert clock.elapsed < budget, f"took {clock.elapsed:.2f} s"
    error = info.value
    for text in (error.message, error.hint, error.title, repr(error), error.to_dict()):
        assert TOKEN not in str(text)
    for seen in graphql_calls(srv):
        assert seen.headers["authorization"] == f"Bearer {TOKEN}"
        assert "availableCompanies" in json.loads(seen.body)["query"]
    return error, srv


def _errors(*messages: str, **extra: Any) -> dict[str, Any]:
    return {"errors": [{"message": m, "extensions": {"code": "ACCESS"}} for m in messages], **extra}


async def test_errors_without_data_are_shown_with_the_user_table_hint() -> None:
    error, srv = await probe_fails(
        Reply.json(200, _errors("User is not allowed", "No access group", data=None))
    )
    assert type(error) is GraphQLError and error.exit_code is ExitCode.GRAPHQL
    assert "errors and no data" in error.message
    assert "[ACCESS] User is not allowed" in error.message and "No access group" in error.message
    assert CLIENT_ID in (error.hint or "") and error.step is Step.USER_TABLE
    assert len(graphql_calls(srv)) == 1  # a GraphQL error is an answer: nothing to retry


async def test_error_text_echoing_the_token_is_redacted() -> None:
    error, _ = await probe_fails(Reply.json(200, _errors(f"Bearer {TOKEN} is not welcome")))
    assert "[redacted]" in error.message


async def test_partial_data_is_still_a_failure() -> None:
    data = companies(5280101)
    data["availableCustomers"] = None
    body = _errors("Cannot read customers", data=data)
    body["errors"][0]["path"] = ["availableCustomers"]
    error, srv = await probe_fails(Reply.json(200, body))
    assert type(error) is GraphQLError and error.exit_code is ExitCode.GRAPHQL
    assert "partial data" in error.message and "(at availableCustomers)" in error.message
    assert len(graphql_calls(srv)) == 1


async def test_401_says_the_token_was_refused_and_is_not_retried() -> None:
    reply = Reply.json(
        401,
        _errors("Unauthorized"),
        headers=(("WWW-Authenticate", 'Bearer error="invalid_token"'),),
    )
    error, srv = await probe_fails(reply)
    assert type(error) is GraphQLError and error.exit_code is ExitCode.GRAPHQL
    assert "HTTP 401" in error.message and "refused the token" in error.message
    # The profile points at a loopback URL, not the service endpoint: that is said too.
    assert "https://business.visma.net/api/graphql-service" in error.message
    assert len(graphql_calls(srv)) == 1


async def test_403_names_the_missing_scope_and_is_not_retried() -> None:
    error, srv = await probe_fails(Reply.text(403, "Forbidden"))
    assert type(error) is GraphQLError and error.exit_code is ExitCode.GRAPHQL
    assert "HTTP 403" in error.message and "Forbidden" in error.message
    assert "business-graphql-service-api:access-group-based" in error.message
    assert error.step is Step.INTEGRATION
    assert len(graphql_calls(srv)) == 1


async def test_400_with_errors_is_a_graphql_error_not_retried() -> None:
    error, srv = await probe_fails(Reply.json(400, _errors("Cannot query field 'x'")))
    assert type(error) is GraphQLError and "Cannot query field" in error.message
    assert len(graphql_calls(srv)) == 1


async def test_gateway_html_is_retried_then_an_http_status_error() -> None:
    page = "<html><title>504 Gateway Time-out</title><body>nginx</body></html>"
    error, srv = await probe_fails(Reply.html(504, page))
    assert type(error) is HttpStatusError and error.exit_code is ExitCode.NETWORK
    assert "HTTP 504" in error.message and "504 Gateway Time-out" in error.message
    assert len(graphql_calls(srv)) == LIMITS.max_retries + 1


async def test_silent_graphql_endpoint_is_a_bounded_timeout() -> None:
    error, srv = await probe_fails(Reply(silence=30))
    assert type(error) is NetworkError and error.exit_code is ExitCode.NETWORK
    assert f"the GraphQL endpoint at 127.0.0.1:{srv.port}" in error.message
    assert "limit 1 s" in error.message


async def test_huge_graphql_answer_is_cut_off() -> None:
    error, _ = await probe_fails(Reply(body=b" " * (3 << 20), length=False))
    assert type(error) is MalformedResponse and "1,000,000 bytes" in error.message


@pytest.mark.parametrize(
    "body",
    [{"data": {"availableCompanies": []}}, {"data": "yes"}, [1, 2], {"data": None}],
    ids=["wrong-shape", "string-data", "array", "null-data"],
)
async def test_unexpected_shapes_are_malformed(body: object) -> None:
    error, _ = await probe_fails(Reply.json(200, body))
    assert type(error) is MalformedResponse and error.exit_code is ExitCode.NETWORK


# --- the whole check, over the same faulty server ---------------------------------------


async def test_check_reports_graphql_errors_with_exit_6() -> None:
    with FaultServer(routed(Reply.json(200, _errors("User table row missing")))) as srv:
        with timed() as clock:
            report = await run_check(service(srv), SECRET, options=LIMITS)
    assert clock.elapsed < HANG
    assert not report.ok and report.exit_code == ExitCode.GRAPHQL
    assert [(s.name, s.ok) for s in report.steps] == [("token", True), ("graphql", False)]
    assert report.error is not None and report.error.error == "GraphQLError"
    assert "User table row missing" in report.error.message
    assert [s.path for s in srv.seen] == [TOKEN_PATH, GRAPHQL_PATH]
    dumped = json.dumps(report.to_json_dict())
    assert TOKEN not in dumped
    assert_no_secret(dumped)


async def test_check_stops_at_a_failing_token_and_never_asks_graphql() -> None:
    def respond(seen: Seen) -> Reply:
        if seen.path == TOKEN_PATH:
            return Reply.text(503, "down for maintenance")
        return Reply.json(200, {"data": companies(5280101)})

    with FaultServer(respond) as srv:
        report = await run_check(service(srv), SECRET, options=LIMITS)
    assert not report.ok and report.exit_code == ExitCode.NETWORK
    assert report.error is not None and report.error.error == "HttpStatusError"
    assert [s.path for s in srv.seen] == [TOKEN_PATH] * (LIMITS.max_retries + 1)


async def test_check_passes_when_the_server_behaves() -> None:
    """The control case: the same server, well-behaved, gives a green report."""
    with FaultServer(routed(Reply.json(200, {"data": companies(5280101)}))) as srv:
        report = await run_check(service(srv), SECRET, options=LIMITS)
    assert report.ok and report.exit_code == ExitCode.OK
    assert report.companies_reached[0].company_no == 5280101


async def test_check_survives_an_absurd_expires_in() -> None:
    def respond(seen: Seen) -> Reply:
        return Reply(body=token_json(expires_in=10**20))

    with FaultServer(respond) as srv:
        report = await run_check(service(srv), SECRET, options=LIMITS, graphql=False)
    assert report.ok, report.error
