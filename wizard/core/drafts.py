"""Wizard progress saved after every step, so a crash or Ctrl+C loses at most one field.

A draft is the values typed so far plus the step reached. It never holds the secret: any
key that looks like one is dropped before writing, whatever the caller passed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wizard.core.atomic import atomic_write_text
from wizard.core.paths import config_dir, ensure_private_dir

DRAFTS_DIR = "drafts"
_FORBIDDEN = ("secret", "password", "passwd", "token")
# A key whose last word is one of these names *where* a secret goes, not the secret itself
# (the wizard's ``secret_store`` and ``token_url`` must survive a resume).
_ABOUT_A_SECRET = frozenset({"store", "url", "uri", "endpoint"})


def _words(key: object) -> list[str]:
    """``clientSecret``, ``client-secret`` and ``CLIENT_SECRET`` all give client, secret."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(key)).lower()
    return [word for word in re.split(r"[^a-z0-9]+", spaced) if word]


def _is_secret_key(key: object) -> bool:
    words = _words(key)
    if not any(bad in word for word in words for bad in _FORBIDDEN):
        return False
    return words[-1] not in _ABOUT_A_SECRET


def _is_secret_value(value: object) -> bool:
    """A pydantic SecretStr/SecretBytes, recognised without importing pydantic at start-up."""
    return callable(getattr(value, "get_secret_value", None))


def _scrub_value(value: Any) -> Any:
    if isinstance(value, dict):
        return _scrub(value)
    if isinstance(value, list | tuple):
        return [_scrub_value(item) for item in value if not _is_secret_value(item)]
    return value


def _scrub(values: dict[Any, Any]) -> dict[str, Any]:
    return {
        str(key): _scrub_value(value)
        for key, value in values.items()
        if not _is_secret_key(key) and not _is_secret_value(value)
    }


@dataclass
class Draft:
    profile: str
    step: str
    values: dict[str, Any] = field(default_factory=dict)
    updated_at: str = ""


class DraftStore:
    def __init__(self, folder: Path | str | None = None) -> None:
        self.folder = config_dir(folder) / DRAFTS_DIR

    def _path(self, profile: str) -> Path:
        from wizard.core.validation import check_profile_name  # not needed to list drafts

        if check_profile_name(profile):
            raise ValueError(f"invalid profile name for a draft: {profile!r}")
        return self.folder / f"{profile}.json"

    def save(self, profile: str, step: str, values: dict[str, Any]) -> Draft:
        ensure_private_dir(self.folder.parent)
        ensure_private_dir(self.folder)
        draft = Draft(
            profile, step, _scrub(values), datetime.now(UTC).isoformat(timespec="seconds")
        )
        payload = {
            "profile": draft.profile,
            "step": draft.step,
            "values": draft.values,
            "updated_at": draft.updated_at,
        }
        atomic_write_text(self._path(profile), json.dumps(payload, indent=2, default=str) + "\n")
        return draft

    def load(self, profile: str) -> Draft | None:
        path = self._path(profile)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return Draft(
                profile=profile,  # the file's name (checked), not what the file claims
                step=str(data["step"]),
                values=_scrub(dict(data.get("values", {}))),
                updated_at=str(data.get("updated_at", "")),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a broken draft is not worth an error: the user starts that step again

    def list(self) -> list[Draft]:
        """Every readable draft, newest first. Files that are not a draft of a valid profile
        name (a stray ``notes.json~``, ``my draft.json``, a folder) are passed over."""
        from wizard.core.validation import check_profile_name

        if not self.folder.is_dir():
            return []
        names = [
            p.stem
            for p in sorted(self.folder.glob("*.json"))
            if not check_profile_name(p.stem) and p.is_file()
        ]
        drafts = [self.load(name) for name in names]
        return sorted((d for d in drafts if d), key=lambda d: d.updated_at, reverse=True)

    def delete(self, profile: str) -> None:
        self._path(profile).unlink(missing_ok=True)
