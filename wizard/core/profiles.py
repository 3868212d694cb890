"""High-level profile operations shared by the CLI and the wizard screens."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import SecretStr, ValidationError

from wizard.core import validation as v
from wizard.core.errors import SecretStoreError, ValidationFailed
from wizard.core.models import (
    EnvFileRecord,
    Profile,
    SecretRef,
    SecretStoreKind,
    describe_validation_error,
    utcnow,
)
from wizard.core.secrets import ENV_SECRET, probe_keyring
from wizard.core.steps import Step
from wizard.core.workspace import Workspace

__all__ = [
    "Workspace",
    "build_profile",
    "choose_store",
    "delete_profile",
    "mark_verified",
    "prepare_secret",
    "record_env_file",
    "save_profile",
]


def build_profile(data: dict[str, object]) -> Profile:
    """Validate raw data into a Profile, or raise ValidationFailed with plain messages."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_error(exc)
    # Raised outside the except block so the pydantic error (which holds the rejected input)
    # is not even kept as hidden context.
    raise ValidationFailed(problems)


def prepare_secret(raw: str, client_id: str | None) -> tuple[SecretStr, list[str]]:
    """Trim (with a warning) and check a pasted secret. Raises ValidationFailed on errors."""
    value, findings = v.normalize_secret(raw)
    findings += [f for f in v.check_secret(value, client_id) if f.level != "warning"]
    errs = v.errors(findings)
    if errs:
        raise ValidationFailed(errs, step=Step.SECRET)
    return SecretStr(value), [f.message for f in findings if f.level == "warning"]


def choose_store(requested: SecretStoreKind | None) -> SecretStoreKind:
    """The keyring when it works; otherwise the caller must choose, never a silent fallback."""
    if requested in ("file", "env"):
        return requested
    probe = probe_keyring()
    if probe.usable:
        return "keyring"
    if requested == "keyring":
        raise SecretStoreError(
            f"The OS keyring is not usable here: {probe.reason}.",
            hint="Choose --secret-store file (a private 0600 file in the config folder) or "
            f"--secret-store env (nothing stored; set {ENV_SECRET} when you run).",
            step=Step.SECRET,
        )
    raise SecretStoreError(
        f"No usable OS keyring ({probe.reason}), so bnxt-wizard will not guess where to put "
        "the secret.",
        title="Choose where the secret goes",
        hint="Pass --secret-store file (a plaintext file readable only by you, mode 0600) or "
        f"--secret-store env (nothing stored; export {ENV_SECRET} wherever the tool runs).",
        step=Step.SECRET,
    )


def save_profile(
    ws: Workspace, profile: Profile, secret: SecretStr | None, store: SecretStoreKind
) -> Profile:
    """Save a whole edited profile (init, the wizard's Save): the secret first, then the
    profile that points at it.

    What other commands own is kept from the file as it is when the lock is taken: the
    .env files recorded, the creation time, and a rotation's backup and ``rotated_at``.
    While a rotation is open, a new secret or another store is refused.
    """
    from wizard.core import rotation_journal

    with rotation_journal.lock(ws, profile.name):
        existing = ws.config.find(profile.name)
        _refuse_during_rotation(ws, existing, secret, store)
        if secret is not None:
            ws.vault.store(profile.name, store, secret)
        elif store != "env" and (
            existing is None or existing.secret is None or (existing.secret.store != store)
        ):
            raise SecretStoreError(
                "No secret was given for a new profile.",
                hint=f"Pipe it in with --secret-stdin, or set {ENV_SECRET}.",
                step=Step.SECRET,
            )

        def merge(current: Profile | None) -> Profile:
            ref = SecretRef(store=store)
            if current is None:
                return profile.model_copy(update={"secret": ref})
            if current.secret is not None and current.secret.store == store:
                ref = current.secret  # keeps a rotation's backup
            kept = {
                "secret": ref,
                "env_files": _merged_env_files(current.env_files, profile.env_files),
                "created_at": current.created_at,
                "rotated_at": current.rotated_at,
                "verified_at": current.verified_at if _same_app(current, profile) else None,
            }
            return profile.model_copy(update=kept)

        saved = ws.config.upsert(profile.name, merge)
    ws.drafts.delete(profile.name)
    return saved


def _refuse_during_rotation(
    ws: Workspace, existing: Profile | None, secret: SecretStr | None, store: SecretStoreKind
) -> None:
    from wizard.core import rotation

    if existing is None:
        return
    same_store = existing.secret is not None and existing.secret.store == store
    if secret is None and same_store:
        return  # settings only: the rotation's secrets are untouched
    found = rotation.status(ws, existing.name, deep=True)
    if found is not None:
        raise SecretStoreError(
            f"A rotation of profile {existing.name!r} is open, so its secret cannot be "
            "replaced now.",
            title="A rotation is open",
            hint=f"Finish it first: `{found.next_command}` (or `bnxt-wizard rotate --profile "
            f"{existing.name} --rollback`), then save again.",
            step=Step.SECRET,
        )


def _merged_env_files(
    on_disk: list[EnvFileRecord], edited: list[EnvFileRecord]
) -> list[EnvFileRecord]:
    """Every .env file either copy knows, once per path (the file's record wins)."""
    paths = {r.path for r in on_disk}
    return [*on_disk, *(r for r in edited if r.path not in paths)]


_APP_FIELDS = ("app_type", "client_id", "endpoints", "auth_method", "tenant_id", "companies")


def _same_app(a: Profile, b: Profile) -> bool:
    """Both describe the same application: what a check proves still holds."""
    return all(getattr(a, f) == getattr(b, f) for f in _APP_FIELDS)


def mark_verified(ws: Workspace, checked: Profile, at: datetime | None = None) -> bool:
    """Record a passing check, if the saved profile is still the one that was checked.

    Returns False (and records nothing) when the profile was deleted or its application
    settings changed while the check ran.
    """
    recorded = False

    def change(current: Profile | None) -> Profile | None:
        nonlocal recorded
        if current is None or not _same_app(current, checked):
            return None
        recorded = True
        return current.model_copy(update={"verified_at": at or utcnow()})

    ws.config.change_if(checked.name, change)
    return recorded


def record_env_file(ws: Workspace, name: str, record: EnvFileRecord) -> Profile:
    """Remember a .env file (once per path) so a rotation rewrites it."""

    def change(current: Profile) -> Profile:
        kept = [r for r in current.env_files if Path(r.path) != Path(record.path)]
        return current.model_copy(update={"env_files": [*kept, record]})

    return ws.config.update(name, change)


def delete_profile(ws: Workspace, name: str) -> Profile:
    """Delete the profile, every secret it stored, its draft and any rotation journal."""
    from wizard.core import rotation_journal

    with rotation_journal.lock(ws, name):
        profile = ws.config.get(name)
        ws.vault.delete(profile)
        ws.config.delete(name)
        ws.drafts.delete(name)
        rotation_journal.clear(ws, name)
    return profile
