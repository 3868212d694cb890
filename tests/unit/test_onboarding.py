"""The wizard's state without a screen: steps, what blocks Next, drafts and the final profile."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from wizard.core.errors import ValidationFailed
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.steps import Step
from wizard.core.visma import AppType

SECRET = "s3cret-CANARY-41b7"


def complete_service() -> Onboarding:
    ob = Onboarding(profile="prod")
    ob.choose_app_type(AppType.SERVICE)
    ob.app_name = "Invoice sync"
    ob.client_id = "isv_invoice_sync"
    ob.registration_checks = [True] * 4
    ob.integration_checks = [True] * 2
    ob.secret = SecretStr(SECRET)
    ob.secret_store = "file"
    ob.user_table_checks = [True] * 7
    ob.companies = [CompanyRow(company_no="5280101", access_group="Accounting")]
    return ob


def test_steps_per_app_type() -> None:
    ob = Onboarding()
    ob.choose_app_type(AppType.SERVICE)
    assert Step.USER_TABLE in ob.steps() and ob.position(Step.TEST) == (8, 8)
    ob.choose_app_type(AppType.WEB)
    assert Step.USER_TABLE not in ob.steps() and ob.position(Step.TEST) == (7, 7)
    # The portal's registration form asks for the URIs: web apps take them first.
    assert ob.next_step(Step.APP_TYPE) is Step.LOCAL_URIS
    assert ob.next_step(Step.LOCAL_URIS) is Step.REGISTRATION
    assert ob.next_step(Step.SECRET) is Step.REVIEW
    assert ob.previous_step(Step.APP_TYPE) is None
    ob.choose_app_type(AppType.SERVICE)
    assert ob.next_step(Step.SECRET) is Step.LOCAL_URIS


def test_choosing_a_type_sets_its_endpoints_and_keeps_them_on_reselect() -> None:
    ob = Onboarding()
    ob.choose_app_type(AppType.WEB)
    assert ob.graphql_url.endswith("/api/graphql")
    assert "offline_access" in ob.scope and ob.local_dev_enabled
    ob.graphql_url = "https://example.test/api/graphql"
    ob.choose_app_type(AppType.WEB)
    assert ob.graphql_url == "https://example.test/api/graphql"
    ob.choose_app_type(AppType.SERVICE)
    assert ob.graphql_url.endswith("/api/graphql-service") and not ob.local_dev_enabled


def test_each_step_blocks_with_a_reason_until_valid() -> None:
    ob = Onboarding()
    assert ob.problems(Step.APP_TYPE) == ["Choose Service or Web to continue."]
    ob.choose_app_type(AppType.SERVICE)
    assert any("client ID" in p for p in ob.problems(Step.REGISTRATION))
    ob.client_id = "isv_" + "x" * 21
    assert any("24" in p for p in ob.problems(Step.REGISTRATION))
    assert any("integration" in p for p in ob.problems(Step.INTEGRATION))
    assert ob.problems(Step.SECRET) == ["Paste the client secret from the Credentials tab."]
    ob.client_id = "isv_ok"
    ob.secret = SecretStr("isv_ok")
    assert any("client ID" in p for p in ob.problems(Step.SECRET))
    assert any("company" in p for p in ob.problems(Step.USER_TABLE))
    ob.companies = [CompanyRow(company_no="7", access_group="A")] * 2
    ob.user_table_checks = [True] * 7
    assert any("twice" in p for p in ob.problems(Step.USER_TABLE))


def test_local_uris_optional_for_services_required_for_web() -> None:
    ob = complete_service()
    ob.port = "0"
    assert ob.problems(Step.LOCAL_URIS) == []
    ob.local_dev_enabled = True
    assert ob.problems(Step.LOCAL_URIS)


def test_complete_state_builds_the_profile() -> None:
    ob = complete_service()
    assert ob.all_problems() == []
    profile = ob.to_profile()
    assert profile.name == "prod" and profile.client_id == "isv_invoice_sync"
    assert [(c.company_no, c.access_group) for c in profile.companies] == [(5280101, "Accounting")]
    assert profile.local_dev is None


def test_incomplete_state_lists_every_problem() -> None:
    ob = complete_service()
    ob.client_id = ""
    ob.companies = []
    with pytest.raises(ValidationFailed) as err:
        ob.to_profile()
    assert len(err.value.problems) >= 2


def test_draft_never_holds_the_secret_and_round_trips() -> None:
    ob = complete_service()
    ob.step = Step.USER_TABLE
    draft = ob.to_draft()
    assert SECRET not in json.dumps(draft)
    back = Onboarding.from_draft(draft)
    assert back.secret is None
    assert back.to_draft() == draft


def test_broken_draft_starts_fresh_but_keeps_the_name() -> None:
    back = Onboarding.from_draft({"profile": "dev", "app_type": "spaceship"})
    assert back.profile == "dev" and back.app_type is None


def test_from_profile_round_trip() -> None:
    profile = complete_service().to_profile()
    again = Onboarding.from_profile(profile)
    again.secret = SecretStr(SECRET)
    assert again.all_problems() == []
    assert again.to_profile().model_dump(exclude={"created_at"}) == profile.model_dump(
        exclude={"created_at"}
    )


def test_web_profile_keeps_its_issuer_and_service_scope() -> None:
    ob = complete_service()
    ob.choose_app_type(AppType.WEB)
    assert ob.issuer == "https://connect.visma.com" and ob.authorize_url is None
    ob.service_scope = " business-graphql-service-api:access-group-based "
    assert ob.to_profile().endpoints.service_scope is None  # the Service API not ticked
    ob.service_api = True
    profile = ob.to_profile()
    assert profile.endpoints.issuer == "https://connect.visma.com"
    assert profile.endpoints.service_scope == "business-graphql-service-api:access-group-based"
    assert profile.endpoints.scope.split()[0] == "openid"
    again = Onboarding.from_profile(profile)
    again.secret = SecretStr(SECRET)  # never in a profile
    assert again.to_profile().model_dump(exclude={"created_at"}) == profile.model_dump(
        exclude={"created_at"}
    )
    ob.service_scope = ""
    assert any("Enter the scope" in msg for msg in ob.problems(Step.INTEGRATION))
    ob.issuer = "http://connect.example.com"
    assert any("https://" in msg for msg in ob.problems(Step.INTEGRATION))
    ob.choose_app_type(AppType.SERVICE)
    service = ob.to_profile().endpoints
    assert service.issuer is None and service.service_scope is None
