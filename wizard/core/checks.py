"""The end-to-end check: token, then GraphQL, then the companies, as one report.

:func:`run_check` never raises a :class:`WizardError`: whatever fails is captured in the
:class:`CheckReport`, with the stage it happened in, so the CLI can print it (or dump it
as JSON) and the UI can show it and jump to the step to revisit. Cancellation (the UI's
worker being cancelled) is not caught and propagates as usual.

Each network stage is bounded by ``options.total_timeout`` on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
from pydantic import SecretStr

from wizard.core._http import ClientOptions, client_scope, host_of
from wizard.core.check_results import (
    CheckReport,
    CompanyGap,
    ReachedCompany,
    ReachedCustomer,
)
from wizard.core.connect import request_token
from wizard.core.errors import GraphQLError, WizardError
from wizard.core.models import Profile
from wizard.core.results import Stopwatch
from wizard.core.steps import Step
from wizard.core.text import shown_url
from wizard.core.tokens import Token

if TYPE_CHECKING:  # the GraphQL probe loads only when a check gets that far
    from wizard.core.graphql import ProbeResult

__all__ = ["CheckReport", "Progress", "run_check"]

Progress = Callable[[str], None]


class _Stage:
    """Times one stage and records it in the report."""

    def __init__(self, report: CheckReport, name: str) -> None:
        self.report, self.watch = report, Stopwatch(name)

    def done(self, ok: bool, detail: str, *, skipped: bool = False) -> None:
        self.report.steps.append(self.watch.result(ok, detail, skipped=skipped))

    def failed(self, error: WizardError) -> CheckReport:
        return self.report.fail(self.watch.result(False, error.message), error)


async def run_check(
    profile: Profile,
    secret: SecretStr,
    *,
    graphql: bool = True,
    options: ClientOptions = ClientOptions(),  # noqa: B008 - frozen dataclass, safe default
    progress: Progress | None = None,
    client: httpx.AsyncClient | None = None,
) -> CheckReport:
    """Token, then (service apps) GraphQL and the company comparison."""
    report = CheckReport(
        profile=profile.name,
        app_type=str(profile.app_type),
        client_id=profile.client_id,
        token_url=shown_url(profile.endpoints.token_url),  # as shown: no credentials
        graphql_url=shown_url(profile.endpoints.graphql_url),
    )
    say: Progress = progress or (lambda _message: None)
    try:
        urls = (profile.endpoints.token_url, profile.endpoints.graphql_url)
        async with client_scope(client, options, urls) as http:
            return await _run(report, profile, secret, graphql, options, say, http)
    except WizardError as exc:  # making the client failed, e.g. an unreadable CA bundle
        return _Stage(report, "token").failed(exc)


async def _run(
    report: CheckReport,
    profile: Profile,
    secret: SecretStr,
    graphql: bool,
    options: ClientOptions,
    say: Progress,
    http: httpx.AsyncClient,
) -> CheckReport:
    if not profile.is_service:
        return await _run_web(report, profile, secret, graphql, options, say, http)
    say(f"Requesting a token from {host_of(profile.endpoints.token_url)} ...")
    stage = _Stage(report, "token")
    try:
        token = await request_token(profile, secret, client=http, options=options)
    except WizardError as exc:
        return stage.failed(exc)
    report.token = token.summary()
    stage.done(True, f"{token.token_type} token for scope '{token.scope}'{_expiry(token)}.")

    stage = _Stage(report, "graphql")
    skipped = _why_skipped(profile, graphql)
    if skipped:
        stage.done(True, skipped, skipped=True)
        report.ok = True
        return report
    say(
        f"Asking GraphQL at {host_of(profile.endpoints.graphql_url)} which companies and "
        "customers this service can reach ..."
    )
    from wizard.core.graphql import probe

    try:
        result = await probe(profile, token, client=http, options=options)
    except WizardError as exc:
        return stage.failed(exc)
    stage.done(
        True,
        f"Reaches {len(result.companies)} compan{'y' if len(result.companies) == 1 else 'ies'} "
        f"and {len(result.customers)} customer{'' if len(result.customers) == 1 else 's'}"
        f"{_of_total(result)}.",
    )
    return _compare(report, profile, result)


async def _run_web(
    report: CheckReport,
    profile: Profile,
    secret: SecretStr,
    graphql: bool,
    options: ClientOptions,
    say: Progress,
    http: httpx.AsyncClient,
) -> CheckReport:
    """No browser: a code exchange with a deliberately invalid code proves the client ID and
    secret (the server authenticates the client before it looks at the code); with the
    Service API integration, also the client-credentials token."""
    from wizard.core.models import LocalDev
    from wizard.core.oidc.exchange import check_client

    say(
        f"Checking the client ID and secret at {host_of(profile.endpoints.token_url)} with a "
        "deliberately invalid authorization code ..."
    )
    stage = _Stage(report, "client")
    redirect_uri = (profile.local_dev or LocalDev()).redirect_uri
    try:
        detail = await check_client(
            http, profile, secret, redirect_uri=redirect_uri, options=options
        )
    except WizardError as exc:
        return stage.failed(exc)
    stage.done(True, detail)
    service_scope = profile.endpoints.service_scope
    if service_scope:
        say(f"Requesting a client-credentials token for the Service API ({service_scope}) ...")
        stage = _Stage(report, "token")
        as_service = profile.model_copy(
            update={"endpoints": profile.endpoints.model_copy(update={"scope": service_scope})}
        )
        try:
            token = await request_token(as_service, secret, client=http, options=options)
        except WizardError as exc:
            return stage.failed(exc)
        report.token = token.summary()
        stage.done(True, f"{token.token_type} token for scope '{token.scope}'{_expiry(token)}.")
    _Stage(report, "graphql").done(True, _why_skipped(profile, graphql), skipped=True)
    report.ok = True
    return report


def _why_skipped(profile: Profile, graphql: bool) -> str:
    if not graphql:
        return "Skipped: the GraphQL probe was turned off for this check."
    if not profile.is_service:
        return (
            "Skipped: a web application's GraphQL API answers for a signed-in Visma.net user, "
            "and a check without a browser has none. Run `bnxt-wizard login` to sign in and "
            "test GraphQL with the user's token."
        )
    return ""


def _compare(report: CheckReport, profile: Profile, result: ProbeResult) -> CheckReport:
    from wizard.core.graphql import compare_companies

    stage = _Stage(report, "companies")
    granted = {g.company_no for g in profile.companies}
    report.customers_reached = [
        ReachedCustomer(name=c.name, customer_id=c.customer_id) for c in result.customers
    ]
    report.companies_reached = [
        ReachedCompany(
            name=c.name,
            company_no=c.company_no,
            customer_id=c.customer_id,
            in_profile=c.company_no in granted,
        )
        for c in result.companies
    ]
    gaps = compare_companies(profile, result)
    report.missing_companies = gaps
    extra = [c for c in result.companies if c.company_no not in granted]
    info = (
        " Also reachable, not in the profile: "
        + ", ".join(f"{c.company_no} {c.name}".strip() for c in extra)
        + "."
        if extra
        else ""
    )
    if gaps:
        return stage.failed(_gaps_error(profile, gaps, info))
    if len(profile.companies) == 1:
        detail = f"Company {profile.companies[0].company_no} in the profile is reachable.{info}"
    elif profile.companies:
        detail = f"All {len(profile.companies)} companies in the profile are reachable.{info}"
    elif result.companies:
        detail = f"The profile lists no companies to check.{info}"
    else:
        detail = (
            "No company is reachable yet and the profile lists none. The service can read "
            "data only from companies its User table row grants: if this is a new setup, "
            "that row is probably not there yet."
        )
    stage.done(True, detail)
    report.ok = True
    return report


def _gaps_error(profile: Profile, gaps: list[CompanyGap], info: str) -> GraphQLError:
    numbers = ", ".join(str(g.company_no) for g in gaps)
    return GraphQLError(
        f"{len(gaps)} compan{'y' if len(gaps) == 1 else 'ies'} in the profile "
        f"{'is' if len(gaps) == 1 else 'are'} not among those {profile.client_id} reaches: "
        f"{numbers}.{info}",
        title="Companies not reachable",
        hint=" ".join(g.message for g in gaps),
        step=Step.USER_TABLE,
    )


def _expiry(token: Token) -> str:
    expires_at = token.expires_at
    if token.expires_in is not None and expires_at is not None:
        return f", expires in {token.expires_in} s ({expires_at:%Y-%m-%d %H:%M:%S} UTC)"
    return ""


def _of_total(result: ProbeResult) -> str:
    parts = []
    if result.companies_total > len(result.companies):
        parts.append(f"{result.companies_total} companies in total")
    if result.customers_total > len(result.customers):
        parts.append(f"{result.customers_total} customers in total")
    return f" (of {', '.join(parts)})" if parts else ""
