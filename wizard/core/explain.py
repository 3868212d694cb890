"""What each failure means for someone registering a Business NXT application.

The protocol says *what* went wrong (an RFC 6749 code, an HTTP status); this module says
*why that usually happens* in the Visma Developer Portal and *which step to revisit*. One
function per kind of failure, so the CLI and the UI explain things the same way.
Everything here is built from non-secret values only (client ID, scope, URLs, codes and
scrubbed server text).
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.core.errors import GraphQLError, HttpStatusError, OAuthError
from wizard.core.exitcodes import ExitCode
from wizard.core.models import Profile
from wizard.core.secret_source import env_overrides, override_note
from wizard.core.steps import Step
from wizard.core.visma import AppType, facts


@dataclass(frozen=True)
class _Explanation:
    why: str
    hint: str
    step: Step
    exit_code: ExitCode


def _oauth_explanation(code: str, profile: Profile) -> _Explanation:
    app = facts(profile.app_type)
    scope = profile.endpoints.scope
    client_id = profile.client_id
    if code == "invalid_client":
        return _Explanation(
            "wrong client ID or secret, or the application is not approved yet (Pending approval)",
            f"Check the client ID '{client_id}' is exactly as registered in the Developer "
            "Portal. A secret cannot be read again: if unsure, generate a new one on the "
            "Credentials tab and save it here. Check the application's status is not "
            "'Pending approval'. If all that is right, try the other client authentication "
            f"method (now '{profile.auth_method}')."
            + (f" Note: {override_note(profile)}" if env_overrides(profile) else ""),
            Step.SECRET,
            ExitCode.CREDENTIALS,
        )
    if code in ("invalid_scope", "invalid_target"):
        return _Explanation(
            f"the \"{app.api_name}\" integration or its scope '{scope}' is missing or still "
            "pending approval",
            "In the Developer Portal open the application's Integrations tab, add "
            f'"{app.api_name}" with the scope {app.scope}, confirm it and wait for the '
            "integration to be approved. A service app needs "
            f"{facts(AppType.SERVICE).scope}; a web app {facts(AppType.WEB).scope}.",
            Step.INTEGRATION,
            ExitCode.SCOPE,
        )
    if code == "unauthorized_client":
        return _Explanation(
            f"this application may not use the {facts(AppType.SERVICE).grant} grant "
            "(for example a web application with no secret, or the wrong application type)",
            "A service application uses client credentials. For a web application, generate "
            "a secret on the Credentials tab, or register the app as a Service application.",
            Step.APP_TYPE,
            ExitCode.CREDENTIALS,
        )
    if code == "invalid_grant":
        return _Explanation(
            "the grant was refused: the secret may have expired or been deleted",
            "Generate a new secret on the Credentials tab of the Developer Portal and save "
            "it here.",
            Step.SECRET,
            ExitCode.CREDENTIALS,
        )
    if code == "unsupported_grant_type":
        return _Explanation(
            "the token endpoint does not accept the client credentials grant",
            f"Check the token URL ({profile.endpoints.token_url}) is Visma Connect's "
            "/connect/token, and that the application type is right.",
            Step.APP_TYPE,
            ExitCode.CREDENTIALS,
        )
    if code == "invalid_request":
        return _Explanation(
            "the token request is missing something or has something the server does not accept",
            "Try the other client authentication method (basic or post), remove the tenant "
            "ID if you set one, and check the token URL.",
            Step.REVIEW,
            ExitCode.CREDENTIALS,
        )
    return _Explanation(
        "the server refused the token request",
        "Check the client ID, the secret and the application's approval status in the "
        "Developer Portal.",
        Step.SECRET,
        ExitCode.CREDENTIALS,
    )


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
    mismatch = url.rstrip("/") != app.graphql_url
    if status == 401:
        where = (
            f" The profile points at {url}, but a {profile.app_type} application's endpoint "
            f"is {app.graphql_url}: a token is accepted only by the API it was issued for."
            if mismatch
            else ""
        )
        return GraphQLError(
            f"The GraphQL endpoint refused the token (HTTP 401).{where}{shown}",
            title="Token refused by GraphQL",
            hint=f"A {profile.app_type} application's token works at {app.graphql_url} only. "
            "Check the endpoint and the application type; if both are right, the "
            f'"{app.api_name}" integration may not be approved yet.',
            step=Step.REVIEW if mismatch else Step.INTEGRATION,
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


def _status_hint(status: int, html: bool) -> str:
    if html:
        return (
            "The answer is an HTML page, not JSON: the URL probably points at a web site, "
            "or a proxy or captive portal intercepted the request. Check the URL and proxy."
        )
    if status == 404:
        return "Nothing at that address: check the URL in the profile."
    if status == 429:
        return "Too many requests: wait a minute and try again."
    if status >= 500:
        return "The server had a problem (retried already); try again later."
    return "Check the endpoint URL in the profile and try again."
