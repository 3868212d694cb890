"""Every Visma fact the wizard states, each with the documentation page it comes from.

A :class:`Fact` with a ``source`` is what Visma's public documentation says (the URL is the
page). One without a source is *advice*: something the docs do not state (or that the
wizard infers), worded as advice ("usually", "if ... try ...") so nobody reads it as a rule.
Screens, CLI hints and the explanations in :mod:`wizard.core.explain` take their words from
here, so a fact is corrected in one place. ``tests/unit/test_visma_facts.py`` keeps the table
honest: every fact has a URL or is advice, and every advice text reads as advice.
"""

from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://docs.vismasoftware.no/businessnxtapi"
APP_REGISTRATION = f"{DOCS}/authentication/service/application_registration"
INTEGRATIONS_SERVICE = f"{DOCS}/authentication/service/integrations_service"
USER_SETUP = f"{DOCS}/authentication/service/user_setup"
SETUP_WEB = f"{DOCS}/authentication/web/setup_web"
INTEGRATIONS_WEB = f"{DOCS}/authentication/web/integrations_web"
COMPANIES = f"{DOCS}/schema/queries/companies"
CUSTOMERS = f"{DOCS}/schema/queries/customers"
ERRORS = f"{DOCS}/features/errors"
RATE_LIMITS = f"{DOCS}/apireference/ratelimits"
CONNECT_DOCS = "https://docs.connect.visma.com/docs"
CREATE_APPLICATION = f"{CONNECT_DOCS}/create-your-application"
OFFLINE_ACCESS = f"{CONNECT_DOCS}/offline-access"
SERVICE_APPLICATIONS = f"{CONNECT_DOCS}/service-applications"
SAMPLE_WEB = "https://github.com/Visma-Business/GraphQLSamples/blob/master/MvcCode/Startup.cs"
RFC6749_ERRORS = "https://www.rfc-editor.org/rfc/rfc6749#section-5.2"

# Words that make a sentence read as advice rather than as a rule (checked by a test).
ADVICE_WORDS = ("usually", "if ", "try", "may ", "might", "probably", "suggest", "not documented")


@dataclass(frozen=True)
class Fact:
    text: str
    source: str | None = None  # the documentation page; None: advice, not a documented fact

    @property
    def documented(self) -> bool:
        return self.source is not None

    def __str__(self) -> str:
        return self.text


def advice(text: str) -> Fact:
    return Fact(text, None)


FACTS: dict[str, Fact] = {
    # --- registering the application ---------------------------------------------------
    "client_id_max": Fact(
        "The client ID is also stored as a user name in Business NXT's User table, whose "
        "names hold at most 24 characters: keep the client ID within 24.",
        APP_REGISTRATION,
    ),
    "pending_approval": Fact(
        "After Send for approval the application shows Pending approval until Visma approves "
        "it; it cannot be used before that.",
        APP_REGISTRATION,
    ),
    "create_after_approval": Fact(
        "After approval the application must be Created (the Create button; status Create): "
        "that registers it with Visma Connect's authorization server.",
        CREATE_APPLICATION,
    ),
    "portal_cache": Fact(
        "Changes made in the Developer Portal take a minute or two to apply (they pass through "
        "a cache).",
        CREATE_APPLICATION,
    ),
    "secret_shown_once": Fact(
        "A client secret is shown only when it is generated and can never be read again; "
        "secrets are generated and deleted on the Credentials tab.",
        APP_REGISTRATION,
    ),
    "integration_approval": Fact(
        "The API integration is approved separately from the application: after Confirm "
        "integration it waits for its own approval.",
        INTEGRATIONS_SERVICE,
    ),
    # --- scopes and grants --------------------------------------------------------------
    "service_scopes": Fact(
        "A service integration offers two scopes: business-graphql-service-api:"
        "access-group-based (what the access groups allow) and business-graphql-service-api:"
        "access-group-based-readonly (read-only).",
        INTEGRATIONS_SERVICE,
    ),
    "web_sign_in_scopes": Fact(
        "A web sign-in asks for openid profile email offline_access "
        "business-graphql-api:access-group-based.",
        SAMPLE_WEB,
    ),
    "web_companies": Fact(
        "A signed-in user reaches the companies their own Visma.net rights allow.",
        INTEGRATIONS_WEB,
    ),
    "service_grant": Fact(
        "A service application may use the client credentials grant only.",
        SERVICE_APPLICATIONS,
    ),
    "web_grants": Fact(
        "A web application uses the authorization code grant (with refresh tokens); it may use "
        "client credentials only when the Client Credentials grant type is enabled on the "
        "application and the Business NXT GraphQL Service API integration is added with the "
        "service scope.",
        SETUP_WEB,
    ),
    "offline_access": Fact(
        "Refresh tokens need the Offline Access box ticked on the application's Details tab "
        "and the offline_access scope in the sign-in request.",
        OFFLINE_ACCESS,
    ),
    "oauth_error_codes": Fact(
        "Token errors are RFC 6749 codes: invalid_request, invalid_client, invalid_grant, "
        "unauthorized_client, unsupported_grant_type, invalid_scope.",
        RFC6749_ERRORS,
    ),
    # --- local development URIs ---------------------------------------------------------
    "localhost_refused": Fact(
        "The Developer Portal does not support localhost in login and redirect URIs; "
        "app.local can be used instead (e.g. https://app.local:12345/signin-oidc).",
        APP_REGISTRATION,
    ),
    "loopback_ip": advice(
        "The docs name only localhost as unsupported; a numeric loopback address such as "
        "127.0.0.1 may or may not be accepted. If in doubt, use app.local, the documented "
        "choice, with the hosts-file line '127.0.0.1 app.local'."
    ),
    # --- the User table and companies ---------------------------------------------------
    "user_table": Fact(
        "A service must be a user in Business NXT's User table (its name is the client ID, "
        "Connect application ticked), with a Connect Application Access row per company.",
        USER_SETUP,
    ),
    "company_id": Fact(
        "The API's useCompany(no: N) takes the Visma.net company ID (vismaNetCompanyId, a "
        "7-digit number in Visma's examples); availableCompanies lists the ones the caller "
        "reaches.",
        COMPANIES,
    ),
    "column_no": advice(
        "The User table page says only to enter the company's number in Column no.; it does "
        "not say whether that is the Visma.net company ID. If a company seems unreachable, "
        "match it by name in the list of reachable companies."
    ),
    "missing_user_row": advice(
        "What Business NXT answers when the client ID is not in the User table is not "
        "documented; usually the service then reaches no company. If none is listed, check "
        "the User table row first."
    ),
    # --- GraphQL answers ----------------------------------------------------------------
    "graphql_401_html": Fact(
        "When authorization fails (no token, an expired token, ...) the GraphQL endpoint "
        "answers HTTP 401 with an HTML page ('401 Authorization Required'), not JSON.",
        ERRORS,
    ),
    "graphql_200_errors": Fact(
        "Most failures answer HTTP 200 with an errors array beside data.",
        ERRORS,
    ),
    "company_access_error": Fact(
        "A company the caller cannot use answers 'Could not get authorize user using "
        "VismaNetCompanyId: N. Description: External integration error. Status: 18.'",
        ERRORS,
    ),
    "token_per_api": Fact(
        "A service token (scope business-graphql-service-api:...) is for "
        "https://business.visma.net/api/graphql-service; a signed-in user's token "
        "(business-graphql-api:access-group-based) is for https://business.visma.net/api/graphql.",
        INTEGRATIONS_SERVICE,
    ),
    "rate_limit": Fact(
        "At most 600 requests a minute per token (more answer HTTP 429) and 60 requests in "
        "flight per company or customer.",
        RATE_LIMITS,
    ),
    # --- what the docs do not say -------------------------------------------------------
    "invalid_grant": advice(
        "Visma's docs do not say when a client-credentials request gets invalid_grant. If it "
        "happens, try a newly generated secret, and check the application's status and grant "
        "types in the portal."
    ),
    "secret_expiry": advice(
        "Visma's docs do not state that secrets expire; if a secret that worked stops working, "
        "it may have been deleted on the Credentials tab: generate a new one."
    ),
}


def fact(key: str) -> Fact:
    return FACTS[key]


def text(key: str) -> str:
    """The words of one fact, for a sentence in a hint or on a screen."""
    return FACTS[key].text
