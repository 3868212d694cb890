"""The simulator as a real HTTP server on loopback, served from a daemon thread.

Only the standard library's ``ThreadingHTTPServer``: nothing to install for CI users, and
start-up costs one RSA key. The socket layer stays here; what is answered lives in
:mod:`wizard.simulator.routes`.
"""

from __future__ import annotations

import errno
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit

from wizard.core.visma import REQUESTS_PER_MINUTE
from wizard.simulator import routes as paths
from wizard.simulator.messages import Request, Response, json_response
from wizard.simulator.rate_limit import RateLimiter
from wizard.simulator.routes import Routes
from wizard.simulator.seed import SimSeed, load_seed

if TYPE_CHECKING:
    from wizard.simulator.tokens import TokenIssuer

MAX_BODY = 64 * 1024
DRAIN_LIMIT = 1024 * 1024
TOKEN_LIFETIME = 3600


class RequestRecord(NamedTuple):
    """What tests may see of a request: never a body or a header value."""

    method: str
    path: str
    status: int


class RequestLog:
    """Thread-safe, append-only; outlives a stop so tests can look after the fact."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)


class BindError(OSError):
    """The simulator could not listen; ``str()`` is one line fit to show a user."""


class PortInUseError(BindError):
    pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], family: socket.AddressFamily) -> None:
        self.address_family = family
        super().__init__(address, _Handler)
        self.routes: Routes | None = None
        self.log = RequestLog()
        self.lock = threading.Lock()
        self.connections: set[socket.socket] = set()

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client hanging up mid-answer is normal here, not worth a traceback."""

    def close_connections(self) -> None:
        """Cut kept-alive connections, so a stopped simulator really stops answering."""
        with self.lock:
            open_now = list(self.connections)
        for conn in open_now:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "VismaConnectSimulator/1.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections give up their thread

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the default writes every request line to stderr."""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        response = self._respond(path, parts.query)
        # Logged before it is sent: a client that has its answer finds it in the log.
        self.server.log.add(RequestRecord(self.command, path, response.status))
        self._send(response)

    def _respond(self, path: str, query: str = "") -> Response:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            return json_response(411, _error("length_required", "Send a Content-Length."))
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self.close_connection = True
            return json_response(400, _error("invalid_request", "Bad Content-Length."))
        if length > MAX_BODY:
            self.close_connection = True
            if length <= DRAIN_LIMIT:  # read it, or closing may reset before the 413 arrives
                self.rfile.read(length)
            return json_response(413, _error("invalid_request", "The request body is too large."))
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        request = Request(self.command, path, headers, body, query)
        routes = self.server.routes
        if routes is None:
            return json_response(503, _error("temporarily_unavailable", "Not started."))
        try:
            return routes.handle(request)
        except Exception:  # an answer, not a dropped connection; no details that could leak
            return json_response(500, _error("server_error", "The simulator failed."))

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve


def _error(code: str, description: str) -> dict[str, str]:
    return {"error": code, "error_description": description}


def _bind(host: str, port: int) -> _Server:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return _Server((host, port), family)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            failure: BindError = PortInUseError(
                f"Port {port} on {host} is already in use; pick another port "
                "(or 0 for any free port)."
            )
        else:
            failure = BindError(f"Cannot listen on {host} port {port}: {error.strerror or error}.")
        failure.errno = error.errno
        raise failure from None


class Simulator:
    """Visma Connect and the Business NXT GraphQL service, on loopback, for demos and tests."""

    def __init__(
        self,
        seed: SimSeed | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        token_lifetime: int = TOKEN_LIFETIME,
        rate_limit: int = REQUESTS_PER_MINUTE,
        rate_window: float = 60.0,
    ) -> None:
        """``rate_limit`` GraphQL requests per token in ``rate_window`` seconds, then 429."""
        self.seed = seed if seed is not None else load_seed()
        self.limiter = RateLimiter(rate_limit, rate_window)
        self.host = host
        self.port = port
        self.token_lifetime = token_lifetime
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None
        self._issuer: TokenIssuer | None = None
        self._log = RequestLog()
        from wizard.simulator.signin_state import SignInState

        # Browser sign-ins in progress; ``signin.tamper_id_token`` makes ID tokens wrong on
        # purpose, for tests of clients that must refuse them.
        self.signin = SignInState()

    def start(self) -> Simulator:
        if self._server is not None:
            raise RuntimeError("The simulator is already running.")
        from wizard.simulator.tokens import TokenIssuer  # loads PyJWT and cryptography

        server = _bind(self.host, self.port)
        bound_port = server.server_address[1]
        shown_host = f"[{self.host}]" if ":" in self.host else self.host
        base_url = f"http://{shown_host}:{bound_port}"
        try:
            issuer = TokenIssuer(base_url, self.token_lifetime)
        except BaseException:
            server.server_close()
            raise
        server.routes = Routes(lambda: self.seed, issuer, base_url, self.limiter, self.signin)
        server.log = self._log
        self._issuer = issuer
        self._server, self._base_url, self.port = server, base_url, bound_port
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"bnxt-simulator-{bound_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._server = self._thread = None
        server.shutdown()
        server.server_close()
        server.close_connections()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = self._base_url if self._server is not None else "stopped"
        return f"Simulator({state})"

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("Start the simulator first: its URLs name the port it bound.")
        return self._base_url

    @property
    def token_url(self) -> str:
        return self.base_url + paths.TOKEN_PATH

    @property
    def authorize_url(self) -> str:
        return self.base_url + paths.AUTHORIZE_PATH

    @property
    def end_session_url(self) -> str:
        return self.base_url + paths.END_SESSION_PATH

    @property
    def discovery_url(self) -> str:
        return self.base_url + paths.DISCOVERY_PATH

    @property
    def jwks_url(self) -> str:
        return self.base_url + paths.JWKS_PATH

    @property
    def graphql_service_url(self) -> str:
        return self.base_url + paths.GRAPHQL_SERVICE_PATH

    @property
    def graphql_url(self) -> str:
        return self.base_url + paths.GRAPHQL_WEB_PATH

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request answered so far, oldest first (a copy)."""
        return self._log.snapshot()

    def issue_token(self, client_id: str, scopes: list[str], *, lifetime: int | None = None) -> str:
        """A token signed by this simulator without asking the token endpoint, e.g. an
        already-expired one (``lifetime=-60``) for tests of expiry handling."""
        if self._issuer is None:
            raise RuntimeError("Start the simulator first.")
        return self._issuer.issue(client_id, scopes, lifetime=lifetime)

    def describe(self) -> str:
        from wizard.simulator.describe import describe

        return describe(self)
