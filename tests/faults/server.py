"""A loopback HTTP(S) server that misbehaves on purpose, so the client meets real sockets.

The unit tests drive the client through ``httpx.MockTransport``; that proves the logic
but not what happens when bytes arrive late, stop half-way, never come, or arrive from a
certificate nobody trusts. This server answers each request with a :class:`Reply` that
says exactly how to misbehave, and records every request it saw (with its arrival time)
so a test can count retries and measure the waits between them.

Everything runs in daemon threads; every wait watches one stop event, so closing the
server ends a "never answers" reply at once instead of holding the test up.
"""

from __future__ import annotations

import gzip
import itertools
import json
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

READ_LIMIT = 1_000_000  # requests larger than this are a bug in the test, not a fault
SOCKET_TIMEOUT = 10.0


@dataclass(frozen=True)
class Seen:
    """One request as the server read it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    at: float  # time.monotonic() when the request was fully read


@dataclass(frozen=True)
class Reply:
    """How to answer one request. The defaults are a polite, complete answer."""

    status: int = 200
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    silence: float = 0.0  # seconds before the status line ("never answers" when long)
    length: bool = True  # send Content-Length; False: the body ends when the socket closes
    declared_length: int | None = None  # a Content-Length that differs from the body
    cut_at: int | None = None  # send only this many body bytes, then ...
    then_stall: bool = True  # ... fall silent (True) or close the connection (False)
    drip: float | None = None  # send the body one byte per this many seconds
    gzip: bool = False  # compress the body and say so (Content-Encoding: gzip)
    raw: bytes | None = None  # send exactly these bytes instead of an HTTP answer, then close

    @staticmethod
    def json(status: int, data: Any, **kw: Any) -> Reply:
        return Reply(status=status, body=json.dumps(data).encode(), **kw)

    @staticmethod
    def html(status: int, page: str, **kw: Any) -> Reply:
        return Reply(status=status, body=page.encode(), content_type="text/html", **kw)

    @staticmethod
    def text(status: int, text: str, **kw: Any) -> Reply:
        return Reply(status=status, body=text.encode(), content_type="text/plain", **kw)


Responder = Callable[[Seen], Reply]
Script = Reply | Sequence[Reply] | Responder


def _as_responder(script: Script, counter: Callable[[], int]) -> Responder:
    """A list answers request n with item n (the last one repeats); a callable decides."""
    if isinstance(script, Reply):
        return lambda _seen: script
    if callable(script):
        return script
    replies = list(script)
    return lambda _seen: replies[min(counter() - 1, len(replies) - 1)]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    owner: FaultServer


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        owner = self.server.owner
        sock: socket.socket = self.request
        sock.settimeout(SOCKET_TIMEOUT)
        owner._count_connection()
        if owner.tls is not None:
            try:
                sock = owner.tls.wrap_socket(sock, server_side=True)
            except (OSError, ValueError):  # the client refused the certificate
                owner._count_tls_failure()
                return
            self.request = sock
        try:
            seen = _read_request(sock)
            if seen is None:
                return
            reply = owner._record(seen)
            _answer(sock, reply, owner.stop)
        except (OSError, ValueError):
            pass  # a peer that hung up or a malformed request: the client side is judged
        except Exception as exc:  # a thread must not raise into pytest: report at exit
            owner.errors.append(exc)

    def finish(self) -> None:
        if self.request is not None and isinstance(self.request, ssl.SSLSocket):
            try:
                self.request.close()
            except OSError:
                pass


def _read_request(sock: socket.socket) -> Seen | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > READ_LIMIT:
            return None
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _version = lines[0].split(" ", 2)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or "0")
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return Seen(method, path, headers, rest[:length], time.monotonic())


def _answer(sock: socket.socket, reply: Reply, stop: threading.Event) -> None:
    if reply.silence and stop.wait(reply.silence):
        return
    if reply.raw is not None:
        sock.sendall(reply.raw)
        return
    body = gzip.compress(reply.body) if reply.gzip else reply.body
    lines = [f"HTTP/1.1 {reply.status} {_reason(reply.status)}"]
    if reply.content_type:
        lines.append(f"Content-Type: {reply.content_type}")
    if reply.gzip:
        lines.append("Content-Encoding: gzip")
    if reply.length:
        declared = len(body) if reply.declared_length is None else reply.declared_length
        lines.append(f"Content-Length: {declared}")
    lines += [f"{name}: {value}" for name, value in reply.headers]
    lines.append("Connection: close")
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    shown = body if reply.cut_at is None else body[: reply.cut_at]
    if reply.drip is None:
        sock.sendall(shown)
    else:
        for i in range(len(shown)):
            sock.sendall(shown[i : i + 1])
            if stop.wait(reply.drip):
                return
    if reply.cut_at is not None and reply.then_stall:
        stop.wait(SOCKET_TIMEOUT * 6)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Whatever"


@dataclass
class FaultServer:
    """``with FaultServer(script) as srv: ... srv.url("/connect/token") ... srv.seen``.

    ``tls`` (a server-side SSLContext) makes it an HTTPS server. ``connections`` counts
    accepted TCP connections, so a TLS failure that never produced a request still shows.
    """

    script: Script
    tls: ssl.SSLContext | None = None
    host: str = "127.0.0.1"
    seen: list[Seen] = field(default_factory=list)
    connections: int = 0
    tls_failures: int = 0
    errors: list[BaseException] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._respond = _as_responder(self.script, lambda: len(self.seen))
        self._server = _Server((self.host, 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/", host: str | None = None) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{host or self.host}:{self.port}{path}"

    @property
    def gaps(self) -> list[float]:
        """Seconds between one request's arrival and the next (the client's waits)."""
        times = [s.at for s in self.seen]
        return [b - a for a, b in itertools.pairwise(times)]

    def _record(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            return self._respond(seen)

    def _count_connection(self) -> None:
        with self._lock:
            self.connections += 1

    def _count_tls_failure(self) -> None:
        with self._lock:
            self.tls_failures += 1

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        if self.errors and exc_type is None:
            raise AssertionError(f"the fault server itself failed: {self.errors!r}")
