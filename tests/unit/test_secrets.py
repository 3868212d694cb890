"""Secret stores: the keyring only after a probe that cannot hang, a private file, or nothing.

Every test that handles a secret uses CANARY and checks it never reaches a message or repr.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.fail
import pytest
from pydantic import SecretStr

from tests.conftest import MemoryKeyring
from wizard.core.errors import SecretStoreError
from wizard.core.models import Endpoints, Profile, SecretRef, SecretStoreKind
from wizard.core.secrets import (
    ENV_SECRET,
    KEYRING_SERVICE,
    SECRETS_FILE,
    EnvBackend,
    FileBackend,
    KeyringBackend,
    ResolvedSecret,
    SecretVault,
    probe_keyring,
)

CANARY = "CANARY-s3cr3t-7f1e9b2d"


def profile(store: SecretStoreKind | None = "keyring", name: str = "default") -> Profile:
    return Profile(
        name=name,
        app_type="service",
        app_name="Accountflow",
        client_id="isv_accountflow_app",
        endpoints=Endpoints.defaults("service"),
        secret=SecretRef(store=store) if store else None,
    )


def shown(err: BaseException) -> str:
    """Everything an error can show a user or a log."""
    extra = ""
    if isinstance(err, SecretStoreError):
        extra = f"{err.title} {err.hint} {err.to_dict()}"
    return f"{err} {err!r} {err.args} {extra}"


# --- keyring backends for the probe ------------------------------------------------------


class HangingKeyring(keyring.backend.KeyringBackend):
    """A Secret Service waiting for an unlock prompt nobody will ever see."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring: unannotated
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(10)

    def delete_password(self, service: str, username: str) -> None:
        return None


class RaisingKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("dbus said no")

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError(f"locked, value was {CANARY}")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("locked")


class ForgetfulKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        return None


class RecordingKeyring(MemoryKeyring):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")


@pytest.fixture
def hanging() -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.release.set()
    for thread in threading.enumerate():
        if thread.name == "keyring-probe":
            thread.join(2)


def test_probe_accepts_a_working_keyring(memory_keyring: MemoryKeyring) -> None:
    result = probe_keyring(timeout=2)
    assert result.usable
    assert result.reason == ""
    assert "MemoryKeyring" in result.backend
    assert memory_keyring.store == {}  # the throwaway value was deleted again


def test_probe_gives_up_on_a_hanging_keyring(hanging: HangingKeyring) -> None:
    started = time.monotonic()
    result = probe_keyring(timeout=0.3)
    elapsed = time.monotonic() - started
    assert not result.usable
    assert 0.25 <= elapsed < 10  # waited for the timeout, and gave up long before the hang ends
    assert "did not answer within 0.3 seconds" in result.reason
    assert "headless" in result.reason


def test_late_probe_thread_leaves_the_next_keyring_alone(hanging: HangingKeyring) -> None:
    assert not probe_keyring(timeout=0.1).usable
    later = RecordingKeyring()
    keyring.set_keyring(later)
    hanging.release.set()
    [thread] = [t for t in threading.enumerate() if t.name == "keyring-probe"]
    thread.join(2)
    assert not thread.is_alive()
    assert later.calls == []


def test_probe_reports_a_raising_keyring() -> None:
    keyring.set_keyring(RaisingKeyring())
    result = probe_keyring(timeout=2)
    assert not result.usable
    assert "RuntimeError" in result.reason


def test_probe_reports_the_fail_backend() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    result = probe_keyring(timeout=2)
    assert not result.usable
    assert result.reason == "no keyring backend is available"
    assert result.backend == "fail.Keyring"


def test_probe_refuses_a_keyring_that_forgets() -> None:
    keyring.set_keyring(ForgetfulKeyring())
    result = probe_keyring(timeout=2)
    assert not result.usable
    assert "did not return what was written" in result.reason


# --- keyring store -----------------------------------------------------------------------


def test_keyring_store_round_trip(memory_keyring: MemoryKeyring, config_dir: Path) -> None:
    vault = SecretVault()
    vault.store("default", "keyring", SecretStr(CANARY))
    assert memory_keyring.store == {(KEYRING_SERVICE, "profile:default:current"): CANARY}
    resolved = vault.load(profile("keyring"))
    assert resolved.value.get_secret_value() == CANARY
    assert resolved.source == f"OS keyring (service {KEYRING_SERVICE!r})"
    assert CANARY not in repr(resolved) and CANARY not in str(resolved)
    assert not config_dir.exists() or SECRETS_FILE not in {p.name for p in config_dir.iterdir()}
    vault.delete(profile("keyring"))
    assert memory_keyring.store == {}


@pytest.mark.parametrize("action", ["get", "set", "delete"])
def test_keyring_failures_never_show_the_secret(action: str) -> None:
    class Broken(MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise RuntimeError(f"could not read {CANARY}")

        def set_password(self, service: str, username: str, password: str) -> None:
            raise RuntimeError(f"could not write {password}")

        def delete_password(self, service: str, username: str) -> None:
            raise RuntimeError(f"could not delete {CANARY}")

    keyring.set_keyring(Broken())
    backend = KeyringBackend()
    calls: dict[str, Any] = {
        "get": lambda: backend.get("default"),
        "set": lambda: backend.set("default", SecretStr(CANARY)),
        "delete": lambda: backend.delete("default"),
    }
    with pytest.raises(SecretStoreError) as exc:
        calls[action]()
    assert "RuntimeError" in exc.value.message
    assert "--secret-store file or env" in (exc.value.hint or "")
    assert CANARY not in shown(exc.value)
    assert exc.value.__cause__ is None and exc.value.__suppress_context__


def test_keyring_delete_of_nothing_is_false() -> None:
    assert KeyringBackend().delete("nobody") is False


# --- file store --------------------------------------------------------------------------


def test_file_store_is_private_and_keeps_other_secrets(config_dir: Path) -> None:
    vault = SecretVault()
    vault.store("dev", "file", SecretStr(CANARY))
    vault.store("prod", "file", SecretStr("prod-secret"))
    path = config_dir / SECRETS_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert config_dir.stat().st_mode & 0o777 == 0o700
    text = path.read_text()
    assert text.startswith("# bnxt-wizard client secrets, in plain text.")
    assert vault.load(profile("file", "dev")).value.get_secret_value() == CANARY
    assert vault.load(profile("file", "prod")).value.get_secret_value() == "prod-secret"
    assert "plaintext" in vault.describe(profile("file", "dev"))
    assert SecretVault.is_plaintext(profile("file")) and not SecretVault.is_plaintext(profile())
    vault.delete(profile("file", "dev"))
    assert FileBackend(config_dir).get("profile:dev:current") is None
    assert FileBackend(config_dir).get("profile:prod:current") is not None
    assert path.read_text().startswith("# bnxt-wizard client secrets")  # header kept on delete
    assert CANARY not in path.read_text()


def test_file_store_handles_awkward_values(config_dir: Path) -> None:
    backend = FileBackend(config_dir)
    awkward = 'quote " backslash \\ hash # equals = ünïcode'
    backend.set("default", SecretStr(awkward))
    assert backend.get("default") == SecretStr(awkward)
    assert backend.get("default").get_secret_value() == awkward  # type: ignore[union-attr]


def test_broken_secrets_file_is_reported_by_line_and_left_alone(config_dir: Path) -> None:
    config_dir.mkdir()
    path = config_dir / SECRETS_FILE
    path.write_text(f'[secrets]\ndefault = "{CANARY}"\nbroken = {CANARY}\n')
    before = path.read_bytes()
    backend = FileBackend(config_dir)
    with pytest.raises(SecretStoreError) as exc:
        backend.get("default")
    assert "line 3" in exc.value.message
    assert CANARY not in shown(exc.value)
    with pytest.raises(SecretStoreError):
        backend.set("other", SecretStr("x"))
    with pytest.raises(SecretStoreError):
        backend.delete("default")
    assert path.read_bytes() == before


def test_secrets_table_of_the_wrong_shape(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / SECRETS_FILE).write_text(f'secrets = "{CANARY}"\n')
    with pytest.raises(SecretStoreError, match="must be a table") as exc:
        FileBackend(config_dir).get("default")
    assert CANARY not in shown(exc.value)


def test_file_delete_without_a_file() -> None:
    assert FileBackend(Path("/nonexistent/bnxt")).delete("default") is False


# --- environment -------------------------------------------------------------------------


def test_env_store_keeps_nothing(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = SecretVault()
    vault.store("default", "env", SecretStr(CANARY))
    assert not config_dir.exists()
    with pytest.raises(SecretStoreError, match="not in the environment variable") as exc:
        vault.load(profile("env"))
    assert ENV_SECRET in (exc.value.hint or "")
    monkeypatch.setenv(ENV_SECRET, CANARY)
    resolved = vault.load(profile("env"))
    assert resolved.value.get_secret_value() == CANARY
    assert EnvBackend().delete("default") is False


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_environment_variable_overrides_the_stored_secret(
    store: SecretStoreKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = SecretVault()
    vault.store("default", store, SecretStr("stored-one"))
    monkeypatch.setenv(ENV_SECRET, CANARY)
    resolved = vault.load(profile(store))
    assert resolved == ResolvedSecret(SecretStr(CANARY), f"environment variable {ENV_SECRET}")
    assert resolved.value.get_secret_value() == CANARY
    ignored = vault.load(profile(store), allow_env=False)
    assert ignored.value.get_secret_value() == "stored-one"


def test_empty_environment_variable_does_not_override(monkeypatch: pytest.MonkeyPatch) -> None:
    vault = SecretVault()
    vault.store("default", "keyring", SecretStr("stored-one"))
    monkeypatch.setenv(ENV_SECRET, "")
    assert vault.load(profile()).value.get_secret_value() == "stored-one"


def test_missing_secret_says_how_to_store_it() -> None:
    with pytest.raises(SecretStoreError, match="not in the OS keyring") as exc:
        SecretVault().load(profile("keyring"))
    assert "rotate --profile default --secret-stdin" in (exc.value.hint or "")


def test_profile_without_a_secret_reference() -> None:
    vault = SecretVault()
    with pytest.raises(SecretStoreError, match="has no stored secret"):
        vault.load(profile(None))
    assert vault.describe(profile(None)) == "no secret stored"
    vault.delete(profile(None))  # nothing to do, no error


def test_secret_values_never_show_in_reprs() -> None:
    value = SecretStr(CANARY)
    resolved = ResolvedSecret(value, "somewhere")
    for text in (repr(value), str(value), repr(resolved), str(resolved), f"{value}"):
        assert CANARY not in text
