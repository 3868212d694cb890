"""Unit tests for the app.local resolution check (no real DNS: every resolver is fake)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from wizard.core import hosts
from wizard.core.hosts import HostsCheck, hosts_file_path, is_loopback, resolve_app_local


def answer(*addresses: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for address in addresses:
        if ":" in address:
            rows.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, 0, 0, 0)))
        else:
            rows.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0)))
    return rows


def resolver_returning(*addresses: str) -> Any:
    def fake(*args: Any) -> list[tuple[Any, ...]]:
        return answer(*addresses)

    return fake


def resolver_raising(exc: BaseException) -> Any:
    def fake(*args: Any) -> list[tuple[Any, ...]]:
        raise exc

    return fake


@pytest.fixture
def hanging() -> Iterator[Any]:
    """A resolver that never answers while the test runs (released afterwards)."""
    release = threading.Event()

    def fake(*args: Any) -> list[tuple[Any, ...]]:
        release.wait(60)
        return answer("127.0.0.1")

    yield fake
    release.set()


def test_loopback_answer_is_local_and_deduplicated() -> None:
    check = resolve_app_local(resolver=resolver_returning("127.0.0.1", "127.0.0.1", "::1"))
    assert check.resolves and check.is_local
    assert check.addresses == ["127.0.0.1", "::1"]
    assert "this machine" in check.message
    assert check.hosts_line == "127.0.0.1 app.local"


def test_both_loopbacks_are_local_and_say_the_browser_falls_back() -> None:
    check = resolve_app_local(resolver=resolver_returning("::1", "127.0.0.1"))
    assert check.is_local
    assert "then 127.0.0.1, where the local app listens" in check.message


@pytest.mark.parametrize("address", ["::1", "127.0.0.2"])
def test_a_loopback_other_than_127_0_0_1_is_said_plainly(address: str) -> None:
    """The local app listens on 127.0.0.1 only: app.local -> ::1 (IPv6) would not reach it."""
    check = resolve_app_local(resolver=resolver_returning(address), platform="linux")
    assert check.resolves and not check.is_local
    assert "app.local must map to 127.0.0.1" in check.message
    assert "'127.0.0.1 app.local'" in check.message and "/etc/hosts" in check.message


def test_ipv4_mapped_127_0_0_1_is_the_listen_address() -> None:
    assert resolve_app_local(resolver=resolver_returning("::ffff:127.0.0.1")).is_local


def test_lan_address_resolves_but_is_not_local() -> None:
    check = resolve_app_local(resolver=resolver_returning("192.168.1.20"), platform="linux")
    assert check.resolves and not check.is_local
    assert check.addresses == ["192.168.1.20"]
    assert "192.168.1.20" in check.message
    assert "'127.0.0.1 app.local'" in check.message and "/etc/hosts" in check.message


def test_unknown_name_does_not_resolve() -> None:
    err = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    check = resolve_app_local(resolver=resolver_raising(err), platform="darwin")
    assert check == HostsCheck(
        resolves=False,
        addresses=[],
        is_local=False,
        message=check.message,
        hosts_line="127.0.0.1 app.local",
        hosts_file="/etc/hosts",
    )
    assert "does not resolve" in check.message and "Name or service not known" in check.message


@pytest.mark.parametrize("exc", [OSError("boom"), UnicodeError("label too long"), ValueError()])
def test_other_lookup_failures_are_reported_not_raised(exc: Exception) -> None:
    check = resolve_app_local(resolver=resolver_raising(exc))
    assert not check.resolves
    assert type(exc).__name__ in check.message


def test_empty_answer_is_not_a_resolution() -> None:
    check = resolve_app_local(resolver=resolver_returning())
    assert not check.resolves and not check.is_local
    assert "no address" in check.message


def test_a_hanging_resolver_is_abandoned_after_the_timeout(hanging: Any) -> None:
    started = time.monotonic()
    check = resolve_app_local(timeout=0.2, resolver=hanging)
    assert time.monotonic() - started < 10  # the resolver hangs for 60 s
    assert not check.resolves
    assert "did not answer within 0.2 seconds" in check.message


def test_the_resolver_is_asked_for_the_host_only(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake(*args: Any) -> list[tuple[Any, ...]]:
        calls.append(args)
        return answer("127.0.0.1")

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    assert resolve_app_local("dev.app.local").is_local
    assert calls == [("dev.app.local", None, 0, socket.SOCK_STREAM)]


def test_ipv6_zone_is_dropped_from_addresses() -> None:
    check = resolve_app_local(resolver=resolver_returning("fe80::1%eth0"))
    assert check.addresses == ["fe80::1"]
    assert not check.is_local


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("::1%lo", True),
        ("10.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("app.local", False),
        ("", False),
    ],
)
def test_is_loopback(address: str, expected: bool) -> None:
    assert is_loopback(address) is expected


@pytest.mark.parametrize(
    ("platform", "path"),
    [
        ("win32", r"C:\Windows\System32\drivers\etc\hosts"),
        ("linux", "/etc/hosts"),
        ("darwin", "/etc/hosts"),
    ],
)
def test_hosts_file_per_platform(platform: str, path: str) -> None:
    assert hosts_file_path(platform) == path
    check = resolve_app_local(resolver=resolver_returning("10.1.1.1"), platform=platform)
    assert check.hosts_file == path and path in check.message


def test_hosts_line_names_the_host() -> None:
    assert hosts.hosts_line("my.app.local") == "127.0.0.1 my.app.local"
