"""The profiles file: one TOML document with a schema version, written atomically.

Layout::

    schema_version = 1

    [profiles.default]
    app_type = "service"
    client_id = "isv_my_app"
    ...

Secrets are never stored here (see :mod:`wizard.core.secrets`).
"""

from __future__ import annotations

import contextlib
import shutil
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.core.atomic import atomic_write_text, locked
from wizard.core.errors import ConfigError
from wizard.core.paths import config_dir, ensure_private_dir

if TYPE_CHECKING:
    from wizard.core.models import Profile

CONFIG_FILE = "config.toml"
SCHEMA_VERSION = 2

# Upgrades from version N to N+1, applied in order to the raw TOML data.
Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    from wizard.core.migrations import web_signin_v2

    return web_signin_v2(data)


MIGRATIONS: dict[int, Migration] = {1: _v1_to_v2}


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


class ConfigStore:
    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = config_dir(folder)
        self.path = self.folder / CONFIG_FILE
        self._held = threading.local()  # does this thread hold the file lock already?

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """The file lock, taken once per thread (a second flock in one process would wait)."""
        if getattr(self._held, "value", False):
            yield
            return
        with locked(self.path):
            self._held.value = True
            try:
                yield
            finally:
                self._held.value = False

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """Hold the config lock (re-entrant within a thread) across several steps."""
        ensure_private_dir(self.folder)
        return self._exclusive()

    # reading -----------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def _read_raw(self) -> dict[str, Any]:
        data = self._parse()
        if data is None:
            return {"schema_version": SCHEMA_VERSION, "profiles": {}}
        if self._version(data) < SCHEMA_VERSION and not getattr(self._held, "value", False):
            # Migrating writes the file: do it under the lock, on what is there by then.
            with self._exclusive():
                return self._read_raw()
        return self._migrate(data)

    def _parse(self) -> dict[str, Any] | None:
        if not self.path.exists():
            return None
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"Cannot read {self.path}: {exc.__class__.__name__}.",
                hint="Check the file's permissions, or move it aside to start fresh.",
            ) from None
        import tomllib  # no file, no parser: a first run's welcome screen skips it

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"{self.path} is not valid TOML: {exc}.",
                title="Config file is broken",
                hint="Fix that line by hand, or move the file aside to start fresh; "
                "bnxt-wizard will not overwrite it while it is broken.",
            ) from None
        return data

    def _version(self, data: dict[str, Any]) -> int:
        version = data.get("schema_version", 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise ConfigError(
                f"{self.path}: schema_version must be a positive whole number.",
                hint="Set it back to the number the file was written with (1).",
            )
        if version > SCHEMA_VERSION:
            raise ConfigError(
                f"{self.path} was written by a newer bnxt-wizard (schema {version}; "
                f"this one reads up to {SCHEMA_VERSION}).",
                hint="Upgrade bnxt-wizard, or point --config-dir at another folder.",
            )
        return version

    def _migrate(self, data: dict[str, Any]) -> dict[str, Any]:
        version = self._version(data)
        if version < SCHEMA_VERSION:
            backup = self.path.with_name(f"{CONFIG_FILE}.v{version}.{_timestamp()}.bak")
            shutil.copy2(self.path, backup)
            backup.chmod(0o600)
            while version < SCHEMA_VERSION:
                data = MIGRATIONS[version](data)
                version += 1
            data["schema_version"] = SCHEMA_VERSION
            self._write_raw(data)
        profiles = data.setdefault("profiles", {})
        if not isinstance(profiles, dict):
            raise ConfigError(f"{self.path}: [profiles] must be a table of profiles.")
        return data

    def _parse_profile(self, name: str, raw: Any) -> Profile:
        if not isinstance(raw, dict):
            raise ConfigError(f"{self.path}: [profiles.{name}] must be a table.")
        from pydantic import ValidationError

        from wizard.core.models import Profile, describe_validation_error

        try:
            return Profile.model_validate({**raw, "name": name})
        except ValidationError as exc:
            problems = "; ".join(describe_validation_error(exc))
        # Raised outside the except block: no hidden context holding the rejected values.
        raise ConfigError(
            f"Profile {name!r} in {self.path} is invalid: {problems}",
            hint=f"Fix [profiles.{name}] by hand, or run `bnxt-wizard init --profile {name}` "
            "again to rewrite it.",
        )

    def names(self) -> list[str]:
        return sorted(self._read_raw()["profiles"])

    def load_all(self) -> dict[str, Profile]:
        raw = self._read_raw()["profiles"]
        return {name: self._parse_profile(name, raw[name]) for name in sorted(raw)}

    def get(self, name: str) -> Profile:
        raw = self._read_raw()["profiles"]
        if name not in raw:
            known = ", ".join(sorted(raw)) or "none yet"
            raise ConfigError(
                f"No profile named {name!r} (profiles: {known}).",
                title="Profile not found",
                hint="Run `bnxt-wizard` to create one, or pass --profile NAME.",
            )
        return self._parse_profile(name, raw[name])

    def find(self, name: str) -> Profile | None:
        try:
            return self.get(name)
        except ConfigError:
            if name in self._read_raw()["profiles"]:
                raise
            return None

    # writing -----------------------------------------------------------------
    def _write_raw(self, data: dict[str, Any]) -> None:
        import tomli_w

        ensure_private_dir(self.folder)
        atomic_write_text(self.path, tomli_w.dumps(data), mode=0o600)

    def update(self, name: str, change: Callable[[Profile], Profile]) -> Profile:
        """Apply ``change`` to profile ``name`` as it is on disk now, under the lock.

        The one way to change a saved profile: the file is re-read after the lock is taken,
        so a change made meanwhile by another command is kept. ``change`` must be quick
        (no network) and change only what its command owns.
        """
        return self.upsert(name, lambda current: change(self._must_exist(name, current)))

    def upsert(self, name: str, change: Callable[[Profile | None], Profile]) -> Profile:
        """Like :meth:`update`, also for a profile that is not saved yet (``None``)."""
        result: list[Profile] = []

        def keep(current: Profile | None) -> Profile:
            result.append(change(current))
            return result[0]

        self.change_if(name, keep)
        return result[0]

    def change_if(self, name: str, change: Callable[[Profile | None], Profile | None]) -> bool:
        """Like :meth:`upsert`, but ``change`` may return None to leave the file as it is."""
        ensure_private_dir(self.folder)
        with self._exclusive():
            raw = self._read_raw()["profiles"]
            current = self._parse_profile(name, raw[name]) if name in raw else None
            changed = change(current)
            if changed is None:
                return False
            if changed.name != name:
                raise ConfigError(f"A change to profile {name!r} cannot rename it.")
            self.save(changed)
            return True

    def _must_exist(self, name: str, current: Profile | None) -> Profile:
        if current is None:
            raise ConfigError(
                f"Profile {name!r} was deleted while this command ran; nothing was saved.",
                title="Profile not found",
                hint="Create it again with `bnxt-wizard init`, or pass another --profile.",
            )
        return current

    def save(self, profile: Profile) -> None:
        """Add or replace one whole profile, keeping every other profile as it is on disk.

        Replaces what is on disk for this profile: commands changing a saved profile use
        :meth:`update` instead, so they never write back a stale copy.
        """
        ensure_private_dir(self.folder)
        with self._exclusive():
            data = self._read_raw()
            entry = profile.model_dump(mode="json", exclude_none=True, exclude={"name"})
            data["profiles"][profile.name] = entry
            data["schema_version"] = SCHEMA_VERSION
            self._write_raw(data)

    def delete(self, name: str) -> bool:
        if not self.path.exists():
            return False
        with self._exclusive():
            data = self._read_raw()
            if name not in data["profiles"]:
                return False
            del data["profiles"][name]
            self._write_raw(data)
            return True
