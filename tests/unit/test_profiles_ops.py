"""Profile operations: secret first, then the profile; a delete leaves nothing behind; the
store is chosen, never guessed; and no secret shows anywhere but its own store."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from pydantic import SecretStr

from tests.conftest import MemoryKeyring
from tests.factories import make_profile
from wizard.core import profiles, rotation
from wizard.core.drafts import DraftStore
from wizard.core.errors import ConfigError, SecretStoreError, ValidationFailed, WizardError
from wizard.core.models import Profile, SecretRef, SecretStoreKind
from wizard.core.profiles import (
    Workspace,
    build_profile,
    choose_store,
    delete_profile,
    prepare_secret,
    save_profile,
)
from wizard.core.secrets import ENV_SECRET, KEYRING_SERVICE, SECRETS_FILE, Slot, probe_keyring

CANARY = "CANARY-s3cr3t-7f1e9b2d"


@pytest.fixture
def ws(config_dir: Path) -> Workspace:
    return Workspace.open()


def test_workspace_opens_the_configured_folder(config_dir: Path, tmp_path: Path) -> None:
    assert Workspace.open().folder == config_dir
    assert Workspace.open(tmp_path / "x").config.path == tmp_path / "x" / "config.toml"


# --- choosing a store ----------------------------------------------------------------------


def test_working_keyring_is_the_default() -> None:
    assert choose_store(None) == "keyring"
    assert choose_store("keyring") == "keyring"


@pytest.mark.parametrize("requested", ["file", "env"])
def test_an_explicit_choice_needs_no_probe(
    requested: SecretStoreKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_probe(*_: object, **__: object) -> None:
        raise AssertionError("probed the keyring for an explicit choice")

    monkeypatch.setattr(profiles, "probe_keyring", no_probe)
    assert choose_store(requested) == requested


def test_no_keyring_means_the_user_chooses() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(SecretStoreError) as exc:
        choose_store(None)
    err = exc.value
    assert err.title == "Choose where the secret goes"
    assert "no keyring backend is available" in err.message
    assert "--secret-store file" in (err.hint or "")
    assert "--secret-store env" in (err.hint or "")
    assert "0600" in (err.hint or "")


def test_asking_for_a_broken_keyring_names_the_alternatives() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    with pytest.raises(SecretStoreError, match="OS keyring is not usable") as exc:
        choose_store("keyring")
    assert "--secret-store file" in (exc.value.hint or "")
    assert "--secret-store env" in (exc.value.hint or "")


def test_a_hanging_keyring_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    class Hanging(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            release.wait(5)

    keyring.set_keyring(Hanging())
    monkeypatch.setattr(profiles, "probe_keyring", functools.partial(probe_keyring, timeout=0.2))
    try:
        with pytest.raises(SecretStoreError, match=r"did not answer within 0\.2 seconds"):
            choose_store(None)
    finally:
        release.set()


# --- saving --------------------------------------------------------------------------------


def test_secret_is_stored_before_the_profile(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    real_store, real_save = ws.vault.store, ws.config.save

    def store(*args: Any) -> Any:
        order.append("secret")
        return real_store(*args)

    def save(profile: Profile) -> Any:
        order.append("profile")
        return real_save(profile)

    monkeypatch.setattr(ws.vault, "store", store)
    monkeypatch.setattr(ws.config, "save", save)
    saved = save_profile(ws, make_profile(), SecretStr(CANARY), "keyring")
    assert order == ["secret", "profile"]
    assert saved.secret == SecretRef(store="keyring")
    assert ws.config.get("default") == saved


def test_a_failed_secret_store_saves_no_profile(ws: Workspace) -> None:
    class Refusing(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise RuntimeError(f"no: {password}")

    keyring.set_keyring(Refusing())
    with pytest.raises(SecretStoreError) as exc:
        save_profile(ws, make_profile(), SecretStr(CANARY), "keyring")
    assert CANARY not in f"{exc.value} {exc.value!r} {exc.value.hint}"
    assert ws.config.names() == []


def test_saving_removes_the_draft(ws: Workspace) -> None:
    ws.drafts.save("default", "secret", {"app_name": "Accountflow"})
    save_profile(ws, make_profile(), SecretStr(CANARY), "file")
    assert ws.drafts.load("default") is None


def test_new_profile_without_a_secret_is_refused(ws: Workspace) -> None:
    with pytest.raises(SecretStoreError, match="No secret was given") as exc:
        save_profile(ws, make_profile(), None, "keyring")
    assert "--secret-stdin" in (exc.value.hint or "")
    assert ws.config.names() == []


def test_resaving_without_a_secret_keeps_the_stored_one(ws: Workspace) -> None:
    save_profile(ws, make_profile(), SecretStr(CANARY), "keyring")
    edited = save_profile(ws, make_profile(description="edited"), None, "keyring")
    assert ws.config.get("default").description == "edited"
    assert ws.vault.load(edited).value.get_secret_value() == CANARY


def test_switching_store_needs_the_secret_again(ws: Workspace) -> None:
    save_profile(ws, make_profile(), SecretStr(CANARY), "keyring")
    with pytest.raises(SecretStoreError, match="No secret was given"):
        save_profile(ws, make_profile(), None, "file")
    assert ws.config.get("default").secret == SecretRef(store="keyring")


def test_env_profile_needs_no_secret(ws: Workspace, config_dir: Path) -> None:
    saved = save_profile(ws, make_profile(), None, "env")
    assert saved.secret == SecretRef(store="env")
    assert not (config_dir / SECRETS_FILE).exists()


# --- deleting -------------------------------------------------------------------------------


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_delete_removes_secret_backup_profile_and_draft(
    ws: Workspace, store: SecretStoreKind, memory_keyring: MemoryKeyring
) -> None:
    keep = save_profile(ws, make_profile("prod"), SecretStr("prod-secret"), store)
    first = save_profile(ws, make_profile(), SecretStr("old-secret"), store)
    rotation.store_new_secret(ws, first, SecretStr(CANARY))
    ws.drafts.save("default", "secret", {})
    gone = delete_profile(ws, "default")
    assert gone.name == "default"
    assert ws.vault.fetch("default", store) is None
    assert ws.vault.fetch("default", store, Slot.PREVIOUS) is None
    assert ws.config.names() == ["prod"]
    assert ws.drafts.load("default") is None
    assert ws.vault.load(keep).value.get_secret_value() == "prod-secret"
    if store == "keyring":
        assert set(memory_keyring.store) == {(KEYRING_SERVICE, "profile:prod:current")}
    else:
        assert CANARY not in (ws.folder / SECRETS_FILE).read_text()


def test_deleting_an_unknown_profile(ws: Workspace) -> None:
    with pytest.raises(ConfigError, match="No profile named 'ghost'"):
        delete_profile(ws, "ghost")


# --- input helpers --------------------------------------------------------------------------


def test_build_profile_reports_without_echoing() -> None:
    long_id = "isv_" + "q" * 26
    data = make_profile().model_dump() | {"client_id": long_id}
    with pytest.raises(ValidationFailed) as exc:
        build_profile(data)
    assert any(p.startswith("client_id:") for p in exc.value.problems)
    assert long_id not in str(exc.value)


def test_prepare_secret_trims_with_a_warning() -> None:
    secret, warnings = prepare_secret(f"  {CANARY}\n", "isv_accountflow_app")
    assert secret.get_secret_value() == CANARY
    assert len(warnings) == 1
    assert CANARY not in warnings[0]


@pytest.mark.parametrize("raw", ["", "   ", f"{CANARY}\x07", "isv_accountflow_app"])
def test_prepare_secret_refuses_bad_input_without_echoing(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        prepare_secret(raw, "isv_accountflow_app")
    assert CANARY not in f"{exc.value} {exc.value!r} {exc.value.problems}"


# --- the canary sweep -----------------------------------------------------------------------


def test_the_secret_shows_nowhere_but_its_store(
    ws: Workspace, config_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Run every storage path with one recognisable secret, then search all that was left."""
    seen: list[str] = []

    def attempt(action: Any) -> None:
        try:
            action()
        except WizardError as err:
            seen.append(f"{err} {err!r} {err.title} {err.hint} {err.to_dict()}")

    secret = SecretStr(CANARY)
    for name, store in (("kr", "keyring"), ("fl", "file"), ("ev", "env")):
        prof = save_profile(ws, make_profile(name), secret, store)  # type: ignore[arg-type]
        seen.append(repr(prof) + str(prof) + prof.model_dump_json())
        seen.append(repr(rotation.store_new_secret(ws, prof, SecretStr(CANARY + "-new"))))
        seen.append(str(rotation.pending_rotation_notice(ws, prof)))
    ws.drafts.save("draft", "secret", {"client_secret": CANARY, "rows": [{"secret": CANARY}]})
    seen += [repr(d) for d in ws.drafts.list()]
    seen.append(repr(ws.vault.load(ws.config.get("fl"))))
    monkeypatch.setenv(ENV_SECRET, CANARY)
    seen.append(repr(ws.vault.load(ws.config.get("ev"))))
    monkeypatch.delenv(ENV_SECRET)
    attempt(lambda: ws.vault.load(ws.config.get("ev")))
    attempt(lambda: prepare_secret(CANARY + "\x00", None))
    attempt(lambda: save_profile(ws, make_profile("new"), None, "file"))
    keyring.set_keyring(keyring.backends.fail.Keyring())
    attempt(lambda: ws.vault.load(ws.config.get("kr")))
    attempt(lambda: save_profile(ws, make_profile("kr"), secret, "keyring"))
    attempt(lambda: choose_store(None))
    (config_dir / SECRETS_FILE).write_text(
        (config_dir / SECRETS_FILE).read_text() + f"broken = {CANARY}\n"
    )
    attempt(lambda: ws.vault.load(ws.config.get("fl")))
    assert len(seen) > 12
    for text in seen:
        assert CANARY not in text
    assert CANARY in (config_dir / SECRETS_FILE).read_text()  # the one place it may be
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != SECRETS_FILE:
            assert CANARY not in path.read_text(errors="replace"), path
    assert DraftStore().load("draft") is not None
