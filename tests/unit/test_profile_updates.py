"""One way to change a saved profile: re-read under the lock, apply only this change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.factories import make_profile
from wizard.core import rotation
from wizard.core.errors import ConfigError, SecretStoreError
from wizard.core.models import EnvFileRecord, SecretRef
from wizard.core.profiles import (
    Workspace,
    mark_verified,
    record_env_file,
    save_profile,
)
from wizard.core.secrets import Slot

OLD, NEW = "old-secret-upd-1", "new-secret-upd-2"
WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
def ws(config_dir: Path) -> Workspace:
    return Workspace.open()


def test_update_applies_each_change_to_what_is_on_disk_now(ws: Workspace) -> None:
    ws.config.save(make_profile())
    stale = ws.config.get("default")  # two commands read the profile ...
    record_env_file(ws, "default", EnvFileRecord(path="/srv/a/.env"))
    assert mark_verified(ws, stale, WHEN)  # ... and the slower one still keeps the record
    saved = ws.config.get("default")
    assert [r.path for r in saved.env_files] == ["/srv/a/.env"]
    assert saved.verified_at == WHEN


def test_record_env_file_keeps_one_record_per_path(ws: Workspace) -> None:
    ws.config.save(make_profile())
    record_env_file(ws, "default", EnvFileRecord(path="/srv/a/.env"))
    record_env_file(ws, "default", EnvFileRecord(path="/srv/b/.env"))
    record_env_file(ws, "default", EnvFileRecord(path="/srv/a/.env", prefix="APP_"))
    files = ws.config.get("default").env_files
    assert [(r.path, r.prefix) for r in files] == [
        ("/srv/b/.env", "BNXT_"),
        ("/srv/a/.env", "APP_"),
    ]


def test_a_check_of_a_changed_or_deleted_profile_is_not_recorded(ws: Workspace) -> None:
    ws.config.save(make_profile())
    checked = ws.config.get("default")
    ws.config.save(make_profile(client_id="isv_other_app"))  # init ran meanwhile
    assert not mark_verified(ws, checked, WHEN)
    assert ws.config.get("default").verified_at is None
    ws.config.delete("default")
    assert not mark_verified(ws, checked, WHEN)
    assert ws.config.names() == []  # not brought back to life


def test_update_of_a_deleted_profile_says_so(ws: Workspace) -> None:
    with pytest.raises(ConfigError, match="deleted while this command ran"):
        record_env_file(ws, "default", EnvFileRecord(path="/srv/a/.env"))
    assert ws.config.names() == []


def test_saving_an_edited_profile_keeps_what_other_commands_recorded(ws: Workspace) -> None:
    edited = make_profile(description="before")  # the wizard's copy, read long ago
    first = save_profile(ws, edited, SecretStr(OLD), "file")
    record_env_file(ws, "default", EnvFileRecord(path="/srv/a/.env"))
    rotation.store_new_secret(ws, first, SecretStr(NEW))
    resaved = save_profile(ws, edited.model_copy(update={"description": "after"}), None, "file")
    assert resaved.description == "after"
    assert [r.path for r in resaved.env_files] == ["/srv/a/.env"]
    assert resaved.secret == SecretRef(store="file", previous_store="file")
    assert resaved.rotated_at is not None and resaved.created_at == first.created_at
    assert ws.config.get("default") == resaved
    assert ws.vault.backup(resaved) == SecretStr(OLD)


def test_a_new_secret_is_refused_while_a_rotation_is_open(ws: Workspace) -> None:
    first = save_profile(ws, make_profile(), SecretStr(OLD), "file")
    rotation.store_new_secret(ws, first, SecretStr(NEW))
    before = ws.config.path.read_text()
    with pytest.raises(SecretStoreError, match="rotation of profile 'default' is open") as exc:
        save_profile(ws, make_profile(), SecretStr("yet-another-secret"), "file")
    assert "--rollback" in (exc.value.hint or "")
    with pytest.raises(SecretStoreError, match="is open"):
        save_profile(ws, make_profile(), None, "keyring")  # another store: refused too
    assert ws.config.path.read_text() == before
    assert ws.vault.fetch("default", "file") == SecretStr(NEW)
    assert ws.vault.fetch("default", "file", Slot.PREVIOUS) == SecretStr(OLD)


def test_settings_that_change_the_application_forget_verified_at(ws: Workspace) -> None:
    saved = save_profile(ws, make_profile(), SecretStr(OLD), "file")
    assert mark_verified(ws, saved, WHEN)
    same = save_profile(ws, make_profile(description="x"), None, "file")
    assert same.verified_at == WHEN
    other = save_profile(ws, make_profile(client_id="isv_other_app"), None, "file")
    assert other.verified_at is None
