"""The stages after the browser came back: code exchange, ID token, one refresh, GraphQL.

Each records its outcome through ``record`` (the session's) and raises the
:class:`WizardError` that ends the run; what it learnt goes into the :class:`LoginResult`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
from pydantic import SecretStr

from wizard.core._http import ClientOptions, host_of, send
from wizard.core.errors import MalformedResponse, SignInError, WizardError
from wizard.core.models import Profile
from wizard.core.oidc.discovery import WebEndpoints
from wizard.core.oidc.results import LoginResult, Reached
from wizard.core.steps import Step

if TYPE_CHECKING:
    from wizard.core.oidc.exchange import TokenSet
    from wizard.core.oidc.idtoken import IdClaims

Record = Callable[..., None]  # (name, started, ok, detail, skipped=False)


@dataclass
class AfterRedirect:
    profile: Profile
    secret: SecretStr
    endpoints: WebEndpoints
    redirect_uri: str
    verifier: str
    nonce: str
    network: ClientOptions
    graphql: bool
    result: LoginResult
    record: Record

    async def exchange(self, http: httpx.AsyncClient, code: str) -> TokenSet:
        from wizard.core.oidc.exchange import exchange_code

        started = time.perf_counter()
        try:
            tokens = await exchange_code(
                http,
                self.profile,
                self.secret,
                token_url=self.endpoints.token,
                code=code,
                verifier=self.verifier,
                redirect_uri=self.redirect_uri,
                options=self.network,
            )
        except WizardError as err:
            self.record("exchange", started, False, err.message)
            raise
        access = tokens.access
        self.result.scopes = access.scopes
        self.result.access_token_expires_in = access.expires_in
        self.result.access_token_expires_at = access.expires_at
        self.result.refresh_token = tokens.refresh_token is not None
        lifetime = f", valid {access.expires_in} s" if access.expires_in is not None else ""
        self.record(
            "exchange",
            started,
            True,
            f"Code exchanged with PKCE for a {access.token_type} token, scopes "
            f"'{access.scope}'{lifetime}"
            + ("; a refresh token came too." if tokens.refresh_token else "."),
        )
        return tokens

    async def verify(self, http: httpx.AsyncClient, tokens: TokenSet) -> IdClaims:
        from wizard.core.oidc.idtoken import verify_id_token

        started = time.perf_counter()
        try:
            if tokens.id_token is None:
                raise SignInError(
                    "The token answer has no ID token, so who signed in cannot be proven.",
                    title="No ID token",
                    hint="Keep openid in the profile's sign-in scopes.",
                    step=Step.INTEGRATION,
                )
            jwks = await self.jwks(http, self.endpoints.jwks)
            claims = verify_id_token(
                tokens.id_token.get_secret_value(),
                jwks,
                issuer=self.endpoints.issuer,
                client_id=self.profile.client_id,
                nonce=self.nonce,
            )
        except WizardError as err:
            self.record("id_token", started, False, err.message)
            raise
        self.result.subject, self.result.name, self.result.email = (
            claims.subject,
            claims.name,
            claims.email,
        )
        self.result.id_token_expires_at = claims.expires_at
        who = ", ".join(x for x in (claims.name, claims.email) if x)
        self.record(
            "id_token",
            started,
            True,
            f"ID token verified (signature, issuer, audience, nonce, expiry): subject "
            f"{claims.subject}{f' ({who})' if who else ''}, valid until "
            f"{claims.expires_at:%Y-%m-%d %H:%M:%S} UTC.",
        )
        return claims

    async def jwks(self, http: httpx.AsyncClient, url: str) -> dict[str, object]:
        answer = await send(http, "GET", url, what="the JWKS", options=self.network, headers={})
        body = answer.json_object()
        if answer.status_code != 200 or body is None or not isinstance(body.get("keys"), list):
            raise MalformedResponse(
                f"The JWKS at {host_of(url)} answered HTTP {answer.status_code} without keys.",
                hint="Check the issuer in the profile; the JWKS URL comes from its discovery "
                "document.",
                step=Step.REVIEW,
            )
        return body

    async def refresh(self, http: httpx.AsyncClient, token: SecretStr) -> None:
        from wizard.core.oidc.exchange import refresh

        started = time.perf_counter()
        try:
            fresh = await refresh(
                http,
                self.profile,
                self.secret,
                token_url=self.endpoints.token,
                refresh_token=token,
                options=self.network,
            )
        except WizardError as err:
            self.record("refresh", started, False, err.message)
            raise
        self.result.refreshed = True
        lifetime = fresh.access.expires_in
        self.record(
            "refresh",
            started,
            True,
            "Refreshed once with the refresh token: a new access token"
            + (f", valid {lifetime} s." if lifetime is not None else "."),
        )

    async def graphql_probe(self, http: httpx.AsyncClient, tokens: TokenSet) -> None:
        started = time.perf_counter()
        if not self.graphql:
            self.record("graphql", started, True, "Skipped: --no-graphql was given.", skipped=True)
            return
        from wizard.core.graphql import probe

        try:
            found = await probe(self.profile, tokens.access, client=http, options=self.network)
        except WizardError as err:
            self.record("graphql", started, False, err.message)
            raise
        self.result.companies = [Reached(number=c.company_no, name=c.name) for c in found.companies]
        self.result.customers = [
            Reached(number=c.customer_id, name=c.name) for c in found.customers
        ]
        n = len(found.companies)
        self.record(
            "graphql",
            started,
            True,
            f"With the user's token, {host_of(self.profile.endpoints.graphql_url)} answers: "
            f"{n} compan{'y' if n == 1 else 'ies'} and {len(found.customers)} customer"
            f"{'' if len(found.customers) == 1 else 's'} reachable (the user's own rights).",
        )
