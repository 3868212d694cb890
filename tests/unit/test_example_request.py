"""The Test step's copy-ready example: what proves the profile, never a misleading request."""

from __future__ import annotations

from wizard.core.models import Endpoints, LocalDev, Profile
from wizard.core.visma import SERVICE_SCOPE, WEB_SIGN_IN_SCOPE, AppType
from wizard.screens.example_request import example_script


def web_profile(service_scope: str | None = None) -> Profile:
    endpoints = Endpoints.defaults(AppType.WEB).model_copy(update={"service_scope": service_scope})
    return Profile(
        name="portal",
        app_type=AppType.WEB,
        app_name="Portal",
        client_id="isv_portal",
        endpoints=endpoints,
        local_dev=LocalDev(port=44321),
    )


def test_a_service_gets_its_client_credentials_request_and_graphql() -> None:
    profile = Profile(
        name="svc",
        app_type=AppType.SERVICE,
        app_name="Sync",
        client_id="isv_sync",
        endpoints=Endpoints.defaults(AppType.SERVICE),
    )
    script = example_script(profile)
    assert "grant_type=client_credentials" in script
    assert f"scope={SERVICE_SCOPE}" in script
    assert "# 1. Get a token" in script and "# 2. Call Business NXT GraphQL" in script
    assert "bnxt-wizard login" not in script


def test_a_web_app_is_shown_the_sign_in_not_client_credentials() -> None:
    script = example_script(web_profile())
    assert "bnxt-wizard login --profile portal" in script
    assert "grant_type=client_credentials" not in script
    assert "openid" not in script and "offline_access" not in script
    assert WEB_SIGN_IN_SCOPE not in script
    assert "https://business.visma.net/api/graphql " in script  # the user's GraphQL API
    assert "$USER_TOKEN" in script and '$TOKEN"' not in script


def test_a_web_app_with_the_service_api_gets_a_service_scope_request() -> None:
    script = example_script(web_profile(SERVICE_SCOPE))
    assert "bnxt-wizard login --profile portal" in script
    assert "grant_type=client_credentials" in script
    assert f"scope={SERVICE_SCOPE}" in script
    assert "openid" not in script and "offline_access" not in script
    assert '"$BNXT_CLIENT_ID:$BNXT_CLIENT_SECRET"' in script
