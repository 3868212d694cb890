"""`bnxt-wizard check` against a faulty server: exit 5, a clear message, nothing verified.

The CLI runs in-process (``wizard.cli.main``) with the temporary config folder conftest
sets up; the secret reaches ``init`` through stdin only.
"""

from __future__ import annotations

import json

import pytest

from tests.faults.conftest import Cli
from tests.faults.helpers import CANARY, HANG, assert_no_secret, timed, token_json
from tests.faults.server import FaultServer, Reply

TOKEN_PATH = "/connect/token"

# One of each kind (timeout, retried status, bad body, size, redirect); the core tests
# cover every variant, this proves none of them reaches verified_at through the CLI.
FAULTS = {
    "silent": (Reply(silence=30), "Timed out"),
    "503": (Reply.text(503, "maintenance"), "HTTP 503"),
    "not-json": (Reply.text(200, "hello"), "not with a JSON object"),
    "not-bearer": (Reply(body=token_json(token_type="mac")), "token_type 'mac'"),
    "megabytes": (Reply(body=b"x" * (4 << 20), length=False), "1,000,000 bytes"),
    "redirect": (Reply(status=302, headers=(("Location", "http://evil.test/x"),)), "evil.test"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_failed_check_exits_5_and_never_marks_the_profile_verified(cli: Cli, fault: str) -> None:
    reply, said = FAULTS[fault]
    with FaultServer(reply) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url("/graphql"), CANARY)
        with timed() as clock:
            result = cli("check", "--timeout", "1")
    assert clock.elapsed < HANG, f"check took {clock.elapsed:.2f} s"
    assert result.code == 5, result.out + result.err
    assert "Result: FAILED (exit code 5)" in result.out
    assert said in result.out
    assert cli.verified_at() is None
    assert 1 <= len(srv.seen) <= 3  # the CLI's default max_retries is 2
    assert not any(s.path == "/graphql" for s in srv.seen)
    assert_no_secret(result.out, result.err)


def test_failed_check_as_json_says_why_and_leaves_verified_at_unset(cli: Cli) -> None:
    with FaultServer(Reply.html(502, "<title>Bad Gateway</title>")) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url("/graphql"), CANARY)
        result = cli("check", "--json", "--timeout", "1")
    data = json.loads(result.out)
    assert result.code == 5 and data["ok"] is False and data["exit_code"] == 5
    assert data["error"]["error"] == "HttpStatusError"
    assert "HTTP 502" in data["error"]["message"] and "Bad Gateway" in data["error"]["message"]
    assert "HTML page" in data["error"]["hint"]
    assert 1 <= len(srv.seen) <= 3
    assert cli.verified_at() is None
    assert_no_secret(result.out, result.err)


def test_a_good_server_does_mark_it_verified(cli: Cli) -> None:
    """The control case: the same steps against a well-behaved server set verified_at."""
    with FaultServer(Reply(body=token_json())) as srv:
        cli.init(srv.url(TOKEN_PATH), srv.url("/graphql"), CANARY)
        result = cli("check", "--no-graphql", "--timeout", "2")
    assert result.code == 0, result.out + result.err
    assert cli.verified_at() is not None
