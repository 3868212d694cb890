"""Drafts: the wizard resumes where it stopped, and a draft never holds the secret."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from wizard.core.drafts import DRAFTS_DIR, DraftStore
from wizard.core.onboarding import CompanyRow, Onboarding
from wizard.core.steps import Step
from wizard.core.visma import AppType

CANARY = "CANARY-s3cr3t-7f1e9b2d"


def drafts_dir(config_dir: Path) -> Path:
    return config_dir / DRAFTS_DIR


def written(config_dir: Path) -> str:
    return "".join(p.read_text() for p in drafts_dir(config_dir).iterdir())


def test_round_trip(config_dir: Path) -> None:
    store = DraftStore()
    values = {"app_name": "Accountflow", "port": "12345", "companies": [{"company_no": "1"}]}
    saved = store.save("dev", "registration", values)
    loaded = store.load("dev")
    assert loaded == saved
    assert loaded is not None
    assert loaded.values == values
    assert loaded.step == "registration"
    assert loaded.updated_at


def test_files_are_private(config_dir: Path) -> None:
    old = os.umask(0o022)
    try:
        DraftStore().save("dev", "app_type", {})
    finally:
        os.umask(old)
    assert config_dir.stat().st_mode & 0o777 == 0o700
    assert drafts_dir(config_dir).stat().st_mode & 0o777 == 0o700
    assert (drafts_dir(config_dir) / "dev.json").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "values",
    [
        {"secret": CANARY},
        {"client_secret": CANARY},
        {"clientSecret": CANARY},
        {"CLIENT-SECRET": CANARY},
        {"password": CANARY},
        {"access_token": CANARY},
        {"new_secret_value": CANARY},
        {"step": {"nested": {"client_secret": CANARY}}},
        {"companies": [{"company_no": "1", "client_secret": CANARY}]},
        {"rows": [[{"secret": CANARY}]]},
        {"anything": SecretStr(CANARY)},
        {"list": [SecretStr(CANARY)]},
    ],
)
def test_secrets_never_reach_the_file(config_dir: Path, values: dict[str, Any]) -> None:
    store = DraftStore()
    draft = store.save("dev", "secret", {"app_name": "Accountflow", **values})
    assert CANARY not in written(config_dir)
    assert CANARY not in repr(draft)
    loaded = store.load("dev")
    assert loaded is not None
    assert loaded.values["app_name"] == "Accountflow"
    assert CANARY not in repr(loaded.values)


def test_where_the_secret_goes_is_kept(config_dir: Path) -> None:
    """``secret_store`` and ``token_url`` name places, not secrets: a resume needs them."""
    values = {
        "secret_store": "file",
        "token_url": "https://connect.visma.com/connect/token",
        "authorize_url": "https://connect.visma.com/connect/authorize",
    }
    DraftStore().save("dev", "secret", values)
    loaded = DraftStore().load("dev")
    assert loaded is not None
    assert loaded.values == values


def test_onboarding_survives_a_resume_without_its_secret(config_dir: Path) -> None:
    ob = Onboarding(profile="dev", step=Step.SECRET)
    ob.choose_app_type(AppType.SERVICE)
    ob.app_name = "Accountflow"
    ob.client_id = "isv_accountflow_app"
    ob.secret = SecretStr(CANARY)
    ob.secret_store = "file"
    ob.token_url = "https://127.0.0.1:8443/connect/token"
    ob.companies = [CompanyRow(company_no="1234567", access_group="Admin")]
    DraftStore().save(ob.profile, ob.step.value, ob.to_draft())
    assert CANARY not in written(config_dir)
    draft = DraftStore().load("dev")
    assert draft is not None
    back = Onboarding.from_draft(draft.values)
    assert back.secret is None
    assert back.secret_store == "file"
    assert back.token_url == "https://127.0.0.1:8443/connect/token"
    assert back.step is Step.SECRET
    assert back.client_id == "isv_accountflow_app"
    assert back.companies == ob.companies


def test_a_hand_edited_draft_with_a_secret_is_scrubbed_on_load(config_dir: Path) -> None:
    folder = drafts_dir(config_dir)
    folder.mkdir(parents=True)
    payload = {"profile": "dev", "step": "secret", "values": {"a": 1, "secret": CANARY}}
    (folder / "dev.json").write_text(json.dumps(payload))
    draft = DraftStore().load("dev")
    assert draft is not None
    assert draft.values == {"a": 1}


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"profile": "dev"}', "[1, 2]", '{"profile": "dev", "step": "x", "values": 3}'],
)
def test_broken_draft_is_ignored(config_dir: Path, content: str) -> None:
    folder = drafts_dir(config_dir)
    folder.mkdir(parents=True)
    (folder / "dev.json").write_text(content)
    assert DraftStore().load("dev") is None
    assert DraftStore().list() == []


def test_list_is_newest_first_and_skips_broken_and_temp_files(config_dir: Path) -> None:
    store = DraftStore()
    assert store.list() == []
    store.save("old", "app_type", {})
    store.save("new", "secret", {})
    folder = drafts_dir(config_dir)
    for name, stamp in (("old", "2024-01-01T00:00:00+00:00"), ("new", "2025-01-01T00:00:00+00:00")):
        data = json.loads((folder / f"{name}.json").read_text())
        data["updated_at"] = stamp
        (folder / f"{name}.json").write_text(json.dumps(data))
    (folder / "broken.json").write_text("{")
    (folder / ".new.json.abc123.tmp").write_text("{")  # a crash mid-write leaves one of these
    assert [d.profile for d in store.list()] == ["new", "old"]


def test_delete(config_dir: Path) -> None:
    store = DraftStore()
    store.save("dev", "app_type", {})
    store.delete("dev")
    store.delete("dev")  # twice is fine
    assert store.load("dev") is None


@pytest.mark.parametrize("name", ["../escape", "a/b", "", ".hidden", "x" * 65])
def test_profile_name_cannot_escape_the_folder(config_dir: Path, name: str) -> None:
    store = DraftStore()
    with pytest.raises(ValueError, match="invalid profile name"):
        store.save(name, "app_type", {})
    with pytest.raises(ValueError):
        store.load(name)
    assert not (config_dir / "escape.json").exists()
