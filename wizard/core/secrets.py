"""Where client secrets live: the OS keyring, a private file, or the environment.

The config file records only *which* store holds a profile's secret (``SecretRef``).
``BNXT_CLIENT_SECRET`` in the environment always wins, so CI can inject a secret without
storing it. Secrets travel as ``SecretStr`` and are unwrapped only at the moment they are
written to a store or sent to Visma Connect.
"""

from __future__ import annotations

import os
import secrets as _random
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import SecretStr

from wizard.core.atomic import atomic_write_text, locked
from wizard.core.errors import SecretStoreError
from wizard.core.models import Profile, SecretStoreKind
from wizard.core.paths import config_dir, ensure_private_dir, file_mode_note
from wizard.core.steps import Step

KEYRING_SERVICE = "bnxt-wizard"
ENV_SECRET = "BNXT_CLIENT_SECRET"
SECRETS_FILE = "secrets.toml"
PROBE_TIMEOUT = 3.0
PREVIOUS_SUFFIX = ".previous"
_FILE_HEADER = "# bnxt-wizard client secrets, in plain text. Keep this file private (0600).\n"


@dataclass(frozen=True)
class KeyringProbe:
    usable: bool
    backend: str
    reason: str


def probe_keyring(timeout: float = PROBE_TIMEOUT) -> KeyringProbe:
    """Write, read back and delete a throwaway value, giving up after ``timeout`` seconds.

    Keyring backends can block forever on headless Linux (a Secret Service that waits for an
    unlock prompt nobody sees), so the probe runs in a daemon thread.
    """
    result: list[KeyringProbe] = []

    def attempt() -> None:
        try:
            import keyring
            import keyring.backends.fail

            backend = keyring.get_keyring()
            name = type(backend).__module__.removeprefix("keyring.backends.")
            name = f"{name}.{type(backend).__name__}"
            if isinstance(backend, keyring.backends.fail.Keyring):
                result.append(KeyringProbe(False, name, "no keyring backend is available"))
                return
            user = f"probe-{_random.token_hex(6)}"
            value = _random.token_urlsafe(16)
            # The backend named above, not the global one: if this thread outlives the
            # timeout, it must not touch whatever keyring is configured by then.
            backend.set_password(KEYRING_SERVICE, user, value)
            ok = backend.get_password(KEYRING_SERVICE, user) == value
            backend.delete_password(KEYRING_SERVICE, user)
            reason = "" if ok else "the keyring did not return what was written"
            result.append(KeyringProbe(ok, name, reason))
        except Exception as exc:  # any backend failure means "not usable"
            result.append(KeyringProbe(False, "unknown", f"{type(exc).__name__}: {exc}"[:200]))

    worker = threading.Thread(target=attempt, name="keyring-probe", daemon=True)
    worker.start()
    worker.join(timeout)
    if not result:
        return KeyringProbe(
            False,
            "unknown",
            f"the keyring did not answer within {timeout:g} seconds "
            "(common on headless Linux with no unlocked Secret Service)",
        )
    return result[0]


class SecretBackend(Protocol):
    kind: SecretStoreKind

    def get(self, key: str) -> SecretStr | None: ...
    def set(self, key: str, secret: SecretStr) -> None: ...
    def delete(self, key: str) -> bool: ...
    def describe(self) -> str: ...


class KeyringBackend:
    kind: SecretStoreKind = "keyring"

    def get(self, key: str) -> SecretStr | None:
        import keyring

        try:
            value = keyring.get_password(KEYRING_SERVICE, key)
        except Exception as exc:
            raise _keyring_error("read", exc) from None
        return SecretStr(value) if value is not None else None

    def set(self, key: str, secret: SecretStr) -> None:
        import keyring

        try:
            keyring.set_password(KEYRING_SERVICE, key, secret.get_secret_value())
        except Exception as exc:
            raise _keyring_error("write", exc) from None

    def delete(self, key: str) -> bool:
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(KEYRING_SERVICE, key)
        except keyring.errors.PasswordDeleteError:
            return False
        except Exception as exc:
            raise _keyring_error("delete", exc) from None
        return True

    def describe(self) -> str:
        return f"OS keyring (service {KEYRING_SERVICE!r})"


def _keyring_error(action: str, exc: Exception) -> SecretStoreError:
    return SecretStoreError(
        f"Could not {action} the secret in the OS keyring ({type(exc).__name__}).",
        hint="Unlock your keyring, or choose --secret-store file or env.",
        step=Step.SECRET,
    )


class FileBackend:
    """A TOML file readable only by you (0600). Plaintext: say so wherever it is shown."""

    kind: SecretStoreKind = "file"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / SECRETS_FILE

    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            # The parser's message can quote file content; report only the position.
            where = str(exc).rpartition("(")[2].rstrip(")") if "line" in str(exc) else ""
            raise SecretStoreError(
                f"{self.path} cannot be read{f' ({where})' if where else ''}.",
                hint="Fix or delete the file, then store the secret again.",
            ) from None
        secrets = data.get("secrets", {})
        if not isinstance(secrets, dict):
            raise SecretStoreError(
                f"{self.path}: [secrets] must be a table.",
                hint="Fix or delete the file, then store the secret again.",
            )
        return {k: v for k, v in secrets.items() if isinstance(v, str)}

    def get(self, key: str) -> SecretStr | None:
        value = self._read().get(key)
        return SecretStr(value) if value is not None else None

    def set(self, key: str, secret: SecretStr) -> None:
        ensure_private_dir(self.folder)
        with locked(self.path):
            data = self._read()
            data[key] = secret.get_secret_value()
            self._write(data)

    def delete(self, key: str) -> bool:
        if not self.path.exists():
            return False
        with locked(self.path):
            data = self._read()
            if key not in data:
                return False
            del data[key]
            self._write(data)
        return True

    def _write(self, data: dict[str, str]) -> None:
        import tomli_w

        atomic_write_text(self.path, _FILE_HEADER + tomli_w.dumps({"secrets": data}), mode=0o600)

    def describe(self) -> str:
        return f"plaintext file {self.path} ({file_mode_note(self.path)})"


class EnvBackend:
    """Nothing is stored: the secret is read from BNXT_CLIENT_SECRET each time."""

    kind: SecretStoreKind = "env"

    def get(self, key: str) -> SecretStr | None:
        value = os.environ.get(ENV_SECRET)
        return SecretStr(value) if value else None

    def set(self, key: str, secret: SecretStr) -> None:
        return None

    def delete(self, key: str) -> bool:
        return False

    def describe(self) -> str:
        return f"environment variable {ENV_SECRET} (not stored)"


@dataclass(frozen=True)
class ResolvedSecret:
    value: SecretStr
    source: str  # human description of where it came from


class SecretVault:
    """The one place the rest of the code asks for, stores and deletes secrets."""

    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = config_dir(folder)

    def backend(self, kind: SecretStoreKind) -> SecretBackend:
        if kind == "keyring":
            return KeyringBackend()
        if kind == "file":
            return FileBackend(self.folder)
        return EnvBackend()

    def store(self, profile_name: str, kind: SecretStoreKind, secret: SecretStr) -> None:
        self.backend(kind).set(profile_name, secret)

    def load(self, profile: Profile, *, allow_env: bool = True) -> ResolvedSecret:
        env = os.environ.get(ENV_SECRET)
        if allow_env and env:
            return ResolvedSecret(SecretStr(env), f"environment variable {ENV_SECRET}")
        if profile.secret is None:
            raise SecretStoreError(
                f"Profile {profile.name!r} has no stored secret.",
                hint=f"Run `bnxt-wizard rotate --profile {profile.name} --secret-stdin`, or set "
                f"{ENV_SECRET}.",
                step=Step.SECRET,
            )
        backend = self.backend(profile.secret.store)
        value = backend.get(profile.name)
        if value is None:
            raise SecretStoreError(
                f"The secret for profile {profile.name!r} is not in the {backend.describe()}.",
                hint=f"Set {ENV_SECRET}, or store it again with "
                f"`bnxt-wizard rotate --profile {profile.name} --secret-stdin`.",
                step=Step.SECRET,
            )
        return ResolvedSecret(value, backend.describe())

    def delete(self, profile: Profile) -> None:
        if profile.secret is not None:
            backend = self.backend(profile.secret.store)
            backend.delete(profile.name)
            backend.delete(profile.name + PREVIOUS_SUFFIX)

    def describe(self, profile: Profile) -> str:
        if profile.secret is None:
            return "no secret stored"
        return self.backend(profile.secret.store).describe()

    @staticmethod
    def is_plaintext(profile: Profile) -> bool:
        return profile.secret is not None and profile.secret.store == "file"
