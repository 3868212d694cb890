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
from urllib.parse import SplitResult, urlsplit

from wizard.core.visma import (
    CLIENT_ID_MAX,
    CONNECT_BASE,
    DOCUMENTED_SCOPES,
    ISV_PREFIX,
    LOCAL_DEV_HOST,
    SERVICE_SCOPES,
    TOKEN_URL,
    WEB_SIGN_IN_SCOPES,
)
from wizard.core.visma_facts import text

Level = Literal["error", "warning", "hint"]

CLIENT_ID_ALLOWED = "letters A-Z and a-z, digits 0-9, underscore (_), hyphen (-) and dot (.)"
_CLIENT_ID_RE = re.compile(r"[A-Za-z0-9_.\-]+")
_PROFILE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
PORT_MAX = 65535
# useCompany(no: N) takes the Visma.net company ID, a GraphQL Int (a signed 32-bit number).
# Visma's examples show 7-digit IDs (features/errors: 1234567); the docs state no range, so
# the rule refuses only what is far from that: fewer than 6 digits (a Business NXT company
# number or a typo, most likely) or more than an Int holds.
COMPANY_NO_MAX = 2**31 - 1
COMPANY_NO_MIN = 100_000
_ASCII_DIGITS_RE = re.compile(r"[0-9]+")
_ASCII_SPACE = " \t\n\r\f\v"
_PORTAL_EXAMPLE = f"https://{LOCAL_DEV_HOST}:12345/"
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
                "Use a profile name that starts with a letter or digit and holds at most 64 "
                "letters, digits, '_', '-' or '.'.",
            )
        ]
    return []


def check_app_name(value: str) -> list[Finding]:
    """Judged as it is stored: the profile trims surrounding whitespace."""
    core = value.strip()
    if not core:
        return [_err("app_name", "Enter the application name you chose in the Developer Portal.")]
    if len(core) > NAME_MAX:
        return [_err("app_name", f"Keep the application name to {NAME_MAX} characters or fewer.")]
    if not core.isprintable():
        return [
            _err(
                "app_name",
                "The application name contains control or invisible characters; retype it.",
            )
        ]
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
    bad = sorted({c for c in value if not c.isspace() and not _CLIENT_ID_RE.fullmatch(c)})
    if bad:
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
                f"Client IDs of registered apps usually start with '{ISV_PREFIX}' "
                f"(e.g. {ISV_PREFIX}my-application). Check you copied the whole ID as the "
                f"portal shows it; the prefix counts toward the {CLIENT_ID_MAX} characters.",
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
    if client_id and client_id.strip() and core == client_id.strip():
        found.append(
            _err(
                field,
                "That is the client ID, not the secret. Generate a secret on the "
                "Credentials tab and paste it here.",
            )
        )
    return found


def _whole_number(value: str | int) -> int | None:
    """The value as a whole number written in ASCII digits, or None.

    ``str.isdigit`` is not enough: it is true for '²' (which ``int`` then refuses) and for
    Arabic-Indic digits (which ``int`` quietly accepts). Text longer than 18 characters is
    refused outright, and only ASCII blanks are trimmed, so a caller may call ``int()``
    on any text these checks accept (``int`` refuses more than 4300 digits, and str.strip
    removes '\\x1f', which ``int`` does not).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip(_ASCII_SPACE)
    if len(text) > 18 or not _ASCII_DIGITS_RE.fullmatch(text):
        return None
    return int(text)


def check_port(value: str | int) -> list[Finding]:
    port = _whole_number(value)
    if port is None or not 1 <= port <= PORT_MAX:
        return [_err("port", "Enter the port your app listens on locally: a number 1-65535.")]
    return []


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8, ::1 and IPv4-mapped ::ffff:127.x.x.x: the hosts plain http://
    may reach and that are never sent through a proxy.

    ``localhost.`` (with the root dot) is *not* one: as a fully qualified name it may be
    looked up in DNS rather than answered locally (RFC 6761 asks resolvers not to, but
    nothing makes them), and then plain http would carry the credentials off the machine.
    """
    name = host.lower()
    if name in LOOPBACK_HOSTS:
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _has_space_or_control(value: str) -> bool:
    """urlsplit silently drops tabs and newlines and strips leading blanks, so a URI that
    passed the check could still be saved with them: refuse them before parsing."""
    return any(c.isspace() or not c.isprintable() for c in value)


def _url_port_error(parts: SplitResult, field: str, example: str) -> Finding | None:
    try:
        port = parts.port
    except ValueError:  # not digits, or above 65535
        port = 0
    if port == 0:
        return _err(field, f"Use a port from 1 to 65535 after the host, e.g. {example}.")
    return None


def check_uri_path(value: str, field: str = "path") -> list[Finding]:
    """A path the user chose for a portal URI; a '?' or '#' would end up outside the path."""
    if not value.startswith("/") or _has_space_or_control(value) or "?" in value or "#" in value:
        return [
            _err(
                field,
                "Write the path as '/' followed by the path your app serves, without spaces, "
                "'?' or '#', e.g. /signin-oidc.",
            )
        ]
    return []


def check_portal_uri(
    value: str, expected_path: str | None = None, field: str = "uri"
) -> list[Finding]:
    """A URI typed into the Developer Portal (login, logout, redirect).

    ``expected_path`` is '/', '/logout' or '/signin-oidc' unless the user overrode it.
    """
    example = _PORTAL_EXAMPLE
    if expected_path is not None:
        path_errors = check_uri_path(expected_path, field)
        if path_errors:
            return path_errors
    if _has_space_or_control(value):
        return [_err(field, "Remove the spaces, line breaks or control characters from the URI.")]
    try:
        parts = urlsplit(value)
    except ValueError:
        return [_err(field, f"That is not a valid URI; write it like {example}.")]
    if parts.scheme != "https":
        return [
            _err(field, f"Start the URI with https:// (the portal takes no other), e.g. {example}.")
        ]
    host = parts.hostname or ""
    if not host:
        return [_err(field, f"The URI has no host; write it like {example}.")]
    if "@" in parts.netloc:
        return [_err(field, "Remove the user name or password (the part before '@') from the URI.")]
    if host.lower().removesuffix(".") == "localhost":
        return [
            _err(
                field,
                f"{text('localhost_refused')} Point {LOCAL_DEV_HOST} at this machine with the "
                f"hosts-file line '127.0.0.1 {LOCAL_DEV_HOST}'.",
            )
        ]
    port_error = _url_port_error(parts, field, example)
    if port_error:
        return [port_error]
    found: list[Finding] = []
    if is_loopback_host(host):
        found.append(Finding("warning", text("loopback_ip"), field))
    if "#" in value:
        return [
            _err(
                field,
                "Remove the '#...' part; OAuth login, logout and redirect URIs carry no fragment.",
            )
        ]
    if expected_path is not None and (parts.path or "/") != expected_path:
        return [
            _err(
                field,
                # The path typed is not repeated: whatever was pasted here stays unechoed.
                f"Change the path to exactly {expected_path!r}, or override the expected path "
                "if your app really serves it elsewhere.",
            )
        ]
    return found


GRAPHQL_EXAMPLE = "https://business.visma.net/api/graphql-service"


def check_endpoint_url(value: str, field: str = "url") -> list[Finding]:
    """A token, authorize or GraphQL endpoint: https, or http on a loopback host."""
    # each field's own kind of URL as its example (a GraphQL field never shows the token URL)
    example = {"graphql_url": GRAPHQL_EXAMPLE, "issuer": CONNECT_BASE}.get(field, TOKEN_URL)
    if _has_space_or_control(value):
        return [_err(field, "Remove the spaces, line breaks or control characters from the URL.")]
    try:
        parts = urlsplit(value)
    except ValueError:
        return [_err(field, f"That is not a valid URL; write it like {example}.")]
    if parts.scheme not in ("https", "http"):
        return [_err(field, f"Start the URL with https://, e.g. {example}.")]
    host = parts.hostname or ""
    if not host:
        return [_err(field, f"The URL has no host; write it like {example}.")]
    if "@" in parts.netloc:
        return [
            _err(
                field,
                "Remove the user name or password (the part before '@') from the URL; "
                "credentials belong in the secret store.",
            )
        ]
    port_error = _url_port_error(parts, field, "https://127.0.0.1:8443/")
    if port_error:
        return [port_error]
    if parts.scheme == "http" and not is_loopback_host(host):
        return [
            _err(
                field,
                "Use https:// for this endpoint; plain http:// is allowed only on loopback "
                "(127.0.0.1, ::1, localhost) for the local simulator.",
            )
        ]
    return []


def check_scope(value: str) -> list[Finding]:
    """A scope outside the documented ones is kept, with a warning naming those."""
    if not value.strip():
        return [_err("scope", "Enter the scope granted by the API integration.")]
    if not value.isprintable():
        return [
            _err(
                "scope",
                "The scope contains control characters; retype it with single spaces "
                "between scopes.",
            )
        ]
    unknown = [s for s in dict.fromkeys(value.split()) if s not in DOCUMENTED_SCOPES]
    if unknown:
        return [
            Finding(
                "warning",
                f"Not among the scopes Visma documents for Business NXT: {' '.join(unknown)} "
                "(kept as typed). A service uses "
                f"{' or '.join(SERVICE_SCOPES)}; a web sign-in uses "
                f"{' '.join(WEB_SIGN_IN_SCOPES)}.",
                "scope",
            )
        ]
    return []


def check_tenant_id(value: str) -> list[Finding]:
    if value and (any(c.isspace() for c in value) or not value.isprintable()):
        return [_err("tenant_id", "A tenant ID has no whitespace; copy it again.")]
    return []


def check_company_number(value: str | int) -> list[Finding]:
    """The Visma.net company ID, as ``useCompany(no:)`` and ``availableCompanies`` know it."""
    number = _whole_number(value)
    if number is None or number < 0:
        return [
            _err(
                "company_no",
                "Enter the company's Visma.net company ID (vismaNetCompanyId) as a whole "
                "number written with the digits 0-9, e.g. 1234567.",
            )
        ]
    if number < COMPANY_NO_MIN:
        return [
            _err(
                "company_no",
                f"Too short to be a Visma.net company ID ({number}): the API's "
                "useCompany(no:) takes the vismaNetCompanyId, 7 digits in Visma's examples "
                "(e.g. 1234567). A short number is probably the company's number inside "
                "Business NXT: enter the Visma.net ID instead (the Test step lists each "
                "reachable company's ID by name).",
            )
        ]
    if number > COMPANY_NO_MAX:
        return [
            _err(
                "company_no",
                "That number is too large for a Visma.net company ID: useCompany(no:) takes a "
                f"GraphQL Int, at most {COMPANY_NO_MAX}. Enter the vismaNetCompanyId.",
            )
        ]
    return []


def check_access_group(value: str) -> list[Finding]:
    """Judged as it is stored: the grant and ``--company`` trim surrounding whitespace."""
    core = value.strip()
    if not core:
        return [_err("access_group", "Enter the access group that sets this company's rights.")]
    if not core.isprintable():
        return [
            _err(
                "access_group",
                "The access group contains control or invisible characters; retype it as "
                "Business NXT shows it.",
            )
        ]
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
                    "Write a company as VISMA_NET_COMPANY_ID:ACCESS_GROUP, e.g. 1234567:Admin "
                    f"(got {spec!r}).",
                )
            ],
        )
    found = check_company_number(number) + check_access_group(group)
    company_no = _whole_number(number)
    if company_no is None or any(f.is_error for f in found):
        return 0, "", found
    return company_no, group.strip(), []
