"""Small helpers for tests that talk to the simulator over real HTTP."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote_plus

import httpx

from wizard.simulator import Simulator

PROBE_QUERY = """
query Probe {
  availableCustomers { totalCount items { name vismaNetCustomerId } }
  availableCompanies { totalCount items { name vismaNetCompanyId vismaNetCustomerId } }
}
"""


def basic_header(client_id: str, secret: str) -> str:
    """HTTP Basic as RFC 6749 2.3.1 wants it: form-encode each part, then base64."""
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}"
    return "Basic " + base64.b64encode(raw.encode()).decode()


def naive_basic_header(client_id: str, secret: str) -> str:
    """The common mistake: base64 of ``id:secret`` with no form-encoding."""
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def request_token(
    client: httpx.Client,
    sim: Simulator,
    client_id: str,
    secret: str,
    *,
    method: str = "basic",
    **form: str,
) -> httpx.Response:
    data = {"grant_type": "client_credentials", **form}
    headers = {}
    if method == "basic":
        headers["Authorization"] = basic_header(client_id, secret)
    else:
        data |= {"client_id": client_id, "client_secret": secret}
    return client.post(sim.token_url, data=data, headers=headers)


def token_for(client: httpx.Client, sim: Simulator, client_id: str, secret: str) -> str:
    answer = request_token(client, sim, client_id, secret)
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    assert isinstance(token, str)
    return token


def graphql(
    client: httpx.Client, url: str, token: str | None, query: str, **extra: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(url, json={"query": query, **extra}, headers=headers)
