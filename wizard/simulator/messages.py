"""Plain request and response values, so every endpoint is a function that never sees a socket."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query string
    headers: Mapping[str, str]  # keys lower-cased
    body: bytes = b""
    query: str = ""  # the raw query string, without the '?'

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters such as ``charset``, lower-cased."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON answer. Never cached: token answers carry secrets (RFC 6749 5.1)."""
    return Response(
        status,
        json.dumps(payload).encode(),
        {
            "Content-Type": "application/json",
            "Cache-Control": "no-store",
            "Pragma": "no-cache",
            **(headers or {}),
        },
    )


def html_response(status: int, page: str, headers: Mapping[str, str] | None = None) -> Response:
    """A page for a browser. Callers escape every value they put in it."""
    return Response(
        status,
        page.encode("utf-8"),
        {
            "Content-Type": "text/html; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            **(headers or {}),
        },
    )


def redirect(location: str) -> Response:
    return Response(302, b"", {"Location": location, "Cache-Control": "no-store"})


def not_found(path: str) -> Response:
    return json_response(404, {"error": "not_found", "error_description": f"No endpoint {path}."})


def method_not_allowed(allowed: str) -> Response:
    return json_response(
        405,
        {"error": "method_not_allowed", "error_description": f"Use {allowed}."},
        {"Allow": allowed},
    )
