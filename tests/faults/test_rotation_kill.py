"""A rotation SIGKILLed at every journal point ends consistent.

For each point a real process runs the command and kills itself right there
(tests/rotation_kill.py). Then `rotate --status` must name one command, and that command
must leave the store, the profile and every recorded .env file holding the same secret.
The points are not listed by hand: a first, unkilled run reports them all.
"""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from tests.rotation_kill import POINT_PREFIX
from tests.state_helpers import (
    GatedTokenServer,
    child_env,
    cli,
    env_secret,
    saved_profile,
    state,
)
from wizard.core.envfile import env_values, write_env_file
from wizard.core.models import EnvFileRecord
from wizard.core.profiles import Workspace, record_env_file

OLD, NEW = "old-secret-kill-11", "new-secret-kill-22"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def server() -> Iterator[GatedTokenServer]:
    with GatedTokenServer({OLD, NEW}) as srv:
        yield srv


def killed_run(
    config_dir: Path, at: str, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.rotation_kill", at, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=child_env(config_dir),
        cwd=ROOT,
        timeout=120,
    )


class Setup:
    """A fresh config folder and two recorded .env files (dotenv and JSON) per case."""

    def __init__(self, root: Path, token_url: str) -> None:
        self.config = root / "config"
        self.dotenv = root / "app" / ".env"
        self.json = root / "app" / "settings.json"
        self.dotenv.parent.mkdir(parents=True)
        saved_profile(self.config, token_url, OLD, env_files=[self.dotenv])

        ws = Workspace(self.config)
        profile = ws.config.get("default")
        write_env_file(self.json, env_values(profile, SecretStr(OLD)), fmt="json")
        record_env_file(ws, "default", EnvFileRecord(path=str(self.json), format="json"))

    def env_secrets(self) -> list[str | None]:
        as_json = json.loads(self.json.read_text()).get("BNXT_CLIENT_SECRET")
        return [env_secret(self.dotenv), as_json]

    def assert_consistent(self, where: str) -> str:
        current, backup, profile = state(self.config)
        assert current is not None, where
        assert self.env_secrets() == [current, current], where
        assert profile.secret is not None, where
        assert (profile.secret.previous_store is not None) == (backup is not None), where
        return current

    def rotate(self) -> None:
        assert cli(self.config, "rotate", "--secret-stdin", stdin=NEW)[0] == 0


def points(setup: Setup, *args: str, stdin: str = "") -> list[str]:
    run = killed_run(setup.config, "list", *args, stdin=stdin)
    assert run.returncode == 0, run.stderr
    return [
        line.removeprefix(POINT_PREFIX)
        for line in run.stderr.splitlines()
        if line.startswith(POINT_PREFIX)
    ]


def advised(config: Path) -> list[str] | None:
    """The one command `rotate --status` names, as arguments (None: nothing open)."""
    code, out, _ = cli(config, "rotate", "--status", "--json")
    assert code == 0
    data = json.loads(out)
    if not data["open"]:
        return None
    words = shlex.split(data["next"])
    assert words[:2] == ["bnxt-wizard", "rotate"], data
    return words[1 : words.index("<")] if "<" in words else words[1:]


def continue_as_advised(setup: Setup, where: str) -> list[str] | None:
    command = advised(setup.config)
    if command is not None:
        stdin = NEW if "--secret-stdin" in command else ""
        code, out, err = cli(setup.config, *command, stdin=stdin)
        assert code == 0, f"{where}: {command} -> {code}\n{out}{err}"
    return command


def kill_at_each_point(
    tmp_path: Path, server: GatedTokenServer, args: tuple[str, ...], prepare: bool, stdin: str = ""
) -> Iterator[tuple[str, Setup]]:
    """For every point: a fresh setup, the command killed there; yields (point, setup)."""
    first = Setup(tmp_path / "list", server.token_url)
    if prepare:
        first.rotate()
    names = points(first, *args, stdin=stdin)
    assert len(names) >= 4, names
    for i, name in enumerate(names):
        setup = Setup(tmp_path / f"p{i}", server.token_url)
        if prepare:
            setup.rotate()
        run = killed_run(setup.config, str(i), *args, stdin=stdin)
        assert run.returncode == -signal.SIGKILL, f"{name}: {run.returncode} {run.stderr}"
        yield name, setup


@pytest.mark.slow
def test_rotate_killed_anywhere_resumes_to_a_consistent_state(
    tmp_path: Path, server: GatedTokenServer
) -> None:
    seen = []
    for name, setup in kill_at_each_point(
        tmp_path, server, ("rotate", "--secret-stdin"), False, NEW
    ):
        command = continue_as_advised(setup, name)
        seen.append((name, command and command[-1]))
        current = setup.assert_consistent(name)
        assert current == (OLD if command is None else NEW), name  # None: nothing recorded
        then = advised(setup.config)
        if then is not None:  # the rotation waits for the old secret's deletion
            assert then == ["rotate", "--profile", "default", "--finish"], name
            assert cli(setup.config, *then)[0] == 0, name
        if command is not None:
            assert setup.assert_consistent(name) == NEW and state(setup.config)[1] is None
    advice = {command for _, command in seen}
    assert advice == {None, "--secret-stdin", "--resume", "--finish"}, seen  # each was met


def test_finish_killed_anywhere_completes(tmp_path: Path, server: GatedTokenServer) -> None:
    for name, setup in kill_at_each_point(tmp_path, server, ("rotate", "--finish"), True):
        continue_as_advised(setup, name)
        assert advised(setup.config) is None, name
        assert setup.assert_consistent(name) == NEW
        assert state(setup.config)[1] is None, name  # the backup is gone


@pytest.mark.slow
def test_rollback_killed_anywhere_completes(tmp_path: Path, server: GatedTokenServer) -> None:
    kinds = set()
    for name, setup in kill_at_each_point(tmp_path, server, ("rotate", "--rollback"), True):
        command = continue_as_advised(setup, name)
        kinds.add(command[-1] if command else None)
        assert advised(setup.config) is None, name
        # killed before the rollback recorded anything: the rotation was still open and
        # waiting for --finish, which is what status advised
        expected = NEW if command and command[-1] == "--finish" else OLD
        assert setup.assert_consistent(name) == expected, name
    assert kinds == {"--finish", "--rollback", None}  # None: killed after it was over
