"""Several real `bnxt-wizard` processes at once on one profile: both changes are kept, or
the later one is refused with a message. Never a lost record or a lost secret.

Each command that talks to the token server is held at a gate in the middle of its network
work (see tests/state_helpers.py) while the other commands run to the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.state_helpers import (
    GatedTokenServer,
    env_secret,
    saved_profile,
    start_cli,
    state,
    stop_leftovers,
    wait,
)

OLD, NEW, OTHER, THIRD = "old-secret-aa11", "new-secret-bb22", "other-secret-cc33", "third-dd44"


@pytest.fixture(autouse=True)
def _no_leftover_processes() -> Iterator[None]:
    yield
    stop_leftovers()


def test_check_during_env_output_keeps_the_env_record(config_dir: Path, tmp_path: Path) -> None:
    with GatedTokenServer({OLD}, held={OLD}) as srv:
        saved_profile(config_dir, srv.token_url, OLD)
        check = start_cli("check", "--no-graphql", config_dir=config_dir)
        srv.wait_for(1)  # the check has read the profile and waits for its token
        dotenv = tmp_path / "app.env"
        env = wait(start_cli("env", "-o", str(dotenv), config_dir=config_dir))
        assert env.code == 0, env.err
        srv.release()
        result = wait(check)
    assert result.code == 0, result.out + result.err
    _, _, profile = state(config_dir)
    assert [r.path for r in profile.env_files] == [str(dotenv.resolve())]  # not erased
    assert profile.verified_at is not None  # and the check's own change is there too


def test_check_during_a_rotation_keeps_the_backup(config_dir: Path, tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    with GatedTokenServer({OLD, NEW}, held={OLD}) as srv:
        saved_profile(config_dir, srv.token_url, OLD, env_files=[dotenv])
        check = start_cli("check", "--no-graphql", config_dir=config_dir)
        srv.wait_for(1)
        rotate = wait(start_cli("rotate", "--secret-stdin", config_dir=config_dir, stdin=NEW))
        assert rotate.code == 0, rotate.err
        srv.release()
        result = wait(check)
    assert result.code == 0, result.out + result.err
    current, backup, profile = state(config_dir)
    assert (current, backup, env_secret(dotenv)) == (NEW, OLD, NEW)
    assert profile.secret is not None and profile.secret.previous_store == "file"
    assert profile.rotated_at is not None and profile.verified_at is not None
    rollback = wait(start_cli("rotate", "--rollback", config_dir=config_dir))
    assert rollback.code == 0, rollback.err
    assert state(config_dir)[:2] == (OLD, None)  # the backup was there to go back to
    assert env_secret(dotenv) == OLD


def test_three_rotations_at_once_exactly_one_wins(config_dir: Path, tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    candidates = (NEW, OTHER, THIRD)
    with GatedTokenServer({OLD, *candidates}, held=set(candidates)) as srv:
        saved_profile(config_dir, srv.token_url, OLD, env_files=[dotenv])
        procs = [
            start_cli("rotate", "--secret-stdin", config_dir=config_dir, stdin=secret)
            for secret in candidates
        ]
        srv.wait_for(3)  # all three tested their secret before any stored it
        srv.release()
        results = [wait(p) for p in procs]
    won = [s for s, r in zip(candidates, results, strict=True) if r.code == 0]
    lost = [r for r in results if r.code != 0]
    assert len(won) == 1, [(r.code, r.err) for r in results]
    for r in lost:
        assert r.code == 1
        assert "A rotation is already open" in r.err and "--finish" in r.err
    current, backup, _ = state(config_dir)
    assert (current, backup, env_secret(dotenv)) == (won[0], OLD, won[0])  # original kept
    status = wait(start_cli("rotate", "--status", config_dir=config_dir))
    assert "Next: bnxt-wizard rotate --profile default --finish" in status.out


def test_a_rotation_is_refused_while_one_is_open_and_finish_needs_one(
    config_dir: Path, tmp_path: Path
) -> None:
    with GatedTokenServer({OLD, NEW, OTHER}) as srv:
        saved_profile(config_dir, srv.token_url, OLD)
        none = wait(start_cli("rotate", "--finish", config_dir=config_dir))
        assert none.code == 1 and "No rotation of profile 'default' is open" in none.err
        assert "Rotation done" not in none.out
        first = wait(start_cli("rotate", "--secret-stdin", config_dir=config_dir, stdin=NEW))
        assert first.code == 0, first.err
        second = wait(start_cli("rotate", "--secret-stdin", config_dir=config_dir, stdin=OTHER))
    assert second.code == 1 and "already open" in second.err
    assert srv.arrived == [NEW]  # refused before it even tested its secret
    assert state(config_dir)[:2] == (NEW, OLD)
