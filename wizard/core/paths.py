"""The one seam for where files live. Tests point it at a temporary folder."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from wizard.core.text import sanitize

APP_NAME = "bnxt-wizard"
ENV_CONFIG_DIR = "BNXT_WIZARD_CONFIG_DIR"


def config_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The config folder: ``--config-dir``, else ``$BNXT_WIZARD_CONFIG_DIR``, else platformdirs."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(ENV_CONFIG_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs  # imported late: only needed when nothing overrides it

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (0700) if missing; refuse one that other users can write to.

    The wizard never changes the mode of a folder it did not create: an existing folder
    may be shared on purpose (a 1777 temp folder, a group's project folder). Where group or
    others may *write* (create, rename or replace files there, or plant a symlink where a
    secrets file goes), the write is refused with what to do. A folder others may only read
    is used as it is: every file the wizard writes is 0600. Modes mean little on Windows,
    where the check is skipped.
    """
    from wizard.core.fserrors import raise_for_os_error

    try:
        path.mkdir(mode=0o700, parents=True)
        return path
    except FileExistsError:
        pass
    except OSError as exc:
        raise_for_os_error(exc, path, action="create the folder")
        raise
    if not path.is_dir():
        from wizard.core.errors import ConfigError

        raise ConfigError(
            f"{sanitize(path)} is not a folder.",
            hint="Point --config-dir (or BNXT_WIZARD_CONFIG_DIR) at a folder.",
        )
    if os.name == "posix":
        _refuse_shared(path)
    return path


def _refuse_shared(path: Path) -> None:
    mode = path.stat().st_mode & 0o7777
    if not mode & 0o022:
        return
    from wizard.core.errors import ConfigError

    quoted = shlex.quote(str(path))
    raise ConfigError(
        f"Other users can write to the folder {sanitize(path)} (mode {mode:04o}), so they "
        "could replace or redirect the files bnxt-wizard keeps there; it does not change "
        "the mode of a folder it did not create.",
        title="Config folder shared",
        hint=f"If the folder is yours alone, run chmod 700 {quoted}; otherwise point "
        "--config-dir (or BNXT_WIZARD_CONFIG_DIR) at a folder that does not exist yet: it "
        "is created readable only by you.",
    )


def file_mode_note(path: Path) -> str:
    """``mode 0600``, or the real mode and the command that fixes it, for a private file."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        return "mode 0600 once written"
    except OSError:
        return "mode unknown"
    if os.name != "posix" or not mode & 0o077:
        return f"mode {mode:04o}" if os.name == "posix" else "private to your user"
    return f"mode {mode:04o}: OTHER USERS CAN READ IT; fix with chmod 600 {shlex.quote(str(path))}"
