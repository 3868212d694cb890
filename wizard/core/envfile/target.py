"""Deciding which file a write really lands in, and refusing the surprising ones."""

from __future__ import annotations

import shlex
from pathlib import Path

from wizard.core.errors import EnvFileError


def _folder_must_exist(folder: Path, shown: Path) -> None:
    if not folder.exists():
        raise EnvFileError(
            f"The folder {folder} does not exist, so {shown} cannot be written.",
            hint=f"Create it first (mkdir -p {shlex.quote(str(folder))}) or choose another "
            "path with --output.",
        )
    if not folder.is_dir():
        raise EnvFileError(
            f"{folder} is not a folder, so {shown} cannot be written.",
            hint="Choose another path with --output.",
        )


def refuse_config_folder(real: Path, shown: Path, config_folder: Path | None) -> None:
    """Never write settings over the wizard's own files (secrets.toml, config.toml, drafts)."""
    if config_folder is None:
        return
    try:
        inside = real.resolve().is_relative_to(config_folder.resolve())
    except (OSError, RuntimeError):
        inside = True  # cannot tell: do not risk the wizard's own files
    if inside:
        raise EnvFileError(
            f"{shown} is in bnxt-wizard's config folder ({config_folder}); writing there "
            "could overwrite the profiles or the stored secrets.",
            hint="Write the file where your service reads it, e.g. --output .env in the "
            "project folder.",
        )


def resolve_target(path: Path, *, allow_outside_symlink: bool = False) -> Path:
    """The regular file to write for ``path``.

    A symlink is followed only when its target stays inside the chosen file's folder (or
    ``allow_outside_symlink``): a link to ``~/.ssh/config`` or a shared file should not be
    overwritten with a secret by accident.
    """
    _folder_must_exist(path.parent, path)
    real = path
    if path.is_symlink():
        try:
            real = path.resolve(strict=False)
        except (OSError, RuntimeError):
            raise EnvFileError(
                f"{path} is a symlink that cannot be followed (it may point to itself).",
                hint="Remove the symlink or choose another path with --output.",
            ) from None
        folder = path.parent.resolve()
        if not allow_outside_symlink and not real.is_relative_to(folder):
            raise EnvFileError(
                f"{path} is a symlink to {real}, outside {folder}; refusing to write through it.",
                hint=f"If {real} is really the file you want, pass it to --output directly.",
            )
        _folder_must_exist(real.parent, path)
    if real.is_dir():
        raise EnvFileError(
            f"{path} is a folder, not a file.",
            hint=f"Give a file path, e.g. --output {shlex.quote(str(path / '.env'))}.",
        )
    if real.exists() and not real.is_file():
        raise EnvFileError(
            f"{path} is not a regular file (a device, socket or pipe).",
            hint="Choose a regular file with --output, or --output - to print to stdout.",
        )
    return real
