"""What ``bnxt-wizard simulate`` prints: where the simulator listens and what to log in with.

The secrets shown are the simulator's own made-up ones; showing them is the point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.simulator.seed import DEMO_CLIENT_ID, SimClient, SimSeed

if TYPE_CHECKING:
    from wizard.simulator.server import Simulator


def _first_secret(client: SimClient) -> str:
    return client.secrets[0].get_secret_value() if client.secrets else "(none)"


def client_situation(seed: SimSeed, client: SimClient) -> str:
    """What happens when this client tries, in the words of the step that needs fixing."""
    if not client.approved:
        return "pending approval: the token request fails with invalid_client"
    if not client.scopes:
        return "no API integration: the token request fails with invalid_scope"
    if client.app_type == "web":
        return (
            "web application: a user signs in at /connect/authorize (demo users below) and "
            "reaches their own companies through /api/graphql"
        )
    user = seed.user_row(client.client_id)
    if user is None:
        return "no User table row: GraphQL lists no company (the simulator's assumption)"
    if not user.connect_application:
        return "User table row without Connect application ticked: no company (assumption)"
    if not user.access:
        return "User table row but no Connect Application Access rows: no companies"
    numbers = ", ".join(str(row.company_no) for row in user.access)
    return f"reaches companies {numbers}"


def _companies(seed: SimSeed, client: SimClient) -> list[str]:
    user = seed.user_row(client.client_id)
    names = {c.company_id: c.name for c in seed.companies}
    if user is None or not user.connect_application:
        return []
    return [
        f"{row.company_no} {names.get(row.company_no, '?')} (access group {row.access_group})"
        for row in user.access
    ]


def _demo_lines(seed: SimSeed) -> list[str]:
    demo = seed.client(DEMO_CLIENT_ID)
    if demo is None:
        return ["This seed has no demo client; pick one of the clients below."]
    secrets = [s.get_secret_value() for s in demo.secrets]
    lines = [
        f"Demo service application ({client_situation(seed, demo)})",
        f"  Client ID:      {demo.client_id}",
        f"  Client secret:  {secrets[0] if secrets else '(none)'}",
    ]
    if len(secrets) > 1:
        lines.append(f"  Next secret:    {secrets[1]}  (also valid: practise rotating to it)")
    lines.append(f"  Scope:          {' '.join(demo.scopes) or '(none)'}")
    companies = _companies(seed, demo)
    lines.append(f"  Companies:      {companies[0] if companies else '(none)'}")
    lines += [f"                  {line}" for line in companies[1:]]
    return lines


def describe(sim: Simulator) -> str:
    seed = sim.seed
    lines = [
        "Visma Connect + Business NXT simulator (local, not the real service)",
        f"  Base URL:         {sim.base_url}",
        f"  Discovery:        {sim.discovery_url}",
        f"  Token endpoint:   {sim.token_url}",
        f"  Authorize:        {sim.authorize_url}",
        f"  JWKS:             {sim.jwks_url}",
        f"  GraphQL service:  {sim.graphql_service_url}",
        f"  GraphQL web:      {sim.graphql_url}",
        "",
        *_demo_lines(seed),
        "",
        "Other clients, to practise what goes wrong (ID, secret: what happens):",
    ]
    for client in seed.clients:
        if client.client_id != DEMO_CLIENT_ID:
            lines.append(
                f"  {client.client_id}  {_first_secret(client)!r}: {client_situation(seed, client)}"
            )
            lines += [f"      redirect URI: {uri}" for uri in client.redirect_uris]
    if seed.users:
        lines += ["", "Demo users for a web sign-in (user name / password: who):"]
        lines += [
            f"  {p.username} / {p.password.get_secret_value()}: {p.name} <{p.email}>"
            for p in seed.users
        ]
    return "\n".join(lines)
