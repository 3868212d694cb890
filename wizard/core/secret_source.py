"""Whether the environment's secret overrides a profile's stored one.

``SecretVault.load`` prefers ``BNXT_CLIENT_SECRET`` when it is set, whatever store the
profile names: every command that reads a secret then says so, instead of warning about a
stored copy it does not use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from wizard.core.secrets import ENV_SECRET

if TYPE_CHECKING:
    from wizard.core.models import Profile


def env_overrides(profile: Profile) -> bool:
    """True when the variable is set and the profile keeps its secret in a store of its own."""
    stored_elsewhere = profile.secret is not None and profile.secret.store != "env"
    return bool(os.environ.get(ENV_SECRET)) and stored_elsewhere


def override_note(profile: Profile) -> str:
    """What to tell the user when ``env_overrides(profile)``."""
    return (
        f"{ENV_SECRET} is set: it is used instead of the secret stored for profile "
        f"{profile.name}. Unset it to use the stored one."
    )
