"""Verify an ID token as OpenID Connect Core 3.1.3.7 asks, with PyJWT against the JWKS.

Signature (with a key of the issuer's JWKS, asymmetric algorithms only), ``iss`` equal to
the discovery document's issuer, ``aud`` containing the client ID, ``exp`` and ``iat`` with
a small leeway for clock skew, and the ``nonce`` this sign-in sent. Every refusal is a
:class:`SignInError` (exit 7) that says which check failed; no token text is ever shown.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from wizard.core._http import clean_text
from wizard.core.errors import SignInError
from wizard.core.steps import Step

LEEWAY = 60  # seconds of clock skew allowed on exp / iat / nbf
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")


class IdClaims(BaseModel):
    subject: str
    name: str | None = None
    email: str | None = None
    issued_at: datetime
    expires_at: datetime


def _refused(why: str, hint: str | None = None) -> SignInError:
    return SignInError(
        f"The ID token was refused: {why}.",
        title="ID token refused",
        hint=hint
        or "Sign in again. If it keeps happening, check the issuer in the profile and that "
        "nothing between you and Visma Connect alters the answers.",
        step=Step.TEST,
    )


def _pick_key(raw: str, jwks: dict[str, Any]) -> tuple[Any, str]:
    import jwt

    try:
        header = jwt.get_unverified_header(raw)
        keyset = jwt.PyJWKSet.from_dict(jwks)
    except jwt.PyJWKSetError:
        raise _refused("the issuer's key set (JWKS) holds no usable key") from None
    except jwt.PyJWTError:
        raise _refused("it is not a well-formed JWT") from None
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        shown = clean_text(str(alg), limit=20)
        raise _refused(f"it is signed with '{shown}', not an asymmetric algorithm")
    kid = header.get("kid")
    keys = [k for k in keyset.keys if kid is None or k.key_id == kid]
    if not keys:
        raise _refused("it names a signing key the issuer does not publish (kid not in the JWKS)")
    return keys[0], str(alg)


def verify_id_token(
    raw: str,
    jwks: dict[str, Any],
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    leeway: int = LEEWAY,
) -> IdClaims:
    import jwt

    key, alg = _pick_key(raw, jwks)
    try:
        claims = jwt.decode(
            raw,
            key=key,
            algorithms=[alg],
            audience=client_id,
            issuer=issuer,
            leeway=leeway,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.InvalidSignatureError:
        raise _refused("its signature does not match the issuer's published keys") from None
    except jwt.ExpiredSignatureError:
        raise _refused(
            "it has expired",
            "Check this computer's clock (the wizard allows a minute of skew), then sign in again.",
        ) from None
    except jwt.InvalidAudienceError:
        raise _refused(f"it was issued for another client, not {client_id}") from None
    except jwt.InvalidIssuerError:
        raise _refused(f"it was issued by another issuer, not {issuer}") from None
    except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError):
        raise _refused(
            "it is dated in the future", "Check this computer's clock, then sign in again."
        ) from None
    except jwt.MissingRequiredClaimError as exc:
        raise _refused(f"it has no '{clean_text(exc.claim, limit=20)}' claim") from None
    except jwt.PyJWTError:
        raise _refused("it could not be decoded or verified") from None
    got = claims.get("nonce")
    if not isinstance(got, str) or not hmac.compare_digest(got.encode(), nonce.encode()):
        raise _refused("its nonce is not the one this sign-in sent (a replayed or injected token)")
    return IdClaims(
        subject=clean_text(str(claims["sub"]), limit=200),
        name=_text(claims.get("name")),
        email=_text(claims.get("email")),
        issued_at=datetime.fromtimestamp(int(claims["iat"]), UTC),
        expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
    )


def _text(value: object) -> str | None:
    return clean_text(value, limit=200) if isinstance(value, str) and value.strip() else None
