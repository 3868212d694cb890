"""The simulator over real HTTP on loopback: Visma Connect's token rules and Business NXT's
User-table-driven access, as the wizard and CI users will meet them."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import httpx
import jwt
import pytest
from pydantic import ValidationError

from tests.sim_helpers import (
    PROBE_QUERY,
    basic_header,
    graphql,
    naive_basic_header,
    request_token,
    token_for,
)
from wizard.core.visma import SERVICE_SCOPE_READONLY
from wizard.simulator import (
    DEMO_CLIENT_ID,
    DEMO_NEXT_SECRET,
    DEMO_SECRET,
    DEMO_WEB_CLIENT_ID,
    SERVICE_SCOPE,
    WEB_SCOPE,
    PortInUseError,
    SimSeed,
    Simulator,
    load_seed,
)
from wizard.simulator.cli import main, serve_forever

SEED = load_seed()


def secret_of(client_id: str) -> str:
    client = SEED.client(client_id)
    assert client is not None
    return client.secrets[0].get_secret_value()


TRICKY = secret_of("isv_tricky_secret")


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    with Simulator() as running:
        yield running


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


@pytest.fixture(scope="module")
def demo_token(sim: Simulator) -> str:
    with httpx.Client(timeout=5) as client:
        return token_for(client, sim, DEMO_CLIENT_ID, DEMO_SECRET)


def oauth_error(answer: httpx.Response) -> str:
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert set(body) == {"error", "error_description"}
    return str(body["error"])


# --- the seed -------------------------------------------------------------------------------


def test_demo_constants_match_the_packaged_seed() -> None:
    demo = SEED.client(DEMO_CLIENT_ID)
    assert demo is not None and demo.approved and demo.scopes == [SERVICE_SCOPE]
    assert [s.get_secret_value() for s in demo.secrets] == [DEMO_SECRET, DEMO_NEXT_SECRET]
    assert DEMO_SECRET not in repr(SEED)
    row = SEED.user_row(DEMO_CLIENT_ID)
    assert row is not None and row.connect_application
    assert [a.company_no for a in row.access] == [5280101, 5280102]
    assert len(SEED.companies) == 3 and len(SEED.customers) == 2
    assert all(c in TRICKY for c in "+%: ")


def test_seed_rejects_a_company_of_an_unknown_customer() -> None:
    raw = json.loads((resources.files("wizard.simulator") / "seed.json").read_text())
    raw["companies"][0]["vismaNetCustomerId"] = 42
    with pytest.raises(ValidationError, match="customer 42"):
        SimSeed.model_validate(raw)


def test_import_does_not_load_crypto() -> None:
    code = (
        "import sys, wizard.simulator; "
        "print('jwt' in sys.modules, 'cryptography' in sys.modules, 'graphql' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


# --- discovery and keys ---------------------------------------------------------------------


def test_discovery_names_this_simulator(sim: Simulator, http: httpx.Client) -> None:
    doc = http.get(sim.discovery_url).json()
    assert doc["issuer"] == sim.base_url
    assert doc["token_endpoint"] == sim.token_url
    assert doc["authorization_endpoint"] == sim.authorize_url
    assert doc["jwks_uri"] == sim.jwks_url
    assert doc["userinfo_endpoint"].endswith("/connect/userinfo")
    assert doc["end_session_endpoint"].endswith("/connect/endsession")
    assert "client_credentials" in doc["grant_types_supported"]
    assert doc["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
    assert {SERVICE_SCOPE, WEB_SCOPE} <= set(doc["scopes_supported"])


def test_token_is_an_rs256_jwt_signed_by_the_published_key(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    keys = http.get(sim.jwks_url).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["kid"]
    assert jwt.get_unverified_header(demo_token) == {
        "alg": "RS256",
        "kid": keys[0]["kid"],
        "typ": "JWT",
    }
    key = jwt.PyJWK(keys[0])
    claims = jwt.decode(
        demo_token,
        key,
        algorithms=["RS256"],
        issuer=sim.base_url,
        audience="business-graphql-service-api",
    )
    assert claims["sub"] == claims["client_id"] == DEMO_CLIENT_ID
    assert claims["scope"] == SERVICE_SCOPE
    assert claims["exp"] - claims["iat"] == 3600 and claims["nbf"] == claims["iat"]
    assert len(claims["jti"]) >= 16


# --- the token endpoint ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["basic", "post"])
@pytest.mark.parametrize("secret", [DEMO_SECRET, DEMO_NEXT_SECRET])
def test_token_by_basic_and_by_post_with_either_secret(
    sim: Simulator, http: httpx.Client, method: str, secret: str
) -> None:
    answer = request_token(http, sim, DEMO_CLIENT_ID, secret, method=method, tenant_id="t-1")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == SERVICE_SCOPE
    assert answer.headers["cache-control"] == "no-store"


def test_tricky_secret_needs_rfc6749_basic_encoding(sim: Simulator, http: httpx.Client) -> None:
    form = {"grant_type": "client_credentials"}
    good = http.post(
        sim.token_url,
        data=form,
        headers={"Authorization": basic_header("isv_tricky_secret", TRICKY)},
    )
    assert good.status_code == 200, good.text
    naive = http.post(
        sim.token_url,
        data=form,
        headers={"Authorization": naive_basic_header("isv_tricky_secret", TRICKY)},
    )
    assert naive.status_code == 401 and oauth_error(naive) == "invalid_client"
    posted = request_token(http, sim, "isv_tricky_secret", TRICKY, method="post")
    assert posted.status_code == 200


@pytest.mark.parametrize("method", ["basic", "post"])
def test_wrong_secret_is_invalid_client(sim: Simulator, http: httpx.Client, method: str) -> None:
    answer = request_token(http, sim, DEMO_CLIENT_ID, DEMO_SECRET + "x", method=method)
    assert answer.status_code == 401 and oauth_error(answer) == "invalid_client"
    challenge = answer.headers.get("www-authenticate", "")
    assert challenge.startswith("Basic") == (method == "basic")
    assert DEMO_SECRET not in answer.text


@pytest.mark.parametrize("client_id", ["isv_pending_app", "isv_nobody_registered"])
def test_pending_or_unknown_client_is_invalid_client(
    sim: Simulator, http: httpx.Client, client_id: str
) -> None:
    secret = secret_of("isv_pending_app")
    answer = request_token(http, sim, client_id, secret)
    assert answer.status_code == 401 and oauth_error(answer) == "invalid_client"


def test_scope_rules(sim: Simulator, http: httpx.Client) -> None:
    missing = request_token(http, sim, "isv_no_integration", secret_of("isv_no_integration"))
    assert missing.status_code == 400 and oauth_error(missing) == "invalid_scope"
    other = request_token(http, sim, DEMO_CLIENT_ID, DEMO_SECRET, scope=WEB_SCOPE)
    assert other.status_code == 400 and oauth_error(other) == "invalid_scope"
    exact = request_token(http, sim, DEMO_CLIENT_ID, DEMO_SECRET, scope=SERVICE_SCOPE)
    assert exact.json()["scope"] == SERVICE_SCOPE
    web_scopes = f"{WEB_SCOPE} openid"
    web = request_token(
        http, sim, DEMO_WEB_CLIENT_ID, secret_of(DEMO_WEB_CLIENT_ID), scope=web_scopes
    )
    assert web.json()["scope"] == web_scopes


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": "authorization_code", "code": "x"}, "unauthorized_client"),
        ({"grant_type": "refresh_token", "refresh_token": "x"}, "unauthorized_client"),
        ({}, "invalid_request"),
    ],
)
def test_grant_type_rules(
    sim: Simulator, http: httpx.Client, form: dict[str, str], expected: str
) -> None:
    headers = {"Authorization": basic_header(DEMO_CLIENT_ID, DEMO_SECRET)}
    answer = http.post(sim.token_url, data=form, headers=headers)
    assert answer.status_code == 400 and oauth_error(answer) == expected


def test_client_must_authenticate_exactly_once(sim: Simulator, http: httpx.Client) -> None:
    both = http.post(
        sim.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_SECRET,
        },
        headers={"Authorization": basic_header(DEMO_CLIENT_ID, DEMO_SECRET)},
    )
    assert both.status_code == 400 and oauth_error(both) == "invalid_request"
    neither = http.post(sim.token_url, data={"grant_type": "client_credentials"})
    assert neither.status_code == 400 and oauth_error(neither) == "invalid_request"
    id_only = http.post(
        sim.token_url, data={"grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID}
    )
    assert oauth_error(id_only) == "invalid_request"


def test_token_request_must_be_a_sane_form(sim: Simulator, http: httpx.Client) -> None:
    auth = {"Authorization": basic_header(DEMO_CLIENT_ID, DEMO_SECRET)}
    as_json = http.post(sim.token_url, json={"grant_type": "client_credentials"}, headers=auth)
    assert as_json.status_code == 400 and oauth_error(as_json) == "invalid_request"
    twice = http.post(
        sim.token_url,
        content=b"grant_type=client_credentials&grant_type=client_credentials",
        headers={**auth, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert oauth_error(twice) == "invalid_request"
    bad_basic = http.post(
        sim.token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic !!"},
    )
    assert oauth_error(bad_basic) == "invalid_request"
    huge = http.post(sim.token_url, data={"grant_type": "x" * 100_000}, headers=auth)
    assert huge.status_code == 413


def test_unknown_paths_and_methods(sim: Simulator, http: httpx.Client) -> None:
    missing = http.get(sim.base_url + "/connect/nothing?client_secret=abc")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
    wrong = http.get(sim.token_url)
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert ("GET", "/connect/nothing", 404) in sim.requests


def test_request_log_holds_no_secrets(sim: Simulator, http: httpx.Client) -> None:
    request_token(http, sim, DEMO_CLIENT_ID, DEMO_SECRET, method="post")
    log = repr(sim.requests)
    assert ("POST", "/connect/token", 200) in sim.requests
    assert DEMO_SECRET not in log and "abc" not in log


# --- GraphQL --------------------------------------------------------------------------------


def test_probe_returns_only_granted_companies(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    answer = graphql(http, sim.graphql_service_url, demo_token, PROBE_QUERY)
    assert answer.status_code == 200
    data = answer.json()["data"]
    assert "errors" not in answer.json()
    companies = data["availableCompanies"]
    assert companies["totalCount"] == 2
    assert [c["vismaNetCompanyId"] for c in companies["items"]] == [5280101, 5280102]
    assert data["availableCustomers"] == {
        "totalCount": 1,
        "items": [{"name": "Nordlys Bakeri AS", "vismaNetCustomerId": 5001234}],
    }


def test_web_client_credentials_token_reaches_no_company(
    sim: Simulator, http: httpx.Client
) -> None:
    """Nobody signed in, so nobody's Visma.net rights apply (tests/e2e/test_signin_sim.py has the
    signed-in user's companies)."""
    token = token_for(http, sim, DEMO_WEB_CLIENT_ID, secret_of(DEMO_WEB_CLIENT_ID))
    data = graphql(http, sim.graphql_url, token, PROBE_QUERY).json()["data"]
    assert data["availableCompanies"]["totalCount"] == 0
    assert data["availableCustomers"]["totalCount"] == 0


@pytest.mark.parametrize("client_id", ["isv_no_user_row", "isv_unticked_user"])
def test_service_without_a_ticked_user_row_reaches_no_company(
    sim: Simulator, http: httpx.Client, client_id: str
) -> None:
    """Not documented: the simulator's assumption (README) is an empty list, no error."""
    token = token_for(http, sim, client_id, secret_of(client_id))
    answer = graphql(http, sim.graphql_service_url, token, PROBE_QUERY)
    assert answer.status_code == 200
    body = answer.json()
    assert "errors" not in body
    assert body["data"]["availableCompanies"] == {"totalCount": 0, "items": []}
    assert body["data"]["availableCustomers"] == {"totalCount": 0, "items": []}


def test_user_row_without_access_rows_reaches_nothing(sim: Simulator, http: httpx.Client) -> None:
    token = token_for(http, sim, "isv_no_company_access", secret_of("isv_no_company_access"))
    data = graphql(http, sim.graphql_service_url, token, PROBE_QUERY).json()["data"]
    assert data["availableCompanies"] == {"totalCount": 0, "items": []}


def assert_gateway_401(answer: httpx.Response) -> None:
    """features/errors: a failed authorization is the gateway's HTML page, not JSON."""
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "text/html"
    assert "<title>401 Authorization Required</title>" in answer.text
    assert "<center>nginx</center>" in answer.text


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not.a.jwt", "Basic abc"])
def test_missing_or_garbage_bearer_is_the_gateways_401_page(
    sim: Simulator, http: httpx.Client, header: str | None
) -> None:
    headers = {"Authorization": header} if header else {}
    answer = http.post(sim.graphql_service_url, json={"query": PROBE_QUERY}, headers=headers)
    assert_gateway_401(answer)


def test_expired_token_is_the_gateways_401_page(sim: Simulator, http: httpx.Client) -> None:
    token = sim.issue_token(DEMO_CLIENT_ID, [SERVICE_SCOPE], lifetime=-120)
    assert_gateway_401(graphql(http, sim.graphql_service_url, token, PROBE_QUERY))


def test_token_for_the_other_api_is_the_gateways_401_page(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    assert_gateway_401(graphql(http, sim.graphql_url, demo_token, PROBE_QUERY))
    web_token = token_for(http, sim, DEMO_WEB_CLIENT_ID, secret_of(DEMO_WEB_CLIENT_ID))
    assert_gateway_401(graphql(http, sim.graphql_service_url, web_token, PROBE_QUERY))


def test_the_read_only_service_scope_opens_the_service_api(
    sim: Simulator, http: httpx.Client
) -> None:
    client = "isv_readonly_app"
    answer = request_token(http, sim, client, secret_of(client), scope=SERVICE_SCOPE_READONLY)
    token = answer.json()["access_token"]
    assert answer.json()["scope"] == SERVICE_SCOPE_READONLY
    reply = graphql(http, sim.graphql_service_url, token, PROBE_QUERY)
    assert reply.status_code == 200
    assert reply.json()["data"]["availableCompanies"]["totalCount"] == 1
    assert_gateway_401(graphql(http, sim.graphql_url, token, PROBE_QUERY))


CUSTOMERS = """
query Customers($cid: Int, $first: Int, $after: String) {
  useCompany(no: $cid) {
    customer(first: $first, after: $after) {
      totalCount
      items { customerNo name }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


def test_use_company_pages_through_the_customer_table(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    seen: list[int] = []
    after = None
    for _ in range(5):
        variables = {"cid": 5280101, "first": 2, "after": after}
        body = graphql(
            http, sim.graphql_service_url, demo_token, CUSTOMERS, variables=variables
        ).json()
        assert "errors" not in body
        page = body["data"]["useCompany"]["customer"]
        assert page["totalCount"] == 5
        seen += [item["customerNo"] for item in page["items"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [10001, 10002, 10003, 10004, 10005]


def test_use_company_on_an_unreachable_company_is_the_documented_access_error(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    """features/errors: HTTP 200, the field null, and the error naming the company."""
    variables = {"cid": 5199203, "first": 1}
    answer = graphql(http, sim.graphql_service_url, demo_token, CUSTOMERS, variables=variables)
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"] == {"useCompany": {"customer": None}}
    [error] = body["errors"]
    assert error["message"] == (
        "Error: Could not get authorize user using VismaNetCompanyId: 5199203. "
        "Description: External integration error. Status: 18."
    )


def test_past_the_rate_limit_the_answer_is_429_with_retry_after(http: httpx.Client) -> None:
    with Simulator(rate_limit=3) as limited:
        token = token_for(http, limited, DEMO_CLIENT_ID, DEMO_SECRET)
        codes = [
            graphql(http, limited.graphql_service_url, token, PROBE_QUERY).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        refused = graphql(http, limited.graphql_service_url, token, PROBE_QUERY)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "3 requests a minute" in refused.json()["errors"][0]["message"]
        other = token_for(http, limited, DEMO_CLIENT_ID, DEMO_NEXT_SECRET)
        assert graphql(http, limited.graphql_service_url, other, PROBE_QUERY).status_code == 200


def test_the_packaged_limit_is_the_documented_one() -> None:
    assert Simulator().limiter.limit == 600


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ useKompany { name } }", "Cannot query field 'useKompany' on type 'Query'."),
        (
            "{ availableCompanies { items { nmae } } }",
            "Cannot query field 'nmae' on type 'AvailableCompany'. Did you mean 'name'?",
        ),
        (
            "{ availableCompanies { items } }",
            "Field 'items' of type '[AvailableCompany]' must have",
        ),
        ("{ availableCompanies { totalCount { x } } }", "Field 'totalCount' must not have"),
        ("{ availableCompanies { items { name } }", "Syntax Error: Expected Name, found <EOF>."),
        ("mutation { availableCompanies { totalCount } }", "not configured to execute mutation"),
        ("{ ...Frag }", "Unknown fragment 'Frag'."),
        ('{ useCompany(no: "x") { customer { totalCount } } }', "Int cannot represent"),
    ],
)
def test_bad_queries_give_an_errors_array(
    sim: Simulator, http: httpx.Client, demo_token: str, query: str, message: str
) -> None:
    answer = graphql(http, sim.graphql_service_url, demo_token, query)
    assert answer.status_code == 200
    body = answer.json()
    assert body["data"] is None
    assert message in body["errors"][0]["message"]


def test_answer_holds_only_the_requested_fields(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    query = """
    # a comment, commas and arguments are fine
    query Only($first: Int = 10) {
      companies: availableCompanies(first: $first) { items { vismaNetCompanyId, __typename } }
    }
    """
    answer = graphql(http, sim.graphql_service_url, demo_token, query, variables={"first": 5})
    assert answer.json() == {
        "data": {
            "companies": {
                "items": [
                    {"vismaNetCompanyId": 5280101, "__typename": "AvailableCompany"},
                    {"vismaNetCompanyId": 5280102, "__typename": "AvailableCompany"},
                ]
            }
        }
    }


def test_operation_name_picks_one_of_several(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    query = (
        "query A { availableCustomers { totalCount } } "
        "query B { availableCompanies { totalCount } }"
    )
    picked = graphql(http, sim.graphql_service_url, demo_token, query, operationName="B")
    assert picked.json() == {"data": {"availableCompanies": {"totalCount": 2}}}
    ambiguous = graphql(http, sim.graphql_service_url, demo_token, query)
    assert "Must provide operation name" in ambiguous.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    "body",
    [b"{not json", b'{"variables": {}}', b'["query"]', b'{"query": "{ x }", "variables": 3}'],
)
def test_malformed_graphql_body_is_400(
    sim: Simulator, http: httpx.Client, demo_token: str, body: bytes
) -> None:
    answer = http.post(
        sim.graphql_service_url,
        content=body,
        headers={"Authorization": f"Bearer {demo_token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"]


def test_syntax_errors_say_where_the_parser_stopped(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    query = "{\n  availableCompanies {\n    items { name ) }\n  }\n}"
    [error] = graphql(http, sim.graphql_service_url, demo_token, query).json()["errors"]
    assert error["locations"] == [{"line": 3, "column": 18}]
    assert error["message"].startswith("Syntax Error")


# --- life cycle -----------------------------------------------------------------------------


def test_two_simulators_side_by_side(sim: Simulator, http: httpx.Client, demo_token: str) -> None:
    with Simulator() as other:
        assert other.base_url != sim.base_url
        own = token_for(http, other, DEMO_CLIENT_ID, DEMO_SECRET)
        assert graphql(http, other.graphql_service_url, own, PROBE_QUERY).status_code == 200
        foreign = graphql(http, other.graphql_service_url, demo_token, PROBE_QUERY)
        assert_gateway_401(foreign)


def test_stop_frees_the_port_and_cuts_open_connections(http: httpx.Client) -> None:
    running = Simulator().start()
    port = running.port
    assert http.get(running.discovery_url).status_code == 200  # keeps a pooled connection
    running.stop()
    running.stop()
    with pytest.raises(httpx.TransportError):
        http.get(f"http://127.0.0.1:{port}/.well-known/openid-configuration")
    with Simulator(port=port) as again:  # the listening socket is gone: the port binds again
        assert http.get(again.discovery_url).status_code == 200


def test_busy_port_is_a_one_line_oserror(
    sim: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(PortInUseError) as caught:
        Simulator(port=sim.port).start()
    assert isinstance(caught.value, OSError)
    assert str(caught.value).count("\n") == 0 and str(sim.port) in str(caught.value)
    assert main(["--port", str(sim.port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: Port") and err.count("\n") == 1


def test_serve_forever_prints_the_demo_credentials_and_stops_cleanly() -> None:
    out, stop = io.StringIO(), threading.Event()
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(serve_forever(0, out=out, stop=stop)))
    worker.start()
    deadline = time.monotonic() + 5
    while "Ctrl+C" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    worker.join(5)
    text = out.getvalue()
    assert result == [0]
    for expected in (
        DEMO_CLIENT_ID,
        DEMO_SECRET,
        DEMO_NEXT_SECRET,
        SERVICE_SCOPE,
        "5280101",
        "5280102",
    ):
        assert expected in text
    assert "/connect/token" in text and text.rstrip().endswith("Simulator stopped.")


def test_main_reports_a_bad_seed_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "seed.json"
    bad.write_text('{"customers": []}')
    assert main(["--seed", str(bad)]) == 1
    assert main(["--seed", str(tmp_path / "missing.json")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and all(line.startswith("error: ") for line in lines)


def test_a_running_simulator_reads_a_swapped_seed(
    sim: Simulator, http: httpx.Client, demo_token: str
) -> None:
    world = SEED.model_copy(deep=True)
    row = world.user_row(DEMO_CLIENT_ID)
    assert row is not None
    row.access = row.access[:1]
    original, sim.seed = sim.seed, world
    try:
        data = graphql(http, sim.graphql_service_url, demo_token, PROBE_QUERY).json()["data"]
    finally:
        sim.seed = original
    assert data["availableCompanies"]["totalCount"] == 1
