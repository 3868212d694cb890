"""The one place that sends HTTP: timeouts, safe retries, bounded bodies, redirects refused.

Both Visma Connect (token) and Business NXT (GraphQL) calls go through :func:`send`, so
they share one set of rules:

* verification of TLS is always on; a failed verification is never retried and is
  explained with ``SSL_CERT_FILE`` / ``--ca-bundle``;
* only what is safe is retried: failed connections (the request never left), 429 and
  5xx, honouring ``Retry-After`` up to a cap, with exponential backoff otherwise;
* the whole call, retries and waits included, is bounded by ``total_timeout``;
* bodies are read as a stream and cut off at ``max_body_bytes``;
* redirects are never followed (credentials would go to another host): a 3xx is an error;
* loopback hosts are always reached directly, never through a proxy from the environment
  (plain ``http://`` to the simulator would hand the credentials to the proxy in clear).

Every httpx exception becomes a :class:`wizard.core.errors.WizardError`; callers never
see httpx errors. Messages name hosts and limits, never headers or bodies verbatim:
server text is trimmed, stripped of escape sequences and control characters
(:func:`wizard.core.text.sanitize`) and scrubbed of the secret and token (``sensitive``);
URLs are shown through :func:`wizard.core.text.shown_url` (no user info, no credentials).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import ssl
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from wizard import __version__
from wizard.core.errors import ConfigError, MalformedResponse, NetworkError, WizardError
from wizard.core.steps import Step
from wizard.core.text import redact, sanitize, shown_url

__all__ = ["redact"]  # re-exported: callers scrub server text with it

USER_AGENT = f"bnxt-wizard/{__version__}"
SNIPPET_CHARS = 160
_sleep = asyncio.sleep  # the seam tests patch to observe waits without waiting


@dataclass(frozen=True)
class ClientOptions:
    ca_bundle: str | None = None  # custom CA file; else SSL_CERT_FILE env if set; else certifi
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0  # hard bound on the whole operation incl. retries
    max_retries: int = 2
    retry_after_cap: float = 5.0
    backoff_base: float = 0.25
    max_body_bytes: int = 1_000_000

    @property
    def timeouts(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.read_timeout,
            pool=self.connect_timeout,
        )


def ssl_context(options: ClientOptions) -> ssl.SSLContext:
    """Verification always on. ``--ca-bundle`` wins, then ``SSL_CERT_FILE``/``SSL_CERT_DIR``.

    httpx 0.28 reads ``SSL_CERT_FILE`` only when it builds the context itself; since the
    wizard always passes its own context, the environment is honoured here explicitly.
    """
    cafile = options.ca_bundle or os.environ.get("SSL_CERT_FILE") or None
    capath = None if cafile else os.environ.get("SSL_CERT_DIR") or None
    source = "--ca-bundle" if options.ca_bundle else "SSL_CERT_FILE" if cafile else "SSL_CERT_DIR"
    if cafile is None and capath is None:
        import certifi

        cafile = certifi.where()
        source = "certifi"
    try:
        return ssl.create_default_context(cafile=cafile, capath=capath)
    except (OSError, ssl.SSLError) as exc:
        where = cafile or capath
        raise ConfigError(
            f"Cannot load the CA certificates from {where} (given by {source}): "
            f"{exc.strerror or exc}.",
            title="CA bundle unusable",
            hint="Point --ca-bundle or SSL_CERT_FILE at a readable PEM file of CA certificates.",
            step=Step.TEST,
        ) from None


# Loopback hosts the client reaches directly whatever the proxy settings say. httpx's
# patterns match host names exactly, so other loopback spellings a URL uses are added per
# client (see ``direct_mounts``).
_LOOPBACK_PATTERNS = ("all://localhost", "all://127.0.0.1", "all://[::1]")


def direct_mounts(urls: tuple[str, ...] = ()) -> dict[str, None]:
    """httpx mounts that send loopback hosts past any proxy (``None``: no proxy)."""
    from wizard.core.validation import is_loopback_host

    patterns = set(_LOOPBACK_PATTERNS)
    for url in urls:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            continue
        if host and is_loopback_host(host):
            patterns.add(f"all://[{host}]" if ":" in host else f"all://{host}")
    return dict.fromkeys(sorted(patterns))


def make_client(
    options: ClientOptions | None = None, urls: tuple[str, ...] = ()
) -> httpx.AsyncClient:
    """An AsyncClient with verification on, proxies from the environment except for
    loopback hosts (``urls``: the endpoints it will call), no redirects."""
    options = options or ClientOptions()
    return httpx.AsyncClient(
        verify=ssl_context(options),
        trust_env=True,
        mounts=direct_mounts(urls),
        follow_redirects=False,
        timeout=options.timeouts,
        headers={"User-Agent": USER_AGENT},
    )


@asynccontextmanager
async def client_scope(
    client: httpx.AsyncClient | None, options: ClientOptions, urls: tuple[str, ...] = ()
) -> AsyncIterator[httpx.AsyncClient]:
    """Use the caller's client, or make one for this call (for ``urls``) and close it."""
    if client is not None:
        yield client
        return
    own = make_client(options, urls)
    try:
        yield own
    finally:
        await own.aclose()


@dataclass(frozen=True)
class Answer:
    """A fully read (and size-bounded) HTTP response."""

    status_code: int
    headers: httpx.Headers
    body: bytes
    url: str

    @property
    def content_type(self) -> str:
        value: str = self.headers.get("content-type", "")
        return value.split(";")[0].strip().lower()

    @property
    def looks_like_html(self) -> bool:
        head = self.body[:256].lstrip().lower()
        return "html" in self.content_type or head.startswith((b"<!doctype", b"<html"))

    def json(self) -> Any:
        """The parsed body; raises ValueError when it is not JSON."""
        return json.loads(self.body.decode("utf-8-sig"))

    def json_object(self) -> dict[str, Any] | None:
        try:
            data = self.json()
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[...
            return None
        return data if isinstance(data, dict) else None

    def snippet(self, sensitive: tuple[str, ...] = ()) -> str:
        """A short, single-line, scrubbed excerpt: the <title> of an HTML page, else the start."""
        # Redact before cutting: a secret straddling the cut would otherwise leave its start.
        text = redact(self.body.decode("utf-8", errors="replace"), sensitive)[:4096]
        if self.looks_like_html:
            title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
            text = title.group(1) if title else re.sub(r"<[^>]+>", " ", text)
        return clean_text(text, sensitive)


def clean_text(text: str, sensitive: tuple[str, ...] = (), limit: int = SNIPPET_CHARS) -> str:
    """Server-supplied text made safe to show: one line, printable, short, secrets redacted."""
    return sanitize(redact(text, sensitive), limit=limit)


def host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or url, parts.port
    except ValueError:
        host, port = url, None
    return sanitize(f"{host}:{port}" if port else host, limit=120)


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    what: str,
    options: ClientOptions,
    headers: Mapping[str, str],
    data: Mapping[str, str] | None = None,
    json_body: Any = None,
    sensitive: tuple[str, ...] = (),
) -> Answer:
    """Send with retries under one deadline. ``what`` names the endpoint in messages."""
    try:
        async with asyncio.timeout(options.total_timeout):
            return await _send_with_retries(
                client, method, url, what, options, headers, data, json_body, sensitive
            )
    except TimeoutError:
        raise NetworkError(
            f"Gave up on {what} at {host_of(url)} after {options.total_timeout:g} s in total "
            "(the limit for the whole call, retries included).",
            title="Timed out",
            hint="Check the network and any proxy (HTTPS_PROXY), or allow more time "
            "(--timeout SECONDS).",
            step=Step.TEST,
        ) from None


async def _send_with_retries(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    what: str,
    options: ClientOptions,
    headers: Mapping[str, str],
    data: Mapping[str, str] | None,
    json_body: Any,
    sensitive: tuple[str, ...],
) -> Answer:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + options.total_timeout
    attempt = 0
    while True:
        request = _build(client, method, url, options, headers, data, json_body)
        try:
            answer = await _fetch(client, request, what, options)
        except httpx.TransportError as exc:
            # Only a failed connection is safe to repeat: the request never left.
            retryable = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            delay = _backoff(options, attempt)
            can_retry = _may_retry(attempt, options.max_retries, delay, deadline)
            if retryable and not _is_tls_failure(exc) and can_retry:
                attempt += 1
                await _sleep(delay)
                continue
            raise _transport_error(exc, url, what, options) from None
        if answer.status_code == 429 or answer.status_code >= 500:
            delay = _retry_delay(answer.headers, options, attempt)
            if _may_retry(attempt, options.max_retries, delay, deadline):
                attempt += 1
                await _sleep(delay)
                continue
        if 300 <= answer.status_code < 400:
            raise _redirect_error(answer, what, sensitive)
        return answer


def _build(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    options: ClientOptions,
    headers: Mapping[str, str],
    data: Mapping[str, str] | None,
    json_body: Any,
) -> httpx.Request:
    try:
        return client.build_request(
            method,
            url,
            headers=dict(headers),
            data=dict(data) if data is not None else None,
            json=json_body,
            timeout=options.timeouts,
        )
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise ConfigError(
            f"The URL {what_url(url)} is not usable: {clean_text(str(exc), limit=100)}.",
            hint="Fix the endpoint URL in the profile.",
            step=Step.REVIEW,
        ) from None


def what_url(url: str) -> str:
    return shown_url(url, limit=120)


async def _fetch(
    client: httpx.AsyncClient, request: httpx.Request, what: str, options: ClientOptions
) -> Answer:
    response = await client.send(request, stream=True, follow_redirects=False)
    try:
        limit = options.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(what, limit)
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:
                raise _too_large(what, limit)
    except httpx.DecodingError:
        raise MalformedResponse(
            f"The answer from {what} could not be decoded (bad compression or encoding).",
            hint="A proxy may be mangling the traffic; try without it.",
            step=Step.TEST,
        ) from None
    finally:
        await response.aclose()
    return Answer(response.status_code, response.headers, bytes(body), str(request.url))


def _too_large(what: str, limit: int) -> MalformedResponse:
    return MalformedResponse(
        f"The answer from {what} is larger than {limit:,} bytes; the wizard stopped reading it.",
        hint="The URL probably points at something other than the expected API (check it), "
        "or raise the body size limit.",
        step=Step.REVIEW,
    )


def _may_retry(attempt: int, max_retries: int, delay: float, deadline: float) -> bool:
    """Another try only if one is left and its wait ends before the deadline."""
    return attempt < max_retries and asyncio.get_running_loop().time() + delay < deadline


def _backoff(options: ClientOptions, attempt: int) -> float:
    return float(options.backoff_base * (2**attempt))


def _retry_delay(headers: httpx.Headers, options: ClientOptions, attempt: int) -> float:
    asked = parse_retry_after(headers.get("retry-after"))
    if asked is None:
        return _backoff(options, attempt)
    return min(asked, options.retry_after_cap)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _redirect_error(answer: Answer, what: str, sensitive: tuple[str, ...] = ()) -> WizardError:
    from wizard.core.errors import HttpStatusError

    # Where it pointed, without user info, query or fragment (they may carry codes or
    # tokens, or the credentials a hostile server decoded from the request).
    shown = shown_url(answer.headers.get("location", ""), sensitive, query=False, limit=120)
    target = f" to {shown}" if shown else ""
    return HttpStatusError(
        f"{what.capitalize()} at {host_of(answer.url)} answered with a redirect "
        f"({answer.status_code}){target}. The wizard never follows redirects: the "
        "credentials would be sent to another host.",
        status_code=answer.status_code,
        title="Redirected",
        hint="Check the endpoint URL in the profile (exact scheme, host and path); "
        "if the new address is the right one, put it in the profile yourself.",
        step=Step.REVIEW,
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _is_tls_failure(exc: BaseException) -> bool:
    for item in _chain(exc):
        if isinstance(item, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(item):
            return True
    return False


def _tls_reason(exc: BaseException) -> str:
    for item in _chain(exc):
        if isinstance(item, ssl.SSLCertVerificationError):
            reason = getattr(item, "verify_message", None) or item.strerror or str(item)
            return clean_text(str(reason), limit=120)
    return "certificate verify failed"


def _connect_reason(exc: BaseException) -> str:
    for item in _chain(exc):
        if isinstance(item, socket.gaierror):
            return "the host name could not be resolved (DNS)"
        if isinstance(item, ConnectionRefusedError):
            return "the connection was refused (nothing is listening there)"
    text = str(exc).lower()
    if any(s in text for s in ("name or service", "nodename", "getaddrinfo", "name resolution")):
        return "the host name could not be resolved (DNS)"
    if "refused" in text:
        return "the connection was refused (nothing is listening there)"
    return f"the connection failed ({clean_text(str(exc), limit=100) or type(exc).__name__})"


def _transport_error(
    exc: httpx.TransportError, url: str, what: str, options: ClientOptions
) -> WizardError:
    host = host_of(url)
    if _is_tls_failure(exc):
        return NetworkError(
            f"The TLS certificate of {host} could not be verified ({_tls_reason(exc)}). "
            "If a company proxy or a private CA sits in between, point SSL_CERT_FILE at its "
            "CA bundle or pass --ca-bundle FILE.",
            title="TLS verification failed",
            hint="Verification is never switched off. Ask your IT department for the proxy's "
            "CA certificate (PEM) and pass it with --ca-bundle or SSL_CERT_FILE.",
            step=Step.TEST,
        )
    if isinstance(exc, httpx.TimeoutException):
        kind, limit = {
            httpx.ConnectTimeout: ("connecting", options.connect_timeout),
            httpx.ReadTimeout: ("waiting for the answer", options.read_timeout),
            httpx.WriteTimeout: ("sending the request", options.read_timeout),
            httpx.PoolTimeout: ("waiting for a free connection", options.connect_timeout),
        }.get(type(exc), ("talking to the server", options.read_timeout))
        return NetworkError(
            f"Timed out {kind} to {what} at {host} (limit {limit:g} s).",
            title="Timed out",
            hint="Check the network and any proxy (HTTPS_PROXY), or allow more time.",
            step=Step.TEST,
        )
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(
            f"Could not connect to {what} at {host}: {_connect_reason(exc)}.",
            title="Cannot connect",
            hint=f"Check the URL {what_url(url)}, your internet connection, and proxy settings "
            "(HTTPS_PROXY and NO_PROXY are honoured).",
            step=Step.REVIEW,
        )
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(
            f"The proxy refused or failed the connection to {host}: "
            f"{clean_text(str(exc), limit=100)}.",
            title="Proxy problem",
            hint="Check HTTPS_PROXY / ALL_PROXY and NO_PROXY in your environment.",
            step=Step.TEST,
        )
    return NetworkError(
        f"The connection to {what} at {host} broke off "
        f"({type(exc).__name__}: {clean_text(str(exc), limit=100) or 'no detail'}).",
        title="Connection lost",
        hint="Try again; if it keeps happening, check the network and any proxy.",
        step=Step.TEST,
    )
