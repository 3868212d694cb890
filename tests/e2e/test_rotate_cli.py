"""`bnxt-wizard rotate` says where it stands, refuses what would lose the old secret, and
exits non-zero when a .env file could not be rewritten."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.state_helpers import GatedTokenServer, cli, env_secret, saved_profile, state
from wizard.core.exitcodes import ExitCode

OLD, NEW = "old-secret-cli-31", "new-secret-cli-42"
RESUME = "bnxt-wizard rotate --profile default --resume"
FINISH = "bnxt-wizard rotate --profile default --finish"


@pytest.fixture
def server() -> Iterator[GatedTokenServer]:
    with GatedTokenServer({OLD, NEW}) as srv:
        yield srv


def no_secret_in(*texts: str) -> None:
    for text in texts:
        assert OLD not in text and NEW not in text


def test_status_without_a_rotation(config_dir: Path, server: GatedTokenServer) -> None:
    saved_profile(config_dir, server.token_url, OLD)
    code, out, _ = cli(config_dir, "rotate", "--status")
    assert code == 0 and out == "No rotation of profile 'default' is open.\n"
    code, out, _ = cli(config_dir, "rotate", "--status", "--json")
    assert json.loads(out) == {"open": False, "profile": "default"}
    code, _, err = cli(config_dir, "rotate", "--profile", "ghost", "--status")
    assert code == 1 and "No profile named 'ghost'" in err
    code, out, err = cli(config_dir, "rotate", "--resume")
    assert code == 1 and "No rotation of profile 'default' is open" in err


def test_a_env_file_not_rewritten_keeps_the_rotation_open_and_exits_7(
    config_dir: Path, server: GatedTokenServer, tmp_path: Path
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    dotenv = app / ".env"
    saved_profile(config_dir, server.token_url, OLD, env_files=[dotenv])
    shared = tmp_path / "shared.env"  # since recorded, the .env became a link out of its folder
    shared.write_text(dotenv.read_text())
    dotenv.unlink()
    dotenv.symlink_to(shared)
    code, out, err = cli(config_dir, "rotate", "--secret-stdin", stdin=NEW)
    assert code == int(ExitCode.INCOMPLETE) == 9, out + err
    assert f"NOT rewritten {dotenv}" in out and RESUME in out
    assert "Rotation done" not in out and FINISH not in out
    no_secret_in(out, err)
    code, out, _ = cli(config_dir, "rotate", "--status")
    assert f"failed   {dotenv}" in out and f"Next: {RESUME}" in out
    code, out, err = cli(config_dir, "rotate", "--finish")  # the .env still has the old one
    assert code == 1 and "still hold the old secret" in err and str(dotenv) in err
    assert RESUME in err
    no_secret_in(out, err)
    assert state(config_dir)[1] == OLD  # the backup is kept
    dotenv.unlink()  # fixed by hand: a plain file again, still with the old secret
    dotenv.write_text(shared.read_text())
    code, out, err = cli(config_dir, "rotate", "--resume")
    assert code == 0, out + err
    assert env_secret(dotenv) == NEW and FINISH in out
    code, out, err = cli(config_dir, "rotate", "--finish")
    assert code == 0 and "Rotation done" in out
    assert state(config_dir)[:2] == (NEW, None)


def test_finish_refuses_while_a_env_file_holds_the_old_secret(
    config_dir: Path, server: GatedTokenServer, tmp_path: Path
) -> None:
    dotenv, as_json = tmp_path / ".env", tmp_path / "settings.json"
    saved_profile(config_dir, server.token_url, OLD, env_files=[dotenv])
    code, out, err = cli(config_dir, "rotate", "--secret-stdin", stdin=NEW)
    assert code == 0, out + err
    assert cli(config_dir, "env", "-o", str(as_json), "--format", "json")[0] == 0
    as_json.write_text(json.dumps({"BNXT_CLIENT_SECRET": OLD}))  # a deploy put it back
    code, out, err = cli(config_dir, "rotate", "--finish", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False and str(as_json.resolve()) in data["message"]
    no_secret_in(out, err)
    code, out, _ = cli(config_dir, "rotate", "--status", "--json")
    status = json.loads(out)
    assert status["next"] == RESUME
    assert status["env_files_with_old_secret"] == [str(as_json.resolve())]
    no_secret_in(out)
    assert cli(config_dir, "rotate", "--resume")[0] == 0
    assert json.loads(as_json.read_text())["BNXT_CLIENT_SECRET"] == NEW
    assert cli(config_dir, "rotate", "--finish")[0] == 0


def test_rollback_of_a_rotation_that_stored_nothing_cancels_it(
    config_dir: Path, server: GatedTokenServer
) -> None:
    from wizard.core import rotation_journal as journal
    from wizard.core.profiles import Workspace

    saved_profile(config_dir, server.token_url, OLD)
    journal.record(Workspace(config_dir), journal.Journal("default", "tested", "file"))
    code, out, _ = cli(config_dir, "rotate", "--status")
    assert "--secret-stdin < new-secret.txt" in out
    code, out, err = cli(config_dir, "rotate", "--rollback")
    assert code == 0 and "cancelled" in out, err
    assert cli(config_dir, "rotate", "--status")[1].startswith("No rotation")
    assert state(config_dir)[:2] == (OLD, None)
