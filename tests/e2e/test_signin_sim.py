"""The simulator's browser sign-in, driven with plain HTTP: authorize, login, consent, code,
refresh, end-session, and which companies a signed-in user's token reaches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.signin_helpers import web_secret, web_seed
from tests.sim_helpers import PROBE_QUERY, basic_header, graphql
from wizard.core.oidc import pkce
from wizard.simulator import DEMO_CLIENT_ID, DEMO_WEB_CLIENT_ID, Simulator

PORT = 44321  # only a registered URI here: nothing listens on it
REDIRECT = f"https://app.local:{PORT}/signin-oidc"
SCOPES = "openid profile email offline_access business-graphql-api:access-group-based"
VERIFIER = pkce.new_verifier()


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(web_seed(PORT)) as running:
        yield running


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as client:
        yield client


def authorize(sim: Simulator, http: httpx.Client, **changes: str | None) -> httpx.Response:
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": DEMO_WEB_CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": SCOPES,
        "state": "s1",
        "nonce": "n1",
        "code_challenge": pkce.challenge(VERIFIER),
        "code_challenge_method": "S256",
    }
    params.update(changes)
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return http.get(f"{sim.authorize_url}?{query}")


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, page
    return found.group(1)


def signed_in(
    sim: Simulator, http: httpx.Client, decision: str = "allow", **changes: str | None
) -> dict[str, list[str]]:
    login = authorize(sim, http, **changes)
    assert login.status_code == 200, login.text
    request_id = hidden(login.text, "request_id")
    consent = http.post(
        sim.base_url + "/connect/authorize/login",
        data={"request_id": request_id, "username": "demo", "password": "demo"},
    )
    assert "decision" in consent.text
    back = http.post(
        sim.base_url + "/connect/authorize/consent",
        data={"request_id": hidden(consent.text, "request_id"), "decision": decision},
    )
    assert back.status_code == 302
    location = back.headers["location"]
    assert location.startswith(REDIRECT + "?")
    return parse_qs(urlsplit(location).query)


def exchange(sim: Simulator, http: httpx.Client, code: str = "", **changes: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": VERIFIER,
        **changes,
    }
    auth = basic_header(DEMO_WEB_CLIENT_ID, web_secret(sim).get_secret_value())
    return http.post(sim.token_url, data=form, headers={"Authorization": auth})


def error_of(back: dict[str, list[str]]) -> str:
    return back["error"][0]


def test_code_flow_round_trip(sim: Simulator, http: httpx.Client) -> None:
    back = signed_in(sim, http)
    assert back["state"] == ["s1"] and back["iss"] == [sim.base_url]
    answer = exchange(sim, http, back["code"][0])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "Bearer" and body["scope"] == SCOPES
    assert {"access_token", "id_token", "refresh_token"} <= set(body)
    import jwt

    claims = jwt.decode(body["id_token"], options={"verify_signature": False})
    person = sim.seed.person("demo")
    assert person is not None
    assert claims["aud"] == DEMO_WEB_CLIENT_ID and claims["nonce"] == "n1"
    assert claims["sub"] == person.sub and claims["email"] == person.email
    data = graphql(http, sim.graphql_url, body["access_token"], PROBE_QUERY).json()["data"]
    own = [c.company_id for c in sim.seed.companies if c.customer_id in person.customers]
    assert [c["vismaNetCompanyId"] for c in data["availableCompanies"]["items"]] == own
    assert data["availableCustomers"]["totalCount"] == len(person.customers)


def test_a_code_is_good_once(sim: Simulator, http: httpx.Client) -> None:
    code = signed_in(sim, http)["code"][0]
    assert exchange(sim, http, code).status_code == 200
    again = exchange(sim, http, code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "changes",
    [
        {"code_verifier": pkce.new_verifier()},
        {"code_verifier": ""},
        {"redirect_uri": f"https://app.local:{PORT + 1}/signin-oidc"},
        {"code": "made-up"},
    ],
)
def test_exchange_refusals_are_invalid_grant(
    sim: Simulator, http: httpx.Client, changes: dict[str, str]
) -> None:
    changes = {"code": signed_in(sim, http)["code"][0], **changes}
    answer = exchange(sim, http, **changes)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_wrong_secret_is_invalid_client_before_the_code(sim: Simulator, http: httpx.Client) -> None:
    code = signed_in(sim, http)["code"][0]
    answer = http.post(
        sim.token_url,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT},
        headers={"Authorization": basic_header(DEMO_WEB_CLIENT_ID, "wrong")},
    )
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_refresh_token_works_once(sim: Simulator, http: httpx.Client) -> None:
    body = exchange(sim, http, signed_in(sim, http)["code"][0]).json()
    auth = {"Authorization": basic_header(DEMO_WEB_CLIENT_ID, web_secret(sim).get_secret_value())}
    form = {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]}
    fresh = http.post(sim.token_url, data=form, headers=auth)
    assert fresh.status_code == 200 and fresh.json()["refresh_token"] != body["refresh_token"]
    reused = http.post(sim.token_url, data=form, headers=auth)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"


def test_no_offline_access_no_refresh_token(sim: Simulator, http: httpx.Client) -> None:
    code = signed_in(sim, http, scope="openid business-graphql-api:access-group-based")["code"][0]
    assert "refresh_token" not in exchange(sim, http, code).json()


def test_denied_consent_goes_back_with_access_denied(sim: Simulator, http: httpx.Client) -> None:
    back = signed_in(sim, http, decision="deny")
    assert error_of(back) == "access_denied" and back["state"] == ["s1"]
    assert "code" not in back


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"scope": "business-graphql-api:access-group-based"}, "invalid_scope"),
        ({"scope": "openid business-graphql-service-api:access-group-based"}, "invalid_scope"),
    ],
)
def test_bad_requests_go_back_with_an_error(
    sim: Simulator, http: httpx.Client, changes: dict[str, Any], error: str
) -> None:
    answer = authorize(sim, http, **changes)
    assert answer.status_code == 302
    back = parse_qs(urlsplit(answer.headers["location"]).query)
    assert error_of(back) == error and back["state"] == ["s1"]


@pytest.mark.parametrize(
    "changes",
    [
        {"redirect_uri": f"https://app.local:{PORT}/signin-oidc/"},
        {"redirect_uri": f"http://app.local:{PORT}/signin-oidc"},
        {"redirect_uri": None},
        {"client_id": "isv_nobody"},
        {"client_id": DEMO_CLIENT_ID},  # a service: no browser sign-in
    ],
)
def test_untrusted_redirects_are_never_followed(
    sim: Simulator, http: httpx.Client, changes: dict[str, Any]
) -> None:
    answer = authorize(sim, http, **changes)
    assert answer.status_code == 400 and "location" not in answer.headers
    assert answer.headers["content-type"].startswith("text/html")


def test_wrong_password_shows_the_form_again_escaped(sim: Simulator, http: httpx.Client) -> None:
    login = authorize(sim, http)
    again = http.post(
        sim.base_url + "/connect/authorize/login",
        data={"request_id": hidden(login.text, "request_id"), "username": "<x>", "password": "no"},
    )
    assert again.status_code == 200 and "Wrong user name or password" in again.text
    assert "<x>" not in again.text


def test_pages_escape_the_request(sim: Simulator, http: httpx.Client) -> None:
    answer = authorize(sim, http, redirect_uri="https://app.local/<script>alert(1)</script>")
    assert "<script>" not in answer.text and "&lt;script&gt;" in answer.text


def test_end_session_and_discovery(sim: Simulator, http: httpx.Client) -> None:
    assert "Signed out" in http.get(sim.end_session_url).text
    doc = http.get(sim.discovery_url).json()
    assert doc["end_session_endpoint"] == sim.end_session_url
    assert {"authorization_code", "refresh_token"} <= set(doc["grant_types_supported"])
    assert "profile" in doc["scopes_supported"]
