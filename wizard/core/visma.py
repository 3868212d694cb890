"""Facts about Visma Connect and Business NXT that the wizard encodes (see shared/domain.md)."""

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
# Web sign-in scopes as Visma's samples request them (GraphQLSamples MvcCode/Startup.cs;
# docs.connect.visma.com "offline-access" for offline_access and refresh tokens).
SIGNIN_SCOPES = ("openid", "profile", "email", "offline_access")

CLIENT_ID_MAX = 24  # Business NXT User table: names are at most 24 characters
ISV_PREFIX = "isv_"

LOCAL_DEV_HOST = "app.local"
LOGIN_PATH = "/"
LOGOUT_PATH = "/logout"
REDIRECT_PATH = "/signin-oidc"


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
        scope="business-graphql-service-api:access-group-based",
        graphql_url="https://business.visma.net/api/graphql-service",
        needs_user_table=True,
    ),
    AppType.WEB: AppTypeFacts(
        title="Web application",
        summary="A Visma.net user signs in through a browser; their own rights apply.",
        grant="authorization code with PKCE",
        api_name="Business NXT Graphql API",
        scope="business-graphql-api:access-group-based",
        graphql_url="https://business.visma.net/api/graphql",
        needs_user_table=False,
        extra_scopes=SIGNIN_SCOPES,
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
