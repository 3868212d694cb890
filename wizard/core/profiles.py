"""High-level profile operations shared by the CLI and the wizard screens."""

from __future__ import annotations

from pydantic import SecretStr, ValidationError

from wizard.core import validation as v
from wizard.core.errors import SecretStoreError, ValidationFailed
from wizard.core.models import Profile, SecretRef, SecretStoreKind, describe_validation_error
from wizard.core.secrets import ENV_SECRET, probe_keyring
from wizard.core.steps import Step
from wizard.core.workspace import Workspace

__all__ = [
    "Workspace",
    "build_profile",
    "choose_store",
    "delete_profile",
    "prepare_secret",
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
    """Store the secret first, then the profile that points at it."""
    if secret is not None:
        ws.vault.store(profile.name, store, secret)
    elif store != "env":
        existing = ws.config.find(profile.name)
        if existing is None or existing.secret is None or existing.secret.store != store:
            raise SecretStoreError(
                "No secret was given for a new profile.",
                hint=f"Pipe it in with --secret-stdin, or set {ENV_SECRET}.",
                step=Step.SECRET,
            )
    profile = profile.model_copy(update={"secret": SecretRef(store=store)})
    ws.config.save(profile)
    ws.drafts.delete(profile.name)
    return profile


def delete_profile(ws: Workspace, name: str) -> Profile:
    profile = ws.config.get(name)
    ws.vault.delete(profile)
    ws.config.delete(name)
    ws.drafts.delete(name)
    return profile
