"""Where client secrets live: the OS keyring, a private file, or the environment.

The config file records only *which* store holds a profile's secret (``SecretRef``).
Each secret is stored under a structured key, ``profile:<name>:current`` or
``profile:<name>:previous`` (the backup kept during a rotation). The slot is the last part
and comes from a fixed set, so no profile name can produce another profile's key (the old
layout, ``<name>`` and ``<name>.previous``, let profile ``prod.previous`` share a key with
``prod``'s backup). Old keys are moved to the new ones on first use (:func:`migrate_legacy`).
``BNXT_CLIENT_SECRET`` in the environment always wins, so CI can inject a secret without
storing it. Secrets travel as ``SecretStr`` and are unwrapped only at the moment they are
written to a store or sent to Visma Connect.
"""

from __future__ import annotations

import os
import secrets as _random
import threading
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pydantic import SecretStr

from wizard.core.atomic import atomic_write_text, locked
from wizard.core.errors import SecretStoreError
from wizard.core.models import Profile, SecretStoreKind
from wizard.core.paths import config_dir, ensure_private_dir, file_mode_note
from wizard.core.steps import Step

if TYPE_CHECKING:
    from wizard.core.config_store import ConfigStore

KEYRING_SERVICE = "bnxt-wizard"
ENV_SECRET = "BNXT_CLIENT_SECRET"
SECRETS_FILE = "secrets.toml"
PROBE_TIMEOUT = 3.0
LEGACY_PREVIOUS_SUFFIX = ".previous"  # the old layout's backup key: "<name>.previous"
_FILE_HEADER = "# bnxt-wizard client secrets, in plain text. Keep this file private (0600).\n"


class Slot(StrEnum):
    CURRENT = "current"
    PREVIOUS = "previous"  # the old secret, kept as a backup while a rotation is open


def secret_key(profile: str, slot: Slot = Slot.CURRENT) -> str:
    """The stored key of one profile's secret: ``profile:<name>:<slot>``."""
    return f"profile:{profile}:{slot.value}"


def legacy_key(profile: str, slot: Slot = Slot.CURRENT) -> str:
    """The key the same secret had before structured keys (ambiguous for dotted names)."""
    return profile if slot is Slot.CURRENT else profile + LEGACY_PREVIOUS_SUFFIX


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
        self._migrated: set[SecretStoreKind] = set()

    def backend(self, kind: SecretStoreKind) -> SecretBackend:
        if kind == "keyring":
            return KeyringBackend()
        if kind == "file":
            return FileBackend(self.folder)
        return EnvBackend()

    # one slot of one profile ------------------------------------------------------------
    def fetch(
        self, profile: Profile | str, kind: SecretStoreKind, slot: Slot = Slot.CURRENT
    ) -> SecretStr | None:
        name = profile if isinstance(profile, str) else profile.name
        backend = self.backend(kind)
        value = backend.get(secret_key(name, slot))
        if value is None and kind != "env" and self._migrate(kind, profile):
            value = backend.get(secret_key(name, slot))
        return value

    def put(
        self, profile_name: str, kind: SecretStoreKind, secret: SecretStr, slot: Slot = Slot.CURRENT
    ) -> None:
        self.backend(kind).set(secret_key(profile_name, slot), secret)

    def discard(
        self, profile: Profile | str, kind: SecretStoreKind, slot: Slot = Slot.CURRENT
    ) -> bool:
        """Delete one slot (moving old-layout keys first, so none is left behind)."""
        if kind != "env":
            self._migrate(kind, profile)
        name = profile if isinstance(profile, str) else profile.name
        return self.backend(kind).delete(secret_key(name, slot))

    def store(self, profile_name: str, kind: SecretStoreKind, secret: SecretStr) -> None:
        self.put(profile_name, kind, secret)

    # the old layout -----------------------------------------------------------------------
    def _migrate(self, kind: SecretStoreKind, profile: Profile | str) -> bool:
        """Move old-layout keys of ``kind`` once per vault; True when it looked."""
        if kind in self._migrated:
            return False
        self._migrated.add(kind)
        from wizard.core.config_store import ConfigStore

        extra = [profile] if not isinstance(profile, str) else []
        if not self.folder.is_dir():  # nothing was ever stored here
            return True
        config = ConfigStore(self.folder)
        with config.locked():  # no other command writes the config or moves keys meanwhile
            profiles, complete = _known_profiles(config)
            migrate_legacy(self.backend(kind), kind, [*profiles, *extra], delete=complete)
        return True

    # whole profiles -----------------------------------------------------------------------
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
        value = self.fetch(profile, profile.secret.store)
        if value is None:
            raise SecretStoreError(
                f"The secret for profile {profile.name!r} is not in the {backend.describe()}.",
                hint=f"Set {ENV_SECRET}, or store it again with "
                f"`bnxt-wizard rotate --profile {profile.name} --secret-stdin`.",
                step=Step.SECRET,
            )
        return ResolvedSecret(value, backend.describe())

    def backup(self, profile: Profile) -> SecretStr | None:
        """The old secret kept while a rotation is open, if any."""
        if profile.secret is None:
            return None
        kind = profile.secret.previous_store or profile.secret.store
        return None if kind == "env" else self.fetch(profile, kind, Slot.PREVIOUS)

    def delete(self, profile: Profile) -> None:
        if profile.secret is not None:
            kinds = {profile.secret.store, profile.secret.previous_store or profile.secret.store}
            for kind in kinds:
                self.discard(profile, kind, Slot.CURRENT)
                self.discard(profile, kind, Slot.PREVIOUS)

    def describe(self, profile: Profile) -> str:
        if profile.secret is None:
            return "no secret stored"
        return self.backend(profile.secret.store).describe()

    @staticmethod
    def is_plaintext(profile: Profile) -> bool:
        return profile.secret is not None and profile.secret.store == "file"


def _known_profiles(config: ConfigStore) -> tuple[list[Profile], bool]:
    """Every readable profile, and whether that is all of them (else keep old keys)."""
    from wizard.core.errors import ConfigError

    try:
        names = config.names()
    except ConfigError:
        return [], False
    found: list[Profile] = []
    for name in names:
        try:
            found.append(config.get(name))
        except ConfigError:
            return found, False
    return found, True


def migrate_legacy(
    backend: SecretBackend, kind: SecretStoreKind, profiles: Iterable[Profile], *, delete: bool
) -> None:
    """Copy each old-layout key to every profile slot that may own it, then delete it.

    In the old layout ``prod.previous`` was both profile ``prod``'s backup and profile
    ``prod.previous``'s secret. Which one wrote it last cannot be known, so the value goes
    to every slot that could own it (never over a value already in the new layout), and
    the old key is deleted only when every profile was readable, so none that still needs
    it is left without.
    """
    owners: dict[str, list[str]] = {}
    for profile in profiles:
        ref = profile.secret
        if ref is None:
            continue
        if ref.store == kind:
            owners.setdefault(legacy_key(profile.name), []).append(secret_key(profile.name))
        if ref.previous_store == kind:
            owners.setdefault(legacy_key(profile.name, Slot.PREVIOUS), []).append(
                secret_key(profile.name, Slot.PREVIOUS)
            )
    for old, new_keys in owners.items():
        value = backend.get(old)
        if value is None:
            continue
        for new in dict.fromkeys(new_keys):
            if backend.get(new) is None:
                backend.set(new, value)
        if delete:
            backend.delete(old)
