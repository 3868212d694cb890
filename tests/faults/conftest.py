"""Fixtures for the fault tests: no proxy or CA settings leak in, a private CA on demand."""

from __future__ import annotations

import io
import ssl
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import trustme

from tests.faults.helpers import CLIENT_ID

_LEAKY = (
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "https_proxy",
    "http_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
)


@pytest.fixture(autouse=True)
def _no_proxy_or_ca_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy would swallow loopback requests; SSL_CERT_FILE would change what is trusted."""
    for name in _LEAKY:
        monkeypatch.delenv(name, raising=False)


@dataclass(frozen=True)
class PrivateCA:
    """A CA nobody trusts, its PEM file, and a server context holding a cert it issued."""

    ca: trustme.CA
    pem: Path

    def server_context(self, *hosts: str) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert(*(hosts or ("127.0.0.1", "localhost"))).configure_cert(context)
        return context


@pytest.fixture
def private_ca(tmp_path: Path) -> PrivateCA:
    ca = trustme.CA()
    pem = tmp_path / "private-ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return PrivateCA(ca, pem)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


class Cli:
    """``bnxt-wizard`` run in-process: ``main([...])``, stdin fed from a string."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
        self._monkeypatch = monkeypatch
        self._capsys = capsys

    def __call__(self, *argv: str, stdin: str = "") -> CliResult:
        from wizard.cli import main

        self._capsys.readouterr()
        self._monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(argv))
        captured = self._capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    def init(self, token_url: str, graphql_url: str, secret: str) -> CliResult:
        result = self(
            "init",
            "--non-interactive",
            "--app-type",
            "service",
            "--app-name",
            "Fault test",
            "--client-id",
            CLIENT_ID,
            "--token-url",
            token_url,
            "--graphql-url",
            graphql_url,
            "--company",
            "5280101:Full access",
            "--secret-stdin",
            "--secret-store",
            "file",
            stdin=secret + "\n",
        )
        assert result.code == 0, result.out + result.err
        return result

    @staticmethod
    def verified_at(profile: str = "default") -> datetime | None:
        from wizard.core.profiles import Workspace

        return Workspace.open(None).config.get(profile).verified_at


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(monkeypatch, capsys)
