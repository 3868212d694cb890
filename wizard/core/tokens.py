"""An access token as the wizard holds it: the secret value wrapped, the rest shown.

The JWT payload is decoded *without* verifying the signature. That is deliberate and
safe here: the claims are only displayed (who issued it, for which client, until when);
nothing is decided from them. The API that receives the token does the verifying.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, PlainSerializer, SecretStr

SUMMARY_CLAIMS = ("client_id", "iss", "exp")

# In JSON as Python writes it ("+00:00"), the form `--json` has always printed.
IsoDatetime = Annotated[datetime, PlainSerializer(datetime.isoformat, when_used="json")]


class TokenSummary(BaseModel):
    """What a report shows about a token: never the token itself."""

    model_config = ConfigDict(frozen=True)

    token_type: str
    scope: str
    expires_in: int | None = None
    expires_at: IsoDatetime | None = None
    obtained_at: IsoDatetime
    claims: dict[str, JsonValue] = Field(default_factory=dict)  # only SUMMARY_CLAIMS


def decode_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified; ``{}`` when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Token(BaseModel):
    model_config = ConfigDict(frozen=True)

    access_token: SecretStr
    token_type: str
    expires_in: int | None = None
    scope: str = ""
    obtained_at: datetime = Field(default_factory=_utcnow)
    claims: dict[str, Any] = Field(default_factory=dict, repr=False)

    @classmethod
    def from_value(
        cls,
        access_token: str,
        *,
        token_type: str = "Bearer",  # noqa: S107 - a token type, not a password
        expires_in: int | None = None,
        scope: str = "",
        obtained_at: datetime | None = None,
    ) -> Token:
        """Wrap a raw token at once, decoding its claims for display."""
        return cls(
            access_token=SecretStr(access_token),
            token_type=token_type,
            expires_in=expires_in,
            scope=scope,
            obtained_at=obtained_at or _utcnow(),
            claims=decode_claims(access_token),
        )

    @property
    def expires_at(self) -> datetime | None:
        """From ``expires_in`` when the server gave it, else from the JWT ``exp`` claim."""
        if self.expires_in is not None:
            try:
                return self.obtained_at + timedelta(seconds=self.expires_in)
            except OverflowError:  # an absurd expires_in from the server: no known expiry
                return None
        exp = self.claims.get("exp")
        if isinstance(exp, int | float) and not isinstance(exp, bool):
            try:
                return datetime.fromtimestamp(exp, UTC)
            except (OverflowError, OSError, ValueError):
                return None
        return None

    @property
    def scopes(self) -> list[str]:
        return self.scope.split()

    def summary(self) -> TokenSummary:
        """Facts about the token for reports. Never the token itself."""
        return TokenSummary(
            token_type=self.token_type,
            scope=self.scope,
            expires_in=self.expires_in,
            expires_at=self.expires_at,
            obtained_at=self.obtained_at,
            claims={k: self.claims[k] for k in SUMMARY_CLAIMS if k in self.claims},
        )
