"""The profiles file: atomic, locked, private, loud about breakage, migrated with a backup.

Crash safety and locking are tested with real child processes (a thread cannot be SIGKILLed,
and two flocks in one process do not behave like two programs).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock, Timeout

from tests.factories import make_profile
from wizard.core import atomic, config_store
from wizard.core.config_store import CONFIG_FILE, ConfigStore
from wizard.core.errors import ConfigError
from wizard.core.models import Profile, SecretRef

REPO = Path(__file__).resolve().parents[2]


def service(name: str = "default", **changes: Any) -> Profile:
    return make_profile(name, **{"secret": SecretRef(store="keyring"), **changes})


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_FILE
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


V1_PROFILE = """\
    [profiles.{name}]
    app_type = "service"
    app_name = "Accountflow"
    client_id = "{client_id}"
    [profiles.{name}.endpoints]
    token_url = "https://connect.visma.com/connect/token"
    graphql_url = "https://business.visma.net/api/graphql-service"
    scope = "business-graphql-service-api:access-group-based"
"""


def hand_written(*names: str, client_id: str = "isv_accountflow_app", version: int = 1) -> str:
    body = "".join(V1_PROFILE.format(name=n, client_id=client_id) for n in names)
    return f"    schema_version = {version}\n\n" + body


# --- where and how it is written ----------------------------------------------------------


def test_round_trip_keeps_every_field(config_dir: Path) -> None:
    store = ConfigStore()
    profile = service(description="nightly sync", tenant_id="tenant-1", auth_method="post")
    store.save(profile)
    assert store.path == config_dir / CONFIG_FILE
    assert store.get("default") == profile


def test_several_profiles_live_side_by_side(config_dir: Path) -> None:
    store = ConfigStore()
    store.save(service("dev", client_id="isv_dev_app"))
    store.save(service("prod", client_id="isv_prod_app"))
    store.save(service("dev", client_id="isv_dev_app2"))
    assert store.names() == ["dev", "prod"]
    assert store.get("dev").client_id == "isv_dev_app2"
    assert store.get("prod").client_id == "isv_prod_app"
    data = tomllib.loads((config_dir / CONFIG_FILE).read_text())
    assert data["schema_version"] == config_store.SCHEMA_VERSION == 2
    assert set(data["profiles"]) == {"dev", "prod"}
    assert "name" not in data["profiles"]["dev"]  # the table key is the name


def test_explicit_folder_beats_the_environment(tmp_path: Path, config_dir: Path) -> None:
    other = tmp_path / "elsewhere"
    ConfigStore(other).save(service())
    assert (other / CONFIG_FILE).exists()
    assert not (config_dir / CONFIG_FILE).exists()
    assert ConfigStore().names() == []


def test_environment_variable_picks_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BNXT_WIZARD_CONFIG_DIR", str(tmp_path / "from-env"))
    ConfigStore().save(service())
    assert (tmp_path / "from-env" / CONFIG_FILE).exists()


def test_missing_file_reads_as_empty(config_dir: Path) -> None:
    store = ConfigStore()
    assert not store.exists()
    assert store.names() == []
    assert store.load_all() == {}
    assert store.find("default") is None
    assert store.delete("default") is False
    assert not config_dir.exists()  # reading creates nothing


def test_unknown_profile_names_the_known_ones() -> None:
    store = ConfigStore()
    store.save(service("dev"))
    with pytest.raises(ConfigError, match="No profile named 'prod'") as exc:
        store.get("prod")
    assert "dev" in exc.value.message


def test_delete_keeps_the_other_profiles() -> None:
    store = ConfigStore()
    store.save(service("dev"))
    store.save(service("prod"))
    assert store.delete("dev") is True
    assert store.delete("dev") is False
    assert store.names() == ["prod"]


def test_secret_is_never_in_the_config(config_dir: Path) -> None:
    ConfigStore().save(service(secret=SecretRef(store="file", previous_store="file")))
    text = (config_dir / CONFIG_FILE).read_text()
    assert 'store = "file"' in text
    assert "client_secret" not in text


# --- file modes ------------------------------------------------------------------------------


def test_file_is_0600_and_folder_0700(config_dir: Path) -> None:
    old = os.umask(0o022)
    try:
        ConfigStore().save(service())
    finally:
        os.umask(old)
    assert mode(config_dir) == 0o700
    assert mode(config_dir / CONFIG_FILE) == 0o600
    lock = config_dir / (CONFIG_FILE + ".lock")
    if lock.exists():
        assert mode(lock) & 0o077 == 0


def test_existing_readable_folder_is_used_and_never_chmodded(config_dir: Path) -> None:
    config_dir.mkdir(mode=0o755)
    config_dir.chmod(0o755)
    ConfigStore().save(service())
    assert mode(config_dir) == 0o755  # not ours to change; the files in it are 0600
    assert mode(config_dir / CONFIG_FILE) == 0o600


@pytest.mark.parametrize("shared", [0o777, 0o1777, 0o775])
def test_a_folder_others_can_write_is_refused_and_left_alone(config_dir: Path, shared: int) -> None:
    config_dir.mkdir()
    config_dir.chmod(shared)
    with pytest.raises(ConfigError) as caught:
        ConfigStore().save(service())
    assert f"mode {shared:04o}" in caught.value.message
    assert "chmod 700" in (caught.value.hint or "")
    assert config_dir.stat().st_mode & 0o7777 == shared
    assert list(config_dir.iterdir()) == []


def test_a_missing_folder_is_created_private(config_dir: Path) -> None:
    ConfigStore().save(service())
    assert mode(config_dir) == 0o700


def test_existing_loose_file_becomes_0600(config_dir: Path) -> None:
    path = write_config(config_dir, hand_written("dev"))
    path.chmod(0o644)
    ConfigStore().save(service("prod"))
    assert mode(path) == 0o600


# --- broken files ----------------------------------------------------------------------------


def test_corrupt_toml_names_the_line_and_is_never_overwritten(config_dir: Path) -> None:
    broken = hand_written("dev") + '    description = "unterminated\n    port = 1\n'
    path = write_config(config_dir, broken)
    before = path.read_bytes()
    line = before.decode().splitlines().index('description = "unterminated') + 1
    store = ConfigStore()
    with pytest.raises(ConfigError) as exc:
        store.names()
    assert f"line {line}" in exc.value.message
    assert exc.value.title == "Config file is broken"
    with pytest.raises(ConfigError, match=f"line {line}"):
        store.save(service("prod"))
    with pytest.raises(ConfigError):
        store.delete("dev")
    assert path.read_bytes() == before
    assert sorted(p.name for p in config_dir.iterdir() if not p.name.endswith(".lock")) == [
        CONFIG_FILE
    ]


def test_invalid_profile_names_profile_and_field_without_the_value(config_dir: Path) -> None:
    long_id = "isv_" + "q" * 26  # 30 characters: edited by hand past the User-table limit
    write_config(config_dir, hand_written("dev", client_id=long_id))
    store = ConfigStore()
    for action in (lambda: store.get("dev"), store.load_all, lambda: store.find("dev")):
        with pytest.raises(ConfigError) as exc:
            action()
        text = f"{exc.value.message} {exc.value.hint} {exc.value!r}"
        assert "'dev'" in exc.value.message
        assert "client_id" in exc.value.message
        assert long_id not in text
        assert "q" * 10 not in text


def test_invalid_profile_is_kept_as_is_when_another_is_saved(config_dir: Path) -> None:
    long_id = "isv_" + "q" * 26
    path = write_config(config_dir, hand_written("dev", client_id=long_id))
    ConfigStore().save(service("prod"))
    data = tomllib.loads(path.read_text())
    assert data["profiles"]["dev"]["client_id"] == long_id
    assert "prod" in data["profiles"]


@pytest.mark.parametrize(
    "text",
    ['schema_version = 1\nprofiles = "none"\n', "schema_version = 1\n[profiles]\ndev = 3\n"],
)
def test_wrong_shapes_are_config_errors(config_dir: Path, text: str) -> None:
    write_config(config_dir, text)
    with pytest.raises(ConfigError, match="must be a table"):
        ConfigStore().load_all()


@pytest.mark.parametrize("value", ['"1"', "0", "-3", "true", "1.0"])
def test_bad_schema_version(config_dir: Path, value: str) -> None:
    path = write_config(config_dir, f"schema_version = {value}\n")
    with pytest.raises(ConfigError, match="schema_version must be a positive whole number"):
        ConfigStore().save(service())
    assert path.read_text() == f"schema_version = {value}\n"


def test_unreadable_bytes_are_a_config_error(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / CONFIG_FILE).write_bytes(b"schema_version = 1\n\xff\xfe\n")
    with pytest.raises(ConfigError, match="Cannot read"):
        ConfigStore().names()


# --- schema migration ------------------------------------------------------------------------


@pytest.fixture
def schema_v2(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pretend version 2 renamed ``application_name`` to ``app_name``."""
    calls: list[int] = []

    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        calls.append(1)
        for entry in data.get("profiles", {}).values():
            entry["app_name"] = entry.pop("application_name")
        return data

    monkeypatch.setattr(config_store, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(config_store, "MIGRATIONS", {1: v1_to_v2})
    return calls


def old_file(config_dir: Path) -> Path:
    text = hand_written("dev").replace("app_name =", "application_name =")
    return write_config(config_dir, text)


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{CONFIG_FILE}.v*.bak"))


def test_older_schema_is_migrated_with_a_backup(config_dir: Path, schema_v2: list[int]) -> None:
    path = old_file(config_dir)
    original = path.read_bytes()
    store = ConfigStore()
    assert store.get("dev").app_name == "Accountflow"
    data = tomllib.loads(path.read_text())
    assert data["schema_version"] == 2
    assert "application_name" not in data["profiles"]["dev"]
    [backup] = backups(config_dir)
    assert backup.name.startswith(f"{CONFIG_FILE}.v1.")
    assert backup.read_bytes() == original
    assert mode(backup) == 0o600
    assert mode(path) == 0o600
    store.get("dev")
    store.save(service("prod"))
    assert schema_v2 == [1]  # migrated once
    assert len(backups(config_dir)) == 1


def test_file_without_version_counts_as_version_1(config_dir: Path, schema_v2: list[int]) -> None:
    path = old_file(config_dir)
    path.write_text(path.read_text().replace("schema_version = 1\n", ""))
    assert ConfigStore().names() == ["dev"]
    assert schema_v2 == [1]
    assert tomllib.loads(path.read_text())["schema_version"] == 2


def test_saving_into_an_old_file_migrates_the_others(
    config_dir: Path, schema_v2: list[int]
) -> None:
    path = old_file(config_dir)
    ConfigStore().save(service("prod"))
    data = tomllib.loads(path.read_text())
    assert data["schema_version"] == 2
    assert data["profiles"]["dev"]["app_name"] == "Accountflow"
    assert len(backups(config_dir)) == 1


def test_migration_writes_under_the_lock(
    config_dir: Path, schema_v2: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that migrates must not race a writer saving another profile."""
    old_file(config_dir)
    real_write = atomic.atomic_write_text
    seen: list[bool] = []

    def checking_write(path: Path, text: str, mode: int = 0o600) -> None:
        try:
            with FileLock(str(path) + ".lock").acquire(timeout=0):
                seen.append(False)
        except Timeout:
            seen.append(True)
        real_write(path, text, mode)

    monkeypatch.setattr(config_store, "atomic_write_text", checking_write)
    ConfigStore().names()
    assert seen == [True]


def test_newer_schema_is_refused_and_left_alone(config_dir: Path) -> None:
    path = write_config(config_dir, hand_written("dev", version=7))
    before = path.read_bytes()
    store = ConfigStore()
    reads = config_store.SCHEMA_VERSION
    newer = rf"newer bnxt-wizard \(schema 7; this one reads up to {reads}"
    with pytest.raises(ConfigError, match=newer):
        store.names()
    with pytest.raises(ConfigError, match="newer"):
        store.save(service("prod"))
    assert path.read_bytes() == before
    assert backups(config_dir) == []


# --- real processes --------------------------------------------------------------------------

CHILD_SETUP = """
import sys
from wizard.core.config_store import ConfigStore
from wizard.core.models import Endpoints, Profile, SecretRef

store = ConfigStore(sys.argv[1])
def profile(name, description):
    return Profile(
        name=name, app_type="service", app_name="Accountflow", client_id="isv_accountflow_app",
        endpoints=Endpoints.defaults("service"), secret=SecretRef(store="keyring"),
        description=description,
    )
"""

SAVER = (
    CHILD_SETUP
    + """
name, count = sys.argv[2], int(sys.argv[3])
sys.stdin.readline()  # start together
for i in range(count):
    store.save(profile(name, f"{name} {i}"))  # the same profile again and again
    store.save(profile(f"{name}-{i}", "once"))  # and a new one each time: any lost update shows
"""
)

LOOPER = (
    CHILD_SETUP
    + """
versions = sys.argv[2:]
store.save(profile("hot", versions[0]))
print("ready", flush=True)
i = 0
while True:
    i += 1
    store.save(profile("hot", versions[i % len(versions)]))
"""
)


def child(script: str, *args: str, **kw: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", script, *args], env=env, text=True, cwd=REPO, **kw
    )


def test_two_processes_saving_different_profiles_both_keep_their_changes(
    config_dir: Path,
) -> None:
    seeds = {f"seed{i}" for i in range(20)}  # a bigger file widens the read-modify-write gap
    for name in seeds:
        ConfigStore().save(service(name))
    count = 25
    with (
        child(SAVER, str(config_dir), "alpha", str(count), stdin=subprocess.PIPE) as one,
        child(SAVER, str(config_dir), "beta", str(count), stdin=subprocess.PIPE) as two,
    ):
        try:
            for proc in (one, two):
                assert proc.stdin is not None
                proc.stdin.write("go\n")
                proc.stdin.flush()
            assert one.wait(timeout=30) == 0
            assert two.wait(timeout=30) == 0
        finally:
            one.kill()
            two.kill()
    profiles = ConfigStore().load_all()
    created = {f"{name}-{i}" for name in ("alpha", "beta") for i in range(count)}
    assert set(profiles) - created == seeds | {"alpha", "beta"}
    assert sorted(created - set(profiles)) == []
    assert profiles["alpha"].description == f"alpha {count - 1}"
    assert profiles["beta"].description == f"beta {count - 1}"


def check_file(path: Path, names: set[str], versions: list[str]) -> None:
    data = tomllib.loads(path.read_text())
    assert set(data["profiles"]) == names
    assert data["profiles"]["hot"]["description"] in versions
    assert data["profiles"]["p39"]["description"] == "x" * 200


def kill_while_saving(config_dir: Path, versions: list[str], delay: float, names: set[str]) -> None:
    """Start a child that saves in a loop; read along for ``delay`` seconds, then SIGKILL it."""
    with child(LOOPER, str(config_dir), *versions, stdout=subprocess.PIPE) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline() == "ready\n"
            until = time.monotonic() + delay
            while time.monotonic() < until:  # a reader never sees half a file either
                check_file(config_dir / CONFIG_FILE, names, versions)
        finally:
            proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL


def test_killed_writer_leaves_old_or_new_file_never_half(config_dir: Path) -> None:
    store = ConfigStore()
    everyone = {f"p{i:02d}" for i in range(40)} | {"hot"}
    for name in sorted(everyone):  # a file big enough that a write takes a moment
        store.save(service(name, description="x" * 200))
    versions = ["old", "new " + "n" * 300, "newer " + "m" * 150]
    rng = random.Random(20240601)
    deadline = time.monotonic() + 4
    kills = 0
    # Three kills at least, however slow the machine; up to six while time allows.
    while kills < 3 or (kills < 6 and time.monotonic() < deadline):
        kill_while_saving(config_dir, versions, rng.uniform(0, 0.15), everyone)
        kills += 1
        check_file(config_dir / CONFIG_FILE, everyone, versions)
    # Leftover temp files (if a kill landed mid-write) change nothing, and the lock died
    # with its holder: the next save does not wait.
    started = time.monotonic()
    store.save(service("after"))
    assert time.monotonic() - started < 10  # a lock left behind would hold it for ever
    assert set(store.load_all()) == everyone | {"after"}
    for leftover in config_dir.glob(f".{CONFIG_FILE}.*.tmp"):
        assert mode(leftover) == 0o600
