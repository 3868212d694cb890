"""PKCE (RFC 7636, method S256), ``state`` and ``nonce``: fresh random values per sign-in."""

from __future__ import annotations

import base64
import hashlib
import secrets


def new_verifier() -> str:
    """64 characters from the unreserved set (RFC 7636 4.1 allows 43 to 128)."""
    return secrets.token_urlsafe(48)


def challenge(verifier: str) -> str:
    """BASE64URL(SHA256(verifier)) without padding (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def new_state() -> str:
    return secrets.token_urlsafe(24)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)
