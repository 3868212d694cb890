"""The one seam for where files live. Tests point it at a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

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
    """Create ``path`` (0700) if missing and tighten it if it is looser."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        path.chmod(0o700)
    return path
