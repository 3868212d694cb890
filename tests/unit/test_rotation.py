"""Secret rotation: the old secret stays until the user says the new one is everywhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from tests.conftest import MemoryKeyring
from tests.factories import make_profile
from wizard.core import connect, rotation
from wizard.core import rotation_journal as journal
from wizard.core.connect import ClientOptions
from wizard.core.errors import OAuthError, SecretStoreError
from wizard.core.models import EnvFileRecord, Profile, SecretRef, SecretStoreKind
from wizard.core.profiles import Workspace, save_profile
from wizard.core.secrets import ENV_SECRET, KEYRING_SERVICE, SECRETS_FILE, Slot
from wizard.core.tokens import Token

OLD = "OLD-CANARY-a81f3c"
NEW = "NEW-CANARY-5d20e7"


@pytest.fixture
def ws(config_dir: Path) -> Workspace:
    return Workspace.open()


def saved(ws: Workspace, store: SecretStoreKind, name: str = "default", **kw: Any) -> Profile:
    secret = None if store == "env" else SecretStr(OLD)
    return save_profile(ws, make_profile(name, **kw), secret, store)


def current(ws: Workspace, profile: Profile) -> str:
    return ws.vault.load(profile, allow_env=False).value.get_secret_value()


def backup(ws: Workspace, store: SecretStoreKind, name: str = "default") -> str | None:
    value = ws.vault.fetch(name, store, Slot.PREVIOUS)
    return value.get_secret_value() if value else None


def files_without_secrets(folder: Path) -> str:
    return "".join(
        p.read_text(errors="replace")
        for p in folder.rglob("*")
        if p.is_file() and p.name != SECRETS_FILE
    )


# --- store, finish, rollback -----------------------------------------------------------------


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_store_keeps_the_old_secret_as_a_backup(ws: Workspace, store: SecretStoreKind) -> None:
    profile = saved(ws, store)
    updated = rotation.store_new_secret(ws, profile, SecretStr(NEW))
    assert current(ws, updated) == NEW
    assert backup(ws, store) == OLD
    assert updated.secret == SecretRef(store=store, previous_store=store)
    assert updated.rotated_at is not None
    assert ws.config.get("default") == updated
    state = rotation.status(ws, "default")
    assert state is not None and state.step == "profile-saved" and state.new_stored
    assert state.next_command == "bnxt-wizard rotate --profile default --resume"
    assert OLD not in files_without_secrets(ws.folder)
    assert NEW not in files_without_secrets(ws.folder)


def test_keyring_holds_both_under_the_service(ws: Workspace, memory_keyring: MemoryKeyring) -> None:
    rotation.store_new_secret(ws, saved(ws, "keyring"), SecretStr(NEW))
    assert memory_keyring.store == {
        (KEYRING_SERVICE, "profile:default:current"): NEW,
        (KEYRING_SERVICE, "profile:default:previous"): OLD,
    }


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_finish_deletes_the_backup_and_the_state(ws: Workspace, store: SecretStoreKind) -> None:
    updated = rotation.store_new_secret(ws, saved(ws, store), SecretStr(NEW))
    done = rotation.finish(ws, updated)
    assert backup(ws, store) is None
    assert current(ws, done) == NEW
    assert done.secret == SecretRef(store=store)
    assert ws.config.get("default").secret == SecretRef(store=store)
    assert rotation.status(ws, "default") is None
    assert rotation.pending_rotation_notice(ws, done) is None


@pytest.mark.parametrize("store", ["keyring", "file"])
def test_rollback_restores_the_old_secret(ws: Workspace, store: SecretStoreKind) -> None:
    updated = rotation.store_new_secret(ws, saved(ws, store), SecretStr(NEW))
    back = rotation.rollback(ws, updated).profile
    assert current(ws, back) == OLD
    assert backup(ws, store) is None
    assert back.secret == SecretRef(store=store)
    assert ws.config.get("default").secret == SecretRef(store=store)
    assert rotation.status(ws, "default") is None


def test_rollback_without_a_backup_is_refused(ws: Workspace) -> None:
    profile = saved(ws, "keyring")
    with pytest.raises(SecretStoreError, match="no backup of an old secret"):
        rotation.rollback(ws, profile)
    assert current(ws, profile) == OLD


def test_rollback_with_a_lost_backup_says_where_it_looked(ws: Workspace) -> None:
    updated = rotation.store_new_secret(ws, saved(ws, "file"), SecretStr(NEW))
    ws.vault.discard("default", "file", Slot.PREVIOUS)
    with pytest.raises(SecretStoreError, match="missing from the plaintext file") as exc:
        rotation.rollback(ws, updated)
    assert NEW not in str(exc.value) and OLD not in str(exc.value)
    assert current(ws, updated) == NEW  # nothing changed


def test_env_profile_stores_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    profile = saved(ws, "env")
    updated = rotation.store_new_secret(ws, profile, SecretStr(NEW))
    assert updated.secret == SecretRef(store="env")
    assert not (ws.folder / SECRETS_FILE).exists()
    assert NEW not in files_without_secrets(ws.folder)
    monkeypatch.setenv(ENV_SECRET, NEW)
    assert ws.vault.load(updated).value.get_secret_value() == NEW
    done = rotation.finish(ws, updated)
    assert rotation.status(ws, "default") is None
    assert done.secret == SecretRef(store="env")


def test_without_a_secret_reference_nothing_is_stored(ws: Workspace) -> None:
    profile = make_profile()
    ws.config.save(profile)
    with pytest.raises(SecretStoreError, match="no secret store recorded"):
        rotation.store_new_secret(ws, profile, SecretStr(NEW))
    assert rotation.status(ws, "default") is None


def test_lost_current_secret_records_no_backup(ws: Workspace) -> None:
    profile = saved(ws, "keyring")
    ws.vault.discard("default", "keyring")
    updated = rotation.store_new_secret(ws, profile, SecretStr(NEW))
    assert updated.secret == SecretRef(store="keyring")
    assert current(ws, updated) == NEW


def test_other_profiles_are_untouched(ws: Workspace) -> None:
    other = saved(ws, "keyring", "prod")
    rotation.store_new_secret(ws, saved(ws, "keyring"), SecretStr(NEW))
    assert current(ws, other) == OLD
    assert ws.config.get("prod") == other


# --- interrupted rotations ------------------------------------------------------------------


def fake_token(calls: list[str], fail: bool = False) -> Any:
    async def request_token(
        profile: Profile, secret: SecretStr, *, options: ClientOptions, **_: Any
    ) -> Token:
        calls.append(secret.get_secret_value())
        if fail:
            raise OAuthError("The client ID or secret was refused.", code="invalid_client")
        return Token.from_value("access-token-value")

    return request_token


async def test_testing_a_new_secret_records_nothing(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = saved(ws, "keyring")
    calls: list[str] = []
    monkeypatch.setattr(connect, "request_token", fake_token(calls))
    await rotation.test_new_secret(ws, profile, SecretStr(NEW), ClientOptions())
    assert calls == [NEW]
    assert current(ws, profile) == OLD
    assert rotation.status(ws, "default") is None
    assert not (ws.folder / "rotation" / "default.json").exists()


def test_an_interrupted_tested_stage_asks_for_the_secret_again(ws: Workspace) -> None:
    """Killed right after the journal was opened: nothing stored, pipe the secret in again."""
    profile = saved(ws, "keyring")
    journal.record(ws, journal.Journal("default", "tested", "keyring"))
    notice = rotation.pending_rotation_notice(ws, profile)
    assert notice is not None
    assert "old secret is still the one in use" in notice
    assert notice.endswith("bnxt-wizard rotate --profile default --secret-stdin < new-secret.txt")
    state_file = ws.folder / "rotation" / "default.json"
    assert state_file.stat().st_mode & 0o777 == 0o600
    with pytest.raises(SecretStoreError, match="never stored"):
        rotation.resume(ws, "default")
    updated = rotation.store_new_secret(ws, profile, SecretStr(NEW))  # what it advised
    assert current(ws, updated) == NEW and backup(ws, "keyring") == OLD
    assert NEW not in state_file.read_text() and OLD not in state_file.read_text()


async def test_a_refused_new_secret_changes_nothing(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = saved(ws, "keyring")
    monkeypatch.setattr(connect, "request_token", fake_token([], fail=True))
    with pytest.raises(OAuthError):
        await rotation.test_new_secret(ws, profile, SecretStr(NEW), ClientOptions())
    assert rotation.status(ws, "default") is None
    assert current(ws, profile) == OLD


def test_stored_stage_reminds_to_delete_the_old_secret(ws: Workspace) -> None:
    updated = rotation.store_new_secret(ws, saved(ws, "file"), SecretStr(NEW))
    rotation.rewrite_env_files(ws, updated, SecretStr(NEW))  # no files: "rewritten" at once
    notice = rotation.pending_rotation_notice(ws, updated)
    assert notice is not None
    assert rotation.PORTAL_REMINDER in notice
    assert "Credentials tab" in notice
    assert notice.endswith("bnxt-wizard rotate --profile default --finish")
    assert NEW not in notice and OLD not in notice


@pytest.mark.parametrize(
    "content", ["{", '{"stage": "done"}', '{"updated_at": "x"}', "[]", '"stored"']
)
def test_unreadable_state_means_no_rotation(ws: Workspace, content: str) -> None:
    path = ws.folder / "rotation" / "default.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert rotation.status(ws, "default") is None
    assert rotation.pending_rotation_notice(ws, make_profile()) is None


def test_state_is_per_profile(ws: Workspace) -> None:
    rotation.store_new_secret(ws, saved(ws, "keyring", "dev"), SecretStr(NEW))
    assert rotation.status(ws, "dev") is not None
    assert rotation.status(ws, "prod") is None
    state = json.loads((ws.folder / "rotation" / "dev.json").read_text())
    assert state["step"] == "profile-saved" and state["store"] == "keyring"


# --- .env files --------------------------------------------------------------------------------


def _envfile_importable() -> bool:
    try:
        import wizard.core.envfile  # noqa: F401
    except ImportError:
        return False
    return True


needs_envfile = pytest.mark.skipif(
    not _envfile_importable(),
    reason="wizard.core.envfile (the .env writer) is not importable yet",
)


@needs_envfile
def test_recorded_env_files_get_the_new_secret(ws: Workspace, tmp_path: Path) -> None:
    from dotenv import dotenv_values

    dotenv = tmp_path / "app" / ".env"
    dotenv.parent.mkdir()
    dotenv.write_text(f"DEBUG=1\nBNXT_CLIENT_SECRET={OLD}\n")
    as_json = tmp_path / "app" / "settings.json"
    as_json.write_text("{}")
    no_secret = tmp_path / "app" / "public.env"
    no_secret.write_text("BNXT_CLIENT_ID=old\n")
    gone = tmp_path / "app" / "deleted.env"
    records = [
        EnvFileRecord(path=str(dotenv)),
        EnvFileRecord(path=str(as_json), format="json", prefix="APP_"),
        EnvFileRecord(path=str(no_secret), include_secret=False),
        EnvFileRecord(path=str(gone)),
    ]
    profile = saved(ws, "keyring", env_files=records)
    updated = rotation.store_new_secret(ws, profile, SecretStr(NEW))
    lines = rotation.rewrite_env_files(ws, updated, SecretStr(NEW))
    values = dotenv_values(dotenv)
    assert values["BNXT_CLIENT_SECRET"] == NEW
    assert values["DEBUG"] == "1"
    assert json.loads(as_json.read_text())["APP_CLIENT_SECRET"] == NEW
    assert "CLIENT_SECRET" not in no_secret.read_text()
    assert dotenv_values(no_secret)["BNXT_CLIENT_ID"] == "isv_accountflow_app"
    assert not gone.exists()
    assert f"skipped {gone}: it no longer exists" in lines
    assert sum(line.startswith("rewrote ") for line in lines) == 3
    for path in (dotenv, as_json, no_secret):
        assert path.stat().st_mode & 0o777 == 0o600
    assert all(NEW not in line for line in lines)


@needs_envfile
def test_a_file_that_cannot_be_written_is_reported_not_fatal(ws: Workspace, tmp_path: Path) -> None:
    shared = tmp_path / "shared.env"
    shared.write_text("BNXT_CLIENT_SECRET=x\n")
    (tmp_path / "app").mkdir()
    bad = tmp_path / "app" / ".env"
    bad.symlink_to(shared)  # replaced by a link out of its folder since it was recorded
    fine = tmp_path / "fine.env"
    fine.write_text("")
    records = [EnvFileRecord(path=str(bad)), EnvFileRecord(path=str(fine))]
    profile = saved(ws, "keyring").model_copy(update={"env_files": records})
    lines = rotation.rewrite_env_files(ws, profile, SecretStr(NEW))
    assert lines[0].startswith(f"NOT rewritten {bad}: ")
    assert "refusing to write through it" in lines[0]
    assert lines[1] == f"rewrote {fine}"
    assert shared.read_text() == "BNXT_CLIENT_SECRET=x\n"
    assert NEW in fine.read_text()
    assert NEW not in "".join(lines)


# --- stopped inside the store step (between the journal's records) --------------------------


@pytest.mark.parametrize("written", ["nothing", "backup", "backup and new"])
def test_stopped_while_storing_is_continued_by_what_status_says(
    ws: Workspace, written: str
) -> None:
    """The store step writes the backup, then the new secret; a stop between the two (no
    journal point there) is told apart by comparing what the store holds."""
    profile = saved(ws, "file")
    journal.record(ws, journal.Journal("default", "storing", "file"))
    if written != "nothing":
        ws.vault.put("default", "file", SecretStr(OLD), Slot.PREVIOUS)
    if written == "backup and new":
        ws.vault.put("default", "file", SecretStr(NEW))
    found = rotation.status(ws, "default")
    assert found is not None
    if written == "backup and new":
        assert found.new_stored and found.next_command.endswith("--resume")
        rotation.resume(ws, "default")
    else:
        assert not found.new_stored and "--secret-stdin" in found.next_command
        assert rotation.rotate(ws, "default", SecretStr(NEW)).complete
    assert (current(ws, profile), backup(ws, "file")) == (NEW, OLD)
    assert ws.config.get("default").secret == SecretRef(store="file", previous_store="file")
    after = rotation.status(ws, "default")
    assert after is not None and after.next_command.endswith("--finish")
