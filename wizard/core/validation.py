"""Every input rule, as a pure function. One rule, one function.

Each ``check_*`` function takes raw user text and returns a list of :class:`Finding`.
The pydantic models, the CLI and the Textual validators all call these same functions, so
the three can never disagree. An ``error`` blocks saving; a ``warning`` is shown and the
value is still accepted (possibly after a visible fix-up); a ``hint`` is advice.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from wizard.core.visma import CLIENT_ID_MAX, ISV_PREFIX, LOCAL_DEV_HOST

Level = Literal["error", "warning", "hint"]

CLIENT_ID_ALLOWED = "letters A-Z and a-z, digits 0-9, underscore (_), hyphen (-) and dot (.)"
_CLIENT_ID_RE = re.compile(r"[A-Za-z0-9_.\-]+")
_PROFILE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
NAME_MAX = 100
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str
    field: str = ""

    @property
    def is_error(self) -> bool:
        return self.level == "error"


def errors(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings if f.is_error]


def first_error(findings: list[Finding]) -> str | None:
    errs = errors(findings)
    return errs[0] if errs else None


def _err(field: str, message: str) -> Finding:
    return Finding("error", message, field)


def check_profile_name(value: str) -> list[Finding]:
    if not value:
        return [_err("profile", "Give the profile a name, e.g. 'default', 'dev' or 'prod'.")]
    if not _PROFILE_NAME_RE.fullmatch(value):
        return [
            _err(
                "profile",
                "A profile name starts with a letter or digit and holds at most 64 "
                "letters, digits, '_', '-' or '.'.",
            )
        ]
    return []


def check_app_name(value: str) -> list[Finding]:
    if not value.strip():
        return [_err("app_name", "Enter the application name you chose in the Developer Portal.")]
    if len(value) > NAME_MAX:
        return [_err("app_name", f"Keep the application name to {NAME_MAX} characters or fewer.")]
    if not value.isprintable():
        return [_err("app_name", "The application name contains control characters; retype it.")]
    return []


def check_description(value: str) -> list[Finding]:
    if len(value) > DESCRIPTION_MAX:
        return [
            _err("description", f"Keep the description to {DESCRIPTION_MAX} characters or fewer.")
        ]
    if any(not (c.isprintable() or c in "\n\t") for c in value):
        return [_err("description", "The description contains control characters; retype it.")]
    return []


def check_client_id(value: str) -> list[Finding]:
    field = "client_id"
    if not value:
        return [_err(field, "Enter the client ID you registered in the Developer Portal.")]
    found: list[Finding] = []
    if any(c.isspace() for c in value):
        found.append(
            _err(field, "The client ID cannot contain spaces or other whitespace; remove them.")
        )
    elif not _CLIENT_ID_RE.fullmatch(value):
        bad = sorted({c for c in value if not _CLIENT_ID_RE.fullmatch(c)})
        shown = " ".join(repr(c) for c in bad[:5])
        found.append(
            _err(field, f"The client ID may only use {CLIENT_ID_ALLOWED}; remove {shown}.")
        )
    if len(value) > CLIENT_ID_MAX:
        found.append(
            _err(
                field,
                f"The client ID is {len(value)} characters; at most {CLIENT_ID_MAX} fit. "
                "It must be typed as a user name in the Business NXT User table, whose names "
                f"are limited to {CLIENT_ID_MAX} characters. Register a shorter client ID.",
            )
        )
    if not found and not value.startswith(ISV_PREFIX):
        found.append(
            Finding(
                "hint",
                f"Client IDs issued by the portal usually start with '{ISV_PREFIX}' "
                f"(e.g. {ISV_PREFIX}my-application). Check you copied the whole ID.",
                field,
            )
        )
    return found


def normalize_secret(value: str) -> tuple[str, list[Finding]]:
    """Trim surrounding whitespace from a pasted secret, saying so when it happens."""
    trimmed = value.strip()
    if trimmed != value and trimmed:
        return trimmed, [
            Finding(
                "warning",
                "Removed whitespace around the pasted secret (a stray space or newline from "
                "copying). The secret itself was kept as pasted.",
                "secret",
            )
        ]
    return value, []


def check_secret(value: str, client_id: str | None = None) -> list[Finding]:
    """Check a secret; surrounding whitespace is reported, not fixed (see normalize_secret)."""
    field = "secret"
    if not value.strip():
        return [
            _err(
                field,
                "Paste the client secret from the Credentials tab of the Developer Portal.",
            )
        ]
    found: list[Finding] = []
    if value != value.strip():
        found.append(
            Finding(
                "warning",
                "The secret has whitespace around it; it will be trimmed before it is saved.",
                field,
            )
        )
    core = value.strip()
    if not core.isprintable():
        found.append(
            _err(
                field,
                "The secret contains control or non-printable characters; copy it again "
                "from the portal.",
            )
        )
    if client_id and core == client_id:
        found.append(
            _err(
                field,
                "That is the client ID, not the secret. Generate a secret on the "
                "Credentials tab and paste it here.",
            )
        )
    return found


def check_port(value: str | int) -> list[Finding]:
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        return [_err("port", "Enter the port your app listens on locally: a number 1-65535.")]
    return []


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_portal_uri(
    value: str, expected_path: str | None = None, field: str = "uri"
) -> list[Finding]:
    """A URI typed into the Developer Portal (login, logout, redirect)."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return [_err(field, f"{value!r} is not a valid URI; use e.g. https://app.local:12345/.")]
    if parts.scheme != "https":
        return [_err(field, "Portal URIs must use https://, e.g. https://app.local:12345/.")]
    host = parts.hostname or ""
    if not host:
        return [_err(field, "The URI has no host; use e.g. https://app.local:12345/.")]
    if _is_loopback(host):
        return [
            _err(
                field,
                f"The Developer Portal refuses {host}; use {LOCAL_DEV_HOST} instead and point it "
                f"at this machine with the hosts-file line '127.0.0.1 {LOCAL_DEV_HOST}'.",
            )
        ]
    if port is not None and not 1 <= port <= 65535:
        return [_err(field, "The port must be a number 1-65535.")]
    if expected_path is not None and (parts.path or "/") != expected_path:
        return [
            _err(
                field,
                f"The path should be exactly {expected_path!r} (got {parts.path or '/'!r}); "
                "override the path only if your app really serves it elsewhere.",
            )
        ]
    return []


def check_endpoint_url(value: str, field: str = "url") -> list[Finding]:
    """A token, authorize or GraphQL endpoint: https, or http on a loopback host."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return [_err(field, f"{value!r} is not a valid URL.")]
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        return [_err(field, f"{value!r} is not a valid URL; it must start with https://.")]
    if parts.scheme == "http" and not _is_loopback(host):
        return [
            _err(
                field,
                "Endpoints must use https://; plain http is allowed only on loopback "
                "(127.0.0.1, ::1, localhost) for the local simulator.",
            )
        ]
    return []


def check_scope(value: str) -> list[Finding]:
    if not value.strip():
        return [_err("scope", "Enter the scope granted by the API integration.")]
    if not value.isprintable():
        return [_err("scope", "The scope contains control characters.")]
    return []


def check_tenant_id(value: str) -> list[Finding]:
    if value and (any(c.isspace() for c in value) or not value.isprintable()):
        return [_err("tenant_id", "A tenant ID has no whitespace; copy it again.")]
    return []


def check_company_number(value: str | int) -> list[Finding]:
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        return [
            _err(
                "company_no",
                "A company number is a positive whole number (the Column no. in Business NXT).",
            )
        ]
    return []


def check_access_group(value: str) -> list[Finding]:
    if not value.strip():
        return [_err("access_group", "Enter the access group that sets this company's rights.")]
    if not value.isprintable():
        return [_err("access_group", "The access group contains control characters.")]
    return []


def parse_company_spec(spec: str) -> tuple[int, str, list[Finding]]:
    """Parse ``NO:GROUP`` as given to ``--company``."""
    number, sep, group = spec.partition(":")
    if not sep:
        return (
            0,
            "",
            [
                _err(
                    "company",
                    f"Write a company as NUMBER:ACCESS_GROUP, e.g. 1234:Admin (got {spec!r}).",
                )
            ],
        )
    found = check_company_number(number) + check_access_group(group)
    if any(f.is_error for f in found):
        return 0, "", found
    return int(number.strip()), group.strip(), []
