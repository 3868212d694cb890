"""Each explanation says what Visma documents (from the facts table), per application type."""

from __future__ import annotations

import pytest

from wizard.core import explain
from wizard.core.errors import GraphQLError, HttpStatusError
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Endpoints, Profile
from wizard.core.steps import Step
from wizard.core.visma import SERVICE_SCOPE, SERVICE_SCOPE_READONLY, AppType, facts
from wizard.core.visma_facts import text


def profile(app_type: AppType = AppType.SERVICE, **endpoints: str) -> Profile:
    ep = Endpoints.defaults(app_type).model_copy(update=endpoints)
    return Profile(
        name="default",
        app_type=app_type,
        app_name="Explained",
        client_id="isv_explained",
        endpoints=ep,
    )


def hint(code: str, app_type: AppType = AppType.SERVICE) -> str:
    error = explain.oauth_error(profile(app_type), code, "", 400)
    assert error.hint is not None
    return error.hint


def test_invalid_client_names_approval_create_and_the_portal_cache() -> None:
    said = hint("invalid_client")
    assert text("pending_approval") in said
    assert text("create_after_approval") in said
    assert text("portal_cache") in said
    assert "a minute or two" in said and "isv_explained" in said


def test_invalid_scope_names_the_integrations_own_approval_and_both_service_scopes() -> None:
    error = explain.oauth_error(profile(), "invalid_scope", "", 400)
    assert error.exit_code is ExitCode.SCOPE and error.step is Step.INTEGRATION
    said = error.hint or ""
    assert text("integration_approval") in said and text("portal_cache") in said
    assert SERVICE_SCOPE in said and SERVICE_SCOPE_READONLY in said


def test_invalid_scope_for_a_web_app_keeps_sign_in_scopes_apart() -> None:
    said = hint("invalid_scope", AppType.WEB)
    assert text("web_sign_in_scopes") in said and text("web_grants") in said


def test_invalid_scope_for_a_web_apps_service_scope_names_the_service_api() -> None:
    """A web app's client-credentials request (the Service API integration's scope)."""
    error = explain.oauth_error(profile(AppType.WEB, scope=SERVICE_SCOPE), "invalid_scope", "", 400)
    service_api = facts(AppType.SERVICE).api_name
    assert f'"{service_api}" integration' in error.message
    assert f'"{facts(AppType.WEB).api_name}"' not in error.message
    said = error.hint or ""
    assert text("web_grants") in said and SERVICE_SCOPE_READONLY in said


def test_unauthorized_client_for_a_service_says_client_credentials_only() -> None:
    said = hint("unauthorized_client")
    assert text("service_grant") in said
    assert "Grant types" not in said


def test_unauthorized_client_for_a_web_app_names_the_portal_setting() -> None:
    said = hint("unauthorized_client", AppType.WEB)
    assert text("web_grants") in said
    assert "Details tab, Grant types: tick Client Credentials" in said
    assert facts(AppType.SERVICE).api_name in said and SERVICE_SCOPE in said


def test_unsupported_grant_type_per_app_type() -> None:
    service = hint("unsupported_grant_type")
    web = hint("unsupported_grant_type", AppType.WEB)
    assert text("service_grant") in service and "/connect/token" in service
    assert text("web_grants") in web and text("offline_access") in web
    assert "Grant types" in web


def test_invalid_grant_is_advice_and_never_claims_an_expired_secret() -> None:
    error = explain.oauth_error(profile(), "invalid_grant", "", 400)
    assert "expired" not in error.message
    assert text("invalid_grant") in (error.hint or "")
    assert "do not" in (error.hint or "")


@pytest.mark.parametrize("app_type", list(AppType))
def test_graphql_401_says_missing_expired_or_the_wrong_api(app_type: AppType) -> None:
    error = explain.graphql_status_error(profile(app_type), 401, "", True)
    assert isinstance(error, GraphQLError)
    assert "missing, expired, or for the other API" in error.message
    said = error.hint or ""
    assert text("graphql_401_html") in said
    assert "a service token on /api/graphql or a web token on /api/graphql-service" in said
    assert error.step is Step.INTEGRATION


def test_graphql_401_at_the_other_api_points_at_the_review() -> None:
    wrong = facts(AppType.WEB).graphql_url
    error = explain.graphql_status_error(profile(graphql_url=wrong), 401, "", True)
    assert error.step is Step.REVIEW and wrong in error.message


def test_graphql_429_cites_the_documented_rate_limit() -> None:
    error = explain.graphql_status_error(profile(), 429, "", False)
    assert isinstance(error, HttpStatusError) and error.title == "Rate limited"
    assert text("rate_limit") in (error.hint or "")
    assert "Retry-After" in (error.hint or "")


def test_token_429_does_not_cite_the_graphql_limit() -> None:
    error = explain.token_status_error(profile(), 429, "", False)
    assert "600" not in (error.hint or "") and "Retry-After" in (error.hint or "")
