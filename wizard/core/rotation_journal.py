"""The journal of an open rotation: ``rotation/<profile>.json``, never a secret.

A rotation changes four things outside this process: the secret store, the profile, each
``.env`` file and, at the end, the old secret's backup. Each is recorded here before it is
attempted and after it is done, so a rotation killed at any point is found again and
continued from where it stopped (:mod:`wizard.core.rotation` decides what comes next).

Steps, in order::

    tested        the new secret earned a token; nothing stored yet
    storing       writing the backup (old secret) and the new secret to the store
    stored        the store holds the new secret, the old one as backup
    profile-saved the profile records the backup and rotated_at
    rewriting     rewriting the recorded .env files (each with its own state)
    rewritten     every .env file was handled; waiting for ``rotate --finish``
    finishing     deleting the backup (after the old secret was deleted in the portal)
    rolling-back  putting the old secret back

Every change of the journal happens under the per-profile rotation lock
(``rotation/<profile>.json.lock``), which a command holds for as long as it acts on the
rotation: two rotations of one profile can never interleave.
"""

from __future__ import annotations

import contextlib
import json
import secrets as _random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast, get_args

from wizard.core.atomic import atomic_write_text, locked
from wizard.core.paths import ensure_private_dir

if TYPE_CHECKING:
    from wizard.core.models import SecretStoreKind
    from wizard.core.workspace import Workspace

JournalStep = Literal[
    "tested",
    "storing",
    "stored",
    "profile-saved",
    "rewriting",
    "rewritten",
    "finishing",
    "rolling-back",
]
FileState = Literal["pending", "writing", "done", "skipped", "failed"]
STEPS: tuple[JournalStep, ...] = get_args(JournalStep)
LOCK_TIMEOUT = 30.0

# Called with "before:<point>" and "after:<point>" around every journal write. Tests set it
# to stop the process at a chosen point (tests/rotation_kill.py); nothing else does.
observer: Callable[[str], None] | None = None


@dataclass(frozen=True)
class Journal:
    profile: str
    step: JournalStep
    store: SecretStoreKind
    id: str = field(default_factory=lambda: _random.token_hex(8))
    started_at: str = ""
    updated_at: str = ""
    files: dict[str, FileState] = field(default_factory=dict)  # .env path -> state
    notes: dict[str, str] = field(default_factory=dict)  # .env path -> why it failed
    had_old: bool = True  # the store held an old secret when storing began
    legacy: bool = False  # found in the old {"stage": ...} form, or only in the profile

    def at(self, step: JournalStep) -> Journal:
        return replace(self, step=step)

    def with_file(self, path: str, state: FileState, note: str = "") -> Journal:
        notes = {k: v for k, v in self.notes.items() if k != path}
        if note:
            notes[path] = note
        return replace(self, files={**self.files, path: state}, notes=notes)

    def before(self, step: JournalStep) -> bool:
        return STEPS.index(self.step) < STEPS.index(step)


def path_of(ws: Workspace, name: str) -> Path:
    return ws.folder / "rotation" / f"{name}.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read(ws: Workspace, name: str) -> Journal | None:
    """The open rotation of profile ``name``, or None (also for an unreadable file)."""
    try:
        data = json.loads(path_of(ws, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if "stage" in data and "step" not in data:  # written by an older bnxt-wizard
        steps = {"tested": "tested", "stored": "profile-saved"}
        stage = steps.get(str(data.get("stage")))
        if stage is None:
            return None
        return Journal(name, cast(JournalStep, stage), "keyring", "legacy", legacy=True)
    try:
        step, store = data["step"], data["store"]
        files = {str(k): v for k, v in dict(data.get("files", {})).items()}
        notes = {str(k): str(v) for k, v in dict(data.get("notes", {})).items()}
        had_old = bool(data.get("had_old", True))
    except (KeyError, TypeError, ValueError):
        return None
    if step not in STEPS or store not in ("keyring", "file", "env"):
        return None
    if not all(v in get_args(FileState) for v in files.values()):
        return None
    return Journal(
        name,
        step,
        store,
        str(data.get("id", "")),
        str(data.get("started_at", "")),
        str(data.get("updated_at", "")),
        files,
        notes,
        had_old,
    )


def _notify(point: str) -> None:
    if observer is not None:
        observer(point)


def _point(journal: Journal, path: str | None) -> str:
    if path is None:
        return journal.step
    index = list(journal.files).index(path)
    return f"{journal.step}:file{index}:{journal.files[path]}"


def record(ws: Workspace, journal: Journal, *, file: str | None = None) -> Journal:
    """Write the journal as it is now. ``file`` names the .env whose state just changed."""
    point = _point(journal, file)
    _notify(f"before:{point}")
    path = path_of(ws, journal.profile)
    ensure_private_dir(ws.folder)
    ensure_private_dir(path.parent)
    now = _now()
    journal = replace(journal, started_at=journal.started_at or now, updated_at=now, legacy=False)
    data = asdict(journal)
    del data["legacy"]
    atomic_write_text(path, json.dumps(data, indent=1) + "\n")
    _notify(f"after:{point}")
    return journal


def clear(ws: Workspace, name: str) -> None:
    """The rotation is over (finished or rolled back): no journal is left."""
    _notify("before:closed")
    path_of(ws, name).unlink(missing_ok=True)
    _notify("after:closed")


@contextlib.contextmanager
def lock(ws: Workspace, name: str) -> Iterator[None]:
    """The per-profile rotation lock; held while a command acts on a rotation."""
    path = path_of(ws, name)
    ensure_private_dir(ws.folder)
    ensure_private_dir(path.parent)
    with locked(path, timeout=LOCK_TIMEOUT):
        yield
