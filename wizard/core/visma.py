"""Facts about Visma Connect and Business NXT that the wizard encodes.

Constants the code needs (URLs, scopes, limits) live here; the sentences the wizard says
about them, each with its documentation page, live in :mod:`wizard.core.visma_facts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AppType(StrEnum):
    SERVICE = "service"
    WEB = "web"


PORTAL_URL = "https://oauth.developers.visma.com"
CONNECT_BASE = "https://connect.visma.com"
TOKEN_URL = f"{CONNECT_BASE}/connect/token"
AUTHORIZE_URL = f"{CONNECT_BASE}/connect/authorize"
DISCOVERY_PATH = "/.well-known/openid-configuration"
DISCOVERY_URL = f"{CONNECT_BASE}{DISCOVERY_PATH}"

CLIENT_ID_MAX = 24  # Business NXT User table: names are at most 24 characters (APP_REGISTRATION)
ISV_PREFIX = "isv_"

LOCAL_DEV_HOST = "app.local"  # instead of localhost, which the portal does not support
LOGIN_PATH = "/"
LOGOUT_PATH = "/logout"
REDIRECT_PATH = "/signin-oidc"


# Scopes (visma_facts: "service_scopes" from INTEGRATIONS_SERVICE, "web_sign_in_scopes" from
# the GraphQLSamples web sample). The service scope is what a service's token request asks for;
# the web sign-in scopes are what a browser sign-in asks for. Keep the two apart: openid and
# offline_access mean nothing to a client-credentials request.
SERVICE_SCOPE = "business-graphql-service-api:access-group-based"
SERVICE_SCOPE_READONLY = "business-graphql-service-api:access-group-based-readonly"
SERVICE_SCOPES: dict[str, str] = {
    SERVICE_SCOPE: "read and change data, as the access groups allow",
    SERVICE_SCOPE_READONLY: "read only, as the access groups allow; no changes",
}
WEB_API_SCOPE = "business-graphql-api:access-group-based"
OIDC_SCOPES = ("openid", "profile", "email", "offline_access")
WEB_SIGN_IN_SCOPES = (*OIDC_SCOPES, WEB_API_SCOPE)
WEB_SIGN_IN_SCOPE = " ".join(WEB_SIGN_IN_SCOPES)
DOCUMENTED_SCOPES = frozenset({*SERVICE_SCOPES, *WEB_SIGN_IN_SCOPES})

# Rate limits (visma_facts "rate_limit", RATE_LIMITS): per token, per minute.
REQUESTS_PER_MINUTE = 600
REQUESTS_IN_FLIGHT = 60


@dataclass(frozen=True)
class AppTypeFacts:
    title: str
    summary: str
    grant: str
    api_name: str
    scope: str
    graphql_url: str
    needs_user_table: bool
    extra_scopes: tuple[str, ...] = ()


APP_TYPES: dict[AppType, AppTypeFacts] = {
    AppType.SERVICE: AppTypeFacts(
        title="Service application",
        summary="Machine to machine: nobody signs in; your service authenticates as itself.",
        grant="client credentials",
        api_name="Business NXT GraphQL Service API",
        scope=SERVICE_SCOPE,
        graphql_url="https://business.visma.net/api/graphql-service",
        needs_user_table=True,
    ),
    AppType.WEB: AppTypeFacts(
        title="Web application",
        summary="A Visma.net user signs in through a browser; their own rights apply.",
        grant="authorization code with PKCE",
        api_name="Business NXT Graphql API",
        scope=WEB_API_SCOPE,
        graphql_url="https://business.visma.net/api/graphql",
        needs_user_table=False,
        extra_scopes=OIDC_SCOPES,
    ),
}


def facts(app_type: AppType | str) -> AppTypeFacts:
    return APP_TYPES[AppType(app_type)]


USER_TABLE_STEPS: tuple[str, ...] = (
    "Create a layout and add the User table.",
    "Unhide its Connect Application column.",
    "Add a user whose name is exactly {client_id}; tick Connect application before saving.",
    "In the same or another layout, add the Connect Application Access table.",
    "Add the user {client_id} there, with the company's number in Column no.",
    "Pick the access group that sets that company's rights.",
    "Save. Repeat the last three steps for every company the service may reach.",
)

USER_TABLE_ROLES = ("Application access", "System supervisor")


def user_table_steps(client_id: str) -> list[str]:
    shown = client_id or "<your client ID>"
    return [step.format(client_id=shown) for step in USER_TABLE_STEPS]
