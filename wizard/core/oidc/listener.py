"""The local HTTPS app: ``https://app.local:PORT`` serving the three registered URIs.

Standard library only (``http.server`` in a daemon thread, ``ssl`` per connection, the TLS
handshake done on the connection's own thread so a slow or refusing browser never blocks
the others). What each URI answers is decided by a :class:`Site` (the sign-in session);
this module knows sockets and HTTP, nothing of OAuth.
"""

from __future__ import annotations

import errno
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

from wizard.core.errors import ConfigError
from wizard.core.oidc import pages
from wizard.core.oidc.pages import Page
from wizard.core.steps import Step

MAX_TARGET = 8192  # longest request target accepted; a sign-in answer is far shorter
HANDSHAKE_TIMEOUT = 10.0


class Site(Protocol):
    def login(self) -> Page: ...
    def redirect(self, query: str) -> Page: ...
    def logout(self) -> Page: ...
    def notice(self, message: str) -> None: ...


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # not a second listener: Linux and macOS refuse that anyway

    def __init__(self, address: tuple[str, int], listener: Listener) -> None:
        self.listener = listener
        super().__init__(address, _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        """TLS on this connection's thread; a refused handshake is told once, not raised."""
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            tls = self.listener.context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            self.listener.handshake_failed(exc)
            return
        try:
            _Handler(tls, client_address, self)
        finally:
            tls.close()

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a browser hanging up mid-answer is normal."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "bnxt-wizard-local-app"
    sys_version = ""
    timeout = HANDSHAKE_TIMEOUT

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the request line holds the authorization code."""

    def do_GET(self) -> None:
        self._send(self._page())

    def do_HEAD(self) -> None:
        self._send(self._page(), body=False)

    def do_POST(self) -> None:
        self._send(pages.not_allowed())

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def _page(self) -> Page:
        listener = self.server.listener
        if len(self.path) > MAX_TARGET:
            listener.site.notice(
                f"Ignored a request to the local app: its address is longer than {MAX_TARGET} "
                "characters."
            )
            return pages.too_long()
        parts = urlsplit(self.path)
        if parts.path == listener.redirect_path:
            return listener.site.redirect(parts.query)
        if parts.path == listener.login_path:
            return listener.site.login()
        if parts.path == listener.logout_path:
            return listener.site.logout()
        return pages.not_found()

    def _send(self, page: Page, body: bool = True) -> None:
        data = page.html.encode("utf-8")
        self.send_response(page.status)
        if page.location:
            self.send_header("Location", page.location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")  # the address holds the code
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.send_header("Connection", "close")
        self.end_headers()
        if body:
            self.wfile.write(data)


class Listener:
    """Serve ``site`` on ``host:port`` over TLS until :meth:`stop`."""

    def __init__(
        self,
        site: Site,
        context: ssl.SSLContext,
        port: int,
        *,
        login_path: str = "/",
        redirect_path: str = "/signin-oidc",
        logout_path: str = "/logout",
        host: str = "127.0.0.1",
    ) -> None:
        self.site, self.context, self.host, self.port = site, context, host, port
        self.login_path, self.redirect_path, self.logout_path = (
            login_path,
            redirect_path,
            logout_path,
        )
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._told_tls = False

    def start(self) -> Listener:
        try:
            server = _Server((self.host, self.port), self)
        except OSError as exc:
            raise _bind_error(self.host, self.port, exc) from None
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"bnxt-local-app-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def handshake_failed(self, exc: BaseException) -> None:
        """A browser that refuses the certificate says so with a TLS alert: tell once."""
        text = str(exc).lower()
        if self._told_tls or "alert" not in text:
            return
        self._told_tls = True
        self.site.notice(
            "The browser refused the local app's certificate (TLS alert). Accept it in the "
            "browser (check the fingerprint shown above), trust the certificate file, or "
            "paste the address the browser ends on."
        )


def _bind_error(host: str, port: int, exc: OSError) -> ConfigError:
    if exc.errno == errno.EADDRINUSE:
        return ConfigError(
            f"Port {port} on {host} is already in use, so the wizard cannot play your app there.",
            title="Port in use",
            hint=f"Stop whatever listens on port {port} (your own app, perhaps) and try again; "
            "or register another port in the Developer Portal and save it in the profile "
            "(init --port N).",
            step=Step.LOCAL_URIS,
        )
    if exc.errno == errno.EACCES:
        return ConfigError(
            f"Not allowed to listen on port {port} on {host}.",
            title="Port not allowed",
            hint="Ports below 1024 need administrator rights: register a port from 1024 to "
            "65535 in the Developer Portal and save it in the profile (init --port N).",
            step=Step.LOCAL_URIS,
        )
    return ConfigError(
        f"Cannot listen on {host} port {port}: {exc.strerror or type(exc).__name__}.",
        title="Cannot listen",
        hint="Check the port in the profile (init --port N).",
        step=Step.LOCAL_URIS,
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on right now (for tests and benches)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
