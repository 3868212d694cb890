"""What each failure means for someone registering a Business NXT application.

The protocol says *what* went wrong (an RFC 6749 code, an HTTP status); this module says
*why that usually happens* in the Visma Developer Portal and *which step to revisit*. One
function per kind of failure, so the CLI and the UI explain things the same way.
Everything here is built from non-secret values only (client ID, scope, URLs, codes and
scrubbed server text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from wizard.core.errors import GraphQLError, HttpStatusError, OAuthError
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Profile
from wizard.core.secret_source import env_overrides, override_note
from wizard.core.steps import Step
from wizard.core.visma import (
    SERVICE_SCOPE,
    SERVICE_SCOPES,
    WEB_API_SCOPE,
    AppType,
    facts,
)
from wizard.core.visma_facts import text


@dataclass(frozen=True)
class _Explanation:
    why: str
    hint: str
    step: Step
    exit_code: ExitCode


def _oauth_explanation(code: str, profile: Profile) -> _Explanation:
    explain = _OAUTH.get(code)
    if explain is not None:
        return explain(profile)
    return _Explanation(
        "the server refused the token request",
        "Check the client ID, the secret and the application's status (approved, then "
        f"created) in the Developer Portal. {text('portal_cache')}",
        Step.SECRET,
        ExitCode.CREDENTIALS,
    )


def _invalid_client(profile: Profile) -> _Explanation:
    return _Explanation(
        "wrong client ID or secret, or the application is still Pending approval or not "
        "created yet",
        f"Check the client ID '{profile.client_id}' is exactly as registered in the Developer "
        f"Portal. {text('secret_shown_once')} If unsure, generate a new secret and save it "
        f"here. Check the application's status: {text('pending_approval')} "
        f"{text('create_after_approval')} {text('portal_cache')} So right after approval, "
        "Create or a change, wait a minute or two and try again. If all that is right, try "
        f"the other client authentication method (now '{profile.auth_method}')."
        + (f" Note: {override_note(profile)}" if env_overrides(profile) else ""),
        Step.SECRET,
        ExitCode.CREDENTIALS,
    )


def _invalid_scope(profile: Profile) -> _Explanation:
    scope = profile.endpoints.scope
    # a web app's client-credentials request asks for a service scope: that is the Service
    # API integration's, not the web API's (visma_facts "web_grants")
    service_api = profile.is_service or scope in SERVICE_SCOPES
    app = facts(AppType.SERVICE if service_api else profile.app_type)
    if profile.is_service:
        allowed = f"{text('service_scopes')}"
    elif service_api:
        allowed = f"{text('web_grants')} {text('service_scopes')}"
    else:
        allowed = (
            f"A web app's API scope is {WEB_API_SCOPE}; {text('web_sign_in_scopes')} "
            f"{text('web_grants')}"
        )
    return _Explanation(
        f"the \"{app.api_name}\" integration or its scope '{scope}' is missing or not approved yet",
        "In the Developer Portal open the application's Integrations tab, add "
        f'"{app.api_name}" with the scope the profile asks for, confirm it, and wait: '
        f"{text('integration_approval')} {allowed} {text('portal_cache')}",
        Step.INTEGRATION,
        ExitCode.SCOPE,
    )


def _unauthorized_client(profile: Profile) -> _Explanation:
    if profile.is_service:
        return _Explanation(
            "this application may not use the client credentials grant",
            f"{text('service_grant')} Check the application was registered as a Service "
            "application (a web application needs the grant enabled first), and that it is "
            f"approved and created. {text('portal_cache')}",
            Step.APP_TYPE,
            ExitCode.CREDENTIALS,
        )
    return _Explanation(
        "this web application may not use the client credentials grant",
        f"{text('web_grants')} In the Developer Portal: the application's Details tab, Grant "
        "types: tick Client Credentials and save; then Integrations: add "
        f'"{facts(AppType.SERVICE).api_name}" with {SERVICE_SCOPE}. {text("portal_cache")}',
        Step.APP_TYPE,
        ExitCode.CREDENTIALS,
    )


def _unsupported_grant_type(profile: Profile) -> _Explanation:
    where = (
        f"Check the token URL ({profile.endpoints.token_url}) is Visma Connect's /connect/token."
    )
    if profile.is_service:
        return _Explanation(
            "the token endpoint does not accept the grant that was sent",
            f"{text('service_grant')} {where}",
            Step.APP_TYPE,
            ExitCode.CREDENTIALS,
        )
    return _Explanation(
        "the token endpoint does not accept this grant for this application",
        f"{text('web_grants')} To test with client credentials, tick Client Credentials under "
        f"Grant types on the application's Details tab. For refresh tokens: "
        f"{text('offline_access')} {where}",
        Step.APP_TYPE,
        ExitCode.CREDENTIALS,
    )


def _invalid_grant(profile: Profile) -> _Explanation:
    return _Explanation(
        "the grant was refused (invalid_grant)",
        f"{text('invalid_grant')} {text('secret_expiry')}",
        Step.SECRET,
        ExitCode.CREDENTIALS,
    )


def _invalid_request(profile: Profile) -> _Explanation:
    return _Explanation(
        "the token request is missing something or has something the server does not accept",
        "Try the other client authentication method (basic or post), remove the tenant "
        "ID if you set one, and check the token URL.",
        Step.REVIEW,
        ExitCode.CREDENTIALS,
    )


_OAUTH: dict[str, Callable[[Profile], _Explanation]] = {
    "invalid_client": _invalid_client,
    "invalid_scope": _invalid_scope,
    "invalid_target": _invalid_scope,
    "unauthorized_client": _unauthorized_client,
    "unsupported_grant_type": _unsupported_grant_type,
    "invalid_grant": _invalid_grant,
    "invalid_request": _invalid_request,
}


def oauth_error(profile: Profile, code: str, description: str, status: int) -> OAuthError:
    """An RFC 6749 section 5.2 error body, explained. ``description`` is already scrubbed."""
    about = _oauth_explanation(code, profile)
    detail = f" The server said: {description}" if description else ""
    return OAuthError(
        f"Visma Connect refused the token request ({code}, HTTP {status}): {about.why}.{detail}",
        code=code,
        title=f"Token refused: {code}",
        hint=about.hint,
        step=about.step,
        exit_code=about.exit_code,
    )


def token_status_error(profile: Profile, status: int, snippet: str, html: bool) -> HttpStatusError:
    """A token endpoint answer that is neither a token nor an OAuth error body."""
    shown = f" It said: {snippet}" if snippet else ""
    if status in (401, 403):
        return HttpStatusError(
            f"The token endpoint refused the credentials (HTTP {status}) without an OAuth "
            f"error code.{shown}",
            status_code=status,
            title="Credentials refused",
            hint=f"Check the client ID '{profile.client_id}' and the secret, and that the "
            "application is approved.",
            step=Step.SECRET,
            exit_code=ExitCode.CREDENTIALS,
        )
    return HttpStatusError(
        f"The token endpoint {profile.endpoints.token_url} answered HTTP {status}.{shown}",
        status_code=status,
        hint=_status_hint(status, html),
        step=Step.REVIEW if status == 404 or html else Step.TEST,
    )


def graphql_status_error(
    profile: Profile, status: int, snippet: str, html: bool
) -> GraphQLError | HttpStatusError:
    """A GraphQL endpoint status other than 200, explained."""
    app = facts(profile.app_type)
    url = profile.endpoints.graphql_url
    shown = f" It said: {snippet}" if snippet else ""
    # Judged by path, so a simulator or proxy on another host is judged the same way.
    mismatch = urlsplit(url).path.rstrip("/") != urlsplit(app.graphql_url).path
    if status == 401:
        return _graphql_401(profile, mismatch, shown)
    if status == 429:
        return HttpStatusError(
            f"Business NXT limited the requests for this token (HTTP 429) and the wizard's "
            f"time limit ran out before it allowed another.{shown}",
            status_code=status,
            title="Rate limited",
            hint=f"{text('rate_limit')} {_status_hint(status, html)} If your own service "
            "uses the same token at the same time, slow it down.",
            step=Step.TEST,
        )
    if status == 403:
        return GraphQLError(
            f"The token lacks the scope for {url} (HTTP 403).{shown} A service token "
            f"({facts(AppType.SERVICE).scope}) opens {facts(AppType.SERVICE).graphql_url}; "
            f"a web token ({facts(AppType.WEB).scope}) opens {facts(AppType.WEB).graphql_url}.",
            title="Token not allowed here",
            hint=f'Add the "{app.api_name}" integration with scope {app.scope} and wait for '
            "its approval, or point the profile at the endpoint that matches the app type.",
            step=Step.INTEGRATION,
        )
    return HttpStatusError(
        f"The GraphQL endpoint {url} answered HTTP {status}.{shown}",
        status_code=status,
        hint=_status_hint(status, html),
        step=Step.REVIEW if status == 404 or html else Step.TEST,
    )


def _graphql_401(profile: Profile, mismatch: bool, shown: str) -> GraphQLError:
    """The gateway's 401 (an HTML page, features/errors): no token, expired, or wrong API."""
    app = facts(profile.app_type)
    url = profile.endpoints.graphql_url
    service, web = facts(AppType.SERVICE), facts(AppType.WEB)
    where = (
        f" The profile points at {url}, but a {profile.app_type} application's endpoint "
        f"is {app.graphql_url}."
        if mismatch
        else ""
    )
    return GraphQLError(
        "The GraphQL endpoint refused the token (HTTP 401): it was missing, expired, or for "
        f"the other API.{where}{shown}",
        title="Token refused by GraphQL",
        hint=f"{text('graphql_401_html')} A token is accepted only by the API it was issued "
        f"for: a service token ({service.scope}) at {service.graphql_url}, a web sign-in "
        f"token ({web.scope}) at {web.graphql_url}; a service token on /api/graphql or a "
        "web token on /api/graphql-service is refused like a missing one. Check the "
        "endpoint and the application type; run the check again for a fresh token.",
        step=Step.REVIEW if mismatch else Step.INTEGRATION,
    )


def _status_hint(status: int, html: bool) -> str:
    if status == 429:
        return (
            "Too many requests: the wizard already waited as the server's Retry-After asked, "
            "within its time limit. Wait a minute and try again."
        )
    if html:
        return (
            "The answer is an HTML page, not JSON: the URL probably points at a web site, "
            "or a proxy or captive portal intercepted the request. Check the URL and proxy."
        )
    if status == 404:
        return "Nothing at that address: check the URL in the profile."
    if status >= 500:
        return "The server had a problem (retried already); try again later."
    return "Check the endpoint URL in the profile and try again."
