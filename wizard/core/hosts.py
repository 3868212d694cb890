"""Does ``app.local`` point at this machine?

The Developer Portal refuses localhost in login and redirect URIs, so local development uses
``https://app.local:PORT/``. That only works when the name resolves to a loopback address,
usually through a hosts-file line. This asks the system resolver (nothing else on the
network) and gives up after a bounded time: ``.local`` names may also go to multicast DNS,
which can hang for seconds when nothing answers.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wizard.core.visma import LOCAL_DEV_HOST

DEFAULT_TIMEOUT = 2.0
POSIX_HOSTS_FILE = "/etc/hosts"
WINDOWS_HOSTS_FILE = r"C:\Windows\System32\drivers\etc\hosts"

Resolver = Callable[..., Sequence[tuple[Any, ...]]]


@dataclass(frozen=True)
class HostsCheck:
    resolves: bool
    addresses: list[str] = field(default_factory=list)
    is_local: bool = False
    message: str = ""
    hosts_line: str = ""
    hosts_file: str = ""


def hosts_file_path(platform: str | None = None) -> str:
    """Where the hosts file lives on ``platform`` (a ``sys.platform`` value; default: this one)."""
    return WINDOWS_HOSTS_FILE if (platform or sys.platform).startswith("win") else POSIX_HOSTS_FILE


def hosts_line(host: str = LOCAL_DEV_HOST) -> str:
    return f"127.0.0.1 {host}"


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``text`` as an IP address (an IPv6 zone such as '%lo' ignored, an IPv4-mapped
    ::ffff:a.b.c.d as its IPv4 address), or None when it is not one."""
    try:
        ip = ipaddress.ip_address(text.partition("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_loopback(address: str) -> bool:
    """127.0.0.0/8, ::1 and IPv4-mapped ::ffff:127.x.x.x; an IPv6 zone ('%lo') is ignored."""
    ip = _address(address)
    return ip is not None and ip.is_loopback


LISTEN_ADDRESS = ipaddress.IPv4Address("127.0.0.1")  # where the wizard's local app listens


def is_listen_address(address: str) -> bool:
    """127.0.0.1 itself (or ::ffff:127.0.0.1): the one address the local app listens on."""
    return _address(address) == LISTEN_ADDRESS


def _lookup(host: str, resolver: Resolver, timeout: float) -> list[str] | str:
    """The addresses ``host`` resolves to, or a short reason it does not (never raises).

    The lookup runs in a daemon thread: a resolver that hangs is abandoned, not waited for.
    """
    outcome: list[list[str] | str] = []

    def attempt() -> None:
        try:
            infos = resolver(host, None, 0, socket.SOCK_STREAM)
            found: list[str] = []
            for info in infos:
                address = str(info[4][0]).partition("%")[0]
                if address not in found:
                    found.append(address)
            outcome.append(found)
        except socket.gaierror as exc:
            outcome.append(f"the resolver does not know it ({exc.strerror or 'no address'})")
        except (OSError, UnicodeError, ValueError) as exc:
            outcome.append(f"the lookup failed ({type(exc).__name__})")

    worker = threading.Thread(target=attempt, name="app-local-lookup", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return f"the resolver did not answer within {timeout:g} seconds"
    return outcome[0]


def resolve_app_local(
    host: str = LOCAL_DEV_HOST,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    resolver: Resolver | None = None,
    platform: str | None = None,
) -> HostsCheck:
    """Ask the system resolver where ``host`` points, within ``timeout`` seconds."""
    line = hosts_line(host)
    path = hosts_file_path(platform)
    answer = _lookup(host, resolver or socket.getaddrinfo, timeout)
    advice = f"Add the line '{line}' to {path} (it needs administrator rights)."
    if isinstance(answer, str):
        return HostsCheck(
            resolves=False,
            message=f"{host} does not resolve on this machine: {answer}. {advice}",
            hosts_line=line,
            hosts_file=path,
        )
    if not answer:
        return HostsCheck(
            resolves=False,
            message=f"{host} resolves to no address. {advice}",
            hosts_line=line,
            hosts_file=path,
        )
    shown = ", ".join(answer)
    if any(is_listen_address(a) for a in answer):
        also = (
            " The browser may try the other addresses first, then 127.0.0.1, where the local "
            "app listens."
            if len(answer) > 1
            else ""
        )
        return HostsCheck(
            resolves=True,
            addresses=answer,
            is_local=True,
            message=f"{host} resolves to {shown}: this machine. The local URIs will reach "
            f"your app.{also}",
            hosts_line=line,
            hosts_file=path,
        )
    if any(is_loopback(a) for a in answer):
        # e.g. only '::1 app.local': this machine, but the browser would connect over IPv6
        # (or to another 127.x address) and find nothing; the local app listens on 127.0.0.1.
        return HostsCheck(
            resolves=True,
            addresses=answer,
            is_local=False,
            message=f"{host} resolves to {shown}: this machine, but not 127.0.0.1, where the "
            f"local app listens, so the browser would not reach it. {host} must map to "
            f"127.0.0.1: {advice[0].lower()}{advice[1:]}",
            hosts_line=line,
            hosts_file=path,
        )
    return HostsCheck(
        resolves=True,
        addresses=answer,
        is_local=False,
        message=f"{host} resolves to {shown}, not to this machine's loopback address, so the "
        f"browser may land somewhere else. {advice}",
        hosts_line=line,
        hosts_file=path,
    )
