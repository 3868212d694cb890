"""Files: no secret left under a name git or a glob picks up, portable writes, symlinks kept,
real modes reported, git asked about the right repository, the config folder protected, and
full, read-only or forbidden disks reported as such (exit 8)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import filelock  # noqa: F401 - loaded (with fcntl) before a test hides fcntl
import pytest
from pydantic import SecretStr

from tests.cli_helpers import run_cli
from tests.factories import make_profile as service
from wizard.core import atomic
from wizard.core.atomic import atomic_write_text, clean_leftovers
from wizard.core.config_store import ConfigStore
from wizard.core.envfile import git_status
from wizard.core.errors import EnvFileError, FileSystemError
from wizard.core.exitcodes import ExitCode
from wizard.core.secrets import FileBackend

CANARY = "cnry-files-" + "q" * 20


def gitignored(folder: Path, *lines: str) -> None:
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)
    (folder / ".gitignore").write_text("\n".join(lines) + "\n")


def untracked(folder: Path) -> list[str]:
    """What `git status` would offer to commit (an ignored file is not offered)."""
    out = subprocess.run(
        ["git", "-C", str(folder), "status", "--porcelain", "--untracked-files=all"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted(line[3:] for line in out.splitlines())


# -- temporary files --------------------------------------------------------------------------


def test_no_named_temporary_file_exists_while_the_secret_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With O_TMPFILE the content is written before the file has any name."""
    if not hasattr(os, "O_TMPFILE"):
        pytest.skip("no O_TMPFILE on this platform (the fallback name is tested below)")
    folder = tmp_path / "project"
    folder.mkdir()
    seen: list[list[str]] = []
    real_write = os.write

    def spying_write(fd: int, data: Any) -> int:
        seen.append(sorted(p.name for p in folder.iterdir()))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", spying_write)
    atomic_write_text(folder / ".env", f"SECRET={CANARY}\n")
    monkeypatch.undo()
    assert seen and all(names == [] for names in seen), seen
    assert sorted(p.name for p in folder.iterdir()) == [".env"]


def test_a_killed_write_leaves_only_a_name_env_star_ignores_and_the_next_run_cleans_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without O_TMPFILE: the temporary name starts with the target's name. A writer killed
    before the rename (simulated: the rename fails as SIGKILL would stop it) leaves it."""
    tmp_path = tmp_path / "project"
    tmp_path.mkdir()
    gitignored(tmp_path, ".env*")
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt  # stands for SIGKILL between fsync and rename

    monkeypatch.setattr(atomic, "_named_tempfile", _leaving_it(atomic._named_tempfile))
    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(tmp_path / ".env", f"SECRET={CANARY}\n")
    monkeypatch.undo()
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".env.bnxt-tmp-")]
    assert len(left) == 1 and CANARY in left[0].read_text()
    assert untracked(tmp_path) == [".gitignore"]  # git would not offer it
    os.utime(left[0], (0, 0))  # an old leftover nobody holds
    atomic_write_text(tmp_path / ".env", "A=1\n")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".git") == [
        ".env",
        ".gitignore",
    ]


def _leaving_it(make: Any) -> Any:
    """The fallback writer, but its clean-up after a failed rename is skipped (a SIGKILL
    runs no clean-up)."""

    def make_and_keep(target: Path, data: bytes, mode: int) -> tuple[int, Path]:
        fd, tmp = make(target, data, mode)
        return fd, _Undeletable(tmp)

    return make_and_keep


class _Undeletable(type(Path())):  # type: ignore[misc]
    def unlink(self, missing_ok: bool = False) -> None:
        return None


def test_a_leftover_still_held_by_a_writer_is_not_removed(tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    left = tmp_path / ".env.bnxt-tmp-00aa11bb"
    left.write_text("S=1\n")
    os.utime(left, (0, 0))
    with left.open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        assert clean_leftovers(tmp_path / ".env") == []
    assert clean_leftovers(tmp_path / ".env") == [left]


def test_older_versions_leftovers_are_cleaned(tmp_path: Path) -> None:
    old = tmp_path / "..env.k2j_x9ab.tmp"
    old.write_text(f"SECRET={CANARY}\n")
    os.utime(old, (0, 0))
    atomic_write_text(tmp_path / ".env", "A=1\n")
    assert not old.exists()


def test_storage_works_without_fchmod_o_nofollow_o_tmpfile_or_fcntl(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows before Python 3.13 has no os.fchmod; it has no O_NOFOLLOW, O_TMPFILE, fcntl."""
    # Only the wizard's own module loses them: filelock (posix flavour here) needs fchmod.
    monkeypatch.setattr(atomic, "os", _OsWithout("fchmod", "O_NOFOLLOW", "O_TMPFILE"))
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError
    with pytest.raises(ImportError):
        import fcntl  # noqa: F401
    store = ConfigStore()
    store.save(service("dev"))
    store.save(service("prod"))
    backend = FileBackend(config_dir)
    backend.set("dev", SecretStr(CANARY))
    assert backend.get("dev") == SecretStr(CANARY)
    assert store.names() == ["dev", "prod"]
    assert (config_dir / "secrets.toml").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in config_dir.iterdir() if ".bnxt-tmp-" in p.name) == []


class _OsWithout:
    """``os`` as a platform without some of its names sees it."""

    def __init__(self, *missing: str) -> None:
        self._missing = missing

    def __getattr__(self, name: str) -> Any:
        if name in self._missing:
            raise AttributeError(name)
        return getattr(os, name)


# -- symlinks, modes, folders -----------------------------------------------------------------


def test_a_symlinked_config_stays_a_symlink_and_its_target_is_written(config_dir: Path) -> None:
    elsewhere = config_dir.parent / "dotfiles"
    elsewhere.mkdir(mode=0o700)
    config_dir.mkdir(mode=0o700)
    (elsewhere / "bnxt.toml").write_text("schema_version = 1\n")
    (config_dir / "config.toml").symlink_to(elsewhere / "bnxt.toml")
    ConfigStore().save(service("dev"))
    assert (config_dir / "config.toml").is_symlink()
    assert "[profiles.dev]" in (elsewhere / "bnxt.toml").read_text()
    assert ConfigStore().names() == ["dev"]


def test_the_secrets_file_is_described_with_its_real_mode(config_dir: Path) -> None:
    backend = FileBackend(config_dir)
    backend.set("dev", SecretStr(CANARY))
    assert "(mode 0600)" in backend.describe()
    backend.path.chmod(0o644)
    described = backend.describe()
    assert "mode 0644" in described and "(mode 0600)" not in described
    assert f"chmod 600 {backend.path}" in described


def test_git_is_asked_about_the_files_own_repository_whatever_git_dir_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, other = tmp_path / "project", tmp_path / "other"
    for folder in (project, other):
        folder.mkdir()
        subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)
    (project / ".env").write_text("A=1\n")
    subprocess.run(["git", "-C", str(project), "add", ".env"], check=True, capture_output=True)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))
    monkeypatch.setenv("GIT_INDEX_FILE", str(other / ".git" / "index"))
    status = git_status(project / ".env")
    assert status.tracked is True


def test_env_output_into_the_config_folder_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    init = run_cli(
        "init", "--non-interactive", "--app-type", "web", "--app-name", "x", "--client-id",
        "isv_x", "--secret-stdin", "--secret-store", "file", "--port", "5001",
        config_dir=config, stdin=CANARY + "\n",
    )  # fmt: skip
    assert init.code == 0, init.err
    before = {p.name: p.read_bytes() for p in config.iterdir() if p.is_file()}
    for target in ("secrets.toml", "config.toml", "new.env"):
        result = run_cli("env", "-o", str(config / target), config_dir=config)
        assert result.code == ExitCode.CONFIG, result.err
        assert "config folder" in result.err
    link = tmp_path / "innocent.env"
    link.symlink_to(config / "secrets.toml")
    result = run_cli("env", "-o", str(link), config_dir=config, cwd=tmp_path)
    assert result.code != 0
    after = {p.name: p.read_bytes() for p in config.iterdir() if p.is_file()}
    assert after == before


# -- full, read-only and forbidden ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "said"),
    [(errno.ENOSPC, "full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission denied")],
)
def test_os_refusals_are_typed_errors_with_exit_code_8(
    config_dir: Path, monkeypatch: pytest.MonkeyPatch, code: int, said: str
) -> None:
    ConfigStore().save(service("dev"))
    before = (config_dir / "config.toml").read_bytes()
    real_write = os.write

    def refusing(fd: int, data: Any) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", refusing)
    with pytest.raises(FileSystemError) as caught:
        ConfigStore().save(service("prod"))
    monkeypatch.setattr(os, "write", real_write)
    assert said in caught.value.message and caught.value.hint
    assert int(caught.value.exit_code) == int(ExitCode.FILE_SYSTEM) == 8
    assert (config_dir / "config.toml").read_bytes() == before
    assert [p.name for p in config_dir.iterdir() if "tmp" in p.name] == []


def test_a_full_disk_is_exit_8_from_the_command_line(tmp_path: Path) -> None:
    """ENOSPC for real: a tiny tmpfs when this machine lets us mount one."""
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root on Linux; injected ENOSPC is tested above")
    disk = tmp_path / "tiny"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        (disk / "cfg").mkdir(mode=0o700)
        with (disk / "filler").open("wb", buffering=0) as fh, pytest.raises(OSError):
            while True:
                fh.write(b"x" * 512)
                fh.flush()
        result = run_cli(
            "init", "--non-interactive", "--app-type", "web", "--app-name", "x",
            "--client-id", "isv_x", "--secret-stdin", "--secret-store", "file", "--port", "5001",
            "--description", "d" * 900,
            config_dir=disk / "cfg", stdin=CANARY + "\n",
        )  # fmt: skip
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    assert result.code == ExitCode.FILE_SYSTEM, result.out + result.err
    assert "full" in result.err and "This is a bug" not in result.err
    assert CANARY not in result.out + result.err


def test_env_write_onto_a_read_only_file_system_is_exit_8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.unit.test_envfile import values
    from wizard.core.envfile import write_env_file

    def read_only(*_args: object, **_kw: object) -> int:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(FileSystemError) as caught:
        write_env_file(tmp_path / ".env", values())
    assert caught.value.exit_code == 8
    assert not isinstance(caught.value, EnvFileError)
