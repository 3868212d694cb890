"""The sign-in's pieces on their own: PKCE, the redirect answer, the ID token, discovery,
the certificate and the browser pages."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from wizard.core._http import ClientOptions
from wizard.core.errors import ConfigError, MalformedResponse, NetworkError, SignInError
from wizard.core.exitcodes import ExitCode
from wizard.core.oidc import pages, pkce
from wizard.core.oidc.cert import ensure_certificate, own_certificate
from wizard.core.oidc.discovery import fetch_discovery
from wizard.core.oidc.idtoken import verify_id_token
from wizard.core.oidc.redirect import parse_response, query_of

ISSUER = "https://connect.test"
CLIENT = "isv_web_app"
NONCE = "n-0S6_WzA2Mj"
STATE = "st4te-value"


# --- PKCE -------------------------------------------------------------------------------------


def test_s256_matches_rfc_7636_appendix_b() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce.challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_fresh_values_are_long_and_distinct() -> None:
    verifiers = {pkce.new_verifier() for _ in range(20)}
    assert len(verifiers) == 20 and all(43 <= len(v) <= 128 for v in verifiers)
    assert pkce.new_state() != pkce.new_state() and pkce.new_nonce() != pkce.new_nonce()


# --- the redirect answer ----------------------------------------------------------------------


def parse(query: str) -> str:
    return parse_response(query, state=STATE, issuer=ISSUER)


def test_a_good_answer_gives_the_code() -> None:
    assert parse(f"code=abc&state={STATE}&iss=https%3A%2F%2Fconnect.test") == "abc"
    assert parse(f"state={STATE}&code=abc") == "abc"  # iss is optional (RFC 9207)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("code=abc&state=other", "state this sign-in did not send"),
        ("code=abc", "state this sign-in did not send"),
        (f"code=abc&error=access_denied&state={STATE}", "both a code and an error"),
        (f"code=a&code=b&state={STATE}", "twice"),
        (f"state={STATE}", "neither a code nor an error"),
        (f"code=abc&state={STATE}&iss=https%3A%2F%2Fevil.test", "issuer mix-up"),
        (f"code={'a' * 5000}&state={STATE}", "longer than"),
    ],
)
def test_bad_answers_are_refused(query: str, words: str) -> None:
    with pytest.raises(SignInError, match=words) as info:
        parse(query)
    assert info.value.exit_code == ExitCode.SIGN_IN


def test_error_is_explained_and_cleaned() -> None:
    with pytest.raises(SignInError) as info:
        parse(f"error=invalid_scope&error_description=Nope%0A%1B%5B31m&state={STATE}")
    assert info.value.title == "Sign-in refused: invalid_scope"
    assert "\x1b" not in info.value.message and "\n" not in info.value.message
    assert info.value.step is not None and info.value.step.value == "integration"


def test_pasted_addresses() -> None:
    assert query_of(" https://app.local:1/signin-oidc?code=a&state=b\n") == "code=a&state=b"
    assert query_of("code=a&state=b") == "code=a&state=b"


# --- the ID token -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwks_of(key: rsa.RSAPrivateKey, kid: str = "k1") -> dict[str, Any]:
    jwk = RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {"keys": [{**jwk, "kid": kid, "use": "sig", "alg": "RS256"}]}


def id_token(key: rsa.RSAPrivateKey, kid: str = "k1", **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "user-1",
        "aud": CLIENT,
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
        "name": "Dana <b>Demo</b>",
        "email": "dana@example.com",
    }
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def verify(raw: str, key: rsa.RSAPrivateKey) -> Any:
    return verify_id_token(raw, jwks_of(key), issuer=ISSUER, client_id=CLIENT, nonce=NONCE)


def test_a_good_id_token_is_read(key: rsa.RSAPrivateKey) -> None:
    claims = verify(id_token(key), key)
    assert claims.subject == "user-1" and claims.email == "dana@example.com"
    assert claims.name == "Dana <b>Demo</b>"  # kept as text; pages escape it


def test_small_clock_skew_is_allowed(key: rsa.RSAPrivateKey) -> None:
    now = int(time.time())
    assert verify(id_token(key, iat=now + 30, exp=now - 30), key).subject == "user-1"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"aud": "isv_other"}, "another client"),
        ({"nonce": "replayed"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"iss": "https://evil.test"}, "another issuer"),
        ({"iat": int(time.time()) + 3600}, "future"),
        ({"sub": None}, "'sub'"),
    ],
)
def test_bad_id_tokens(key: rsa.RSAPrivateKey, changes: dict[str, Any], words: str) -> None:
    with pytest.raises(SignInError, match=words):
        verify(id_token(key, **changes), key)


def test_another_key_is_refused(key: rsa.RSAPrivateKey) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SignInError, match="signature"):
        verify(id_token(other), key)
    with pytest.raises(SignInError, match="kid not in the JWKS"):
        verify(id_token(key, kid="unknown"), key)


def test_symmetric_or_unsigned_tokens_are_refused(key: rsa.RSAPrivateKey) -> None:
    hs = jwt.encode({"iss": ISSUER}, "shared-secret-of-32-bytes-at-least!!", algorithm="HS256")
    with pytest.raises(SignInError, match="not an asymmetric"):
        verify(hs, key)
    with pytest.raises(SignInError, match="well-formed"):
        verify("not-a-jwt", key)


# --- discovery --------------------------------------------------------------------------------


def document(**changes: Any) -> dict[str, Any]:
    doc = {
        "issuer": ISSUER,
        "authorization_endpoint": f"{ISSUER}/connect/authorize",
        "token_endpoint": f"{ISSUER}/connect/token",
        "jwks_uri": f"{ISSUER}/.well-known/openid-configuration/jwks",
        "end_session_endpoint": f"{ISSUER}/connect/endsession",
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


FAST = ClientOptions(total_timeout=2.0, max_retries=0)


async def discover(handler: Any) -> Any:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        return await fetch_discovery(ISSUER, client=client, options=FAST)


async def test_discovery_reads_the_endpoints() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=document())

    doc = await discover(answer)
    assert seen == [f"{ISSUER}/.well-known/openid-configuration"]
    assert doc.authorization_endpoint.endswith("/connect/authorize")


async def test_issuer_mix_up_is_refused() -> None:
    with pytest.raises(SignInError, match="mix-up") as info:
        await discover(lambda _r: httpx.Response(200, json=document(issuer="https://evil.test")))
    assert info.value.exit_code == ExitCode.SIGN_IN


@pytest.mark.parametrize("field", ["authorization_endpoint", "token_endpoint", "jwks_uri"])
async def test_missing_endpoint_is_named(field: str) -> None:
    with pytest.raises(MalformedResponse, match=field):
        await discover(lambda _r: httpx.Response(200, json=document(**{field: None})))


async def test_unreachable_discovery_is_a_network_error() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(NetworkError) as info:
        await discover(refuse)
    assert info.value.exit_code == ExitCode.NETWORK


async def test_not_a_discovery_document() -> None:
    with pytest.raises(MalformedResponse, match="HTTP 404"):
        await discover(lambda _r: httpx.Response(404, text="<html>nope</html>"))


# --- the certificate --------------------------------------------------------------------------


def test_certificate_is_made_once_and_names_app_local(tmp_path: Path) -> None:
    from cryptography import x509

    first = ensure_certificate(tmp_path)
    assert first.generated and first.key_path.stat().st_mode & 0o777 == 0o600
    cert = x509.load_pem_x509_certificate(first.cert_path.read_bytes())
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["app.local"]
    again = ensure_certificate(tmp_path)
    assert not again.generated and again.fingerprint == first.fingerprint
    assert len(first.fingerprint.split(":")) == 32


def test_a_certificate_for_another_host_is_replaced(tmp_path: Path) -> None:
    made = ensure_certificate(tmp_path, host="other.local")
    (tmp_path / "tls" / "other.local.crt").rename(made.cert_path.with_name("app.local.crt"))
    (tmp_path / "tls" / "other.local.key").rename(made.key_path.with_name("app.local.key"))
    assert ensure_certificate(tmp_path).generated


def test_own_certificate_files_are_checked(tmp_path: Path) -> None:
    made = ensure_certificate(tmp_path / "made")
    with pytest.raises(ConfigError, match="--cert"):
        own_certificate(str(tmp_path / "missing.crt"), str(made.key_path))
    garbage = tmp_path / "garbage.key"
    garbage.write_text("not a key")
    with pytest.raises(ConfigError, match="Cannot use the certificate"):
        own_certificate(str(made.cert_path), str(garbage))
    assert own_certificate(str(made.cert_path), str(made.key_path)).own


# --- pages ------------------------------------------------------------------------------------


def test_pages_escape_what_they_show() -> None:
    page = pages.failure("<b>x</b>", "said <script>alert(1)</script>", "do & see")
    assert "<script>" not in page.html and "&lt;script&gt;" in page.html
    assert "&amp;" in page.html and page.status == 400
    assert "<b>" not in pages.success("Dana <b>Demo</b>").html


def test_an_unreadable_certificate_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No permission to read the file (made to happen: a test run as root reads anything)."""
    made = ensure_certificate(tmp_path / "made")
    real = Path.read_text

    def refuse(self: Path, *args: Any, **kwargs: Any) -> str:
        if self == made.cert_path:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(ConfigError, match="Permission denied") as info:
        own_certificate(str(made.cert_path), str(made.key_path))
    assert info.value.title == "Certificate unusable"


def test_a_key_of_another_certificate_is_refused(tmp_path: Path) -> None:
    one = ensure_certificate(tmp_path / "one")
    other = ensure_certificate(tmp_path / "other")
    with pytest.raises(ConfigError, match="Cannot use the certificate"):
        own_certificate(str(one.cert_path), str(other.key_path))


def test_a_folder_given_as_the_certificate_is_refused(tmp_path: Path) -> None:
    made = ensure_certificate(tmp_path / "made")
    with pytest.raises(ConfigError, match="is not a file"):
        own_certificate(str(tmp_path), str(made.key_path))
