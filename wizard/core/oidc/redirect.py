"""Read the authorization response (RFC 6749 4.1.2) the browser brings to the redirect URI.

Refused: a ``state`` other than the one sent (a forged or stale answer, RFC 6749 10.12), an
``iss`` other than the issuer (RFC 9207, mix-up), both ``code`` and ``error``, parameters sent
twice, an oversize query. ``error=`` is explained in words. What the server said is cleaned
before it is shown; the code never appears in a message.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qsl, urlsplit

from wizard.core._http import clean_text
from wizard.core.errors import SignInError
from wizard.core.steps import Step

MAX_QUERY = 4096
MAX_FIELDS = 16

_ERRORS: dict[str, tuple[str, str, Step]] = {
    "access_denied": (
        "the sign-in was declined or cancelled in the browser",
        "Sign in again and choose Allow on the consent page.",
        Step.TEST,
    ),
    "invalid_scope": (
        "Visma Connect does not allow the sign-in scopes this profile asks for",
        "Check the Business NXT Graphql API integration is approved, and that the profile's "
        "scopes are what it grants (openid profile email offline_access "
        "business-graphql-api:access-group-based).",
        Step.INTEGRATION,
    ),
    "unauthorized_client": (
        "this application may not use the authorization code grant",
        "Check the application is registered as a Web application and approved.",
        Step.APP_TYPE,
    ),
    "unsupported_response_type": (
        "the authorize endpoint does not accept response_type=code",
        "Check the issuer and authorize URL in the profile.",
        Step.REVIEW,
    ),
    "invalid_request": (
        "the authorize endpoint found the request malformed",
        "Check the redirect URI in the profile matches the registered one exactly.",
        Step.LOCAL_URIS,
    ),
    "login_required": (
        "the user is not signed in to Visma.net",
        "Sign in again in the browser.",
        Step.TEST,
    ),
    "consent_required": (
        "the user has not consented",
        "Sign in again and allow access on the consent page.",
        Step.TEST,
    ),
}


def _refused(message: str, hint: str) -> SignInError:
    return SignInError(message, title="Sign-in answer refused", hint=hint, step=Step.TEST)


def query_of(address: str) -> str:
    """The query of a pasted address (or of a bare ``code=...&state=...`` line)."""
    text = address.strip()
    if "?" in text or "://" in text:
        return urlsplit(text).query
    return text


def parse_response(query: str, *, state: str, issuer: str) -> str:
    """The authorization code, or a :class:`SignInError` saying why there is none."""
    if len(query) > MAX_QUERY:
        raise _refused(
            f"The sign-in answer is longer than {MAX_QUERY} characters; it was ignored.",
            "Sign in again; paste only the address the browser ended on.",
        )
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise _refused("The sign-in answer has too many parameters.", "Sign in again.") from None
    found: dict[str, str] = {}
    for name, value in pairs:
        if name in found:
            raise _refused(
                f"The sign-in answer has the parameter {clean_text(name, limit=30)} twice.",
                "Sign in again.",
            )
        found[name] = value
    got_state = found.get("state", "")
    if not hmac.compare_digest(got_state.encode(), state.encode()):
        raise _refused(
            "The sign-in answer carries a state this sign-in did not send (a forged, stale "
            "or mixed-up answer), so it was refused.",
            "Start the sign-in again from the address the wizard printed, in one tab.",
        )
    iss = found.get("iss")
    if iss is not None and iss.rstrip("/") != issuer.rstrip("/"):
        raise _refused(
            f"The sign-in answer says it comes from {clean_text(iss, limit=100)}, not "
            f"{clean_text(issuer, limit=100)} (an issuer mix-up).",
            "Check the issuer in the profile.",
        )
    code, error = found.get("code"), found.get("error")
    if code is not None and error is not None:
        raise _refused(
            "The sign-in answer holds both a code and an error, which no server sends.",
            "Sign in again; if it repeats, something between the browser and Visma Connect "
            "alters the answer.",
        )
    if error is not None:
        raise explain_error(error, found.get("error_description", ""))
    if not code:
        raise _refused(
            "The sign-in answer holds neither a code nor an error.",
            "Paste the whole address the browser ended on (it holds ?code=...).",
        )
    return code


def explain_error(error: str, description: str) -> SignInError:
    code = clean_text(error, limit=60) or "unknown_error"
    said = clean_text(description, limit=300)
    why, hint, step = _ERRORS.get(
        code, ("Visma Connect refused the sign-in", "Sign in again.", Step.TEST)
    )
    detail = f" It said: {said}" if said else ""
    return SignInError(
        f"The sign-in ended with {code}: {why}.{detail}",
        title=f"Sign-in refused: {code}",
        hint=hint,
        step=step,
    )
