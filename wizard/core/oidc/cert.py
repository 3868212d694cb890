"""The HTTPS certificate the sign-in listener presents for ``app.local``.

Made on first use with ``cryptography`` (an ECDSA P-256 key, subjectAltName DNS:app.local,
valid for a year: browsers refuse longer-lived server certificates) and kept in the config
folder under ``tls/`` (key 0600), or the developer's own pair (mkcert, ``dotnet dev-certs``)
via ``--cert``/``--key``. A kept certificate is made again when it has expired or names
another host.
"""

from __future__ import annotations

import hashlib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wizard.core.atomic import atomic_write_text
from wizard.core.errors import ConfigError
from wizard.core.paths import ensure_private_dir
from wizard.core.visma import LOCAL_DEV_HOST

TLS_FOLDER = "tls"
VALID_DAYS = 365


@dataclass(frozen=True)
class CertFiles:
    cert_path: Path
    key_path: Path
    fingerprint: str  # SHA-256 of the DER certificate, colon-separated hex
    generated: bool = False  # made by this run
    own: bool = False  # the developer's --cert/--key


def fingerprint(cert_pem: str) -> str:
    der = ssl.PEM_cert_to_DER_cert(cert_pem)
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())


def _still_good(cert_pem: bytes, host: str) -> bool:
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except (ValueError, x509.ExtensionNotFound):
        return False
    soon = datetime.now(UTC) + timedelta(days=1)
    return cert.not_valid_after_utc > soon and host in names.value.get_values_for_type(x509.DNSName)


def _generate(host: str) -> tuple[str, str]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, host),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "bnxt-wizard local development"),
        ]
    )
    now = datetime.now(UTC) - timedelta(minutes=5)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii"), key_pem


def ensure_certificate(config_folder: Path, host: str = LOCAL_DEV_HOST) -> CertFiles:
    """The kept certificate for ``host``, made (again) when missing, expired or for another host."""
    folder = config_folder / TLS_FOLDER
    cert_path, key_path = folder / f"{host}.crt", folder / f"{host}.key"
    try:
        if cert_path.is_file() and key_path.is_file():
            pem = cert_path.read_bytes()
            if _still_good(pem, host):
                return CertFiles(cert_path, key_path, fingerprint(pem.decode("ascii")))
        ensure_private_dir(config_folder)
        ensure_private_dir(folder)
        cert_pem, key_pem = _generate(host)
        atomic_write_text(key_path, key_pem, mode=0o600)
        atomic_write_text(cert_path, cert_pem, mode=0o644)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Cannot keep the HTTPS certificate in {folder}: "
            f"{getattr(exc, 'strerror', None) or type(exc).__name__}.",
            title="Certificate problem",
            hint="Check the config folder is writable, or pass your own pair with "
            "--cert FILE --key FILE.",
        ) from None
    return CertFiles(cert_path, key_path, fingerprint(cert_pem), generated=True)


def own_certificate(cert: str, key: str) -> CertFiles:
    """The developer's pair, checked to load (missing, unreadable or mismatched files refused)."""
    cert_path, key_path = Path(cert).expanduser(), Path(key).expanduser()
    for label, path in (("--cert", cert_path), ("--key", key_path)):
        if not path.is_file():
            what = "is not a file" if path.exists() else "does not exist"
            raise ConfigError(
                f"The file given with {label} ({path}) {what}.",
                title="Certificate file missing",
                hint="Give the PEM files of a certificate for app.local and its key "
                "(e.g. made with mkcert app.local), or leave out --cert/--key to use the "
                "wizard's own.",
            )
    try:
        pem = cert_path.read_text(encoding="ascii")
        files = CertFiles(cert_path, key_path, fingerprint(pem), own=True)
        server_context(files)
    except (OSError, UnicodeDecodeError, ValueError, ssl.SSLError) as exc:
        raise ConfigError(
            f"Cannot use the certificate {cert_path} with the key {key_path}: "
            f"{getattr(exc, 'strerror', None) or getattr(exc, 'reason', None) or 'unreadable'}.",
            title="Certificate unusable",
            hint="Give a PEM certificate and its matching unencrypted PEM key, both readable "
            "by you.",
        ) from None
    return files


def server_context(files: CertFiles) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(files.cert_path, files.key_path)
    return context


def trust_advice(files: CertFiles, host: str = LOCAL_DEV_HOST) -> str:
    """How to get past the browser's warning for this certificate."""
    if files.own:
        return f"Using your certificate {files.cert_path} (SHA-256 {files.fingerprint})."
    return (
        f"HTTPS certificate for {host}: {files.cert_path}\n"
        f"  SHA-256 fingerprint {files.fingerprint}\n"
        "  The browser will warn that it does not know this certificate: check the fingerprint "
        "and accept it once, or trust the file (macOS: Keychain Access, set to Always Trust; "
        "Windows: import into Trusted Root Certification Authorities; Linux/Firefox: "
        "Settings > Certificates > Import), or use your own with --cert/--key (mkcert "
        f"{host}, dotnet dev-certs)."
    )
