"""What every fault test shares: the canary secret, tight client limits, a profile, a clock."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from pydantic import SecretStr

from wizard.core.connect import ClientOptions
from wizard.core.models import CompanyGrant, Endpoints, Profile

CANARY = "canary-F4ult+%: zz"
SECRET = SecretStr(CANARY)
CLIENT_ID = "isv_fault"
SCOPE = "business-graphql-service-api:access-group-based"

# Small limits keep the folder fast; backoff is short but long enough to be measured.
LIMITS = ClientOptions(
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=3.0,
    max_retries=2,
    backoff_base=0.05,
    retry_after_cap=0.2,
)

# How long a failing request may take at most: far above what any of these needs on a loaded
# machine, far below the 30 s a silent or dripping server holds a request no limit stops.
# (What is retried and which limit fired is asserted from the requests and the message.)
HANG = 10.0


def profile(token_url: str, graphql_url: str = "http://127.0.0.1:9/graphql") -> Profile:
    return Profile(
        app_type="service",
        app_name="Fault test",
        client_id=CLIENT_ID,
        endpoints=Endpoints(token_url=token_url, graphql_url=graphql_url, scope=SCOPE),
        companies=[CompanyGrant(company_no=5280101, access_group="Full access")],
    )


def secret_forms(secret: str = CANARY, client_id: str = CLIENT_ID) -> list[str]:
    """Every shape the secret travels in: raw, form-encoded, inside the Basic header."""
    basic = base64.b64encode(f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()).decode()
    return [secret, quote_plus(secret), basic, basic[:24]]


def assert_no_secret(*texts: object) -> None:
    for text in texts:
        for form in secret_forms():
            assert form not in str(text), f"secret leaked as {form!r}"


def token_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "access_token": "tok-" + "a" * 40,
        "token_type": "Bearer",
        "expires_in": 3600,
        "scope": SCOPE,
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not None}


def token_json(**changes: Any) -> bytes:
    return json.dumps(token_body(**changes)).encode()


@dataclass
class Clock:
    started: float
    elapsed: float = 0.0


@contextmanager
def timed() -> Iterator[Clock]:
    clock = Clock(time.monotonic())
    try:
        yield clock
    finally:
        clock.elapsed = time.monotonic() - clock.started
