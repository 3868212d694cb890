"""Secret rotation without downtime.

The portal lets an application hold several secrets at once, so rotation is:

1. generate a new secret in the portal (keep the old one),
2. test the new secret with a real token request          -> stage "tested"
3. store it, keeping the old one as a backup               -> stage "stored"
4. rewrite the .env files this profile wrote before
5. after the services use it, delete the old secret in the portal and ``finish``.

The stage is written to ``rotation/<profile>.json`` (never the secret) so an interrupted
rotation is reported with the command that finishes it. Until step 3 the stored secret is
untouched, so the old secret keeps working whatever happens.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import SecretStr

from wizard.core.atomic import atomic_write_text
from wizard.core.errors import SecretStoreError
from wizard.core.models import Profile, SecretRef, utcnow
from wizard.core.paths import ensure_private_dir
from wizard.core.secrets import PREVIOUS_SUFFIX
from wizard.core.steps import Step

if TYPE_CHECKING:
    from wizard.core.connect import ClientOptions
    from wizard.core.profiles import Workspace
    from wizard.core.tokens import Token

Stage = Literal["tested", "stored"]
PORTAL_REMINDER = (
    "Delete the OLD secret on the Credentials tab of the Visma Developer Portal once every "
    "service uses the new one."
)


@dataclass(frozen=True)
class RotationState:
    profile: str
    stage: Stage
    updated_at: str


def _state_path(ws: Workspace, name: str) -> Path:
    return ws.folder / "rotation" / f"{name}.json"


def read_state(ws: Workspace, name: str) -> RotationState | None:
    try:
        data = json.loads(_state_path(ws, name).read_text(encoding="utf-8"))
        stage = data["stage"]
        if stage not in ("tested", "stored"):
            return None
        return RotationState(name, stage, str(data.get("updated_at", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_state(ws: Workspace, name: str, stage: Stage) -> None:
    path = _state_path(ws, name)
    ensure_private_dir(ws.folder)
    ensure_private_dir(path.parent)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    atomic_write_text(path, json.dumps({"stage": stage, "updated_at": now}) + "\n")


def _clear_state(ws: Workspace, name: str) -> None:
    _state_path(ws, name).unlink(missing_ok=True)


def pending_rotation_notice(ws: Workspace, profile: Profile) -> str | None:
    state = read_state(ws, profile.name)
    if state is None:
        return None
    if state.stage == "tested":
        return (
            f"A rotation of profile {profile.name!r} was interrupted after the new secret was "
            "tested but before it was stored; the old secret is still the one in use. "
            f"Finish with: bnxt-wizard rotate --profile {profile.name} --secret-stdin"
        )
    return (
        f"Profile {profile.name!r} uses its new secret; the old one is kept as a backup. "
        f"{PORTAL_REMINDER} Then run: bnxt-wizard rotate --profile {profile.name} --finish"
    )


async def test_new_secret(
    ws: Workspace, profile: Profile, new_secret: SecretStr, options: ClientOptions
) -> Token:
    """Request a token with the new secret. Nothing stored changes."""
    from wizard.core.connect import request_token

    token = await request_token(profile, new_secret, options=options)
    _write_state(ws, profile.name, "tested")
    return token


SAME_SECRET = "That is the secret already stored. Generate a NEW secret in the portal first."


def is_same_secret(new: SecretStr, current: SecretStr | None) -> bool:
    """A "new" secret equal to the stored one would rotate nothing."""
    return current is not None and current.get_secret_value() == new.get_secret_value()


def is_current_secret(ws: Workspace, profile: Profile, secret: SecretStr) -> bool:
    """True when ``secret`` is the one already stored (so it is not a new one)."""
    try:
        current = ws.vault.load(profile, allow_env=False).value
    except SecretStoreError:
        return False
    return is_same_secret(secret, current)


def unfinished_backup(profile: Profile) -> SecretStoreError | None:
    """A second rotation before --finish would overwrite the first one's backup: refuse it."""
    if profile.secret is None or profile.secret.previous_store is None:
        return None
    return SecretStoreError(
        f"The last rotation of profile {profile.name!r} is not finished: the secret before it "
        "is still kept as a backup.",
        hint=f"{PORTAL_REMINDER} Then run `bnxt-wizard rotate --profile {profile.name} "
        "--finish`, or `--rollback` to go back to the old secret, before rotating again.",
        step=Step.SECRET,
    )


def store_new_secret(ws: Workspace, profile: Profile, new_secret: SecretStr) -> Profile:
    """Keep the old secret as ``<profile>.previous`` and make the new one current."""
    blocked = unfinished_backup(profile)
    if blocked is not None:
        raise blocked
    if profile.secret is None:
        raise SecretStoreError(
            f"Profile {profile.name!r} has no secret store recorded.",
            hint="Run `bnxt-wizard init` for this profile first.",
            step=Step.SECRET,
        )
    kind = profile.secret.store
    backend = ws.vault.backend(kind)
    previous_kind = None
    if kind != "env":
        old = backend.get(profile.name)
        if old is not None:
            backend.set(profile.name + PREVIOUS_SUFFIX, old)
            previous_kind = kind
        backend.set(profile.name, new_secret)
    updated = profile.model_copy(
        update={
            "secret": SecretRef(store=kind, previous_store=previous_kind),
            "rotated_at": utcnow(),
        }
    )
    ws.config.save(updated)
    _write_state(ws, profile.name, "stored")
    return updated


def rewrite_env_files(ws: Workspace, profile: Profile, secret: SecretStr) -> list[str]:
    """Rewrite every .env file the profile wrote before. Returns one line per file."""
    from wizard.core.envfile import env_values, write_env_file
    from wizard.core.errors import WizardError

    lines: list[str] = []
    for record in profile.env_files:
        path = Path(record.path)
        if not path.exists():
            lines.append(f"skipped {path}: it no longer exists")
            continue
        try:
            values = env_values(profile, secret if record.include_secret else None, record.prefix)
            result = write_env_file(path, values, fmt=record.format, profile=profile.name)
        except WizardError as err:
            lines.append(f"NOT rewritten {path}: {err.message}")
            continue
        lines.append(f"rewrote {result.path}")
        lines += [f"  warning: {w}" for w in result.warnings]
    return lines


def finish(ws: Workspace, profile: Profile) -> Profile:
    """The user confirmed: forget the old secret's backup."""
    if profile.secret and profile.secret.previous_store:
        ws.vault.backend(profile.secret.previous_store).delete(profile.name + PREVIOUS_SUFFIX)
        profile = profile.model_copy(
            update={"secret": SecretRef(store=profile.secret.store, previous_store=None)}
        )
        ws.config.save(profile)
    _clear_state(ws, profile.name)
    return profile


def rollback(ws: Workspace, profile: Profile) -> Profile:
    """Put the old secret back as the current one."""
    if not profile.secret or not profile.secret.previous_store:
        raise SecretStoreError(
            f"Profile {profile.name!r} has no backup of an old secret to go back to.",
            hint="A backup exists only between `rotate` and `rotate --finish`.",
            step=Step.SECRET,
        )
    backend = ws.vault.backend(profile.secret.previous_store)
    old = backend.get(profile.name + PREVIOUS_SUFFIX)
    if old is None:
        raise SecretStoreError(
            f"The backup of the old secret for {profile.name!r} is missing from the "
            f"{backend.describe()}.",
            step=Step.SECRET,
        )
    backend.set(profile.name, old)
    backend.delete(profile.name + PREVIOUS_SUFFIX)
    profile = profile.model_copy(
        update={"secret": SecretRef(store=profile.secret.store, previous_store=None)}
    )
    ws.config.save(profile)
    _clear_state(ws, profile.name)
    return profile
