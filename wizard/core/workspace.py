"""The config folder and the stores under it, each opened on first use.

Opening a store late keeps the wizard's first screen free of pydantic and keyring imports:
the welcome screen needs only profile names (TOML) and drafts (JSON).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.core.config_store import ConfigStore
    from wizard.core.drafts import DraftStore
    from wizard.core.secrets import SecretVault


class Workspace:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __repr__(self) -> str:
        return f"Workspace({str(self.folder)!r})"

    @classmethod
    def open(cls, folder: str | Path | None = None) -> Workspace:
        from wizard.core.paths import config_dir

        return cls(config_dir(folder))

    @cached_property
    def config(self) -> ConfigStore:
        from wizard.core.config_store import ConfigStore

        return ConfigStore(self.folder)

    @cached_property
    def vault(self) -> SecretVault:
        from wizard.core.secrets import SecretVault

        return SecretVault(self.folder)

    @cached_property
    def drafts(self) -> DraftStore:
        from wizard.core.drafts import DraftStore

        return DraftStore(self.folder)
