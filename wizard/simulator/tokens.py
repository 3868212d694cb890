"""Signing and checking access tokens, as Visma Connect does: RS256 JWTs with a published key.

Imported only when a simulator starts, so ``import wizard.simulator`` never pays for
cryptography and PyJWT. Each simulator makes its own key: a token from one is useless at another.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ALGORITHM = "RS256"


class InvalidToken(Exception):
    """A bearer token the simulator did not issue, or one that has expired."""


@dataclass(frozen=True)
class TokenClaims:
    client_id: str
    scopes: frozenset[str]
    user: str | None = None  # the signed-in user's ``sub``; None for client credentials


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638 key thumbprint, the usual way to name a key (``kid``)."""
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _audiences(scopes: list[str]) -> list[str]:
    """API scopes look like ``resource:permission``; the resource is the token's audience."""
    return sorted({s.partition(":")[0] for s in scopes if ":" in s})


class TokenIssuer:
    def __init__(self, issuer: str, lifetime: int = 3600) -> None:
        self.issuer = issuer
        self.lifetime = lifetime
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        self.kid = _thumbprint(jwk)
        self._jwk = {**jwk, "kid": self.kid, "use": "sig", "alg": ALGORITHM}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [dict(self._jwk)]}

    def issue(
        self,
        client_id: str,
        scopes: list[str],
        *,
        lifetime: int | None = None,
        user: str | None = None,
    ) -> str:
        """An access token; ``user`` (a ``sub``) for one issued to a signed-in user."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": user or client_id,
            "client_id": client_id,
            "scope": " ".join(scopes),
            "aud": _audiences(scopes) or [f"{self.issuer}/resources"],
            "iat": now,
            "nbf": now,
            "exp": now + (self.lifetime if lifetime is None else lifetime),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid})

    def sign(self, claims: dict[str, Any], *, foreign_key: bool = False) -> str:
        """Sign any claims (an ID token) with this issuer's key, or with a key of nobody's
        (``foreign_key``: for practising what a client does with a token it must refuse)."""
        if not foreign_key:
            return jwt.encode(claims, self._key, algorithm=ALGORITHM, headers={"kid": self.kid})
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return jwt.encode(claims, other, algorithm=ALGORITHM, headers={"kid": self.kid})

    def verify(self, token: str) -> TokenClaims:
        try:
            claims = jwt.decode(
                token,
                self._key.public_key(),
                algorithms=[ALGORITHM],
                issuer=self.issuer,
                options={
                    "require": ["exp", "iat", "nbf", "client_id", "scope"],
                    "verify_aud": False,
                },
            )
        except jwt.ExpiredSignatureError:
            raise InvalidToken("The access token has expired.") from None
        except jwt.PyJWTError:
            raise InvalidToken("The access token is not valid.") from None
        client_id, sub = str(claims["client_id"]), str(claims.get("sub", ""))
        user = sub if sub and sub != client_id else None
        return TokenClaims(client_id, frozenset(str(claims["scope"]).split()), user)
