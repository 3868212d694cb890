"""Stored secrets are keyed by profile and slot, so no profile name reaches another's secret.

The old layout stored profile ``prod``'s rotation backup as ``prod.previous``: the key of
profile ``prod.previous``'s own secret. Both directions are tested: the old layout is read
(and moved to the new keys without losing a value), the new layout is what gets written.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.conftest import MemoryKeyring
from tests.factories import make_profile
from wizard.core import rotation
from wizard.core.models import SecretRef, SecretStoreKind
from wizard.core.profiles import Workspace, delete_profile, save_profile
from wizard.core.secrets import KEYRING_SERVICE, SECRETS_FILE, FileBackend, Slot, secret_key

PROD, DOTTED, NEW = "prod-secret-11aa", "dotted-secret-22bb", "prod-new-secret-33cc"


@pytest.fixture
def ws(config_dir: Path) -> Workspace:
    return Workspace.open()


def raw_keys(ws: Workspace, store: SecretStoreKind, memory: MemoryKeyring) -> dict[str, str]:
    """Every key the store holds, as stored."""
    if store == "keyring":
        return {user: value for (service, user), value in memory.store.items()}
    path = ws.folder / SECRETS_FILE
    return dict(tomllib.loads(path.read_text())["secrets"]) if path.exists() else {}


def secret_of(ws: Workspace, name: str) -> str:
    return ws.vault.load(ws.config.get(name), allow_env=False).value.get_secret_value()


def test_keys_cannot_collide_for_any_name() -> None:
    names = ["prod", "prod.previous", "prod.previous.previous", "current", "a.current"]
    keys = [secret_key(n, slot) for n in names for slot in Slot]
    assert len(set(keys)) == len(keys)
    assert secret_key("prod", Slot.PREVIOUS) == "profile:prod:previous"
    assert secret_key("prod.previous") == "profile:prod.previous:current"


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_rotating_prod_never_touches_profile_prod_previous(
    ws: Workspace, store: SecretStoreKind, memory_keyring: MemoryKeyring
) -> None:
    dotted = save_profile(ws, make_profile("prod.previous"), SecretStr(DOTTED), store)
    prod = save_profile(ws, make_profile("prod"), SecretStr(PROD), store)
    updated = rotation.store_new_secret(ws, prod, SecretStr(NEW))
    assert secret_of(ws, "prod.previous") == DOTTED  # the old layout overwrote it here
    assert ws.vault.backup(updated) == SecretStr(PROD)
    back = rotation.rollback(ws, updated).profile
    assert secret_of(ws, "prod") == PROD  # its own backup, not the other profile's secret
    assert secret_of(ws, "prod.previous") == DOTTED
    rotation.finish(ws, rotation.store_new_secret(ws, back, SecretStr(NEW)))
    assert secret_of(ws, "prod.previous") == DOTTED  # finishing deleted only prod's backup
    delete_profile(ws, "prod")
    assert secret_of(ws, "prod.previous") == DOTTED
    assert raw_keys(ws, store, memory_keyring) == {"profile:prod.previous:current": DOTTED}
    assert ws.vault.load(dotted, allow_env=False).value.get_secret_value() == DOTTED


def write_old_layout(
    ws: Workspace, store: SecretStoreKind, memory: MemoryKeyring, values: dict[str, str]
) -> None:
    for key, value in values.items():
        if store == "keyring":
            memory.store[(KEYRING_SERVICE, key)] = value
        else:
            FileBackend(ws.folder).set(key, SecretStr(value))


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_the_old_layout_is_read_and_moved_without_losing_a_value(
    ws: Workspace, store: SecretStoreKind, memory_keyring: MemoryKeyring
) -> None:
    # what an older bnxt-wizard left: prod mid-rotation, and a plain profile "dev"
    ws.config.save(make_profile("prod", secret=SecretRef(store=store, previous_store=store)))
    ws.config.save(make_profile("dev", secret=SecretRef(store=store)))
    write_old_layout(ws, store, memory_keyring, {"prod": NEW, "prod.previous": PROD, "dev": "d"})
    assert secret_of(ws, "prod") == NEW
    assert raw_keys(ws, store, memory_keyring) == {
        "profile:prod:current": NEW,
        "profile:prod:previous": PROD,
        "profile:dev:current": "d",
    }
    assert secret_of(ws, "dev") == "d"
    assert ws.vault.backup(ws.config.get("prod")) == SecretStr(PROD)
    rotation.rollback(ws, ws.config.get("prod"))  # the moved backup is the one restored
    assert secret_of(ws, "prod") == PROD


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_a_shared_old_key_goes_to_both_profiles_that_could_own_it(
    ws: Workspace, store: SecretStoreKind, memory_keyring: MemoryKeyring
) -> None:
    """Old layout, collision already happened: one value under "prod.previous". Which
    profile wrote it last cannot be known, so both keep what the old layout gave them."""
    ws.config.save(make_profile("prod", secret=SecretRef(store=store, previous_store=store)))
    ws.config.save(make_profile("prod.previous", secret=SecretRef(store=store)))
    write_old_layout(ws, store, memory_keyring, {"prod": NEW, "prod.previous": DOTTED})
    assert secret_of(ws, "prod.previous") == DOTTED
    assert ws.vault.backup(ws.config.get("prod")) == SecretStr(DOTTED)
    assert secret_of(ws, "prod") == NEW
    assert "prod.previous" not in raw_keys(ws, store, memory_keyring)  # nobody needs it now


def test_new_keys_win_and_old_keys_stay_while_a_profile_is_unreadable(
    ws: Workspace, memory_keyring: MemoryKeyring
) -> None:
    ws.config.save(make_profile("dev", secret=SecretRef(store="keyring")))
    write_old_layout(ws, "keyring", memory_keyring, {"dev": "old-layout", "ops": "ops-secret"})
    memory_keyring.store[(KEYRING_SERVICE, "profile:dev:current")] = "new-layout"
    text = ws.config.path.read_text() + '\n[profiles.ops]\napp_type = "nonsense"\n'
    ws.config.path.write_text(text)
    dev = make_profile("dev", secret=SecretRef(store="keyring"))
    assert ws.vault.load(dev, allow_env=False).value.get_secret_value() == "new-layout"
    ghost = make_profile("ghost", secret=SecretRef(store="keyring"))
    memory_keyring.store[(KEYRING_SERVICE, "ghost")] = "ghost-secret"
    assert ws.vault.load(ghost, allow_env=False).value.get_secret_value() == "ghost-secret"
    # "ops" could not be read, so no old key is deleted: its owner may still need it
    assert memory_keyring.store[(KEYRING_SERVICE, "ops")] == "ops-secret"
    assert memory_keyring.store[(KEYRING_SERVICE, "ghost")] == "ghost-secret"
