"""Copy-ready curl commands for a profile, with the credentials left in environment variables.

The secret is never written into the command: it stays in ``$BNXT_CLIENT_SECRET`` (the name
the .env writer uses with its default prefix), so a copied command can sit in shell history,
a README or a chat message without leaking anything. No Textual here: plain text in, out.
"""

from __future__ import annotations

import json
import shlex

from wizard.core.check_results import login_command
from wizard.core.models import Profile
from wizard.core.visma import AppType

CLIENT_ID_VAR = "BNXT_CLIENT_ID"
SECRET_VAR = "BNXT_CLIENT_SECRET"  # a variable name, not a secret
EXAMPLE_QUERY = "{ availableCompanies { totalCount items { name vismaNetCompanyId } } }"
SET_VARIABLES = (
    f"# Set {CLIENT_ID_VAR} and {SECRET_VAR} first, e.g. from the .env file:",
    "#   set -a; . ./.env; set +a",
)
TAKE_TOKEN = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"


def token_curl(profile: Profile, scope: str | None = None) -> str:
    """The client-credentials request, authenticated the way the profile says."""
    lines = [
        f"TOKEN=$(curl -sS -X POST {shlex.quote(profile.endpoints.token_url)} \\",
    ]
    if profile.auth_method == "basic":
        lines.append(f'  -u "${CLIENT_ID_VAR}:${SECRET_VAR}" \\')
    else:
        lines.append(f'  --data-urlencode "client_id=${CLIENT_ID_VAR}" \\')
        lines.append(f'  --data-urlencode "client_secret=${SECRET_VAR}" \\')
    lines.append("  --data-urlencode grant_type=client_credentials \\")
    wanted = scope or profile.endpoints.scope
    lines.append(f"  --data-urlencode {shlex.quote('scope=' + wanted)} \\")
    if profile.tenant_id:
        lines.append(f"  --data-urlencode {shlex.quote('tenant_id=' + profile.tenant_id)} \\")
    lines.append(f"  | {TAKE_TOKEN})")
    return "\n".join(lines)


def graphql_curl(profile: Profile) -> str:
    body = json.dumps({"query": EXAMPLE_QUERY})
    return "\n".join(
        [
            f"curl -sS -X POST {shlex.quote(profile.endpoints.graphql_url)} \\",
            '  -H "Authorization: Bearer $TOKEN" \\',
            "  -H 'Content-Type: application/json' \\",
            f"  -d {shlex.quote(body)}",
        ]
    )


def example_script(profile: Profile) -> str:
    """Copy-ready requests that prove what the profile is for.

    A service: its client-credentials token, then GraphQL. A web app: its tokens come from a
    user's browser sign-in, so the example is ``bnxt-wizard login``, never a client-credentials
    request with the sign-in scopes (openid, offline_access mean nothing there; visma_facts
    "web_grants"); a client-credentials request only with the Service API's scope, when the
    profile has that integration.
    """
    if profile.app_type is AppType.WEB:
        return _web_script(profile)
    head = [
        *SET_VARIABLES,
        "# 1. Get a token (the secret stays in the variable, never in the command)",
    ]
    if profile.auth_method == "basic":
        head.append(
            "#    (-u sends it as typed; a secret holding + % or : needs client_secret_post)"
        )
    call = ["", "# 2. Call Business NXT GraphQL with it"]
    return "\n".join([*head, token_curl(profile), *call, graphql_curl(profile)])


def _web_script(profile: Profile) -> str:
    lines = [
        "# A web app gets its tokens from a user's browser sign-in",
        "# (authorization code + PKCE), not from client credentials.",
        "# Sign in as your app:",
        login_command(profile.name),
        "#   (it serves your registered URIs on app.local, opens",
        "#   the browser, checks the ID token, asks GraphQL)",
        "",
        "# Your app calls GraphQL with the user's access token:",
        graphql_curl(profile).replace("$TOKEN", "$USER_TOKEN"),
    ]
    scope = profile.endpoints.service_scope
    if scope:
        lines += [
            "",
            "# With the Service API integration: a client-credentials",
            "# token for its scope (for the GraphQL Service API):",
            *SET_VARIABLES,
            token_curl(profile, scope),
        ]
    return "\n".join(lines)
