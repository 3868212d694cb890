"""Upgrades of the raw config data, one function per schema version (see config_store).

Each takes the whole TOML document as read and returns it upgraded; profiles it does not
concern are left exactly as they were.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from wizard.core.visma import AUTHORIZE_URL, CONNECT_BASE, WEB_SIGN_IN_SCOPE

# The web scopes version-1 profiles got by default (first without `profile`, then with it).
V1_WEB_SCOPES = (
    "business-graphql-api:access-group-based openid email offline_access",
    "business-graphql-api:access-group-based openid profile email offline_access",
)
V2_WEB_SCOPE = WEB_SIGN_IN_SCOPE


def _origin(url: object) -> str | None:
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def web_signin_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 gives web profiles an issuer (endpoints come from its discovery document).

    * ``issuer``: where the token URL lives (``https://connect.visma.com`` for Visma Connect);
    * the version-1 default authorize URL is dropped: discovery gives it now (one set by hand
      elsewhere is kept, as an override);
    * the version-1 default scope becomes the version-2 default (``profile`` added, as
      Visma's samples request it); a scope the user edited is kept as it is.
    """
    profiles = data.get("profiles")
    if not isinstance(profiles, dict):
        return data
    for raw in profiles.values():
        if not isinstance(raw, dict) or raw.get("app_type") != "web":
            continue
        endpoints = raw.get("endpoints")
        if not isinstance(endpoints, dict):
            continue
        if "issuer" not in endpoints:
            endpoints["issuer"] = _origin(endpoints.get("token_url")) or CONNECT_BASE
        if endpoints.get("authorize_url") == AUTHORIZE_URL:
            del endpoints["authorize_url"]
        if endpoints.get("scope") in V1_WEB_SCOPES:
            endpoints["scope"] = V2_WEB_SCOPE
    return data
