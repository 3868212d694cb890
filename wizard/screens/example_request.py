"""Copy-ready curl commands for a profile, with the credentials left in environment variables.

The secret is never written into the command: it stays in ``$BNXT_CLIENT_SECRET`` (the name
the .env writer uses with its default prefix), so a copied command can sit in shell history,
a README or a chat message without leaking anything. No Textual here: plain text in, out.
"""

from __future__ import annotations

import json
import shlex

from wizard.core.models import Profile
from wizard.core.visma import AppType

CLIENT_ID_VAR = "BNXT_CLIENT_ID"
SECRET_VAR = "BNXT_CLIENT_SECRET"  # a variable name, not a secret
EXAMPLE_QUERY = "{ availableCompanies { totalCount items { name vismaNetCompanyId } } }"
TAKE_TOKEN = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"


def token_curl(profile: Profile) -> str:
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
    lines.append(f"  --data-urlencode {shlex.quote('scope=' + profile.endpoints.scope)} \\")
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
    """Both requests, with a comment on where the two variables come from."""
    head = [
        f"# Set {CLIENT_ID_VAR} and {SECRET_VAR} first, e.g. from the .env file:",
        "#   set -a; . ./.env; set +a",
        "# 1. Get a token (the secret stays in the variable, never in the command)",
    ]
    if profile.auth_method == "basic":
        head.append(
            "#    (-u sends it as typed; a secret holding + % or : needs client_secret_post)"
        )
    tail = ["", "# 2. Call Business NXT GraphQL with it"]
    if profile.app_type is AppType.WEB:
        tail.append(
            "#    (a web app's GraphQL API needs a token from a signed-in user's login, "
            "not this one)"
        )
    return "\n".join([*head, token_curl(profile), *tail, graphql_curl(profile)])
