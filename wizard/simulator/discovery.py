"""The OpenID Connect discovery document and key set, pointing at this simulator's own URLs."""

from __future__ import annotations

from typing import Any

from wizard.core.visma import AppType, facts


def supported_scopes() -> list[str]:
    service, web = facts(AppType.SERVICE), facts(AppType.WEB)
    return [service.scope, web.scope, *web.extra_scopes]  # extra: openid profile email ...


def discovery_document(base_url: str) -> dict[str, Any]:
    connect = f"{base_url}/connect"
    return {
        "issuer": base_url,
        "jwks_uri": f"{base_url}/.well-known/openid-configuration/jwks",
        "authorization_endpoint": f"{connect}/authorize",
        "token_endpoint": f"{connect}/token",
        "userinfo_endpoint": f"{connect}/userinfo",
        "end_session_endpoint": f"{connect}/endsession",
        "grant_types_supported": ["client_credentials", "authorization_code", "refresh_token"],
        "response_types_supported": ["code"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "scopes_supported": supported_scopes(),
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
    }
