"""What the simulated Visma Connect remembers between the steps of a browser sign-in.

An authorization request waits here while the user logs in and consents; an authorization
code waits for its one exchange; a refresh token for its holder. All in memory, bounded,
thread-safe (the server answers each request on its own thread), per simulator.

``tamper_id_token`` is a hook for tests and CI: it makes the next ID tokens wrong in one
chosen way, so a client can prove it refuses them.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Literal

CODE_LIFETIME = 300  # seconds, as IdentityServer's default authorization code lifetime
PENDING_LIFETIME = 900
MAX_ENTRIES = 1000

IdTokenFault = Literal["aud", "nonce", "expired", "key", "iss"]


@dataclass(frozen=True)
class AuthRequest:
    """A checked ``/connect/authorize`` request, waiting for the user."""

    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    nonce: str | None
    code_challenge: str
    created: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Grant:
    """What a code or a refresh token stands for: a user's consent to a client."""

    client_id: str
    user: str  # the person's sub
    scopes: tuple[str, ...]
    redirect_uri: str = ""
    code_challenge: str = ""
    nonce: str | None = None
    created: float = field(default_factory=time.monotonic)


class SignInState:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[AuthRequest, str | None]] = {}  # id -> (request, sub)
        self._codes: dict[str, Grant] = {}
        self._refresh: dict[str, Grant] = {}
        self.tamper_id_token: IdTokenFault | None = None

    @staticmethod
    def _new_id() -> str:
        return secrets.token_urlsafe(24)

    @staticmethod
    def _trim(table: dict[str, object]) -> None:
        while len(table) >= MAX_ENTRIES:
            table.pop(next(iter(table)))

    # pending authorization requests ------------------------------------------------
    def hold(self, request: AuthRequest) -> str:
        key = self._new_id()
        with self._lock:
            self._trim(self._pending)  # type: ignore[arg-type]
            self._pending[key] = (request, None)
        return key

    def pending(self, key: str) -> tuple[AuthRequest, str | None] | None:
        with self._lock:
            found = self._pending.get(key)
        if found is None or time.monotonic() - found[0].created > PENDING_LIFETIME:
            return None
        return found

    def logged_in(self, key: str, sub: str) -> None:
        with self._lock:
            found = self._pending.get(key)
            if found is not None:
                self._pending[key] = (found[0], sub)

    def finish(self, key: str) -> tuple[AuthRequest, str | None] | None:
        """Take the request out: it is answered once, whatever the answer."""
        with self._lock:
            return self._pending.pop(key, None)

    # codes and refresh tokens ---------------------------------------------------------
    def new_code(self, grant: Grant) -> str:
        code = self._new_id()
        with self._lock:
            self._trim(self._codes)  # type: ignore[arg-type]
            self._codes[code] = grant
        return code

    def redeem_code(self, code: str) -> Grant | None:
        """The grant behind ``code``, once; None when unknown, used or expired."""
        with self._lock:
            grant = self._codes.pop(code, None)
        if grant is None or time.monotonic() - grant.created > CODE_LIFETIME:
            return None
        return grant

    def new_refresh_token(self, grant: Grant) -> str:
        token = self._new_id()
        with self._lock:
            self._trim(self._refresh)  # type: ignore[arg-type]
            self._refresh[token] = grant
        return token

    def use_refresh_token(self, token: str) -> Grant | None:
        """The grant behind ``token``; the token is used up (a new one is issued with it)."""
        with self._lock:
            return self._refresh.pop(token, None)
