"""What the rotation screen says at each stage, worked out from the profile (no widgets here)."""

from __future__ import annotations

from wizard.core import rotation
from wizard.core.errors import WizardError
from wizard.core.models import Profile
from wizard.core.profiles import Workspace
from wizard.core.secrets import ENV_SECRET
from wizard.core.tokens import Token

ROLLBACK_QUESTION = (
    "Put the old secret back as the current one? The .env files are rewritten with it too. "
    "The new secret stays valid in the portal until you delete it there."
)


def _is_env(profile: Profile) -> bool:
    return profile.secret is not None and profile.secret.store == "env"


def pending(name: str, found: rotation.RotationStatus) -> str:
    if found.step in ("finishing", "rolling-back"):
        return f"! A rotation of {name} was interrupted: {found.summary} Continue it below."
    if not found.new_stored:
        return (
            f"! A rotation of {name} was interrupted after its new secret was tested but before "
            "it was stored. The old secret is still the one in use: paste the new secret again "
            "to finish."
        )
    return (
        f"! {name} already uses its new secret; the old one is kept as a backup. Finish the "
        "rotation below, or roll back."
    )


def tested(token: Token) -> str:
    expires = f", valid for {token.expires_in} s" if token.expires_in else ""
    return (
        f"✓ The new secret works: Visma Connect issued a {token.token_type} token for "
        f"'{token.scope}'{expires}. Nothing is stored yet."
    )


def store(profile: Profile, ws: Workspace) -> str:
    if _is_env(profile):
        return (
            f"This profile keeps no secret of its own: it reads {ENV_SECRET}. There is nothing "
            f"to store here; update {ENV_SECRET} wherever your services run, then go on."
        )
    return (
        f"The new secret goes into the {ws.vault.describe(profile)}. The old one is kept there "
        "as a backup until you confirm it is deleted in the portal, so you can roll back."
    )


def store_button(profile: Profile) -> str:
    return f"I updated {ENV_SECRET} →" if _is_env(profile) else "Store it"


def stored(profile: Profile, ws: Workspace) -> str:
    if _is_env(profile):
        return f"✓ Recorded. Remember: {ENV_SECRET} must hold the new secret everywhere."
    return (
        f"✓ The new secret is stored in the {ws.vault.describe(profile)}; the old one is a backup."
    )


def rewrite(profile: Profile, have_secret: bool) -> str:
    if not profile.env_files:
        return "This profile has not written any .env file: nothing to rewrite."
    files = "\n".join(f"  • {r.path} ({r.format})" for r in profile.env_files)
    if not have_secret:
        return (
            f"These files were written for this profile:\n{files}\nThe new secret is not "
            f"available here (set {ENV_SECRET} to it), so they cannot be rewritten now; use "
            f"`bnxt-wizard env --profile {profile.name}` later."
        )
    return f"These files were written for this profile and get the new secret:\n{files}"


def failed(err: WizardError) -> str:
    return f"✗ {err.title}: {err.message}" + (f"\n{err.hint}" if err.hint else "")


def finished(profile: Profile) -> str:
    return (
        f"✓ Rotation of {profile.name} finished: the old secret's backup is deleted and the "
        "new secret is the only one this wizard keeps."
    )


def roll_back(ws: Workspace, profile: Profile) -> tuple[Profile, str]:
    """Old secret current again, and the .env files rewritten with it."""
    try:
        done = rotation.rollback(ws, profile)
    except WizardError as err:
        return profile, failed(err)
    return done.profile, "\n".join(
        ["✓ Rolled back: the old secret is the current one again.", *done.lines]
    )
