"""``write_env_file``: render, check with git, and replace the file atomically with mode 0600.

Order matters: everything that can refuse (bad values, symlinks, folders, a git-tracked
file, an unsafe merge) runs before the file is touched, and the file is then replaced in one
``os.replace``, so an interrupted run leaves the old file as it was.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from wizard.core.atomic import atomic_write_text
from wizard.core.envfile.gitcheck import GIT_MISSING, git_status
from wizard.core.envfile.keys import EnvValues, has_secret
from wizard.core.envfile.merge import merge_dotenv_report
from wizard.core.envfile.quoting import check_values, dotenv_warnings
from wizard.core.envfile.render import render_dotenv, render_json, render_shell
from wizard.core.envfile.target import refuse_config_folder, resolve_target
from wizard.core.errors import EnvFileError

FORMATS = ("dotenv", "json", "shell")
FILE_MODE = 0o600


@dataclass
class WriteResult:
    path: Path  # the file written (a symlink's target when written through one)
    created: bool
    warnings: list[str] = field(default_factory=list)


def _read_existing(real: Path, *, decode: bool) -> tuple[str | None, int | None]:
    try:
        data = real.read_bytes()
        mode = real.stat().st_mode & 0o777
    except FileNotFoundError:
        return None, None
    except OSError as err:
        raise EnvFileError(
            f"Cannot read {real}: {err.strerror}.",
            hint="Check its permissions, or choose another path with --output.",
        ) from None
    if not decode:
        return "", mode
    try:
        return data.decode("utf-8"), mode
    except UnicodeDecodeError:
        raise EnvFileError(
            f"{real} is not UTF-8 text, so it cannot be merged safely.",
            hint="python-dotenv reads .env files as UTF-8: convert the file, or choose "
            "another path with --output.",
        ) from None


def _git_warnings(real: Path) -> list[str]:
    """Refuse a git-tracked file; warn when git would offer to commit it."""
    status = git_status(real)
    if status.tracked:
        raise EnvFileError(
            f"{real} is tracked by git: writing the client secret there would put it in "
            "the next commit.",
            hint=f"Remove it from the index (git rm --cached {shlex.quote(real.name)}, run "
            f"in {real.parent}) and add it to .gitignore, leave the secret out "
            "(--no-secret), or choose a path outside the repository.",
        )
    if status.in_work_tree and not status.ignored:
        return [
            f"{real.name} holds the client secret and sits in a git work tree without being "
            "ignored. Tell git to ignore it: "
            f"cd {shlex.quote(str(real.parent))} && echo {shlex.quote(real.name)} >> .gitignore"
        ]
    if not status.known and status.detail != GIT_MISSING:
        return [
            f"Could not ask git whether {real} is tracked ({status.detail}). It holds the "
            "client secret: make sure it is never committed."
        ]
    return []


def _render(
    fmt: str, values: EnvValues, existing: str | None, profile: str | None
) -> tuple[str, list[str]]:
    if fmt == "json":
        return render_json(values), []
    if fmt == "shell":
        return render_shell(values, profile=profile), []
    warnings = dotenv_warnings(values)
    if not existing:
        return render_dotenv(values, profile=profile), warnings
    merged = merge_dotenv_report(existing, values, profile=profile)
    return merged.text, merged.warnings + warnings


def write_env_file(
    path: Path,
    values: EnvValues,
    *,
    fmt: str = "dotenv",
    allow_outside_symlink: bool = False,
    profile: str | None = None,
    config_folder: Path | None = None,
) -> WriteResult:
    """Write ``values`` to ``path``: merged into an existing .env, or replacing it (json, shell).

    ``config_folder`` (the wizard's own) is refused as a destination, symlinks included.
    """
    if fmt not in FORMATS:
        raise EnvFileError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    check_values(values)
    real = resolve_target(Path(path), allow_outside_symlink=allow_outside_symlink)
    refuse_config_folder(real, Path(path), config_folder)
    existing, old_mode = _read_existing(real, decode=fmt == "dotenv")
    warnings = _git_warnings(real) if has_secret(values) else []
    text, more = _render(fmt, values, existing, profile)
    warnings += more
    if existing is not None and fmt != "dotenv":
        warnings.append(
            f"{real} existed and was replaced: --format {fmt} writes the whole file "
            "(only --format dotenv merges into an existing file)."
        )
    if old_mode is not None and old_mode & ~FILE_MODE:
        warnings.append(
            f"{real} had mode {old_mode:04o}; it is now {FILE_MODE:04o}, so only you can read it."
        )
    try:
        atomic_write_text(real, text, FILE_MODE)
    except OSError as err:
        raise EnvFileError(
            f"Could not write {real}: {err.strerror or err}.",
            hint="Check the folder's permissions and free space. The old file, if any, "
            "is unchanged.",
        ) from None
    return WriteResult(real, existing is None, warnings)
