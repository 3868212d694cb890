"""``{issuer}/.well-known/openid-configuration``: where a web app's sign-in endpoints are.

The document must name the issuer it was asked for (OpenID Connect Discovery 1.0 section
4.3): one that names another issuer is refused as a mix-up. Any endpoint the profile sets
overrides the discovered one; the token URL is always the profile's (the same one ``check``
uses), and a discovered one that differs is reported, not silently used.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from wizard.core import validation as v
from wizard.core._http import ClientOptions, clean_text, send
from wizard.core.errors import MalformedResponse, SignInError
from wizard.core.models import Profile
from wizard.core.steps import Step
from wizard.core.visma import CONNECT_BASE, DISCOVERY_PATH

WHAT = "the OpenID discovery document"
REQUIRED = ("authorization_endpoint", "token_endpoint", "jwks_uri")


class Discovery(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    end_session_endpoint: str | None = None


@dataclass(frozen=True)
class WebEndpoints:
    """The endpoints one sign-in uses, each from the profile or else from discovery."""

    issuer: str
    authorize: str
    token: str
    jwks: str
    end_session: str | None
    discovered_token: str


def issuer_of(profile: Profile) -> str:
    """The profile's issuer; a profile saved before issuers existed has Visma Connect's."""
    return (profile.endpoints.issuer or CONNECT_BASE).rstrip("/")


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + DISCOVERY_PATH


def _missing(field: str, url: str) -> MalformedResponse:
    return MalformedResponse(
        f"The discovery document at {clean_text(url, limit=120)} has no usable {field}.",
        title="Discovery document incomplete",
        hint="Check the issuer in the profile (init --issuer URL) points at Visma Connect "
        f"({CONNECT_BASE}), or set the missing endpoint in the profile yourself.",
        step=Step.REVIEW,
    )


async def fetch_discovery(
    issuer: str, *, client: httpx.AsyncClient, options: ClientOptions
) -> Discovery:
    """GET and check the document; raise a :class:`WizardError` (exit 5, or 7 on a mix-up)."""
    url = discovery_url(issuer)
    answer = await send(client, "GET", url, what=WHAT, options=options, headers={})
    body = answer.json_object()
    if answer.status_code != 200 or body is None:
        raise MalformedResponse(
            f"{WHAT.capitalize()} at {clean_text(url, limit=120)} answered HTTP "
            f"{answer.status_code}{' with no JSON object' if body is None else ''}.",
            title="No discovery document",
            hint="Check the issuer URL in the profile (init --issuer URL); Visma Connect's is "
            f"{CONNECT_BASE}.",
            step=Step.REVIEW,
        )
    for field in ("issuer", *REQUIRED):
        value = body.get(field)
        if not isinstance(value, str) or v.errors(v.check_endpoint_url(value)):
            raise _missing(field, url)
    try:
        doc = Discovery.model_validate(body)
    except ValidationError:
        raise _missing("set of endpoints", url) from None
    if doc.issuer.rstrip("/") != issuer.rstrip("/"):
        raise SignInError(
            f"The discovery document at {clean_text(url, limit=120)} names the issuer "
            f"{clean_text(doc.issuer, limit=120)}, not {clean_text(issuer, limit=120)}. "
            "The wizard refuses it: tokens from another issuer must never be accepted "
            "(an issuer mix-up).",
            title="Issuer mix-up",
            hint="Set the profile's issuer to exactly the one your Visma Connect names "
            "(init --issuer URL), or check no proxy rewrites the document.",
            step=Step.REVIEW,
        )
    return doc


def resolve(profile: Profile, doc: Discovery) -> WebEndpoints:
    ep = profile.endpoints
    end_session = doc.end_session_endpoint
    if end_session is not None and v.errors(v.check_endpoint_url(end_session)):
        end_session = None
    return WebEndpoints(
        issuer=doc.issuer,
        authorize=ep.authorize_url or doc.authorization_endpoint,
        token=ep.token_url,
        jwks=ep.jwks_url or doc.jwks_uri,
        end_session=ep.end_session_url or end_session,
        discovered_token=doc.token_endpoint,
    )
