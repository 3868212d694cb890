"""The token request: exact wire format, error mapping, retries, limits, TLS. No internet."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import ssl
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, quote_plus

import httpx
import pytest
import trustme
from pydantic import SecretStr

from wizard.core import _http
from wizard.core.connect import ClientOptions, basic_credentials, make_client, request_token
from wizard.core.errors import (
    ConfigError,
    HttpStatusError,
    MalformedResponse,
    NetworkError,
    OAuthError,
)
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Endpoints, Profile
from wizard.core.steps import Step
from wizard.core.tokens import Token, decode_claims
from wizard.core.visma import AppType

CANARY = "canary-S3cr3t+%: zz"
SECRET = SecretStr(CANARY)
CLIENT_ID = "isv_demo"
TOKEN_URL = "https://connect.test/connect/token"
FAST = ClientOptions(backoff_base=0.001, retry_after_cap=0.01, total_timeout=5.0)

Handler = Callable[[httpx.Request], httpx.Response]


def forms_of_secret(secret: str = CANARY) -> list[str]:
    basic = base64.b64encode(f"{CLIENT_ID}:{quote_plus(secret)}".encode()).decode()
    return [secret, quote_plus(secret), basic]


def assert_clean(*texts: object) -> None:
    for text in texts:
        for form in forms_of_secret():
            assert form not in str(text)


def profile(**changes: object) -> Profile:
    app_type = AppType(str(changes.pop("app_type", AppType.SERVICE)))
    endpoints = Endpoints.defaults(app_type).model_copy(update={"token_url": TOKEN_URL})
    data: dict[str, object] = {
        "app_type": app_type,
        "app_name": "Demo",
        "client_id": CLIENT_ID,
        "endpoints": endpoints,
    }
    data.update(changes)
    return Profile.model_validate(data)


def jwt(claims: dict[str, object]) -> str:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.c2ln"


TOKEN_VALUE = jwt({"client_id": CLIENT_ID, "iss": "https://connect.test", "exp": 2_000_000_000})


def ok_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "access_token": TOKEN_VALUE,
        "token_type": "Bearer",
        "expires_in": 3600,
        "scope": "business-graphql-service-api:access-group-based",
    }
    body.update(changes)
    return body


class Recorder:
    """A MockTransport handler that answers from a script and keeps what it was sent."""

    def __init__(self, *answers: httpx.Response | Handler | BaseException) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, BaseException):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    @property
    def calls(self) -> int:
        return len(self.requests)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self))


async def fetch(
    recorder: Recorder, prof: Profile | None = None, options: ClientOptions = FAST
) -> Token:
    async with recorder.client() as client:
        return await request_token(prof or profile(), SECRET, client=client, options=options)


def form_of(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode(), keep_blank_values=True)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the waits between retries instead of waiting."""
    waited: list[float] = []

    async def fake_sleep(delay: float) -> None:
        waited.append(delay)

    monkeypatch.setattr(_http, "_sleep", fake_sleep)
    return waited


# --- the request on the wire ---------------------------------------------------------


async def test_basic_auth_encodes_secret_exactly_as_rfc_6749() -> None:
    rec = Recorder(httpx.Response(200, json=ok_body()))
    secret = SecretStr("a+b%c: d")
    async with rec.client() as client:
        await request_token(profile(), secret, client=client, options=FAST)
    request = rec.requests[0]
    # base64("isv_demo:" + form-urlencoded "a+b%c: d" = "a%2Bb%25c%3A+d")
    assert request.headers["authorization"] == "Basic aXN2X2RlbW86YSUyQmIlMjVjJTNBK2Q="
    assert basic_credentials(CLIENT_ID, secret) == request.headers["authorization"]
    assert request.method == "POST"
    assert str(request.url) == TOKEN_URL
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.content == (
        b"grant_type=client_credentials&scope=business-graphql-service-api%3Aaccess-group-based"
    )


async def test_post_auth_sends_credentials_in_the_form_not_a_header() -> None:
    rec = Recorder(httpx.Response(200, json=ok_body()))
    await fetch(rec, profile(auth_method="post"))
    request = rec.requests[0]
    assert "authorization" not in request.headers
    form = form_of(request)
    assert form["client_id"] == [CLIENT_ID]
    assert form["client_secret"] == [CANARY]
    assert form["grant_type"] == ["client_credentials"]


@pytest.mark.parametrize("tenant", ["tenant-42", None])
async def test_tenant_id_sent_only_when_the_profile_has_one(tenant: str | None) -> None:
    rec = Recorder(httpx.Response(200, json=ok_body()))
    await fetch(rec, profile(tenant_id=tenant))
    form = form_of(rec.requests[0])
    if tenant:
        assert form["tenant_id"] == [tenant]
    else:
        assert "tenant_id" not in form


async def test_web_profile_asks_for_its_own_scope() -> None:
    rec = Recorder(httpx.Response(200, json=ok_body()))
    await fetch(rec, profile(app_type=AppType.WEB))
    scope = form_of(rec.requests[0])["scope"][0]
    assert "business-graphql-api:access-group-based" in scope.split()


# --- a good answer -------------------------------------------------------------------


async def test_good_answer_becomes_a_token_with_claims() -> None:
    token = await fetch(Recorder(httpx.Response(200, json=ok_body(token_type="bearer"))))
    assert token.access_token.get_secret_value() == TOKEN_VALUE
    assert token.token_type == "bearer"
    assert token.expires_in == 3600
    assert token.scopes == ["business-graphql-service-api:access-group-based"]
    assert token.claims["client_id"] == CLIENT_ID
    assert token.expires_at is not None
    assert token.obtained_at.tzinfo is not None


async def test_scope_left_out_means_the_requested_scope() -> None:
    body = ok_body()
    del body["scope"]
    token = await fetch(Recorder(httpx.Response(200, json=body)))
    assert token.scope == "business-graphql-service-api:access-group-based"


def test_token_repr_and_summary_never_contain_the_token() -> None:
    raw = jwt({"client_id": CLIENT_ID, "iss": "https://connect.test", "exp": 2_000_000_000})
    token = Token.from_value(raw, expires_in=60, scope="a b")
    shown = [repr(token), str(token), token.model_dump_json(), token.summary().model_dump_json()]
    for text in shown:
        assert raw not in text
        assert raw.split(".")[1] not in text  # not even the payload part
    summary = token.summary().model_dump(mode="json")
    assert summary["claims"] == {
        "client_id": CLIENT_ID,
        "iss": "https://connect.test",
        "exp": 2_000_000_000,
    }
    assert summary["token_type"] == "Bearer"
    assert summary["expires_at"] == token.expires_at.isoformat()  # type: ignore[union-attr]
    assert set(summary) >= {"token_type", "scope", "expires_in", "expires_at"}


def test_claims_of_a_non_jwt_are_empty_and_exp_gives_expiry() -> None:
    assert decode_claims("opaque-token") == {}
    assert decode_claims("a.!!!.c") == {}
    assert decode_claims("a." + base64.urlsafe_b64encode(b"[1]").decode() + ".c") == {}
    token = Token.from_value(jwt({"exp": 2_000_000_000}))
    assert token.expires_at == datetime.fromtimestamp(2_000_000_000, UTC)


# --- RFC 6749 errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "exit_code", "step"),
    [
        ("invalid_client", ExitCode.CREDENTIALS, Step.SECRET),
        ("invalid_scope", ExitCode.SCOPE, Step.INTEGRATION),
        ("unauthorized_client", ExitCode.CREDENTIALS, Step.APP_TYPE),
        ("invalid_grant", ExitCode.CREDENTIALS, Step.SECRET),
        ("invalid_request", ExitCode.CREDENTIALS, Step.REVIEW),
        ("unsupported_grant_type", ExitCode.CREDENTIALS, Step.APP_TYPE),
    ],
)
async def test_oauth_errors_map_to_class_exit_code_and_step(
    code: str, exit_code: ExitCode, step: Step
) -> None:
    body = {"error": code, "error_description": "described by the server"}
    rec = Recorder(httpx.Response(400, json=body))
    with pytest.raises(OAuthError) as info:
        await fetch(rec)
    err = info.value
    assert err.code == code
    assert err.exit_code is exit_code
    assert err.step is step
    assert err.hint
    assert code in err.message
    assert "described by the server" in err.message
    assert rec.calls == 1  # a 4xx other than 429 is never retried
    assert_clean(err.message, err.hint, repr(err), json.dumps(err.to_dict()))


async def test_invalid_client_explains_secret_and_approval() -> None:
    rec = Recorder(httpx.Response(401, json={"error": "invalid_client"}))
    with pytest.raises(OAuthError) as info:
        await fetch(rec)
    err = info.value
    assert "wrong client ID or secret" in err.message
    assert "Pending approval" in err.message
    assert CLIENT_ID in (err.hint or "")
    assert "generate a new secret" in (err.hint or "")
    assert "approval" in (err.hint or "")
    assert "Created" in (err.hint or "") and "a minute or two" in (err.hint or "")


async def test_invalid_scope_names_the_integration_and_scope() -> None:
    rec = Recorder(httpx.Response(400, json={"error": "invalid_scope"}))
    with pytest.raises(OAuthError) as info:
        await fetch(rec)
    assert '"Business NXT GraphQL Service API"' in info.value.message
    assert "business-graphql-service-api:access-group-based" in info.value.message


async def test_server_text_echoing_the_secret_is_redacted() -> None:
    body = {"error": "invalid_client", "error_description": f"bad secret {CANARY}"}
    with pytest.raises(OAuthError) as info:
        await fetch(Recorder(httpx.Response(400, json=body)))
    assert "[redacted]" in info.value.message
    assert_clean(info.value.message)


async def test_401_without_oauth_body_is_a_credentials_problem() -> None:
    rec = Recorder(httpx.Response(401, text="Unauthorized"))
    with pytest.raises(HttpStatusError) as info:
        await fetch(rec)
    assert info.value.exit_code is ExitCode.CREDENTIALS
    assert info.value.step is Step.SECRET
    assert rec.calls == 1


# --- retries -------------------------------------------------------------------------


async def test_500_then_200_is_retried(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(500, text="oops"), httpx.Response(200, json=ok_body()))
    token = await fetch(rec)
    assert token.token_type == "Bearer"
    assert rec.calls == 2
    assert len(sleeps) == 1


async def test_503_retry_after_is_honoured_but_capped(sleeps: list[float]) -> None:
    rec = Recorder(
        httpx.Response(503, headers={"Retry-After": "120"}),
        httpx.Response(503, headers={"Retry-After": "0.002"}),
        httpx.Response(200, json=ok_body()),
    )
    await fetch(rec, options=ClientOptions(retry_after_cap=0.5, backoff_base=0.001))
    assert rec.calls == 3
    assert sleeps == [0.5, 0.002]


async def test_429_is_retried_with_backoff(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(429), httpx.Response(429), httpx.Response(200, json=ok_body()))
    await fetch(rec, options=ClientOptions(backoff_base=0.1))
    assert rec.calls == 3
    assert sleeps == [0.1, 0.2]  # exponential


async def test_retries_stop_at_max_and_report_the_status(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(502, text="bad gateway"))
    with pytest.raises(HttpStatusError) as info:
        await fetch(rec, options=ClientOptions(max_retries=2, backoff_base=0.001))
    assert rec.calls == 3
    assert info.value.status_code == 502
    assert info.value.exit_code is ExitCode.NETWORK


async def test_no_retry_when_the_wait_would_pass_the_deadline(sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(503, headers={"Retry-After": "3"}))
    options = ClientOptions(total_timeout=1.0, retry_after_cap=5.0)
    with pytest.raises(HttpStatusError):
        await fetch(rec, options=options)
    assert rec.calls == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
async def test_4xx_is_never_retried(status: int, sleeps: list[float]) -> None:
    rec = Recorder(httpx.Response(status, json={"error": "invalid_request"}))
    with pytest.raises(OAuthError):
        await fetch(rec)
    assert rec.calls == 1
    assert sleeps == []


async def test_429_to_the_end_is_a_status_error_not_a_credentials_one(
    sleeps: list[float],
) -> None:
    rec = Recorder(httpx.Response(429, json={"error": "rate_limited"}))
    with pytest.raises(HttpStatusError) as info:
        await fetch(rec)
    assert rec.calls == 3
    assert info.value.status_code == 429
    assert info.value.exit_code is ExitCode.NETWORK


def test_retry_after_http_date() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert _http.parse_retry_after("Wed, 01 Jan 2025 12:00:03 GMT", now) == 3.0
    assert _http.parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", now) == 0.0
    assert _http.parse_retry_after("7", now) == 7.0
    assert _http.parse_retry_after("soon", now) is None
    assert _http.parse_retry_after(None, now) is None


# --- answers that are not a token ----------------------------------------------------


async def test_non_json_answer_is_malformed() -> None:
    with pytest.raises(MalformedResponse) as info:
        await fetch(Recorder(httpx.Response(200, text="hello")))
    assert info.value.exit_code is ExitCode.NETWORK
    assert info.value.step is Step.REVIEW


async def test_html_error_page_gets_a_safe_snippet_and_hint(sleeps: list[float]) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Corporate Proxy: Access Denied</title></head>"
        f"<body><script>x='{CANARY}'</script>" + "x" * 5000 + "</body></html>"
    )
    rec = Recorder(httpx.Response(404, html=page))
    with pytest.raises(HttpStatusError) as info:
        await fetch(rec)
    err = info.value
    assert err.status_code == 404
    assert "Corporate Proxy: Access Denied" in err.message
    assert "HTML page" in (err.hint or "")
    assert len(err.message) < 400
    assert_clean(err.message)


async def test_html_page_with_200_is_malformed() -> None:
    with pytest.raises(MalformedResponse) as info:
        await fetch(Recorder(httpx.Response(200, html="<html><body>Login</body></html>")))
    assert "HTML" in info.value.message


async def test_json_without_access_token_is_malformed() -> None:
    body = {"token_type": "Bearer", "expires_in": 60}
    with pytest.raises(MalformedResponse) as info:
        await fetch(Recorder(httpx.Response(200, json=body)))
    assert "access_token" in info.value.message
    assert "token_type" in info.value.message  # lists the fields that did come


@pytest.mark.parametrize("token_type", ["mac", None])
async def test_token_type_other_than_bearer_is_malformed(token_type: str | None) -> None:
    with pytest.raises(MalformedResponse) as info:
        await fetch(Recorder(httpx.Response(200, json=ok_body(token_type=token_type))))
    assert "Bearer" in info.value.message
    assert TOKEN_VALUE not in info.value.message


async def test_oversize_body_with_content_length_is_refused() -> None:
    rec = Recorder(httpx.Response(200, content=b"x" * 5000))
    with pytest.raises(MalformedResponse) as info:
        await fetch(rec, options=ClientOptions(max_body_bytes=1000))
    assert "1,000 bytes" in info.value.message


async def test_oversize_streamed_body_stops_reading() -> None:
    chunks_sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal chunks_sent
        for _ in range(1000):
            chunks_sent += 1
            yield b"y" * 512

    rec = Recorder(lambda request: httpx.Response(200, content=endless()))
    with pytest.raises(MalformedResponse):
        await fetch(rec, options=ClientOptions(max_body_bytes=2048))
    assert chunks_sent < 10


async def test_redirect_is_an_error_naming_the_target_and_is_not_followed() -> None:
    location = "https://evil.example/steal?code=abc123"
    rec = Recorder(httpx.Response(302, headers={"Location": location}))
    with pytest.raises(HttpStatusError) as info:
        await fetch(rec)
    assert rec.calls == 1
    assert "evil.example/steal" in info.value.message
    assert "abc123" not in info.value.message  # the query string is not repeated
    assert info.value.step is Step.REVIEW


# --- the network ---------------------------------------------------------------------


def connect_error(cause: BaseException) -> httpx.ConnectError:
    error = httpx.ConnectError("All connection attempts failed")
    error.__cause__ = cause
    return error


async def test_connect_error_is_retried_then_names_the_host(sleeps: list[float]) -> None:
    rec = Recorder(connect_error(ConnectionRefusedError(111, "refused")))
    with pytest.raises(NetworkError) as info:
        await fetch(rec)
    assert rec.calls == 3
    assert "connect.test" in info.value.message
    assert "refused" in info.value.message
    assert info.value.exit_code is ExitCode.NETWORK


async def test_dns_failure_says_so(sleeps: list[float]) -> None:
    rec = Recorder(connect_error(socket.gaierror(-2, "Name or service not known")))
    with pytest.raises(NetworkError) as info:
        await fetch(rec)
    assert "DNS" in info.value.message
    assert "connect.test" in info.value.message


async def test_connect_error_then_success(sleeps: list[float]) -> None:
    rec = Recorder(connect_error(ConnectionRefusedError()), httpx.Response(200, json=ok_body()))
    await fetch(rec)
    assert rec.calls == 2


async def test_tls_failure_is_not_retried_and_names_the_remedies(sleeps: list[float]) -> None:
    cause = ssl.SSLCertVerificationError(1, "certificate verify failed")
    rec = Recorder(connect_error(cause))
    with pytest.raises(NetworkError) as info:
        await fetch(rec)
    assert rec.calls == 1
    assert "SSL_CERT_FILE" in info.value.message
    assert "--ca-bundle" in info.value.message


async def test_hanging_server_is_bounded_by_total_timeout() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(30)
        return httpx.Response(200, json=ok_body())

    client = httpx.AsyncClient(transport=httpx.MockTransport(hang))
    started = time.monotonic()
    with pytest.raises(NetworkError) as info:
        async with client:
            await request_token(
                profile(), SECRET, client=client, options=ClientOptions(total_timeout=0.2)
            )
    assert time.monotonic() - started < 10  # the server hangs for 30 s
    assert "0.2 s" in info.value.message
    assert "connect.test" in info.value.message


async def test_read_timeout_names_the_kind_and_limit_and_is_not_retried() -> None:
    rec = Recorder(httpx.ReadTimeout("timed out"))
    with pytest.raises(NetworkError) as info:
        await fetch(rec, options=ClientOptions(read_timeout=7.5))
    assert rec.calls == 1
    assert "waiting for the answer" in info.value.message
    assert "7.5 s" in info.value.message


async def test_real_refused_loopback_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    prof = profile(
        endpoints=Endpoints.defaults("service").model_copy(
            update={"token_url": f"http://127.0.0.1:{port}/connect/token"}
        )
    )
    with pytest.raises(NetworkError) as info:
        await request_token(prof, SECRET, options=FAST)
    assert f"127.0.0.1:{port}" in info.value.message
    assert "refused" in info.value.message


# --- TLS against a real loopback server ----------------------------------------------


@pytest.fixture
async def tls_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[str, Path]]:
    """A one-answer HTTPS token endpoint on loopback, with a certificate from a private CA."""
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    ca = trustme.CA()
    ca_path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    payload = json.dumps(ok_body()).encode()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.decode().split("\r\n"):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            await reader.readexactly(length)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"https://127.0.0.1:{port}/connect/token", ca_path


def tls_profile(url: str) -> Profile:
    return profile(endpoints=Endpoints.defaults("service").model_copy(update={"token_url": url}))


async def test_tls_unknown_ca_fails_verification(tls_server: tuple[str, Path]) -> None:
    url, _ca = tls_server
    with pytest.raises(NetworkError) as info:
        await request_token(tls_profile(url), SECRET, options=FAST)
    assert "SSL_CERT_FILE" in info.value.message
    assert "--ca-bundle" in info.value.message
    assert "127.0.0.1" in info.value.message


async def test_tls_with_ca_bundle_option(tls_server: tuple[str, Path]) -> None:
    url, ca = tls_server
    options = ClientOptions(ca_bundle=str(ca), total_timeout=5)
    token = await request_token(tls_profile(url), SECRET, options=options)
    assert token.token_type == "Bearer"


async def test_tls_with_ssl_cert_file_env(
    tls_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, ca = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))
    token = await request_token(tls_profile(url), SECRET, options=FAST)
    assert token.token_type == "Bearer"


async def test_missing_ca_bundle_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        make_client(ClientOptions(ca_bundle=str(tmp_path / "nope.pem")))
    assert "nope.pem" in info.value.message


async def test_make_client_settings() -> None:
    async with make_client(ClientOptions(connect_timeout=1.5, read_timeout=2.5)) as client:
        assert client.follow_redirects is False
        assert client.trust_env is True
        assert client.timeout.connect == 1.5
        assert client.timeout.read == 2.5
