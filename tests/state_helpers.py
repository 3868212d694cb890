"""Helpers for the state-integrity suites: a token server that holds answers at a gate,
background CLI processes, and a saved profile whose secret lives in the file store.

The gate makes "two commands at once" deterministic: a command is known to be in the
middle of its network work when the server has seen its request, and it stays there until
the test opens the gate. No timing windows.
"""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote_plus

from pydantic import SecretStr

from tests.cli_helpers import Result
from tests.factories import make_profile
from tests.faults.helpers import token_json
from wizard.core.envfile import env_values, write_env_file
from wizard.core.models import Endpoints, EnvFileRecord, Profile
from wizard.core.profiles import Workspace, save_profile

CLIENT_ID = "isv_state_tests"
GATE_LIMIT = 60.0  # seconds a held request waits at most (a safety net, never reached)


def secret_of(authorization: str) -> str:
    """The client secret of an HTTP Basic header (RFC 6749 2.3.1 encoding)."""
    raw = base64.b64decode(authorization.removeprefix("Basic ")).decode()
    return unquote_plus(raw.partition(":")[2])


@dataclass
class GatedTokenServer:
    """A loopback token endpoint: answers for ``accepted`` secrets; requests with a
    ``held`` secret wait at the gate until :meth:`release`, each in its own thread."""

    accepted: set[str]
    held: set[str] = field(default_factory=set)
    gate: threading.Event = field(default_factory=threading.Event)
    arrived: list[str] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def __post_init__(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, body = owner._answer(self.headers.get("Authorization", ""))
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _answer(self, authorization: str) -> tuple[int, bytes]:
        secret = secret_of(authorization)
        with self._cond:
            self.arrived.append(secret)
            self._cond.notify_all()
        if secret in self.held:
            self.gate.wait(GATE_LIMIT)
        if secret not in self.accepted:
            return 401, b'{"error": "invalid_client"}'
        return 200, token_json()

    def wait_for(self, count: int, timeout: float = 120.0) -> None:
        """Until ``count`` requests have arrived (each process is then at the gate)."""
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.arrived) >= count, timeout), self.arrived

    def release(self) -> None:
        self.gate.set()

    @property
    def token_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/connect/token"

    def __enter__(self) -> GatedTokenServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


def child_env(config_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("BNXT_CLIENT_SECRET", "PYTEST_CURRENT_TEST")
    }
    env["BNXT_WIZARD_CONFIG_DIR"] = str(config_dir)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def start_cli(*args: str, config_dir: Path, stdin: str = "") -> subprocess.Popen[str]:
    """`bnxt-wizard ARGS` in the background, secrets only on stdin."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wizard", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(config_dir),
    )
    assert proc.stdin is not None
    proc.stdin.write(stdin)
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush it again
    RUNNING.append(proc)
    return proc


RUNNING: list[subprocess.Popen[str]] = []


def stop_leftovers() -> None:
    """Kill what a failed test left running (by its own handle), and reap it."""
    while RUNNING:
        proc = RUNNING.pop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate()


def wait(proc: subprocess.Popen[str], timeout: float = 120.0) -> Result:
    out, err = proc.communicate(timeout=timeout)
    return Result(proc.returncode, out, err)


def saved_profile(
    config_dir: Path,
    token_url: str,
    secret: str,
    *,
    name: str = "default",
    env_files: Iterable[Path] = (),
) -> Profile:
    """A service profile in the file store, with .env files written and recorded."""
    ws = Workspace(config_dir)
    endpoints = Endpoints.defaults("service").model_copy(update={"token_url": token_url})
    profile = make_profile(name, client_id=CLIENT_ID, endpoints=endpoints)
    profile = save_profile(ws, profile, SecretStr(secret), "file")
    records = []
    for path in env_files:
        write_env_file(path, env_values(profile, SecretStr(secret)), profile=name)
        records.append(EnvFileRecord(path=str(path)))
    if records:
        profile = ws.config.update(name, lambda p: p.model_copy(update={"env_files": records}))
    return profile


def env_secret(path: Path) -> str | None:
    from dotenv import dotenv_values

    return dotenv_values(path).get("BNXT_CLIENT_SECRET")


def state(config_dir: Path, name: str = "default") -> tuple[str | None, str | None, Profile]:
    """(current secret, backup secret, profile) as stored now, read by a fresh workspace."""
    from wizard.core.secrets import Slot

    ws = Workspace(config_dir)
    profile = ws.config.get(name)
    current = ws.vault.fetch(name, "file")
    backup = ws.vault.fetch(name, "file", Slot.PREVIOUS)
    return (
        current.get_secret_value() if current else None,
        backup.get_secret_value() if backup else None,
        profile,
    )


def cli(config_dir: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """The CLI in this process (fast); the secrets file is shared with the killed ones."""
    from wizard.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
    try:
        code = main(["--config-dir", str(config_dir), *args])
    finally:
        sys.stdin, sys.stdout, sys.stderr = old
    return code, out.getvalue(), err.getvalue()
