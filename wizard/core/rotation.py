"""Secret rotation without downtime, as a journaled state machine.

The portal lets an application hold several secrets at once, so rotation is:

1. generate a new secret in the portal (keep the old one),
2. test the new secret with a real token request (nothing stored changes),
3. store it, keeping the old one as a backup, and record that in the profile,
4. rewrite the .env files this profile wrote before,
5. after the services use it, delete the old secret in the portal and ``finish``
   (or ``rollback``: the old secret becomes the current one again).

Every step from 3 on is recorded before and after it happens in the journal
(:mod:`wizard.core.rotation_journal`) under the per-profile rotation lock, and each step
can be run again safely, so a rotation interrupted anywhere is continued by the one
command :func:`status` names. Until the store step the stored secret is untouched, so the
old secret keeps working whatever happens; the old secret's backup is deleted only after
no recorded .env file still holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from pydantic import SecretStr

from wizard.core import rotation_journal as journal
from wizard.core.errors import SecretStoreError, WizardError
from wizard.core.models import Profile, SecretRef, utcnow
from wizard.core.rotation_files import rewrite_journaled, rewrite_plain, stale_files
from wizard.core.rotation_journal import FileState, Journal, JournalStep
from wizard.core.secrets import Slot
from wizard.core.steps import Step

if TYPE_CHECKING:
    from wizard.core.connect import ClientOptions
    from wizard.core.tokens import Token
    from wizard.core.workspace import Workspace

PORTAL_REMINDER = (
    "Delete the OLD secret on the Credentials tab of the Visma Developer Portal once every "
    "service uses the new one."
)
SAME_SECRET = "That is the secret already stored. Generate a NEW secret in the portal first."


# --- what is open, and what continues it ---------------------------------------------------


@dataclass(frozen=True)
class RotationStatus:
    profile: str
    step: JournalStep
    new_stored: bool  # the store holds the new secret (steps from here on need no input)
    files: dict[str, FileState]
    notes: dict[str, str]
    stale_files: list[str]  # recorded .env files that still hold the old secret
    summary: str
    next_command: str

    def to_json_dict(self) -> dict[str, object]:
        return {
            "open": True,
            "profile": self.profile,
            "step": self.step,
            "new_secret_stored": self.new_stored,
            "env_files": self.files,
            "env_file_problems": self.notes,
            "env_files_with_old_secret": self.stale_files,
            "summary": self.summary,
            "next": self.next_command,
        }


def command(name: str, action: str) -> str:
    tail = " < new-secret.txt" if action == "--secret-stdin" else ""
    return f"bnxt-wizard rotate --profile {name} {action}{tail}"


def _open(ws: Workspace, name: str, *, deep: bool = False) -> Journal | None:
    """The open rotation: its journal, or one only the profile (or store) remembers.

    Older versions kept no journal past "stored", only ``previous_store`` in the profile;
    ``deep`` also finds a backup left in the store with nothing recording it.
    """
    found = journal.read(ws, name)
    profile = ws.config.find(name)
    ref = profile.secret if profile is not None else None
    if found is not None and found.legacy and ref is not None:
        found = replace(found, store=ref.store)
    if found is None and ref is not None:
        orphan = (
            deep
            and ref.store != "env"
            and ws.vault.fetch(name, ref.store, Slot.PREVIOUS) is not None
        )
        if ref.previous_store is not None or orphan:
            found = Journal(name, "profile-saved", ref.store, "legacy", legacy=True)
    return found


def _new_stored(ws: Workspace, j: Journal) -> bool:
    if j.step == "tested":
        return False
    if j.step != "storing":
        return True
    if j.store == "env":
        return False
    current = ws.vault.fetch(j.profile, j.store)
    if not j.had_old:
        return current is not None
    backup = ws.vault.fetch(j.profile, j.store, Slot.PREVIOUS)
    # The backup is written before the new secret: both there and different means done.
    return current is not None and backup is not None and not _same(current, backup)


def _same(a: SecretStr, b: SecretStr) -> bool:
    return a.get_secret_value() == b.get_secret_value()


def _old_secret(ws: Workspace, profile: Profile | None, j: Journal) -> SecretStr | None:
    if profile is None or j.store == "env":
        return None
    return ws.vault.fetch(profile, j.store, Slot.PREVIOUS)


def status(ws: Workspace, name: str, *, deep: bool = False) -> RotationStatus | None:
    """Where the rotation of ``name`` stands and the one command that continues it.

    ``deep`` also looks for a backup in the store that nothing records (one more read).
    """
    j = _open(ws, name, deep=deep)
    if j is None:
        return None
    profile = ws.config.find(name)
    stored = _new_stored(ws, j)
    stale: list[str] = []
    if stored and j.step not in ("finishing", "rolling-back"):
        stale = stale_files(profile, _old_secret(ws, profile, j))
    failed = [p for p, s in j.files.items() if s in ("failed", "writing", "pending")]
    if j.step == "finishing":
        summary = "The old secret's backup is being deleted."
        action = "--finish"
    elif j.step == "rolling-back":
        summary = "The old secret is being put back."
        action = "--rollback"
    elif not stored:
        summary = (
            "The new secret was tested but is not stored; the old secret is still the one in "
            "use. Pipe the same new secret in again to continue (or --rollback to cancel)."
        )
        action = "--secret-stdin"
    elif j.before("rewritten") or failed or stale:
        summary = "The new secret is stored; the profile or .env files are not all updated yet."
        if stale:
            summary += f" Still holding the old secret: {', '.join(stale)}."
        action = "--resume"
    else:
        summary = (
            "The new secret is in use and every recorded .env file has it; the old one is kept "
            f"as a backup. {PORTAL_REMINDER}"
        )
        action = "--finish"
    notes = {path: note for path, note in j.notes.items() if path in failed}
    return RotationStatus(
        name, j.step, stored, dict(j.files), notes, stale, summary, command(name, action)
    )


def pending_rotation_notice(ws: Workspace, profile: Profile) -> str | None:
    try:
        found = status(ws, profile.name)
    except WizardError:
        return None
    if found is None:
        return None
    return f"A rotation of profile {profile.name!r} is open: {found.summary} Next: " + (
        found.next_command
    )


# --- testing a new secret (no state changes) -----------------------------------------------


async def test_new_secret(
    ws: Workspace, profile: Profile, new_secret: SecretStr, options: ClientOptions
) -> Token:
    """Request a token with the new secret. Nothing stored changes."""
    from wizard.core.connect import request_token

    return await request_token(profile, new_secret, options=options)


def is_same_secret(new: SecretStr, current: SecretStr | None) -> bool:
    """A "new" secret equal to the stored one would rotate nothing."""
    return current is not None and _same(new, current)


def is_current_secret(ws: Workspace, profile: Profile, secret: SecretStr) -> bool:
    """True when ``secret`` is the one already stored (so it is not a new one)."""
    try:
        current = ws.vault.load(profile, allow_env=False).value
    except SecretStoreError:
        return False
    return is_same_secret(secret, current)


def already_open(ws: Workspace, name: str) -> SecretStoreError | None:
    """A rotation whose new secret is stored must be finished or rolled back first."""
    found = status(ws, name, deep=True)
    if found is None or not found.new_stored:
        return None
    return SecretStoreError(
        f"A rotation of profile {name!r} is already open: {found.summary}",
        title="A rotation is already open",
        hint=f"Run `{found.next_command}` (or `{command(name, '--rollback')}` to go back to "
        "the old secret) before rotating again.",
        step=Step.SECRET,
    )


# --- the steps, each safe to run again -----------------------------------------------------


def _store(ws: Workspace, j: Journal, new: SecretStr) -> Journal:
    name, kind = j.profile, j.store
    if kind == "env":  # nothing is stored: the caller updates BNXT_CLIENT_SECRET
        return journal.record(ws, journal.record(ws, j.at("storing")).at("stored"))
    if j.step == "tested":
        old = ws.vault.fetch(name, kind)
        j = journal.record(ws, replace(j, had_old=old is not None).at("storing"))
        if old is not None:
            ws.vault.put(name, kind, old, Slot.PREVIOUS)
    elif j.had_old and ws.vault.fetch(name, kind, Slot.PREVIOUS) is None:
        old = ws.vault.fetch(name, kind)  # stopped before the backup: the current is the old
        if old is not None:
            ws.vault.put(name, kind, old, Slot.PREVIOUS)
    ws.vault.put(name, kind, new)
    return journal.record(ws, j.at("stored"))


def _save_profile(ws: Workspace, j: Journal) -> tuple[Profile, Journal]:
    backup = j.store if j.store != "env" and j.had_old else None

    def change(p: Profile) -> Profile:
        ref = SecretRef(store=j.store, previous_store=backup)
        return p.model_copy(update={"secret": ref, "rotated_at": utcnow()})

    profile = ws.config.update(j.profile, change)
    return profile, journal.record(ws, j.at("profile-saved"))


def _complete_store(ws: Workspace, j: Journal) -> tuple[Profile, Journal]:
    """Bring a rotation whose new secret is stored up to "profile-saved" (or past it)."""
    if j.step == "storing":
        j = journal.record(ws, j.at("stored"))
    if j.step == "stored":
        return _save_profile(ws, j)
    return ws.config.get(j.profile), j


@dataclass(frozen=True)
class Outcome:
    """What a rotation command did: the profile now, one line per .env file, what failed."""

    profile: Profile
    lines: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # .env paths not rewritten
    cancelled: bool = False  # a rollback of a rotation that had stored nothing

    @property
    def complete(self) -> bool:
        return not self.failed


def _outcome(profile: Profile, j: Journal, lines: list[str]) -> Outcome:
    return Outcome(profile, lines, [p for p, s in j.files.items() if s == "failed"])


def _begin(ws: Workspace, name: str, new: SecretStr) -> tuple[Profile, Journal]:
    """Open (or take over an interrupted) rotation and store the new secret."""
    profile = ws.config.get(name)
    j = _open(ws, name, deep=True)
    if j is not None and (j.step not in ("tested", "storing") or _new_stored(ws, j)):
        raise already_open(ws, name) or SecretStoreError(
            f"A rotation of profile {name!r} is already open.", step=Step.SECRET
        )
    if profile.secret is None:
        raise SecretStoreError(
            f"Profile {name!r} has no secret store recorded.",
            hint="Run `bnxt-wizard init` for this profile first.",
            step=Step.SECRET,
        )
    if is_current_secret(ws, profile, new):
        raise SecretStoreError(SAME_SECRET, title="Not a new secret", step=Step.SECRET)
    if j is None:
        j = journal.record(ws, Journal(name, "tested", profile.secret.store))
    j = _store(ws, j, new)
    return _save_profile(ws, j)


def store_new_secret(ws: Workspace, profile: Profile, new_secret: SecretStr) -> Profile:
    """Keep the old secret as the backup and make the new one current (journaled)."""
    with journal.lock(ws, profile.name):
        return _begin(ws, profile.name, new_secret)[0]


def rotate(ws: Workspace, name: str, new_secret: SecretStr) -> Outcome:
    """Store the tested new secret and rewrite every recorded .env, in one go."""
    with journal.lock(ws, name):
        profile, j = _begin(ws, name, new_secret)
        j, lines = rewrite_journaled(ws, j, profile, new_secret, _old_secret(ws, profile, j))
        return _outcome(profile, j, lines)


def rewrite_env_files(ws: Workspace, profile: Profile, secret: SecretStr) -> list[str]:
    """Rewrite the recorded .env files with ``secret``. Returns one line per file.

    Within an open rotation the rewrite is journaled; otherwise the files are just written.
    """
    with journal.lock(ws, profile.name):
        j = _open(ws, profile.name)
        if j is not None and _new_stored(ws, j) and j.step not in ("finishing", "rolling-back"):
            fresh, j = _complete_store(ws, j)
            return rewrite_journaled(ws, j, fresh, secret, _old_secret(ws, fresh, j))[1]
        return rewrite_plain(profile, secret)


def _no_rotation(name: str, what: str) -> SecretStoreError:
    return SecretStoreError(
        f"No rotation of profile {name!r} is open: nothing to {what}.",
        title="No rotation open",
        hint=f"Start one with `{command(name, '--secret-stdin')}`; "
        f"`bnxt-wizard rotate --profile {name} --status` shows where a rotation stands.",
        step=Step.SECRET,
    )


def _needs_secret(name: str) -> SecretStoreError:
    return SecretStoreError(
        f"The new secret of profile {name!r} was tested but never stored, so there is "
        "nothing to continue without it.",
        title="Pipe the new secret in again",
        hint=f"Run `{command(name, '--secret-stdin')}` with the same new secret, or "
        f"`{command(name, '--rollback')}` to cancel the rotation.",
        step=Step.SECRET,
    )


def resume(ws: Workspace, name: str) -> Outcome:
    """Continue an interrupted rotation whose new secret is stored."""
    with journal.lock(ws, name):
        j = _open(ws, name, deep=True)
        if j is None:
            raise _no_rotation(name, "continue")
        if j.step in ("finishing", "rolling-back"):
            action = "--finish" if j.step == "finishing" else "--rollback"
            raise SecretStoreError(
                f"The rotation of profile {name!r} is at '{j.step}'.",
                title="Continue with another command",
                hint=f"Run `{command(name, action)}`.",
            )
        if not _new_stored(ws, j):
            raise _needs_secret(name)
        profile, j = _complete_store(ws, j)
        allow_env = j.store == "env"
        try:
            secret: SecretStr | None = ws.vault.load(profile, allow_env=allow_env).value
        except SecretStoreError:
            secret = None
        j, lines = rewrite_journaled(ws, j, profile, secret, _old_secret(ws, profile, j))
        return _outcome(profile, j, lines)


def finish(ws: Workspace, profile: Profile) -> Profile:
    """The old secret is deleted in the portal: forget its backup and close the rotation.

    Refused while a recorded .env file still holds the old secret.
    """
    name = profile.name
    with journal.lock(ws, name):
        j = _open(ws, name, deep=True)
        if j is None:
            raise _no_rotation(name, "finish")
        if j.step == "rolling-back":
            raise SecretStoreError(
                f"A rollback of profile {name!r} was interrupted.",
                hint=f"Run `{command(name, '--rollback')}` to complete it.",
            )
        if not _new_stored(ws, j):
            raise _needs_secret(name)
        fresh, j = _complete_store(ws, j)
        if j.step != "finishing":
            stale = stale_files(fresh, _old_secret(ws, fresh, j))
            if stale:
                raise SecretStoreError(
                    f"{len(stale)} .env file(s) recorded for profile {name!r} still hold the "
                    f"old secret: {', '.join(stale)}.",
                    title="Not finished: a .env still has the old secret",
                    hint=f"Run `{command(name, '--resume')}` to rewrite them (or fix them by "
                    "hand), then finish again.",
                    step=Step.SECRET,
                )
            j = journal.record(ws, j.at("finishing"))
        if j.store != "env":
            ws.vault.discard(name, j.store, Slot.PREVIOUS)
        done = ws.config.update(name, _without_backup)
        journal.clear(ws, name)
        return done


def _without_backup(p: Profile) -> Profile:
    if p.secret is None or p.secret.previous_store is None:
        return p
    return p.model_copy(update={"secret": SecretRef(store=p.secret.store)})


def rollback(ws: Workspace, profile: Profile) -> Outcome:
    """Put the old secret back as the current one and rewrite the .env files with it."""
    name = profile.name
    with journal.lock(ws, name):
        j = _open(ws, name, deep=True)
        if j is None:
            raise SecretStoreError(
                f"Profile {name!r} has no backup of an old secret to go back to.",
                hint="A backup exists only between `rotate` and `rotate --finish`.",
                step=Step.SECRET,
            )
        if j.step != "rolling-back" and not _new_stored(ws, j):
            return _cancel(ws, j)
        old = _old_secret(ws, ws.config.find(name), j)
        if j.step != "rolling-back":
            if old is None and j.store != "env" and j.had_old:
                backend = ws.vault.backend(j.store)
                raise SecretStoreError(
                    f"The backup of the old secret for {name!r} is missing from the "
                    f"{backend.describe()}.",
                    step=Step.SECRET,
                )
            j = journal.record(ws, replace(j, files={}, notes={}).at("rolling-back"))
        if old is not None:
            ws.vault.put(name, j.store, old)
        elif j.store != "env":  # the backup was already deleted: the current is the old one
            old = ws.vault.fetch(name, j.store)
        restored = ws.config.update(name, _without_backup)
        j, lines = rewrite_journaled(ws, j, restored, old, None)
        if j.store != "env":
            ws.vault.discard(name, j.store, Slot.PREVIOUS)
        journal.clear(ws, name)
        return _outcome(restored, j, lines)


def _cancel(ws: Workspace, j: Journal) -> Outcome:
    """Nothing new was stored: drop a backup equal to the current secret, close the journal."""
    if j.store != "env":
        backup = ws.vault.fetch(j.profile, j.store, Slot.PREVIOUS)
        current = ws.vault.fetch(j.profile, j.store)
        if backup is not None and current is not None and _same(backup, current):
            ws.vault.discard(j.profile, j.store, Slot.PREVIOUS)
    journal.clear(ws, j.profile)
    profile = ws.config.get(j.profile)
    return Outcome(profile, cancelled=True)
