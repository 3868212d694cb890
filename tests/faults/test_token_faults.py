"""The token request against a real loopback server that misbehaves on purpose.

Every case ends with a typed error (class, exit code), a message that names the host, the
status or the limit, a bounded total time, a server-side count of requests that proves
retries stay within ``max_retries`` (and that a plain 4xx is never repeated), and no trace
of the secret.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from tests.faults.helpers import (
    CANARY,
    HANG,
    LIMITS,
    SECRET,
    assert_no_secret,
    profile,
    timed,
    token_json,
)
from tests.faults.server import FaultServer, Reply, Script, Seen
from wizard.core.connect import ClientOptions, request_token
from wizard.core.errors import (
    HttpStatusError,
    MalformedResponse,
    NetworkError,
    OAuthError,
    WizardError,
)
from wizard.core.exitcodes import ExitCode
from wizard.core.tokens import Token

PATH = "/connect/token"
SHORT_READ = replace(LIMITS, read_timeout=0.5)


async def refused(
    script: Script, options: ClientOptions = LIMITS, *, budget: float = HANG
) -> tuple[WizardError, FaultServer]:
    """Run the token request against ``script``; it must fail within ``budget`` seconds."""
    with FaultServer(script) as srv, timed() as clock:
        with pytest.raises(WizardError) as info:
            await request_token(profile(srv.url(PATH)), SECRET, options=options)
    assert clock.elapsed < budget, f"took {clock.elapsed:.2f} s"
    error = info.value
    assert_no_secret(error.message, error.hint, error.title, repr(error), error.to_dict())
    if isinstance(error, NetworkError):
        assert f"127.0.0.1:{srv.port}" in error.message  # which server misbehaved
    if isinstance(error, HttpStatusError):
        assert f"HTTP {error.status_code}" in error.message or f"({error.status_code})" in (
            error.message
        )
    return error, srv


# --- nothing, or not all of it, ever arrives ------------------------------------------


async def test_never_answering_is_a_read_timeout_not_retried() -> None:
    error, srv = await refused(Reply(silence=30), SHORT_READ)
    assert type(error) is NetworkError
    assert error.exit_code is ExitCode.NETWORK
    assert "waiting for the answer" in error.message and "limit 0.5 s" in error.message
    assert len(srv.seen) == 1  # the request left: repeating it is not safe


async def test_stalling_mid_body_is_a_read_timeout() -> None:
    error, srv = await refused(Reply(body=token_json(), cut_at=12), SHORT_READ)
    assert type(error) is NetworkError
    assert "Timed out" in error.title and "limit 0.5 s" in error.message
    assert len(srv.seen) == 1


async def test_dripping_body_is_stopped_by_the_total_limit() -> None:
    # A byte every 0.2 s never trips the 1 s read timeout; only the total limit ends it.
    options = replace(LIMITS, total_timeout=1.2)
    with timed() as clock:
        error, srv = await refused(Reply(body=token_json(), drip=0.2), options)
    assert clock.elapsed >= options.total_timeout - 0.1
    assert type(error) is NetworkError
    assert "after 1.2 s in total" in error.message
    assert len(srv.seen) == 1


async def test_connection_closed_mid_body_is_a_lost_connection() -> None:
    error, srv = await refused(Reply(body=token_json(), cut_at=12, then_stall=False))
    assert type(error) is NetworkError
    assert error.title == "Connection lost"
    assert len(srv.seen) == 1


async def test_an_answer_that_is_not_http_at_all() -> None:
    error, srv = await refused(Reply(raw=b"SSH-2.0-OpenSSH_9.6\r\n"))
    assert type(error) is NetworkError
    assert error.exit_code is ExitCode.NETWORK
    assert len(srv.seen) == 1


# --- server errors: retried within the cap --------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_retried_up_to_the_cap_then_named(status: int) -> None:
    error, srv = await refused(Reply.text(status, "upstream trouble"))
    assert type(error) is HttpStatusError
    assert error.status_code == status and error.exit_code is ExitCode.NETWORK
    assert f"HTTP {status}" in error.message and "upstream trouble" in error.message
    assert "retried" in (error.hint or "")
    assert len(srv.seen) == LIMITS.max_retries + 1
    # Exponential backoff without Retry-After: 0.05 s, then 0.1 s.
    first, second = srv.gaps
    assert first >= LIMITS.backoff_base * 0.9 and second >= LIMITS.backoff_base * 2 * 0.9
    assert max(srv.gaps) < 0.5


async def test_one_503_then_a_token_succeeds() -> None:
    with FaultServer([Reply.text(503, "busy"), Reply(body=token_json())]) as srv:
        token = await request_token(profile(srv.url(PATH)), SECRET, options=LIMITS)
    assert isinstance(token, Token) and token.token_type == "Bearer"
    assert len(srv.seen) == 2


async def test_retry_after_is_honoured() -> None:
    options = replace(LIMITS, retry_after_cap=2.0)
    script = [Reply.text(503, "later", headers=(("Retry-After", "0.4"),)), Reply(body=token_json())]
    with FaultServer(script) as srv:
        await request_token(profile(srv.url(PATH)), SECRET, options=options)
    assert len(srv.seen) == 2
    (gap,) = srv.gaps
    assert 0.38 <= gap < 0.9, f"waited {gap:.3f} s for Retry-After: 0.4"


def _http_date(seconds: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds), usegmt=True)


@pytest.mark.parametrize("asked", ["3600", "1e400", "http-date"])
async def test_retry_after_is_capped(asked: str) -> None:
    value = _http_date(3600) if asked == "http-date" else asked
    error, srv = await refused(Reply.text(503, "later", headers=(("Retry-After", value),)))
    assert type(error) is HttpStatusError and error.status_code == 503
    assert len(srv.seen) == LIMITS.max_retries + 1
    for gap in srv.gaps:
        # at least the cap (backoff alone is shorter); more is bounded by the total limit
        assert LIMITS.retry_after_cap * 0.9 <= gap < LIMITS.total_timeout


async def test_retry_after_past_the_deadline_gives_up_at_once() -> None:
    # Waiting 5 s (the cap) would overrun the 3 s total: better to say so now.
    options = replace(LIMITS, retry_after_cap=5.0)
    error, srv = await refused(Reply.text(503, "later", headers=(("Retry-After", "10"),)), options)
    assert type(error) is HttpStatusError and "HTTP 503" in error.message
    assert len(srv.seen) == 1


async def test_429_is_retried_then_reported_as_rate_limiting() -> None:
    body = {"error": "invalid_client", "error_description": "slow down"}
    error, srv = await refused(Reply.json(429, body))
    assert type(error) is HttpStatusError  # never an OAuth refusal of the credentials
    assert error.exit_code is ExitCode.NETWORK and error.status_code == 429
    assert "HTTP 429" in error.message and "Too many requests" in (error.hint or "")
    assert len(srv.seen) == LIMITS.max_retries + 1


# --- client errors: never retried ------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "kind", "code"),
    [
        (Reply.text(400, "bad request"), HttpStatusError, ExitCode.NETWORK),
        (Reply.text(401, "Unauthorized"), HttpStatusError, ExitCode.CREDENTIALS),
        (Reply.text(403, "Forbidden"), HttpStatusError, ExitCode.CREDENTIALS),
        (Reply.text(404, "Not Found"), HttpStatusError, ExitCode.NETWORK),
        (Reply.json(400, {"error": "invalid_client"}), OAuthError, ExitCode.CREDENTIALS),
        (Reply.json(400, {"error": "invalid_scope"}), OAuthError, ExitCode.SCOPE),
    ],
    ids=["400", "401", "403", "404", "invalid_client", "invalid_scope"],
)
async def test_4xx_is_never_retried(reply: Reply, kind: type[WizardError], code: ExitCode) -> None:
    error, srv = await refused(reply)
    assert type(error) is kind and error.exit_code is code
    assert len(srv.seen) == 1
    assert str(reply.status) in error.message


# --- answers that are not a token -----------------------------------------------------


def _echo_page(seen: Seen) -> Reply:
    """A proxy error page that helpfully quotes the request back, credentials included."""
    quoted = f"{seen.headers.get('authorization', '')} {seen.body.decode()}"
    page = f"<html><head><title>502 Bad Gateway ({quoted})</title></head><body>{quoted}</body>"
    return Reply.html(502, page)


async def test_html_error_page_is_summarised_by_its_title_without_the_secret() -> None:
    error, srv = await refused(_echo_page)
    assert type(error) is HttpStatusError and error.status_code == 502
    assert "502 Bad Gateway" in error.message
    assert "HTML page" in (error.hint or "")
    assert "[redacted]" in error.message
    assert len(srv.seen) == LIMITS.max_retries + 1


def _echo_json(seen: Seen) -> Reply:
    said = {"request": {"headers": seen.headers, "form": seen.body.decode()}}
    return Reply.json(500, said)


async def test_json_error_echoing_the_request_is_scrubbed() -> None:
    error, _srv = await refused(_echo_json)
    assert type(error) is HttpStatusError and "HTTP 500" in error.message


async def test_html_page_with_200_is_malformed() -> None:
    error, srv = await refused(Reply.html(200, "<!doctype html><title>Sign in</title>"))
    assert type(error) is MalformedResponse and error.exit_code is ExitCode.NETWORK
    assert "HTML page" in error.message
    assert len(srv.seen) == 1


async def test_non_json_200_is_malformed() -> None:
    error, _ = await refused(Reply.text(200, "access_token=abc&token_type=bearer"))
    assert type(error) is MalformedResponse and "not with a JSON object" in error.message


async def test_json_without_access_token_names_what_it_has() -> None:
    error, _ = await refused(Reply.json(200, {"token": "abc", "type": "Bearer"}))
    assert type(error) is MalformedResponse
    assert "no access_token" in error.message and "token, type" in error.message


@pytest.mark.parametrize("token_type", ["mac", "DPoP", "", None])
async def test_token_type_other_than_bearer(token_type: str | None) -> None:
    error, _ = await refused(Reply(body=token_json(token_type=token_type)))
    assert type(error) is MalformedResponse and "Bearer" in error.message
    assert ("missing" if token_type is None else f"'{token_type}'") in error.message


async def test_deeply_nested_json_is_malformed_not_a_crash() -> None:
    error, _ = await refused(Reply(body=b"[" * 100_000))
    assert type(error) is MalformedResponse


@pytest.mark.parametrize("expires_in", ["\u00b2", "\u0663\u0666\u0660\u0660"])
async def test_odd_digits_in_expires_in_are_ignored_not_a_crash(expires_in: str) -> None:
    with FaultServer(Reply(body=token_json(expires_in=expires_in))) as srv:
        token = await request_token(profile(srv.url(PATH)), SECRET, options=LIMITS)
    assert token.expires_in is None


async def test_absurd_expires_in_does_not_break_the_summary() -> None:
    with FaultServer(Reply(body=token_json(expires_in=10**20))) as srv:
        token = await request_token(profile(srv.url(PATH)), SECRET, options=LIMITS)
    summary = token.summary()
    assert summary.expires_at is None and json.dumps(summary.model_dump(mode="json"))


# --- too much ---------------------------------------------------------------------------

MEGABYTES = 5


@pytest.mark.parametrize(
    "reply",
    [
        Reply(body=b" " * (MEGABYTES << 20)),  # announced by Content-Length
        Reply(body=b" " * (MEGABYTES << 20), length=False),  # only discovered while reading
        Reply(body=b" " * (MEGABYTES << 20) + token_json(), length=False, gzip=True),  # bomb
    ],
    ids=["content-length", "streamed", "gzip-bomb"],
)
async def test_several_megabytes_are_cut_off_at_the_limit(reply: Reply) -> None:
    error, srv = await refused(reply)
    assert type(error) is MalformedResponse and error.exit_code is ExitCode.NETWORK
    assert f"{LIMITS.max_body_bytes:,} bytes" in error.message
    assert len(srv.seen) == 1


# --- redirects ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirect_to_another_host_is_refused_and_not_followed(status: int) -> None:
    with FaultServer(Reply(body=token_json())) as elsewhere:
        target = elsewhere.url("/steal", host="localhost") + "?code=abc123"
        error, srv = await refused(Reply(status=status, headers=(("Location", target),)))
        assert elsewhere.seen == []  # the credentials never went there
    assert type(error) is HttpStatusError and error.status_code == status
    assert error.exit_code is ExitCode.NETWORK
    assert f"localhost:{elsewhere.port}/steal" in error.message
    assert "abc123" not in error.message  # the query can carry codes: never shown
    assert "never follows redirects" in error.message
    assert len(srv.seen) == 1


async def test_post_auth_secret_in_the_form_is_not_echoed_either() -> None:
    with FaultServer(_echo_json) as srv:
        prof = profile(srv.url(PATH)).model_copy(update={"auth_method": "post"})
        with pytest.raises(HttpStatusError) as info:
            await request_token(prof, SECRET, options=LIMITS)
    assert CANARY not in srv.seen[0].headers.get("authorization", "")
    assert_no_secret(info.value.message, info.value.hint)
